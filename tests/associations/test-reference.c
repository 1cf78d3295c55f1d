/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The reference type: REF values are validated and stored canonical, print as the path, read
 * back through every setter, compare by object (superclass paths included), and object paths
 * with reference keys (an association's path) parse, print and round-trip; get by such a path
 * finds the association whatever the spelling of its keys.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"

static const char schema[] =
        "[Abstract] class R_Thing { [Key] string Id; };\n"
        "class R_Box : R_Thing { string Label; };\n"
        "class R_Crate : R_Box { };\n"
        "class R_Bag : R_Thing { };\n"
        "class R_Slot { [Key] uint32 Bus; [Key] boolean Hot; [Key] sint16 Delta; };\n"
        "class R_Only { string S; };\n"
        "[Association] class R_In {\n"
        "  [Key] R_Box REF Inner; [Key] R_Thing REF Outer; string Note; };\n"
        "[Association] class R_At { R_Slot REF Slot; R_In REF Placement; };\n"
        "instance of R_Crate { Id = \"c1\"; };\n"
        "instance of R_Box { Id = \"b1\"; };\n"
        "instance of R_Bag { Id = \"g1\"; };\n"
        "instance of R_In { Inner = \"R_Crate.Id=\\\"c1\\\"\"; Outer = \"R_Thing.Id=\\\"g1\\\"\"; };\n";

static struct glue_context *make_context(void)
{
        struct glue_context *ctx;
        char *error = NULL;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        glue_context_set_log_fn(ctx, test_log_stderr, NULL);
        check_int_eq(glue_context_load_mof(ctx, "reference.mof", schema, &error), 0);
        if (error)
                fprintf(stderr, "%s\n", error);
        free(error);
        return ctx;
}

static struct glue_instance *new_instance(struct glue_context *ctx, const char *name)
{
        const struct glue_class *cls;
        struct glue_instance *inst = NULL;

        check_int_eq(glue_context_find_class(ctx, NULL, name, &cls), 0);
        check_int_eq(glue_instance_new(cls, &inst), 0);
        return inst;
}

/* Set Inner (an R_Box REF) to text: the return code and, on success, the stored text. */
static void check_set(struct glue_instance *inst, const char *name, const char *text, int expect,
                      const char *canonical)
{
        const char *got = NULL;

        check_int_eq(glue_instance_set_reference(inst, name, text), expect);
        if (expect == 0) {
                check_int_eq(glue_instance_get_reference(inst, name, &got), 0);
                check_str_eq(got, canonical);
        }
}

static void test_canonical(void)
{
        struct glue_context *ctx = make_context();
        struct glue_instance *in = new_instance(ctx, "R_In"), *at = new_instance(ctx, "R_At");

        check_set(in, "Inner", "R_Box.Id=\"b1\"", 0, "R_Box.Id=\"b1\"");
        /* class, key names and namespace as the schema spells them; a bare value is a string */
        check_set(in, "inner", "root/cimv2:r_crate.ID=\"c1\"", 0, "R_Crate.Id=\"c1\"");
        check_set(in, "Inner", "\\\\host\\root\\cimv2:R_Box.Id=7", 0, "R_Box.Id=\"7\"");
        /* a superclass of the reference class may name one of its objects */
        check_set(in, "Inner", "R_Thing.Id=\"c1\"", 0, "R_Thing.Id=\"c1\"");
        /* bytes that are not UTF-8 become U+FFFD, as in the string key of the box it names */
        check_set(in, "Inner", "R_Box.Id=\"a\xff\xc3\"", 0, "R_Box.Id=\"a\xef\xbf\xbd\xef\xbf\xbd\"");
        check_set(in, "Inner", "R_Bag.Id=\"g1\"", -EPROTO, NULL);   /* no R_Box */
        check_set(in, "Inner", "R_Nope.Id=\"x\"", -EPROTO, NULL);
        check_set(in, "Inner", "root/other:R_Box.Id=\"b1\"", -EPROTO, NULL);
        check_set(in, "Inner", "R_Box.Id=\"b1", -EILSEQ, NULL);
        check_set(in, "Inner", "R_Box.Label=\"b1\"", -EILSEQ, NULL); /* not its key */
        check_set(in, "Inner", "R_Box.Id=\"b1\",Label=\"x\"", -EILSEQ, NULL);
        check_set(in, "Inner", "R_Box", -EILSEQ, NULL);
        check_set(in, "Note", "R_Box.Id=\"b1\"", -EPROTO, NULL);   /* no REF */
        check_set(in, "Nope", "R_Box.Id=\"b1\"", -EINVAL, NULL);
        /* keys in the class's order, numbers in decimal, booleans as instance paths write them */
        check_set(at, "Slot", "R_Slot.Delta=-3,hot=true,Bus=+012", 0,
                  "R_Slot.Bus=12,Hot=TRUE,Delta=-3");
        check_set(at, "Slot", "R_Slot.Bus=\"5\",Hot=\"FALSE\",Delta=0", 0,
                  "R_Slot.Bus=5,Hot=FALSE,Delta=0");
        check_set(at, "Slot", "R_Slot.Bus=-1,Hot=true,Delta=0", -EILSEQ, NULL);
        check_set(at, "Slot", "R_Slot.Bus=1,Hot=maybe,Delta=0", -EILSEQ, NULL);
        check_set(at, "Slot", "R_Slot.Bus=1,Hot=true,Delta=40000", -EILSEQ, NULL);
        check_set(at, "Slot", "R_Slot.Bus=99999999999999999999,Hot=true,Delta=0", -EILSEQ, NULL);
        /* a reference to an association: its keys are references, canonical in turn */
        check_set(at, "Placement",
                  "R_In.outer=\"r_thing.id=\\\"g1\\\"\",inner=\"R_Crate.ID=\\\"c1\\\"\"", 0,
                  "R_In.Inner=\"R_Crate.Id=\\\"c1\\\"\",Outer=\"R_Thing.Id=\\\"g1\\\"\"");
        check_set(at, "Placement", "R_In.Inner=\"R_Bag.Id=\\\"g1\\\"\",Outer=\"R_Thing.Id=\\\"g1\\\"\"",
                  -EPROTO, NULL);
        check_set(at, "Placement", "R_In.Inner=7,Outer=\"R_Thing.Id=\\\"g1\\\"\"", -EILSEQ, NULL);

        /* a canonical text longer than a path may be (its bad bytes made U+FFFD) would not
         * read back: refused */
        char long_path[4200];
        int n = snprintf(long_path, sizeof(long_path), "R_Box.Id=\"");
        memset(long_path + n, 'x', 3900);
        memset(long_path + n + 3900, 0xff, 100);
        snprintf(long_path + n + 4000, sizeof(long_path) - (size_t)n - 4000, "\"");
        check_set(in, "Inner", long_path, -EILSEQ, NULL);
        memset(long_path + n + 3900, 'x', 100);
        check_set(in, "Inner", long_path, 0, long_path);

        /* NULL sets NULL; the other setters validate too; the value reads as a string */
        const char *text;
        check_int_eq(glue_instance_set_reference(in, "Inner", NULL), 0);
        check_int_eq(glue_instance_get_reference(in, "Inner", &text), -ENODATA);
        check_int_eq(glue_instance_set_string(in, "Inner", "r_box.id=\"b2\""), 0);
        check_int_eq(glue_instance_get_string(in, "Inner", &text), 0);
        check_str_eq(text, "R_Box.Id=\"b2\"");
        check_int_eq(glue_instance_set_string(in, "Inner", "junk="), -EILSEQ);
        check_int_eq(glue_instance_set_string(in, "Inner", "junk"), -EPROTO); /* a class, no R_Box */
        check_int_eq(glue_instance_set_string_len(in, "Inner", "R_Box.Id=\"b3\"\0tail", 17), 0);
        check_int_eq(glue_instance_get_reference(in, "Inner", &text), 0);
        check_str_eq(text, "R_Box.Id=\"b3\"");
        struct glue_value v = { .type = GLUE_TYPE_STRING, .v.str = "R_Crate.Id=\"c9\"" };
        check_int_eq(glue_instance_set_value(in, "Inner", &v), 0);
        check_int_eq(glue_instance_get_reference(in, "Inner", &text), 0);
        check_str_eq(text, "R_Crate.Id=\"c9\"");
        v = (struct glue_value){ .type = GLUE_TYPE_REFERENCE, .v.str = "R_Bag.Id=\"x\"" };
        check_int_eq(glue_instance_set_value(in, "Inner", &v), -EPROTO);
        v = (struct glue_value){ .type = GLUE_TYPE_UINT32, .v.u = 3 };
        check_int_eq(glue_instance_set_value(in, "Inner", &v), -EPROTO);
        check_int_eq(glue_instance_set_uint(in, "Inner", 3), -EPROTO);
        check_int_eq(glue_instance_get_reference(in, "Inner", &text), 0);
        check_str_eq(text, "R_Crate.Id=\"c9\"");   /* a failed set keeps the value */
        check_int_eq(glue_instance_set_string(in, "Note", "x"), 0);
        check_int_eq(glue_instance_get_reference(in, "Note", &text), -EPROTO);
        /* a reference value copies into a string property as its text */
        const struct glue_value *ref;
        check_int_eq(glue_instance_get_value(in, "Inner", &ref), 0);
        check_int_eq(ref->type, GLUE_TYPE_REFERENCE);
        check_int_eq(glue_instance_set_value(in, "Note", ref), 0);
        check_int_eq(glue_instance_get_string(in, "Note", &text), 0);
        check_str_eq(text, "R_Crate.Id=\"c9\"");

        /* set from a parsed path */
        struct glue_path *path;
        check_int_eq(glue_path_parse("R_BOX.id=\"p\"", &path), 0);
        check_int_eq(glue_instance_set_reference_path(in, "Inner", path), 0);
        check_int_eq(glue_instance_get_reference(in, "Inner", &text), 0);
        check_str_eq(text, "R_Box.Id=\"p\"");
        check_int_eq(glue_instance_set_reference_path(in, "Note", path), -EPROTO);
        glue_path_free(path);
        check_int_eq(glue_instance_set_reference_path(in, "Inner", NULL), 0);
        check_int_eq(glue_instance_get_reference(in, "Inner", &text), -ENODATA);

        glue_instance_unref(in);
        glue_instance_unref(at);
        glue_context_unref(ctx);
}

static void test_type(void)
{
        struct glue_context *ctx = make_context();
        const struct glue_class *in, *box, *thing;
        const struct glue_property *prop;

        check_str_eq(glue_type_name(GLUE_TYPE_REFERENCE), "ref");
        check(glue_type_is_string(GLUE_TYPE_REFERENCE));
        check(!glue_type_is_signed(GLUE_TYPE_REFERENCE));
        check_int_eq(glue_context_find_class(ctx, NULL, "R_In", &in), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "R_Box", &box), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "R_Thing", &thing), 0);
        check(glue_class_is_association(in));
        check(!glue_class_is_association(box));
        check_int_eq(glue_class_find_property(in, "Inner", &prop, NULL), 0);
        check_int_eq(glue_property_get_type(prop), GLUE_TYPE_REFERENCE);
        check(glue_property_is_key(prop));
        check(glue_property_get_reference_class(prop) == box);
        check_int_eq(glue_class_find_property(in, "Outer", &prop, NULL), 0);
        check(glue_property_get_reference_class(prop) == thing);
        check_int_eq(glue_class_find_property(in, "Note", &prop, NULL), 0);
        check(glue_property_get_reference_class(prop) == NULL);
        check(glue_property_get_reference_class(NULL) == NULL);
        glue_context_unref(ctx);
}

