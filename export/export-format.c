/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Enumerate the planned classes and write the text exposition format. The text format wants
 * all samples of a family together under one HELP and TYPE, so the instances of one group are
 * gathered first, then written family by family.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"

struct instance_list {
        struct glue_instance **items;
        size_t count;
        size_t capacity;
};

struct group_instances {
        const struct export_group *group;
        struct instance_list *per_class; /* parallel to group->classes */
        int error;
};

/* What one provider did in this export; a provider may serve several groups. */
struct collector {
        char *provider;
        uint64_t usec;
        uint64_t instances;
        bool success;
};

struct collectors {
        struct collector *items;
        size_t count;
};

static int instance_list_add(struct instance_list *list, struct glue_instance *inst)
{
        if (list->count == list->capacity) {
                size_t capacity = list->capacity ? 2 * list->capacity : 16;
                struct glue_instance **items = realloc(list->items, capacity * sizeof(*items));

                if (!items)
                        return -ENOMEM;
                list->items = items;
                list->capacity = capacity;
        }
        list->items[list->count++] = glue_instance_ref(inst);
        return 0;
}

static int gather_instance(struct glue_instance *inst, void *userdata)
{
        struct group_instances *gathered = userdata;
        const struct glue_class *cls = glue_instance_get_class(inst);

        /* Deep enumeration posts each device once, as its most derived class: a device goes
         * to the families of exactly that class, never also to those of its superclasses. */
        for (size_t i = 0; i < gathered->group->n_classes; i++) {
                if (gathered->group->classes[i].cls != cls)
                        continue;
                if (instance_list_add(&gathered->per_class[i], inst) < 0) {
                        gathered->error = -ENOMEM;
                        return GLUE_STOP;
                }
                break;
        }
        return 0;
}

struct keyed_instance {
        char *path;
        size_t index;
};

