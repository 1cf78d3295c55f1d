/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Build-time tool: compiles MOF files into a C source holding the schema as libglue's own
 * structures (glue/schema-compiled.h), so that a context adopts the built-in schema without
 * lexing or parsing anything. The files are parsed with libglue's parser, so its checks run here
 * and a schema error fails the build; the MOF files stay the one source.
 *
 *   mof-compile [--symbol NAME] OUTPUT.c FILE.mof...
 *
 * The structures are walked through their descriptions (glue/schema-layout.h), not field by
 * field: a field added to them needs a line there, and this tool refuses to compile while one
 * has none (or holds data that none describes), since the compiled schema would lose it.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glue-private.h"
#include "schema-layout.h"

/* mof-compile is libglue without the built-in schema it makes: a context asked of it with the
 * built-ins has none (it only asks for GLUE_CONTEXT_EMPTY ones). */
int context_load_builtin(struct glue_context *ctx)
{
        return -ENOPKG;
}

/* A growing array of pointers, with the index of each. */
struct pointer_list {
        const void **items;
        size_t n;
};

static size_t list_add(struct pointer_list *l, const void *p)
{
        const void **grown = realloc(l->items, (l->n + 1) * sizeof(*grown));

        if (!grown) {
                fprintf(stderr, "mof-compile: out of memory\n");
                exit(1);
        }
        l->items = grown;
        l->items[l->n] = p;
        return l->n++;
}

static long list_find(const struct pointer_list *l, const void *p)
{
        for (size_t i = 0; i < l->n; i++)
                if (l->items[i] == p)
                        return (long)i;
        return -1;
}

struct compiler {
        const struct glue_context *ctx;
        struct pointer_list properties;     /* every property object, once */
        struct pointer_list instances;      /* every static instance, once */
        /* The image's pointer lists, as indexes into classes/properties/instances. */
        size_t *class_lists, n_class_lists;
        size_t *property_lists, n_property_lists;
        size_t *instance_lists, n_instance_lists;
        FILE *shared; char *shared_text; size_t shared_len;   /* read-only data */
        FILE *relocs; char *relocs_text; size_t relocs_len;   /* pointers into the image */
        size_t n_relocs;
        unsigned next_name;
        bool has_empty_array;
        int failed;
};

static void fail(struct compiler *c, const char *format, ...)
{
        va_list args;

        /* The first few tell what is wrong; the rest would bury them. */
        if (c->failed++ >= 10)
                return;
        fputs("mof-compile: ", stderr);
        va_start(args, format);
        vfprintf(stderr, format, args);
        va_end(args);
        fputc('\n', stderr);
}

static void index_push(size_t **list, size_t *n, size_t value)
{
        size_t *grown = realloc(*list, (*n + 1) * sizeof(*grown));

        if (!grown) {
                fprintf(stderr, "mof-compile: out of memory\n");
                exit(1);
        }
        *list = grown;
        grown[(*n)++] = value;
}

static void put_string(FILE *f, const char *s)
{
        unsigned char prev = 0;

        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *)s; *p; prev = *p++) {
                if (*p == '"' || *p == '\\')
                        fprintf(f, "\\%c", *p);
                else if (*p < 0x20 || *p >= 0x7f || (*p == '?' && prev == '?'))
                        fprintf(f, "\\%03o", *p); /* octal: never runs on into a digit */
                else
                        fputc(*p, f);
        }
        fputc('"', f);
}

static void relocation(struct compiler *c, const char *path, const char *field, size_t count)
{
        fprintf(c->relocs, "        { offsetof(struct schema_image, %s%s%s), %zu },\n", path,
                field ? "." : "", field ? field : "", count);
        c->n_relocs++;
}

static long class_index(const struct compiler *c, const struct glue_class *cls)
{
        for (size_t i = 0; i < c->ctx->n_classes; i++)
                if (c->ctx->classes[i] == cls)
                        return (long)i;
        return -1;
}

