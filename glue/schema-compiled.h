/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A schema compiled by the build: schema/mof-compile parses MOF files with libglue's own parser
 * (its checks run at build time) and writes the classes out as C (schema-compiled.c for the
 * built-in schema). A context adopts such a schema without lexing or parsing anything.
 *
 * What a compiled schema holds:
 *  - shared read-only data, never copied or freed: strings, qualifiers, default values, key
 *    lists, the property name indexes;
 *  - an image of the objects that point at one another (classes, properties, the lists of
 *    properties, subclasses and static instances, the static instances), which each context
 *    copies (one malloc and memcpy) and relocates (a list of the image's pointers into itself).
 *
 * The copy is the context's own, so that it can grow what a later glue_context_load_mof adds to
 * a built-in class (a subclass, a static instance) without another context seeing it, and so
 * that class and property pointers stay those of the context that handed them out. The lists
 * that grow are copied out of the image the first time they do (context_list_grow).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct glue_context;

/* count pointers at offset in the image point into the image. */
struct compiled_relocation {
        uint32_t offset;
        uint32_t count;
};

struct compiled_schema {
        const char *source;                            /* the MOF files, for messages */
        const void *image;
        size_t image_size;
        const struct compiled_relocation *relocations;
        size_t n_relocations;
        size_t classes_offset;                         /* struct glue_class[n_classes] there */
        size_t n_classes;                              /* in load order */
        const uint32_t *class_index_slots;             /* the context's class index */
        uint32_t class_index_mask;
};

/* The built-in schema: the MOF files of schema/, compiled into schema-compiled.c. */
extern const struct compiled_schema glue_builtin_schema;

/* Make schema the classes of ctx, which must have none yet (-EBUSY); -ENOMEM. */
int context_adopt_compiled(struct glue_context *ctx, const struct compiled_schema *schema);
/* Is p in the context's copy of a compiled image (a class, property, list or instance of it)? */
bool context_is_compiled(const struct glue_context *ctx, const void *p);
/*
 * A list of n elements of elem_size bytes grown by one: realloc'd, or, if it is still the
 * compiled image's, copied out into a new allocation (the image's stays as it was). NULL if out
 * of memory, the list then unchanged.
 */
void *context_list_grow(const struct glue_context *ctx, void *list, size_t n, size_t elem_size);
/* Release what a compiled class acquired after adoption (grown lists, their instances). */
void compiled_class_release(const struct glue_context *ctx, struct glue_class *cls);
