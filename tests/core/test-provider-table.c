/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The provider table as a contract that grows: its size field (a table of the first release
 * registers and its later operations read as absent, a table without a size is refused), init
 * (handed the table registered, run once at the first use, its failure the requests'), and the
 * files a provider could not read, counted per cause for the caller.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
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
        int result;             /* what init returns */
        atomic_int inits;
        atomic_int cleanups;
};

static int counted_init(struct glue_context *ctx, const struct glue_provider_ops *ops,
                        void **ret_data)
{
        struct counted_ops *c = (struct counted_ops *)((char *)ops -
                                                       offsetof(struct counted_ops, ops));

        atomic_fetch_add(&c->inits, 1);
        /* A window for a second thread to come in while the first is here. */
        for (int i = 0; i < 1000; i++)
                sched_yield();
        if (c->result < 0)
                return c->result;
        *ret_data = c;
        return 0;
}

static void counted_cleanup(void *data)
{
        struct counted_ops *c = data;

        atomic_fetch_add(&c->cleanups, 1);
}

static int counted_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        /* data is what init made: the table itself */
        check(data != NULL);
        return post_one(call, "one");
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

static int collect(struct glue_context *ctx, size_t *ret_n, struct glue_provider_status *ret)
{
        struct glue_instance **list = NULL;
        struct glue_request *req;
        size_t n = 0;
        int r;

        check_int_eq(glue_request_new(ctx, &req), 0);
        r = glue_request_collect(req, "T_Item", &list, &n);
        glue_instance_list_free(list, n);
        *ret_n = n;
        check_int_eq(glue_request_get_provider_count(req), 1);
        check_int_eq(glue_request_get_provider_status(req, 0, ret), 0);
        /* the strings are the request's: keep only what the callers compare */
        ret->provider = NULL;
        ret->class_name = NULL;
        if (ret->message && strstr(ret->message, "failed to initialise"))
                ret->message = "failed to initialise";
        else
                ret->message = NULL;
        glue_request_unref(req);
        return r;
}

/* init runs at the first request that needs the provider, once, with the table registered;
 * cleanup follows it at the end. A context that never asks does not start it. */
static void test_init_on_first_use(void)
{
        struct counted_ops a = { .ops = { .size = sizeof(struct glue_provider_ops),
                                          .name = "unreadable", .init = counted_init,
                                          .cleanup = counted_cleanup,
                                          .enumerate = counted_enumerate } };
        struct glue_provider_status status;
        struct glue_context *ctx = context_with(&a.ops, 0);
        size_t n = 0;

        check_int_eq(atomic_load(&a.inits), 0);
        check_int_eq(collect(ctx, &n, &status), 0);
        check_int_eq(n, 1);
        check_int_eq(atomic_load(&a.inits), 1);
        check_int_eq(collect(ctx, &n, &status), 0);
        check_int_eq(atomic_load(&a.inits), 1);
        check_int_eq(atomic_load(&a.cleanups), 0);
        glue_context_unref(ctx);
        check_int_eq(test_settle_engine_workers(0), 0);
        check_int_eq(atomic_load(&a.cleanups), 1);

        ctx = context_with(&a.ops, 0);
        glue_context_unref(ctx);
        check_int_eq(atomic_load(&a.inits), 1);
        check_int_eq(atomic_load(&a.cleanups), 1);
}

/* An init that fails is the error of each request that needs the provider, tried once. */
static void test_init_failure_reaches_the_request(void)
{
        struct counted_ops a = { .ops = { .size = sizeof(struct glue_provider_ops),
                                          .name = "unreadable", .init = counted_init,
                                          .cleanup = counted_cleanup,
                                          .enumerate = counted_enumerate },
                                 .result = -EIO };
        struct glue_provider_status status;
        struct glue_context *ctx = context_with(&a.ops, 0);
        size_t n = 1;

        for (int i = 0; i < 2; i++) {
                check_int_eq(collect(ctx, &n, &status), 1); /* one provider failed */
                check_int_eq(n, 0);
                check_int_eq(status.error, -EIO);
                check(status.finished);
                check_str_eq(status.message, "failed to initialise");
        }
        check_int_eq(atomic_load(&a.inits), 1);
        glue_context_unref(ctx);
        check_int_eq(atomic_load(&a.cleanups), 0); /* nothing was made */
}

struct first_use {
        struct glue_context *ctx;
        pthread_barrier_t *barrier;
        int result;
};

static void *request_at_once(void *arg)
{
        struct first_use *u = arg;
        struct glue_provider_status status;
        size_t n = 0;

        pthread_barrier_wait(u->barrier);
        u->result = collect(u->ctx, &n, &status);
        if (n != 1)
                u->result = -1;
        return NULL;
}

/* Requests that need the provider first at the same time: one init, every one served. */
static void test_init_once_across_threads(void)
{
        struct counted_ops a = { .ops = { .size = sizeof(struct glue_provider_ops),
                                          .name = "unreadable", .init = counted_init,
                                          .cleanup = counted_cleanup,
                                          .enumerate = counted_enumerate } };
        struct glue_context *ctx = context_with(&a.ops, 0);
        struct first_use uses[8];
        pthread_t threads[8];
        pthread_barrier_t barrier;

        pthread_barrier_init(&barrier, NULL, 8);
        for (int i = 0; i < 8; i++) {
                uses[i] = (struct first_use){ .ctx = ctx, .barrier = &barrier };
                check_int_eq(pthread_create(&threads[i], NULL, request_at_once, &uses[i]), 0);
        }
        for (int i = 0; i < 8; i++) {
                pthread_join(threads[i], NULL);
                check_int_eq(uses[i].result, 0);
        }
        pthread_barrier_destroy(&barrier);
        check_int_eq(atomic_load(&a.inits), 1);
        glue_context_unref(ctx);
        /* The last worker on its way out may hold the context a moment longer. */
        check_int_eq(test_settle_engine_workers(0), 0);
        check_int_eq(atomic_load(&a.cleanups), 1);
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

TEST_MAIN(test_size_is_required, test_first_table_registers, test_init_on_first_use,
          test_init_failure_reaches_the_request, test_init_once_across_threads,
          test_read_errors_per_cause)