/* ---- values ------------------------------------------------------------------------------ */

static void put_real(FILE *f, double r)
{
        if (isnan(r))
                fputs("__builtin_nan(\"\")", f);
        else if (isinf(r))
                fputs(r < 0 ? "-__builtin_inf()" : "__builtin_inf()", f);
        else
                fprintf(f, "%a", r); /* exact */
}

static void put_signed(FILE *f, int64_t s)
{
        if (s == INT64_MIN)
                fputs("INT64_MIN", f);
        else
                fprintf(f, "INT64_C(%" PRId64 ")", s);
}

/* The union of a value, as `{ .member = ... }`; arrays go to the shared data. */
static void put_value_data(struct compiler *c, FILE *f, const struct glue_value *v)
{
        unsigned name;

        if (!v->is_array) {
                if (v->type == GLUE_TYPE_BOOLEAN)
                        fprintf(f, "{ .b = %d }", v->v.b ? 1 : 0);
                else if (glue_type_is_signed(v->type)) {
                        fputs("{ .s = ", f);
                        put_signed(f, v->v.s);
                        fputs(" }", f);
                } else if (glue_type_is_unsigned(v->type))
                        fprintf(f, "{ .u = UINT64_C(%" PRIu64 ") }", v->v.u);
                else if (glue_type_is_real(v->type)) {
                        fputs("{ .r = ", f);
                        put_real(f, v->v.r);
                        fputs(" }", f);
                } else if (glue_type_is_string(v->type)) {
                        fputs("{ .str = ", f);
                        if (v->v.str)
                                put_string(f, v->v.str);
                        else
                                fputs("NULL", f);
                        fputs(" }", f);
                } else {
                        fail(c, "a value of type %d cannot be compiled yet: teach "
                             "schema/mof-compile.c (put_value_data) and the test", v->type);
                        fputs("{ 0 }", f);
                }
                return;
        }
        /* An empty array points at something all the same, as a parsed one does. */
        if (v->count == 0) {
                if (!c->has_empty_array)
                        fputs("static const uint64_t empty_array[1];\n", c->shared);
                c->has_empty_array = true;
                fputs("{ .u_array = empty_array }", f);
                return;
        }
        name = c->next_name++;
        if (v->type == GLUE_TYPE_BOOLEAN) {
                fprintf(c->shared, "static const bool a%u[] = {", name);
                for (size_t i = 0; i < v->count; i++)
                        fprintf(c->shared, " %d,", v->v.b_array[i] ? 1 : 0);
                fprintf(f, "{ .b_array = a%u }", name);
        } else if (glue_type_is_signed(v->type)) {
                fprintf(c->shared, "static const int64_t a%u[] = {", name);
                for (size_t i = 0; i < v->count; i++) {
                        fputc(' ', c->shared);
                        put_signed(c->shared, v->v.s_array[i]);
                        fputc(',', c->shared);
                }
                fprintf(f, "{ .s_array = a%u }", name);
        } else if (glue_type_is_unsigned(v->type)) {
                fprintf(c->shared, "static const uint64_t a%u[] = {", name);
                for (size_t i = 0; i < v->count; i++)
                        fprintf(c->shared, " UINT64_C(%" PRIu64 "),", v->v.u_array[i]);
                fprintf(f, "{ .u_array = a%u }", name);
        } else if (glue_type_is_real(v->type)) {
                fprintf(c->shared, "static const double a%u[] = {", name);
                for (size_t i = 0; i < v->count; i++) {
                        fputc(' ', c->shared);
                        put_real(c->shared, v->v.r_array[i]);
                        fputc(',', c->shared);
                }
                fprintf(f, "{ .r_array = a%u }", name);
        } else if (glue_type_is_string(v->type)) {
                fprintf(c->shared, "static const char *const a%u[] = {", name);
                for (size_t i = 0; i < v->count; i++) {
                        fputs("\n        ", c->shared);
                        put_string(c->shared, v->v.str_array[i]);
                        fputc(',', c->shared);
                }
                fprintf(f, "{ .str_array = a%u }", name);
        } else {
                fail(c, "an array of type %d cannot be compiled yet: teach schema/mof-compile.c "
                     "(put_value_data) and the test", v->type);
                fputs("{ 0 }", f);
                fprintf(c->shared, "/* (not compiled) */ static const int a%u[] = { 0", name);
        }
        fputs(" };\n", c->shared);
}

