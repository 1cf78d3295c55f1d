/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The compiled schema (glue/schema-compiled.h) against the parsed one: the built-in schema as
 * every context adopts it, and compiled-fixture.mof (every feature of a schema) as the build
 * compiled it, each equal to the same MOF parsed here, field by field for every class, property,
 * qualifier, default value and static instance. The walk goes by glue/schema-layout.h, the
 * descriptions the compiler writes from, so that a field with none fails here (and in the
 * build). Then what a context may do to its compiled classes: derive from them, add static
 * instances to them, without another context seeing it.
 *
 *   test-compiled-schema FIXTURE.mof SCHEMA.mof...
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "glue-private.h"
#include "schema-compiled.h"
#include "schema-layout.h"
#include "test-util.h"

extern const struct compiled_schema test_compiled_fixture;

/* Room for a place in the schema: "class ...: property ...: field[3]..." */
#define WHERE_SIZE 1024

static const char *fixture_path;
static const char *const *schema_paths;
static size_t n_schema_paths;

/* ---- comparing two schemas, structure by structure --------------------------------------- */

struct comparison {
        const struct glue_context *compiled, *parsed;
        unsigned differences;
};

static void differ(struct comparison *c, const char *where, const char *format, ...)
        __attribute__((format(printf, 3, 4)));
static void differ(struct comparison *c, const char *where, const char *format, ...)
{
        va_list args;

        /* The first few tell what is wrong; the rest would bury them. */
        if (c->differences++ >= 20)
                return;
        fprintf(stderr, "%s: ", where);
        va_start(args, format);
        vfprintf(stderr, format, args);
        va_end(args);
        fputc('\n', stderr);
}

static long class_position(const struct glue_context *ctx, const struct glue_class *cls)
{
        for (size_t i = 0; i < ctx->n_classes; i++)
                if (ctx->classes[i] == cls)
                        return (long)i;
        return -1;
}

/* The same class of each schema: at the same place in its context (not, say, in the compiled
 * image that the context copied, where a pointer left unrelocated would lead). */
static void compare_class_ref(struct comparison *c, const struct glue_class *x,
                              const struct glue_class *y, const char *where)
{
        long i, j;

        if (!x || !y) {
                if (x || y)
                        differ(c, where, "a class on one side only");
                return;
        }
        i = class_position(c->compiled, x);
        j = class_position(c->parsed, y);
        if (i < 0)
                differ(c, where, "points at a class that is not the context's");
        else if (i != j)
                differ(c, where, "class %s against %s", x->name, y->name);
}

static void compare_struct(struct comparison *c, const struct layout_struct *s, const void *x,
                           const void *y, const char *where);

static void compare_value_data(struct comparison *c, const struct glue_value *x,
                               const struct glue_value *y, const char *where)
{
        size_t n = x->is_array ? x->count : 1;

        if (x->type != y->type || x->is_array != y->is_array || x->count != y->count)
                return; /* told by their fields */
        for (size_t i = 0; i < n; i++) {
                bool same;

                if (glue_type_is_string(x->type)) {
                        const char *a = x->is_array ? x->v.str_array[i] : x->v.str;
                        const char *b = y->is_array ? y->v.str_array[i] : y->v.str;
                        same = (!a && !b) || (a && b && strcmp(a, b) == 0);
                } else if (x->type == GLUE_TYPE_BOOLEAN) {
                        same = (x->is_array ? x->v.b_array[i] : x->v.b) ==
                               (y->is_array ? y->v.b_array[i] : y->v.b);
                } else if (glue_type_is_real(x->type)) {
                        double a = x->is_array ? x->v.r_array[i] : x->v.r;
                        double b = y->is_array ? y->v.r_array[i] : y->v.r;
                        same = memcmp(&a, &b, sizeof(a)) == 0; /* -0.0 is not 0.0 here */
                } else if (glue_type_is_signed(x->type) || glue_type_is_unsigned(x->type)) {
                        same = (x->is_array ? x->v.u_array[i] : x->v.u) ==
                               (y->is_array ? y->v.u_array[i] : y->v.u);
                } else {
                        differ(c, where, "a value of type %d that this test cannot compare: "
                               "teach it (and schema/mof-compile.c)", x->type);
                        return;
                }
                if (!same)
                        differ(c, where, "element %zu differs", i);
        }
}

/* A property in a class's list: equal, and shared as the parsed one is (the object its origin
 * class holds at the same place, not a copy). */
