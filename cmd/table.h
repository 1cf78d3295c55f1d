/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The table for people, through libsmartcols as lsblk prints its: the columns of the spec (the
 * class's default ones unless told), a CLASS column when rows are not all of the class asked
 * for, values for people (human sizes, Values{} names, units), fitted into the terminal's width
 * by truncating the text columns, no trailing blanks.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "output.h"

struct table_format {
        bool bytes;      /* -b */
        bool raw;        /* -r */
        bool noheadings; /* -n: neither the column heading nor the class heading */
        size_t width;    /* fit into this many columns; 0: no limit */
        bool blank_line_before;
};

struct libscols_table;
/* Print a libsmartcols table to f without trailing blanks (but for -r, whose fields keep their
 * separators). -ENOMEM on failure. */
int table_print_stripped(struct libscols_table *table, FILE *f, bool raw);

/* Rows in the order of their keys, numbers in names as numbers (sda2 before sda10). */
void table_sort_rows(struct glue_instance **rows, size_t n_rows);
/* Sorts rows (by key, numbers as numbers) and prints them headed by heading (or none).
 * -ENOMEM on failure. */
int table_print(FILE *f, const struct table_format *format, struct glue_instance **rows,
                size_t n_rows, const struct column_spec *spec, const struct glue_class *heading);
