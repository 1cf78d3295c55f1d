/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The WMI derived-enumeration rules on a schema of the test's own, with its own providers:
 * the worked example of the issue (Class1 by P1 with item1-4, Class2 : Class1 by P2 with item1,
 * item3, item5), rule 5 (static superclass instances win), get-by-key, and the same results
 * when the subclass provider can only enumerate (the key-set fallback).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"

struct table_provider {
        struct glue_provider_ops ops;
        const char *class_name;
        const char *const *items;
        size_t n;
};

static const char *const p1_items[] = { "item1", "item2", "item3", "item4" };
static const char *const p2_items[] = { "item1", "item3", "item5" };

static int post_item(struct glue_call *call, const char *class_name, const char *item)
{
        struct glue_instance *inst;
        int r = glue_call_new_instance(call, class_name, &inst);

        if (r < 0)
                return r;
        glue_instance_set_string(inst, "Name", item);
        glue_instance_set_string(inst, "Owner", class_name);
        return glue_call_post(call, inst);
}

static int table_init(struct glue_context *ctx, const struct glue_provider_ops *ops,
                      void **ret_data);

static int table_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        const struct table_provider *t = data;

        for (size_t i = 0; i < t->n; i++) {
                int r = post_item(call, t->class_name, t->items[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int table_get(struct glue_call *call, const struct glue_class *cls,
                     const struct glue_path *path, void *data)
{
        const struct table_provider *t = data;
        const char *key = glue_path_get_key(path, "Name");

        for (size_t i = 0; key && i < t->n; i++)
                if (strcmp(t->items[i], key) == 0)
                        return post_item(call, t->class_name, t->items[i]);
        return -ENOENT;
}

static struct table_provider p1 = {
        .ops = { .size = sizeof(struct glue_provider_ops), .name = "P1", .init = table_init, .enumerate = table_enumerate, .get_instance = table_get },
        .class_name = "Class1", .items = p1_items, .n = 4,
};
static struct table_provider p2 = {
        .ops = { .size = sizeof(struct glue_provider_ops), .name = "P2", .init = table_init, .enumerate = table_enumerate, .get_instance = table_get },
        .class_name = "Class2", .items = p2_items, .n = 3,
};
/* The same P2 without get_instance: the glue must fall back to a key set. */
static struct table_provider p2_enum_only = {
        .ops = { .size = sizeof(struct glue_provider_ops), .name = "P2", .init = table_init, .enumerate = table_enumerate },
        .class_name = "Class2", .items = p2_items, .n = 3,
};

/* The table a provider serves reaches its operations as `data`: init is handed the ops being
 * registered, which sit at the start of their table_provider. */
static int table_init(struct glue_context *ctx, const struct glue_provider_ops *ops,
                      void **ret_data)
{
        *ret_data = (struct table_provider *)((char *)ops - offsetof(struct table_provider, ops));
        return 0;
}

static struct glue_context *make_context(struct table_provider *sub, bool static_base)
{
        struct glue_context *ctx;
        char *error = NULL;
        char text[1024];

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        glue_context_set_log_fn(ctx, test_log_stderr, NULL);
        if (static_base)
                snprintf(text, sizeof(text), "%s",
                         "class Class1 { [Key] string Name; string Owner; };\n"
                         "instance of Class1 { Name = \"item1\"; Owner = \"static\"; };\n"
                         "instance of Class1 { Name = \"item2\"; Owner = \"static\"; };\n"
                         "[Provider(\"P2\")] class Class2 : Class1 { uint32 Extra; };\n");
        else
                snprintf(text, sizeof(text), "%s",
                         "[Provider(\"P1\")] class Class1 { [Key] string Name; string Owner; };\n"
                         "[Provider(\"P2\")] class Class2 : Class1 { uint32 Extra; };\n");
        check_int_eq(glue_context_load_mof(ctx, "test.mof", text, &error), 0);
        if (error)
                fprintf(stderr, "%s\n", error);
        free(error);
        if (!static_base) {
                check_int_eq(glue_context_register_provider(ctx, &p1.ops), 0);
        }
        check_int_eq(glue_context_register_provider(ctx, &sub->ops), 0);
        return ctx;
}

/* Enumerate and render "Class.item" in delivery order, sorted (providers run in parallel). */
static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *enumerate_to_string(struct glue_context *ctx, const char *class_name, unsigned flags,
                                 int *ret)
{
        struct glue_request *req;
        struct glue_instance **list = NULL;
        size_t n = 0;
        char *names[64], *out = calloc(1, 1024);

        check_int_eq(glue_request_new(ctx, &req), 0);
        glue_request_set_flags(req, flags);
        *ret = glue_request_collect(req, class_name, &list, &n);
        for (size_t i = 0; i < n && i < 64; i++) {
                const char *name = NULL;
                glue_instance_get_string(list[i], "Name", &name);
                if (asprintf(&names[i], "%s.%s", glue_class_get_name(glue_instance_get_class(list[i])),
                             name ? name : "?") < 0)
                        names[i] = NULL;
        }
        qsort(names, n, sizeof(char *), cmp_str);
        for (size_t i = 0; i < n; i++) {
                strcat(out, i ? " " : "");
                strcat(out, names[i]);
                free(names[i]);
        }
        glue_instance_list_free(list, n);
        glue_request_unref(req);
        return out;
}

static void check_enum(struct glue_context *ctx, const char *cls, unsigned flags, const char *expect)
{
        int r;
        char *got = enumerate_to_string(ctx, cls, flags, &r);

        check_int_eq(r, 0);
        check_str_eq(got, expect);
        free(got);
}

static void worked_example(struct table_provider *sub)
{
        struct glue_context *ctx = make_context(sub, false);

        check_enum(ctx, "Class1", 0, "Class1.item2 Class1.item4 Class2.item1 Class2.item3");
        check_enum(ctx, "Class1", GLUE_REQUEST_SHALLOW, "Class1.item2 Class1.item4");
        check_enum(ctx, "Class2", 0, "Class2.item1 Class2.item3");
        check_enum(ctx, "Class2", GLUE_REQUEST_SHALLOW, "Class2.item1 Class2.item3");
        glue_context_unref(ctx);
}

static void test_worked_example(void)
{
        worked_example(&p2);
}

static void test_worked_example_enumerate_only_subclass(void)
{
        worked_example(&p2_enum_only);
}

static void test_static_superclass_not_overridden(void)
{
        struct glue_context *ctx = make_context(&p2, true);

        /* Rule 5: item1 stays the static Class1 instance; item3 and item5 do not exist in the
         * superclass (rule 1). Enumerating Class2 itself returns its instance whose key the
         * superclass has (rule 4). */
        check_enum(ctx, "Class1", 0, "Class1.item1 Class1.item2");
        check_enum(ctx, "Class1", GLUE_REQUEST_SHALLOW, "Class1.item1 Class1.item2");
        check_enum(ctx, "Class2", 0, "Class2.item1");
        glue_context_unref(ctx);
}

static void check_get(struct glue_context *ctx, const char *path, int expect_r, const char *expect_class)
{
        struct glue_request *req;
        struct glue_instance *inst = NULL;
        int r;

        check_int_eq(glue_request_new(ctx, &req), 0);
        r = glue_request_get(req, path, &inst);
        check_int_eq(r, expect_r);
        if (expect_class) {
                check(inst != NULL);
                if (inst)
                        check_str_eq(glue_class_get_name(glue_instance_get_class(inst)), expect_class);
        } else
                check(inst == NULL);
        glue_instance_unref(inst);
        glue_request_unref(req);
}

static void test_get_by_key(void)
{
        struct glue_context *ctx = make_context(&p2, false);

        check_get(ctx, "Class1.Name=\"item1\"", 0, "Class2");     /* most derived */
        check_get(ctx, "Class1.Name=\"item2\"", 0, "Class1");
        check_get(ctx, "Class2.Name=\"item3\"", 0, "Class2");
        check_get(ctx, "Class2.Name=\"item5\"", -ENOENT, NULL);   /* not in the superclass */
        check_get(ctx, "Class2.Name=\"item2\"", -ENOENT, NULL);
        check_get(ctx, "root/cimv2:Class1.Name=\"item4\"", 0, "Class1");
        check_get(ctx, "Class1.Nope=\"item4\"", -EILSEQ, NULL);
        check_get(ctx, "Class1.Name=\"item4", -EILSEQ, NULL);
        check_get(ctx, "Missing.Name=\"x\"", -ESRCH, NULL);
        check_get(ctx, "root/elsewhere:Class1.Name=\"x\"", -ENXIO, NULL);
        glue_context_unref(ctx);
}

static void test_get_by_key_static(void)
{
        struct glue_context *ctx = make_context(&p2, true);

        check_get(ctx, "Class1.Name=\"item1\"", 0, "Class1");
        check_get(ctx, "Class1.Name=\"item3\"", -ENOENT, NULL);
        glue_context_unref(ctx);
}

static int ignore_instance(struct glue_instance *inst, void *userdata)
{
        return 0;
}

static void test_unknown_class_and_namespace(void)
{
        struct glue_context *ctx = make_context(&p2, false);
        struct glue_request *req;
        int r;

        check_int_eq(glue_request_new(ctx, &req), 0);
        r = glue_request_enumerate(req, "NoSuchClass", ignore_instance, NULL);
        check_int_eq(r, -ESRCH);
        check(glue_request_get_error(req) && strstr(glue_request_get_error(req), "NoSuchClass"));
        check_int_eq(glue_request_set_namespace(req, "root\\other"), 0);
        check_int_eq(glue_request_enumerate(req, "Class1", ignore_instance, NULL), -ENXIO);
        check_int_eq(glue_request_enumerate(req, NULL, ignore_instance, NULL), -EINVAL);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

TEST_MAIN(test_worked_example, test_worked_example_enumerate_only_subclass,
          test_static_superclass_not_overridden, test_get_by_key, test_get_by_key_static,
          test_unknown_class_and_namespace)
