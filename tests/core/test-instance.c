/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Instances and object paths: typed setters and getters, NULL versus not fetched, type and
 * range errors, string hygiene, path parsing and printing, and the error-code table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"

static const char schema[] =
        "class T { [Key] string Id; [Key] uint32 N; boolean B; sint8 S8; uint8 U8; sint64 S64;\n"
        "  uint64 U64; real32 R32; real64 R64; string Str; datetime When; string List[];\n"
        "  uint64 Nums[]; };\n";

static struct glue_context *make_context(const struct glue_class **cls)
{
        struct glue_context *ctx;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        check_int_eq(glue_context_load_mof(ctx, "t.mof", schema, NULL), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "T", cls), 0);
        return ctx;
}

static void test_typed_values(void)
{
        const struct glue_class *cls;
        struct glue_context *ctx = make_context(&cls);
        struct glue_instance *inst;
        const struct glue_value *v;
        const char *s;
        uint64_t u;
        int64_t i;
        double d;
        bool b;

        check_int_eq(glue_instance_new(cls, &inst), 0);
        /* not fetched, then NULL, then set */
        check_int_eq(glue_instance_get_string(inst, "Str", &s), -ENOENT);
        check_int_eq(glue_instance_set_null(inst, "Str"), 0);
        check_int_eq(glue_instance_get_string(inst, "Str", &s), -ENODATA);
        check_int_eq(glue_instance_set_string(inst, "Str", "x"), 0);
        check_int_eq(glue_instance_get_string(inst, "str", &s), 0);
        check_str_eq(s, "x");
        check_int_eq(glue_instance_set_string(inst, "Str", NULL), 0);
        check_int_eq(glue_instance_get_string(inst, "Str", &s), -ENODATA);

        check_int_eq(glue_instance_set_bool(inst, "B", true), 0);
        check_int_eq(glue_instance_get_bool(inst, "B", &b), 0);
        check(b);
        check_int_eq(glue_instance_set_uint(inst, "B", 1), -EPROTO);
        check_int_eq(glue_instance_set_sint(inst, "S8", -128), 0);
        check_int_eq(glue_instance_set_sint(inst, "S8", -129), -ERANGE);
        check_int_eq(glue_instance_set_uint(inst, "S8", 127), 0);
        check_int_eq(glue_instance_get_sint(inst, "S8", &i), 0);
        check_int_eq(i, 127);
        check_int_eq(glue_instance_set_uint(inst, "U8", 255), 0);
        check_int_eq(glue_instance_set_uint(inst, "U8", 256), -ERANGE);
        check_int_eq(glue_instance_set_sint(inst, "U8", -1), -ERANGE);
        check_int_eq(glue_instance_set_uint(inst, "U64", UINT64_MAX), 0);
        check_int_eq(glue_instance_get_uint(inst, "U64", &u), 0);
        check(u == UINT64_MAX);
        check_int_eq(glue_instance_get_sint(inst, "U64", &i), -ERANGE);
        check_int_eq(glue_instance_set_sint(inst, "S64", INT64_MIN), 0);
        check_int_eq(glue_instance_get_uint(inst, "S64", &u), -ERANGE);
        check_int_eq(glue_instance_set_real(inst, "R64", 84.85), 0);
        check_int_eq(glue_instance_get_real(inst, "R64", &d), 0);
        check(d == 84.85);
        check_int_eq(glue_instance_set_uint(inst, "R64", 3), 0); /* integers widen to real */
        check_int_eq(glue_instance_set_real(inst, "U64", 1.0), -EPROTO);
        check_int_eq(glue_instance_set_real(inst, "R32", 1e300), -ERANGE);
        check_int_eq(glue_instance_set_string(inst, "U64", "5"), -EPROTO);
        check_int_eq(glue_instance_get_uint(inst, "Str", &u), -ENODATA);
        check_int_eq(glue_instance_set_string(inst, "Str", "y"), 0);
        check_int_eq(glue_instance_get_uint(inst, "Str", &u), -EPROTO);
        check_int_eq(glue_instance_set_string(inst, "Nope", "x"), -EINVAL);
        check_int_eq(glue_instance_get_string(inst, "Nope", &s), -EINVAL);

        check_int_eq(glue_instance_set_string(inst, "When", "20261120233000.000000+060"), 0);
        check_int_eq(glue_instance_set_string(inst, "When", "00000001000000.000000:000"), 0);
        check_int_eq(glue_instance_set_string(inst, "When", "2026-11-20"), -ERANGE);

        const char *list[] = { "a", "b\xff" };
        uint64_t nums[] = { 1, 2, 3 };
        check_int_eq(glue_instance_set_string_array(inst, "List", list, 2), 0);
        check_int_eq(glue_instance_get_value(inst, "List", &v), 0);
        check(v->is_array && v->count == 2);
        check_str_eq(v->v.str_array[1], "b\xef\xbf\xbd");
        check_int_eq(glue_instance_set_uint_array(inst, "Nums", nums, 3), 0);
        check_int_eq(glue_instance_get_value(inst, "Nums", &v), 0);
        check(v->count == 3 && v->v.u_array[2] == 3);
        check_int_eq(glue_instance_set_uint_array(inst, "U64", nums, 3), -EPROTO);
        check_int_eq(glue_instance_set_uint(inst, "Nums", 1), -EPROTO);
        glue_instance_unref(inst);
        glue_context_unref(ctx);
}

