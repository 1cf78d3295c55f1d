/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The schema's structures, field by field (schema-layout.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glue-private.h"
#include "schema-layout.h"

#define MEMBER_TYPE(type, member) __typeof__(((type *)0)->member)
#define FIELD_OF(type, member, field_kind, ...)                                            \
        {                                                                                  \
                .name = #member, .offset = offsetof(type, member),                         \
                .size = sizeof(MEMBER_TYPE(type, member)),                                 \
                .align = _Alignof(MEMBER_TYPE(type, member)), .kind = field_kind,          \
                __VA_ARGS__                                                                \
        }
/* A flexible array member: no size of its own. */
#define FLEXIBLE_FIELD_OF(type, member, elem_type, field_kind)                              \
        {                                                                                  \
                .name = #member, .offset = offsetof(type, member), .size = 0,              \
                .align = _Alignof(elem_type), .kind = field_kind                           \
        }
#define STRUCT_OF(type, label, table, is_zeroed)                                           \
        {                                                                                  \
                .name = label, .size = sizeof(type), .align = _Alignof(type),              \
                .fields = table, .n_fields = sizeof(table) / sizeof(table[0]),             \
                .zeroed = is_zeroed                                                        \
        }

static const struct layout_field value_fields[] = {
        FIELD_OF(struct glue_value, type, LAYOUT_SCALAR),
        FIELD_OF(struct glue_value, is_array, LAYOUT_SCALAR),
        FIELD_OF(struct glue_value, count, LAYOUT_SCALAR),
        FIELD_OF(struct glue_value, v, LAYOUT_VALUE_DATA),
};
/* Values are assigned whole from values on the stack: their padding is whatever it was. */
const struct layout_struct layout_value = STRUCT_OF(struct glue_value, "struct glue_value",
                                                    value_fields, false);

static const struct layout_field qualifier_fields[] = {
        FIELD_OF(struct glue_qualifier, name, LAYOUT_STRING),
        FIELD_OF(struct glue_qualifier, value, LAYOUT_STRUCT, .inner = &layout_value),
};
const struct layout_struct layout_qualifier = STRUCT_OF(struct glue_qualifier,
                                                        "struct glue_qualifier",
                                                        qualifier_fields, false);

static const struct layout_field qualifier_list_fields[] = {
        FIELD_OF(struct qualifier_list, items, LAYOUT_QUALIFIER_LIST, .count = "count"),
        FIELD_OF(struct qualifier_list, count, LAYOUT_SCALAR),
};
const struct layout_struct layout_qualifier_list = STRUCT_OF(struct qualifier_list,
                                                             "struct qualifier_list",
                                                             qualifier_list_fields, true);

static const struct layout_field name_index_fields[] = {
        FIELD_OF(struct name_index, mask, LAYOUT_SCALAR),
        FIELD_OF(struct name_index, slots, LAYOUT_HASH_SLOTS, .count = "mask"),
};
const struct layout_struct layout_name_index = STRUCT_OF(struct name_index, "struct name_index",
                                                         name_index_fields, true);

static const struct layout_field property_fields[] = {
        FIELD_OF(struct glue_property, name, LAYOUT_STRING),
        FIELD_OF(struct glue_property, type, LAYOUT_SCALAR),
        FIELD_OF(struct glue_property, is_array, LAYOUT_SCALAR),
        FIELD_OF(struct glue_property, is_key, LAYOUT_SCALAR),
        FIELD_OF(struct glue_property, is_expensive, LAYOUT_SCALAR),
        FIELD_OF(struct glue_property, origin, LAYOUT_CLASS),
        FIELD_OF(struct glue_property, default_value, LAYOUT_VALUE_POINTER),
        FIELD_OF(struct glue_property, qualifiers, LAYOUT_STRUCT, .inner = &layout_qualifier_list),
        FIELD_OF(struct glue_property, reference_class, LAYOUT_CLASS),
};
const struct layout_struct layout_property = STRUCT_OF(struct glue_property,
                                                       "struct glue_property",
                                                       property_fields, true);

static const struct layout_field class_fields[] = {
        FIELD_OF(struct glue_class, name, LAYOUT_STRING),
        FIELD_OF(struct glue_class, name_space, LAYOUT_STRING),
        FIELD_OF(struct glue_class, full_name, LAYOUT_STRING),
        FIELD_OF(struct glue_class, superclass, LAYOUT_CLASS),
        FIELD_OF(struct glue_class, is_abstract, LAYOUT_SCALAR),
        FIELD_OF(struct glue_class, is_association, LAYOUT_SCALAR),
        FIELD_OF(struct glue_class, provider, LAYOUT_STRING),
        FIELD_OF(struct glue_class, qualifiers, LAYOUT_STRUCT, .inner = &layout_qualifier_list),
        FIELD_OF(struct glue_class, properties, LAYOUT_PROPERTY_LIST, .count = "n_properties"),
        FIELD_OF(struct glue_class, n_properties, LAYOUT_SCALAR),
        FIELD_OF(struct glue_class, property_index, LAYOUT_STRUCT, .inner = &layout_name_index),
        FIELD_OF(struct glue_class, key_indexes, LAYOUT_INDEX_LIST, .count = "n_keys"),
        FIELD_OF(struct glue_class, n_keys, LAYOUT_SCALAR),
        FIELD_OF(struct glue_class, subclasses, LAYOUT_CLASS_LIST, .count = "n_subclasses"),
        FIELD_OF(struct glue_class, n_subclasses, LAYOUT_SCALAR),
        FIELD_OF(struct glue_class, static_instances, LAYOUT_INSTANCE_LIST,
                 .count = "n_static_instances"),
        FIELD_OF(struct glue_class, n_static_instances, LAYOUT_SCALAR),
};
const struct layout_struct layout_class = STRUCT_OF(struct glue_class, "struct glue_class",
                                                    class_fields, true);

