/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The commands that ask providers for instances: inventory, enum, get, query. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "columns.h"
#include "hwglue.h"
#include "output.h"
#include "query-parser.h"

/* Errors that mean the command line asked for something that is not there or not valid. */
static bool is_usage_error(int r)
{
        return r == -ESRCH || r == -ENXIO || r == -EINVAL || r == -EBADMSG || r == -EILSEQ ||
               r == -EPROTO;
}

/*
 * The exit code of a request that returned r, after naming the providers that failed: found,
 * none found, partial (r > 0, -ETIMEDOUT, or a provider's error), usage or other error.
 */
static int request_outcome(struct output *out, const struct glue_request *req, int r,
                           unsigned long instances_before)
{
        unsigned failed;
        const char *error;

        if (r == -ECANCELED && output_is_closed(out))
                return EXIT_FOUND; /* the reader had what it wanted (| head -1) */
        failed = output_report_providers(out, req);
        if (r < 0 && r != -ETIMEDOUT && r != -ECANCELED) {
                error = glue_request_get_error(req);
                output_message(out, "error", "%s", error ? error : glue_strerror(r));
                return is_usage_error(r) ? EXIT_USAGE : EXIT_ERROR;
        }
        if (r == -ECANCELED)
                return EXIT_ERROR; /* the output failed; output_finish says why */
        if (r == -ETIMEDOUT && failed == 0)
                output_message(out, "error", "the request timed out");
        if (r == -ETIMEDOUT || r > 0 || failed > 0)
                return EXIT_PARTIAL;
        return output_get_instance_count(out) > instances_before ? EXIT_FOUND : EXIT_NONE_FOUND;
}

static int find_class(struct glue_context *ctx, const struct options *opts, const char *name,
                      struct output *out, const struct glue_class **ret)
{
        int r = glue_context_find_class(ctx, opts->name_space, name, ret);

        if (r == -ENXIO)
                output_message(out, "error", "no namespace '%s'", opts->name_space);
        else if (r < 0)
                output_message(out, "error", "no class named '%s' (see 'hwglue classes')", name);
        return r;
}

/* -p names must be properties of the class (or system properties such as __PATH). */
static int check_properties(const struct glue_class *cls, const struct options *opts,
                            struct output *out)
{
        for (size_t i = 0; i < opts->n_properties; i++) {
                if (wql_system_property(opts->properties[i]) != WQL_SYSTEM_NONE ||
                    glue_class_find_property(cls, opts->properties[i], NULL, NULL) >= 0)
                        continue;
                output_message(out, "error", "class '%s' has no property '%s' (see 'hwglue describe %s')",
                               glue_class_get_name(cls), opts->properties[i],
                               glue_class_get_name(cls));
                return -EINVAL;
        }
        return 0;
}

/* What the providers are asked to read: the -o list (without system properties), the default
 * columns of a table (or -o +LIST), or everything. Properties nobody shows are not read: the
 * table of the inventory skips the block devices' I/O counters, and names the Expensive ones
 * (pci.ids names) that its columns show. */
static int set_required_properties(struct glue_request *req, const struct options *opts,
                                   const struct column_spec *spec)
{
        struct column_list needed = { 0 };
        bool table = opts->mode == OUTPUT_TABLE;
        int r = 0;

        if (opts->keys_only || opts->all_columns || !spec->cls)
                return 0;
        if (opts->n_properties > 0 && !opts->columns_add) {
                for (size_t i = 0; i < opts->n_properties && r >= 0; i++)
                        if (wql_system_property(opts->properties[i]) == WQL_SYSTEM_NONE)
                                r = column_list_add(&needed, opts->properties[i]);
        } else if (table && spec->by_owner && !opts->columns_add) {
                if (!columns_needed_by_subtree(spec->cls, &needed)) {
                        /* a class of the subtree shows its fallback columns: read all */
                        column_list_clear(&needed);
                        return 0;
                }
        } else if (table || opts->columns_add) {
                r = column_list_add_defaults(&needed, spec->cls);
                for (size_t i = 0; i < opts->n_properties && r >= 0; i++)
                        if (wql_system_property(opts->properties[i]) == WQL_SYSTEM_NONE)
                                r = column_list_add(&needed, opts->properties[i]);
        } else {
                return 0; /* machine formats: every property */
        }
        if (r >= 0 && needed.n == 0)
                /* only __PATH and the like: keys are enough */
                glue_request_set_flags(req, glue_request_get_flags(req) | GLUE_REQUEST_KEYS_ONLY);
        else if (r >= 0)
                r = glue_request_set_properties(req, (const char *const *)needed.names, needed.n);
        column_list_clear(&needed);
        return r;
}

