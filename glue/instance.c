/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Instances: one slot per property of the class, each not fetched, NULL or set. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glue-private.h"

GLUE_EXPORT int glue_instance_new(const struct glue_class *cls, struct glue_instance **ret)
{
        struct glue_instance *inst;

        if (!cls || !ret)
                return -EINVAL;
        inst = calloc(1, sizeof(*inst) + cls->n_properties * sizeof(inst->slots[0]));
        if (!inst)
                return -ENOMEM;
        atomic_init(&inst->refcount, 1);
        inst->cls = cls;
        *ret = inst;
        return 0;
}

GLUE_EXPORT struct glue_instance *glue_instance_ref(struct glue_instance *inst)
{
        if (inst)
                atomic_fetch_add(&inst->refcount, 1);
        return inst;
}

GLUE_EXPORT struct glue_instance *glue_instance_unref(struct glue_instance *inst)
{
        if (inst && atomic_fetch_sub(&inst->refcount, 1) == 1) {
                for (size_t i = 0; i < inst->cls->n_properties; i++)
                        if (inst->slots[i].state == SLOT_SET)
                                value_clear(&inst->slots[i].value);
                free(inst);
        }
        return NULL;
}

GLUE_EXPORT const struct glue_class *glue_instance_get_class(const struct glue_instance *inst)
{
        return inst ? inst->cls : NULL;
}

GLUE_EXPORT void glue_instance_list_free(struct glue_instance **list, size_t count)
{
        if (!list)
                return;
        for (size_t i = 0; i < count; i++)
                glue_instance_unref(list[i]);
        free(list);
}

static int slot_for(const struct glue_instance *inst, const char *name, size_t *ret)
{
        if (!inst || !name)
                return -EINVAL;
        return glue_class_find_property(inst->cls, name, NULL, ret);
}

/* Store an already converted value (owned) into a slot. */
static void slot_store(struct glue_instance *inst, size_t i, struct glue_value *v)
{
        struct instance_slot *slot = &inst->slots[i];

        if (slot->state == SLOT_SET)
                value_clear(&slot->value);
        slot->value = *v;
        slot->state = SLOT_SET;
}

GLUE_EXPORT int glue_instance_set_value(struct glue_instance *inst, const char *name,
                                        const struct glue_value *value)
{
        const struct glue_property *prop;
        struct glue_value conv;
        size_t i;
        int r;

        if (!value)
                return glue_instance_set_null(inst, name);
        r = slot_for(inst, name, &i);
        if (r < 0)
                return r;
        prop = inst->cls->properties[i];
        if (prop->type == GLUE_TYPE_REFERENCE) {
                /* Text of any kind (a string, another reference) is validated as a path. */
                if (value->is_array || !glue_type_is_string(value->type))
                        return -EPROTO;
                return glue_instance_set_reference(inst, name, value->v.str);
        }
        r = value_convert(&conv, value, prop->type, prop->is_array);
        if (r < 0)
                return r;
        slot_store(inst, i, &conv);
        return 0;
}

GLUE_EXPORT int glue_instance_set_null(struct glue_instance *inst, const char *name)
{
        size_t i;
        int r = slot_for(inst, name, &i);

        if (r < 0)
                return r;
        if (inst->slots[i].state == SLOT_SET)
                value_clear(&inst->slots[i].value);
        inst->slots[i].state = SLOT_NULL;
        return 0;
}

GLUE_EXPORT int glue_instance_set_bool(struct glue_instance *inst, const char *name, bool value)
{
        struct glue_value v = { .type = GLUE_TYPE_BOOLEAN, .v.b = value };
        return glue_instance_set_value(inst, name, &v);
}

GLUE_EXPORT int glue_instance_set_sint(struct glue_instance *inst, const char *name, int64_t value)
{
        struct glue_value v = { .type = GLUE_TYPE_SINT64, .v.s = value };
        return glue_instance_set_value(inst, name, &v);
}

GLUE_EXPORT int glue_instance_set_uint(struct glue_instance *inst, const char *name, uint64_t value)
{
        struct glue_value v = { .type = GLUE_TYPE_UINT64, .v.u = value };
        return glue_instance_set_value(inst, name, &v);
}

GLUE_EXPORT int glue_instance_set_real(struct glue_instance *inst, const char *name, double value)
{
        struct glue_value v = { .type = GLUE_TYPE_REAL64, .v.r = value };
        return glue_instance_set_value(inst, name, &v);
}

