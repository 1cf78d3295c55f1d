/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Async-first behaviour: instances stream (the first reaches the caller while its provider is
 * still running), a stop from the callback returns promptly, a deadline returns on time with
 * the other providers' instances and names the one that hung, a provider can enumerate another
 * class from inside its own enumeration, requested properties reach the provider, and the
 * number of instances held at once is bounded whatever the total.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test-util.h"

static uint64_t now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const char schema[] =
        "[Abstract] class Base { [Key] string Name; };\n"
        "[Provider(\"fast\")] class Fast : Base { uint32 Index; [Expensive] string Costly; string Plain; };\n"
        "[Provider(\"slow\")] class Slow : Base { };\n"
        "[Provider(\"stream\")] class Stream : Base { };\n"
        "[Provider(\"many\")] class Many : Base { uint64 Index; };\n"
        "[Provider(\"nested\")] class Nested : Base { uint32 InnerCount; };\n"
        "[Provider(\"quitter\")] class Quitter : Base { };\n";

/* ---- providers ---- */

static atomic_int fast_costly_computed;
static atomic_int fast_n = 5;

static int fast_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        bool want_costly = glue_call_wants(call, "Costly");
        bool want_plain = glue_call_wants(call, "Plain");
        bool want_index = glue_call_wants(call, "Index");

        for (int i = 0; i < atomic_load(&fast_n); i++) {
                struct glue_instance *inst;
                int r = glue_call_new_instance(call, "Fast", &inst);
                if (r < 0)
                        return r;
                glue_instance_set_stringf(inst, "Name", "fast%d", i);
                if (want_index)
                        glue_instance_set_uint(inst, "Index", (uint64_t)i);
                if (want_costly) {
                        atomic_fetch_add(&fast_costly_computed, 1);
                        glue_instance_set_string(inst, "Costly", "expensive");
                }
                if (want_plain)
                        glue_instance_set_string(inst, "Plain", "plain");
                r = glue_call_post(call, inst);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Hangs until cancelled (like a driver whose read never returns), checking now and then. */
static atomic_bool slow_running;
static _Atomic uint64_t slow_started_ms; /* when its operation was entered */
static int slow_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        atomic_store(&slow_started_ms, now_ms());
        atomic_store(&slow_running, true);
        for (int i = 0; i < 1000 && !glue_call_is_cancelled(call); i++)
                usleep(10000);
        atomic_store(&slow_running, false);
        return glue_call_is_cancelled(call) ? -ECANCELED : 0;
}

/* Posts one instance, then waits (up to 5 s) until the caller has seen it before posting the
 * second: only a streaming enumeration gets past this without the wait running out. */
static atomic_bool stream_first_seen;
static atomic_bool stream_waited_out;
static int stream_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        struct glue_instance *inst;
        uint64_t start = now_ms();
        int r;

        r = glue_call_new_instance(call, NULL, &inst);
        if (r < 0)
                return r;
        glue_instance_set_string(inst, "Name", "first");
        r = glue_call_post(call, inst);
        if (r < 0)
                return r;
        while (!atomic_load(&stream_first_seen) && now_ms() - start < 5000)
                usleep(1000);
        atomic_store(&stream_waited_out, !atomic_load(&stream_first_seen));
        r = glue_call_new_instance(call, NULL, &inst);
        if (r < 0)
                return r;
        glue_instance_set_string(inst, "Name", "second");
        return glue_call_post(call, inst);
}

static atomic_long many_posted;
static long many_total = 20000;
static int many_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        for (long i = 0; i < many_total; i++) {
                struct glue_instance *inst;
                int r = glue_call_new_instance(call, NULL, &inst);
                if (r < 0)
                        return r;
                glue_instance_set_stringf(inst, "Name", "m%ld", i);
                glue_instance_set_uint(inst, "Index", (uint64_t)i);
                atomic_fetch_add(&many_posted, 1);
                r = glue_call_post(call, inst);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int count_instance(struct glue_instance *inst, void *userdata)
{
        (*(int *)userdata)++;
        return 0;
}

/* Enumerates Fast from inside its own enumeration, through the same call. */
static int nested_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        struct glue_instance *inst;
        int inner = 0, r;

        r = glue_call_enumerate(call, "Fast", 0, count_instance, &inner);
        if (r < 0)
                return r;
        r = glue_call_new_instance(call, NULL, &inst);
        if (r < 0)
                return r;
        glue_instance_set_string(inst, "Name", "outer");
        glue_instance_set_uint(inst, "InnerCount", (uint64_t)inner);
        return glue_call_post(call, inst);
}