/* The time the run has left; 0 when its deadline has passed. UINT64_MAX: no deadline. */
static uint64_t time_left(const struct options *opts)
{
        uint64_t now;

        if (!opts->deadline_usec)
                return UINT64_MAX;
        now = now_usec();
        return now < opts->deadline_usec ? opts->deadline_usec - now : 0;
}

/* A request with the command line's namespace, the run's deadline and the properties to read.
 * On failure the error is reported and the exit status returned; 0 on success. */
static int new_request(struct glue_context *ctx, const struct options *opts, unsigned flags,
                       const struct column_spec *spec, struct output *out,
                       struct glue_request **ret)
{
        struct glue_request *req = NULL;
        uint64_t left = time_left(opts);
        int r;

        r = glue_request_new(ctx, &req);
        if (r >= 0 && opts->name_space)
                r = glue_request_set_namespace(req, opts->name_space);
        if (r >= 0) {
                glue_request_set_flags(req, flags);
                glue_request_set_idle_fn(req, output_idle, out);
                if (left != UINT64_MAX)
                        glue_request_set_timeout(req, left ? left : 1);
                r = set_required_properties(req, opts, spec);
        }
        if (r < 0) {
                output_message(out, "error", "%s", glue_strerror(r));
                glue_request_unref(req);
                return EXIT_ERROR;
        }
        *ret = req;
        return 0;
}

/* The spec of -o/-p, -O and --keys-only for instances of cls. */
static struct column_spec spec_of_options(const struct options *opts, const struct glue_class *cls)
{
        return (struct column_spec){
                .cls = cls,
                .names = opts->n_properties ? (const char *const *)opts->properties : NULL,
                .n_names = opts->n_properties,
                .add = opts->columns_add,
                .all = opts->all_columns,
                .keys_only = opts->keys_only,
        };
}

int command_enum(struct glue_context *ctx, const struct options *opts, struct output *out)
{
        const struct glue_class *cls;
        struct glue_request *req = NULL;
        unsigned flags = (opts->shallow ? GLUE_REQUEST_SHALLOW : 0) |
                         (opts->keys_only ? GLUE_REQUEST_KEYS_ONLY : 0);
        struct column_spec spec;
        int r;

        if (find_class(ctx, opts, opts->args[0], out, &cls) < 0 ||
            check_properties(cls, opts, out) < 0)
                return EXIT_USAGE;
        if (opts->list_columns)
                return command_list_columns(&cls, 1, opts, out);
        spec = spec_of_options(opts, cls);
        r = new_request(ctx, opts, flags, &spec, out, &req);
        if (r != 0)
                return r;
        output_begin_instances(out, &spec);
        r = glue_request_enumerate(req, glue_class_get_name(cls), output_instance_fn, out);
        r = request_outcome(out, req, r, 0);
        glue_request_unref(req);
        return r;
}

int command_get(struct glue_context *ctx, const struct options *opts, struct output *out)
{
        struct glue_request *req = NULL;
        struct glue_instance *inst = NULL;
        struct glue_path *path = NULL;
        const struct glue_class *cls;
        struct column_spec spec;
        int r;

        r = glue_path_parse(opts->args[0], &path);
        if (r < 0) {
                output_message(out, "error", "'%s' is no object path: write Class.Key=\"value\"",
                               opts->args[0]);
                return EXIT_USAGE;
        }
        r = find_class(ctx, opts, glue_path_get_class(path), out, &cls);
        if (r >= 0)
                r = check_properties(cls, opts, out);
        glue_path_free(path);
        if (r < 0)
                return EXIT_USAGE;

        spec = spec_of_options(opts, cls);
        r = new_request(ctx, opts, 0, &spec, out, &req);
        if (r != 0)
                return r;
        output_begin_instances(out, &spec);
        r = glue_request_get(req, opts->args[0], &inst);
        if (r >= 0) {
                output_instance(out, inst);
                glue_instance_unref(inst);
        }
        if (r == -ENOENT) {
                output_report_providers(out, req);
                output_message(out, "error", "no instance %s", opts->args[0]);
                r = EXIT_NONE_FOUND;
        } else {
                r = request_outcome(out, req, r, 0);
        }
        glue_request_unref(req);
        return r;
}

