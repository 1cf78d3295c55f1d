/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A table for reading (describe, --list-columns): columns as wide as their widest cell, the last
 * one (a description) wrapped at word boundaries into what the width leaves it, as a man page's
 * tagged paragraphs are; no trailing blanks; control bytes shown as \xHH.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct text_table;

int text_table_new(size_t n_columns, const char *const *headers, struct text_table **ret);
/* Copies the n_columns cells; NULL reads as empty. */
int text_table_add_row(struct text_table *t, const char *const *cells);
/* width 0: no wrapping (one line per row). */
void text_table_print(const struct text_table *t, FILE *f, size_t width, bool headings);
void text_table_free(struct text_table *t);

/* Write text wrapped into width columns (0: no wrapping), every line but the first indented by
 * indent blanks (the first is assumed to start there), control bytes as \xHH. */
void write_wrapped(FILE *f, const char *text, size_t indent, size_t width);
