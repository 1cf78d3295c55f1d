/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The MOF parser: what it builds from valid text, and the file:line:col error it gives for
 * malformed text, without adding anything (all or nothing) and without crashing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"

static const char good[] =
        "// comment\n"
        "#pragma namespace(\"root/cimv2\")\n"
        "qualifier Gauge : boolean = false, scope(property);\n"
        "[Abstract, Description(\"base \" \"joined\")]\n"
        "class T_Base {\n"
        "  [Key, Description(\"the id\")] string Id;\n"
        "  [Units(\"Bytes\"), Metric(\"gauge\")] uint64 Size = 0x10;\n"
        "  sint8 Small = -5;\n"
        "  real64 Ratio = 1.5e2;\n"
        "  boolean Flag = TRUE;\n"
        "  datetime When = \"20260101120000.000000+000\";\n"
        "  string Tags[] = {\"a\", \"b\"};\n"
        "  uint16 Codes[];\n"
        "  [ValueMap{\"1\",\"2\"}, Values{\"One\",\"Two\"}] uint16 Kind;\n"
        "  uint32 Reset([IN] uint32 How, [OUT] string Why);\n"
        "};\n"
        "/* block\n comment */\n"
        "[Provider(\"prov\")] class T_Child : T_Base {\n"
        "  [Override(\"Size\"), Description(\"child size\")] uint64 Size;\n"
        "  [Expensive] string Costly;\n"
        "};\n"
        "class T_Grand : T_Child { };\n"
        "class T_Static { [Key] uint32 N; string S = \"dflt\"; };\n"
        "instance of T_Static { N = 1; };\n"
        "instance of T_Static as $x { N = 2; S = \"two\\n\\\"q\\\"\"; };\n"
        "#pragma namespace(\"root\\\\other\")\n"
        "class T_Base { [Key] string Id; };\n";

static void test_good_schema(void)
{
        struct glue_context *ctx;
        const struct glue_class *base, *child, *grand, *st, *other;
        const struct glue_property *prop;
        const struct glue_value *v;
        char *error = NULL;
        size_t idx;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        check_int_eq(glue_context_load_mof(ctx, "good.mof", good, &error), 0);
        check(error == NULL);
        free(error);
        check_int_eq(glue_context_get_class_count(ctx), 5);
        check_int_eq(glue_context_find_class(ctx, NULL, "t_base", &base), 0); /* case-insensitive */
        check_int_eq(glue_context_find_class(ctx, "root/cimv2", "T_Child", &child), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "T_Grand", &grand), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "T_Static", &st), 0);
        check_int_eq(glue_context_find_class(ctx, "root/other", "T_Base", &other), 0);
        check(other != base);
        check_int_eq(glue_context_find_class(ctx, NULL, "Nope", &other), -ESRCH);
        check_int_eq(glue_context_find_class(ctx, "root/none", "T_Base", &other), -ENXIO);

        check(glue_class_is_abstract(base));
        check(!glue_class_is_abstract(child)); /* Abstract is not inherited */
        check(glue_class_get_provider(base) == NULL);
        check_str_eq(glue_class_get_provider(child), "prov");
        check_str_eq(glue_class_get_provider(grand), "prov"); /* inherited */
        check(glue_class_is_a(grand, base));
        check(!glue_class_is_a(base, grand));
        check_int_eq(glue_class_get_subclass_count(base), 1);
        check(glue_class_get_subclass(child, 0) == grand);
        check_int_eq(glue_class_get_qualifier(base, "Description", &v), 0);
        check_str_eq(v->v.str, "base joined");
        check_int_eq(glue_class_get_qualifier(child, "description", &v), 0); /* inherited */

        /* properties: base has 9 (the method is not one), child overrides Size, adds Costly */
        check_int_eq(glue_class_get_property_count(base), 9);
        check_int_eq(glue_class_get_property_count(child), 10);
        check_int_eq(glue_class_get_key_count(child), 1);
        check_int_eq(glue_class_find_property(child, "size", &prop, &idx), 0);
        check_int_eq(idx, 1); /* an override keeps the inherited place */
        check(glue_property_get_class_origin(prop) == child);
        check_int_eq(glue_property_get_qualifier(prop, "Units", &v), 0); /* restated or kept */
        check_str_eq(v->v.str, "Bytes");
        check_int_eq(glue_property_get_qualifier(prop, "Description", &v), 0);
        check_str_eq(v->v.str, "child size");
        check_int_eq(glue_class_find_property(base, "Size", &prop, NULL), 0);
        check_int_eq(glue_property_get_default(prop)->v.u, 16);
        check_int_eq(glue_class_find_property(base, "Small", &prop, NULL), 0);
        check_int_eq(glue_property_get_default(prop)->v.s, -5);
        check_int_eq(glue_class_find_property(base, "Tags", &prop, NULL), 0);
        check(glue_property_is_array(prop));
        check_int_eq(glue_property_get_default(prop)->count, 2);
        check_str_eq(glue_property_get_default(prop)->v.str_array[1], "b");
        check_int_eq(glue_class_find_property(base, "Kind", &prop, NULL), 0);
        check_int_eq(glue_property_get_qualifier(prop, "Values", &v), 0);
        check(v->is_array && v->count == 2);
        check_int_eq(glue_class_find_property(child, "Costly", &prop, NULL), 0);
        check(glue_property_is_expensive(prop));
        check_int_eq(glue_class_find_property(base, "Reset", &prop, NULL), -EINVAL);
        check_int_eq(glue_class_find_property(base, "Id", &prop, NULL), 0);
        check(glue_property_is_key(prop));
        glue_context_unref(ctx);
}

