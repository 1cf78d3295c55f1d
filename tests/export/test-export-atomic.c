/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The file node_exporter reads is always whole: an exporter killed while it writes, or one
 * whose write fails, leaves the previous file as it was, and leftovers do not pile up.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "export-test-context.h"
#include "export-test-process.h"
#include "test-util.h"

#define TEMPORARY_PREFIX ".hwglue.prom.tmp-"

static const char *exporter;
static char *dir, *path;

static void sleep_ms(unsigned ms)
{
        struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

        nanosleep(&ts, NULL);
}

static int run_exporter(const char *const *environment, void (*child_setup)(void),
                        const char *textfile, char **output)
{
        char *argv[] = { (char *)exporter, (char *)"--timeout", (char *)"0", (char *)"--textfile",
                         (char *)(textfile ? textfile : path), NULL };
        const struct export_test_spawn spawn = { .environment = environment,
                                                 .child_setup = child_setup };

        return export_test_run(argv, &spawn, 120000, output);
}

static size_t count_temporaries(void)
{
        return export_test_count_entries(dir, TEMPORARY_PREFIX);
}

/* The size of the one temporary file in dir, or -1. */
static off_t temporary_size(void)
{
        DIR *d = opendir(dir);
        struct dirent *entry;
        off_t size = -1;

        while (d && (entry = readdir(d))) {
                struct stat st;

                if (strncmp(entry->d_name, TEMPORARY_PREFIX, strlen(TEMPORARY_PREFIX)) == 0 &&
                    fstatat(dirfd(d), entry->d_name, &st, 0) == 0)
                        size = st.st_size;
        }
        if (d)
                closedir(d);
        return size;
}

/* The file is whole: it passes the strict reader and ends with the last self-metric. */
static void check_file_whole(void)
{
        char *text = test_read_file(path, NULL);
        const char *problem = text ? export_test_check_exposition(text) : "no file";

        if (problem) {
                fprintf(stderr, "%s: %s\n", path, problem);
                test_failures++;
        }
        check(text && strstr(text, "hwglue_collector_instances{provider=\"test-missing\"} 0\n"));
        free(text);
}

static void setup(void)
{
        exporter = getenv("HWGLUE_EXPORT_TEST_EXPORTER");
        if (!exporter) {
                fprintf(stderr, "HWGLUE_EXPORT_TEST_EXPORTER is not set\n");
                exit(EXIT_FAILURE);
        }
        dir = export_test_make_directory();
        if (asprintf(&path, "%s/hwglue.prom", dir) < 0)
                exit(EXIT_FAILURE);
        check_int_eq(run_exporter(NULL, NULL, NULL, NULL), 0);
        check_file_whole();
}

/* SIGKILL while the temporary file holds part of the text, before the rename. */
static void test_killed_mid_write(void)
{
        static const char *const environment[] = { "HWGLUE_EXPORT_TEST_DISKS=5000",
                                                   "HWGLUE_EXPORT_TEST_SLOW_MS=60000", NULL };
        char *argv[] = { (char *)exporter, (char *)"--timeout", (char *)"0", (char *)"--textfile",
                         path, NULL };
        const struct export_test_spawn spawn = { .environment = environment };
        char *old_text = test_read_file(path, NULL), *text;
        struct stat before, after;
        pid_t pid;

        check(old_text && stat(path, &before) == 0);
        pid = export_test_start(argv, &spawn);
        check(pid > 0);
        /* The disks, written first, fill the temporary file while test-sensors sleeps. */
        for (int i = 0; i < 3000 && temporary_size() <= 0; i++)
                sleep_ms(10);
        check(temporary_size() > 0);
        kill(pid, SIGKILL);
        check_int_eq(export_test_wait(pid, 10000), 128 + SIGKILL);

        text = test_read_file(path, NULL);
        check(text && old_text && strcmp(text, old_text) == 0);
        check(stat(path, &after) == 0 && after.st_ino == before.st_ino);
        check((after.st_mode & 07777) == 0644);
        free(text);

        /* SIGKILL left its temporary file behind; the next export removes it. */
        check_int_eq(count_temporaries(), 1);
        check_int_eq(run_exporter(NULL, NULL, NULL, NULL), 0);
        check_int_eq(count_temporaries(), 0);
        check_int_eq(export_test_count_entries(dir, ""), 1);
        check(stat(path, &after) == 0 && after.st_ino != before.st_ino);
        check_file_whole();
        free(old_text);
}

/* Kill an --interval loop at arbitrary moments: the file is always whole, and at most the
 * last victim's temporary file is left. */
