/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ASSOCIATORS OF keeps the engine's promises:
 *  - streaming: an endpoint reaches the caller while its association provider is still at
 *    work (the provider waits for the caller to have seen it before it posts the next);
 *  - a provider that fails is reported in the status, the others' answers delivered (partial);
 *  - a deadline: an association provider, an endpoint's provider or the source's provider
 *    stuck in a read that never returns (a FIFO without a writer) does not hold the call past
 *    its deadline: -ETIMEDOUT, what came in time delivered, the stuck provider named;
 *  - a stop from the caller's function ends the call at once, and the workers end.
 * An alarm turns a caller stuck past its deadline into a failure rather than a hung suite.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "assoc-test.h"

static const char schema[] =
        "[Abstract] class S_Device { [Key] string DeviceID; };\n"
        "[Provider(\"objects\")] class S_Object : S_Device { };\n"
        "[Provider(\"slow\")] class S_Slow : S_Device { };\n"
        "[Association, Abstract] class S_Link {\n"
        "  [Key] S_Device REF Antecedent; [Key] S_Device REF Dependent; };\n"
        "[Association, Provider(\"stream\")] class S_Streamed : S_Link { };\n"
        "[Association, Provider(\"hung\")] class S_Hung : S_Link { };\n"
        "[Association, Provider(\"broken\")] class S_Broken : S_Link { };\n"
        "[Association, Provider(\"pointer\")] class S_Pointer : S_Link { };\n"
        "[Association, Provider(\"many\")] class S_Many : S_Link { };\n";

/* Every provider is registered in every test (a class whose provider is missing would be a
 * failure of its own); the option test.on names those that answer, the others post nothing. */
static bool is_on(struct glue_call *call, const char *name)
{
        const char *on = glue_call_get_option(call, "test.on");
        size_t len = strlen(name);

        for (const char *s = on; s && *s; s += strcspn(s, ",") + (s[strcspn(s, ",")] == ',')) {
                if (strncmp(s, name, len) == 0 && (s[len] == ',' || s[len] == '\0'))
                        return true;
        }
        return false;
}

/* ---- the providers ------------------------------------------------------------------------ */

static int post_object(struct glue_call *call, const char *cls, const char *id)
{
        struct glue_instance *inst;
        int r = glue_call_new_instance(call, cls, &inst);

        if (r < 0)
                return r;
        glue_instance_set_string(inst, "DeviceID", id);
        return glue_call_post(call, inst);
}

static int objects_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        return 0;
}

/* Every o<N> exists. */
static int objects_get(struct glue_call *call, const struct glue_class *cls,
                       const struct glue_path *path, void *data)
{
        const char *id = glue_path_get_key(path, "DeviceID");

        if (!id || id[0] != 'o')
                return -ENOENT;
        return post_object(call, "S_Object", id);
}

/* Open the test's FIFO: blocks until a writer comes, which the test sends at its end. */
static void block_in_read(struct glue_call *call)
{
        char buf[8];
        int fd = open(glue_call_get_option(call, "test.fifo"), O_RDONLY | O_CLOEXEC);

        if (fd >= 0) {
                while (read(fd, buf, sizeof(buf)) > 0)
                        ;
                close(fd);
        }
}

static int slow_get(struct glue_call *call, const struct glue_class *cls,
                    const struct glue_path *path, void *data)
{
        if (!is_on(call, "slow"))
                return -ENOENT;
        block_in_read(call);
        return post_object(call, "S_Slow", glue_path_get_key(path, "DeviceID"));
}

static int post_link(struct glue_call *call, const char *cls, const struct glue_path *object,
                     const char *other)
{
        struct glue_instance *inst;
        char *source = NULL;
        int r = glue_call_new_instance(call, cls, &inst);

        if (r < 0)
                return r;
        r = glue_path_to_string(object, &source);
        if (r == 0)
                r = glue_instance_set_reference(inst, "Antecedent", source);
        if (r == 0)
                r = glue_instance_set_reference(inst, "Dependent", other);
        free(source);
        if (r < 0) {
                glue_instance_unref(inst);
                return r;
        }
        return glue_call_post(call, inst);
}

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t seen_changed = PTHREAD_COND_INITIALIZER;
static int seen_count;      /* endpoints the caller's function saw */
static bool streamed;       /* the stream provider saw the first endpoint delivered */