/* ---- structures, by their descriptions --------------------------------------------------- */

static void put_struct(struct compiler *c, FILE *f, const struct layout_struct *s, const void *obj,
                       const char *path);

/* Is a field with these bytes worth writing (designated initialisers zero the rest)? */
static bool all_zero(const void *p, size_t size)
{
        for (size_t i = 0; i < size; i++)
                if (((const unsigned char *)p)[i])
                        return false;
        return true;
}

static void put_slots(struct compiler *c, FILE *f, const struct glue_instance *inst)
{
        fputs("{", f);
        for (size_t i = 0; i < inst->cls->n_properties; i++) {
                const struct instance_slot *slot = &inst->slots[i];

                fputs("\n                { ", f);
                /* A slot's value means something only when it is set. */
                for (size_t k = 0; k < layout_slot.n_fields; k++) {
                        const struct layout_field *field = &layout_slot.fields[k];

                        if (field->inner == &layout_value && slot->state != SLOT_SET)
                                continue;
                        if (field->kind == LAYOUT_SCALAR) {
                                fprintf(f, ".%s = %zu, ", field->name,
                                        layout_read_size(field, slot));
                        } else if (field->kind == LAYOUT_STRUCT) {
                                fprintf(f, ".%s = ", field->name);
                                put_struct(c, f, field->inner, layout_at(slot, field), NULL);
                                fputs(", ", f);
                        } else
                                fail(c, "%s: field %s: a kind mof-compile does not write there",
                                     layout_slot.name, field->name);
                }
                fputs("},", f);
        }
        fputs(" }", f);
}

/* One field of obj, as `.name = value, ` (nothing if it is zero). `path` names obj in the
 * image for relocations, NULL for shared data (which must not point into the image). */
