/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "text-table.h"

/* Below this the description gets no room worth wrapping into: it goes on one line. */
#define MIN_WRAP_WIDTH 24
#define SEPARATOR "  "
/* The description's indent when it goes under the other columns. */
#define NARROW_INDENT 4

struct text_table {
        size_t n_columns;
        char **headers;
        char **cells; /* n_rows * n_columns */
        size_t n_rows;
};

/* The text as it will be printed: control bytes as \xHH (they must not reach the terminal). */
static char *escaped(const char *s)
{
        size_t len = 0;
        char *out, *p;

        for (const unsigned char *c = (const unsigned char *)s; *c; c++)
                len += (*c < 0x20 || *c == 0x7f) ? 4 : 1;
        out = malloc(len + 1);
        if (!out)
                return NULL;
        p = out;
        for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
                if (*c < 0x20 || *c == 0x7f)
                        p += sprintf(p, "\\x%02x", *c);
                else
                        *p++ = (char)*c;
        }
        *p = '\0';
        return out;
}

/* Display width of UTF-8 text, one column per character (what the schema's text holds). */
static size_t text_width(const char *s, size_t len)
{
        size_t w = 0;

        for (size_t i = 0; i < len; i++)
                if (((unsigned char)s[i] & 0xc0) != 0x80)
                        w++;
        return w;
}

/* Bytes of s that fit in width columns. */
static size_t bytes_in_width(const char *s, size_t len, size_t width)
{
        size_t w = 0, i = 0;

        for (; i < len; i++) {
                if (((unsigned char)s[i] & 0xc0) != 0x80) {
                        if (w == width)
                                break;
                        w++;
                }
        }
        return i;
}

int text_table_new(size_t n_columns, const char *const *headers, struct text_table **ret)
{
        struct text_table *t = calloc(1, sizeof(*t));

        if (!t || !(t->headers = calloc(n_columns, sizeof(char *)))) {
                free(t);
                return -ENOMEM;
        }
        t->n_columns = n_columns;
        for (size_t i = 0; i < n_columns; i++)
                if (!(t->headers[i] = escaped(headers[i]))) {
                        text_table_free(t);
                        return -ENOMEM;
                }
        *ret = t;
        return 0;
}

int text_table_add_row(struct text_table *t, const char *const *cells)
{
        char **grown = realloc(t->cells, (t->n_rows + 1) * t->n_columns * sizeof(char *));

        if (!grown)
                return -ENOMEM;
        t->cells = grown;
        for (size_t i = 0; i < t->n_columns; i++) {
                char **cell = &t->cells[t->n_rows * t->n_columns + i];
                *cell = escaped(cells[i] ? cells[i] : "");
                if (!*cell) {
                        while (i-- > 0)
                                free(t->cells[t->n_rows * t->n_columns + i]);
                        return -ENOMEM;
                }
        }
        t->n_rows++;
        return 0;
}

static void spaces(FILE *f, size_t n)
{
        while (n-- > 0)
                fputc(' ', f);
}

/* The next line of a wrapped text: its length in bytes, and where the following one starts. */
static size_t next_line(const char *s, size_t width, const char **ret_next)
{
        size_t len = strlen(s), fit, end;

        if (width == 0 || text_width(s, len) <= width) {
                *ret_next = s + len;
                return len;
        }
        fit = bytes_in_width(s, len, width);
        /* break at the last blank that fits, else (a word wider than the column) inside it */
        end = fit;
        while (end > 0 && s[end] != ' ')
                end--;
        if (end == 0)
                end = fit;
        *ret_next = s + end;
        while (**ret_next == ' ')
                (*ret_next)++;
        while (end > 0 && s[end - 1] == ' ')
                end--;
        return end;
}

static void write_wrapped_escaped(FILE *f, const char *s, size_t indent, size_t width,
                                  bool first_indented)
{
        size_t room = width > indent ? width - indent : 0;
        bool first = true;

        if (width && room < MIN_WRAP_WIDTH / 2)
                room = 0; /* no room worth wrapping into: one line */
        do {
                const char *next;
                size_t len = next_line(s, room, &next);
                if (!first || first_indented)
                        spaces(f, indent);
                fwrite(s, 1, len, f);
                fputc('\n', f);
                first = false;
                s = next;
        } while (*s);
}

void write_wrapped(FILE *f, const char *text, size_t indent, size_t width)
{
        char *s = escaped(text);

        if (!s)
                return;
        write_wrapped_escaped(f, s, indent, width, false);
        free(s);
}

static void print_row(const struct text_table *t, FILE *f, char *const *cells,
                      const size_t *widths, size_t width)
{
        size_t last = t->n_columns - 1, at = 0, pending = 0;

        for (size_t i = 0; i < last; i++) {
                size_t len = strlen(cells[i]);
                /* blanks only before something: no trailing ones when the rest is empty */
                if (len) {
                        spaces(f, pending);
                        fputs(cells[i], f);
                        pending = 0;
                }
                pending += widths[i] - text_width(cells[i], len) + strlen(SEPARATOR);
                at += widths[i] + strlen(SEPARATOR);
        }
        if (!*cells[last]) {
                fputc('\n', f);
                return;
        }
        if (width && (width < at || width - at < MIN_WRAP_WIDTH)) {
                /* too narrow for a column beside the others: the description goes under them,
                 * indented, as a man page's tagged paragraph does */
                fputc('\n', f);
                write_wrapped_escaped(f, cells[last], NARROW_INDENT, width, true);
                return;
        }
        spaces(f, pending);
        write_wrapped_escaped(f, cells[last], at, width, false);
}

void text_table_print(const struct text_table *t, FILE *f, size_t width, bool headings)
{
        size_t *widths = calloc(t->n_columns, sizeof(*widths));

        if (!widths)
                return;
        for (size_t i = 0; i < t->n_columns; i++) {
                widths[i] = headings ? text_width(t->headers[i], strlen(t->headers[i])) : 0;
                for (size_t r = 0; r < t->n_rows; r++) {
                        const char *cell = t->cells[r * t->n_columns + i];
                        size_t w = text_width(cell, strlen(cell));
                        if (w > widths[i])
                                widths[i] = w;
                }
        }
        if (headings)
                print_row(t, f, t->headers, widths, width);
        for (size_t r = 0; r < t->n_rows; r++)
                print_row(t, f, &t->cells[r * t->n_columns], widths, width);
        free(widths);
}

void text_table_free(struct text_table *t)
{
        if (!t)
                return;
        for (size_t i = 0; i < t->n_rows * t->n_columns; i++)
                free(t->cells[i]);
        for (size_t i = 0; t->headers && i < t->n_columns; i++)
                free(t->headers[i]);
        free(t->headers);
        free(t->cells);
        free(t);
}