static void test_string_hygiene(void)
{
        const struct glue_class *cls;
        struct glue_context *ctx = make_context(&cls);
        struct glue_instance *inst;
        const char *s;

        check_int_eq(glue_instance_new(cls, &inst), 0);
        /* NUL padding (the rx6900xt labels) ends the string */
        check_int_eq(glue_instance_set_string_len(inst, "Str", "edge\0\0\0\0", 8), 0);
        check_int_eq(glue_instance_get_string(inst, "Str", &s), 0);
        check_str_eq(s, "edge");
        /* invalid UTF-8: lone continuation, overlong, surrogate, truncated */
        check_int_eq(glue_instance_set_string(inst, "Str", "a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82"), 0);
        check_int_eq(glue_instance_get_string(inst, "Str", &s), 0);
        check_str_eq(s, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                        "d\xef\xbf\xbd\xef\xbf\xbd");
        /* valid multibyte passes unchanged */
        check_int_eq(glue_instance_set_string(inst, "Str", "\xc2\xb0" "C \xe2\x82\xac \xf0\x9f\x94\xa5"), 0);
        check_int_eq(glue_instance_get_string(inst, "Str", &s), 0);
        check_str_eq(s, "\xc2\xb0" "C \xe2\x82\xac \xf0\x9f\x94\xa5");
        check_int_eq(glue_instance_set_stringf(inst, "Str", "%s-%d", "x", 7), 0);
        check_int_eq(glue_instance_get_string(inst, "Str", &s), 0);
        check_str_eq(s, "x-7");
        glue_instance_unref(inst);
        glue_context_unref(ctx);
}

static void test_instance_path(void)
{
        const struct glue_class *cls;
        struct glue_context *ctx = make_context(&cls);
        struct glue_instance *inst;
        char *path = NULL;

        check_int_eq(glue_instance_new(cls, &inst), 0);
        check_int_eq(glue_instance_get_path(inst, &path), -EINVAL); /* keys unset */
        check_int_eq(glue_instance_set_string(inst, "Id", "a \"q\" \\ b"), 0);
        check_int_eq(glue_instance_set_uint(inst, "N", 42), 0);
        check_int_eq(glue_instance_get_path(inst, &path), 0);
        check_str_eq(path, "T.Id=\"a \\\"q\\\" \\\\ b\",N=42");
        /* and the path finds nothing but parses back to the same keys */
        struct glue_path *parsed;
        check_int_eq(glue_path_parse(path, &parsed), 0);
        check_str_eq(glue_path_get_key(parsed, "id"), "a \"q\" \\ b");
        check_str_eq(glue_path_get_key(parsed, "N"), "42");
        glue_path_free(parsed);
        free(path);
        glue_instance_unref(inst);
        glue_context_unref(ctx);
}

struct path_case {
        const char *text;
        int r;
        const char *canonical;
};