static int compare_keyed(const void *a, const void *b)
{
        const struct keyed_instance *x = a, *y = b;
        int r = strcmp(x->path, y->path);

        return r ? r : x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Two instances of one class with the same keys (a provider that posts a device twice, two hwmon
 * chips that libsensors names alike) would write every series of theirs twice, and
 * node_exporter's textfile collector rejects the whole file for that. Keep the first of each,
 * in arrival order, and say on stderr which keys came again.
 */
static int drop_repeated_instances(struct instance_list *list)
{
        size_t n = list->count, kept = 0;
        struct keyed_instance *keyed;
        bool *repeated;
        int r = 0;

        if (n < 2)
                return 0;
        keyed = calloc(n, sizeof(*keyed));
        repeated = calloc(n, sizeof(*repeated));
        if (!keyed || !repeated) {
                r = -ENOMEM;
                goto out;
        }
        for (size_t i = 0; i < n; i++) {
                keyed[i].index = i;
                r = glue_instance_get_path(list->items[i], &keyed[i].path);
                if (r < 0)
                        goto out;
        }
        qsort(keyed, n, sizeof(*keyed), compare_keyed);
        for (size_t i = 1; i < n; i++) {
                if (strcmp(keyed[i - 1].path, keyed[i].path) != 0)
                        continue;
                repeated[keyed[i].index] = true;
                fputs("hwglue-export: ", stderr);
                export_write_log_text(stderr, keyed[i].path);
                fputs(": posted again; the repeat is left out\n", stderr);
        }
        for (size_t i = 0; i < n; i++) {
                if (repeated[i])
                        glue_instance_unref(list->items[i]);
                else
                        list->items[kept++] = list->items[i];
        }
        list->count = kept;
out:
        for (size_t i = 0; keyed && i < n; i++)
                free(keyed[i].path);
        free(keyed);
        free(repeated);
        return r;
}

static void write_value_text(FILE *out, const struct glue_value *value, size_t i)
{
        char buf[64];

        switch (value->type) {
        case GLUE_TYPE_BOOLEAN:
                fputs((value->is_array ? value->v.b_array[i] : value->v.b) ? "true" : "false", out);
                break;
        case GLUE_TYPE_STRING:
        case GLUE_TYPE_DATETIME:
        case GLUE_TYPE_REFERENCE: /* an object path, as text */
                export_write_label_value(out, value->is_array ? value->v.str_array[i] : value->v.str);
                break;
        case GLUE_TYPE_REAL32:
        case GLUE_TYPE_REAL64:
                export_format_double(value->is_array ? value->v.r_array[i] : value->v.r,
                                     value->type == GLUE_TYPE_REAL32, buf, sizeof(buf));
                fputs(buf, out);
                break;
        default:
                if (glue_type_is_signed(value->type))
                        fprintf(out, "%" PRId64, value->is_array ? value->v.s_array[i] : value->v.s);
                else
                        fprintf(out, "%" PRIu64, value->is_array ? value->v.u_array[i] : value->v.u);
                break;
        }
}

static void write_label_value(FILE *out, const struct export_class *ec, size_t label,
                              const struct glue_instance *inst)
{
        const struct glue_value *value;

        if (glue_instance_get_value_at(inst, ec->labels[label].property_index, &value) < 0)
                return;
        /* A list (of names, say) reads best as one comma-separated value. */
        for (size_t j = 0; j < (value->is_array ? value->count : 1); j++) {
                if (j > 0)
                        fputc(',', out);
                write_value_text(out, value, j);
        }
}

/*
 * {name="value",...} with every label name of the family (names), or of the class (names
 * NULL), "" where the instance has no value or its class no such label: Prometheus reads ""
 * as absent, and a family keeps one set of label names (node_exporter's textfile collector
 * would otherwise fill them in itself).
 */
static void write_labels(FILE *out, const struct export_class *ec, char *const *names,
                         size_t n_names, const struct glue_instance *inst)
{
        if (!names)
                n_names = ec->n_labels;
        for (size_t i = 0; i < n_names; i++) {
                const char *name = names ? names[i] : ec->labels[i].name;

                fprintf(out, "%s%s=\"", i > 0 ? "," : "{", name);
                for (size_t j = 0; j < ec->n_labels; j++)
                        if (strcmp(ec->labels[j].name, name) == 0)
                                write_label_value(out, ec, j, inst);
                fputc('"', out);
        }
        if (n_names > 0)
                fputc('}', out);
}

static void write_family_header(FILE *out, const char *name, const char *help,
                                enum export_metric_type type)
{
        fprintf(out, "# HELP %s ", name);
        export_write_help_text(out, help);
        fprintf(out, "\n# TYPE %s %s\n", name, type == EXPORT_COUNTER ? "counter" : "gauge");
}

/*
 * Divide the decimal text of a number by 10^digits, exactly: "45.3" -> "45.3e-2", which reads
 * back as the double nearest 0.453. Dividing the double by 100 instead would give the double
 * nearest 45.29999999999999715/100, which may print as 0.45299999999999996.
 */
static void shift_decimal(char *buf, size_t size, int digits)
{
        char mantissa[64], shifted[128], *e;
        long exponent = 0;

        if (strcmp(buf, "NaN") == 0 || strcmp(buf, "+Inf") == 0 || strcmp(buf, "-Inf") == 0)
                return;
        snprintf(mantissa, sizeof(mantissa), "%s", buf);
        e = strchr(mantissa, 'e');
        if (e) {
                exponent = strtol(e + 1, NULL, 10);
                *e = '\0';
        }
        snprintf(shifted, sizeof(shifted), "%se%ld", mantissa, exponent - digits);
        export_format_double(strtod(shifted, NULL), false, buf, size);
}

/* The sample value of a metric property, or false if it has none (NULL, not fetched). */
static bool metric_value_text(const struct export_family *family, size_t property_index,
                              const struct glue_instance *inst, char *buf, size_t size)
{
        const struct glue_value *value;

        if (glue_instance_get_value_at(inst, property_index, &value) < 0 || value->is_array)
                return false;
        if (value->type == GLUE_TYPE_BOOLEAN)
                snprintf(buf, size, "%d", value->v.b ? 1 : 0);
        else if (glue_type_is_real(value->type))
                export_format_double(value->v.r, value->type == GLUE_TYPE_REAL32, buf, size);
        else if (glue_type_is_signed(value->type))
                snprintf(buf, size, "%" PRId64, value->v.s);
        else
                snprintf(buf, size, "%" PRIu64, value->v.u);
        if (family->as_ratio)
                shift_decimal(buf, size, 2);
        return true;
}

static void write_info(FILE *out, const struct export_class *ec, const struct instance_list *list)
{
        char help[512];

        if (!ec->info_name || list->count == 0)
                return;
        snprintf(help, sizeof(help), "The labels that identify each %s; always 1.",
                 glue_class_get_name(ec->cls));
        write_family_header(out, ec->info_name, help, EXPORT_GAUGE);
        for (size_t i = 0; i < list->count; i++) {
                fputs(ec->info_name, out);
                write_labels(out, ec, NULL, 0, list->items[i]);
                fputs(" 1\n", out);
        }
}

/* One family: the samples of all its member classes' instances, under one HELP and TYPE. */
static void write_family(FILE *out, const struct export_group *group,
                         const struct export_family *family, const struct instance_list *per_class)
{
        bool header = false;
        char buf[64];

        for (size_t m = 0; m < family->n_members; m++) {
                const struct export_member *member = &family->members[m];
                const struct export_class *ec = &group->classes[member->class_index];
                const struct instance_list *list = &per_class[member->class_index];

                for (size_t i = 0; i < list->count; i++) {
                        if (!metric_value_text(family, member->property_index, list->items[i],
                                               buf, sizeof(buf)))
                                continue;
                        if (!header)
                                write_family_header(out, family->name, family->help,
                                                    family->metric_type);
                        header = true;
                        fputs(family->name, out);
                        write_labels(out, ec, family->label_names, family->n_label_names,
                                     list->items[i]);
                        fprintf(out, " %s\n", buf);
                }
        }
}

static struct collector *find_or_add_collector(struct collectors *collectors, const char *provider)
{
        struct collector *items;
        char *name;

        for (size_t i = 0; i < collectors->count; i++)
                if (strcmp(collectors->items[i].provider, provider) == 0)
                        return &collectors->items[i];
        items = realloc(collectors->items, (collectors->count + 1) * sizeof(*items));
        if (!items)
                return NULL;
        collectors->items = items;
        /* A copy: the status is the request's, and the request ends with its group. */
        name = strdup(provider);
        if (!name)
                return NULL;
        items[collectors->count] = (struct collector) { .provider = name, .success = true };
        return &items[collectors->count++];
}

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Account for what each provider of the group did, and say why one failed. */
static int record_collectors(struct collectors *collectors, const struct export_group *group,
                             struct glue_request *req, int enumerate_result, uint64_t usec)
{
        size_t n = glue_request_get_provider_count(req);
        struct collector *collector;

        for (size_t i = 0; i < n; i++) {
                struct glue_provider_status status;
                const char *provider;

                if (glue_request_get_provider_status(req, i, &status) < 0)
                        continue;
                provider = status.provider ? status.provider : group->provider;
                collector = find_or_add_collector(collectors, provider);
                if (!collector)
                        return -ENOMEM;
                collector->usec += status.usec;
                collector->instances += status.instances;
                if (status.error == 0 && status.finished)
                        continue;
                collector->success = false;
                fprintf(stderr, "hwglue-export: provider %s (%s): %s%s", provider,
                        status.class_name ? status.class_name : glue_class_get_name(group->root),
                        glue_strerror(status.error ? status.error : -ETIMEDOUT),
                        status.message ? ": " : "");
                export_write_log_text(stderr, status.message ? status.message : "");
                fputc('\n', stderr);
        }
        if (enumerate_result >= 0 || n > 0)
                return 0;
        /* Nothing ran at all (no provider registered under that name, say): it still has to
         * show up as a failed collection. */
        collector = find_or_add_collector(collectors, group->provider);
        if (!collector)
                return -ENOMEM;
        collector->usec += usec;
        collector->success = false;
        fprintf(stderr, "hwglue-export: %s (provider %s): %s\n", glue_class_get_name(group->root),
                group->provider, glue_strerror(enumerate_result));
        return 0;
}

static int export_group(struct glue_context *ctx, const struct export_group *group,
                        const struct export_options *options, struct collectors *collectors,
                        FILE *out)
{
        struct group_instances gathered = { .group = group };
        struct glue_request *req = NULL;
        uint64_t start;
        int r;

        gathered.per_class = calloc(group->n_classes, sizeof(*gathered.per_class));
        if (!gathered.per_class)
                return -ENOMEM;
        r = glue_request_new(ctx, &req);
        if (r < 0)
                goto out;
        r = glue_request_set_properties(req, group->properties, group->n_properties);
        if (r < 0)
                goto out;
        glue_request_set_timeout(req, options->timeout_usec);

        start = now_usec();
        r = glue_request_enumerate(req, glue_class_get_name(group->root), gather_instance,
                                   &gathered);
        if (gathered.error < 0) {
                r = gathered.error;
                goto out;
        }
        r = record_collectors(collectors, group, req, r, now_usec() - start);
        if (r < 0)
                goto out;
        for (size_t i = 0; i < group->n_classes && r >= 0; i++)
                r = drop_repeated_instances(&gathered.per_class[i]);
        if (r < 0)
                goto out;
        for (size_t i = 0; i < group->n_classes; i++)
                write_info(out, &group->classes[i], &gathered.per_class[i]);
        for (size_t i = 0; i < group->n_families; i++)
                write_family(out, group, &group->families[i], gathered.per_class);
out:
        for (size_t i = 0; i < group->n_classes; i++) {
                for (size_t j = 0; j < gathered.per_class[i].count; j++)
                        glue_instance_unref(gathered.per_class[i].items[j]);
                free(gathered.per_class[i].items);
        }
        free(gathered.per_class);
        glue_request_unref(req);
        return r;
}

static void write_collectors(FILE *out, const struct collectors *collectors)
{
        char buf[64];

        if (collectors->count == 0)
                return;
        write_family_header(out, "hwglue_collector_duration_seconds",
                            "Time each provider took to enumerate its classes in this export.",
                            EXPORT_GAUGE);
        for (size_t i = 0; i < collectors->count; i++) {
                export_format_double((double)collectors->items[i].usec / 1e6, false, buf,
                                     sizeof(buf));
                fputs("hwglue_collector_duration_seconds{provider=\"", out);
                export_write_label_value(out, collectors->items[i].provider);
                fprintf(out, "\"} %s\n", buf);
        }
        write_family_header(out, "hwglue_collector_success",
                            "1 if the provider enumerated without error in this export, 0 if it "
                            "failed or ran out of time.", EXPORT_GAUGE);
        for (size_t i = 0; i < collectors->count; i++) {
                fputs("hwglue_collector_success{provider=\"", out);
                export_write_label_value(out, collectors->items[i].provider);
                fprintf(out, "\"} %d\n", collectors->items[i].success ? 1 : 0);
        }
        write_family_header(out, "hwglue_collector_instances",
                            "Instances the provider delivered in this export.", EXPORT_GAUGE);
        for (size_t i = 0; i < collectors->count; i++) {
                fputs("hwglue_collector_instances{provider=\"", out);
                export_write_label_value(out, collectors->items[i].provider);
                fprintf(out, "\"} %" PRIu64 "\n", collectors->items[i].instances);
        }
}

int export_format(struct glue_context *ctx, const struct export_plan *plan,
                  const struct export_options *options, FILE *out)
{
        struct collectors collectors = { 0 };
        int r = 0;

        for (size_t i = 0; i < plan->n_groups && r >= 0; i++)
                r = export_group(ctx, &plan->groups[i], options, &collectors, out);
        if (r >= 0)
                write_collectors(out, &collectors);
        for (size_t i = 0; i < collectors.count; i++)
                free(collectors.items[i].provider);
        free(collectors.items);
        if (r < 0)
                return r;
        return ferror(out) ? -EIO : 0;
}