static void put_field(struct compiler *c, FILE *f, const struct layout_struct *s,
                      const struct layout_field *field, const void *obj, const char *path)
{
        const void *at = layout_at(obj, field);
        const void *p = NULL;
        size_t n;
        long i;

        if (field->kind != LAYOUT_REFCOUNT && field->kind != LAYOUT_SLOTS &&
            all_zero(at, field->size))
                return;
        if (field->size == sizeof(void *))
                memcpy(&p, at, sizeof(p));
        if (!path && (field->kind == LAYOUT_CLASS || field->kind == LAYOUT_CLASS_LIST ||
                      field->kind == LAYOUT_PROPERTY_LIST || field->kind == LAYOUT_INSTANCE_LIST)) {
                fail(c, "%s: field %s points into the image from shared data", s->name,
                     field->name);
                return;
        }
        switch (field->kind) {
        case LAYOUT_SCALAR:
                fprintf(f, ".%s = %zu, ", field->name, layout_read_size(field, obj));
                break;
        case LAYOUT_STRING:
                fprintf(f, ".%s = (char *)", field->name);
                put_string(f, p);
                fputs(", ", f);
                break;
        case LAYOUT_CLASS:
                i = class_index(c, p);
                if (i < 0) {
                        fail(c, "%s: field %s: a class of another schema", s->name, field->name);
                        return;
                }
                fprintf(f, ".%s = (struct glue_class *)&image.classes[%ld], ", field->name, i);
                relocation(c, path, field->name, 1);
                break;
        case LAYOUT_CLASS_LIST:
        case LAYOUT_PROPERTY_LIST:
        case LAYOUT_INSTANCE_LIST:
                n = layout_list_count(s, field, obj);
                if (n == 0)
                        return;
                if (field->kind == LAYOUT_CLASS_LIST) {
                        fprintf(f, ".%s = (struct glue_class **)&image.class_lists[%zu], ",
                                field->name, c->n_class_lists);
                        for (size_t k = 0; k < n; k++) {
                                i = class_index(c, ((struct glue_class *const *)p)[k]);
                                if (i < 0)
                                        fail(c, "%s: field %s: a class of another schema",
                                             s->name, field->name);
                                index_push(&c->class_lists, &c->n_class_lists, (size_t)i);
                        }
                } else if (field->kind == LAYOUT_PROPERTY_LIST) {
                        fprintf(f, ".%s = (struct glue_property **)&image.property_lists[%zu], ",
                                field->name, c->n_property_lists);
                        for (size_t k = 0; k < n; k++) {
                                const void *prop = ((struct glue_property *const *)p)[k];
                                i = list_find(&c->properties, prop);
                                index_push(&c->property_lists, &c->n_property_lists,
                                           i < 0 ? list_add(&c->properties, prop) : (size_t)i);
                        }
                } else {
                        fprintf(f, ".%s = (struct glue_instance **)&image.instance_lists[%zu], ",
                                field->name, c->n_instance_lists);
                        for (size_t k = 0; k < n; k++) {
                                const void *inst = ((struct glue_instance *const *)p)[k];
                                i = list_find(&c->instances, inst);
                                index_push(&c->instance_lists, &c->n_instance_lists,
                                           i < 0 ? list_add(&c->instances, inst) : (size_t)i);
                        }
                }
                relocation(c, path, field->name, 1);
                break;
        case LAYOUT_INDEX_LIST:
                n = layout_list_count(s, field, obj);
                if (n == 0)
                        return;
                fprintf(c->shared, "static const size_t a%u[] = {", c->next_name);
                for (size_t k = 0; k < n; k++)
                        fprintf(c->shared, " %zu,", ((const size_t *)p)[k]);
                fputs(" };\n", c->shared);
                fprintf(f, ".%s = (size_t *)a%u, ", field->name, c->next_name++);
                break;
        case LAYOUT_HASH_SLOTS:
                n = layout_list_count(s, field, obj) + 1;
                fprintf(c->shared, "static const uint32_t a%u[] = {", c->next_name);
                for (size_t k = 0; k < n; k++)
                        fprintf(c->shared, "%s%" PRIu32 ",", k % 16 ? " " : "\n        ",
                                ((const uint32_t *)p)[k]);
                fputs("\n};\n", c->shared);
                fprintf(f, ".%s = (uint32_t *)a%u, ", field->name, c->next_name++);
                break;
        case LAYOUT_QUALIFIER_LIST: {
                char *text = NULL;
                size_t len = 0;
                FILE *items = open_memstream(&text, &len);
                unsigned name;

                n = layout_list_count(s, field, obj);
                if (!items || n == 0) {
                        if (items)
                                fclose(items);
                        free(text);
                        if (n)
                                fail(c, "out of memory");
                        return;
                }
                /* Items first: their values may add arrays to the shared data. */
                for (size_t k = 0; k < n; k++) {
                        fputs("\n        ", items);
                        put_struct(c, items, &layout_qualifier,
                                   (const struct glue_qualifier *)p + k, NULL);
                        fputc(',', items);
                }
                fclose(items);
                name = c->next_name++;
                fprintf(c->shared, "static const struct glue_qualifier a%u[] = {%s\n};\n", name,
                        text);
                free(text);
                fprintf(f, ".%s = (struct glue_qualifier *)a%u, ", field->name, name);
                break;
        }
        case LAYOUT_VALUE_POINTER: {
                char *text = NULL;
                size_t len = 0;
                FILE *value = open_memstream(&text, &len);
                unsigned name;

                if (!value) {
                        fail(c, "out of memory");
                        return;
                }
                put_struct(c, value, &layout_value, p, NULL);
                fclose(value);
                name = c->next_name++;
                fprintf(c->shared, "static const struct glue_value a%u = %s;\n", name, text);
                free(text);
                fprintf(f, ".%s = (struct glue_value *)&a%u, ", field->name, name);
                break;
        }
        case LAYOUT_VALUE_DATA:
                fprintf(f, ".%s = ", field->name);
                put_value_data(c, f, obj);
                fputs(", ", f);
                break;
        case LAYOUT_REFCOUNT:
                /* The image's reference: a compiled object goes with the image, not by unref. */
                fprintf(f, ".%s = 1, ", field->name);
                break;
        case LAYOUT_SLOTS:
                /* Written beside the instance's head (put_instance). */
                break;
        case LAYOUT_STRUCT: {
                char *inner_path = NULL;

                if (path && asprintf(&inner_path, "%s.%s", path, field->name) < 0) {
                        fail(c, "out of memory");
                        return;
                }
                fprintf(f, ".%s = ", field->name);
                put_struct(c, f, field->inner, at, inner_path);
                fputs(", ", f);
                free(inner_path);
                break;
        }
        }
}

