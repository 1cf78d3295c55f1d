/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The export plan: which metric families the schema defines. The names are the schema's, fixed
 * per class by qualifiers rather than guessed from class names:
 *  - MetricPrefix("block_device") on a class (inherited by its subclasses, restated where a
 *    subclass's readings are another quantity: "hwmon_temp", "hwmon_fan") names the families
 *    of its instances, hwglue_<prefix>_<part>[_<unit>][_total], and, on a provider's topmost
 *    class, its _info family, hwglue_<prefix>_info, which holds every device of the provider
 *    with a class label;
 *  - Metric("gauge") or Metric("counter") on a property makes it a family; its part is the
 *    property's MetricName("read_bytes") ("" for the reading itself), or its snake_case name;
 *  - Units("...") gives the unit suffix, in the Prometheus base unit;
 *  - key properties and properties qualified Label (or Label("chip"), to name the label) are
 *    the labels of every series of the class.
 * A class of a schema without MetricPrefix (an agent's own) is named after its snake_case class
 * name. Nothing here is specific to a provider: a new class with these qualifiers exports with
 * no new code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export.h"

/* The self-metrics, their types and labels, as export-format.c writes them. */
static const struct {
        const char *name;
        const char *type;
        const char *labels;
} self_metrics[] = {
        { "hwglue_build_info", "gauge", "version" },
        { "hwglue_export_duration_seconds", "gauge", "" },
        { "hwglue_collector_duration_seconds", "gauge", "provider" },
        { "hwglue_collector_success", "gauge", "provider" },
        { "hwglue_collector_timed_out", "gauge", "provider" },
        { "hwglue_collector_instances", "gauge", "provider" },
        { "hwglue_collector_unreadable_attributes", "gauge", "provider,error" },
};

/* The label the _info family adds: the instance's most derived class. */
#define CLASS_LABEL "class"

/* Units("...") of the hwglue vocabulary, and the Prometheus base unit each is exported in. */
static const struct {
        const char *units;
        const char *suffix;      /* NULL: a plain count, no suffix */
        bool as_ratio;
} unit_table[] = {
        { "Bytes", "bytes", false },
        { "Degrees C", "celsius", false },
        { "Degrees Celsius", "celsius", false },
        { "Volts", "volts", false },
        { "Amps", "amperes", false },
        { "Amperes", "amperes", false },
        { "Watts", "watts", false },
        { "Joules", "joules", false },
        { "RPM", "rpm", false },
        /* Prometheus keeps fractions as ratios (0..1), never as percentages. */
        { "Percent", "ratio", true },
        { "Seconds", "seconds", false },
        { "Count", NULL, false },
};

/* Every name given out so far, across groups; borrowed from the plan. */
struct name_set {
        const char **names;
        size_t count;
};

static bool name_set_contains(const struct name_set *set, const char *name)
{
        for (size_t i = 0; i < set->count; i++)
                if (strcmp(set->names[i], name) == 0)
                        return true;
        for (size_t i = 0; i < sizeof(self_metrics) / sizeof(self_metrics[0]); i++)
                if (strcmp(self_metrics[i].name, name) == 0)
                        return true;
        return false;
}

static int name_set_add(struct name_set *set, const char *name)
{
        const char **names = realloc(set->names, (set->count + 1) * sizeof(*names));

        if (!names)
                return -ENOMEM;
        set->names = names;
        set->names[set->count++] = name;
        return 0;
}

static const char *string_of(const struct glue_value *value)
{
        if (value->is_array || !glue_type_is_string(value->type))
                return NULL;
        return value->v.str;
}

static bool has_qualifier(const struct glue_property *prop, const char *name)
{
        const struct glue_value *value;

        return glue_property_get_qualifier(prop, name, &value) >= 0;
}

static bool class_has_qualifier(const struct glue_class *cls, const char *name)
{
        const struct glue_value *value;

        return glue_class_get_qualifier(cls, name, &value) >= 0;
}

static const char *qualifier_string(const struct glue_property *prop, const char *name)
{
        const struct glue_value *value;

        if (glue_property_get_qualifier(prop, name, &value) < 0)
                return NULL;
        return string_of(value);
}

/* The class's MetricPrefix (own or inherited), or NULL; a malformed one is said and ignored. */
static const char *class_prefix(const struct glue_class *cls)
{
        const struct glue_value *value;
        const char *prefix;

        if (glue_class_get_qualifier(cls, "MetricPrefix", &value) < 0)
                return NULL;
        prefix = string_of(value);
        if (!prefix || !export_is_name_part(prefix, false)) {
                export_warn("%s: MetricPrefix wants a lower-case snake_case name, not \"%s\"; "
                            "named after the class", glue_class_get_name(cls),
                            prefix ? prefix : "(not a string)");
                return NULL;
        }
        return prefix;
}

/* The part of the name a class gives its families: its prefix, or its snake_case name. */
static char *class_part(const struct glue_class *cls)
{
        const char *prefix = class_prefix(cls);

        return prefix ? strdup(prefix) : export_class_snake_name(glue_class_get_name(cls));
}

static bool ends_with_word(const char *snake, const char *word)
{
        size_t len = strlen(snake), wlen = strlen(word);

        if (len == wlen)
                return strcmp(snake, word) == 0;
        return len > wlen && snake[len - wlen - 1] == '_' && strcmp(snake + len - wlen, word) == 0;
}

/* Drop a trailing word from a snake_case name ("usage_percent" -> "usage"). */
static void drop_last_word(char *snake, const char *word)
{
        size_t len = strlen(snake), wlen = strlen(word);

        if (len > wlen && ends_with_word(snake, word))
                snake[len - wlen - 1] = '\0';
        else if (strcmp(snake, word) == 0)
                snake[0] = '\0';
}

/* The property's part of its family names: MetricName, or its snake_case name. Owned. */
static char *property_part(const struct glue_class *cls, const struct glue_property *prop)
{
        const char *part = qualifier_string(prop, "MetricName");

        if (part && export_is_name_part(part, true))
                return strdup(part);
        if (has_qualifier(prop, "MetricName"))
                export_warn("%s.%s: MetricName wants a lower-case snake_case name or \"\", not "
                            "\"%s\"; named after the property", glue_class_get_name(cls),
                            glue_property_get_name(prop), part ? part : "(not a string)");
        return export_snake_case(glue_property_get_name(prop));
}

struct metric_kind {
        enum export_metric_type type;
        const char *suffix;      /* NULL: none */
        bool as_ratio;
};

static char *metric_name(const char *class_part_name, char *prop_part,
                         const struct metric_kind *kind)
{
        const char *suffix = kind->suffix;
        struct export_buffer name = { 0 };
        bool add_suffix, add_total;
        char *result;

        if (suffix && strcmp(suffix, "ratio") == 0) {
                drop_last_word(prop_part, "percent");
                drop_last_word(prop_part, "percentage");
        }
        /* "ReadBytes" in Bytes is read_bytes, not read_bytes_bytes. */
        add_suffix = suffix && !ends_with_word(prop_part, suffix);
        add_total = kind->type == EXPORT_COUNTER && !ends_with_word(prop_part, "total");
        if (export_buffer_printf(&name, "hwglue_%s", class_part_name) < 0 ||
            (*prop_part && export_buffer_printf(&name, "_%s", prop_part) < 0) ||
            (add_suffix && export_buffer_printf(&name, "_%s", suffix) < 0) ||
            (add_total && export_buffer_puts(&name, "_total") < 0)) {
                export_buffer_free(&name);
                return NULL;
        }
        result = name.data;
        return result;
}

static char *metric_help(const struct glue_class *origin, const struct glue_property *prop,
                         bool as_ratio)
{
        const char *description = qualifier_string(prop, "Description");
        /* A state (boolean) has no unit, whatever the schema says. */
        const char *units = glue_property_get_type(prop) == GLUE_TYPE_BOOLEAN ? NULL :
                            qualifier_string(prop, "Units");
        char *help = NULL;
        int r;

        /* What the schema says, and where to read more: `hwglue describe CLASS`. */
        r = asprintf(&help, "%s%s(%s.%s%s%s%s)", description ? description : "",
                     description ? " " : "", glue_class_get_name(origin),
                     glue_property_get_name(prop), units ? ", " : "", units ? units : "",
                     as_ratio ? ", exported as a ratio, 0 to 1" : "");
        return r < 0 ? NULL : help;
}

/* Is prop a metric this exporter can write? 1 and its kind, or 0 (with a warning, if warn,
 * when it is qualified Metric but cannot be exported). */
static int metric_kind_of(const struct glue_class *cls, const struct glue_property *prop,
                          bool warn, struct metric_kind *kind)
{
        const char *metric = qualifier_string(prop, "Metric");
        const char *units = qualifier_string(prop, "Units");
        enum glue_type type = glue_property_get_type(prop);
        size_t i, n = sizeof(unit_table) / sizeof(unit_table[0]);

        if (!metric)
                return 0;
        *kind = (struct metric_kind) { .type = EXPORT_GAUGE };
        if (glue_property_is_array(prop) ||
            !(type == GLUE_TYPE_BOOLEAN || glue_type_is_signed(type) ||
              glue_type_is_unsigned(type) || glue_type_is_real(type))) {
                if (warn)
                        export_warn("%s.%s: Metric on a %s%s property, not exported",
                                    glue_class_get_name(cls), glue_property_get_name(prop),
                                    glue_type_name(type),
                                    glue_property_is_array(prop) ? " array" : "");
                return 0;
        }
        if (strcasecmp(metric, "counter") == 0)
                kind->type = EXPORT_COUNTER;
        else if (strcasecmp(metric, "gauge") != 0) {
                if (warn)
                        export_warn("%s.%s: unknown Metric(\"%s\"), not exported",
                                    glue_class_get_name(cls), glue_property_get_name(prop), metric);
                return 0;
        }
        /* Alarms and faults are states, 0 or 1: no unit, whatever the schema says. */
        if (type == GLUE_TYPE_BOOLEAN) {
                kind->type = EXPORT_GAUGE;
                return 1;
        }
        if (!units)
                return 1;
        for (i = 0; i < n; i++)
                if (strcasecmp(units, unit_table[i].units) == 0)
                        break;
        if (i == n) {
                if (warn)
                        export_warn("%s.%s: unknown Units(\"%s\"), exported without a unit suffix",
                                    glue_class_get_name(cls), glue_property_get_name(prop), units);
                return 1;
        }
        kind->suffix = unit_table[i].suffix;
        kind->as_ratio = unit_table[i].as_ratio;
        return 1;
}

/* Is cls exported: named by a MetricPrefix, or with a metric to export? Says why each metric it
 * cannot export is left out. */
static bool class_is_exported(const struct glue_class *cls)
{
        size_t n = glue_class_get_property_count(cls);
        struct metric_kind kind;
        bool found = class_has_qualifier(cls, "MetricPrefix");

        for (size_t i = 0; i < n; i++)
                if (metric_kind_of(cls, glue_class_get_property(cls, i), true, &kind) > 0)
                        found = true;
        return found;
}

static void export_class_clear(struct export_class *ec, size_t n_label_sets)
{
        for (size_t i = 0; i < ec->n_labels; i++)
                free(ec->labels[i].name);
        free(ec->labels);
        free(ec->members);
        for (size_t i = 0; ec->slots && i < n_label_sets; i++)
                free(ec->slots[i]);
        free(ec->slots);
}

static void export_family_clear(struct export_family *family)
{
        free(family->name);
        free(family->help);
}

/* The label name of a key or Label property: 1 and the name (owned), 0 if it is neither, or
 * -ENOMEM. */
static int label_name(const struct glue_class *cls, const struct glue_property *prop,
                      char **ret)
{
        const struct glue_value *value;
        const char *named;
        bool labelled = glue_property_get_qualifier(prop, "Label", &value) >= 0;

        if (labelled && !value->is_array && value->type == GLUE_TYPE_BOOLEAN && !value->v.b)
                labelled = false;
        if (!labelled && !glue_property_is_key(prop))
                return 0;
        named = labelled ? string_of(value) : NULL;
        if (named && !export_is_name_part(named, false)) {
                export_warn("%s.%s: Label wants a lower-case snake_case name, not \"%s\"; named "
                            "after the property", glue_class_get_name(cls),
                            glue_property_get_name(prop), named);
                named = NULL;
        }
        *ret = named ? strdup(named) : export_snake_case(glue_property_get_name(prop));
        return *ret ? 1 : -ENOMEM;
}

static int plan_labels(const struct glue_class *cls, struct export_class *ec)
{
        size_t n = glue_class_get_property_count(cls);

        ec->labels = calloc(n ? n : 1, sizeof(*ec->labels));
        if (!ec->labels)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                bool duplicate = false;
                char *name;
                int r = label_name(cls, prop, &name);

                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                for (size_t j = 0; j < ec->n_labels; j++)
                        duplicate = duplicate || strcmp(ec->labels[j].name, name) == 0;
                /* Names starting with __ are Prometheus's own; class is the _info family's. */
                if (duplicate || strncmp(name, "__", 2) == 0 || strcmp(name, CLASS_LABEL) == 0) {
                        export_warn("%s.%s: label name %s is taken", glue_class_get_name(cls),
                                    glue_property_get_name(prop), name);
                        free(name);
                        continue;
                }
                ec->labels[ec->n_labels++] = (struct export_label) {
                        .property_index = i,
                        .name = name,
                        .is_key = glue_property_is_key(prop),
                };
        }
        return 0;
}

static int group_want_property(struct export_group *group, const char *name)
{
        const char **properties;

        for (size_t i = 0; i < group->n_properties; i++)
                if (strcasecmp(group->properties[i], name) == 0)
                        return 0;
        properties = realloc(group->properties, (group->n_properties + 1) * sizeof(*properties));
        if (!properties)
                return -ENOMEM;
        group->properties = properties;
        group->properties[group->n_properties++] = name;
        return 0;
}

static int class_add_member(struct export_class *ec, size_t family, size_t property_index)
{
        struct export_member *members = realloc(ec->members, (ec->n_members + 1) * sizeof(*members));

        if (!members)
                return -ENOMEM;
        ec->members = members;
        members[ec->n_members++] = (struct export_member) {
                .family = family,
                .property_index = property_index,
        };
        return 0;
}

static int group_add_family(struct export_group *group, struct export_family *family)
{
        struct export_family *families = realloc(group->families,
                                                 (group->n_families + 1) * sizeof(*families));

        if (!families)
                return -ENOMEM;
        group->families = families;
        families[group->n_families++] = *family;
        return 0;
}

/*
 * The family of a property of the class being added: joined when the group has it with the
 * same kind, made when the name is free. 1 if the class has a member in it, 0 if the name is
 * taken. Without a MetricPrefix the declaring class names it, or the group's root when the
 * declaring class is above it (a schema base class with no provider, which would share the
 * name with other groups, enumerated apart).
 */
static int plan_metric(struct export_group *group, struct export_class *ec, size_t property_index,
                       const struct metric_kind *kind, struct name_set *taken)
{
        const struct glue_class *cls = ec->cls;
        const struct glue_property *prop = glue_class_get_property(cls, property_index);
        const struct glue_class *origin = glue_property_get_class_origin(prop);
        struct export_family family = { .metric_type = kind->type, .as_ratio = kind->as_ratio };
        char *cpart, *ppart;
        int r;

        if (!origin || !glue_class_is_a(origin, group->root))
                origin = group->root;
        cpart = class_prefix(cls) ? class_part(cls) : class_part(origin);
        ppart = property_part(cls, prop);
        if (cpart && ppart)
                family.name = metric_name(cpart, ppart, kind);
        free(cpart);
        free(ppart);
        if (!family.name)
                return -ENOMEM;

        for (size_t i = 0; i < group->n_families; i++) {
                struct export_family *same = &group->families[i];

                if (!same->name || strcmp(same->name, family.name) != 0)
                        continue;
                free(family.name);
                if (same->metric_type != kind->type || same->as_ratio != kind->as_ratio ||
                    i == 0) {
                        export_warn("%s.%s: metric %s is already exported with another type, "
                                    "skipped", glue_class_get_name(cls),
                                    glue_property_get_name(prop), same->name);
                        return 0;
                }
                r = class_add_member(ec, i, property_index);
                return r < 0 ? r : 1;
        }
        if (name_set_contains(taken, family.name)) {
                export_warn("%s.%s: metric %s is already exported, skipped",
                            glue_class_get_name(cls), glue_property_get_name(prop), family.name);
                free(family.name);
                return 0;
        }
        family.help = metric_help(glue_property_get_class_origin(prop) ?
                                  glue_property_get_class_origin(prop) : cls, prop,
                                  kind->as_ratio);
        if (!family.help || group_add_family(group, &family) < 0) {
                export_family_clear(&family);
                return -ENOMEM;
        }
        r = name_set_add(taken, group->families[group->n_families - 1].name);
        if (r >= 0)
                r = class_add_member(ec, group->n_families - 1, property_index);
        return r < 0 ? r : 1;
}

static const struct glue_class *topmost_provided_class(const struct glue_class *cls)
{
        const struct glue_class *super;

        while ((super = glue_class_get_superclass(cls)) && glue_class_get_provider(super))
                cls = super;
        return cls;
}

/* The group's _info family, family 0: hwglue_<prefix of the root>_info. Its name may be taken
 * by another group; the group still has a family 0, unnamed (NULL), and writes no _info. */
static int group_init_info(struct export_group *group, struct name_set *taken)
{
        struct export_family info = { .metric_type = EXPORT_GAUGE };
        char *part = class_part(group->root);
        int r;

        if (!part || asprintf(&info.name, "hwglue_%s_info", part) < 0) {
                free(part);
                return -ENOMEM;
        }
        free(part);
        if (name_set_contains(taken, info.name)) {
                export_warn("%s: metric %s is already exported, skipped",
                            glue_class_get_name(group->root), info.name);
                free(info.name);
                info.name = NULL;
        } else if (asprintf(&info.help, "One series per device of %s and its subclasses, always 1: "
                            "its labels identify the device, class is its most derived class.",
                            glue_class_get_name(group->root)) < 0) {
                free(info.name);
                return -ENOMEM;
        }
        r = group_add_family(group, &info);
        if (r < 0) {
                export_family_clear(&info);
                return r;
        }
        return info.name ? name_set_add(taken, group->families[0].name) : 0;
}

static struct export_group *find_or_add_group(struct export_plan *plan,
                                              const struct glue_class *root,
                                              struct name_set *taken)
{
        struct export_group *groups;

        for (size_t i = 0; i < plan->n_groups; i++)
                if (plan->groups[i].root == root)
                        return &plan->groups[i];
        groups = realloc(plan->groups, (plan->n_groups + 1) * sizeof(*groups));
        if (!groups)
                return NULL;
        plan->groups = groups;
        groups[plan->n_groups] = (struct export_group) {
                .root = root,
                .provider = glue_class_get_provider(root),
        };
        if (group_init_info(&groups[plan->n_groups], taken) < 0)
                return NULL;
        return &groups[plan->n_groups++];
}

static void export_group_clear(struct export_group *group)
{
        for (size_t j = 0; j < group->n_classes; j++)
                export_class_clear(&group->classes[j], group->n_label_sets);
        for (size_t j = 0; j < group->n_families; j++)
                export_family_clear(&group->families[j]);
        for (size_t j = 0; j < group->n_label_sets; j++) {
                for (size_t k = 0; k < group->label_sets[j].n_names; k++)
                        free(group->label_sets[j].names[k]);
                free(group->label_sets[j].names);
        }
        free(group->label_sets);
        free(group->classes);
        free(group->families);
        free(group->properties);
}

static int plan_class(struct export_plan *plan, const struct glue_class *cls,
                      struct name_set *taken)
{
        size_t n = glue_class_get_property_count(cls);
        struct export_class ec = { .cls = cls }, *classes;
        struct export_group *group;
        bool used;
        int r;

        if (!class_is_exported(cls))
                return 0;
        group = find_or_add_group(plan, topmost_provided_class(cls), taken);
        if (!group)
                return -ENOMEM;
        r = plan_labels(cls, &ec);
        if (r < 0)
                goto fail;
        used = group->families[0].name != NULL;
        if (used) {
                r = class_add_member(&ec, 0, SIZE_MAX);
                if (r < 0)
                        goto fail;
        }
        for (size_t i = 0; i < n; i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                struct metric_kind kind;

                if (metric_kind_of(cls, prop, false, &kind) <= 0)
                        continue;
                r = plan_metric(group, &ec, i, &kind, taken);
                if (r < 0)
                        goto fail;
                if (r > 0)
                        r = group_want_property(group, glue_property_get_name(prop));
                if (r < 0)
                        goto fail;
                used = used || r > 0;
        }
        /* Every name it would have was taken: not worth asking its provider for. */
        if (!used) {
                export_class_clear(&ec, 0);
                return 0;
        }
        for (size_t i = 0; i < ec.n_labels; i++) {
                r = group_want_property(group, glue_property_get_name(
                        glue_class_get_property(cls, ec.labels[i].property_index)));
                if (r < 0)
                        goto fail;
        }
        classes = realloc(group->classes, (group->n_classes + 1) * sizeof(*classes));
        if (!classes) {
                r = -ENOMEM;
                goto fail;
        }
        group->classes = classes;
        classes[group->n_classes++] = ec;
        return 0;
fail:
        export_class_clear(&ec, 0);
        return r;
}

static int names_add(char ***names, size_t *n, const char *name)
{
        char **grown;

        for (size_t i = 0; i < *n; i++)
                if (strcmp((*names)[i], name) == 0)
                        return 0;
        grown = realloc(*names, (*n + 1) * sizeof(*grown));
        if (!grown)
                return -ENOMEM;
        *names = grown;
        grown[*n] = strdup(name);
        if (!grown[*n])
                return -ENOMEM;
        (*n)++;
        return 0;
}

static bool label_sets_equal(const struct export_label_set *a, const struct export_label_set *b)
{
        if (a->n_names != b->n_names || a->with_class != b->with_class)
                return false;
        for (size_t i = 0; i < a->n_names; i++)
                if (strcmp(a->names[i], b->names[i]) != 0)
                        return false;
        return true;
}

/*
 * Each family's labels: the union of its member classes' labels, so that every series of a
 * family has the same label names ("" where a class has no such label: Prometheus reads "" as
 * absent, and node_exporter's textfile collector would otherwise fill them in itself). Families
 * with the same names share a label set, formatted once per instance.
 */
static int plan_label_sets(struct export_group *group)
{
        for (size_t f = 0; f < group->n_families; f++) {
                struct export_label_set set = { .with_class = f == 0 };
                size_t found = SIZE_MAX;

                for (size_t c = 0; c < group->n_classes; c++) {
                        const struct export_class *ec = &group->classes[c];
                        bool member = false;

                        for (size_t m = 0; m < ec->n_members; m++)
                                member = member || ec->members[m].family == f;
                        for (size_t l = 0; member && l < ec->n_labels; l++)
                                if (names_add(&set.names, &set.n_names, ec->labels[l].name) < 0)
                                        goto enomem;
                }
                for (size_t s = 0; s < group->n_label_sets && found == SIZE_MAX; s++)
                        if (label_sets_equal(&group->label_sets[s], &set))
                                found = s;
                if (found != SIZE_MAX) {
                        for (size_t i = 0; i < set.n_names; i++)
                                free(set.names[i]);
                        free(set.names);
                } else {
                        struct export_label_set *sets = realloc(group->label_sets,
                                (group->n_label_sets + 1) * sizeof(*sets));

                        if (!sets)
                                goto enomem;
                        group->label_sets = sets;
                        found = group->n_label_sets;
                        sets[group->n_label_sets++] = set;
                }
                group->families[f].label_set = found;
                continue;
enomem:
                for (size_t i = 0; i < set.n_names; i++)
                        free(set.names[i]);
                free(set.names);
                return -ENOMEM;
        }
        for (size_t c = 0; c < group->n_classes; c++) {
                struct export_class *ec = &group->classes[c];

                ec->slots = calloc(group->n_label_sets, sizeof(*ec->slots));
                if (!ec->slots)
                        return -ENOMEM;
                for (size_t s = 0; s < group->n_label_sets; s++) {
                        const struct export_label_set *set = &group->label_sets[s];

                        ec->slots[s] = calloc(set->n_names ? set->n_names : 1, sizeof(**ec->slots));
                        if (!ec->slots[s])
                                return -ENOMEM;
                        for (size_t i = 0; i < set->n_names; i++) {
                                ec->slots[s][i] = SIZE_MAX;
                                for (size_t l = 0; l < ec->n_labels; l++)
                                        if (strcmp(ec->labels[l].name, set->names[i]) == 0)
                                                ec->slots[s][i] = l;
                        }
                }
        }
        return 0;
}

int export_plan_new(const struct glue_context *ctx, struct export_plan **ret)
{
        struct export_plan *plan = calloc(1, sizeof(*plan));
        struct name_set taken = { 0 };
        size_t n = glue_context_get_class_count(ctx), kept = 0;
        int r = 0;

        if (!plan)
                return -ENOMEM;
        for (size_t i = 0; i < n && r >= 0; i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);

                if (glue_class_get_provider(cls) && !glue_class_is_abstract(cls))
                        r = plan_class(plan, cls, &taken);
        }
        free(taken.names);
        /* A group whose classes all lost their names has nothing to enumerate. */
        for (size_t i = 0; i < plan->n_groups && r >= 0; i++) {
                if (plan->groups[i].n_classes == 0) {
                        export_group_clear(&plan->groups[i]);
                        continue;
                }
                plan->groups[kept++] = plan->groups[i];
        }
        if (r >= 0)
                plan->n_groups = kept;
        for (size_t i = 0; i < plan->n_groups && r >= 0; i++)
                r = plan_label_sets(&plan->groups[i]);
        if (r < 0) {
                export_plan_free(plan);
                return r;
        }
        *ret = plan;
        return 0;
}