/* Notices the deadline at once (spinning, no sleep) and gives up: it did not finish, even if it
 * returns before the engine's own timer fires. */
static int quitter_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        while (!glue_call_is_cancelled(call))
                ;
        return -ECANCELED;
}

static const struct glue_provider_ops quitter_ops = { .size = sizeof(struct glue_provider_ops), .name = "quitter", .enumerate = quitter_enumerate };
static const struct glue_provider_ops fast_ops = { .size = sizeof(struct glue_provider_ops), .name = "fast", .enumerate = fast_enumerate };
static const struct glue_provider_ops slow_ops = { .size = sizeof(struct glue_provider_ops), .name = "slow", .enumerate = slow_enumerate };
static const struct glue_provider_ops stream_ops = { .size = sizeof(struct glue_provider_ops), .name = "stream", .enumerate = stream_enumerate };
static const struct glue_provider_ops many_ops = { .size = sizeof(struct glue_provider_ops), .name = "many", .enumerate = many_enumerate };
static const struct glue_provider_ops nested_ops = { .size = sizeof(struct glue_provider_ops), .name = "nested", .enumerate = nested_enumerate };

static struct glue_context *make_context(void)
{
        struct glue_context *ctx;
        char *error = NULL;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        check_int_eq(glue_context_load_mof(ctx, "async.mof", schema, &error), 0);
        free(error);
        check_int_eq(glue_context_register_provider(ctx, &fast_ops), 0);
        check_int_eq(glue_context_register_provider(ctx, &slow_ops), 0);
        check_int_eq(glue_context_register_provider(ctx, &stream_ops), 0);
        check_int_eq(glue_context_register_provider(ctx, &many_ops), 0);
        check_int_eq(glue_context_register_provider(ctx, &nested_ops), 0);
        check_int_eq(glue_context_register_provider(ctx, &quitter_ops), 0);
        check_int_eq(glue_context_register_provider(ctx, &fast_ops), -EEXIST);
        return ctx;
}

/* ---- tests ---- */

static int note_stream(struct glue_instance *inst, void *userdata)
{
        const char *name = NULL;

        glue_instance_get_string(inst, "Name", &name);
        if (name && strcmp(name, "first") == 0)
                atomic_store(&stream_first_seen, true);
        (*(int *)userdata)++;
        return 0;
}

static void test_first_instance_streams(void)
{
        struct glue_context *ctx = make_context();
        struct glue_request *req;
        int n = 0;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_enumerate(req, "Stream", note_stream, &n), 0);
        check_int_eq(n, 2);
        check(!atomic_load(&stream_waited_out));
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static int stop_after_one(struct glue_instance *inst, void *userdata)
{
        (*(int *)userdata)++;
        return GLUE_STOP;
}

static void test_stop_from_callback(void)
{
        struct glue_context *ctx = make_context();
        struct glue_request *req;
        uint64_t start;
        int n = 0;

        /* Base spans fast (finishes), slow (hangs 10 s unless stopped), stream, many, nested. */
        check_int_eq(glue_request_new(ctx, &req), 0);
        start = now_ms();
        check_int_eq(glue_request_enumerate(req, "Base", stop_after_one, &n), -ECANCELED);
        check(now_ms() - start < 3000);
        check_int_eq(n, 1);
        glue_request_unref(req);
        glue_context_unref(ctx);
        /* The slow provider sees the stop and ends by itself. */
        for (int i = 0; i < 300 && atomic_load(&slow_running); i++)
                usleep(10000);
        check(!atomic_load(&slow_running));
}

