/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The export plan: which metric families the schema defines. A property qualified
 * Metric("gauge") or Metric("counter") becomes the family
 * hwglue_<class>_<property>[_<unit>][_total] of each concrete class that has it; key properties
 * and properties qualified Label become its labels. Nothing here is specific to a provider: a
 * new class with these qualifiers exports with no new code.
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

struct name_set {
        char **names;            /* borrowed from the plan */
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

/* Fill metric from prop if prop is a metric; 1 if it is, 0 if not, -ENOMEM. */
static int plan_metric(const struct glue_class *cls, const char *class_snake, size_t index,
                       struct export_metric *metric)
{
        const struct glue_property *prop = glue_class_get_property(cls, index);
        const char *kind = qualifier_string(prop, "Metric");
        const char *units = qualifier_string(prop, "Units"), *suffix = NULL;
        enum glue_type type = glue_property_get_type(prop);
        bool as_ratio = false;

        if (!kind)
                return 0;
        if (glue_property_is_array(prop) ||
            !(type == GLUE_TYPE_BOOLEAN || glue_type_is_signed(type) ||
              glue_type_is_unsigned(type) || glue_type_is_real(type))) {
                fprintf(stderr, "hwglue-export: %s.%s: Metric on a %s%s property, not exported\n",
                        glue_class_get_name(cls), glue_property_get_name(prop), glue_type_name(type),
                        glue_property_is_array(prop) ? " array" : "");
                return 0;
        }
        if (strcasecmp(kind, "counter") == 0)
                metric->metric_type = EXPORT_COUNTER;
        else if (strcasecmp(kind, "gauge") == 0)
                metric->metric_type = EXPORT_GAUGE;
        else {
                fprintf(stderr, "hwglue-export: %s.%s: unknown Metric(\"%s\"), not exported\n",
                        glue_class_get_name(cls), glue_property_get_name(prop), kind);
                return 0;
        }

        /* Alarms and faults are states, 0 or 1: no unit, whatever the schema says. */
        if (type == GLUE_TYPE_BOOLEAN)
                metric->metric_type = EXPORT_GAUGE;
        else if (units) {
                size_t i, n = sizeof(unit_table) / sizeof(unit_table[0]);

                for (i = 0; i < n; i++)
                        if (strcasecmp(units, unit_table[i].units) == 0)
                                break;
                if (i < n) {
                        suffix = unit_table[i].suffix;
                        as_ratio = unit_table[i].as_ratio;
                } else
                        fprintf(stderr, "hwglue-export: %s.%s: unknown Units(\"%s\"), exported "
                                "without a unit suffix\n", glue_class_get_name(cls),
                                glue_property_get_name(prop), units);
        }