void export_plan_free(struct export_plan *plan)
{
        if (!plan)
                return;
        for (size_t i = 0; i < plan->n_groups; i++)
                export_group_clear(&plan->groups[i]);
        free(plan->groups);
        free(plan);
}

void export_plan_list(const struct export_plan *plan, FILE *out)
{
        for (size_t g = 0; g < plan->n_groups; g++) {
                const struct export_group *group = &plan->groups[g];

                for (size_t f = 0; f < group->n_families; f++) {
                        const struct export_family *family = &group->families[f];
                        const struct export_label_set *set = &group->label_sets[family->label_set];

                        if (!family->name)
                                continue;
                        fprintf(out, "%s\t%s\t", family->name,
                                family->metric_type == EXPORT_COUNTER ? "counter" : "gauge");
                        for (size_t i = 0; i < set->n_names; i++)
                                fprintf(out, "%s%s", i ? "," : "", set->names[i]);
                        fprintf(out, "%s\n", set->with_class ? (set->n_names ? ",class" : "class") : "");
                }
        }
        for (size_t i = 0; i < sizeof(self_metrics) / sizeof(self_metrics[0]); i++)
                fprintf(out, "%s\t%s\t%s\n", self_metrics[i].name, self_metrics[i].type,
                        self_metrics[i].labels);
}
