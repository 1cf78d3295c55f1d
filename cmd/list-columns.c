/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --list-columns: what -o can name for a class, with the MOF's description of each, as lsblk
 * --list-columns lists its own. */
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "hwglue.h"
#include "output.h"
#include "query-parser.h"
#include "text-table.h"

static const struct {
        const char *name, *description;
} system_columns[] = {
        { "__CLASS", "The class of the instance (the CLASS column)." },
        { "__PATH", "The instance's full object path, with the namespace: what hwglue get takes." },
        { "__RELPATH", "The object path without the namespace: Class.Key=\"value\"." },
        { "__NAMESPACE", "The CIM namespace of the class." },
        { "__SUPERCLASS", "The superclass of the instance's class." },
};

static const char *string_qualifier(const struct glue_property *prop, const char *name)
{
        const struct glue_value *q;

        if (glue_property_get_qualifier(prop, name, &q) < 0 || q->is_array ||
            !glue_type_is_string(q->type))
                return NULL;
        return q->v.str;
}

static void list_json(const struct glue_class *cls, const struct column_list *defaults,
                      struct json *j)
{
        char type[64];

        json_open_object(j, NULL);
        json_string(j, "class", glue_class_get_name(cls));
        json_open_array(j, "default_columns");
        for (size_t i = 0; i < defaults->n; i++)
                json_string(j, NULL, defaults->names[i]);
        json_close_array(j);
        json_open_array(j, "columns");
        for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                format_type(prop, type, sizeof(type));
                json_open_object(j, NULL);
                json_string(j, "name", glue_property_get_name(prop));
                json_string(j, "type", type);
                json_string(j, "units", string_qualifier(prop, "Units"));
                json_bool(j, "default", column_list_has(defaults, glue_property_get_name(prop)));
                json_string(j, "description", string_qualifier(prop, "Description"));
                json_close_object(j);
        }
        for (size_t i = 0; i < sizeof(system_columns) / sizeof(system_columns[0]); i++) {
                json_open_object(j, NULL);
                json_string(j, "name", system_columns[i].name);
                json_string(j, "type", "string");
                json_null(j, "units");
                json_bool(j, "default", false);
                json_string(j, "description", system_columns[i].description);
                json_close_object(j);
        }
        json_close_array(j);
        json_close_object(j);
}

static int list_text(const struct glue_class *cls, const struct column_list *defaults,
                     const struct options *opts, struct output *out, bool first)
{
        static const char *const headers[] = { "COLUMN", "TYPE", "UNITS", "DESCRIPTION" };
        FILE *f = output_file(out);
        struct text_table *t;
        char type[64];
        int r;

        r = text_table_new(4, headers, &t);
        for (size_t i = 0; r >= 0 && i < glue_class_get_property_count(cls); i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                format_type(prop, type, sizeof(type));
                r = text_table_add_row(t, (const char *const[]){
                        glue_property_get_name(prop), type, string_qualifier(prop, "Units"),
                        string_qualifier(prop, "Description") });
        }
        for (size_t i = 0; r >= 0 && i < sizeof(system_columns) / sizeof(system_columns[0]); i++)
                r = text_table_add_row(t, (const char *const[]){ system_columns[i].name,
                                                                 "string", NULL,
                                                                 system_columns[i].description });
        if (r < 0) {
                text_table_free(t);
                return r;
        }
        if (!opts->noheadings) {
                fprintf(f, "%s%s: default columns: ", first ? "" : "\n", glue_class_get_name(cls));
                for (size_t i = 0; i < defaults->n; i++)
                        fprintf(f, "%s%s", i ? "," : "", defaults->names[i]);
                fputs(defaults->n ? "\n" : "none\n", f);
        }
        text_table_print(t, f, output_width(out), !opts->noheadings);
        text_table_free(t);
        return 0;
}

int command_list_columns(const struct glue_class *const *classes, size_t n_classes,
                         const struct options *opts, struct output *out)
{
        struct json *j = NULL;

        if (opts->mode == OUTPUT_JSON) {
                j = output_json(out);
                json_open_array(j, "classes");
        }
        for (size_t i = 0; i < n_classes; i++) {
                struct column_list defaults = { 0 };
                int r = column_list_add_defaults(&defaults, classes[i]);

                if (r >= 0 && opts->mode == OUTPUT_TABLE) {
                        r = list_text(classes[i], &defaults, opts, out, i == 0);
                } else if (r >= 0) {
                        struct json line;
                        if (opts->mode != OUTPUT_JSON) {
                                /* JSON Lines (and pairs, which have no nesting): a line each */
                                json_init(&line, output_file(out), false);
                                list_json(classes[i], &defaults, &line);
                                fputc('\n', output_file(out));
                        } else {
                                list_json(classes[i], &defaults, j);
                        }
                }
                column_list_clear(&defaults);
                if (r < 0) {
                        output_message(out, "error", "out of memory");
                        return EXIT_ERROR;
                }
        }
        if (j)
                json_close_array(j);
        return EXIT_FOUND;
}
