/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* promtool (Debian package prometheus) accepts what hwglue-export writes. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "export-test-context.h"
#include "export-test-process.h"
#include "test-util.h"

static const char *exporter;

static void setup(void)
{
        exporter = getenv("HWGLUE_EXPORT_TEST_EXPORTER");
        if (!exporter) {
                fprintf(stderr, "HWGLUE_EXPORT_TEST_EXPORTER is not set\n");
                exit(EXIT_FAILURE);
        }
}

/* promtool is there and does lint: a counter without _total is refused. */
static void test_promtool_refuses_bad_text(void)
{
        char path[] = "/tmp/hwglue-export-bad-XXXXXX";
        int fd = mkstemp(path);
        static const char bad[] = "# HELP hwglue_reads Reads.\n# TYPE hwglue_reads counter\n"
                                  "hwglue_reads 3\n";

        check(fd >= 0);
        check(write(fd, bad, sizeof(bad) - 1) == (ssize_t)(sizeof(bad) - 1));
        close(fd);
        fprintf(stderr, "(a complaint about hwglue_reads is expected here)\n");
        check(export_test_promtool_check(path) != 0);
        unlink(path);
}

static void check_export(const char *const *environment)
{
        char *dir = export_test_make_directory(), *path = NULL, *text;
        char *argv[] = { (char *)exporter, (char *)"--textfile", NULL, NULL };
        const struct export_test_spawn spawn = { .environment = environment };
        const char *problem;

        check(asprintf(&path, "%s/hwglue.prom", dir) > 0);
        argv[2] = path;
        /* 2: written, with test-broken's and test-missing's failures in the self-metrics. */
        check_int_eq(export_test_run(argv, &spawn, 60000, NULL), 2);
        text = test_read_file(path, NULL);
        check(text != NULL);
        problem = text ? export_test_check_exposition(text) : "no file";
        if (problem) {
                fprintf(stderr, "%s\n", problem);
                test_failures++;
        }
        check_int_eq(export_test_promtool_check(path), 0);
        free(text);
        free(path);
        export_test_remove_directory(dir);
        free(dir);
}

static void test_promtool_accepts_export(void)
{
        check_export(NULL);
}

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Many devices, and a provider that runs out of time: abandoned at the deadline, the export
 * ends (its own run within the deadline and a second; the process, started on a loaded machine,
 * within a few), exit 2, and the file is whole and valid, saying which provider timed out. */
static void test_promtool_accepts_partial_export(void)
{
        static const char *const environment[] = { "HWGLUE_EXPORT_TEST_DISKS=500",
                                                   "HWGLUE_EXPORT_TEST_SLOW_MS=20000", NULL };
        char *dir = export_test_make_directory(), *path = NULL, *text;
        char *argv[] = { (char *)exporter, (char *)"--timeout", (char *)"200", (char *)"--textfile",
                         NULL, NULL };
        const struct export_test_spawn spawn = { .environment = environment };
        uint64_t start, elapsed;
        char *output = NULL;
        const char *duration;

        check(asprintf(&path, "%s/hwglue.prom", dir) > 0);
        argv[4] = path;
        start = now_usec();
        check_int_eq(export_test_run(argv, &spawn, 60000, &output), 2);
        elapsed = now_usec() - start;
        printf("# exit after %.3f s, with a deadline of 0.2 s and a provider that takes 20 s\n",
               (double)elapsed / 1e6);
        check(elapsed < 10 * 1000 * 1000);
        check(output && strstr(output, "provider test-sensors (Test_Sensor): still running at the "
                               "export's deadline (--timeout), abandoned"));
        text = test_read_file(path, NULL);
        duration = text ? strstr(text, "\nhwglue_export_duration_seconds ") : NULL;
        check(duration && strtod(duration + strlen("\nhwglue_export_duration_seconds "), NULL) < 1.2);
        check(text && export_test_has_line(text, "hwglue_collector_success{provider=\"test-sensors\"} 0"));
        check(text && export_test_has_line(text, "hwglue_collector_timed_out{provider=\"test-sensors\"} 1"));
        check(text && export_test_has_line(text, "hwglue_collector_instances{provider=\"test-disks\"} 500"));
        check_int_eq(export_test_promtool_check(path), 0);
        free(output);
        free(text);
        free(path);
        export_test_remove_directory(dir);
        free(dir);
}

TEST_MAIN(setup, test_promtool_refuses_bad_text, test_promtool_accepts_export,
          test_promtool_accepts_partial_export)
