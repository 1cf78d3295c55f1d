/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The schema's structures (glue-private.h) described field by field, for the code that walks a
 * schema without knowing its fields one by one: the build's schema compiler
 * (schema/mof-compile.c), which writes a parsed schema out as C, and the test that compares a
 * compiled schema with the parsed one (tests/core/test-compiled-schema.c). A field added to a
 * structure gets one line here, of a kind both already know; layout_check() finds a field that
 * has none, so that nothing is left out of the compiled schema unnoticed.
 *
 * Not part of libglue: compiled into the compiler and the tests only.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

enum layout_kind {
        LAYOUT_SCALAR,         /* bool, enum or unsigned integer: its bytes are its value */
        LAYOUT_STRING,         /* char *: NUL-terminated, or NULL */
        LAYOUT_CLASS,          /* a class of the same schema, or NULL */
        LAYOUT_CLASS_LIST,     /* struct glue_class **, `count` of them */
        LAYOUT_PROPERTY_LIST,  /* struct glue_property **, `count`; shared down the hierarchy */
        LAYOUT_INSTANCE_LIST,  /* struct glue_instance **, `count` */
        LAYOUT_INDEX_LIST,     /* size_t *, `count` */
        LAYOUT_QUALIFIER_LIST, /* struct glue_qualifier *, `count` of them, inline elements */
        LAYOUT_HASH_SLOTS,     /* uint32_t *: mask + 1 of them, `count` being the mask */
        LAYOUT_VALUE_POINTER,  /* struct glue_value *: owned, or NULL */
        LAYOUT_VALUE_DATA,     /* a glue_value's union, read by its type and is_array */
        LAYOUT_SLOTS,          /* an instance's struct instance_slot[]: one per property */
        LAYOUT_REFCOUNT,       /* atomic_int: 1 in a compiled object, never compared */
        LAYOUT_STRUCT,         /* a structure held inline, described by `inner` */
};

struct layout_struct;

struct layout_field {
        const char *name; /* as in the C declaration: the compiler writes `.name = ...` */
        size_t offset;
        size_t size;
        size_t align;
        enum layout_kind kind;
        /* Lists: the field that holds how many (or the hash mask) */
        const char *count;
        /* LAYOUT_STRUCT */
        const struct layout_struct *inner;
};

struct layout_struct {
        const char *name;
        size_t size;
        size_t align;
        const struct layout_field *fields;
        size_t n_fields;
        /* Is every byte no field covers zero in each object? True of the structures the parser
         * allocates zeroed and fills field by field; layout_undescribed_equal relies on it. */
        bool zeroed;
};

extern const struct layout_struct layout_class;
extern const struct layout_struct layout_property;
extern const struct layout_struct layout_qualifier_list;
extern const struct layout_struct layout_qualifier;
extern const struct layout_struct layout_value;
extern const struct layout_struct layout_name_index;
extern const struct layout_struct layout_instance;
extern const struct layout_struct layout_slot;

/* Every described structure, for the checks. */
extern const struct layout_struct *const layout_all[];

const struct layout_field *layout_find(const struct layout_struct *s, const char *name);
/* The size_t (or smaller unsigned) held by a scalar field of obj. */
size_t layout_read_size(const struct layout_field *f, const void *obj);
/* The count field of a list field, read in obj. */
size_t layout_list_count(const struct layout_struct *s, const struct layout_field *f,
                         const void *obj);
static inline const void *layout_at(const void *obj, const struct layout_field *f)
{
        return (const char *)obj + f->offset;
}

/*
 * Does the description cover the structure? Every byte must be a field's or padding that the
 * next field's alignment (or the structure's) makes. -1 with a message in buf if not, naming the
 * bytes that no field describes.
 */
int layout_check(const struct layout_struct *s, char *buf, size_t size);
/*
 * Bytes of a and b (objects of s) that no field describes, compared: a field added where padding
 * was escapes layout_check, but its value is not zero in some object of the parsed schema and the
 * compiler, which does not know it, leaves it zero. -1 with the offset in buf if they differ.
 */
int layout_undescribed_equal(const struct layout_struct *s, const void *a, const void *b,
                             char *buf, size_t size);