static void compare_property_ref(struct comparison *c, const struct glue_property *x,
                                 const struct glue_property *y, const char *where)
{
        char inner[WHERE_SIZE];

        snprintf(inner, sizeof(inner), "%.700s: property %.200s", where, y->name);
        compare_struct(c, &layout_property, x, y, inner);
        if (!x->origin || !y->origin)
                return;
        for (size_t j = 0; j < y->origin->n_properties; j++)
                if (y->origin->properties[j] == y &&
                    (j >= x->origin->n_properties || x->origin->properties[j] != x))
                        differ(c, inner, "not the object its origin class %s holds",
                               y->origin->name);
}

static void compare_field(struct comparison *c, const struct layout_struct *s,
                          const struct layout_field *f, const void *x, const void *y,
                          const char *where)
{
        const void *px = NULL, *py = NULL;
        char inner[WHERE_SIZE];
        size_t n;

        snprintf(inner, sizeof(inner), "%.700s.%.200s", where, f->name);
        if (f->size == sizeof(void *)) {
                memcpy(&px, layout_at(x, f), sizeof(px));
                memcpy(&py, layout_at(y, f), sizeof(py));
        }
        switch (f->kind) {
        case LAYOUT_SCALAR:
                if (memcmp(layout_at(x, f), layout_at(y, f), f->size) != 0)
                        differ(c, inner, "%zu against %zu", layout_read_size(f, x),
                               layout_read_size(f, y));
                break;
        case LAYOUT_STRING:
                if ((px || py) && (!px || !py || strcmp(px, py) != 0))
                        differ(c, inner, "\"%s\" against \"%s\"", px ? (const char *)px : "(null)",
                               py ? (const char *)py : "(null)");
                break;
        case LAYOUT_CLASS:
                compare_class_ref(c, px, py, inner);
                break;
        case LAYOUT_CLASS_LIST:
        case LAYOUT_PROPERTY_LIST:
        case LAYOUT_INSTANCE_LIST:
        case LAYOUT_INDEX_LIST:
        case LAYOUT_QUALIFIER_LIST:
                n = layout_list_count(s, f, x);
                if (n != layout_list_count(s, f, y))
                        return; /* told by the count */
                for (size_t i = 0; i < n; i++) {
                        char item[WHERE_SIZE];

                        snprintf(item, sizeof(item), "%.900s[%zu]", inner, i);
                        if (f->kind == LAYOUT_CLASS_LIST)
                                compare_class_ref(c, ((struct glue_class *const *)px)[i],
                                                  ((struct glue_class *const *)py)[i], item);
                        else if (f->kind == LAYOUT_PROPERTY_LIST)
                                compare_property_ref(c, ((struct glue_property *const *)px)[i],
                                                     ((struct glue_property *const *)py)[i], item);
                        else if (f->kind == LAYOUT_INSTANCE_LIST)
                                compare_struct(c, &layout_instance,
                                               ((struct glue_instance *const *)px)[i],
                                               ((struct glue_instance *const *)py)[i], item);
                        else if (f->kind == LAYOUT_INDEX_LIST) {
                                if (((const size_t *)px)[i] != ((const size_t *)py)[i])
                                        differ(c, item, "%zu against %zu", ((const size_t *)px)[i],
                                               ((const size_t *)py)[i]);
                        } else
                                compare_struct(c, &layout_qualifier,
                                               (const struct glue_qualifier *)px + i,
                                               (const struct glue_qualifier *)py + i, item);
                }
                break;
        case LAYOUT_HASH_SLOTS:
                n = layout_list_count(s, f, x) + 1;
                if (n == layout_list_count(s, f, y) + 1 && (!px || !py ||
                                                            memcmp(px, py, n * sizeof(uint32_t))))
                        differ(c, inner, "other slots");
                break;
        case LAYOUT_VALUE_POINTER:
                if (!px || !py) {
                        if (px || py)
                                differ(c, inner, "a value on one side only");
                } else
                        compare_struct(c, &layout_value, px, py, inner);
                break;
        case LAYOUT_VALUE_DATA:
                compare_value_data(c, x, y, inner);
                break;
        case LAYOUT_SLOTS: {
                const struct glue_instance *ix = x, *iy = y;

                if (class_position(c->compiled, ix->cls) != class_position(c->parsed, iy->cls))
                        return; /* told by cls */
                for (size_t i = 0; i < iy->cls->n_properties; i++) {
                        const struct instance_slot *sx = &ix->slots[i], *sy = &iy->slots[i];

                        snprintf(inner, sizeof(inner), "%.700s.%.200s", where,
                                 iy->cls->properties[i]->name);
                        if (sx->state != sy->state)
                                differ(c, inner, "state %d against %d", sx->state, sy->state);
                        else if (sy->state == SLOT_SET)
                                compare_struct(c, &layout_slot, sx, sy, inner);
                }
                break;
        }
        case LAYOUT_REFCOUNT:
                break; /* how many hold it, not what it is */
        case LAYOUT_STRUCT:
                compare_struct(c, f->inner, layout_at(x, f), layout_at(y, f), inner);
                break;
        }
}