GLUE_EXPORT int glue_instance_set_string_len(struct glue_instance *inst, const char *name,
                                             const char *value, size_t len)
{
        const struct glue_property *prop;
        struct glue_value v = { .type = GLUE_TYPE_STRING };
        size_t i;
        int r;

        if (!value)
                return glue_instance_set_null(inst, name);
        r = slot_for(inst, name, &i);
        if (r < 0)
                return r;
        prop = inst->cls->properties[i];
        if (!glue_type_is_string(prop->type) || prop->is_array)
                return -EPROTO;
        /* Sanitise once here: the copy made is the one stored (no second copy). */
        char *s = utf8_sanitize(value, len);
        if (!s)
                return -ENOMEM;
        if (prop->type == GLUE_TYPE_REFERENCE) {
                r = glue_instance_set_reference(inst, name, s);
                free(s);
                return r;
        }
        if (prop->type == GLUE_TYPE_DATETIME && !datetime_is_valid(s)) {
                free(s);
                return -ERANGE;
        }
        v.type = prop->type;
        v.v.str = s;
        slot_store(inst, i, &v);
        return 0;
}

GLUE_EXPORT int glue_instance_set_string(struct glue_instance *inst, const char *name,
                                         const char *value)
{
        return glue_instance_set_string_len(inst, name, value, value ? strlen(value) : 0);
}

GLUE_EXPORT int glue_instance_set_stringf(struct glue_instance *inst, const char *name,
                                          const char *format, ...)
{
        va_list args;
        char *s;
        int r;

        if (!format)
                return -EINVAL;
        va_start(args, format);
        r = vasprintf(&s, format, args);
        va_end(args);
        if (r < 0)
                return -ENOMEM;
        r = glue_instance_set_string_len(inst, name, s, (size_t)r);
        free(s);
        return r;
}

GLUE_EXPORT int glue_instance_set_string_array(struct glue_instance *inst, const char *name,
                                               const char *const *values, size_t count)
{
        struct glue_value v = { .type = GLUE_TYPE_STRING, .is_array = true, .count = count,
                                .v.str_array = values };

        if (count && !values)
                return -EINVAL;
        for (size_t i = 0; i < count; i++)
                if (!values[i])
                        return -EINVAL;
        return glue_instance_set_value(inst, name, &v);
}

GLUE_EXPORT int glue_instance_set_uint_array(struct glue_instance *inst, const char *name,
                                             const uint64_t *values, size_t count)
{
        struct glue_value v = { .type = GLUE_TYPE_UINT64, .is_array = true, .count = count,
                                .v.u_array = values };

        if (count && !values)
                return -EINVAL;
        return glue_instance_set_value(inst, name, &v);
}

GLUE_EXPORT int glue_instance_get_value_at(const struct glue_instance *inst, size_t index,
                                           const struct glue_value **ret)
{
        if (!inst || index >= inst->cls->n_properties)
                return -EINVAL;
        switch (inst->slots[index].state) {
        case SLOT_NOT_FETCHED:
                return -ENOENT;
        case SLOT_NULL:
                return -ENODATA;
        default:
                if (ret)
                        *ret = &inst->slots[index].value;
                return 0;
        }
}

GLUE_EXPORT int glue_instance_get_value(const struct glue_instance *inst, const char *name,
                                        const struct glue_value **ret)
{
        size_t i;
        int r = slot_for(inst, name, &i);

        if (r < 0)
                return r;
        return glue_instance_get_value_at(inst, i, ret);
}

GLUE_EXPORT int glue_instance_get_bool(const struct glue_instance *inst, const char *name, bool *ret)
{
        const struct glue_value *v;
        int r = glue_instance_get_value(inst, name, &v);

        if (r < 0)
                return r;
        if (v->is_array || v->type != GLUE_TYPE_BOOLEAN)
                return -EPROTO;
        if (ret)
                *ret = v->v.b;
        return 0;
}

/* A scalar of a numeric family converted as set_* converts (value_convert): -EPROTO across
 * families, -ERANGE when it does not fit. No allocation: the target is never a string. */
static int get_converted(const struct glue_instance *inst, const char *name, enum glue_type type,
                         struct glue_value *ret)
{
        const struct glue_value *v;
        int r = glue_instance_get_value(inst, name, &v);

        if (r < 0)
                return r;
        if (v->is_array || glue_type_is_string(v->type) || v->type == GLUE_TYPE_BOOLEAN)
                return -EPROTO;
        return value_convert(ret, v, type, false);
}

