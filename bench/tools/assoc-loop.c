/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * assoc-loop: what ASSOCIATORS OF one object costs against enumerating its whole class, in one
 * process, one context, interleaved round by round (which goes first alternates), so that the
 * load of the machine falls on both alike.
 *
 *   assoc-loop [--sysroot DIR] [-k ROUNDS] [--only enum|assoc] CLASS PATH
 *
 * Each round: glue_request_enumerate(CLASS), every instance's values looked at, and
 * glue_request_associators(PATH) with no filter, every endpoint's values looked at; a new
 * request each. One warm-up round first. Prints one line of key=value pairs:
 *   class=C path=P rounds=K instances=I endpoints=E enum_us_median=T assoc_us_median=T
 *   enum_cpu_us_median=T assoc_cpu_us_median=T ratio_percent=R
 * where ratio_percent is the associators' median wall time over the enumeration's, in percent,
 * and CPU time is the whole process's (the providers' workers included). --only runs that one
 * request alone, the warm-up included, and allows -k 0: for instruction counts under
 * callgrind, where one request costs the difference between -k 1 and -k 0 (the figures then
 * stay 0 for the other). Exits 1 if a request failed or a count changed, 2 on a usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libglue.h"

static int64_t clock_us(clockid_t clock)
{
        struct timespec ts;

        clock_gettime(clock, &ts);
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int compare_int64(const void *a, const void *b)
{
        int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

        return x < y ? -1 : x > y;
}

/* What a caller does with an instance: look at each of its values. */
static int consume(struct glue_instance *inst, void *userdata)
{
        const struct glue_class *cls = glue_instance_get_class(inst);
        uint64_t *count = userdata;

        for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                const struct glue_value *value;

                (void)glue_instance_get_value_at(inst, i, &value);
        }
        (*count)++;
        return 0;
}

struct sample {
        int64_t wall, cpu;
        uint64_t count;
        int r;
};

static struct sample run(struct glue_context *ctx, const char *class_name, const char *path)
{
        struct sample s = { 0 };
        struct glue_request *req = NULL;
        int64_t start = clock_us(CLOCK_MONOTONIC), cpu_start = clock_us(CLOCK_PROCESS_CPUTIME_ID);

        s.r = glue_request_new(ctx, &req);
        if (s.r >= 0)
                s.r = path ? glue_request_associators(req, path, NULL, NULL, NULL, NULL, consume,
                                                      &s.count)
                           : glue_request_enumerate(req, class_name, consume, &s.count);
        glue_request_unref(req);
        s.wall = clock_us(CLOCK_MONOTONIC) - start;
        s.cpu = clock_us(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
        return s;
}

static int64_t median(int64_t *values, long n)
{
        if (n == 0)
                return 0;
        qsort(values, (size_t)n, sizeof(*values), compare_int64);
        return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static void usage(FILE *out)
{
        fputs("usage: assoc-loop [--sysroot DIR] [-k ROUNDS] CLASS PATH\n", out);
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "sysroot", required_argument, NULL, 's' },
                { "rounds", required_argument, NULL, 'k' },
                { "only", required_argument, NULL, 'o' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        const char *sysroot = NULL, *class_name, *path;
        struct glue_context *ctx = NULL;
        int64_t *enum_wall, *assoc_wall, *enum_cpu, *assoc_cpu;
        struct sample first_enum, first_assoc;
        bool run_enum = true, run_assoc = true;
        long rounds = 11;
        int c, r, failed = 0;

        while ((c = getopt_long(argc, argv, "s:k:h", options, NULL)) >= 0) {
                switch (c) {
                case 's':
                        sysroot = optarg;
                        break;
                case 'k':
                        rounds = strtol(optarg, NULL, 10);
                        break;
                case 'o':
                        run_enum = strcmp(optarg, "enum") == 0;
                        run_assoc = strcmp(optarg, "assoc") == 0;
                        if (!run_enum && !run_assoc) {
                                usage(stderr);
                                return 2;
                        }
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (argc - optind != 2 || rounds < (run_enum && run_assoc ? 1 : 0)) {
                usage(stderr);
                return 2;
        }
        class_name = argv[optind];
        path = argv[optind + 1];
        enum_wall = calloc((size_t)rounds + 1, sizeof(int64_t));
        assoc_wall = calloc((size_t)rounds + 1, sizeof(int64_t));
        enum_cpu = calloc((size_t)rounds + 1, sizeof(int64_t));
        assoc_cpu = calloc((size_t)rounds + 1, sizeof(int64_t));
        r = glue_context_new(0, &ctx);
        if (r >= 0 && sysroot)
                r = glue_context_set_option(ctx, "sysroot", sysroot);
        if (r < 0 || !enum_wall || !assoc_wall || !enum_cpu || !assoc_cpu) {
                fprintf(stderr, "assoc-loop: %s\n", glue_strerror(r < 0 ? r : -ENOMEM));
                return 1;
        }
        /* The warm-up: the page cache, pci.ids, the providers' first-use state. */
        first_enum = run_enum ? run(ctx, class_name, NULL) : (struct sample){ 0 };
        first_assoc = run_assoc ? run(ctx, NULL, path) : (struct sample){ 0 };
        if (first_enum.r != 0 || first_assoc.r != 0) {
                fprintf(stderr, "assoc-loop: enumerate: %s, associators: %s\n",
                        glue_strerror(first_enum.r), glue_strerror(first_assoc.r));
                failed = 1;
        }
        for (long i = 0; i < rounds; i++) {
                struct sample e = { 0 }, a = { 0 };

                if (i % 2 && run_assoc)
                        a = run(ctx, NULL, path);
                if (run_enum)
                        e = run(ctx, class_name, NULL);
                if (i % 2 == 0 && run_assoc)
                        a = run(ctx, NULL, path);
                if (e.r != 0 || a.r != 0 || e.count != first_enum.count ||
                    a.count != first_assoc.count) {
                        fprintf(stderr, "assoc-loop: round %ld: %llu instances (r=%d), %llu "
                                "endpoints (r=%d)\n", i, (unsigned long long)e.count, e.r,
                                (unsigned long long)a.count, a.r);
                        failed = 1;
                }
                enum_wall[i] = e.wall;
                enum_cpu[i] = e.cpu;
                assoc_wall[i] = a.wall;
                assoc_cpu[i] = a.cpu;
        }
        {
                int64_t ew = median(enum_wall, rounds), aw = median(assoc_wall, rounds);

                printf("class=%s path=%s rounds=%ld instances=%llu endpoints=%llu "
                       "enum_us_median=%lld assoc_us_median=%lld enum_cpu_us_median=%lld "
                       "assoc_cpu_us_median=%lld ratio_percent=%.3f\n",
                       class_name, path, rounds, (unsigned long long)first_enum.count,
                       (unsigned long long)first_assoc.count, (long long)ew, (long long)aw,
                       (long long)median(enum_cpu, rounds), (long long)median(assoc_cpu, rounds),
                       ew > 0 ? 100.0 * (double)aw / (double)ew : 0.0);
        }
        glue_context_unref(ctx);
        free(enum_wall);
        free(assoc_wall);
        free(enum_cpu);
        free(assoc_cpu);
        return failed;
}
