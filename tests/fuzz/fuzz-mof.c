/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The MOF parser (glue_context_load_mof on an empty context). Invariants:
 *  - a rejected text is -ENOEXEC with a "fuzz.mof:LINE:COL: message" error, and adds nothing
 *    (all or nothing);
 *  - an accepted text yields a consistent schema: every class found by its name, superclasses
 *    before subclasses, property names unique and found, key counts right, defaults of the
 *    property's type, every string valid UTF-8;
 *  - each static instance has its keys set, and its path parses back to a path that names it;
 *  - references are declared in associations only, scalar, typed by a class, and an
 *    association has two at least; a reference value of a static instance is canonical (it
 *    sets again to the same text) and names the same object as itself;
 *  - loading the same text again is refused (its classes exist) and adds nothing.
 * The sanitizers check that every path frees cleanly.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <strings.h>

#include "fuzz-harness.h"
#include "glue-private.h"

#define MOF_NAME "fuzz.mof"

static void check_error_message(const char *error)
{
        const char *p = error;

        fuzz_assert(error);
        fuzz_assert(strncmp(p, MOF_NAME ":", strlen(MOF_NAME ":")) == 0);
        p += strlen(MOF_NAME ":");
        fuzz_assert(isdigit((unsigned char)*p) && *p != '0'); /* lines count from 1 */
        while (isdigit((unsigned char)*p))
                p++;
        fuzz_assert(*p++ == ':');
        fuzz_assert(isdigit((unsigned char)*p) && *p != '0');
        while (isdigit((unsigned char)*p))
                p++;
        fuzz_assert(p[0] == ':' && p[1] == ' ' && p[2] != '\0');
}

static void check_value(const struct glue_value *v)
{
        if (!glue_type_is_string(v->type))
                return;
        if (!v->is_array) {
                fuzz_assert(fuzz_utf8_valid(v->v.str, strlen(v->v.str)));
                fuzz_assert(v->type != GLUE_TYPE_DATETIME || datetime_is_valid(v->v.str));
                return;
        }
        for (size_t i = 0; i < v->count; i++) {
                fuzz_assert(fuzz_utf8_valid(v->v.str_array[i], strlen(v->v.str_array[i])));
                fuzz_assert(v->type != GLUE_TYPE_DATETIME || datetime_is_valid(v->v.str_array[i]));
        }
}

static void check_qualifiers(const struct qualifier_list *list)
{
        for (size_t i = 0; i < list->count; i++) {
                fuzz_assert(qualifier_list_find(list, list->items[i].name) == &list->items[i]);
                check_value(&list->items[i].value);
        }
}

/* A static instance: keys set, every property looked at, and a path that leads back to it. */
static void check_static_instance(const struct glue_class *cls, const struct glue_instance *inst)
{
        struct glue_path *path = NULL;
        char *text = NULL;
        int r;

        fuzz_assert(glue_instance_get_class(inst) == cls);
        for (size_t i = 0; i < cls->n_properties; i++) {
                const struct glue_value *v;

                r = glue_instance_get_value_at(inst, i, &v);
                fuzz_assert(r == 0 || r == -ENODATA);
                fuzz_assert(r == 0 || !cls->properties[i]->is_key);
                if (r == 0) {
                        fuzz_assert(v->type == cls->properties[i]->type &&
                                    v->is_array == cls->properties[i]->is_array);
                        check_value(v);
                }
                if (r == 0 && v->type == GLUE_TYPE_REFERENCE) {
                        const struct glue_property *prop = cls->properties[i];
                        char *again = NULL;

                        r = reference_canonical_text(prop->reference_class, v->v.str, &again,
                                                     NULL);
                        fuzz_assert(r == 0 || r == -ENOMEM);
                        fuzz_assert(!again || strcmp(again, v->v.str) == 0);
                        free(again);
                        r = glue_reference_equal(prop, v->v.str, v->v.str);
                        fuzz_assert(r == 1 || r == -ENOMEM);
                }
        }
        r = glue_instance_get_path(inst, &text);
        if (r == -ENOMEM)
                return;
        fuzz_assert(r == 0);
        r = glue_path_parse(text, &path);
        /* Paths have limits (length, 16 keys) that a MOF instance need not keep. */
        if (strlen(text) <= 4096 && cls->n_keys <= 16) {
                if (r < 0)
                        fprintf(stderr, "static instance path \"%s\" does not parse: %d\n", text, r);
                fuzz_assert(r == 0 || r == -ENOMEM);
        }
        if (r == 0) {
                fuzz_assert(strcasecmp(glue_path_get_class(path), cls->name) == 0);
                fuzz_assert(instance_matches_path(inst, path));
        }
        glue_path_free(path);
        free(text);
}

