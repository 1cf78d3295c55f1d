/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command that lists the schema's classes (describe.c reads one). */
#include <errno.h>
#include <libsmartcols.h>
#include <stdint.h>
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

/* The classes' table, cell by cell: NAME, PROVIDER, SUPERCLASS (not in a tree), ABSTRACT,
 * DESCRIPTION, NULL for none. */
static const char *class_cell(const struct glue_class *cls, size_t column)
{
        const struct glue_class *super = glue_class_get_superclass(cls);

        switch (column) {
        case 0: return glue_class_get_name(cls);
        case 1: return glue_class_get_provider(cls);
        case 2: return super ? glue_class_get_name(super) : NULL;
        case 3: return glue_class_is_abstract(cls) ? "yes" : "no";
        default: return class_description(cls);
        }
}

#define CLASS_COLUMNS 5
static const char *const class_headers[CLASS_COLUMNS] = {
        "NAME", "PROVIDER", "SUPERCLASS", "ABSTRACT", "DESCRIPTION",
};

/*
 * The same table without libsmartcols, for when it has nothing to do: libsmartcols measures the
 * width of every cell character by character (mbrtowc), 4 M instructions for the classes'
 * descriptions, 80 % of a `hwglue classes` that otherwise costs 1 M. With no tree to draw, no
 * width to fit and only printable ASCII without backslashes (which it would escape), its output
 * is this: each column as wide as its widest cell or heading, one blank between, the last
 * one not padded, no blanks at the end of a line; with -r, one blank between cells and blanks
 * written \x20. tests/cmd/test-cmd.sh compares the two on the built-in and the test schema
 * (a width, as `-w 100000`, takes libsmartcols' way).
 */
/* The length of s if it is plain text (or NULL: 0), else SIZE_MAX. */
static size_t plain_length(const char *s)
{
        const unsigned char *c = (const unsigned char *)s;

        for (; c && *c; c++)
                if (*c < 0x20 || *c > 0x7e || *c == '\\')
                        return SIZE_MAX;
        return s ? (size_t)((const char *)c - s) : 0;
}

static void blanks(FILE *f, size_t n)
{
        static const char row[] = "                                ";

        for (; n > sizeof(row) - 1; n -= sizeof(row) - 1)
                fwrite(row, 1, sizeof(row) - 1, f);
        fwrite(row, 1, n, f);
}

static void plain_raw_cell(FILE *f, const char *s)
{
        for (; s && *s; s++)
                if (*s == ' ')
                        fputs("\\x20", f);
                else
                        fputc(*s, f);
}

static void plain_row(FILE *f, const char *const *cells, const size_t *widths, bool raw)
{
        size_t pending = 0;

        for (size_t i = 0; i < CLASS_COLUMNS; i++) {
                const char *cell = cells[i] ? cells[i] : "";
                size_t len = strlen(cell);

                if (raw) {
                        if (i)
                                fputc(' ', f);
                        plain_raw_cell(f, cell);
                        continue;
                }
                /* blanks only before something: none at the end of the line */
                if (len) {
                        blanks(f, pending);
                        fwrite(cell, 1, len, f);
                        pending = 0;
                }
                pending += widths[i] - len + 1;
        }
        fputc('\n', f);
}

/* Printed, or false: not plain text, libsmartcols' to print. */
static bool classes_table_plain(struct glue_context *ctx, const struct options *opts, FILE *f)
{
        size_t n = glue_context_get_class_count(ctx), widths[CLASS_COLUMNS] = { 0 }, rows = 0;

        /* the headings count without -n too, as libsmartcols counts them */
        for (size_t c = 0; c < CLASS_COLUMNS; c++)
                widths[c] = strlen(class_headers[c]);
        for (size_t i = 0; i < n; i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);

                if (!in_namespace(cls, opts))
                        continue;
                for (size_t c = 0; c < CLASS_COLUMNS; c++) {
                        size_t len = plain_length(class_cell(cls, c));

                        if (len == SIZE_MAX)
                                return false;
                        if (len > widths[c])
                                widths[c] = len;
                }
                rows++;
        }
        if (rows == 0)
                return true; /* as libsmartcols: not even the heading */
        if (!opts->noheadings)
                plain_row(f, class_headers, widths, opts->raw);
        for (size_t i = 0; i < n; i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);
                const char *cells[CLASS_COLUMNS];

                if (!in_namespace(cls, opts))
                        continue;
                for (size_t c = 0; c < CLASS_COLUMNS; c++)
                        cells[c] = class_cell(cls, c);
                plain_row(f, cells, widths, opts->raw);
        }
        return true;
}

static int classes_table_smartcols(struct glue_context *ctx, const struct options *opts,
                                   struct output *out)
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
                for (size_t c = 0; c < CLASS_COLUMNS; c++)
                        if (c != 2 || !opts->tree)
                                scols_line_set_data(lines[i], col++, class_cell(cls, c));
        }
        r = table_print_stripped(table, output_file(out), opts->raw);
out:
        free(lines);
        scols_unref_table(table);
        return r;
}

static int classes_table(struct glue_context *ctx, const struct options *opts, struct output *out)
{
        if (!opts->tree && !output_width(out) && classes_table_plain(ctx, opts, output_file(out)))
                return 0;
        return classes_table_smartcols(ctx, opts, out);
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

