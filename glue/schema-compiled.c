/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Adopting a compiled schema (schema-compiled.h): copy its image, relocate, done. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue-private.h"
#include "schema-compiled.h"

int context_adopt_compiled(struct glue_context *ctx, const struct compiled_schema *schema)
{
        size_t n_slots = (size_t)schema->class_index_mask + 1;
        struct glue_class **classes;
        uint32_t *slots;
        char *image;
        uintptr_t delta;

        if (ctx->n_classes || ctx->compiled_image)
                return -EBUSY;
        image = malloc(schema->image_size);
        classes = malloc((schema->n_classes ? schema->n_classes : 1) * sizeof(*classes));
        slots = malloc(n_slots * sizeof(*slots));
        if (!image || !classes || !slots) {
                free(image);
                free(classes);
                free(slots);
                return -ENOMEM;
        }
        memcpy(image, schema->image, schema->image_size);
        /* What the dynamic linker did for the image, done again for the copy: every pointer
         * into the image moves by the distance between the two. memcpy in and out, as the
         * pointers are of several types. */
        delta = (uintptr_t)image - (uintptr_t)schema->image;
        for (size_t i = 0; i < schema->n_relocations; i++) {
                char *at = image + schema->relocations[i].offset;

                for (uint32_t k = 0; k < schema->relocations[i].count; k++, at += sizeof(void *)) {
                        uintptr_t p;

                        memcpy(&p, at, sizeof(p));
                        p += delta;
                        memcpy(at, &p, sizeof(p));
                }
        }
        for (size_t i = 0; i < schema->n_classes; i++)
                classes[i] = (struct glue_class *)(image + schema->classes_offset) + i;
        memcpy(slots, schema->class_index_slots, n_slots * sizeof(*slots));

        free(ctx->classes);
        ctx->classes = classes;
        ctx->n_classes = schema->n_classes;
        name_index_clear(&ctx->class_index);
        ctx->class_index.slots = slots;
        ctx->class_index.mask = schema->class_index_mask;
        ctx->compiled_image = image;
        ctx->compiled_image_size = schema->image_size;
        return 0;
}

bool context_is_compiled(const struct glue_context *ctx, const void *p)
{
        uintptr_t at = (uintptr_t)p, start = (uintptr_t)ctx->compiled_image;

        return ctx->compiled_image && at >= start && at - start < ctx->compiled_image_size;
}

void *context_list_grow(const struct glue_context *ctx, void *list, size_t n, size_t elem_size)
{
        void *grown;

        if (!context_is_compiled(ctx, list))
                return realloc(list, (n + 1) * elem_size);
        grown = malloc((n + 1) * elem_size);
        if (grown && n)
                memcpy(grown, list, n * elem_size);
        return grown;
}

void compiled_class_release(const struct glue_context *ctx, struct glue_class *cls)
{
        /* Static instances that a later MOF added are the class's; the image's are the
         * image's. */
        for (size_t i = 0; i < cls->n_static_instances; i++)
                if (!context_is_compiled(ctx, cls->static_instances[i]))
                        glue_instance_unref(cls->static_instances[i]);
        if (!context_is_compiled(ctx, cls->static_instances))
                free(cls->static_instances);
        if (!context_is_compiled(ctx, cls->subclasses))
                free(cls->subclasses);
}