static void seen_reset(void)
{
        pthread_mutex_lock(&seen_lock);
        seen_count = 0;
        streamed = false;
        pthread_mutex_unlock(&seen_lock);
}

/* Post one association, wait (5 s at most) until the caller has the endpoint, post another. */
static int stream_references(struct glue_call *call, const struct glue_class *assoc,
                             const struct glue_path *object, void *data)
{
        struct timespec until;
        int r;

        if (!is_on(call, "stream"))
                return 0;
        r = post_link(call, "S_Streamed", object, "S_Object.DeviceID=\"o1\"");
        if (r < 0)
                return r;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 5;
        pthread_mutex_lock(&seen_lock);
        while (seen_count == 0 &&
               pthread_cond_timedwait(&seen_changed, &seen_lock, &until) == 0)
                ;
        streamed = seen_count > 0;
        pthread_mutex_unlock(&seen_lock);
        return post_link(call, "S_Streamed", object, "S_Object.DeviceID=\"o2\"");
}

static int hung_references(struct glue_call *call, const struct glue_class *assoc,
                           const struct glue_path *object, void *data)
{
        int r;

        if (!is_on(call, "hung"))
                return 0;
        r = post_link(call, "S_Hung", object, "S_Object.DeviceID=\"o3\"");
        if (r < 0)
                return r;
        block_in_read(call);
        return post_link(call, "S_Hung", object, "S_Object.DeviceID=\"o-late\"");
}

static int broken_references(struct glue_call *call, const struct glue_class *assoc,
                             const struct glue_path *object, void *data)
{
        int r;

        if (!is_on(call, "broken"))
                return 0;
        r = post_link(call, "S_Broken", object, "S_Object.DeviceID=\"o4\"");
        if (r < 0)
                return r;
        glue_call_log(call, LOG_WARNING, "the rest of the links could not be read");
        return -EIO;
}

static int pointer_references(struct glue_call *call, const struct glue_class *assoc,
                              const struct glue_path *object, void *data)
{
        if (!is_on(call, "pointer"))
                return 0;
        return post_link(call, "S_Pointer", object, "S_Slow.DeviceID=\"slow0\"");
}

#define MANY 1000
static atomic_int many_posted, many_last_result;

/* A thousand associations: a stop must end them early. */
static int many_references(struct glue_call *call, const struct glue_class *assoc,
                           const struct glue_path *object, void *data)
{
        int r = 0;

        if (!is_on(call, "many"))
                return 0;
        for (int i = 0; i < MANY && r == 0; i++) {
                char other[64];

                snprintf(other, sizeof(other), "S_Object.DeviceID=\"o%d\"", 100 + i);
                r = post_link(call, "S_Many", object, other);
                if (r == 0)
                        atomic_fetch_add(&many_posted, 1);
        }
        atomic_store(&many_last_result, r);
        return r;
}

static int no_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        return 0;
}

#define OPS(pname, get, refs)                                                               \
        { .size = sizeof(struct glue_provider_ops), .name = pname, .enumerate = no_enumerate, \
          .get_instance = get, .references = refs }

static const struct glue_provider_ops objects_ops = {
        .size = sizeof(struct glue_provider_ops), .name = "objects",
        .enumerate = objects_enumerate, .get_instance = objects_get,
};
static const struct glue_provider_ops slow_ops = OPS("slow", slow_get, NULL);
static const struct glue_provider_ops stream_ops = OPS("stream", NULL, stream_references);
static const struct glue_provider_ops hung_ops = OPS("hung", NULL, hung_references);
static const struct glue_provider_ops broken_ops = OPS("broken", NULL, broken_references);
static const struct glue_provider_ops pointer_ops = OPS("pointer", NULL, pointer_references);
static const struct glue_provider_ops many_ops = OPS("many", NULL, many_references);

