/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * agent-loop: the library used as a monitoring agent uses it, in-process: one context, a new
 * request per cycle, every instance of a class enumerated CYCLES times. Says what a cycle
 * costs, and whether the process grows with the cycles.
 *
 *   agent-loop [--sysroot DIR] [--option KEY=VALUE]... CLASS CYCLES
 *
 * Prints one line to stdout:
 *   class=C cycles=N instances=I median_us=T mean_us=T cpu_us_per_cycle=T
 *   rss_kib_100=K rss_kib_end=K threads_100=N threads_end=N fds_100=N fds_end=N
 *   maps_100=N maps_end=N heap_kib_100=K heap_kib_end=K status=ok|...
 * median_us and mean_us are the wall time of one cycle (the request made, enumerated and
 * freed), cpu_us_per_cycle the process's user and system time over all cycles divided by N.
 * rss_kib_100, threads_100, fds_100 and maps_100 (memory mappings: a thread stack or a malloc
 * arena kept is one more) and heap_kib_100 (the bytes malloc has handed out and not had back,
 * mallinfo2()) are taken after cycle 100 (or the last, if fewer), the _end ones after the last:
 * equal when nothing grows. RSS that grows with the heap flat is malloc's keeping, not a leak. Each cycle must deliver the same
 * number of instances as the first, or status says which did not.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "libglue.h"

/* After this cycle the process has settled: caches filled, arenas made. */
#define SETTLED_CYCLE 100

static int64_t now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t cpu_us(void)
{
        struct rusage ru;

        getrusage(RUSAGE_SELF, &ru);
        return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
               ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* VmRSS and Threads of /proc/self/status. */
static void read_status(long *rss_kib, long *threads)
{
        char line[256];
        FILE *f = fopen("/proc/self/status", "re");

        *rss_kib = *threads = -1;
        if (!f)
                return;
        while (fgets(line, sizeof(line), f)) {
                if (strncmp(line, "VmRSS:", 6) == 0)
                        *rss_kib = strtol(line + 6, NULL, 10);
                else if (strncmp(line, "Threads:", 8) == 0)
                        *threads = strtol(line + 8, NULL, 10);
        }
        fclose(f);
}

/* Lines of /proc/self/maps: a thread stack or a malloc arena kept is one more. */
static long count_maps(void)
{
        char line[512];
        FILE *f = fopen("/proc/self/maps", "re");
        long n = 0;

        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                n += strchr(line, '\n') != NULL;
        fclose(f);
        return n;
}

static long count_fds(void)
{
        DIR *dir = opendir("/proc/self/fd");
        struct dirent *ent;
        long n = 0;

        if (!dir)
                return -1;
        while ((ent = readdir(dir)))
                n += ent->d_name[0] != '.';
        closedir(dir);
        return n - 1; /* the directory's own */
}

static int count_instance(struct glue_instance *inst, void *userdata)
{
        (*(uint64_t *)userdata)++;
        return 0;
}

static int compare_i64(const void *a, const void *b)
{
        int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

        return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "sysroot", required_argument, NULL, 's' },
                { "option", required_argument, NULL, 'o' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        struct glue_context *ctx = NULL;
        long rss_100 = -1, threads_100 = -1, fds_100 = -1, maps_100 = -1, heap_100 = -1;
        long rss_end, threads_end, fds_end, maps_end, heap_end;
        uint64_t first_count = 0;
        int64_t *cycle_us, cpu_start, total = 0;
        const char *cls, *status = "ok";
        unsigned long cycles;
        char bad[64] = "";
        int c, r;

        r = glue_context_new(0, &ctx);
        if (r < 0) {
                fprintf(stderr, "agent-loop: %s\n", glue_strerror(r));
                return 1;
        }
        while ((c = getopt_long(argc, argv, "s:o:h", options, NULL)) >= 0) {
                char *eq;

                switch (c) {
                case 's':
                        r = glue_context_set_option(ctx, "sysroot", optarg);
                        break;
                case 'o':
                        eq = strchr(optarg, '=');
                        if (!eq) {
                                fprintf(stderr, "agent-loop: --option wants KEY=VALUE\n");
                                return 2;
                        }
                        *eq = '\0';
                        r = glue_context_set_option(ctx, optarg, eq + 1);
                        break;
                case 'h':
                        printf("usage: agent-loop [--sysroot DIR] [--option KEY=VALUE]... CLASS "
                               "CYCLES\n");
                        return 0;
                default:
                        return 2;
                }
                if (r < 0) {
                        fprintf(stderr, "agent-loop: %s\n", glue_strerror(r));
                        return 2;
                }
        }
        if (argc - optind != 2 || (cycles = strtoul(argv[optind + 1], NULL, 10)) == 0) {
                fprintf(stderr, "usage: agent-loop [--sysroot DIR] [--option KEY=VALUE]... CLASS "
                        "CYCLES\n");
                return 2;
        }
        cls = argv[optind];
        cycle_us = calloc(cycles, sizeof(*cycle_us));
        if (!cycle_us)
                return 1;
        cpu_start = cpu_us();
        for (unsigned long i = 0; i < cycles; i++) {
                struct glue_request *req = NULL;
                uint64_t count = 0;
                int64_t start = now_us();

                r = glue_request_new(ctx, &req);
                if (r == 0)
                        r = glue_request_enumerate(req, cls, count_instance, &count);
                glue_request_unref(req);
                cycle_us[i] = now_us() - start;
                total += cycle_us[i];
                if (r != 0) {
                        snprintf(bad, sizeof(bad), "cycle:%lu:%s", i + 1, glue_strerror(r));
                        status = bad;
                        cycles = i + 1;
                        break;
                }
                if (i == 0) {
                        first_count = count;
                } else if (count != first_count && status[0] == 'o') {
                        snprintf(bad, sizeof(bad), "count:%lu:%llu", i + 1,
                                 (unsigned long long)count);
                        status = bad;
                }
                if (i + 1 == SETTLED_CYCLE || (i + 1 == cycles && rss_100 < 0)) {
                        read_status(&rss_100, &threads_100);
                        fds_100 = count_fds();
                        maps_100 = count_maps();
                        heap_100 = (long)(mallinfo2().uordblks / 1024);
                }
        }
        cpu_start = cpu_us() - cpu_start;
        read_status(&rss_end, &threads_end);
        fds_end = count_fds();
        maps_end = count_maps();
        heap_end = (long)(mallinfo2().uordblks / 1024);
        qsort(cycle_us, cycles, sizeof(*cycle_us), compare_i64);
        printf("class=%s cycles=%lu instances=%llu median_us=%lld mean_us=%lld "
               "cpu_us_per_cycle=%lld rss_kib_100=%ld rss_kib_end=%ld threads_100=%ld "
               "threads_end=%ld fds_100=%ld fds_end=%ld maps_100=%ld maps_end=%ld "
               "heap_kib_100=%ld heap_kib_end=%ld status=%s\n",
               cls, cycles, (unsigned long long)first_count, (long long)cycle_us[cycles / 2],
               (long long)(total / (int64_t)cycles), (long long)(cpu_start / (int64_t)cycles),
               rss_100, rss_end, threads_100, threads_end, fds_100, fds_end, maps_100, maps_end,
               heap_100, heap_end, status);
        free(cycle_us);
        glue_context_unref(ctx);
        return strcmp(status, "ok") == 0 ? 0 : 1;
}