static void put_struct(struct compiler *c, FILE *f, const struct layout_struct *s, const void *obj,
                       const char *path)
{
        char message[256];

        /* Data where no field is described: a field this tool does not know holds it. */
        if (s->zeroed) {
                static const unsigned char zeros[512];
                if (s->size > sizeof(zeros) ||
                    layout_undescribed_equal(s, obj, zeros, message, sizeof(message)) < 0)
                        fail(c, "%s", s->size > sizeof(zeros) ? "a structure too large" : message);
        }
        fputs("{ ", f);
        for (size_t i = 0; i < s->n_fields; i++)
                put_field(c, f, s, &s->fields[i], obj, path);
        fputs("}", f);
}

/* ---- the file ----------------------------------------------------------------------------- */

/* `.member = { <before>N<after>, ... }`: each element named by its index N. */
static void put_pointer_list(FILE *out, const char *member, const char *before, const char *after,
                             const size_t *list, size_t n)
{
        if (n == 0)
                return;
        fprintf(out, "        .%s = {", member);
        for (size_t i = 0; i < n; i++)
                fprintf(out, "%s%s%zu%s,", i % 4 ? " " : "\n                ", before, list[i],
                        after);
        fputs("\n        },\n", out);
}

/* Room for an instance's slots (one at least: C has no empty arrays). */
static size_t instance_slot_count(const struct glue_instance *inst)
{
        return inst->cls->n_properties ? inst->cls->n_properties : 1;
}

