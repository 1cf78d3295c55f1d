/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Soak: one context serves many thousands of requests in one process, as a long-running agent's
 * would, and neither its memory nor its thread count grows.
 *
 * Over a small generated tree (block devices and PCI functions, through the "sysroot" option),
 * every iteration enumerates CIM_LogicalDevice deep on one reused request; between them come
 * WQL queries, gets by key, enumerations stopped by the callback and collections with a
 * property list, each on a request of its own. Every answer is checked against the first one.
 *
 * The resident set and the heap in use (mallinfo2) are read after a warm-up and at the end. The
 * warm-up lets what is allocated once settle first: the PCI name list and libpci's access,
 * libsensors' state, glibc's per-thread arenas (one per worker thread that ever ran at once, up
 * to 8 per core) and its cache of thread stacks; measured, the resident set stops moving after
 * about 1,000 iterations. After that a request leaves nothing behind:
 *  - the heap in use is the same to a few KiB at every thousandth iteration (measured: within
 *    3 KiB over 20,000), so HEAP_GROWTH_LIMIT is 64 KiB: a leak of one 32-byte allocation per
 *    enumeration over the 9,000 measured iterations is 280 KiB;
 *  - the resident set moves by the allocator's noise only (measured: 60 to 190 KiB), so
 *    RSS_GROWTH_LIMIT is 512 KiB; it is the net for what is not malloc'd (thread stacks,
 *    mappings, a thread that never ends).
 * In the sanitizer builds neither is asserted, only reported: their allocators replace glibc's
 * (mallinfo2 sees nothing) and ASan's thread registry itself keeps about 0.2 KiB per thread ever
 * created (a loop of 30,000 detached threads doing nothing grows by 6 MiB), and this test starts
 * four to six worker threads per iteration. There LeakSanitizer checks for leaks at exit instead.
 *
 * The thread count (/proc/self/task) must be back to what it was at the start once the context
 * is gone.
 */
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "generated-tree.h"
#include "test-util.h"

#define DEFAULT_ITERATIONS 10000
#define WARM_UP_ITERATIONS 1000
#define HEAP_GROWTH_LIMIT (64 * 1024)
#define RSS_GROWTH_LIMIT (512 * 1024)
#define TREE_SIZE 8
/* Workers of a stopped request end on their own, just after it returns: give them this long
 * to be gone before counting threads (a bound on a wait, not a timing assertion). */
#define THREAD_SETTLE_SECONDS 30

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define QUERY "SELECT DeviceID, Name FROM CIM_LogicalDevice WHERE DeviceID LIKE '%1%'"

static long rss_bytes(void)
{
        long size = 0, resident = 0;
        FILE *f = fopen("/proc/self/statm", "re");

        if (!f)
                return -1;
        if (fscanf(f, "%ld %ld", &size, &resident) != 2)
                resident = -1;
        fclose(f);
        return resident < 0 ? -1 : resident * sysconf(_SC_PAGESIZE);
}

static long heap_in_use(void)
{
        struct mallinfo2 m = mallinfo2();

        return (long)(m.uordblks + m.hblkhd);
}

static int thread_count(void)
{
        DIR *d = opendir("/proc/self/task");
        struct dirent *de;
        int n = 0;

        if (!d)
                return -1;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.')
                        n++;
        closedir(d);
        return n;
}

/* The thread count once it is back to `wanted`, or what it is when the wait runs out. */
static int thread_count_settled(int wanted)
{
        int n = thread_count();

        for (int i = 0; n != wanted && i < THREAD_SETTLE_SECONDS * 100; i++) {
                nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
                n = thread_count();
        }
        return n;
}

struct counter {
        size_t seen;
        size_t stop_after; /* 0: never stop */
};

static int count_instance(struct glue_instance *inst, void *userdata)
{
        struct counter *c = userdata;

        c->seen++;
        return c->stop_after && c->seen >= c->stop_after ? GLUE_STOP : 0;
}

/* The baseline: paths of every instance of CIM_LogicalDevice, and the query's count. */
struct baseline {
        char **paths;
        size_t n_paths;
        size_t n_query;
        size_t n_block;
};

static int record_path(struct glue_instance *inst, void *userdata)
{
        struct baseline *b = userdata;
        char **paths = realloc(b->paths, (b->n_paths + 1) * sizeof(char *));

        if (!paths)
                return GLUE_STOP;
        b->paths = paths;
        if (glue_instance_get_path(inst, &b->paths[b->n_paths]) < 0)
                return GLUE_STOP;
        b->n_paths++;
        return 0;
}

static int baseline_record(struct glue_context *ctx, struct baseline *b)
{
        struct glue_request *req = NULL;
        struct glue_instance **list = NULL;
        struct counter c = { 0 };
        int r;

        *b = (struct baseline){ 0 };
        r = glue_request_new(ctx, &req);
        if (r < 0)
                return r;
        r = glue_request_enumerate(req, "CIM_LogicalDevice", record_path, b);
        if (r == 0)
                r = glue_request_query(req, QUERY, count_instance, &c);
        b->n_query = c.seen;
        if (r == 0)
                r = glue_request_collect(req, "Linux_BlockDevice", &list, &b->n_block);
        glue_instance_list_free(list, b->n_block);
        glue_request_unref(req);
        return r;
}

