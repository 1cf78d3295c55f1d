/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command that lists the schema's classes (describe.c reads one). */
#include <errno.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hwglue.h"
#include "output.h"
#include "table.h"

static const char *description_of(const struct glue_value *q)
{
        return q && !q->is_array && glue_type_is_string(q->type) ? q->v.str : NULL;
}

static const char *class_description(const struct glue_class *cls)
{
        const struct glue_value *q;

        return glue_class_get_qualifier(cls, "Description", &q) < 0 ? NULL : description_of(q);
}

static bool in_namespace(const struct glue_class *cls, const struct options *opts)
{
        const char *ns = opts->name_space ? opts->name_space : GLUE_DEFAULT_NAMESPACE;
        return strcasecmp(glue_class_get_namespace(cls), ns) == 0;
}

/* ---- classes ---------------------------------------------------------------------------- */

static void class_json(struct json *j, const struct glue_class *cls)
{
        const struct glue_class *super = glue_class_get_superclass(cls);

        json_open_object(j, NULL);
        json_string(j, "name", glue_class_get_name(cls));
        json_string(j, "namespace", glue_class_get_namespace(cls));
        json_string(j, "superclass", super ? glue_class_get_name(super) : NULL);
        json_string(j, "provider", glue_class_get_provider(cls));
        json_bool(j, "abstract", glue_class_is_abstract(cls));
        json_string(j, "description", class_description(cls));
        json_close_object(j);
}

static void class_pairs(FILE *f, const struct glue_class *cls)
{
        const struct glue_class *super = glue_class_get_superclass(cls);
        const char *provider = glue_class_get_provider(cls);

        fputs("NAME=", f);
        write_shell_quoted(f, glue_class_get_name(cls));
        fputs(" SUPERCLASS=", f);
        write_shell_quoted(f, super ? glue_class_get_name(super) : "");
        fputs(" PROVIDER=", f);
        write_shell_quoted(f, provider ? provider : "");
        fprintf(f, " ABSTRACT=\"%s\"\n", glue_class_is_abstract(cls) ? "true" : "false");
}

static int classes_table(struct glue_context *ctx, const struct options *opts, struct output *out)
{
        struct libscols_table *table = scols_new_table();
        struct libscols_line **lines;
        size_t n = glue_context_get_class_count(ctx);
        int r = 0;

        lines = calloc(n ? n : 1, sizeof(*lines));
        if (!table || !lines) {
                r = -ENOMEM;
                goto out;
        }
        scols_table_set_stream(table, output_file(out));
        scols_table_enable_raw(table, opts->raw);
        scols_table_enable_noheadings(table, opts->noheadings);
        scols_table_enable_minout(table, 1);
        if (output_width(out)) {
                scols_table_set_termwidth(table, output_width(out));
                scols_table_set_termforce(table, SCOLS_TERMFORCE_ALWAYS);
        } else {
                scols_table_set_termforce(table, SCOLS_TERMFORCE_NEVER);
        }
        if (!scols_table_new_column(table, "NAME", 0, opts->tree ? SCOLS_FL_TREE : 0) ||
            !scols_table_new_column(table, "PROVIDER", 0, 0) ||
            (!opts->tree && !scols_table_new_column(table, "SUPERCLASS", 0, 0)) ||
            !scols_table_new_column(table, "ABSTRACT", 0, 0) ||
            !scols_table_new_column(table, "DESCRIPTION", 0, SCOLS_FL_TRUNC)) {
                r = -ENOMEM;
                goto out;
        }
        for (size_t i = 0; i < n; i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);
                const struct glue_class *super = glue_class_get_superclass(cls);
                struct libscols_line *parent = NULL;
                size_t col = 0;

                if (!in_namespace(cls, opts))
                        continue;
                /* the context lists a superclass before its subclasses */
                for (size_t k = 0; opts->tree && super && k < i; k++)
                        if (glue_context_get_class(ctx, k) == super)
                                parent = lines[k];
                lines[i] = scols_table_new_line(table, parent);
                if (!lines[i]) {
                        r = -ENOMEM;
                        goto out;
                }
                scols_line_set_data(lines[i], col++, glue_class_get_name(cls));
                scols_line_set_data(lines[i], col++, glue_class_get_provider(cls));
                if (!opts->tree)
                        scols_line_set_data(lines[i], col++,
                                            super ? glue_class_get_name(super) : NULL);
                scols_line_set_data(lines[i], col++, glue_class_is_abstract(cls) ? "yes" : "no");
                scols_line_set_data(lines[i], col++, class_description(cls));
        }
        r = table_print_stripped(table, output_file(out), opts->raw);
out:
        free(lines);
        scols_unref_table(table);
        return r;
}

int command_classes(struct glue_context *ctx, const struct options *opts, struct output *out)
{
        struct json *j;

        if (opts->mode == OUTPUT_TABLE) {
                if (classes_table(ctx, opts, out) < 0) {
                        output_message(out, "error", "out of memory");
                        return EXIT_ERROR;
                }
                return EXIT_FOUND;
        }
        j = output_json(out);
        if (opts->mode == OUTPUT_JSON)
                json_open_array(j, "classes");
        for (size_t i = 0; i < glue_context_get_class_count(ctx); i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);
                if (!in_namespace(cls, opts))
                        continue;
                if (opts->mode == OUTPUT_PAIRS) {
                        class_pairs(output_file(out), cls);
                        continue;
                }
                class_json(j, cls);
                if (opts->mode == OUTPUT_JSONL)
                        fputc('\n', output_file(out));
        }
        if (opts->mode == OUTPUT_JSON)
                json_close_array(j);
        return EXIT_FOUND;
}