static const struct path_case path_cases[] = {
        { "Class.Key=\"v\"", 0, "Class.Key=\"v\"" },
        { "Class.K1=\"a,b\",K2=3", 0, "Class.K1=\"a,b\",K2=3" },
        { "Class.K=-7", 0, "Class.K=-7" },
        { "Class.K=TRUE", 0, "Class.K=TRUE" },
        { "root/cimv2:Class.K=\"x:y.z\"", 0, "root/cimv2:Class.K=\"x:y.z\"" },
        { "\\\\.\\root\\cimv2:Class.K=\"v\"", 0, "root/cimv2:Class.K=\"v\"" },
        { "//host/root/cimv2:Class.K=1", 0, "root/cimv2:Class.K=1" },
        { "Class=@", 0, "Class=@" },
        { "Class", 0, "Class" },
        { "Class.K=\"esc \\\" \\\\\"", 0, "Class.K=\"esc \\\" \\\\\"" },
        { "", -EILSEQ, NULL },
        { "1Class.K=1", -EILSEQ, NULL },
        { "Class.", -EILSEQ, NULL },
        { "Class.K", -EILSEQ, NULL },
        { "Class.K=", -EILSEQ, NULL },
        { "Class.K=\"open", -EILSEQ, NULL },
        { "Class.K=\"bad \\n escape\"", -EILSEQ, NULL },
        { "Class.K=abc", -EILSEQ, NULL },
        { "Class.K=1,K=2", -EILSEQ, NULL },
        { "Class.K=1,", -EILSEQ, NULL },
        { "Class.K=1 trailing", -EILSEQ, NULL },
        { "Class.K=\"a\"\"b\"", -EILSEQ, NULL },
        { ":Class.K=1", -EILSEQ, NULL },
        { "root/../etc:Class.K=1", -EILSEQ, NULL },
        { "\\\\hostonly:Class.K=1", -EILSEQ, NULL },
};

static void test_path_parsing(void)
{
        for (size_t i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++) {
                struct glue_path *path = NULL;
                char *text = NULL;
                int r = glue_path_parse(path_cases[i].text, &path);

                if (r != path_cases[i].r)
                        fprintf(stderr, "path case %zu: %s\n", i, path_cases[i].text);
                check_int_eq(r, path_cases[i].r);
                if (r == 0) {
                        check_int_eq(glue_path_to_string(path, &text), 0);
                        check_str_eq(text, path_cases[i].canonical);
                        free(text);
                }
                glue_path_free(path);
        }
        /* absurd lengths are refused before anything else */
        char *huge = malloc(10000);
        memset(huge, 'A', 9999);
        huge[9999] = '\0';
        struct glue_path *path = NULL;
        check_int_eq(glue_path_parse(huge, &path), -EILSEQ);
        free(huge);
        check_int_eq(glue_path_parse(NULL, &path), -EINVAL);
}

static void test_error_table(void)
{
        check_str_eq(glue_wbem_name(-ENOENT), "WBEM_E_NOT_FOUND");
        check_int_eq(glue_wbem_code(-ENOENT), 0x80041002u);
        check_int_eq(glue_mi_code(-ENOENT), 6);
        check_str_eq(glue_wbem_name(-ESRCH), "WBEM_E_INVALID_CLASS");
        check_int_eq(glue_mi_code(-ESRCH), 5);
        check_str_eq(glue_wbem_name(-EBADMSG), "WBEM_E_INVALID_QUERY");
        check_str_eq(glue_wbem_name(-EOPNOTSUPP), "WBEM_E_PROVIDER_NOT_CAPABLE");
        check_str_eq(glue_wbem_name(-ECANCELED), "WBEM_E_CALL_CANCELLED");
        check_str_eq(glue_wbem_name(-ENOMEM), "WBEM_E_OUT_OF_MEMORY");
        check_str_eq(glue_wbem_name(-EXDEV), "WBEM_E_PROVIDER_FAILURE");
        check_int_eq(glue_wbem_code(0), 0);
        check_str_eq(glue_strerror(-ESRCH), "invalid class");
        check(strlen(glue_strerror(-EXDEV)) > 0);
        check(strlen(glue_strerror(-99999)) > 0);
        check_str_eq(glue_type_name(GLUE_TYPE_UINT16), "uint16");
        check(glue_type_name((enum glue_type)999) == NULL);
}

static void test_null_arguments(void)
{
        struct glue_context *ctx = NULL;

        check(glue_context_unref(NULL) == NULL);
        check(glue_request_unref(NULL) == NULL);
        check(glue_instance_unref(NULL) == NULL);
        glue_path_free(NULL);
        check_int_eq(glue_context_new(0x100, &ctx), -EINVAL);
        check_int_eq(glue_context_new(0, NULL), -EINVAL);
        check_int_eq(glue_instance_new(NULL, NULL), -EINVAL);
        check_int_eq(glue_request_new(NULL, NULL), -EINVAL);
        check_int_eq(glue_context_load_mof(NULL, "x", "", NULL), -EINVAL);
        check_int_eq(glue_context_set_option(NULL, "k", "v"), -EINVAL);
}

TEST_MAIN(test_typed_values, test_string_hygiene, test_instance_path, test_path_parsing,
          test_error_table, test_null_arguments)
