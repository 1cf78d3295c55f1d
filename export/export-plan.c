/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The export plan: which metric families the schema defines. A property qualified
 * Metric("gauge") or Metric("counter") becomes the family
 * hwglue_<class>_<property>[_<unit>][_total], named after the class that declares it; key
 * properties and properties qualified Label become its labels. Nothing here is specific to a
 * provider: a new class with these qualifiers exports with no new code.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export.h"

/* The families export-format.c writes itself; no class may take their names. */
static const char *const self_metric_names[] = {
        "hwglue_collector_duration_seconds",
        "hwglue_collector_success",
        "hwglue_collector_instances",
};

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
        char **names;
        size_t count;
};

static bool name_set_contains(const struct name_set *set, const char *name)
{
        for (size_t i = 0; i < set->count; i++)
                if (strcmp(set->names[i], name) == 0)
                        return true;
        for (size_t i = 0; i < sizeof(self_metric_names) / sizeof(self_metric_names[0]); i++)
                if (strcmp(self_metric_names[i], name) == 0)
                        return true;
        return false;
}

static int name_set_add(struct name_set *set, char *name)
{
        char **names = realloc(set->names, (set->count + 1) * sizeof(*names));

        if (!names)
                return -ENOMEM;
        set->names = names;
        set->names[set->count++] = name;
        return 0;
}

static const char *qualifier_string(const struct glue_property *prop, const char *name)
{
        const struct glue_value *value;

        if (glue_property_get_qualifier(prop, name, &value) < 0 || value->is_array ||
            !glue_type_is_string(value->type))
                return NULL;
        return value->v.str;
}

static bool qualifier_is_true(const struct glue_property *prop, const char *name)
{
        const struct glue_value *value;

        if (glue_property_get_qualifier(prop, name, &value) < 0)
                return false;
        return value->is_array || value->type != GLUE_TYPE_BOOLEAN || value->v.b;
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
}

static char *metric_name(const char *class_snake, const struct glue_property *prop,
                         const char *suffix, enum export_metric_type metric_type)
{
        char *prop_snake = export_snake_case(glue_property_get_name(prop)), *name = NULL;
        bool add_suffix, add_total;

        if (!prop_snake)
                return NULL;
        if (suffix && strcmp(suffix, "ratio") == 0) {
                drop_last_word(prop_snake, "percent");
                drop_last_word(prop_snake, "percentage");
        }
        /* "ReadBytes" in Bytes is read_bytes, not read_bytes_bytes. */
        add_suffix = suffix && !ends_with_word(prop_snake, suffix);
        add_total = metric_type == EXPORT_COUNTER && !ends_with_word(prop_snake, "total");
        if (asprintf(&name, "hwglue_%s_%s%s%s%s", class_snake, prop_snake, add_suffix ? "_" : "",
                     add_suffix ? suffix : "", add_total ? "_total" : "") < 0)
                name = NULL;
        free(prop_snake);
        return name;
}

static char *metric_help(const struct glue_class *cls, const struct glue_property *prop,
                         bool as_ratio)
{
        const char *description = qualifier_string(prop, "Description");
        const char *note = as_ratio ? " (as a ratio, 0 to 1)" : "";
        char *help = NULL;
        int r;

        if (description)
                r = asprintf(&help, "%s%s", description, note);
        else
                r = asprintf(&help, "%s.%s%s", glue_class_get_name(cls), glue_property_get_name(prop),
                             note);
        return r < 0 ? NULL : help;
}

struct metric_kind {
        enum export_metric_type type;
        const char *suffix;      /* NULL: none */
        bool as_ratio;
};

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
                        fprintf(stderr, "hwglue-export: %s.%s: Metric on a %s%s property, not "
                                "exported\n", glue_class_get_name(cls), glue_property_get_name(prop),
                                glue_type_name(type), glue_property_is_array(prop) ? " array" : "");
                return 0;
        }
        if (strcasecmp(metric, "counter") == 0)
                kind->type = EXPORT_COUNTER;
        else if (strcasecmp(metric, "gauge") != 0) {
                if (warn)
                        fprintf(stderr, "hwglue-export: %s.%s: unknown Metric(\"%s\"), not "
                                "exported\n", glue_class_get_name(cls),
                                glue_property_get_name(prop), metric);
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
                        fprintf(stderr, "hwglue-export: %s.%s: unknown Units(\"%s\"), exported "
                                "without a unit suffix\n", glue_class_get_name(cls),
                                glue_property_get_name(prop), units);
                return 1;
        }
        kind->suffix = unit_table[i].suffix;
        kind->as_ratio = unit_table[i].as_ratio;
        return 1;
}

