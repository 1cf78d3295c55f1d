/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Concurrent callers: the header promises that a context, once set up, may be used from several
 * threads at once, and that a callback may issue requests on the same context. Here threads
 * share one context over a generated tree and at the same moment enumerate, query, get by key,
 * stop early and re-enter from their callbacks. Every answer must be the one a single thread got
 * first: the same instances, by path.
 *
 *   test-concurrent            the tree through the "sysroot" option: the block and PCI
 *                              providers read it (and the sensors provider the host's hwmon
 *                              chips, if it has any)
 *   test-concurrent umockdev   the same, and the tree as /sys under umockdev's preload too, so
 *                              that libsensors reads the tree's chips: the sensors provider
 *                              (libsensors and its wrapper) runs concurrently with the others
 * libudev stays out of both: with a sysroot the block provider reads the udev database files
 * itself. Under the preload libudev would mostly test umockdev 0.17.16, whose preload maps fds
 * to paths through an unlocked static buffer (ThreadSanitizer reports that race, inside
 * libumockdev-preload.so, when libudev runs in several threads).
 *
 * Run in the ThreadSanitizer build too (tools/quickstart), where a data race or a lock-order
 * inversion anywhere on these paths fails the test. A deadlock fails it through the watchdog
 * instead of hanging the suite.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "generated-tree.h"
#include "test-util.h"
#include "umockdev-rerun.h"

#define TREE_SIZE 12
#define THREADS 8
#define ROUNDS 100
/* Far above what the slowest run needs (ThreadSanitizer under umockdev: 35 s on two busy cores),
 * below meson's timeout: a deadlock ends the test with a message, not as a timeout. */
#define WATCHDOG_SECONDS 240

#define QUERY "SELECT DeviceID, Name FROM CIM_LogicalDevice WHERE DeviceID LIKE '%0%'"

#define STRINGIFY(x) #x
#define TO_STRING(x) STRINGIFY(x)