GLUE_EXPORT int glue_instance_get_sint(const struct glue_instance *inst, const char *name,
                                       int64_t *ret)
{
        struct glue_value out;
        int r = get_converted(inst, name, GLUE_TYPE_SINT64, &out);

        if (r == 0 && ret)
                *ret = out.v.s;
        return r;
}

GLUE_EXPORT int glue_instance_get_uint(const struct glue_instance *inst, const char *name,
                                       uint64_t *ret)
{
        struct glue_value out;
        int r = get_converted(inst, name, GLUE_TYPE_UINT64, &out);

        if (r == 0 && ret)
                *ret = out.v.u;
        return r;
}

GLUE_EXPORT int glue_instance_get_real(const struct glue_instance *inst, const char *name,
                                       double *ret)
{
        struct glue_value out;
        int r = get_converted(inst, name, GLUE_TYPE_REAL64, &out);

        if (r == 0 && ret)
                *ret = out.v.r;
        return r;
}

GLUE_EXPORT int glue_instance_get_string(const struct glue_instance *inst, const char *name,
                                         const char **ret)
{
        const struct glue_value *v;
        int r = glue_instance_get_value(inst, name, &v);

        if (r < 0)
                return r;
        if (v->is_array || !glue_type_is_string(v->type))
                return -EPROTO;
        if (ret)
                *ret = v->v.str;
        return 0;
}

/* ---- references ------------------------------------------------------------------------- */

/* The REF property's slot, for the setters: -EPROTO if the property is of another type. */
static int reference_slot(struct glue_instance *inst, const char *name, size_t *ret)
{
        int r = slot_for(inst, name, ret);

        if (r < 0)
                return r;
        return inst->cls->properties[*ret]->type == GLUE_TYPE_REFERENCE ? 0 : -EPROTO;
}

static void reference_store(struct glue_instance *inst, size_t i, char *canonical)
{
        struct glue_value v = { .type = GLUE_TYPE_REFERENCE, .v.str = canonical };

        slot_store(inst, i, &v);
}

int instance_store_reference(struct glue_instance *inst, const char *name, char *canonical)
{
        size_t i;
        int r = reference_slot(inst, name, &i);

        if (r < 0)
                return r;
        reference_store(inst, i, canonical);
        return 0;
}

GLUE_EXPORT int glue_instance_set_reference(struct glue_instance *inst, const char *name,
                                            const char *path_text)
{
        char *canonical;
        size_t i;
        int r = reference_slot(inst, name, &i);

        if (r < 0)
                return r;
        if (!path_text)
                return glue_instance_set_null(inst, name);
        r = reference_canonical_text(inst->cls->properties[i]->reference_class, path_text,
                                     &canonical, NULL);
        if (r < 0)
                return r;
        reference_store(inst, i, canonical);
        return 0;
}

GLUE_EXPORT int glue_instance_set_reference_path(struct glue_instance *inst, const char *name,
                                                 const struct glue_path *path)
{
        char *canonical;
        size_t i;
        int r = reference_slot(inst, name, &i);

        if (r < 0)
                return r;
        if (!path)
                return glue_instance_set_null(inst, name);
        r = reference_canonical_path(inst->cls->properties[i]->reference_class, path, &canonical,
                                     NULL);
        if (r < 0)
                return r;
        reference_store(inst, i, canonical);
        return 0;
}

GLUE_EXPORT int glue_instance_get_reference(const struct glue_instance *inst, const char *name,
                                            const char **ret)
{
        const struct glue_value *v;
        int r = glue_instance_get_value(inst, name, &v);

        if (r < 0)
                return r;
        if (v->type != GLUE_TYPE_REFERENCE)
                return -EPROTO;
        if (ret)
                *ret = v->v.str;
        return 0;
}

/* ---- keys ------------------------------------------------------------------------------- */

bool instance_keys_set(const struct glue_instance *inst)
{
        for (size_t k = 0; k < inst->cls->n_keys; k++)
                if (inst->slots[inst->cls->key_indexes[k]].state != SLOT_SET)
                        return false;
        return true;
}