/* ---- the test's side ---------------------------------------------------------------------- */

static char fifo[256];

static struct glue_context *make_context(const char *on)
{
        const struct glue_provider_ops *const all[] = {
                &objects_ops, &slow_ops, &stream_ops, &hung_ops, &broken_ops, &pointer_ops,
                &many_ops,
        };
        struct glue_context *ctx;
        char *error = NULL;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        check_int_eq(glue_context_load_mof(ctx, "reliability.mof", schema, &error), 0);
        free(error);
        check_int_eq(glue_context_set_option(ctx, "test.fifo", fifo), 0);
        check_int_eq(glue_context_set_option(ctx, "test.on", on), 0);
        for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
                check_int_eq(glue_context_register_provider(ctx, all[i]), 0);
        seen_reset();
        return ctx;
}

static void make_fifo(void)
{
        snprintf(fifo, sizeof(fifo), "/tmp/assoc-reliability-%d.fifo", (int)getpid());
        unlink(fifo);
        check_int_eq(mkfifo(fifo, 0600), 0);
}

/* A writer that opens and closes ends the blocked opens; then the stuck workers come back. */
static void unblock_and_settle(void)
{
        for (int i = 0; i < 100 && test_count_engine_workers() > 0; i++) {
                int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
                if (fd >= 0)
                        close(fd);
                test_settle_engine_workers(0);
        }
        check_int_eq(test_count_engine_workers(), 0);
        unlink(fifo);
}

static int note_seen(struct glue_instance *inst, void *userdata)
{
        int r = assoc_collect(inst, userdata);

        pthread_mutex_lock(&seen_lock);
        seen_count++;
        pthread_cond_broadcast(&seen_changed);
        pthread_mutex_unlock(&seen_lock);
        return r;
}

static int run(struct glue_context *ctx, const char *path, uint64_t timeout,
               struct assoc_results *res, struct glue_request **ret_req)
{
        struct glue_request *req;
        int r;

        check_int_eq(glue_request_new(ctx, &req), 0);
        glue_request_set_timeout(req, timeout);
        r = glue_request_associators(req, path, NULL, NULL, NULL, NULL, note_seen, res);
        *ret_req = req;
        return r;
}

static void test_streaming(void)
{
        struct glue_context *ctx = make_context("stream");
        struct assoc_results res = { 0 };
        struct glue_provider_status st;
        struct glue_request *req;

        alarm(30);
        check_int_eq(run(ctx, "S_Object.DeviceID=\"o0\"", 0, &res, &req), 0);
        check_str_eq(assoc_results_text(&res), "S_Object.o1 S_Object.o2");
        check(streamed); /* o1 reached us before the provider posted o2 */
        check(assoc_status(req, "stream", "S_Streamed", &st) && st.finished && st.error == 0 &&
              st.instances == 2);
        assoc_results_clear(&res);
        glue_request_unref(req);
        glue_context_unref(ctx);
        alarm(0);
}

static void test_partial_failure(void)
{
        struct glue_context *ctx = make_context("stream,broken");
        struct assoc_results res = { 0 };
        struct glue_provider_status st;
        struct glue_request *req;

        alarm(30);
        check_int_eq(run(ctx, "S_Object.DeviceID=\"o0\"", 0, &res, &req), 1);
        check_str_eq(assoc_results_text(&res), "S_Object.o1 S_Object.o2 S_Object.o4");
        check(assoc_status(req, "broken", "S_Broken", &st) && st.finished && st.error == -EIO &&
              st.instances == 1 && st.message &&
              strcmp(st.message, "the rest of the links could not be read") == 0);
        check(assoc_status(req, "stream", "S_Streamed", &st) && st.error == 0);
        assoc_results_clear(&res);
        glue_request_unref(req);
        glue_context_unref(ctx);
        alarm(0);
}

