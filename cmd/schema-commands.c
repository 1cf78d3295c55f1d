/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The commands that read the schema only: classes and describe. */
#include <errno.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hwglue.h"
#include "output.h"

static const char *description_of(const struct glue_value *q)
{
        return q && !q->is_array && glue_type_is_string(q->type) ? q->v.str : NULL;
}

static const char *class_description(const struct glue_class *cls)
{
        const struct glue_value *q;

        return glue_class_get_qualifier(cls, "Description", &q) < 0 ? NULL : description_of(q);
}

static const char *property_qualifier_string(const struct glue_property *prop, const char *name)
{
        const struct glue_value *q;

        return glue_property_get_qualifier(prop, name, &q) < 0 ? NULL : description_of(q);
}

static bool in_namespace(const struct glue_class *cls, const struct options *opts)
{
        const char *ns = opts->name_space ? opts->name_space : GLUE_DEFAULT_NAMESPACE;
        return strcasecmp(glue_class_get_namespace(cls), ns) == 0;
}

/* "uint64", "string[]" */
static void type_text(const struct glue_property *prop, char *buf, size_t size)
{
        const char *name = glue_type_name(glue_property_get_type(prop));
        snprintf(buf, size, "%s%s", name ? name : "?", glue_property_is_array(prop) ? "[]" : "");
}

/* A qualifier as MOF writes it: Key, Units("Bytes"), ValueMap{"1", "2"}. Owned. */
static char *qualifier_text(const char *name, const struct glue_value *v)
{
        char *value = NULL, *text = NULL;

        if (!v->is_array && v->type == GLUE_TYPE_BOOLEAN && v->v.b)
                return strdup(name);
        value = format_plain(v);
        if (!value)
                return NULL;
        if (asprintf(&text, "%s%s%s%s%s", name, v->is_array ? "{" : "(",
                     glue_type_is_string(v->type) ? "\"" : "", value,
                     v->is_array ? "}" : glue_type_is_string(v->type) ? "\")" : ")") < 0)
                text = NULL;
        free(value);
        return text;
}

static void json_qualifiers_of_class(struct json *j, const struct glue_class *cls)
{
        const char *name;
        const struct glue_value *v;

        json_open_object(j, "qualifiers");
        for (size_t i = 0; i < glue_class_get_qualifier_count(cls); i++)
                if (glue_class_get_qualifier_at(cls, i, &name, &v) >= 0)
                        json_value(j, name, v);
        json_close_object(j);
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

static void class_pairs(const struct glue_class *cls)
{
        const struct glue_class *super = glue_class_get_superclass(cls);
        const char *provider = glue_class_get_provider(cls);

        fputs("NAME=", stdout);
        write_shell_quoted(stdout, glue_class_get_name(cls));
        fputs(" SUPERCLASS=", stdout);
        write_shell_quoted(stdout, super ? glue_class_get_name(super) : "");
        fputs(" PROVIDER=", stdout);
        write_shell_quoted(stdout, provider ? provider : "");
        printf(" ABSTRACT=\"%s\"\n", glue_class_is_abstract(cls) ? "true" : "false");
}

static int classes_table(struct glue_context *ctx, const struct options *opts)
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
        scols_print_table(table);
out:
        free(lines);
        scols_unref_table(table);
        return r;
}

int command_classes(struct glue_context *ctx, const struct options *opts, struct output *out)
{
        struct json *j;

        if (opts->mode == OUTPUT_TABLE) {
                if (classes_table(ctx, opts) < 0) {
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
                        class_pairs(cls);
                        continue;
                }
                class_json(j, cls);
                if (opts->mode == OUTPUT_JSONL)
                        fputc('\n', stdout);
        }
        if (opts->mode == OUTPUT_JSON)
                json_close_array(j);
        return EXIT_FOUND;
}

/* ---- describe --------------------------------------------------------------------------- */

static void property_json(struct json *j, const struct glue_property *prop)
{
        const char *name;
        const struct glue_value *v;
        char type[64];

        type_text(prop, type, sizeof(type));
        json_open_object(j, NULL);
        json_string(j, "name", glue_property_get_name(prop));
        json_string(j, "type", glue_type_name(glue_property_get_type(prop)));
        json_bool(j, "array", glue_property_is_array(prop));
        json_bool(j, "key", glue_property_is_key(prop));
        json_bool(j, "expensive", glue_property_is_expensive(prop));
        json_string(j, "origin", glue_class_get_name(glue_property_get_class_origin(prop)));
        json_string(j, "units", property_qualifier_string(prop, "Units"));
        json_string(j, "description", property_qualifier_string(prop, "Description"));
        json_value(j, "default", glue_property_get_default(prop));
        json_open_object(j, "qualifiers");
        for (size_t i = 0; i < glue_property_get_qualifier_count(prop); i++)
                if (glue_property_get_qualifier_at(prop, i, &name, &v) >= 0)
                        json_value(j, name, v);
        json_close_object(j);
        json_close_object(j);
}