static void test_killed_in_loop(void)
{
        static const char *const environment[] = { "HWGLUE_EXPORT_TEST_DISKS=2000", NULL };
        char *argv[] = { (char *)exporter, (char *)"--interval", (char *)"0.01", (char *)"--textfile",
                         path, NULL };
        const struct export_test_spawn spawn = { .environment = environment };

        for (unsigned i = 0; i < 12; i++) {
                pid_t pid = export_test_start(argv, &spawn);

                check(pid > 0);
                sleep_ms(40 + 23 * i);
                kill(pid, SIGKILL);
                check_int_eq(export_test_wait(pid, 10000), 128 + SIGKILL);
                check_file_whole();
                check(count_temporaries() <= 1);
        }
        check_int_eq(run_exporter(NULL, NULL, NULL, NULL), 0);
        check_int_eq(count_temporaries(), 0);
}

/* SIGTERM ends the loop after the write under way: exit 0, nothing left over. */
static void test_sigterm_ends_loop(void)
{
        char *argv[] = { (char *)exporter, (char *)"--interval", (char *)"0.05", (char *)"--textfile",
                         path, NULL };
        pid_t pid = export_test_start(argv, NULL);

        check(pid > 0);
        sleep_ms(300);
        check_int_eq(export_test_stop(pid), 0);
        check_int_eq(count_temporaries(), 0);
        check_file_whole();
}

static void limit_file_size(void)
{
        struct rlimit limit = { .rlim_cur = 1024, .rlim_max = 1024 };

        /* Ignored, a write past the limit fails with EFBIG instead of killing the process. */
        signal(SIGXFSZ, SIG_IGN);
        if (setrlimit(RLIMIT_FSIZE, &limit) < 0)
                _exit(125);
}

/* A write that fails half-way (EFBIG past RLIMIT_FSIZE): error exit, old file untouched. */
static void test_failed_write_keeps_old_file(void)
{
        char *old_text = test_read_file(path, NULL), *text, *output = NULL;

        check(old_text && strlen(old_text) > 1024);
        check_int_eq(run_exporter(NULL, limit_file_size, NULL, &output), 1);
        check(output && strstr(output, "cannot write"));
        text = test_read_file(path, NULL);
        check(text && old_text && strcmp(text, old_text) == 0);
        check_int_eq(count_temporaries(), 0);
        free(output);
        free(text);
        free(old_text);
}

/* root writes anywhere; as nobody, a 0555 directory is closed to it. */
static void drop_privileges(void)
{
        if (geteuid() != 0)
                return;
        if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
                _exit(125);
}

static void test_unwritable_directory_keeps_old_file(void)
{
        char *old_text = test_read_file(path, NULL), *text, *output = NULL;

        check(chmod(dir, 0555) == 0);
        check_int_eq(run_exporter(NULL, drop_privileges, NULL, &output), 1);
        check(chmod(dir, 0700) == 0);
        check(output && strstr(output, "cannot create a temporary file"));
        if (output && !strstr(output, "cannot create a temporary file"))
                fprintf(stderr, "%s", output);
        text = test_read_file(path, NULL);
        check(text && old_text && strcmp(text, old_text) == 0);
        check_int_eq(count_temporaries(), 0);
        free(output);
        free(text);
        free(old_text);
}

/* The rename itself fails (a directory has the name): error exit, no temporary left. */
static void test_failed_rename(void)
{
        char *blocked = NULL, *output = NULL;
        struct stat st;

        check(asprintf(&blocked, "%s/blocked.prom", dir) > 0);
        check(mkdir(blocked, 0755) == 0);
        check_int_eq(run_exporter(NULL, NULL, blocked, &output), 1);
        check(output && strstr(output, "cannot rename"));
        check(stat(blocked, &st) == 0 && S_ISDIR(st.st_mode));
        check_int_eq(export_test_count_entries(dir, ".blocked.prom.tmp-"), 0);
        rmdir(blocked);
        free(output);
        free(blocked);
}

static void test_missing_directory(void)
{
        char *missing = NULL, *output = NULL;

        check(asprintf(&missing, "%s/no-such-dir/hwglue.prom", dir) > 0);
        check_int_eq(run_exporter(NULL, NULL, missing, &output), 1);
        check(output && strstr(output, "cannot create a temporary file"));
        free(output);
        free(missing);
}

static void teardown(void)
{
        export_test_remove_directory(dir);
        free(dir);
        free(path);
}

TEST_MAIN(setup, test_killed_mid_write, test_killed_in_loop, test_sigterm_ends_loop,
          test_failed_write_keeps_old_file, test_unwritable_directory_keeps_old_file,
          test_failed_rename, test_missing_directory, teardown)