static void test_static_instances(void)
{
        struct glue_context *ctx;
        struct glue_request *req;
        struct glue_instance *inst = NULL;
        const char *s = NULL;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        check_int_eq(glue_context_load_mof(ctx, "good.mof", good, NULL), 0);
        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_get(req, "T_Static.N=2", &inst), 0);
        check_int_eq(glue_instance_get_string(inst, "S", &s), 0);
        check_str_eq(s, "two\n\"q\"");
        glue_instance_unref(inst);
        inst = NULL;
        check_int_eq(glue_request_get(req, "T_Static.N=1", &inst), 0);
        check_int_eq(glue_instance_get_string(inst, "S", &s), 0);
        check_str_eq(s, "dflt"); /* the class default */
        glue_instance_unref(inst);
        inst = NULL;
        check_int_eq(glue_request_get(req, "T_Static.N=3", &inst), -ENOENT);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

struct bad_case {
        const char *text;
        const char *error; /* the expected message, with its position */
};

static const struct bad_case bad_cases[] = {
        { "class A { [Key] string Id; }", "bad.mof:1:29: expected ';', found end of file" },
        { "class A { [Key] string Id;\n", "bad.mof:2:1: class A is not closed: expected '}'" },
        { "class A : Missing { };", "bad.mof:1:11: unknown superclass Missing" },
        { "class A { };\nclass A { };", "bad.mof:2:7: class A is already defined in root/cimv2" },
        { "class A { strung X; };", "bad.mof:1:11: unknown type 'strung'" },
        { "class A { string X; string x; };", "bad.mof:1:28: property x is declared twice in class A" },
        { "class A { string X; };\nclass B : A { string X; };",
          "bad.mof:2:22: property X is already defined in superclass A; use [Override(\"X\")]" },
        { "class A { [Key] string Id; };\nclass B : A { [Key] string Id2; };",
          "bad.mof:2:28: class B cannot add key Id2: its superclass A has keys" },
        { "class A { [Key] real64 Id; };", "bad.mof:1:24: key Id must be a scalar of a string, integer or boolean type" },
        { "class A { uint8 X = 300; };", "bad.mof:1:17: default value of X does not fit its type uint8" },
        { "class A { uint8 X = -1; };", "bad.mof:1:17: default value of X does not fit its type uint8" },
        { "class A { string S = \"open; };", "bad.mof:1:22: string is not closed" },
        { "/* never closed", "bad.mof:1:1: comment is not closed" },
        { "class A { string S = \"\\q\"; };", "bad.mof:1:22: unknown escape sequence in string" },
        { "[Abstract class A { };", "bad.mof:1:11: expected ']', found 'class'" },
        { "[Provider(3)] class A { [Key] string Id; };", "bad.mof:1:23: qualifier Provider takes a non-empty string" },
        { "[Key, Key] class A { };", "bad.mof:1:10: qualifier Key is given twice" },
        { "klass A { };", "bad.mof:1:1: expected 'class', 'instance of' or '#pragma', found 'klass'" },
        { "class A { [Key] uint32 N; };\ninstance of A { };", "bad.mof:2:19: instance of A does not set its key N" },
        { "class A { [Key] uint32 N; };\ninstance of A { N = \"x\"; };", "bad.mof:2:17: value of N does not fit its type" },
        { "class A { [Key] uint32 N; };\ninstance of A { M = 1; };", "bad.mof:2:17: class A has no property M" },
        { "class A { [Key] uint32 N; };\ninstance of A { N = 1; };\ninstance of A { N = 1; };",
          "bad.mof:3:26: instance of A with the same key is declared twice" },
        { "[Abstract] class A { [Key] uint32 N; };\ninstance of A { N = 1; };",
          "bad.mof:2:13: class A is abstract: it has no instances" },
        { "[Provider(\"p\")] class A { [Key] uint32 N; };\ninstance of A { N = 1; };",
          "bad.mof:2:13: class A is served by provider p: static instances need a class without one" },
        { "instance of Nope { };", "bad.mof:1:13: unknown class Nope" },
        { "class A { string S[] = {\"a\", 1}; };", "bad.mof:1:24: array elements of different types" },
        { "class A { uint32 X = 99999999999999999999; };", "bad.mof:1:22: integer out of range" },
        { "#pragma include(\"x.mof\")", "bad.mof:1:9: #pragma include is not supported: load each file" },
        { "class A { string S; } ;\x01", "bad.mof:1:24: unexpected byte outside a string" },
        { "class A { string S = \xff; };", "bad.mof:1:22: unexpected byte outside a string" },
        { "class A { [Override(\"S\")] string S; };", "bad.mof:1:34: Override(\"S\"): no inherited property of that name" },
        { "class A { datetime D = \"yesterday\"; };", "bad.mof:1:20: default value of D does not fit its type datetime" },
};

