/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One column of one instance: a property of its class, or a WQL system property (__CLASS,
 * __PATH...), shared by the table and the machine formats. */
#pragma once

#include "libglue.h"

struct cell {
        const char *name;
        const struct glue_property *prop; /* NULL for system properties or unknown names */
        const struct glue_value *value;   /* NULL: NULL, not fetched, or not in this class */
        char *system_text;                /* owned, for system properties */
        int system;                       /* WQL_SYSTEM_*, or WQL_SYSTEM_NONE */
};

/* The named column of inst (the name as the class spells it, when it has the property). */
void cell_of(const struct glue_instance *inst, const char *name, struct cell *c);
/* A property of the instance's class, by the index it has there: no lookup by name. */
void cell_at(const struct glue_instance *inst, const struct glue_property *prop, size_t index,
             struct cell *c);
void cell_clear(struct cell *c);