static void test_deadline(void)
{
        struct glue_context *ctx = make_context();
        struct glue_request *req;
        struct glue_provider_status s;
        uint64_t start, elapsed;
        int n = 0, r;
        bool slow_named = false, fast_done = false;

        check_int_eq(glue_request_new(ctx, &req), 0);
        glue_request_set_timeout(req, 300 * 1000);
        atomic_store(&slow_started_ms, 0);
        start = now_ms();
        r = glue_request_enumerate(req, "Base", count_instance, &n);
        elapsed = now_ms() - start;
        check_int_eq(r, -ETIMEDOUT);
        check(elapsed >= 250 && elapsed < 3000);
        /* fast's 5, stream's 2 (once it is not waited on), many's 20000, nested's 1 */
        check(n >= 5);
        for (size_t i = 0; i < glue_request_get_provider_count(req); i++) {
                check_int_eq(glue_request_get_provider_status(req, i, &s), 0);
                if (strcmp(s.provider, "slow") == 0) {
                        /* Its time runs from its start (a loaded machine may start it late)
                         * to the deadline at least: the status covers the whole wait. */
                        int64_t entered = (int64_t)atomic_load(&slow_started_ms);
                        int64_t until_deadline = (int64_t)start + 300 - entered;
                        slow_named = !s.finished && s.error == -ETIMEDOUT;
                        if (entered) /* else not run before the deadline: given up */
                                check((int64_t)s.usec + 1000 >= until_deadline * 1000);
                        else
                                check(s.usec > 0);
                }
                if (strcmp(s.provider, "fast") == 0)
                        fast_done = s.finished && s.error == 0 && s.instances == 5;
        }
        check(slow_named);
        check(fast_done);
        check(glue_request_get_error(req) && strstr(glue_request_get_error(req), "slow"));
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static void test_deadline_noticed_by_provider_first(void)
{
        struct glue_context *ctx = make_context();
        struct glue_request *req;
        struct glue_provider_status s;
        int timeouts = 0;

        check_int_eq(glue_request_new(ctx, &req), 0);
        glue_request_set_timeout(req, 20 * 1000);
        for (int i = 0; i < 20; i++) {
                if (glue_request_enumerate(req, "Quitter", count_instance, &(int){ 0 }) == -ETIMEDOUT)
                        timeouts++;
                check_int_eq(glue_request_get_provider_status(req, 0, &s), 0);
                check(s.error == -ETIMEDOUT);
        }
        check_int_eq(timeouts, 20);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static void test_reentrant_enumeration(void)
{
        struct glue_context *ctx = make_context();
        struct glue_request *req;
        struct glue_instance **list = NULL;
        size_t n = 0;
        uint64_t inner = 0;

        check_int_eq(glue_request_new(ctx, &req), 0);
        glue_request_set_timeout(req, 10 * 1000 * 1000); /* a deadlock fails, not hangs */
        check_int_eq(glue_request_collect(req, "Nested", &list, &n), 0);
        check_int_eq(n, 1);
        if (n == 1) {
                check_int_eq(glue_instance_get_uint(list[0], "InnerCount", &inner), 0);
                check_int_eq(inner, 5);
        }
        glue_instance_list_free(list, n);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

/* The callback itself issues a request on the same context. */
static int reenter_from_callback(struct glue_instance *inst, void *userdata)
{
        struct glue_context *ctx = userdata;
        struct glue_request *req;
        struct glue_instance *got = NULL;
        char *path = NULL;
        int r;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_instance_get_path(inst, &path), 0);
        r = glue_request_get(req, path, &got);
        check_int_eq(r, 0);
        check(got && glue_instance_get_class(got) == glue_instance_get_class(inst));
        glue_instance_unref(got);
        free(path);
        glue_request_unref(req);
        return 0;
}

static void test_reentrant_callback(void)
{
        struct glue_context *ctx = make_context();
        struct glue_request *req;

        check_int_eq(glue_request_new(ctx, &req), 0);
        glue_request_set_timeout(req, 10 * 1000 * 1000);
        check_int_eq(glue_request_enumerate(req, "Fast", reenter_from_callback, ctx), 0);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static int check_partial(struct glue_instance *inst, void *userdata)
{
        const char *s;

        /* asked for Index only: Costly and Plain were not fetched */
        check_int_eq(glue_instance_get_uint(inst, "Index", NULL), 0);
        check_int_eq(glue_instance_get_string(inst, "Costly", &s), -ENOENT);
        check_int_eq(glue_instance_get_string(inst, "Plain", &s), -ENOENT);
        check_int_eq(glue_instance_get_string(inst, "Name", &s), 0);
        check_int_eq(glue_instance_get_string(inst, "NoSuchProperty", &s), -EINVAL);
        return 0;
}

static int check_keys_only(struct glue_instance *inst, void *userdata)
{
        check_int_eq(glue_instance_get_string(inst, "Name", NULL), 0);
        check_int_eq(glue_instance_get_uint(inst, "Index", NULL), -ENOENT);
        return 0;
}

static int check_wanted_but_unset(struct glue_instance *inst, void *userdata)
{
        /* Plain was wanted, the provider set it; "Costly" wanted and set. */
        check_int_eq(glue_instance_get_string(inst, "Costly", NULL), 0);
        check_int_eq(glue_instance_get_uint(inst, "Index", NULL), -ENOENT);
        return 0;
}

static void test_partial_instances(void)
{
        struct glue_context *ctx = make_context();
        struct glue_request *req;
        const char *index_only[] = { "Index" };
        const char *costly[] = { "Costly" };

        check_int_eq(glue_request_new(ctx, &req), 0);
        /* A worker of an earlier test's stopped request may still be computing. */
        check_int_eq(test_settle_engine_workers(0), 0);
        atomic_store(&fast_costly_computed, 0);
        check_int_eq(glue_request_set_properties(req, index_only, 1), 0);
        check_int_eq(glue_request_enumerate(req, "Fast", check_partial, NULL), 0);
        check_int_eq(atomic_load(&fast_costly_computed), 0);

        glue_request_set_flags(req, GLUE_REQUEST_KEYS_ONLY);
        check_int_eq(glue_request_set_properties(req, NULL, 0), 0);
        check_int_eq(glue_request_enumerate(req, "Fast", check_keys_only, NULL), 0);
        check_int_eq(atomic_load(&fast_costly_computed), 0);

        glue_request_set_flags(req, 0);
        check_int_eq(glue_request_set_properties(req, costly, 1), 0);
        check_int_eq(glue_request_enumerate(req, "Fast", check_wanted_but_unset, NULL), 0);
        check_int_eq(atomic_load(&fast_costly_computed), 5);

        /* No list: everything, Expensive included. */
        check_int_eq(glue_request_set_properties(req, NULL, 0), 0);
        check_int_eq(glue_request_enumerate(req, "Fast", count_instance, &(int){ 0 }), 0);
        check_int_eq(atomic_load(&fast_costly_computed), 10);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

struct bound {
        long delivered;
        long max_in_flight;
};

static int measure_in_flight(struct glue_instance *inst, void *userdata)
{
        struct bound *b = userdata;
        long in_flight = atomic_load(&many_posted) - b->delivered;

        if (in_flight > b->max_in_flight)
                b->max_in_flight = in_flight;
        b->delivered++;
        if (b->delivered % 1000 == 0)
                usleep(1000); /* a slow consumer: the producer must wait, not pile up */
        return 0;
}

static void test_memory_bounded(void)
{
        struct glue_context *ctx = make_context();
        struct glue_request *req;
        struct bound b = { 0 };

        atomic_store(&many_posted, 0);
        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_enumerate(req, "Many", measure_in_flight, &b), 0);
        check_int_eq(b.delivered, many_total);
        /* Instances posted but not yet delivered never exceed the batch being delivered (32),
         * the queue behind it (32) and the one the producer holds: memory does not grow with
         * the 20,000 instances. */
        check(b.max_in_flight <= 66);
        fprintf(stderr, "# max instances in flight: %ld of %ld\n", b.max_in_flight, many_total);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

TEST_MAIN(test_first_instance_streams, test_stop_from_callback, test_deadline,
          test_deadline_noticed_by_provider_first,
          test_reentrant_enumeration, test_reentrant_callback, test_partial_instances,
          test_memory_bounded)