static bool values_equal(const struct glue_property *prop, const struct glue_value *a,
                         const struct glue_value *b)
{
        /* References name the same object in more than one spelling (a superclass path). */
        if (prop->type == GLUE_TYPE_REFERENCE && a->type == GLUE_TYPE_REFERENCE &&
            b->type == GLUE_TYPE_REFERENCE)
                return reference_values_equal(prop->reference_class, a->v.str, b->v.str);
        if (glue_type_is_string(a->type) || glue_type_is_string(b->type))
                return glue_type_is_string(a->type) && glue_type_is_string(b->type) &&
                       strcmp(a->v.str, b->v.str) == 0;
        if (a->type == GLUE_TYPE_BOOLEAN || b->type == GLUE_TYPE_BOOLEAN)
                return a->type == b->type && a->v.b == b->v.b;
        if (glue_type_is_signed(a->type) && a->v.s < 0)
                return glue_type_is_signed(b->type) && b->v.s == a->v.s;
        if (glue_type_is_signed(b->type) && b->v.s < 0)
                return false;
        return a->v.u == b->v.u; /* both non-negative integers */
}

bool instance_same_keys(const struct glue_instance *a, const struct glue_instance *b)
{
        /* Classes of one hierarchy share their key properties (subclasses cannot add keys). */
        if (a->cls->n_keys != b->cls->n_keys)
                return false;
        for (size_t k = 0; k < a->cls->n_keys; k++) {
                size_t ia = a->cls->key_indexes[k];
                const struct glue_property *pa = a->cls->properties[ia];
                size_t ib;

                if (glue_class_find_property(b->cls, pa->name, NULL, &ib) < 0)
                        return false;
                if (a->slots[ia].state != SLOT_SET || b->slots[ib].state != SLOT_SET ||
                    !values_equal(pa, &a->slots[ia].value, &b->slots[ib].value))
                        return false;
        }
        return true;
}

bool instance_matches_path(const struct glue_instance *inst, const struct glue_path *path)
{
        if (path->n_keys != inst->cls->n_keys)
                return false;
        for (size_t k = 0; k < path->n_keys; k++) {
                const struct instance_slot *slot;
                size_t i;

                if (glue_class_find_property(inst->cls, path->keys[k].name, NULL, &i) < 0 ||
                    !inst->cls->properties[i]->is_key)
                        return false;
                slot = &inst->slots[i];
                if (slot->state != SLOT_SET)
                        return false;
                if (slot->value.type == GLUE_TYPE_REFERENCE) {
                        /* The path's text may be spelled otherwise than the stored one. */
                        if (!reference_values_equal(inst->cls->properties[i]->reference_class,
                                                    slot->value.v.str, path->keys[k].value))
                                return false;
                        continue;
                }
                if (glue_type_is_string(slot->value.type)) {
                        if (strcmp(slot->value.v.str, path->keys[k].value) != 0)
                                return false;
                        continue;
                }
                /* Numbers and booleans compare as text, formatted without allocating: a
                 * failed allocation must not read as "no such instance". */
                char text[64];
                if (value_format_scalar(&slot->value, text, sizeof(text)) < 0 ||
                    strcasecmp(text, path->keys[k].value) != 0)
                        return false;
        }
        return true;
}

int instance_to_path(const struct glue_instance *inst, struct glue_path **ret)
{
        const struct glue_class *cls = inst->cls;
        struct glue_path *path = calloc(1, sizeof(*path));
        int r = -ENOMEM;

        if (!path)
                return -ENOMEM;
        path->class_name = strdup(cls->name);
        path->keys = calloc(cls->n_keys ? cls->n_keys : 1, sizeof(*path->keys));
        if (!path->class_name || !path->keys)
                goto fail;
        path->singleton = cls->n_keys == 0;
        for (size_t k = 0; k < cls->n_keys; k++) {
                size_t i = cls->key_indexes[k];
                struct path_key *key = &path->keys[k];

                if (inst->slots[i].state != SLOT_SET) {
                        r = -EINVAL;
                        goto fail;
                }
                key->name = strdup(cls->properties[i]->name);
                r = value_to_key_text(&inst->slots[i].value, &key->value);
                path->n_keys = k + 1;
                if (!key->name || r < 0) {
                        r = -ENOMEM;
                        goto fail;
                }
                key->is_string = glue_type_is_string(inst->slots[i].value.type);
        }
        *ret = path;
        return 0;
fail:
        glue_path_free(path);
        return r;
}

GLUE_EXPORT int glue_instance_get_path(const struct glue_instance *inst, char **ret)
{
        struct glue_path *path;
        int r;

        if (!inst || !ret)
                return -EINVAL;
        r = instance_to_path(inst, &path);
        if (r < 0)
                return r;
        r = glue_path_to_string(path, ret);
        glue_path_free(path);
        return r;
}
