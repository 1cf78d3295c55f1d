/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Classes, properties and qualifiers: the registry built from MOF. Immutable once a class is
 * added to a context, so readers need no lock. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glue-private.h"

/* ---- qualifiers ------------------------------------------------------------------------- */

const struct glue_qualifier *qualifier_list_find(const struct qualifier_list *list,
                                                 const char *name)
{
        for (size_t i = 0; i < list->count; i++)
                if (strcasecmp(list->items[i].name, name) == 0)
                        return &list->items[i];
        return NULL;
}

int qualifier_list_set(struct qualifier_list *list, const char *name, const struct glue_value *v)
{
        struct glue_qualifier *q = (struct glue_qualifier *)qualifier_list_find(list, name);
        struct glue_value copy;
        int r;

        r = value_copy(&copy, v);
        if (r < 0)
                return r;
        if (q) {
                value_clear(&q->value);
                q->value = copy;
                return 0;
        }
        struct glue_qualifier *items = realloc(list->items, (list->count + 1) * sizeof(*items));
        if (!items) {
                value_clear(&copy);
                return -ENOMEM;
        }
        list->items = items;
        items[list->count].name = strdup(name);
        if (!items[list->count].name) {
                value_clear(&copy);
                return -ENOMEM;
        }
        items[list->count].value = copy;
        list->count++;
        return 0;
}

int qualifier_list_copy(struct qualifier_list *dst, const struct qualifier_list *src)
{
        for (size_t i = 0; i < src->count; i++) {
                int r = qualifier_list_set(dst, src->items[i].name, &src->items[i].value);
                if (r < 0)
                        return r;
        }
        return 0;
}

void qualifier_list_clear(struct qualifier_list *list)
{
        for (size_t i = 0; i < list->count; i++) {
                free(list->items[i].name);
                value_clear(&list->items[i].value);
        }
        free(list->items);
        list->items = NULL;
        list->count = 0;
}

/* Qualifiers that describe one class and are not passed on to subclasses. */
static bool qualifier_is_restricted(const char *name)
{
        return strcasecmp(name, "Abstract") == 0;
}

/* ---- classes ---------------------------------------------------------------------------- */

struct glue_class *class_new(const char *name_space, const char *name, struct glue_class *super)
{
        struct glue_class *cls = calloc(1, sizeof(*cls));

        if (!cls)
                return NULL;
        cls->name = strdup(name);
        cls->name_space = strdup(name_space);
        cls->superclass = super;
        if (!cls->name || !cls->name_space ||
            asprintf(&cls->full_name, "%s:%s", name_space, name) < 0) {
                cls->full_name = NULL;
                goto fail;
        }
        if (super) {
                /* Inherited properties are shared pointers (owned by their origin class). */
                if (super->n_properties) {
                        cls->properties = malloc(super->n_properties * sizeof(*cls->properties));
                        if (!cls->properties)
                                goto fail;
                        memcpy(cls->properties, super->properties,
                               super->n_properties * sizeof(*cls->properties));
                        cls->n_properties = super->n_properties;
                }
                for (size_t i = 0; i < super->qualifiers.count; i++) {
                        const struct glue_qualifier *q = &super->qualifiers.items[i];
                        if (!qualifier_is_restricted(q->name) &&
                            qualifier_list_set(&cls->qualifiers, q->name, &q->value) < 0)
                                goto fail;
                }
        }
        return cls;
fail:
        class_free(cls);
        return NULL;
}

void property_free(struct glue_property *prop)
{
        if (!prop)
                return;
        free(prop->name);
        if (prop->default_value) {
                value_clear(prop->default_value);
                free(prop->default_value);
        }
        qualifier_list_clear(&prop->qualifiers);
        free(prop);
}

void class_free(struct glue_class *cls)
{
        if (!cls)
                return;
        for (size_t i = 0; i < cls->n_properties; i++)
                if (cls->properties[i]->origin == cls)
                        property_free(cls->properties[i]);
        for (size_t i = 0; i < cls->n_static_instances; i++)
                glue_instance_unref(cls->static_instances[i]);
        free(cls->static_instances);
        free(cls->properties);
        free(cls->key_indexes);
        free(cls->subclasses);
        name_index_clear(&cls->property_index);
        qualifier_list_clear(&cls->qualifiers);
        free(cls->provider);
        free(cls->name);
        free(cls->name_space);
        free(cls->full_name);
        free(cls);
}

static long class_property_index(const struct glue_class *cls, const char *name)
{
        for (size_t i = 0; i < cls->n_properties; i++)
                if (strcasecmp(cls->properties[i]->name, name) == 0)
                        return (long)i;
        return -1;
}