static void compare_struct(struct comparison *c, const struct layout_struct *s, const void *x,
                           const void *y, const char *where)
{
        char message[256];

        for (size_t i = 0; i < s->n_fields; i++)
                compare_field(c, s, &s->fields[i], x, y, where);
        if (layout_undescribed_equal(s, x, y, message, sizeof(message)) < 0)
                differ(c, where, "%s", message);
}

/* The number of differences between a compiled context's schema and a parsed one's. */
static unsigned compare_contexts(const struct glue_context *compiled,
                                 const struct glue_context *parsed)
{
        struct comparison c = { .compiled = compiled, .parsed = parsed };

        if (compiled->n_classes != parsed->n_classes) {
                differ(&c, "context", "%zu classes against %zu", compiled->n_classes,
                       parsed->n_classes);
                return c.differences;
        }
        for (size_t i = 0; i < compiled->n_classes; i++) {
                char where[WHERE_SIZE];

                snprintf(where, sizeof(where), "class %.900s", parsed->classes[i]->full_name);
                if (!context_is_compiled(compiled, compiled->classes[i]))
                        differ(&c, where, "not in the context's copy of the image");
                compare_struct(&c, &layout_class, compiled->classes[i], parsed->classes[i], where);
        }
        compare_struct(&c, &layout_name_index, &compiled->class_index, &parsed->class_index,
                       "the class index");
        return c.differences;
}

static struct glue_context *parse_files(const char *const *paths, size_t n)
{
        struct glue_context *ctx;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        for (size_t i = 0; i < n; i++) {
                char *error = NULL;

                check_int_eq(glue_context_load_mof_file(ctx, paths[i], &error), 0);
                if (error)
                        fprintf(stderr, "%s\n", error);
                free(error);
        }
        return ctx;
}

static struct glue_context *adopt_fixture(void)
{
        struct glue_context *ctx;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        check_int_eq(context_adopt_compiled(ctx, &test_compiled_fixture), 0);
        return ctx;
}

/* ---- the tests ------------------------------------------------------------------------------ */

static void test_descriptions_cover_the_structures(void)
{
        char message[256];

        for (const struct layout_struct *const *s = layout_all; *s; s++) {
                int r = layout_check(*s, message, sizeof(message));
                if (r < 0)
                        fprintf(stderr, "%s\n", message);
                check_int_eq(r, 0);
        }
}

/* The checks that guard the descriptions can fail: without a field's line, the class's is
 * incomplete (a gap), and a field that sits where padding was is told by its data. */
static void test_a_missing_description_is_found(void)
{
        struct layout_field fields[32];
        struct layout_struct partial = layout_class;
        struct glue_class a = { 0 }, b = { 0 };
        char message[256];
        size_t n = 0;

        for (size_t i = 0; i < layout_class.n_fields; i++)
                if (strcmp(layout_class.fields[i].name, "n_keys") != 0)
                        fields[n++] = layout_class.fields[i];
        partial.fields = fields;
        partial.n_fields = n;
        check_int_eq(layout_check(&partial, message, sizeof(message)), -1);
        check(strstr(message, "a field was added") != NULL);

        n = 0;
        for (size_t i = 0; i < layout_class.n_fields; i++)
                if (strcmp(layout_class.fields[i].name, "is_abstract") != 0)
                        fields[n++] = layout_class.fields[i];
        partial.n_fields = n;
        b.is_abstract = true;
        check_int_eq(layout_undescribed_equal(&partial, &a, &a, message, sizeof(message)), 0);
        check_int_eq(layout_undescribed_equal(&partial, &a, &b, message, sizeof(message)), -1);
}

static void test_builtin_schema_equals_parsed(void)
{
        struct glue_context *compiled, *parsed = parse_files(schema_paths, n_schema_paths);

        check_int_eq(glue_context_new(0, &compiled), 0);
        check(compiled->n_classes > 30);
        check_int_eq(compare_contexts(compiled, parsed), 0);
        glue_context_unref(compiled);
        glue_context_unref(parsed);
}

static void test_fixture_equals_parsed(void)
{
        struct glue_context *compiled = adopt_fixture(), *parsed = parse_files(&fixture_path, 1);
        const struct glue_property *prop;
        const struct glue_class *cls;

        check_int_eq(compare_contexts(compiled, parsed), 0);
        /* The comparison saw what the fixture is for. */
        check_int_eq(glue_context_find_class(compiled, NULL, "T_Static", &cls), 0);
        check_int_eq(cls->n_static_instances, 2);
        check_int_eq(glue_context_find_class(compiled, "root/other", "T_Root", &cls), 0);
        check_int_eq(glue_context_find_class(compiled, NULL, "T_StaticLink", &cls), 0);
        check(cls->is_association);
        check_int_eq(cls->n_static_instances, 1);
        check_int_eq(glue_class_find_property(cls, "Right", &prop, NULL), 0);
        check(prop->reference_class &&
              strcmp(prop->reference_class->name, "T_Static") == 0);
        glue_context_unref(compiled);
        glue_context_unref(parsed);
}

