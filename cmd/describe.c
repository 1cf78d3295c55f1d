/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * describe: a class as a reference page. For people, a head (derivation, provider, default
 * columns) and one entry per property, its type, flags (key, expensive...), units and
 * description wrapped to the terminal; for machines, the whole class in JSON.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "columns.h"
#include "hwglue.h"
#include "output.h"
#include "text-table.h"

/* Where the head's values start: "Description: " */
#define HEAD_INDENT 13

static const char *string_of(const struct glue_value *q)
{
        return q && !q->is_array && glue_type_is_string(q->type) ? q->v.str : NULL;
}

static const char *class_string(const struct glue_class *cls, const char *name)
{
        const struct glue_value *q;

        return glue_class_get_qualifier(cls, name, &q) < 0 ? NULL : string_of(q);
}

static const char *property_string(const struct glue_property *prop, const char *name)
{
        const struct glue_value *q;

        return glue_property_get_qualifier(prop, name, &q) < 0 ? NULL : string_of(q);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void property_json(struct json *j, const struct glue_property *prop)
{
        const char *name;
        const struct glue_value *v;

        json_open_object(j, NULL);
        json_string(j, "name", glue_property_get_name(prop));
        json_string(j, "type", glue_type_name(glue_property_get_type(prop)));
        json_bool(j, "array", glue_property_is_array(prop));
        json_bool(j, "key", glue_property_is_key(prop));
        json_bool(j, "expensive", glue_property_is_expensive(prop));
        json_string(j, "origin", glue_class_get_name(glue_property_get_class_origin(prop)));
        json_string(j, "units", property_string(prop, "Units"));
        json_string(j, "description", property_string(prop, "Description"));
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
        struct column_list defaults = { 0 };
        const char *name;
        const struct glue_value *v;

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
        json_string(j, "description", class_string(cls, "Description"));
        json_open_array(j, "default_columns");
        column_list_add_defaults(&defaults, cls);
        for (size_t i = 0; i < defaults.n; i++)
                json_string(j, NULL, defaults.names[i]);
        column_list_clear(&defaults);
        json_close_array(j);
        json_open_object(j, "qualifiers");
        for (size_t i = 0; i < glue_class_get_qualifier_count(cls); i++)
                if (glue_class_get_qualifier_at(cls, i, &name, &v) >= 0)
                        json_value(j, name, v);
        json_close_object(j);
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

/* ---- for people ------------------------------------------------------------------------- */

/* A growing string of ", "-joined parts; NULL after a failed allocation. */
static void join(char **all, const char *separator, const char *part)
{
        char *joined;

        if (!*all || !part || !*part)
                return;
        if (asprintf(&joined, "%s%s%s", *all, **all ? separator : "", part) < 0)
                joined = NULL;
        free(*all);
        *all = joined;
}

/* What a reader must know beside the type: key (it identifies the instance), ref (it points at
 * another instance, once libglue has references: see format_type()), expensive (read only when
 * named), label, and the metric kind the exporter gives it. */
static char *property_flags(const struct glue_property *prop)
{
        const char *metric = property_string(prop, "Metric");
        const struct glue_value *q;
        char *flags = strdup("");

        if (glue_property_is_key(prop))
                join(&flags, ",", "key");
        if (glue_property_is_expensive(prop))
                join(&flags, ",", "expensive");
        if (glue_property_get_qualifier(prop, "Label", &q) >= 0)
                join(&flags, ",", "label");
        if (metric)
                join(&flags, ",", metric);
        return flags;
}

/* Qualifiers that have a place of their own on the page (or none worth one). */
static bool qualifier_is_shown(const char *name)
{
        static const char *const shown[] = { "Key", "Units", "Description", "Override",
                                             "Expensive", "Label", "Metric", "ValueMap",
                                             "Values" };

        for (size_t k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
                if (strcasecmp(name, shown[k]) == 0)
                        return true;
        return false;
}

/* The description, then what the codes mean ("Values: 0 Unknown, 5 OK") and the qualifiers
 * that have no column, in MOF syntax. Owned. */
static char *property_text(const struct glue_property *prop)
{
        const char *description = property_string(prop, "Description");
        const struct glue_value *map = NULL, *names = NULL;
        char *text = strdup(""), *values = strdup(""), *others = strdup("");

        join(&text, " ", description);
        if (glue_property_get_qualifier(prop, "ValueMap", &map) < 0 || !map->is_array ||
            !glue_type_is_string(map->type))
                map = NULL;
        if (glue_property_get_qualifier(prop, "Values", &names) < 0 || !names->is_array ||
            !glue_type_is_string(names->type))
                names = NULL;
        for (size_t i = 0; map && i < map->count; i++) {
                char *entry;
                if (names && i < names->count) {
                        if (asprintf(&entry, "%s=%s", map->v.str_array[i], names->v.str_array[i]) < 0)
                                entry = NULL;
                } else {
                        entry = strdup(map->v.str_array[i]);
                }
                if (!entry) {
                        free(values);
                        values = NULL;
                        break;
                }
                join(&values, ", ", entry);
                free(entry);
        }
        if (values && *values) {
                char *line;
                if (asprintf(&line, "Values: %s.", values) < 0)
                        line = NULL;
                join(&text, " ", line);
                free(line);
        }
        for (size_t i = 0; others && i < glue_property_get_qualifier_count(prop); i++) {
                const char *name;
                const struct glue_value *v;
                char *q;
                if (glue_property_get_qualifier_at(prop, i, &name, &v) < 0 ||
                    qualifier_is_shown(name))
                        continue;
                q = format_qualifier(name, v);
                join(&others, ", ", q);
                free(q);
        }
        if (others && *others) {
                char *line;
                if (asprintf(&line, "Qualifiers: %s.", others) < 0)
                        line = NULL;
                join(&text, " ", line);
                free(line);
        }
        free(values);
        free(others);
        return text;
}

static void head_line(FILE *f, const char *label, const char *value, size_t width)
{
        fprintf(f, "%-*s", HEAD_INDENT, label);
        write_wrapped(f, value, HEAD_INDENT, width);
}

/* The class's qualifiers that the head does not show otherwise, in MOF syntax. */
static char *class_qualifiers(const struct glue_class *cls)
{
        static const char *const shown[] = { "Description", "Provider", "Abstract",
                                             DEFAULT_COLUMNS_QUALIFIER };
        char *all = strdup("");

        for (size_t i = 0; all && i < glue_class_get_qualifier_count(cls); i++) {
                const char *name;
                const struct glue_value *v;
                bool skip = false;
                char *q;

                if (glue_class_get_qualifier_at(cls, i, &name, &v) < 0)
                        continue;
                for (size_t k = 0; k < sizeof(shown) / sizeof(shown[0]); k++)
                        skip |= strcasecmp(name, shown[k]) == 0;
                if (skip)
                        continue;
                q = format_qualifier(name, v);
                join(&all, ", ", q);
                free(q);
        }
        return all;
}

static int describe_text(const struct glue_class *cls, const struct options *opts,
                         struct output *out)
{
        static const char *const headers[] = { "PROPERTY", "TYPE", "FLAGS", "UNITS",
                                               "DESCRIPTION" };
        FILE *f = output_file(out);
        size_t width = output_width(out);
        const char *description = class_string(cls, "Description");
        const char *provider = glue_class_get_provider(cls);
        struct column_list defaults = { 0 };
        char *derivation = strdup(glue_class_get_name(cls)), *list = strdup(""), *quals;
        struct text_table *t = NULL;
        int r;

        for (const struct glue_class *s = glue_class_get_superclass(cls); s;
             s = glue_class_get_superclass(s))
                join(&derivation, " : ", glue_class_get_name(s));
        head_line(f, "Class:", glue_class_get_name(cls), width);
        head_line(f, "Namespace:", glue_class_get_namespace(cls), width);
        head_line(f, "Derivation:", derivation ? derivation : "", width);
        head_line(f, "Provider:", provider ? provider : "(none: static)", width);
        head_line(f, "Abstract:", glue_class_is_abstract(cls) ? "yes" : "no", width);
        if (description)
                head_line(f, "Description:", description, width);
        for (size_t i = 0; i < glue_class_get_subclass_count(cls); i++)
                join(&list, " ", glue_class_get_name(glue_class_get_subclass(cls, i)));
        if (list && *list)
                head_line(f, "Subclasses:", list, width);
        free(list);
        list = strdup("");
        column_list_add_defaults(&defaults, cls);
        for (size_t i = 0; i < defaults.n; i++)
                join(&list, ", ", defaults.names[i]);
        column_list_clear(&defaults);
        if (list && *list)
                head_line(f, "Columns:", list, width);
        quals = class_qualifiers(cls);
        if (quals && *quals)
                head_line(f, "Qualifiers:", quals, width);
        free(quals);
        free(list);
        free(derivation);
        fputc('\n', f);

        r = text_table_new(5, headers, &t);
        for (size_t i = 0; r >= 0 && i < glue_class_get_property_count(cls); i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                char type[128], *flags = property_flags(prop), *text = property_text(prop);

                format_type(prop, type, sizeof(type));
                r = flags && text ? text_table_add_row(t, (const char *const[]){
                                            glue_property_get_name(prop), type, flags,
                                            property_string(prop, "Units"), text })
                                  : -ENOMEM;
                free(flags);
                free(text);
        }
        if (r >= 0)
                text_table_print(t, f, width, !opts->noheadings);
        text_table_free(t);
        return r;
}

int command_describe(struct glue_context *ctx, const struct options *opts, struct output *out)
{
        const struct glue_class *cls;
        char type[64];
        FILE *f = output_file(out);

        if (glue_context_find_class(ctx, opts->name_space, opts->args[0], &cls) < 0) {
                output_message(out, "error", "no class named '%s' (see 'hwglue classes')",
                               opts->args[0]);
                return EXIT_USAGE;
        }
        switch (opts->mode) {
        case OUTPUT_TABLE:
                if (describe_text(cls, opts, out) < 0) {
                        output_message(out, "error", "out of memory");
                        return EXIT_ERROR;
                }
                break;
        case OUTPUT_JSON:
                describe_json(output_json(out), cls, false);
                break;
        case OUTPUT_JSONL: {
                struct json j;
                json_init(&j, f, false);
                describe_json(&j, cls, true);
                fputc('\n', f);
                break;
        }
        case OUTPUT_PAIRS:
                for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                        const struct glue_property *prop = glue_class_get_property(cls, i);
                        const char *units = property_string(prop, "Units");
                        format_type(prop, type, sizeof(type));
                        fputs("PROPERTY=", f);
                        write_shell_quoted(f, glue_property_get_name(prop));
                        fprintf(f, " TYPE=\"%s\" KEY=\"%s\" UNITS=", type,
                                glue_property_is_key(prop) ? "true" : "false");
                        write_shell_quoted(f, units ? units : "");
                        fputs(" ORIGIN=", f);
                        write_shell_quoted(f, glue_class_get_name(
                                                      glue_property_get_class_origin(prop)));
                        fputc('\n', f);
                }
                break;
        }
        return EXIT_FOUND;
}