int class_add_property(struct glue_class *cls, struct glue_property *prop, const char *override_name,
                       char **ret_error)
{
        long existing = class_property_index(cls, prop->name);
        int r;

        prop->origin = cls;
        if (existing >= 0 && cls->properties[existing]->origin == cls) {
                r = asprintf(ret_error, "property %s is declared twice in class %s", prop->name,
                             cls->name);
                return r < 0 ? -ENOMEM : -ENOEXEC;
        }
        if (override_name && strcasecmp(override_name, prop->name) != 0) {
                r = asprintf(ret_error, "Override(\"%s\") must name the property itself (%s)",
                             override_name, prop->name);
                return r < 0 ? -ENOMEM : -ENOEXEC;
        }
        if (existing >= 0) {
                const struct glue_property *old = cls->properties[existing];

                if (!override_name) {
                        r = asprintf(ret_error,
                                     "property %s is already defined in superclass %s; "
                                     "use [Override(\"%s\")]",
                                     prop->name, old->origin->name, prop->name);
                        return r < 0 ? -ENOMEM : -ENOEXEC;
                }
                if (old->type != prop->type || old->is_array != prop->is_array) {
                        r = asprintf(ret_error, "override of %s changes its type", prop->name);
                        return r < 0 ? -ENOMEM : -ENOEXEC;
                }
                /* A reference may be narrowed to a subclass of what it referred to, no more. */
                if (prop->type == GLUE_TYPE_REFERENCE &&
                    !glue_class_is_a(prop->reference_class, old->reference_class)) {
                        r = asprintf(ret_error, "override of reference %s must refer to %s or a "
                                     "class derived from it", prop->name,
                                     old->reference_class->name);
                        return r < 0 ? -ENOMEM : -ENOEXEC;
                }
                /* The overriding property inherits the qualifiers it does not restate. */
                for (size_t i = 0; i < old->qualifiers.count; i++) {
                        const struct glue_qualifier *q = &old->qualifiers.items[i];
                        if (!qualifier_list_find(&prop->qualifiers, q->name) &&
                            qualifier_list_set(&prop->qualifiers, q->name, &q->value) < 0)
                                return -ENOMEM;
                }
                prop->is_key = old->is_key;
                prop->is_expensive = prop->is_expensive || old->is_expensive;
                cls->properties[existing] = prop;
                return 0;
        }
        if (override_name) {
                r = asprintf(ret_error, "Override(\"%s\"): no inherited property of that name",
                             override_name);
                return r < 0 ? -ENOMEM : -ENOEXEC;
        }
        if (prop->is_key && cls->superclass && cls->superclass->n_keys > 0) {
                r = asprintf(ret_error, "class %s cannot add key %s: its superclass %s has keys",
                             cls->name, prop->name, cls->superclass->name);
                return r < 0 ? -ENOMEM : -ENOEXEC;
        }
        struct glue_property **props = realloc(cls->properties,
                                               (cls->n_properties + 1) * sizeof(*props));
        if (!props)
                return -ENOMEM;
        cls->properties = props;
        props[cls->n_properties++] = prop;
        return 0;
}

static const char *class_property_name_at(size_t i, const void *userdata)
{
        const struct glue_class *cls = userdata;
        return cls->properties[i]->name;
}

int class_seal(struct glue_class *cls)
{
        size_t n = 0;

        free(cls->key_indexes);
        cls->key_indexes = malloc((cls->n_properties ? cls->n_properties : 1) * sizeof(size_t));
        if (!cls->key_indexes)
                return -ENOMEM;
        for (size_t i = 0; i < cls->n_properties; i++)
                if (cls->properties[i]->is_key)
                        cls->key_indexes[n++] = i;
        cls->n_keys = n;
        return name_index_build(&cls->property_index, cls->n_properties, class_property_name_at,
                                cls);
}

bool class_has_static_key(const struct glue_class *cls, const struct glue_instance *inst)
{
        for (size_t i = 0; i < cls->n_static_instances; i++)
                if (instance_same_keys(cls->static_instances[i], inst))
                        return true;
        return false;
}

/* ---- public getters --------------------------------------------------------------------- */

GLUE_EXPORT const char *glue_class_get_name(const struct glue_class *cls)
{
        return cls ? cls->name : NULL;
}

GLUE_EXPORT const char *glue_class_get_namespace(const struct glue_class *cls)
{
        return cls ? cls->name_space : NULL;
}

GLUE_EXPORT const struct glue_class *glue_class_get_superclass(const struct glue_class *cls)
{
        return cls ? cls->superclass : NULL;
}

GLUE_EXPORT bool glue_class_is_abstract(const struct glue_class *cls)
{
        return cls && cls->is_abstract;
}

GLUE_EXPORT const char *glue_class_get_provider(const struct glue_class *cls)
{
        return cls ? cls->provider : NULL;
}

