/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which properties a table shows: the class's default columns, kept in the schema as the class
 * qualifier DefaultColumns{"Name", "Size", ...} (inherited by subclasses, restated to change
 * them), as lsblk, lspci and sensors each choose what they show first; -o to choose, -o + to
 * add, -O for every property.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "libglue.h"

#define DEFAULT_COLUMNS_QUALIFIER "DefaultColumns"

/* A list of column names, each once (compared as CIM compares names: without case). */
struct column_list {
        char **names; /* owned */
        size_t n;
};

int column_list_add(struct column_list *list, const char *name);
bool column_list_has(const struct column_list *list, const char *name);
void column_list_clear(struct column_list *list);

/* The class's DefaultColumns qualifier (own or inherited), or NULL if it has none. */
const struct glue_value *class_default_columns(const struct glue_class *cls);
/* The class at or above cls that states the DefaultColumns cls uses: rows of one owner share
 * a table in the inventory. NULL if no class up the chain has the qualifier. */
const struct glue_class *default_columns_owner(const struct glue_class *cls);

/* Append the default columns of cls: the qualifier's names that are properties of cls, or for a
 * class without the qualifier its keys, labels and readings (Label, gauges with units). */
int column_list_add_defaults(struct column_list *list, const struct glue_class *cls);

/* Is the property one of the class's default columns? */
bool is_default_column(const struct glue_class *cls, const char *name);

/*
 * The properties a table of cls and its subclasses' instances needs from the providers: the
 * default columns of every class of the subtree (each may head its own table). false when some class of the subtree has no qualifier (its fallback columns are found
 * per instance): then ask for everything.
 */
bool columns_needed_by_subtree(const struct glue_class *cls, struct column_list *list);
