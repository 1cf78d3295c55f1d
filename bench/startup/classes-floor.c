/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The start-up floor: what `hwglue classes` prints, from a static table (class-rows.h, made
 * from the built-in schema at build time) by a program that links nothing but libc, built with
 * hwglue's flags. bench/run-bench.sh checks that the two print the same bytes and times both:
 * the least a process that prints those names does.
 */
#include <stdio.h>
#include <string.h>

struct class_row {
        const char *cells[5];
};

#include "class-rows.h"

#define N_COLUMNS 5
#define N_ROWS (sizeof(class_rows) / sizeof(class_rows[0]))

static const struct class_row heading = {
        { "NAME", "PROVIDER", "SUPERCLASS", "ABSTRACT", "DESCRIPTION" },
};

static const char blanks[] = "                                ";

/* Each column as wide as its widest cell, one blank between, none at the end of a line. */
static void print_row(const struct class_row *row, const size_t *widths)
{
        size_t pending = 0;

        for (size_t i = 0; i < N_COLUMNS; i++) {
                const char *cell = row->cells[i] ? row->cells[i] : "";
                size_t len = strlen(cell);

                if (len) {
                        for (; pending > sizeof(blanks) - 1; pending -= sizeof(blanks) - 1)
                                fwrite(blanks, 1, sizeof(blanks) - 1, stdout);
                        fwrite(blanks, 1, pending, stdout);
                        fwrite(cell, 1, len, stdout);
                        pending = 0;
                }
                pending += widths[i] - len + 1;
        }
        putchar('\n');
}

int main(void)
{
        size_t widths[N_COLUMNS];

        for (size_t i = 0; i < N_COLUMNS; i++) {
                widths[i] = strlen(heading.cells[i]);
                for (size_t r = 0; r < N_ROWS; r++) {
                        size_t len = class_rows[r].cells[i] ? strlen(class_rows[r].cells[i]) : 0;
                        if (len > widths[i])
                                widths[i] = len;
                }
        }
        print_row(&heading, widths);
        for (size_t r = 0; r < N_ROWS; r++)
                print_row(&class_rows[r], widths);
        return fflush(stdout) == 0 ? 0 : 1;
}