static int compile(struct compiler *c, FILE *out, const char *symbol, const char *source)
{
        const struct glue_context *ctx = c->ctx;
        char *classes_text = NULL, *props_text = NULL, *inst_text = NULL;
        size_t classes_len = 0, props_len = 0, inst_len = 0;
        FILE *classes = open_memstream(&classes_text, &classes_len);
        FILE *props = open_memstream(&props_text, &props_len);
        FILE *insts = open_memstream(&inst_text, &inst_len);
        char path[64];

        c->shared = open_memstream(&c->shared_text, &c->shared_len);
        c->relocs = open_memstream(&c->relocs_text, &c->relocs_len);
        if (!classes || !props || !insts || !c->shared || !c->relocs) {
                fail(c, "out of memory");
                return -1;
        }
        for (size_t i = 0; i < ctx->n_classes; i++) {
                snprintf(path, sizeof(path), "classes[%zu]", i);
                fprintf(classes, "                /* %s */\n                ",
                        ctx->classes[i]->full_name);
                put_struct(c, classes, &layout_class, ctx->classes[i], path);
                fputs(",\n", classes);
        }
        /* Properties as the classes' lists found them (the list grows no further here). */
        for (size_t i = 0; i < c->properties.n; i++) {
                const struct glue_property *prop = c->properties.items[i];

                snprintf(path, sizeof(path), "properties[%zu]", i);
                fprintf(props, "                /* %s.%s */\n                ",
                        prop->origin ? prop->origin->name : "?", prop->name);
                put_struct(c, props, &layout_property, prop, path);
                fputs(",\n", props);
        }
        for (size_t i = 0; i < c->instances.n; i++) {
                const struct glue_instance *inst = c->instances.items[i];

                snprintf(path, sizeof(path), "instance%zu.head", i);
                fprintf(insts, "        /* instance of %s */\n        .instance%zu = {\n"
                        "                .head = ", inst->cls->name, i);
                put_struct(c, insts, &layout_instance, inst, path);
                fputs(",\n                .slots = ", insts);
                put_slots(c, insts, inst);
                fputs(",\n        },\n", insts);
        }
        fclose(classes);
        fclose(props);
        fclose(insts);
        if (c->n_class_lists)
                relocation(c, "class_lists", NULL, c->n_class_lists);
        if (c->n_property_lists)
                relocation(c, "property_lists", NULL, c->n_property_lists);
        if (c->n_instance_lists)
                relocation(c, "instance_lists", NULL, c->n_instance_lists);
        /* The context's class index, as the parser built it. */
        fputs("static const uint32_t class_index_slots[] = {", c->shared);
        for (size_t k = 0; k <= ctx->class_index.mask; k++)
                fprintf(c->shared, "%s%" PRIu32 ",", k % 16 ? " " : "\n        ",
                        ctx->class_index.slots ? ctx->class_index.slots[k] : 0);
        fputs("\n};\n", c->shared);
        fclose(c->shared);
        fclose(c->relocs);
        c->shared = c->relocs = NULL;

        fprintf(out, "/* Generated by mof-compile from %s: do not edit. */\n", source);
        fputs("#include <stdatomic.h>\n#include <stddef.h>\n#include <stdint.h>\n\n"
              "#include \"glue-private.h\"\n#include \"schema-compiled.h\"\n\n"
              "/* ---- shared, read-only ---- */\n\n", out);
        fputs(c->shared_text, out);
        fputs("\n/* ---- the image each context copies ---- */\n\n"
              "/* An instance's slots follow its head, where its flexible array starts. */\n"
              "_Static_assert(offsetof(struct glue_instance, slots) == "
              "sizeof(struct glue_instance), \"slots after the head\");\n\n"
              "struct schema_image {\n", out);
        fprintf(out, "        struct glue_class classes[%zu];\n", ctx->n_classes ? ctx->n_classes : 1);
        if (c->properties.n)
                fprintf(out, "        struct glue_property properties[%zu];\n", c->properties.n);
        if (c->n_property_lists)
                fprintf(out, "        struct glue_property *property_lists[%zu];\n",
                        c->n_property_lists);
        if (c->n_class_lists)
                fprintf(out, "        struct glue_class *class_lists[%zu];\n", c->n_class_lists);
        if (c->n_instance_lists)
                fprintf(out, "        struct glue_instance *instance_lists[%zu];\n",
                        c->n_instance_lists);
        for (size_t i = 0; i < c->instances.n; i++)
                fprintf(out, "        struct {\n                struct glue_instance head;\n"
                        "                struct instance_slot slots[%zu];\n        } instance%zu;\n",
                        instance_slot_count(c->instances.items[i]), i);
        fputs("};\n\nstatic const struct schema_image image = {\n        .classes = {\n", out);
        fputs(classes_text, out);
        fputs("        },\n", out);
        if (c->properties.n) {
                fputs("        .properties = {\n", out);
                fputs(props_text, out);
                fputs("        },\n", out);
        }
        put_pointer_list(out, "property_lists", "(struct glue_property *)&image.properties[", "]",
                         c->property_lists, c->n_property_lists);
        put_pointer_list(out, "class_lists", "(struct glue_class *)&image.classes[", "]",
                         c->class_lists, c->n_class_lists);
        put_pointer_list(out, "instance_lists", "(struct glue_instance *)&image.instance", ".head",
                         c->instance_lists, c->n_instance_lists);
        fputs(inst_text, out);
        fputs("};\n\n_Static_assert(sizeof(struct schema_image) < UINT32_MAX, "
              "\"offsets fit relocations\");\n\n"
              "static const struct compiled_relocation relocations[] = {\n", out);
        fputs(c->relocs_text, out);
        fputs("};\n\n", out);
        fprintf(out, "\nconst struct compiled_schema %s = {\n"
                     "        .source = ", symbol);
        put_string(out, source);
        fprintf(out, ",\n        .image = &image,\n        .image_size = sizeof(image),\n"
                     "        .relocations = relocations,\n"
                     "        .n_relocations = sizeof(relocations) / sizeof(relocations[0]),\n"
                     "        .classes_offset = offsetof(struct schema_image, classes),\n"
                     "        .n_classes = %zu,\n"
                     "        .class_index_slots = class_index_slots,\n"
                     "        .class_index_mask = %" PRIu32 ",\n};\n",
                ctx->n_classes, ctx->class_index.mask);
        free(classes_text);
        free(props_text);
        free(inst_text);
        return c->failed ? -1 : 0;
}