static void watchdog_fired(int sig)
{
        static const char msg[] = "watchdog: the requests did not end in "
                                  TO_STRING(WATCHDOG_SECONDS) " s: a deadlock?\n";

        (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
        _exit(1);
}

static void watchdog_arm(void)
{
        signal(SIGALRM, watchdog_fired);
        alarm(WATCHDOG_SECONDS);
}

/* ---- sorted lists of paths --------------------------------------------------------------- */

struct paths {
        char **items;
        size_t n;
        bool failed; /* an allocation failed: the list is not the answer */
};

static int add_path(struct glue_instance *inst, void *userdata)
{
        struct paths *p = userdata;
        char **items = realloc(p->items, (p->n + 1) * sizeof(char *));

        if (!items) {
                p->failed = true;
                return GLUE_STOP;
        }
        p->items = items;
        if (glue_instance_get_path(inst, &p->items[p->n]) < 0) {
                p->failed = true;
                return GLUE_STOP;
        }
        p->n++;
        return 0;
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static void paths_sort(struct paths *p)
{
        if (p->n)
                qsort(p->items, p->n, sizeof(char *), compare_strings);
}

static bool paths_equal(const struct paths *a, const struct paths *b)
{
        if (a->failed || b->failed || a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (strcmp(a->items[i], b->items[i]) != 0)
                        return false;
        return true;
}

static void paths_free(struct paths *p)
{
        for (size_t i = 0; i < p->n; i++)
                free(p->items[i]);
        free(p->items);
        *p = (struct paths){ 0 };
}

/* ---- the shared context and what a single thread saw ------------------------------------- */

/* The generated tree, and whether it is /sys as well (under umockdev). */
static const char *tree_root;
static bool tree_is_sys;

struct fixture {
        struct glue_context *ctx;
        struct paths all;   /* CIM_LogicalDevice, deep */
        struct paths query; /* QUERY */
        size_t n_pci;       /* Linux_PCIDevice */
};

/* The sorted paths of what a class enumeration (wql NULL) or a query delivers. */
static int collect_paths(struct glue_context *ctx, const char *class_name, const char *wql,
                         struct paths *ret)
{
        struct glue_request *req = NULL;
        int r = glue_request_new(ctx, &req);

        *ret = (struct paths){ 0 };
        if (r < 0)
                return r;
        r = wql ? glue_request_query(req, wql, add_path, ret)
                : glue_request_enumerate(req, class_name, add_path, ret);
        glue_request_unref(req);
        paths_sort(ret);
        return r;
}

static int enumerate_paths(struct glue_context *ctx, const char *class_name, struct paths *ret)
{
        return collect_paths(ctx, class_name, NULL, ret);
}

static int query_paths(struct glue_context *ctx, const char *wql, struct paths *ret)
{
        return collect_paths(ctx, NULL, wql, ret);
}

static bool fixture_setup(struct fixture *f)
{
        struct paths pci, chips;

        *f = (struct fixture){ 0 };
        check_int_eq(glue_context_new(0, &f->ctx), 0);
        check_int_eq(glue_context_set_option(f->ctx, "sysroot", tree_root), 0);
        check_int_eq(enumerate_paths(f->ctx, "CIM_LogicalDevice", &f->all), 0);
        check_int_eq(query_paths(f->ctx, QUERY, &f->query), 0);
        check_int_eq(enumerate_paths(f->ctx, "Linux_PCIDevice", &pci), 0);
        f->n_pci = pci.n;
        paths_free(&pci);
        /* The tree's block devices and PCI functions at least; the query a part of them. */
        check(f->all.n >= 2 * TREE_SIZE);
        check_int_eq(f->n_pci, TREE_SIZE);
        check(f->query.n > 0 && f->query.n < f->all.n);
        /* Under umockdev libsensors reads the tree's chips, not the host's. */
        if (tree_is_sys) {
                check_int_eq(enumerate_paths(f->ctx, "Linux_SensorChip", &chips), 0);
                check_int_eq(chips.n, TREE_SIZE);
                paths_free(&chips);
        }
        return f->all.n >= 2 * TREE_SIZE && f->query.n > 0;
}

static void fixture_teardown(struct fixture *f)
{
        paths_free(&f->all);
        paths_free(&f->query);
        glue_context_unref(f->ctx);
}

/* ---- re-entrant callbacks ---------------------------------------------------------------- */

struct reentry {
        struct glue_context *ctx;
        size_t n_pci_expected;
        size_t seen, got, nested_runs;
        int first_error; /* the first wrong answer, as a negative errno or -EPROTO */
};

static void reentry_fail(struct reentry *re, int r)
{
        if (!re->first_error)
                re->first_error = r < 0 ? r : -EPROTO;
}

/* From inside the callback, on the same context: a get of the very instance being delivered,
 * and for the first instance a whole nested enumeration. */
static int reenter(struct glue_instance *inst, void *userdata)
{
        struct reentry *re = userdata;
        struct glue_request *req = NULL;
        struct glue_instance *got = NULL;
        char *path = NULL, *got_path = NULL;
        int r;

        re->seen++;
        r = glue_instance_get_path(inst, &path);
        if (r == 0)
                r = glue_request_new(re->ctx, &req);
        if (r == 0)
                r = glue_request_get(req, path, &got);
        if (r == 0)
                r = glue_instance_get_path(got, &got_path);
        if (r == 0 && strcmp(path, got_path) == 0)
                re->got++;
        else
                reentry_fail(re, r);
        if (r == 0 && re->seen == 1) {
                struct paths pci;

                r = enumerate_paths(re->ctx, "Linux_PCIDevice", &pci);
                if (r != 0 || pci.n != re->n_pci_expected)
                        reentry_fail(re, r);
                re->nested_runs++;
                paths_free(&pci);
        }
        free(got_path);
        free(path);
        glue_instance_unref(got);
        glue_request_unref(req);
        return 0;
}

/* Enumerate with the re-entrant callback; 0 if every instance was delivered and found again. */
static int reentrant_enumeration(const struct fixture *f, struct reentry *re)
{
        struct glue_request *req = NULL;
        int r;

        *re = (struct reentry){ .ctx = f->ctx, .n_pci_expected = f->n_pci };
        r = glue_request_new(f->ctx, &req);
        if (r < 0)
                return r;
        r = glue_request_enumerate(req, "CIM_LogicalDevice", reenter, re);
        glue_request_unref(req);
        if (r != 0)
                return r < 0 ? r : -EIO;
        if (re->first_error)
                return re->first_error;
        return re->seen == f->all.n && re->got == f->all.n && re->nested_runs == 1 ? 0 : -EPROTO;
}

static void test_reentrant_callback(void)
{
        struct fixture f;
        struct reentry re;

        if (!fixture_setup(&f)) {
                fixture_teardown(&f);
                return;
        }
        watchdog_arm();
        check_int_eq(reentrant_enumeration(&f, &re), 0);
        check_int_eq(re.seen, f.all.n);
        check_int_eq(re.got, f.all.n);
        alarm(0);
        fixture_teardown(&f);
}

/* ---- many callers at once ---------------------------------------------------------------- */

enum operation {
        OP_ENUMERATE,
        OP_QUERY,
        OP_GET,
        OP_STOP_EARLY,
        OP_REENTER,
        _OP_MAX,
};

static const char *const operation_names[_OP_MAX] = {
        [OP_ENUMERATE] = "enumerate",
        [OP_QUERY] = "query",
        [OP_GET] = "get",
        [OP_STOP_EARLY] = "stop early",
        [OP_REENTER] = "re-entrant callback",
};

struct caller {
        pthread_t thread;
        unsigned index;
        const struct fixture *fixture;
        pthread_barrier_t *start;
        unsigned done[_OP_MAX];
        unsigned wrong;
        char first_wrong[256];
};

static void caller_wrong(struct caller *c, const char *format, ...)
{
        va_list args;

        if (c->wrong++)
                return;
        va_start(args, format);
        vsnprintf(c->first_wrong, sizeof(c->first_wrong), format, args);
        va_end(args);
}

struct stopper {
        size_t seen, stop_after;
};

static int stop_after(struct glue_instance *inst, void *userdata)
{
        struct stopper *s = userdata;

        return ++s->seen >= s->stop_after ? GLUE_STOP : 0;
}

/* One operation; false if its answer differs from the single thread's. */
static bool caller_run(struct caller *c, enum operation op, unsigned round)
{
        const struct fixture *f = c->fixture;
        struct glue_request *req = NULL;
        struct paths p = { 0 };
        struct reentry re;
        int r;

        switch (op) {
        case OP_ENUMERATE:
                r = enumerate_paths(f->ctx, "CIM_LogicalDevice", &p);
                if (r != 0 || !paths_equal(&p, &f->all))
                        caller_wrong(c, "enumerate: %d, %zu of %zu instances", r, p.n, f->all.n);
                break;
        case OP_QUERY:
                r = query_paths(f->ctx, QUERY, &p);
                if (r != 0 || !paths_equal(&p, &f->query))
                        caller_wrong(c, "query: %d, %zu of %zu instances", r, p.n, f->query.n);
                break;
        case OP_GET:
                /* A few paths, different ones in each thread and round. */
                r = glue_request_new(f->ctx, &req);
                for (size_t k = 0; r == 0 && k < 4; k++) {
                        const char *want = f->all.items[(c->index * 7 + round * 3 + k) % f->all.n];
                        struct glue_instance *inst = NULL;
                        char *path = NULL;

                        r = glue_request_get(req, want, &inst);
                        if (r == 0)
                                r = glue_instance_get_path(inst, &path);
                        if (r != 0 || strcmp(path, want) != 0)
                                caller_wrong(c, "get %s: %d, %s", want, r, path ? path : "-");
                        free(path);
                        glue_instance_unref(inst);
                }
                glue_request_unref(req);
                break;
        case OP_STOP_EARLY: {
                struct stopper s = { .stop_after = 1 + (c->index + round) % 4 };

                r = glue_request_new(f->ctx, &req);
                if (r == 0)
                        r = glue_request_enumerate(req, "CIM_LogicalDevice", stop_after, &s);
                glue_request_unref(req);
                if (r != -ECANCELED || s.seen != s.stop_after)
                        caller_wrong(c, "stop after %zu: %d, %zu instances", s.stop_after, r,
                                     s.seen);
                break;
        }
        case OP_REENTER:
                r = reentrant_enumeration(f, &re);
                if (r != 0)
                        caller_wrong(c, "re-entrant: %d, %zu delivered, %zu found again of %zu",
                                     r, re.seen, re.got, f->all.n);
                break;
        default:
                return false;
        }
        paths_free(&p);
        c->done[op]++;
        return true;
}

static void *caller_thread(void *arg)
{
        struct caller *c = arg;

        pthread_barrier_wait(c->start);
        for (unsigned round = 0; round < ROUNDS; round++)
                caller_run(c, (enum operation)((c->index + round) % _OP_MAX), round);
        return NULL;
}

static void test_concurrent_callers(void)
{
        struct caller callers[THREADS];
        pthread_barrier_t start;
        struct fixture f;
        unsigned done[_OP_MAX] = { 0 };

        if (!fixture_setup(&f)) {
                fixture_teardown(&f);
                return;
        }
        watchdog_arm();
        pthread_barrier_init(&start, NULL, THREADS);
        for (unsigned i = 0; i < THREADS; i++) {
                callers[i] = (struct caller){ .index = i, .fixture = &f, .start = &start };
                check_int_eq(pthread_create(&callers[i].thread, NULL, caller_thread, &callers[i]),
                             0);
        }
        for (unsigned i = 0; i < THREADS; i++) {
                pthread_join(callers[i].thread, NULL);
                if (callers[i].wrong)
                        fprintf(stderr, "thread %u: %u wrong answers, the first: %s\n", i,
                                callers[i].wrong, callers[i].first_wrong);
                check_int_eq(callers[i].wrong, 0);
                for (unsigned op = 0; op < _OP_MAX; op++)
                        done[op] += callers[i].done[op];
        }
        alarm(0);
        pthread_barrier_destroy(&start);
        printf("# %d threads x %d rounds over %zu instances:", THREADS, ROUNDS, f.all.n);
        for (unsigned op = 0; op < _OP_MAX; op++) {
                printf(" %u %s%s", done[op], operation_names[op], op + 1 < _OP_MAX ? "," : "\n");
                /* Every kind of request really ran, many times over. */
                check(done[op] >= THREADS * ROUNDS / _OP_MAX);
        }
        fixture_teardown(&f);
}

int main(int argc, char **argv)
{
        static const char *const names[] = { "test_reentrant_callback", "test_concurrent_callers" };
        static const test_fn fns[] = { test_reentrant_callback, test_concurrent_callers };
        bool umockdev = argc > 1 && strcmp(argv[1], "umockdev") == 0;
        char *tree;
        int r;

        /* The run under the preload, which the run below started. */
        if (umockdev && getenv("UMOCKDEV_DIR")) {
                tree_root = getenv("UMOCKDEV_DIR");
                tree_is_sys = true;
                return test_run(names, fns, 2);
        }
        tree = generated_tree_new("all", TREE_SIZE, 9);
        if (!tree)
                return 1;
        if (umockdev)
                r = umockdev_rerun(argv, tree, NULL);
        else {
                tree_root = tree;
                r = test_run(names, fns, 2);
        }
        generated_tree_remove(tree);
        return r;
}