static void baseline_free(struct baseline *b)
{
        for (size_t i = 0; i < b->n_paths; i++)
                free(b->paths[i]);
        free(b->paths);
}

/* One of the requests mixed in between the enumerations; false if its answer was wrong. */
static bool mixed_request(struct glue_context *ctx, const struct baseline *b, size_t i)
{
        static const char *const properties[] = { "Size", "Type", "Model" };
        struct glue_request *req = NULL;
        struct glue_instance *inst = NULL, **list = NULL;
        struct counter c = { 0 };
        size_t n = 0;
        char *path = NULL;
        bool good = false;
        int r;

        if (glue_request_new(ctx, &req) < 0)
                return false;
        switch (i % 5) {
        case 1:
                r = glue_request_query(req, QUERY, count_instance, &c);
                good = r == 0 && c.seen == b->n_query;
                break;
        case 2:
                r = glue_request_get(req, b->paths[i % b->n_paths], &inst);
                good = r == 0 && glue_instance_get_path(inst, &path) == 0 &&
                       strcmp(path, b->paths[i % b->n_paths]) == 0;
                free(path);
                glue_instance_unref(inst);
                break;
        case 3:
                c.stop_after = 1 + i % 3;
                r = glue_request_enumerate(req, "CIM_LogicalDevice", count_instance, &c);
                good = r == -ECANCELED && c.seen == c.stop_after;
                break;
        case 4:
                glue_request_set_properties(req, properties, 3);
                r = glue_request_collect(req, "Linux_BlockDevice", &list, &n);
                good = r == 0 && n == b->n_block;
                glue_instance_list_free(list, n);
                break;
        default:
                good = true;
                break;
        }
        glue_request_unref(req);
        return good;
}

static void test_soak(void)
{
        const char *env = getenv("HWGLUE_SOAK_ITERATIONS");
        size_t iterations = env ? strtoul(env, NULL, 10) : DEFAULT_ITERATIONS;
        struct glue_context *ctx = NULL;
        struct glue_request *req = NULL;
        struct baseline b;
        size_t wrong = 0;
        long rss_start = 0, rss_end, heap_start = 0, heap_end;
        int threads_start = thread_count(), threads_end;
        char *tree;

        check(iterations > WARM_UP_ITERATIONS);
        tree = generated_tree_new("all", TREE_SIZE, 5);
        check(tree != NULL);
        if (!tree)
                return;
        check_int_eq(glue_context_new(0, &ctx), 0);
        check_int_eq(glue_context_set_option(ctx, "sysroot", tree), 0);
        check_int_eq(baseline_record(ctx, &b), 0);
        /* TREE_SIZE block devices and as many PCI functions, and the host's sensors. */
        check(b.n_paths >= 2 * TREE_SIZE);
        check_int_eq(b.n_block, TREE_SIZE);
        check(b.n_query > 0 && b.n_query < b.n_paths);
        check_int_eq(glue_request_new(ctx, &req), 0);

        for (size_t i = 0; i < iterations && b.n_paths; i++) {
                struct counter c = { 0 };
                int r = glue_request_enumerate(req, "CIM_LogicalDevice", count_instance, &c);
                bool good = r == 0 && c.seen == b.n_paths && mixed_request(ctx, &b, i);

                if (!good && wrong++ < 5)
                        fprintf(stderr, "iteration %zu: enumerate %d, %zu of %zu instances, "
                                "or request %zu %% 5 wrong\n", i, r, c.seen, b.n_paths, i);
                if (i + 1 == WARM_UP_ITERATIONS) {
                        rss_start = rss_bytes();
                        heap_start = heap_in_use();
                }
        }
        rss_end = rss_bytes();
        heap_end = heap_in_use();
        glue_request_unref(req);
        baseline_free(&b);
        glue_context_unref(ctx);
        threads_end = thread_count_settled(threads_start);
        generated_tree_remove(tree);

        printf("# %zu iterations, %zu wrong answers; after %d and at the end: RSS %ld and %ld KiB "
               "(%+ld KiB, limit %d KiB), heap in use %ld and %ld KiB (%+ld KiB, limit %d KiB)%s; "
               "threads at the start %d, at the end %d\n",
               iterations, wrong, WARM_UP_ITERATIONS, rss_start / 1024, rss_end / 1024,
               (rss_end - rss_start) / 1024, RSS_GROWTH_LIMIT / 1024, heap_start / 1024,
               heap_end / 1024, (heap_end - heap_start) / 1024, HEAP_GROWTH_LIMIT / 1024,
               SANITIZED ? " (not asserted under a sanitizer)" : "", threads_start, threads_end);
        check_int_eq(wrong, 0);
        check(rss_start > 0 && rss_end > 0);
        if (!SANITIZED) {
                check(heap_start > 0);
                check(heap_end - heap_start <= HEAP_GROWTH_LIMIT);
                check(rss_end - rss_start <= RSS_GROWTH_LIMIT);
        }
        check_int_eq(threads_end, threads_start);
}

TEST_MAIN(test_soak)