/* Does cls have a metric to export? Says why each one it cannot export is left out. */
static bool class_has_metrics(const struct glue_class *cls)
{
        size_t n = glue_class_get_property_count(cls);
        struct metric_kind kind;
        bool found = false;

        for (size_t i = 0; i < n; i++)
                if (metric_kind_of(cls, glue_class_get_property(cls, i), true, &kind) > 0)
                        found = true;
        return found;
}

static void export_class_clear(struct export_class *ec)
{
        for (size_t i = 0; i < ec->n_labels; i++)
                free(ec->labels[i].name);
        free(ec->labels);
        free(ec->info_name);
}

static void export_family_clear(struct export_family *family)
{
        for (size_t i = 0; i < family->n_label_names; i++)
                free(family->label_names[i]);
        free(family->label_names);
        free(family->members);
        free(family->name);
        free(family->help);
}

static int plan_labels(const struct glue_class *cls, struct export_class *ec)
{
        size_t n = glue_class_get_property_count(cls);

        ec->labels = calloc(n ? n : 1, sizeof(*ec->labels));
        if (!ec->labels)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                char *name;
                bool duplicate = false;

                if (!glue_property_is_key(prop) && !qualifier_is_true(prop, "Label"))
                        continue;
                name = export_snake_case(glue_property_get_name(prop));
                if (!name)
                        return -ENOMEM;
                for (size_t j = 0; j < ec->n_labels; j++)
                        duplicate = duplicate || strcmp(ec->labels[j].name, name) == 0;
                /* Names starting with __ are Prometheus's own. */
                if (duplicate || strncmp(name, "__", 2) == 0) {
                        fprintf(stderr, "hwglue-export: %s.%s: label name %s is taken\n",
                                glue_class_get_name(cls), glue_property_get_name(prop), name);
                        free(name);
                        continue;
                }
                ec->labels[ec->n_labels].property_index = i;
                ec->labels[ec->n_labels++].name = name;
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

/* Add a concrete class, its labels and its _info name to the group. */
static int group_add_class(struct export_group *group, const struct glue_class *cls,
                           struct name_set *taken)
{
        struct export_class ec = { .cls = cls }, *classes;
        char *class_snake = export_class_snake_name(glue_class_get_name(cls));
        int r = -ENOMEM;

        if (!class_snake || asprintf(&ec.info_name, "hwglue_%s_info", class_snake) < 0) {
                ec.info_name = NULL;
                goto fail;
        }
        r = plan_labels(cls, &ec);
        if (r < 0)
                goto fail;
        for (size_t i = 0; i < ec.n_labels; i++) {
                r = group_want_property(group, glue_property_get_name(
                        glue_class_get_property(cls, ec.labels[i].property_index)));
                if (r < 0)
                        goto fail;
        }
        r = -ENOMEM;
        if (name_set_contains(taken, ec.info_name)) {
                fprintf(stderr, "hwglue-export: %s: metric %s is already exported, skipped\n",
                        glue_class_get_name(cls), ec.info_name);
                free(ec.info_name);
                ec.info_name = NULL;
        } else if (name_set_add(taken, ec.info_name) < 0)
                goto fail;
        classes = realloc(group->classes, (group->n_classes + 1) * sizeof(*classes));
        if (!classes)
                goto fail;
        group->classes = classes;
        group->classes[group->n_classes++] = ec;
        free(class_snake);
        return 0;
fail:
        export_class_clear(&ec);
        free(class_snake);
        return r;
}

static int family_add_labels(struct export_family *family, const struct export_class *ec)
{
        for (size_t i = 0; i < ec->n_labels; i++) {
                char **names;
                bool present = false;

                for (size_t j = 0; j < family->n_label_names; j++)
                        present = present || strcmp(family->label_names[j], ec->labels[i].name) == 0;
                if (present)
                        continue;
                names = realloc(family->label_names, (family->n_label_names + 1) * sizeof(*names));
                if (!names)
                        return -ENOMEM;
                family->label_names = names;
                names[family->n_label_names] = strdup(ec->labels[i].name);
                if (!names[family->n_label_names])
                        return -ENOMEM;
                family->n_label_names++;
        }
        return 0;
}

static int family_add_member(struct export_family *family, const struct export_group *group,
                             size_t class_index, size_t property_index)
{
        struct export_member *members = realloc(family->members,
                                                (family->n_members + 1) * sizeof(*members));
        int r;

        if (!members)
                return -ENOMEM;
        family->members = members;
        members[family->n_members++] = (struct export_member) {
                .class_index = class_index,
                .property_index = property_index,
        };
        r = family_add_labels(family, &group->classes[class_index]);
        return r < 0 ? r : 1;
}

/*
 * The family of the group's last class's property: the one its declaring class's name gives,
 * joined or made; 1 if the property is in it, 0 if the name is taken. A declaring class above the group (a schema base class with no provider)
 * would share the name with other groups, enumerated apart: the group's root names it then.
 */
static int plan_metric(struct export_group *group, size_t property_index,
                       const struct metric_kind *kind, struct name_set *taken)
{
        size_t class_index = group->n_classes - 1;
        const struct glue_class *cls = group->classes[class_index].cls;
        const struct glue_property *prop = glue_class_get_property(cls, property_index);
        const struct glue_class *origin = glue_property_get_class_origin(prop);
        struct export_family family = { .metric_type = kind->type, .as_ratio = kind->as_ratio };
        struct export_family *families;
        char *class_snake;
        int r;

        if (!origin || !glue_class_is_a(origin, group->root))
                origin = group->root;
        class_snake = export_class_snake_name(glue_class_get_name(origin));
        if (!class_snake)
                return -ENOMEM;
        family.name = metric_name(class_snake, prop, kind->suffix, kind->type);
        free(class_snake);
        if (!family.name)
                return -ENOMEM;

        for (size_t i = 0; i < group->n_families; i++) {
                struct export_family *same = &group->families[i];

                if (strcmp(same->name, family.name) != 0)
                        continue;
                free(family.name);
                if (same->metric_type != kind->type || same->as_ratio != kind->as_ratio) {
                        fprintf(stderr, "hwglue-export: %s.%s: metric %s is already exported "
                                "with another type, skipped\n", glue_class_get_name(cls),
                                glue_property_get_name(prop), same->name);
                        return 0;
                }
                return family_add_member(same, group, class_index, property_index);
        }
        if (name_set_contains(taken, family.name)) {
                fprintf(stderr, "hwglue-export: %s.%s: metric %s is already exported, skipped\n",
                        glue_class_get_name(cls), glue_property_get_name(prop), family.name);
                free(family.name);
                return 0;
        }
        family.help = metric_help(origin, prop, kind->as_ratio);
        families = realloc(group->families, (group->n_families + 1) * sizeof(*families));
        if (!family.help || !families) {
                if (families)
                        group->families = families;
                export_family_clear(&family);
                return -ENOMEM;
        }
        group->families = families;
        families[group->n_families++] = family;
        r = name_set_add(taken, family.name);
        if (r < 0)
                return r;
        return family_add_member(&families[group->n_families - 1], group, class_index,
                                 property_index);
}

static const struct glue_class *topmost_provided_class(const struct glue_class *cls)
{
        const struct glue_class *super;

        while ((super = glue_class_get_superclass(cls)) && glue_class_get_provider(super))
                cls = super;
        return cls;
}

static struct export_group *find_or_add_group(struct export_plan *plan,
                                              const struct glue_class *root)
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
        return &groups[plan->n_groups++];
}