GLUE_EXPORT bool glue_class_is_a(const struct glue_class *cls, const struct glue_class *ancestor)
{
        for (; cls; cls = cls->superclass)
                if (cls == ancestor)
                        return true;
        return false;
}

GLUE_EXPORT size_t glue_class_get_subclass_count(const struct glue_class *cls)
{
        return cls ? cls->n_subclasses : 0;
}

GLUE_EXPORT const struct glue_class *glue_class_get_subclass(const struct glue_class *cls,
                                                             size_t index)
{
        return cls && index < cls->n_subclasses ? cls->subclasses[index] : NULL;
}

static int qualifier_at(const struct qualifier_list *list, size_t index, const char **ret_name,
                        const struct glue_value **ret_value)
{
        if (index >= list->count)
                return -EINVAL;
        if (ret_name)
                *ret_name = list->items[index].name;
        if (ret_value)
                *ret_value = &list->items[index].value;
        return 0;
}

static int qualifier_get(const struct qualifier_list *list, const char *name,
                         const struct glue_value **ret)
{
        const struct glue_qualifier *q;

        if (!name)
                return -EINVAL;
        q = qualifier_list_find(list, name);
        if (!q)
                return -ENOENT;
        if (ret)
                *ret = &q->value;
        return 0;
}

GLUE_EXPORT size_t glue_class_get_qualifier_count(const struct glue_class *cls)
{
        return cls ? cls->qualifiers.count : 0;
}

GLUE_EXPORT int glue_class_get_qualifier_at(const struct glue_class *cls, size_t index,
                                            const char **ret_name,
                                            const struct glue_value **ret_value)
{
        if (!cls)
                return -EINVAL;
        return qualifier_at(&cls->qualifiers, index, ret_name, ret_value);
}

GLUE_EXPORT int glue_class_get_qualifier(const struct glue_class *cls, const char *name,
                                         const struct glue_value **ret)
{
        if (!cls)
                return -EINVAL;
        return qualifier_get(&cls->qualifiers, name, ret);
}

GLUE_EXPORT size_t glue_class_get_property_count(const struct glue_class *cls)
{
        return cls ? cls->n_properties : 0;
}

GLUE_EXPORT const struct glue_property *glue_class_get_property(const struct glue_class *cls,
                                                                size_t index)
{
        return cls && index < cls->n_properties ? cls->properties[index] : NULL;
}

GLUE_EXPORT int glue_class_find_property(const struct glue_class *cls, const char *name,
                                         const struct glue_property **ret, size_t *ret_index)
{
        long i;

        if (!cls || !name)
                return -EINVAL;
        i = name_index_find(&cls->property_index, name, class_property_name_at, cls);
        if (i < 0)
                return -EINVAL;
        if (ret)
                *ret = cls->properties[i];
        if (ret_index)
                *ret_index = (size_t)i;
        return 0;
}

GLUE_EXPORT size_t glue_class_get_key_count(const struct glue_class *cls)
{
        return cls ? cls->n_keys : 0;
}

GLUE_EXPORT const char *glue_property_get_name(const struct glue_property *prop)
{
        return prop ? prop->name : NULL;
}

GLUE_EXPORT enum glue_type glue_property_get_type(const struct glue_property *prop)
{
        return prop ? prop->type : 0;
}

GLUE_EXPORT bool glue_property_is_array(const struct glue_property *prop)
{
        return prop && prop->is_array;
}

GLUE_EXPORT bool glue_property_is_key(const struct glue_property *prop)
{
        return prop && prop->is_key;
}

GLUE_EXPORT bool glue_property_is_expensive(const struct glue_property *prop)
{
        return prop && prop->is_expensive;
}

GLUE_EXPORT const struct glue_class *glue_property_get_class_origin(const struct glue_property *prop)
{
        return prop ? prop->origin : NULL;
}

GLUE_EXPORT const struct glue_value *glue_property_get_default(const struct glue_property *prop)
{
        return prop ? prop->default_value : NULL;
}

GLUE_EXPORT size_t glue_property_get_qualifier_count(const struct glue_property *prop)
{
        return prop ? prop->qualifiers.count : 0;
}

GLUE_EXPORT int glue_property_get_qualifier_at(const struct glue_property *prop, size_t index,
                                               const char **ret_name,
                                               const struct glue_value **ret_value)
{
        if (!prop)
                return -EINVAL;
        return qualifier_at(&prop->qualifiers, index, ret_name, ret_value);
}

GLUE_EXPORT int glue_property_get_qualifier(const struct glue_property *prop, const char *name,
                                            const struct glue_value **ret)
{
        if (!prop)
                return -EINVAL;
        return qualifier_get(&prop->qualifiers, name, ret);
}