static int count_instance(struct glue_instance *inst, void *userdata)
{
        (*(size_t *)userdata)++;
        return 0;
}

static size_t count_instances(struct glue_context *ctx, const char *class_name)
{
        struct glue_request *req;
        size_t n = 0;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_enumerate(req, class_name, count_instance, &n), 0);
        glue_request_unref(req);
        return n;
}

/* Derived classes and static instances added to compiled classes are the context's alone. */
static void test_compiled_classes_grow_per_context(void)
{
        static const char more[] =
                "class T_More : T_Keyed { string Note = \"added\"; };\n"
                "instance of T_More { N = 2; };\n"
                "instance of T_Keyed { N = 3; };\n"
                "class T_Below : T_Leaf { };\n";
        struct glue_context *a = adopt_fixture(), *b = adopt_fixture();
        const struct glue_class *keyed_a, *keyed_b, *leaf;
        struct glue_instance *inst = NULL;
        struct glue_request *req;
        char *error = NULL;
        uint64_t n = 0;

        check_int_eq(glue_context_find_class(a, NULL, "T_Keyed", &keyed_a), 0);
        check_int_eq(glue_context_find_class(b, NULL, "T_Keyed", &keyed_b), 0);
        check(keyed_a != keyed_b);
        check_int_eq(count_instances(a, "T_Keyed"), 2);
        check_int_eq(glue_context_load_mof(a, "more.mof", more, &error), 0);
        free(error);
        check_int_eq(glue_class_get_subclass_count(keyed_a), 1);
        check_int_eq(count_instances(a, "T_Keyed"), 4);
        check_int_eq(glue_context_find_class(a, NULL, "T_Leaf", &leaf), 0);
        check_int_eq(glue_class_get_subclass_count(leaf), 1);
        check_str_eq(glue_class_get_provider(glue_class_get_subclass(leaf, 0)), "fixture");
        /* The other context, from the same image, has none of it. */
        check_int_eq(glue_class_get_subclass_count(keyed_b), 0);
        check_int_eq(count_instances(b, "T_Keyed"), 2);
        check_int_eq(glue_context_find_class(b, NULL, "T_More", &leaf), -ESRCH);
        /* A compiled instance is found by key, and its key cannot be declared again. */
        check_int_eq(glue_request_new(a, &req), 0);
        check_int_eq(glue_request_get(req, "T_Keyed.N=4294967295", &inst), 0);
        check_int_eq(glue_instance_get_uint(inst, "N", &n), 0);
        check_int_eq(n, 4294967295u);
        glue_instance_unref(inst);
        glue_request_unref(req);
        check_int_eq(glue_context_load_mof(a, "again.mof", "instance of T_Keyed { N = 1; };",
                                           &error), -ENOEXEC);
        check(error && strstr(error, "declared twice"));
        free(error);
        check_int_eq(count_instances(a, "T_Keyed"), 4);
        /* Freed in either order, each with what it grew (ASan tells a leak or a bad free). */
        glue_context_unref(b);
        glue_context_unref(a);
}

static void test_adopting_needs_an_empty_context(void)
{
        struct glue_context *ctx = adopt_fixture();

        check_int_eq(context_adopt_compiled(ctx, &test_compiled_fixture), -EBUSY);
        glue_context_unref(ctx);
}

int main(int argc, char **argv)
{
        static const char *const names[] = {
                "test_descriptions_cover_the_structures", "test_a_missing_description_is_found",
                "test_builtin_schema_equals_parsed", "test_fixture_equals_parsed",
                "test_compiled_classes_grow_per_context", "test_adopting_needs_an_empty_context",
        };
        static const test_fn fns[] = {
                test_descriptions_cover_the_structures, test_a_missing_description_is_found,
                test_builtin_schema_equals_parsed, test_fixture_equals_parsed,
                test_compiled_classes_grow_per_context, test_adopting_needs_an_empty_context,
        };

        if (argc < 3) {
                fprintf(stderr, "usage: %s FIXTURE.mof SCHEMA.mof...\n", argv[0]);
                return 2;
        }
        fixture_path = argv[1];
        schema_paths = (const char *const *)argv + 2;
        n_schema_paths = (size_t)argc - 2;
        return test_run(names, fns, sizeof(fns) / sizeof(fns[0]));
}
