/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "query-parser.h"

void cell_clear(struct cell *c)
{
        free(c->system_text);
        *c = (struct cell){ 0 };
}

void cell_of(const struct glue_instance *inst, const char *name, struct cell *c)
{
        const struct glue_class *cls = glue_instance_get_class(inst);
        const struct glue_class *super = glue_class_get_superclass(cls);
        size_t index;
        int system = wql_system_property(name);

        *c = (struct cell){ .name = name, .system = system };
        switch (system) {
        case WQL_SYSTEM_CLASS:
                c->system_text = strdup(glue_class_get_name(cls));
                return;
        case WQL_SYSTEM_SUPERCLASS:
                c->system_text = super ? strdup(glue_class_get_name(super)) : NULL;
                return;
        case WQL_SYSTEM_NAMESPACE:
                c->system_text = strdup(glue_class_get_namespace(cls));
                return;
        case WQL_SYSTEM_RELPATH:
        case WQL_SYSTEM_PATH: {
                char *path;
                if (glue_instance_get_path(inst, &path) < 0)
                        return;
                if (system == WQL_SYSTEM_PATH) {
                        if (asprintf(&c->system_text, "%s:%s", glue_class_get_namespace(cls), path) < 0)
                                c->system_text = NULL;
                        free(path);
                } else {
                        c->system_text = path;
                }
                return;
        }
        default:
                break;
        }
        if (glue_class_find_property(cls, name, &c->prop, &index) < 0)
                return;
        c->name = glue_property_get_name(c->prop);
        if (glue_instance_get_value_at(inst, index, &c->value) < 0)
                c->value = NULL;
}

void cell_at(const struct glue_instance *inst, const struct glue_property *prop, size_t index,
             struct cell *c)
{
        *c = (struct cell){ .name = glue_property_get_name(prop), .prop = prop };
        if (glue_instance_get_value_at(inst, index, &c->value) < 0)
                c->value = NULL;
}