static void check_class(const struct glue_context *ctx, size_t index)
{
        const struct glue_class *cls = glue_context_get_class(ctx, index), *found = NULL;
        size_t keys = 0;

        fuzz_assert(cls);
        fuzz_assert(glue_context_find_class(ctx, cls->name_space, cls->name, &found) == 0);
        fuzz_assert(found == cls);
        if (cls->superclass) {
                bool before = false;
                for (size_t i = 0; i < index; i++)
                        before = before || glue_context_get_class(ctx, i) == cls->superclass;
                fuzz_assert(before);
                fuzz_assert(cls->n_properties >= cls->superclass->n_properties);
                fuzz_assert(cls->n_keys == cls->superclass->n_keys || cls->superclass->n_keys == 0);
        }
        check_qualifiers(&cls->qualifiers);
        for (size_t i = 0; i < cls->n_properties; i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                size_t at = (size_t)-1;

                fuzz_assert(glue_class_find_property(cls, prop->name, NULL, &at) == 0 && at == i);
                fuzz_assert(glue_class_is_a(cls, prop->origin));
                if (prop->is_key) {
                        fuzz_assert(!prop->is_array && !glue_type_is_real(prop->type));
                        keys++;
                }
                if (prop->default_value) {
                        fuzz_assert(prop->default_value->type == prop->type &&
                                    prop->default_value->is_array == prop->is_array);
                        check_value(prop->default_value);
                }
                check_qualifiers(&prop->qualifiers);
        }
        fuzz_assert(glue_class_get_key_count(cls) == keys);
        size_t references = 0;
        for (size_t i = 0; i < cls->n_properties; i++) {
                const struct glue_property *prop = cls->properties[i];

                if (prop->type != GLUE_TYPE_REFERENCE) {
                        fuzz_assert(!prop->reference_class);
                        continue;
                }
                references++;
                fuzz_assert(prop->reference_class && cls->is_association && !prop->is_array &&
                            !prop->default_value);
        }
        fuzz_assert(!cls->is_association || references >= 2);
        fuzz_assert(!cls->superclass || cls->superclass->is_association == cls->is_association ||
                    !cls->superclass->is_association);
        fuzz_assert(glue_class_is_association(cls) == cls->is_association);
        for (size_t i = 0; i < cls->n_static_instances; i++)
                check_static_instance(cls, cls->static_instances[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct glue_context *ctx = NULL;
        char *text, *error = NULL;
        size_t n_classes;
        int r;

        text = fuzz_string(data, size);
        if (!text || glue_context_new(GLUE_CONTEXT_EMPTY, &ctx) < 0) {
                free(text);
                return 0;
        }
        r = glue_context_load_mof(ctx, MOF_NAME, text, &error);
        n_classes = glue_context_get_class_count(ctx);
        if (r < 0) {
                fuzz_assert(r == -ENOEXEC || r == -ENOMEM);
                if (r == -ENOEXEC)
                        check_error_message(error);
                fuzz_assert(n_classes == 0);
                goto out;
        }
        fuzz_assert(r == 0 && error == NULL);
        for (size_t i = 0; i < n_classes; i++)
                check_class(ctx, i);

        if (n_classes > 0) {
                r = glue_context_load_mof(ctx, MOF_NAME, text, &error);
                fuzz_assert(r == -ENOEXEC || r == -ENOMEM);
                if (r == -ENOEXEC)
                        check_error_message(error);
                fuzz_assert(glue_context_get_class_count(ctx) == n_classes);
        }
out:
        free(error);
        glue_context_unref(ctx);
        free(text);
        return 0;
}