static void compiler_free(struct compiler *c)
{
        free(c->properties.items);
        free(c->instances.items);
        free(c->class_lists);
        free(c->property_lists);
        free(c->instance_lists);
        free(c->shared_text);
        free(c->relocs_text);
}

int main(int argc, char **argv)
{
        const char *symbol = "glue_builtin_schema", *output;
        struct compiler c = { 0 };
        struct glue_context *ctx = NULL;
        char *source = NULL, *out_text = NULL, message[256];
        size_t source_len = 0, out_len = 0;
        FILE *src = NULL, *out, *file;
        int argi = 1, status = 1, r;

        if (argi + 1 < argc && strcmp(argv[argi], "--symbol") == 0) {
                symbol = argv[argi + 1];
                argi += 2;
        }
        if (argi + 1 >= argc) {
                fprintf(stderr, "usage: mof-compile [--symbol NAME] OUTPUT.c FILE.mof...\n");
                return 2;
        }
        output = argv[argi++];
        for (const struct layout_struct *const *s = layout_all; *s; s++)
                if (layout_check(*s, message, sizeof(message)) < 0) {
                        fprintf(stderr, "mof-compile: %s\n", message);
                        return 1;
                }
        r = glue_context_new(GLUE_CONTEXT_EMPTY, &ctx);
        if (r == 0)
                src = open_memstream(&source, &source_len);
        if (r < 0 || !src) {
                fprintf(stderr, "mof-compile: %s\n", glue_strerror(r < 0 ? r : -ENOMEM));
                goto done;
        }
        for (int i = argi; i < argc; i++) {
                char *error = NULL;
                const char *base = strrchr(argv[i], '/');

                r = glue_context_load_mof_file(ctx, argv[i], &error);
                if (r < 0) {
                        fprintf(stderr, "mof-compile: %s\n", error ? error : glue_strerror(r));
                        free(error);
                        fclose(src);
                        goto done;
                }
                fprintf(src, "%s%s", i > argi ? ", " : "", base ? base + 1 : argv[i]);
        }
        fclose(src);
        c.ctx = ctx;
        out = open_memstream(&out_text, &out_len);
        if (!out) {
                fprintf(stderr, "mof-compile: out of memory\n");
                goto done;
        }
        r = compile(&c, out, symbol, source);
        fclose(out);
        if (r < 0) {
                fprintf(stderr, "mof-compile: %s not written\n", output);
                goto done;
        }
        file = fopen(output, "w");
        if (!file || fwrite(out_text, 1, out_len, file) != out_len || fclose(file) != 0) {
                perror(output);
                goto done;
        }
        status = 0;
done:
        compiler_free(&c);
        free(out_text);
        free(source);
        glue_context_unref(ctx);
        return status;
}
