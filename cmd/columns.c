/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "columns.h"

int column_list_add(struct column_list *list, const char *name)
{
        char **grown;

        if (column_list_has(list, name))
                return 0;
        grown = realloc(list->names, (list->n + 1) * sizeof(*grown));
        if (!grown)
                return -ENOMEM;
        list->names = grown;
        grown[list->n] = strdup(name);
        if (!grown[list->n])
                return -ENOMEM;
        list->n++;
        return 0;
}

bool column_list_has(const struct column_list *list, const char *name)
{
        for (size_t i = 0; i < list->n; i++)
                if (strcasecmp(list->names[i], name) == 0)
                        return true;
        return false;
}

void column_list_clear(struct column_list *list)
{
        for (size_t i = 0; i < list->n; i++)
                free(list->names[i]);
        free(list->names);
        *list = (struct column_list){ 0 };
}

const struct glue_value *class_default_columns(const struct glue_class *cls)
{
        const struct glue_value *v;

        if (glue_class_get_qualifier(cls, DEFAULT_COLUMNS_QUALIFIER, &v) < 0 || !v->is_array ||
            !glue_type_is_string(v->type))
                return NULL;
        return v;
}

static bool same_names(const struct glue_value *a, const struct glue_value *b)
{
        if (a->count != b->count)
                return false;
        for (size_t i = 0; i < a->count; i++)
                if (strcasecmp(a->v.str_array[i], b->v.str_array[i]) != 0)
                        return false;
        return true;
}

/* Subclasses inherit the qualifier as a copy: a class states it when its value differs from its
 * superclass's (restating the same list changes nothing, so it may count as inherited). */
const struct glue_class *default_columns_owner(const struct glue_class *cls)
{
        const struct glue_value *mine = class_default_columns(cls);

        if (!mine)
                return NULL;
        for (const struct glue_class *super = glue_class_get_superclass(cls); super;
             super = glue_class_get_superclass(super)) {
                const struct glue_value *theirs = class_default_columns(super);
                if (!theirs || !same_names(mine, theirs))
                        break;
                cls = super;
        }
        return cls;
}

/* Without the qualifier: what identifies a device (keys, Label) and its readings (gauges other
 * than counts), as the inventory showed before classes chose their columns. */
static bool is_fallback_column(const struct glue_property *prop)
{
        const struct glue_value *q;

        if (glue_property_is_key(prop) || glue_property_get_qualifier(prop, "Label", &q) >= 0)
                return true;
        if (glue_property_get_qualifier(prop, "Metric", &q) < 0 || q->is_array ||
            !glue_type_is_string(q->type) || strcasecmp(q->v.str, "gauge") != 0)
                return false;
        return glue_property_get_qualifier(prop, "Units", &q) < 0 || q->is_array ||
               !glue_type_is_string(q->type) || strcasecmp(q->v.str, "Count") != 0;
}

int column_list_add_defaults(struct column_list *list, const struct glue_class *cls)
{
        const struct glue_value *names = class_default_columns(cls);
        int r = 0;

        if (names) {
                /* a name the class lacks is a schema mistake (tests/cmd checks the built-in
                 * ones): show the others rather than fail the command */
                for (size_t i = 0; i < names->count && r >= 0; i++)
                        if (glue_class_find_property(cls, names->v.str_array[i], NULL, NULL) >= 0)
                                r = column_list_add(list, names->v.str_array[i]);
                return r;
        }
        for (size_t i = 0; i < glue_class_get_property_count(cls) && r >= 0; i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                if (is_fallback_column(prop))
                        r = column_list_add(list, glue_property_get_name(prop));
        }
        return r;
}

bool is_default_column(const struct glue_class *cls, const char *name)
{
        struct column_list list = { 0 };
        bool found;

        column_list_add_defaults(&list, cls);
        found = column_list_has(&list, name);
        column_list_clear(&list);
        return found;
}

bool columns_needed_by_subtree(const struct glue_class *cls, struct column_list *list)
{
        if (!class_default_columns(cls))
                return false;
        if (column_list_add_defaults(list, cls) < 0)
                return false;
        for (size_t i = 0; i < glue_class_get_subclass_count(cls); i++)
                if (!columns_needed_by_subtree(glue_class_get_subclass(cls, i), list))
                        return false;
        return true;
}