static void test_equal(void)
{
        struct glue_context *ctx = make_context();
        const struct glue_class *in;
        const struct glue_property *inner, *outer, *note;

        check_int_eq(glue_context_find_class(ctx, NULL, "R_In", &in), 0);
        check_int_eq(glue_class_find_property(in, "Inner", &inner, NULL), 0);
        check_int_eq(glue_class_find_property(in, "Outer", &outer, NULL), 0);
        check_int_eq(glue_class_find_property(in, "Note", &note, NULL), 0);
        check_int_eq(glue_reference_equal(inner, "R_Box.Id=\"b1\"", "r_box.ID=\"b1\""), 1);
        /* a superclass path names the subclass's object with those keys, either way round */
        check_int_eq(glue_reference_equal(inner, "R_Thing.Id=\"c1\"", "R_Crate.Id=\"c1\""), 1);
        check_int_eq(glue_reference_equal(inner, "R_Crate.Id=\"c1\"", "R_Box.Id=\"c1\""), 1);
        /* key values compare exactly */
        check_int_eq(glue_reference_equal(inner, "R_Box.Id=\"b1\"", "R_Box.Id=\"B1\""), 0);
        check_int_eq(glue_reference_equal(inner, "R_Box.Id=\"b1\"", "R_Box.Id=\"b2\""), 0);
        /* two sibling classes are two objects */
        check_int_eq(glue_reference_equal(outer, "R_Box.Id=\"x\"", "R_Bag.Id=\"x\""), 0);
        check_int_eq(glue_reference_equal(outer, "R_Thing.Id=\"x\"", "R_Bag.Id=\"x\""), 1);
        check_int_eq(glue_reference_equal(inner, "R_Box.Id=\"x\"", "R_Bag.Id=\"x\""), -EPROTO);
        check_int_eq(glue_reference_equal(inner, "R_Box.Id=\"x\"", "R_Box.Id="), -EILSEQ);
        check_int_eq(glue_reference_equal(note, "R_Box.Id=\"x\"", "R_Box.Id=\"x\""), -EINVAL);
        glue_context_unref(ctx);
}