static int plan_class(struct export_plan *plan, const struct glue_class *cls,
                      struct name_set *taken)
{
        size_t n = glue_class_get_property_count(cls);
        struct export_group *group;
        bool used;
        int r;

        if (!class_has_metrics(cls))
                return 0;
        group = find_or_add_group(plan, topmost_provided_class(cls));
        if (!group)
                return -ENOMEM;
        r = group_add_class(group, cls, taken);
        if (r < 0)
                return r;
        used = group->classes[group->n_classes - 1].info_name != NULL;
        for (size_t i = 0; i < n; i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                struct metric_kind kind;

                if (metric_kind_of(cls, prop, false, &kind) <= 0)
                        continue;
                r = group_want_property(group, glue_property_get_name(prop));
                if (r < 0)
                        return r;
                r = plan_metric(group, i, &kind, taken);
                if (r < 0)
                        return r;
                used = used || r > 0;
        }
        /* Every name it would have was taken: not worth asking its provider for. */
        if (!used) {
                export_class_clear(&group->classes[--group->n_classes]);
                if (group->n_classes == 0) {
                        free(group->classes);
                        free(group->properties);
                        plan->n_groups--;
                }
        }
        return 0;
}

int export_plan_new(const struct glue_context *ctx, struct export_plan **ret)
{
        struct export_plan *plan = calloc(1, sizeof(*plan));
        struct name_set taken = { 0 };
        size_t n = glue_context_get_class_count(ctx);
        int r = 0;

        if (!plan)
                return -ENOMEM;
        for (size_t i = 0; i < n && r >= 0; i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);

                if (glue_class_get_provider(cls) && !glue_class_is_abstract(cls))
                        r = plan_class(plan, cls, &taken);
        }
        free(taken.names);
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
        for (size_t i = 0; i < plan->n_groups; i++) {
                struct export_group *group = &plan->groups[i];

                for (size_t j = 0; j < group->n_classes; j++)
                        export_class_clear(&group->classes[j]);
                for (size_t j = 0; j < group->n_families; j++)
                        export_family_clear(&group->families[j]);
                free(group->classes);
                free(group->families);
                free(group->properties);
        }
        free(plan->groups);
        free(plan);
}
