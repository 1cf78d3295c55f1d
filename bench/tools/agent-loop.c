/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * agent-loop: libglue used as a monitoring agent uses it, in-process: one context, then CYCLES
 * times a new request that enumerates CLASS and reads every value it got. It measures what
 * each cycle costs and whether the process grows.
 *
 *   agent-loop [--sysroot DIR] [-p PROP,...] [-o KEY=VALUE] [--warmup N] CLASS CYCLES
 *
 * Prints one line of key=value pairs:
 *   class=C cycles=N instances=I values=V cycle_us_median=T cycle_us_p90=T cycle_cpu_us_median=T
 *   cycle_cpu_us_mean=T rss_kib_warm=K rss_kib_end=K threads_warm=T threads_end=T fds_warm=F
 *   fds_end=F
 * where *_warm is measured after the warm-up cycles (default 100, or CYCLES / 10 if fewer) and
 * *_end after the last; instances is per cycle (every cycle must give the same count). CPU time
 * is the whole process's (CLOCK_PROCESS_CPUTIME_ID: the providers' worker threads included).
 * Exits 1 if a cycle failed or its count changed, 2 on a usage error.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
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

/* A field of /proc/self/status ("VmRSS:", "Threads:"), or -1. */
static long status_field(const char *name)
{
        char line[256];
        size_t len = strlen(name);
        long value = -1;
        FILE *f = fopen("/proc/self/status", "re");

        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, name, len) == 0) {
                        value = strtol(line + len, NULL, 10);
                        break;
                }
        fclose(f);
        return value;
}

static long open_fds(void)
{
        DIR *dir = opendir("/proc/self/fd");
        struct dirent *entry;
        long n = 0;

        if (!dir)
                return -1;
        while ((entry = readdir(dir)))
                if (entry->d_name[0] != '.')
                        n++;
        closedir(dir);
        return n - 1; /* the directory's own */
}

struct cycle {
        uint64_t instances, values;
};

/* What an agent does with an instance: look at each of its values. */
static int consume(struct glue_instance *inst, void *userdata)
{
        const struct glue_class *cls = glue_instance_get_class(inst);
        struct cycle *cycle = userdata;
        size_t n = glue_class_get_property_count(cls);

        cycle->instances++;
        for (size_t i = 0; i < n; i++) {
                const struct glue_value *value;

                if (glue_instance_get_value_at(inst, i, &value) == 0)
                        cycle->values++;
        }
        return 0;
}

static int compare_int64(const void *a, const void *b)
{
        int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

        return x < y ? -1 : x > y;
}

static void usage(FILE *out)
{
        fputs("usage: agent-loop [--sysroot DIR] [-p PROP,...] [-o KEY=VALUE] [--warmup N] "
              "CLASS CYCLES\n", out);
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "sysroot", required_argument, NULL, 's' },
                { "properties", required_argument, NULL, 'p' },
                { "option", required_argument, NULL, 'o' },
                { "warmup", required_argument, NULL, 'w' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        const char *sysroot = NULL, *class_name;
        char *properties_text = NULL, *options_list[16];
        const char *properties[64];
        size_t n_properties = 0, n_options = 0;
        long warmup = -1, cycles;
        long rss_warm = -1, threads_warm = -1, fds_warm = -1;
        struct glue_context *ctx = NULL;
        int64_t *wall, *cpu, cpu_total = 0;
        uint64_t instances = 0, values = 0;
        int c, r, failed = 0;

        while ((c = getopt_long(argc, argv, "s:p:o:w:h", options, NULL)) >= 0) {
                switch (c) {
                case 's':
                        sysroot = optarg;
                        break;
                case 'p':
                        properties_text = strdup(optarg);
                        for (char *p = strtok(properties_text, ","); p && n_properties < 64;
                             p = strtok(NULL, ","))
                                properties[n_properties++] = p;
                        break;
                case 'o':
                        if (n_options < 16)
                                options_list[n_options++] = optarg;
                        break;
                case 'w':
                        warmup = strtol(optarg, NULL, 10);
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (argc - optind != 2 || (cycles = strtol(argv[optind + 1], NULL, 10)) <= 0) {
                usage(stderr);
                return 2;
        }
        class_name = argv[optind];
        if (warmup < 0)
                warmup = cycles >= 1000 ? 100 : cycles / 10;
        wall = calloc((size_t)cycles, sizeof(*wall));
        cpu = calloc((size_t)cycles, sizeof(*cpu));
        r = glue_context_new(0, &ctx);
        if (r < 0 || !wall || !cpu) {
                fprintf(stderr, "agent-loop: %s\n", glue_strerror(r < 0 ? r : -ENOMEM));
                return 1;
        }
        if (sysroot)
                glue_context_set_option(ctx, "sysroot", sysroot);
        for (size_t i = 0; i < n_options; i++) {
                char *eq = strchr(options_list[i], '=');

                if (!eq) {
                        usage(stderr);
                        return 2;
                }
                *eq = '\0';
                glue_context_set_option(ctx, options_list[i], eq + 1);
        }
        for (long i = 0; i < cycles; i++) {
                struct cycle cycle = { 0 };
                struct glue_request *req = NULL;
                int64_t start = clock_us(CLOCK_MONOTONIC);
                int64_t cpu_start = clock_us(CLOCK_PROCESS_CPUTIME_ID);

                r = glue_request_new(ctx, &req);
                if (r >= 0 && n_properties)
                        r = glue_request_set_properties(req, properties, n_properties);
                if (r >= 0)
                        r = glue_request_enumerate(req, class_name, consume, &cycle);
                glue_request_unref(req);
                wall[i] = clock_us(CLOCK_MONOTONIC) - start;
                cpu[i] = clock_us(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
                cpu_total += cpu[i];
                if (r != 0) {
                        fprintf(stderr, "agent-loop: cycle %ld: %s\n", i, glue_strerror(r));
                        failed = 1;
                }
                if (i == 0) {
                        instances = cycle.instances;
                        values = cycle.values;
                } else if (cycle.instances != instances) {
                        fprintf(stderr, "agent-loop: cycle %ld: %llu instances, cycle 0 had %llu\n",
                                i, (unsigned long long)cycle.instances,
                                (unsigned long long)instances);
                        failed = 1;
                }
                if (i + 1 == warmup) {
                        rss_warm = status_field("VmRSS:");
                        threads_warm = status_field("Threads:");
                        fds_warm = open_fds();
                }
        }
        printf("class=%s cycles=%ld instances=%llu values=%llu", class_name, cycles,
               (unsigned long long)instances, (unsigned long long)values);
        printf(" cycle_cpu_us_mean=%lld", (long long)(cpu_total / cycles));
        qsort(wall, (size_t)cycles, sizeof(*wall), compare_int64);
        qsort(cpu, (size_t)cycles, sizeof(*cpu), compare_int64);
        printf(" cycle_us_median=%lld cycle_us_p90=%lld cycle_cpu_us_median=%lld",
               (long long)wall[cycles / 2], (long long)wall[cycles * 9 / 10],
               (long long)cpu[cycles / 2]);
        printf(" rss_kib_warm=%ld rss_kib_end=%ld threads_warm=%ld threads_end=%ld fds_warm=%ld "
               "fds_end=%ld\n", rss_warm, status_field("VmRSS:"), threads_warm,
               status_field("Threads:"), fds_warm, open_fds());
        glue_context_unref(ctx);
        free(wall);
        free(cpu);
        free(properties_text);
        return failed;
}
