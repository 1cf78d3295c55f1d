/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cell.h"
#include "columns.h"
#include "query-parser.h"
#include "table.h"

/* Rows for people in the order of their keys, with numbers in names counted as numbers
 * (sda2 before sda10), as lsblk and lspci list them; machine formats keep arrival order. */
static int compare_by_path(const void *a, const void *b)
{
        struct glue_instance *const *x = a, *const *y = b;
        char *px = NULL, *py = NULL;
        int r;

        glue_instance_get_path(*x, &px);
        glue_instance_get_path(*y, &py);
        /* compare the key part: instances of several classes interleave */
        r = strverscmp(px ? strchrnul(px, '.') : "", py ? strchrnul(py, '.') : "");
        free(px);
        free(py);
        return r;
}

void table_sort_rows(struct glue_instance **rows, size_t n_rows)
{
        qsort(rows, n_rows, sizeof(*rows), compare_by_path);
}

/* Every property of the rows' classes, the asked class's first. */
static int add_all_properties(struct column_list *cols, const struct glue_class *cls,
                              struct glue_instance **rows, size_t n_rows)
{
        int r = 0;

        for (size_t k = 0; k <= n_rows && r >= 0; k++) {
                const struct glue_class *c = k == 0 ? cls : glue_instance_get_class(rows[k - 1]);
                for (size_t i = 0; c && i < glue_class_get_property_count(c) && r >= 0; i++)
                        r = column_list_add(cols, glue_property_get_name(glue_class_get_property(c, i)));
        }
        return r;
}

static int table_columns(const struct column_spec *spec, struct glue_instance **rows,
                         size_t n_rows, struct column_list *cols)
{
        const struct glue_class *cls = spec->cls ? spec->cls : glue_instance_get_class(rows[0]);
        bool with_class = false;
        int r = 0;

        if (spec->names && !spec->add) {
                for (size_t i = 0; i < spec->n_names && r >= 0; i++)
                        r = column_list_add(cols, spec->names[i]);
                return r;
        }
        /* vda of `enum Linux_DiskDrive` is a Linux_VirtioDisk: say so */
        for (size_t i = 0; i < n_rows; i++)
                with_class |= glue_instance_get_class(rows[i]) != cls;
        if (with_class)
                r = column_list_add(cols, "__CLASS");
        if (r < 0)
                return r;
        if (spec->keys_only) {
                for (size_t i = 0; i < glue_class_get_property_count(cls) && r >= 0; i++) {
                        const struct glue_property *prop = glue_class_get_property(cls, i);
                        if (glue_property_is_key(prop))
                                r = column_list_add(cols, glue_property_get_name(prop));
                }
                return r;
        }
        if (spec->all)
                return add_all_properties(cols, cls, rows, n_rows);
        r = column_list_add_defaults(cols, cls);
        for (size_t i = 0; spec->add && i < spec->n_names && r >= 0; i++)
                r = column_list_add(cols, spec->names[i]);
        /* a class that names no column and has no key, label or reading: show everything
         * rather than empty rows */
        if (r >= 0 && cols->n == (with_class ? 1u : 0u))
                r = add_all_properties(cols, cls, rows, n_rows);
        return r;
}

/* The property a column shows, for its alignment: the asked class's, or the first row's that
 * has it. */
static const struct glue_property *column_property(const struct column_spec *spec,
                                                   struct glue_instance **rows, size_t n_rows,
                                                   const char *name)
{
        const struct glue_property *prop;

        if (wql_system_property(name) != WQL_SYSTEM_NONE)
                return NULL;
        if (spec->cls && glue_class_find_property(spec->cls, name, &prop, NULL) >= 0)
                return prop;
        for (size_t i = 0; i < n_rows; i++)
                if (glue_class_find_property(glue_instance_get_class(rows[i]), name, &prop,
                                             NULL) >= 0)
                        return prop;
        return NULL;
}

/* Numbers align right; text that can be long (names, models, lists) may be cut to fit the
 * terminal, as lsblk's MODEL and SERIAL are; keys and the class never are. */
static int column_flags(const struct glue_property *prop)
{
        const struct glue_value *q;
        enum glue_type type;

        if (!prop || glue_property_is_key(prop))
                return 0;
        type = glue_property_get_type(prop);
        if (!glue_property_is_array(prop) && glue_property_get_qualifier(prop, "ValueMap", &q) < 0 &&
            (glue_type_is_signed(type) || glue_type_is_unsigned(type) || glue_type_is_real(type)))
                return SCOLS_FL_RIGHT;
        if (type == GLUE_TYPE_BOOLEAN && !glue_property_is_array(prop))
                return 0;
        return SCOLS_FL_TRUNC;
}

/*
 * The CLASS column is cut only as a last resort, and only as much as it must: when the table
 * cannot fit otherwise with every text column cut to its heading (Linux_PCIMultimediaController
 * is 29 characters; the PCI table's other columns take 52 of 80). libsmartcols, told it may cut
 * it, would cut it first.
 */