        metric->property_index = index;
        metric->type = type;
        metric->as_ratio = as_ratio;
        metric->name = metric_name(class_snake, prop, suffix, metric->metric_type);
        metric->help = metric_help(cls, prop, as_ratio);
        if (!metric->name || !metric->help) {
                free(metric->name);
                free(metric->help);
                return -ENOMEM;
        }
        return 1;
}

static void export_class_clear(struct export_class *ec)
{
        for (size_t i = 0; i < ec->n_labels; i++)
                free(ec->labels[i].name);
        for (size_t i = 0; i < ec->n_metrics; i++) {
                free(ec->metrics[i].name);
                free(ec->metrics[i].help);
        }
        free(ec->labels);
        free(ec->metrics);
        free(ec->info_name);
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

/* Plan one concrete class: 1 if it has metrics, 0 if not, -ENOMEM. */
static int plan_class(const struct glue_class *cls, struct name_set *taken, struct export_class *ec)
{
        size_t n = glue_class_get_property_count(cls);
        char *class_snake = export_class_snake_name(glue_class_get_name(cls));
        int r = -ENOMEM;

        *ec = (struct export_class) { .cls = cls };
        if (!class_snake)
                return -ENOMEM;
        ec->metrics = calloc(n ? n : 1, sizeof(*ec->metrics));
        if (!ec->metrics)
                goto fail;
        for (size_t i = 0; i < n; i++) {
                struct export_metric *metric = &ec->metrics[ec->n_metrics];
                bool duplicate;

                r = plan_metric(cls, class_snake, i, metric);
                if (r < 0)
                        goto fail;
                if (r == 0)
                        continue;
                duplicate = name_set_contains(taken, metric->name);
                for (size_t j = 0; j < ec->n_metrics; j++)
                        duplicate = duplicate || strcmp(ec->metrics[j].name, metric->name) == 0;
                if (duplicate) {
                        fprintf(stderr, "hwglue-export: %s.%s: metric %s is already exported, "
                                "skipped\n", glue_class_get_name(cls),
                                glue_property_get_name(glue_class_get_property(cls, i)),
                                metric->name);
                        free(metric->name);
                        free(metric->help);
                        continue;
                }
                ec->n_metrics++;
        }
        if (ec->n_metrics == 0) {
                r = 0;
                goto fail;
        }
        r = -ENOMEM;
        if (asprintf(&ec->info_name, "hwglue_%s_info", class_snake) < 0) {
                ec->info_name = NULL;
                goto fail;
        }
        r = plan_labels(cls, ec);
        if (r < 0)
                goto fail;
        /* Claim the names last, so that a class that failed claims none. */
        if (name_set_contains(taken, ec->info_name)) {
                free(ec->info_name);
                ec->info_name = NULL;
        }
        for (size_t i = 0; i < ec->n_metrics; i++)
                if (name_set_add(taken, ec->metrics[i].name) < 0)
                        goto fail;
        if (ec->info_name && name_set_add(taken, ec->info_name) < 0)
                goto fail;
        free(class_snake);
        return 1;
fail:
        export_class_clear(ec);
        free(class_snake);
        return r;
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

/* Takes ec over, also on failure. */
static int group_add_class(struct export_group *group, struct export_class *ec)
{
        struct export_class *classes = realloc(group->classes,
                                               (group->n_classes + 1) * sizeof(*classes));
        int r;

        if (!classes) {
                export_class_clear(ec);
                return -ENOMEM;
        }
        group->classes = classes;
        group->classes[group->n_classes++] = *ec;
        /* Ask the provider for these only: an export never pays for Expensive properties. */
        for (size_t i = 0; i < ec->n_metrics; i++) {
                r = group_want_property(group, glue_property_get_name(
                        glue_class_get_property(ec->cls, ec->metrics[i].property_index)));
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < ec->n_labels; i++) {
                r = group_want_property(group, glue_property_get_name(
                        glue_class_get_property(ec->cls, ec->labels[i].property_index)));
                if (r < 0)
                        return r;
        }
        return 0;
}

int export_plan_new(const struct glue_context *ctx, struct export_plan **ret)
{
        struct export_plan *plan = calloc(1, sizeof(*plan));
        struct name_set taken = { 0 };
        size_t n = glue_context_get_class_count(ctx);
        int r = -ENOMEM;

        if (!plan)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);
                struct export_group *group;
                struct export_class ec;

                if (!glue_class_get_provider(cls) || glue_class_is_abstract(cls))
                        continue;
                r = plan_class(cls, &taken, &ec);
                if (r < 0)
                        goto fail;
                if (r == 0)
                        continue;
                group = find_or_add_group(plan, topmost_provided_class(cls));
                if (!group) {
                        export_class_clear(&ec);
                        r = -ENOMEM;
                        goto fail;
                }
                r = group_add_class(group, &ec);
                if (r < 0)
                        goto fail;
        }
        free(taken.names);
        *ret = plan;
        return 0;
fail:
        free(taken.names);
        export_plan_free(plan);
        return r;
}

void export_plan_free(struct export_plan *plan)
{
        if (!plan)
                return;
        for (size_t i = 0; i < plan->n_groups; i++) {
                for (size_t j = 0; j < plan->groups[i].n_classes; j++)
                        export_class_clear(&plan->groups[i].classes[j]);
                free(plan->groups[i].classes);
                free(plan->groups[i].properties);
        }
        free(plan->groups);
        free(plan);
}