static void test_bad_mof(void)
{
        for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
                struct glue_context *ctx;
                char *error = NULL;
                int r;

                check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
                r = glue_context_load_mof(ctx, "bad.mof", bad_cases[i].text, &error);
                check_int_eq(r, -ENOEXEC);
                check_str_eq(error, bad_cases[i].error);
                /* nothing of a failed text is added */
                check_int_eq(glue_context_get_class_count(ctx), 0);
                free(error);
                glue_context_unref(ctx);
        }
}

static void test_all_or_nothing(void)
{
        struct glue_context *ctx;
        const struct glue_class *cls;
        char *error = NULL;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        check_int_eq(glue_context_load_mof(ctx, "a.mof", "class A { [Key] uint32 N; };", NULL), 0);
        check_int_eq(glue_context_load_mof(ctx, "b.mof",
                                           "instance of A { N = 1; };\nclass B : A { };\nclass C : Nope { };",
                                           &error),
                     -ENOEXEC);
        check_str_eq(error, "b.mof:3:11: unknown superclass Nope");
        free(error);
        check_int_eq(glue_context_get_class_count(ctx), 1);
        check_int_eq(glue_context_find_class(ctx, NULL, "B", &cls), -ESRCH);
        check_int_eq(glue_context_find_class(ctx, NULL, "A", &cls), 0);
        check_int_eq(glue_class_get_subclass_count(cls), 0);
        /* a later, valid text may use what the first one declared */
        check_int_eq(glue_context_load_mof(ctx, "c.mof", "class B : A { };\ninstance of B { N = 1; };", NULL), 0);
        check_int_eq(glue_class_get_subclass_count(cls), 1);
        check_int_eq(glue_context_load_mof_file(ctx, "/nonexistent/x.mof", &error), -ENOENT);
        check(error && strstr(error, "/nonexistent/x.mof"));
        free(error);
        glue_context_unref(ctx);
}

/* Every prefix of a valid text is either valid or a clean error: no crash, no leak. */
static void test_truncations(void)
{
        size_t len = strlen(good);

        for (size_t cut = 0; cut < len; cut++) {
                struct glue_context *ctx;
                char *text = strndup(good, cut), *error = NULL;
                int r;

                check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
                r = glue_context_load_mof(ctx, "cut.mof", text, &error);
                check(r == 0 || (r == -ENOEXEC && error && strncmp(error, "cut.mof:", 8) == 0));
                free(error);
                free(text);
                glue_context_unref(ctx);
        }
}

static void test_builtin_schema(void)
{
        struct glue_context *ctx;
        const struct glue_class *cls;
        const struct glue_property *prop;

        check_int_eq(glue_context_new(0, &ctx), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "CIM_LogicalDevice", &cls), 0);
        check(glue_class_is_abstract(cls));
        check_int_eq(glue_class_find_property(cls, "DeviceID", &prop, NULL), 0);
        check(glue_property_is_key(prop));
        check_int_eq(glue_context_find_class(ctx, NULL, "CIM_ManagedElement", &cls), 0);
        check(glue_class_get_superclass(cls) == NULL);
        glue_context_unref(ctx);
}

TEST_MAIN(test_good_schema, test_static_instances, test_bad_mof, test_all_or_nothing,
          test_truncations, test_builtin_schema)
