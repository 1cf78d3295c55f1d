/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The provider table as a contract that grows: its size field (a table of the first release
 * registers and its later operations read as absent, a table without a size is refused), the
 * table handed to init, and the files a provider could not read, counted per cause for the
 * caller.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"

#define FIRST_TABLE_SIZE                                                                   \
        (offsetof(struct glue_provider_ops, get_instance) +                               \
         sizeof(((struct glue_provider_ops *)0)->get_instance))

static const char schema[] = "[Provider(\"unreadable\")] class T_Item { [Key] string Name; "
                             "string Value; };\n";

static int post_one(struct glue_call *call, const char *name)
{
        struct glue_instance *inst;
        int r = glue_call_new_instance(call, NULL, &inst);

        if (r < 0)
                return r;
        glue_instance_set_string(inst, "Name", name);
        return glue_call_post(call, inst);
}

/* Three files fail for two causes, one twice; the properties they carry stay NULL. */
static int unreadable_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        glue_call_note_read_error(call, "/sys/a/temp1_input", -EACCES);
        glue_call_note_read_error(call, "/sys/b/name", -EAGAIN);
        glue_call_note_read_error(call, "/sys/c/temp2_input", -EACCES);
        glue_call_note_read_error(call, "/sys/d/absent", 0); /* not an error: ignored */
        return post_one(call, "one");
}

struct counted_ops {
        struct glue_provider_ops ops;
        int inits;
};

static int counted_init(struct glue_context *ctx, const struct glue_provider_ops *ops,
                        void **ret_data)
{
        struct counted_ops *c = (struct counted_ops *)((char *)ops -
                                                       offsetof(struct counted_ops, ops));
        c->inits++;
        *ret_data = c;
        return 0;
}

static struct glue_context *context_with(const struct glue_provider_ops *ops, int expect)
{
        struct glue_context *ctx;
        char *error = NULL;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        check_int_eq(glue_context_load_mof(ctx, "t.mof", schema, &error), 0);
        free(error);
        check_int_eq(glue_context_register_provider(ctx, ops), expect);
        return ctx;
}

static void test_size_is_required(void)
{
        struct glue_provider_ops ops = { .name = "unreadable", .enumerate = unreadable_enumerate };
        struct glue_context *ctx = context_with(&ops, -EINVAL);

        ops.size = FIRST_TABLE_SIZE - 1;
        check_int_eq(glue_context_register_provider(ctx, &ops), -EINVAL);
        glue_context_unref(ctx);
}

/* A provider built against the first table: the glue must not read past its end. */
static void test_first_table_registers(void)
{
        struct {
                struct glue_provider_ops ops;
                unsigned char garbage[64];
        } old;
        struct glue_instance **list = NULL;
        struct glue_request *req;
        struct glue_context *ctx;
        size_t n = 0;

        memset(&old, 0xa5, sizeof(old));
        memset(&old.ops, 0, FIRST_TABLE_SIZE);
        old.ops.size = FIRST_TABLE_SIZE;
        old.ops.name = "unreadable";
        old.ops.enumerate = unreadable_enumerate;
        ctx = context_with(&old.ops, 0);
        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_collect(req, "T_Item", &list, &n), 0);
        check_int_eq(n, 1);
        glue_instance_list_free(list, n);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static void test_init_gets_its_table(void)
{
        struct counted_ops a = { .ops = { .size = sizeof(struct glue_provider_ops),
                                          .name = "unreadable", .init = counted_init,
                                          .enumerate = unreadable_enumerate } };
        struct glue_context *ctx = context_with(&a.ops, 0);

        check_int_eq(a.inits, 1);
        glue_context_unref(ctx);
}

static void test_read_errors_per_cause(void)
{
        struct glue_provider_ops ops = { .size = sizeof(ops), .name = "unreadable",
                                         .enumerate = unreadable_enumerate };
        struct glue_context *ctx = context_with(&ops, 0);
        struct glue_instance **list = NULL;
        struct glue_read_error e;
        struct glue_request *req;
        size_t n = 0;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_get_read_error_count(req), 0);
        check_int_eq(glue_request_collect(req, "T_Item", &list, &n), 0);
        glue_instance_list_free(list, n);
        check_int_eq(glue_request_get_read_error_count(req), 2);
        check_int_eq(glue_request_get_read_error(req, 0, &e), 0);
        check_int_eq(e.error, -EACCES);
        check_int_eq(e.count, 2);
        check_str_eq(e.example, "/sys/a/temp1_input");
        check_str_eq(e.provider, "unreadable");
        check_int_eq(glue_request_get_read_error(req, 1, &e), 0);
        check_int_eq(e.error, -EAGAIN);
        check_int_eq(e.count, 1);
        check_str_eq(e.example, "/sys/b/name");
        check_int_eq(glue_request_get_read_error(req, 2, &e), -EINVAL);

        /* Each call counts afresh; a get reaches the same provider through enumerate. */
        struct glue_instance *inst = NULL;
        check_int_eq(glue_request_get(req, "T_Item.Name=\"one\"", &inst), 0);
        glue_instance_unref(inst);
        check_int_eq(glue_request_get_read_error_count(req), 2);
        check_int_eq(glue_request_get_read_error(req, 0, &e), 0);
        check_int_eq(e.count, 2);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

TEST_MAIN(test_size_is_required, test_first_table_registers, test_init_gets_its_table,
          test_read_errors_per_cause)