static void describe_json(struct json *j, const struct glue_class *cls, bool top_level)
{
        json_open_object(j, top_level ? NULL : "class");
        json_string(j, "name", glue_class_get_name(cls));
        json_string(j, "namespace", glue_class_get_namespace(cls));
        json_open_array(j, "derivation");
        for (const struct glue_class *s = glue_class_get_superclass(cls); s;
             s = glue_class_get_superclass(s))
                json_string(j, NULL, glue_class_get_name(s));
        json_close_array(j);
        json_string(j, "provider", glue_class_get_provider(cls));
        json_bool(j, "abstract", glue_class_is_abstract(cls));
        json_string(j, "description", class_description(cls));
        json_qualifiers_of_class(j, cls);
        json_open_array(j, "subclasses");
        for (size_t i = 0; i < glue_class_get_subclass_count(cls); i++)
                json_string(j, NULL, glue_class_get_name(glue_class_get_subclass(cls, i)));
        json_close_array(j);
        json_open_array(j, "properties");
        for (size_t i = 0; i < glue_class_get_property_count(cls); i++)
                property_json(j, glue_class_get_property(cls, i));
        json_close_array(j);
        json_close_object(j);
}

/* Qualifiers worth showing beside a property, less the ones that have their own column. */
static char *other_qualifiers(const struct glue_property *prop)
{
        static const char *const shown[] = { "Key", "Units", "Description", "Override" };
        char *all = strdup("");

        for (size_t i = 0; all && i < glue_property_get_qualifier_count(prop); i++) {
                const char *name;
                const struct glue_value *v;
                char *q, *joined;
                bool skip = false;

                if (glue_property_get_qualifier_at(prop, i, &name, &v) < 0)
                        continue;
                for (size_t k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
                        skip |= strcasecmp(name, shown[k]) == 0;
                if (skip || !(q = qualifier_text(name, v)))
                        continue;
                if (asprintf(&joined, "%s%s%s", all, *all ? ", " : "", q) < 0)
                        joined = NULL;
                free(q);
                free(all);
                all = joined;
        }
        return all;
}

static void describe_text(const struct glue_class *cls, const struct options *opts)
{
        struct libscols_table *table;
        const char *description = class_description(cls);
        const char *provider = glue_class_get_provider(cls);

        printf("Class:       %s\nNamespace:   %s\nDerivation:  %s", glue_class_get_name(cls),
               glue_class_get_namespace(cls), glue_class_get_name(cls));
        for (const struct glue_class *s = glue_class_get_superclass(cls); s;
             s = glue_class_get_superclass(s))
                printf(" : %s", glue_class_get_name(s));
        printf("\nProvider:    %s\nAbstract:    %s\n", provider ? provider : "(none: static)",
               glue_class_is_abstract(cls) ? "yes" : "no");
        if (description)
                printf("Description: %s\n", description);
        if (glue_class_get_subclass_count(cls) > 0) {
                printf("Subclasses: ");
                for (size_t i = 0; i < glue_class_get_subclass_count(cls); i++)
                        printf(" %s", glue_class_get_name(glue_class_get_subclass(cls, i)));
                putchar('\n');
        }
        putchar('\n');

        table = scols_new_table();
        if (!table)
                return;
        static const char *const columns[] = { "PROPERTY", "TYPE", "KEY", "UNITS", "ORIGIN",
                                               "QUALIFIERS", "DESCRIPTION" };
        for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
                scols_table_new_column(table, columns[i], 0,
                                       i == sizeof(columns) / sizeof(columns[0]) - 1
                                               ? SCOLS_FL_TRUNC : 0);
        for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                struct libscols_line *line = scols_table_new_line(table, NULL);
                char type[64];

                if (!line)
                        break;
                type_text(prop, type, sizeof(type));
                scols_line_set_data(line, 0, glue_property_get_name(prop));
                scols_line_set_data(line, 1, type);
                scols_line_set_data(line, 2, glue_property_is_key(prop) ? "key" : NULL);
                scols_line_set_data(line, 3, property_qualifier_string(prop, "Units"));
                scols_line_set_data(line, 4,
                                    glue_class_get_name(glue_property_get_class_origin(prop)));
                scols_line_refer_data(line, 5, other_qualifiers(prop));
                scols_line_set_data(line, 6, property_qualifier_string(prop, "Description"));
        }
        scols_print_table(table);
        scols_unref_table(table);
}

int command_describe(struct glue_context *ctx, const struct options *opts, struct output *out)
{
        const struct glue_class *cls;
        char type[64];

        if (glue_context_find_class(ctx, opts->name_space, opts->args[0], &cls) < 0) {
                output_message(out, "error", "no class named '%s' (see 'hwglue classes')",
                               opts->args[0]);
                return EXIT_USAGE;
        }
        switch (opts->mode) {
        case OUTPUT_TABLE:
                describe_text(cls, opts);
                break;
        case OUTPUT_JSON:
                describe_json(output_json(out), cls, false);
                break;
        case OUTPUT_JSONL: {
                struct json j;
                json_init(&j, stdout, false);
                describe_json(&j, cls, true);
                fputc('\n', stdout);
                break;
        }
        case OUTPUT_PAIRS:
                for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                        const struct glue_property *prop = glue_class_get_property(cls, i);
                        const char *units = property_qualifier_string(prop, "Units");
                        type_text(prop, type, sizeof(type));
                        fputs("PROPERTY=", stdout);
                        write_shell_quoted(stdout, glue_property_get_name(prop));
                        printf(" TYPE=\"%s\" KEY=\"%s\" UNITS=", type,
                               glue_property_is_key(prop) ? "true" : "false");
                        write_shell_quoted(stdout, units ? units : "");
                        fputs(" ORIGIN=", stdout);
                        write_shell_quoted(stdout, glue_class_get_name(
                                                           glue_property_get_class_origin(prop)));
                        fputc('\n', stdout);
                }
                break;
        }
        return EXIT_FOUND;
}