/* An association's path nests its ends' paths, quotes and backslashes escaped; it parses back
 * to the same keys and prints the same (a fixed point), at every level. */
static void check_round_trip(const char *text, const char *canonical)
{
        struct glue_path *path = NULL, *again = NULL;
        char *out = NULL, *out2 = NULL;

        check_int_eq(glue_path_parse(text, &path), 0);
        if (!path)
                return;
        check_int_eq(glue_path_to_string(path, &out), 0);
        check_str_eq(out, canonical);
        check_int_eq(glue_path_parse(out, &again), 0);
        check_int_eq(glue_path_to_string(again, &out2), 0);
        check_str_eq(out2, out);
        for (size_t i = 0; i < glue_path_get_key_count(path); i++) {
                const char *value, *value2;
                bool is_string;

                check_int_eq(glue_path_get_key_at(path, i, NULL, &value, &is_string), 0);
                check_int_eq(glue_path_get_key_at(again, i, NULL, &value2, NULL), 0);
                check_str_eq(value, value2);
        }
        free(out);
        free(out2);
        glue_path_free(path);
        glue_path_free(again);
}

static void test_paths_with_reference_keys(void)
{
        struct glue_context *ctx = make_context();
        struct glue_instance *in = new_instance(ctx, "R_In");
        struct glue_path *path, *inner;
        char *text;

        /* the value of a key is the other path, unescaped once */
        check_int_eq(glue_instance_set_reference(in, "Inner", "R_Box.Id=\"a\\\"q\\\\b\""), 0);
        check_int_eq(glue_instance_set_reference(in, "Outer", "R_Thing.Id=\"}{,=\""), 0);
        check_int_eq(glue_instance_get_path(in, &text), 0);
        check_str_eq(text, "R_In.Inner=\"R_Box.Id=\\\"a\\\\\\\"q\\\\\\\\b\\\"\","
                           "Outer=\"R_Thing.Id=\\\"}{,=\\\"\"");
        check_int_eq(glue_path_parse(text, &path), 0);
        check_str_eq(glue_path_get_key(path, "Inner"), "R_Box.Id=\"a\\\"q\\\\b\"");
        check_int_eq(glue_path_parse(glue_path_get_key(path, "Inner"), &inner), 0);
        check_str_eq(glue_path_get_key(inner, "Id"), "a\"q\\b");
        check_round_trip(text, text);
        glue_path_free(inner);
        glue_path_free(path);
        free(text);
        /* a namespace and host are dropped or kept as paths always were */
        check_round_trip("\\\\h\\root\\cimv2:R_In.Inner=\"R_Box.Id=\\\"x\\\"\",Outer=\"root/cimv2:R_Thing.Id=\\\"y\\\"\"",
                         "root/cimv2:R_In.Inner=\"R_Box.Id=\\\"x\\\"\",Outer=\"root/cimv2:R_Thing.Id=\\\"y\\\"\"");
        /* three levels */
        check_round_trip("R_X.K=\"R_In.Inner=\\\"R_Box.Id=\\\\\\\"z\\\\\\\"\\\"\"",
                         "R_X.K=\"R_In.Inner=\\\"R_Box.Id=\\\\\\\"z\\\\\\\"\\\"\"");
        glue_instance_unref(in);
        glue_context_unref(ctx);
}