static void test_deadline_association_provider(void)
{
        struct glue_context *ctx;
        struct assoc_results res = { 0 };
        struct glue_provider_status st;
        struct glue_request *req;

        make_fifo();
        ctx = make_context("stream,hung");
        alarm(30);
        check_int_eq(run(ctx, "S_Object.DeviceID=\"o0\"", 1000000, &res, &req), -ETIMEDOUT);
        alarm(0);
        /* what came in time, from both: the hung provider posted o3 before its read */
        check_str_eq(assoc_results_text(&res), "S_Object.o1 S_Object.o2 S_Object.o3");
        check(assoc_status(req, "hung", "S_Hung", &st) && !st.finished &&
              st.error == -ETIMEDOUT && st.instances == 1);
        check(assoc_status(req, "stream", "S_Streamed", &st) && st.finished && st.error == 0);
        check_str_eq(glue_request_get_error(req), "provider hung did not finish S_Hung in time");
        assoc_results_clear(&res);
        glue_request_unref(req);
        glue_context_unref(ctx);
        unblock_and_settle();
}

static void test_deadline_endpoint_provider(void)
{
        struct glue_context *ctx;
        struct assoc_results res = { 0 };
        struct glue_provider_status st;
        struct glue_request *req;

        make_fifo();
        ctx = make_context("slow,pointer");
        alarm(30);
        int r = run(ctx, "S_Object.DeviceID=\"o0\"", 1000000, &res, &req);
        alarm(0);
        check_int_eq(r, -ETIMEDOUT);
        check(assoc_status(req, "slow", "S_Slow", &st) && !st.finished &&
              st.error == -ETIMEDOUT);
        check(assoc_status(req, "pointer", "S_Pointer", &st) && st.finished && st.error == 0);
        check_str_eq(glue_request_get_error(req), "provider slow did not finish S_Slow in time");
        check_str_eq(assoc_results_text(&res), "");
        assoc_results_clear(&res);
        glue_request_unref(req);
        glue_context_unref(ctx);
        unblock_and_settle();
}

static void test_deadline_source_provider(void)
{
        struct glue_context *ctx;
        struct assoc_results res = { 0 };
        struct glue_provider_status st;
        struct glue_request *req;

        make_fifo();
        ctx = make_context("slow,stream");
        alarm(30);
        check_int_eq(run(ctx, "S_Slow.DeviceID=\"slow0\"", 1000000, &res, &req), -ETIMEDOUT);
        alarm(0);
        check_str_eq(assoc_results_text(&res), "");
        check(assoc_status(req, "slow", "S_Slow", &st) && !st.finished &&
              st.error == -ETIMEDOUT);
        check(!assoc_status(req, "stream", "S_Streamed", &st)); /* never got that far */
        assoc_results_clear(&res);
        glue_request_unref(req);
        glue_context_unref(ctx);
        unblock_and_settle();
}

static int stop_now(struct glue_instance *inst, void *userdata)
{
        note_seen(inst, userdata);
        return GLUE_STOP;
}

static void test_stop(void)
{
        struct glue_context *ctx = make_context("many");
        struct assoc_results res = { 0 };
        struct glue_request *req;

        alarm(30);
        atomic_store(&many_posted, 0);
        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_associators(req, "S_Object.DeviceID=\"o0\"", NULL, NULL, NULL,
                                              NULL, stop_now, &res), -ECANCELED);
        check_int_eq(res.n, 1);
        /* the provider's posts are refused from then on, and it ends long before its 1000 */
        check_int_eq(test_settle_engine_workers(0), 0);
        check_int_eq(atomic_load(&many_last_result), -ECANCELED);
        check(atomic_load(&many_posted) < MANY / 2);
        alarm(0);
        assoc_results_clear(&res);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

TEST_MAIN(test_streaming, test_partial_failure, test_deadline_association_provider,
          test_deadline_endpoint_provider, test_deadline_source_provider, test_stop)