static const struct layout_field slot_fields[] = {
        FIELD_OF(struct instance_slot, state, LAYOUT_SCALAR),
        FIELD_OF(struct instance_slot, value, LAYOUT_STRUCT, .inner = &layout_value),
};
const struct layout_struct layout_slot = STRUCT_OF(struct instance_slot, "struct instance_slot",
                                                   slot_fields, true);

static const struct layout_field instance_fields[] = {
        FIELD_OF(struct glue_instance, refcount, LAYOUT_REFCOUNT),
        FIELD_OF(struct glue_instance, cls, LAYOUT_CLASS),
        FLEXIBLE_FIELD_OF(struct glue_instance, slots, struct instance_slot, LAYOUT_SLOTS),
};
const struct layout_struct layout_instance = STRUCT_OF(struct glue_instance,
                                                       "struct glue_instance",
                                                       instance_fields, true);

const struct layout_struct *const layout_all[] = {
        &layout_class, &layout_property, &layout_qualifier_list, &layout_qualifier,
        &layout_value, &layout_name_index, &layout_instance, &layout_slot, NULL,
};

const struct layout_field *layout_find(const struct layout_struct *s, const char *name)
{
        for (size_t i = 0; name && i < s->n_fields; i++)
                if (strcmp(s->fields[i].name, name) == 0)
                        return &s->fields[i];
        return NULL;
}

size_t layout_read_size(const struct layout_field *f, const void *obj)
{
        const void *p = layout_at(obj, f);

        switch (f->size) {
        case 1: return *(const uint8_t *)p;
        case 2: return *(const uint16_t *)p;
        case 4: return *(const uint32_t *)p;
        default: return *(const size_t *)p;
        }
}

size_t layout_list_count(const struct layout_struct *s, const struct layout_field *f,
                         const void *obj)
{
        const struct layout_field *count = layout_find(s, f->count);

        return count ? layout_read_size(count, obj) : 0;
}

static size_t align_up(size_t n, size_t align)
{
        return (n + align - 1) / align * align;
}

static int by_offset(const void *a, const void *b)
{
        const struct layout_field *x = *(const struct layout_field *const *)a;
        const struct layout_field *y = *(const struct layout_field *const *)b;

        return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int layout_check(const struct layout_struct *s, char *buf, size_t size)
{
        const struct layout_field **sorted = calloc(s->n_fields, sizeof(*sorted));
        size_t at = 0;
        int r = 0;

        if (!sorted) {
                snprintf(buf, size, "out of memory");
                return -1;
        }
        for (size_t i = 0; i < s->n_fields; i++)
                sorted[i] = &s->fields[i];
        qsort(sorted, s->n_fields, sizeof(*sorted), by_offset);
        for (size_t i = 0; i < s->n_fields && r == 0; i++) {
                const struct layout_field *f = sorted[i];

                if (f->offset < at) {
                        snprintf(buf, size, "%s: field %s overlaps the one before it", s->name,
                                 f->name);
                        r = -1;
                } else if (align_up(at, f->align) != f->offset) {
                        snprintf(buf, size, "%s: bytes %zu to %zu are no field's: a field was "
                                 "added; describe it in glue/schema-layout.c", s->name, at,
                                 f->offset - 1);
                        r = -1;
                }
                at = f->offset + f->size;
        }
        if (r == 0 && align_up(at, s->align) != s->size) {
                snprintf(buf, size, "%s: bytes %zu to %zu are no field's: a field was added; "
                         "describe it in glue/schema-layout.c", s->name, at, s->size - 1);
                r = -1;
        }
        free(sorted);
        return r;
}

static bool described(const struct layout_struct *s, size_t offset)
{
        for (size_t i = 0; i < s->n_fields; i++)
                if (offset >= s->fields[i].offset &&
                    offset < s->fields[i].offset + s->fields[i].size)
                        return true;
        return false;
}

int layout_undescribed_equal(const struct layout_struct *s, const void *a, const void *b,
                             char *buf, size_t size)
{
        if (!s->zeroed)
                return 0;
        for (size_t i = 0; i < s->size; i++)
                if (!described(s, i) && ((const unsigned char *)a)[i] != ((const unsigned char *)b)[i]) {
                        snprintf(buf, size, "%s: byte %zu, which no field describes, differs: a "
                                 "field was added where padding was; describe it in "
                                 "glue/schema-layout.c", s->name, i);
                        return -1;
                }
        return 0;
}