/* Get by key on an association: the key's path may be spelled any way that names the ends. */
static void test_get_association(void)
{
        struct glue_context *ctx = make_context();
        struct glue_request *req;
        struct glue_instance *inst = NULL;
        const char *text;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_get(req, "R_In.Inner=\"R_Crate.Id=\\\"c1\\\"\","
                                           "Outer=\"R_Thing.Id=\\\"g1\\\"\"", &inst), 0);
        glue_instance_unref(inst);
        inst = NULL;
        check_int_eq(glue_request_get(req, "r_in.outer=\"R_Bag.ID=\\\"g1\\\"\","
                                           "INNER=\"root/cimv2:r_box.id=\\\"c1\\\"\"", &inst), 0);
        if (inst) {
                check_int_eq(glue_instance_get_reference(inst, "Outer", &text), 0);
                check_str_eq(text, "R_Thing.Id=\"g1\"");
        }
        glue_instance_unref(inst);
        inst = NULL;
        /* other objects, or the right keys under a class that cannot be the object's, are not
         * it (the stored Outer names R_Thing: any subclass's g1 could be it) */
        check_int_eq(glue_request_get(req, "R_In.Inner=\"R_Crate.Id=\\\"c2\\\"\","
                                           "Outer=\"R_Thing.Id=\\\"g1\\\"\"", &inst), -ENOENT);
        check_int_eq(glue_request_get(req, "R_In.Inner=\"R_Bag.Id=\\\"c1\\\"\","
                                           "Outer=\"R_Thing.Id=\\\"g1\\\"\"", &inst), -ENOENT);
        check_int_eq(glue_request_get(req, "R_In.Inner=\"R_Box.Id=\\\"c1\\\"\","
                                           "Outer=\"R_Thing.Id=\\\"g1\\\"\"", &inst), 0);
        glue_instance_unref(inst);
        inst = NULL;
        check(inst == NULL);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

/* Static association instances in MOF: references validated, with a clear error. */
static void test_static_instances(void)
{
        struct glue_context *ctx = make_context();
        char *error = NULL;

        check_int_eq(glue_context_load_mof(ctx, "bad.mof",
                                           "instance of R_In { Inner = \"R_Bag.Id=\\\"g1\\\"\"; "
                                           "Outer = \"R_Thing.Id=\\\"g1\\\"\"; };", &error),
                     -ENOEXEC);
        check_str_eq(error, "bad.mof:1:20: value of Inner does not fit its type: the path names "
                            "no R_Box");
        free(error);
        error = NULL;
        check_int_eq(glue_context_load_mof(ctx, "bad.mof",
                                           "instance of R_In { Inner = \"R_Box.Id=\"; "
                                           "Outer = \"R_Thing.Id=\\\"g1\\\"\"; };", &error),
                     -ENOEXEC);
        check_str_eq(error, "bad.mof:1:20: value of Inner does not fit its type: no object path "
                            "with the keys of its class");
        free(error);
        glue_context_unref(ctx);
}

TEST_MAIN(test_canonical, test_type, test_equal, test_paths_with_reference_keys,
          test_get_association, test_static_instances)
