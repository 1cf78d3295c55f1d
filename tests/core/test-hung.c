/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A read that never returns. The "hung" provider posts one instance, then opens a FIFO with no
 * writer, which blocks in the kernel as a driver that never answers does (no polling, no
 * cancellation: the worker is truly stuck), and posts a second one if it ever comes back. The
 * "fine" provider answers at once. The checks:
 *  - a request with a deadline returns while the read is still blocked, with every instance of
 *    "fine", the one instance "hung" posted before the read, -ETIMEDOUT, and a status that
 *    names "hung" as unfinished;
 *  - asked again and again, the stuck threads do not pile up: at most two workers stay stuck
 *    in "hung"; later requests skip it at once with -EBUSY in its status (and still deliver
 *    "fine" whole);
 *  - once the read returns, the stuck workers end and "hung" runs again normally.
 * A watchdog (alarm) turns a caller stuck in the read into a failure instead of a hung suite.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-util.h"

#define FINE_COUNT 3
#define REPEATS 12
/* Long enough for "fine" to finish on a loaded machine (it posts 3 instances; under
 * ThreadSanitizer beside stress-ng a new thread has waited 250 ms for a CPU). Only the
 * requests that send a worker into the read wait it out (two of them); the refused ones
 * return at once. */
#define DEADLINE_USEC (1000 * 1000)

static const char schema[] =
        "[Abstract] class Base { [Key] string Name; };\n"
        "[Provider(\"hung\")] class Hung : Base { };\n"
        "[Provider(\"fine\")] class Fine : Base { };\n";

static atomic_int hung_blocked; /* workers inside the blocking open/read right now */

static int post_named(struct glue_call *call, const char *cls, const char *name)
{
        struct glue_instance *inst;
        int r = glue_call_new_instance(call, cls, &inst);

        if (r < 0)
                return r;
        glue_instance_set_string(inst, "Name", name);
        return glue_call_post(call, inst);
}

static int hung_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        const char *fifo = glue_call_get_option(call, "test.fifo");
        char buf[16];
        int fd, r;

        r = post_named(call, "Hung", "hung-before");
        if (r < 0)
                return r;
        atomic_fetch_add(&hung_blocked, 1);
        fd = open(fifo, O_RDONLY | O_CLOEXEC); /* blocks until a writer comes */
        if (fd >= 0) {
                while (read(fd, buf, sizeof(buf)) > 0)
                        ;
                close(fd);
        }
        atomic_fetch_sub(&hung_blocked, 1);
        return post_named(call, "Hung", "hung-after");
}

static int fine_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        for (int i = 0; i < FINE_COUNT; i++) {
                char name[16];
                int r;

                snprintf(name, sizeof(name), "fine%d", i);
                r = post_named(call, "Fine", name);
                if (r < 0)
                        return r;
        }
        return 0;
}

static const struct glue_provider_ops hung_ops = { .size = sizeof(struct glue_provider_ops), .name = "hung", .enumerate = hung_enumerate };
static const struct glue_provider_ops fine_ops = { .size = sizeof(struct glue_provider_ops), .name = "fine", .enumerate = fine_enumerate };

struct seen {
        int fine, hung_before, hung_after;
};

static int on_instance(struct glue_instance *inst, void *userdata)
{
        struct seen *seen = userdata;
        const char *name;

        if (glue_instance_get_string(inst, "Name", &name) < 0)
                return 0;
        if (strncmp(name, "fine", 4) == 0)
                seen->fine++;
        else if (strcmp(name, "hung-before") == 0)
                seen->hung_before++;
        else if (strcmp(name, "hung-after") == 0)
                seen->hung_after++;
        return 0;
}

static const struct glue_provider_status *status_of(struct glue_request *req, const char *name,
                                                    struct glue_provider_status *st)
{
        for (size_t i = 0; i < glue_request_get_provider_count(req); i++)
                if (glue_request_get_provider_status(req, i, st) == 0 &&
                    strcmp(st->provider, name) == 0)
                        return st;
        return NULL;
}

/* A writer that opens and closes ends every blocked open (and then read, at end of file). */
static void unblock(const char *fifo)
{
        int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

        if (fd >= 0)
                close(fd);
}

static void on_watchdog(int sig)
{
        static const char msg[] = "watchdog: the caller's thread is stuck\n";

        (void)sig;
        (void)!write(2, msg, sizeof(msg) - 1);
        _exit(1);
}