static int shrink_class_column(struct libscols_table *table, const struct column_list *cols,
                               const size_t *widths, size_t n_rows, size_t width)
{
        size_t least = 0, class_column = cols->n, keep;

        for (size_t i = 0; i < cols->n; i++) {
                struct libscols_column *cl = scols_table_get_column(table, i);
                bool trunc = cl && (scols_column_get_flags(cl) & SCOLS_FL_TRUNC);
                size_t header = strlen(cols->names[i]);

                if (wql_system_property(cols->names[i]) == WQL_SYSTEM_CLASS) {
                        class_column = i;
                        header = strlen("CLASS");
                }
                least += (trunc && widths[i] > header ? header : widths[i] > header ? widths[i] : header) +
                         (i ? 1 : 0);
        }
        if (class_column == cols->n || least <= width)
                return 0;
        keep = widths[class_column] > least - width ? widths[class_column] - (least - width) : 0;
        if (keep < strlen("CLASS"))
                keep = strlen("CLASS");
        for (size_t k = 0; k < n_rows; k++) {
                struct libscols_line *line = scols_table_get_line(table, k);
                struct libscols_cell *cell = line ? scols_line_get_cell(line, class_column) : NULL;
                const char *name = cell ? scols_cell_get_data(cell) : NULL;
                char *cut;

                if (!name || strlen(name) <= keep)
                        continue;
                cut = strndup(name, keep); /* class names are ASCII */
                if (!cut || scols_line_refer_data(line, class_column, cut) < 0) {
                        free(cut);
                        return -ENOMEM;
                }
        }
        return 0;
}

static const char *class_description(const struct glue_class *cls)
{
        const struct glue_value *v;

        if (glue_class_get_qualifier(cls, "Description", &v) < 0 || v->is_array ||
            !glue_type_is_string(v->type))
                return NULL;
        return v->v.str;
}

/* The heading: the class and the first sentence of its description. */
static void print_heading(FILE *f, const struct glue_class *cls, bool blank_line_before)
{
        const char *description = class_description(cls);
        int len = description ? (int)strcspn(description, ".:;(") : 0;

        while (len > 0 && description[len - 1] == ' ')
                len--;
        if (blank_line_before)
                fputc('\n', f);
        fputs(glue_class_get_name(cls), f);
        if (len) {
                char *sentence = strndup(description, (size_t)len);
                fputs(": ", f);
                if (sentence)
                        write_log_text(f, sentence); /* the schema's text, control bytes escaped */
                free(sentence);
        }
        fputc('\n', f);
}

static char *cell_text(const struct cell *c, bool bytes)
{
        if (c->system != WQL_SYSTEM_NONE)
                return c->system_text ? strdup(c->system_text) : NULL;
        return c->value ? format_cell(c->prop, c->value, bytes) : NULL;
}

int table_print_stripped(struct libscols_table *table, FILE *f, bool raw)
{
        char *text = NULL;

        if (raw)
                /* raw fields keep their separators: an empty last value is a blank at the end */
                return scols_print_table(table) < 0 ? -ENOMEM : 0;
        if (scols_print_table_to_string(table, &text) < 0 || !text)
                return -ENOMEM;
        /* a cell cut to fit ("Samsung SSD" -> "Samsung ") would end its line in a blank */
        for (char *line = text, *end; *line; line = end) {
                size_t len;
                end = strchrnul(line, '\n');
                len = (size_t)(end - line);
                while (len > 0 && line[len - 1] == ' ')
                        len--;
                fwrite(line, 1, len, f);
                if (*end) {
                        fputc('\n', f);
                        end++;
                }
        }
        if (*text && text[strlen(text) - 1] != '\n')
                fputc('\n', f);
        free(text);
        return 0;
}

int table_print(FILE *f, const struct table_format *format, struct glue_instance **rows,
                size_t n_rows, const struct column_spec *spec, const struct glue_class *heading)
{
        struct libscols_table *table = NULL;
        struct column_list cols = { 0 };
        size_t *widths = NULL;
        int r = 0;

        if (n_rows == 0)
                return 0;
        table_sort_rows(rows, n_rows);
        if (table_columns(spec, rows, n_rows, &cols) < 0 || !(table = scols_new_table())) {
                r = -ENOMEM;
                goto out;
        }
        scols_table_set_stream(table, f);
        scols_table_enable_raw(table, format->raw);
        scols_table_enable_noheadings(table, format->noheadings);
        /* end each line at its last cell with data: no trailing blanks */
        scols_table_enable_minout(table, 1);
        if (format->width) {
                scols_table_set_termwidth(table, format->width);
                scols_table_set_termforce(table, SCOLS_TERMFORCE_ALWAYS);
        } else {
                scols_table_set_termforce(table, SCOLS_TERMFORCE_NEVER);
        }
        for (size_t i = 0; i < cols.n; i++) {
                int system = wql_system_property(cols.names[i]);
                const struct glue_property *prop = column_property(spec, rows, n_rows,
                                                                   cols.names[i]);
                const char *title = system == WQL_SYSTEM_CLASS ? "CLASS"
                                    : system ? wql_system_property_name(system)
                                    : prop ? glue_property_get_name(prop) : cols.names[i];
                if (!scols_table_new_column(table, title, 0, column_flags(prop))) {
                        r = -ENOMEM;
                        goto out;
                }
        }
        widths = calloc(cols.n, sizeof(*widths));
        if (!widths) {
                r = -ENOMEM;
                goto out;
        }
        for (size_t k = 0; k < n_rows; k++) {
                struct libscols_line *line = scols_table_new_line(table, NULL);
                if (!line) {
                        r = -ENOMEM;
                        goto out;
                }
                for (size_t i = 0; i < cols.n; i++) {
                        struct cell c;
                        char *text;
                        cell_of(rows[k], cols.names[i], &c);
                        text = cell_text(&c, format->bytes);
                        if (text && strlen(text) > widths[i])
                                widths[i] = strlen(text);
                        if (text && scols_line_refer_data(line, i, text) < 0)
                                free(text);
                        cell_clear(&c);
                }
        }
        if (format->width && shrink_class_column(table, &cols, widths, n_rows, format->width) < 0) {
                r = -ENOMEM;
                goto out;
        }
        if (heading && !format->noheadings)
                print_heading(f, heading, format->blank_line_before);
        r = table_print_stripped(table, f, format->raw);
out:
        scols_unref_table(table);
        column_list_clear(&cols);
        free(widths);
        return r;
}