int command_query(struct glue_context *ctx, const struct options *opts, struct output *out)
{
        struct glue_request *req = NULL;
        struct wql_query *wql = NULL;
        const char **names = NULL;
        struct column_spec spec = { .all = opts->all_columns };
        int r;

        /* The library parses the query again and reports its errors; here only the SELECT
         * list (the columns to show) and the FROM class (whose default columns SELECT * shows
         * in the table) matter. */
        if (wql_parse(opts->args[0], &wql, NULL) >= 0) {
                if (glue_context_find_class(ctx, opts->name_space, wql->class_name.name,
                                            &spec.cls) < 0)
                        spec.cls = NULL;
                if (!wql->select_all) {
                        names = calloc(wql->n_select, sizeof(*names));
                        for (size_t i = 0; names && i < wql->n_select; i++)
                                names[i] = wql->select[i].name;
                        spec.names = names;
                        spec.n_names = names ? wql->n_select : 0;
                }
        }
        /* the query's SELECT list decides what the providers read */
        r = new_request(ctx, opts, opts->shallow ? GLUE_REQUEST_SHALLOW : 0,
                        &(struct column_spec){ 0 }, out, &req);
        if (r != 0)
                goto out;
        output_begin_instances(out, &spec);
        r = glue_request_query(req, opts->args[0], output_instance_fn, out);
        r = request_outcome(out, req, r, 0);
out:
        glue_request_unref(req);
        free(names);
        wql_query_free(wql);
        return r;
}

/* A class some provider serves that no ancestor's provider covers already: enumerating it
 * deep reaches every instance of that family exactly once. */
static bool is_top_provider_class(const struct glue_class *cls)
{
        /* Associations are relations between the devices, not devices: not inventory. */
        if (!glue_class_get_provider(cls) || glue_class_is_association(cls))
                return false;
        for (const struct glue_class *super = glue_class_get_superclass(cls); super;
             super = glue_class_get_superclass(super))
                if (glue_class_get_provider(super))
                        return false;
        return true;
}

int command_inventory(struct glue_context *ctx, const struct options *opts, struct output *out)
{
        const char *name_space = opts->name_space ? opts->name_space : GLUE_DEFAULT_NAMESPACE;
        const struct glue_class **groups = NULL;
        size_t n_groups = 0;
        bool found = false, partial = false;
        int code = EXIT_NONE_FOUND;

        for (size_t i = 0; i < glue_context_get_class_count(ctx); i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);
                const struct glue_class **grown;

                if (!is_top_provider_class(cls) ||
                    strcasecmp(glue_class_get_namespace(cls), name_space) != 0)
                        continue;
                grown = realloc(groups, (n_groups + 1) * sizeof(*grown));
                if (!grown) {
                        free(groups);
                        output_message(out, "error", "out of memory");
                        return EXIT_ERROR;
                }
                groups = grown;
                groups[n_groups++] = cls;
        }
        if (n_groups == 0) {
                output_message(out, "error", "no provider serves a class in namespace %s",
                               name_space);
                return EXIT_NONE_FOUND;
        }
        if (opts->list_columns) {
                code = command_list_columns(groups, n_groups, opts, out);
                free(groups);
                return code;
        }
        for (size_t i = 0; i < n_groups && !output_is_closed(out); i++) {
                const struct glue_class *cls = groups[i];
                struct column_spec spec = spec_of_options(opts, cls);
                struct glue_request *req;
                unsigned long before = output_get_instance_count(out);
                int r;

                spec.by_owner = !opts->all_columns;
                if (time_left(opts) == 0) {
                        /* one deadline covers the run: what is left is not asked at all */
                        output_begin_group(out, cls, &spec);
                        output_end_group(out);
                        output_message(out, "error", "%s: not asked: the deadline (--timeout) "
                                       "passed", glue_class_get_name(cls));
                        partial = true;
                        continue;
                }
                r = new_request(ctx, opts, 0, &spec, out, &req);
                if (r != 0) {
                        free(groups);
                        return r;
                }
                output_begin_group(out, cls, &spec);
                r = glue_request_enumerate(req, glue_class_get_name(cls), output_instance_fn, out);
                output_end_group(out);
                r = request_outcome(out, req, r, before);
                glue_request_unref(req);
                if (r == EXIT_FOUND)
                        found = true;
                else if (r == EXIT_PARTIAL)
                        partial = true;
                else if (r != EXIT_NONE_FOUND) {
                        free(groups);
                        return r;
                }
        }
        free(groups);
        if (partial)
                code = EXIT_PARTIAL;
        else if (found)
                code = EXIT_FOUND;
        return code;
}