static void test_hung_read(void)
{
        char dir[] = "/tmp/hwglue-hung-XXXXXX", fifo[64];
        struct glue_context *ctx = NULL;
        struct glue_request *req = NULL;
        struct glue_provider_status st;
        char *error = NULL;
        int workers_before, workers, busy = 0, entered = 0, not_started = 0;

        check(mkdtemp(dir) != NULL);
        snprintf(fifo, sizeof(fifo), "%s/attr", dir);
        check_int_eq(mkfifo(fifo, 0600), 0);
        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        check_int_eq(glue_context_load_mof(ctx, "hung.mof", schema, &error), 0);
        check_int_eq(glue_context_register_provider(ctx, &hung_ops), 0);
        check_int_eq(glue_context_register_provider(ctx, &fine_ops), 0);
        check_int_eq(glue_context_set_option(ctx, "test.fifo", fifo), 0);
        check_int_eq(glue_request_new(ctx, &req), 0);
        glue_request_set_timeout(req, DEADLINE_USEC);
        workers_before = test_settle_engine_workers(0);

        signal(SIGALRM, on_watchdog);
        alarm(60);
        for (int i = 0; i < REPEATS; i++) {
                struct seen seen = { 0 };
                int r = glue_request_enumerate(req, "Base", on_instance, &seen);

                /* Returned while "hung" is still blocked: the caller was never in the read. */
                check_int_eq(seen.fine, FINE_COUNT);
                check_int_eq(seen.hung_after, 0);
                check(status_of(req, "fine", &st) && st.finished && st.error == 0);
                check(status_of(req, "hung", &st) != NULL);
                if (i == 0) {
                        check_int_eq(r, -ETIMEDOUT);
                        check(!st.finished && st.error == -ETIMEDOUT);
                        check(strstr(glue_request_get_error(req) ?: "", "hung") != NULL);
                }
                /* Each request either sent a new worker into the read (it posted hung-before
                 * first), or was refused because two are stuck there (-EBUSY, a partial
                 * result, not a timeout), or, on a machine so loaded that its worker was not
                 * scheduled before the deadline, never reached the provider at all. */
                bool bound_reached = entered >= 2;

                if (r == 1 && st.finished && st.error == -EBUSY && seen.hung_before == 0) {
                        busy++;
                        check(st.message && strstr(st.message, "stuck"));
                } else if (seen.hung_before == 1) {
                        entered++;
                        check_int_eq(r, -ETIMEDOUT);
                } else {
                        not_started++;
                        check_int_eq(r, -ETIMEDOUT);
                        check(!st.finished && st.error == -ETIMEDOUT);
                }
                /* Once two are stuck, every request is refused (its worker gives up waiting
                 * for them long before the deadline). */
                if (bound_reached)
                        check(st.error == -EBUSY && r == 1);
        }
        /* Two stuck workers at most, however often it was asked; the rest were not started. */
        workers = test_settle_engine_workers(workers_before + 2);
        check(workers - workers_before <= 2);
        check(atomic_load(&hung_blocked) <= 2);
        check(entered >= 1 && entered <= 2);
        check_int_eq(entered + busy + not_started, REPEATS);
        check(busy >= REPEATS - 2 - not_started);
        if (not_started)
                fprintf(stderr, "# %d request(s) reached the deadline before their worker ran\n",
                        not_started);
        alarm(0);

        /* The driver answers: the stuck workers end and the provider works again. */
        for (int i = 0; i < 500 && atomic_load(&hung_blocked) > 0; i++) {
                unblock(fifo);
                usleep(10000);
        }
        check_int_eq(atomic_load(&hung_blocked), 0);
        check_int_eq(test_settle_engine_workers(workers_before), workers_before);

        struct seen seen = { 0 };
        pid_t writer = fork();
        if (writer == 0) {
                /* Keep answering until the request has read its attribute. */
                for (int i = 0; i < 1000; i++) {
                        unblock(fifo);
                        usleep(5000);
                }
                _exit(0);
        }
        glue_request_set_timeout(req, 0);
        check_int_eq(glue_request_enumerate(req, "Base", on_instance, &seen), 0);
        check_int_eq(seen.fine, FINE_COUNT);
        check_int_eq(seen.hung_before, 1);
        check_int_eq(seen.hung_after, 1);
        kill(writer, SIGKILL);
        waitpid(writer, NULL, 0);

        glue_request_unref(req);
        glue_context_unref(ctx);
        free(error);
        unlink(fifo);
        rmdir(dir);
}

TEST_MAIN(test_hung_read)
