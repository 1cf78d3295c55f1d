/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The file node_exporter reads is always whole: an exporter killed at any point of its run, or
 * one whose write fails, leaves the previous file as it was; several at once leave one whole
 * file; leftovers do not pile up.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <sched.h>
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
/* Every export of the test schema is partial: test-broken and test-missing fail. */
#define WRITTEN 2
#define NOT_WRITTEN 4

static const char *exporter;
static char *dir, *path;

static void sleep_us(unsigned us)
{
        struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = (long)(us % 1000000) * 1000 };

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
static bool file_is_whole(const char *file)
{
        char *text = test_read_file(file, NULL);
        const char *problem = text ? export_test_check_exposition(text) : "no file";
        bool whole = !problem && strstr(text, "hwglue_collector_instances{provider=\"test-fans\"} 4\n");

        if (!whole)
                fprintf(stderr, "%s: %s\n", file, problem ? problem : "no last self-metric");
        free(text);
        return whole;
}

static void check_file_whole(void)
{
        check(file_is_whole(path));
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
        check_int_eq(run_exporter(NULL, NULL, NULL, NULL), WRITTEN);
        check_file_whole();
}

/* SIGKILL while the providers run: the text waits in unnamed files, so nothing is left behind
 * at all, and the file is the old one. */
static void test_killed_while_enumerating(void)
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
        /* test-sensors sleeps while the 5000 disks are written out: wait until the exporter has
         * its unnamed spill files open (they show in /proc as "(deleted)" or "/#NNN"). */
        for (int i = 0; i < 30000; i++) {
                char fd_dir[64];
                size_t fds;

                snprintf(fd_dir, sizeof(fd_dir), "/proc/%d/fd", (int)pid);
                fds = export_test_count_entries(fd_dir, "");
                if (fds > 8)
                        break;
                sleep_us(1000);
        }
        check_int_eq(count_temporaries(), 0);
        kill(pid, SIGKILL);
        check_int_eq(export_test_wait(pid, 10000), 128 + SIGKILL);

        text = test_read_file(path, NULL);
        check(text && old_text && strcmp(text, old_text) == 0);
        check(stat(path, &after) == 0 && after.st_ino == before.st_ino);
        check((after.st_mode & 07777) == 0644);
        check_int_eq(export_test_count_entries(dir, ""), 1);
        free(text);
        free(old_text);
}

static uint64_t random_state = 0x2545F4914F6CDD1Du;

static uint64_t next_random(void)
{
        random_state ^= random_state << 13;
        random_state ^= random_state >> 7;
        random_state ^= random_state << 17;
        return random_state;
}

/*
 * SIGKILL at 100 random offsets of the write: each time the exporter is killed as soon as its
 * temporary file has reached a random size (or at a random moment before it exists, or after
 * the rename). The file is whole every time, at most the last victim's temporary is left, and
 * the next run removes it.
 */
static void test_killed_at_random_offsets(void)
{
        static const char *const environment[] = { "HWGLUE_EXPORT_TEST_DISKS=8000", NULL };
        char *argv[] = { (char *)exporter, (char *)"--timeout", (char *)"0", (char *)"--textfile",
                         path, NULL };
        const struct export_test_spawn spawn = { .environment = environment };
        unsigned mid_write = 0, before_write = 0, after_rename = 0;
        struct stat st;
        off_t full;

        check_int_eq(run_exporter(environment, NULL, NULL, NULL), WRITTEN);
        check(stat(path, &st) == 0);
        full = st.st_size;
        check(full > 1000 * 1000);
        printf("# seed %#llx, the whole file is %lld bytes\n", (unsigned long long)random_state,
               (long long)full);
        for (unsigned i = 0; i < 100; i++) {
                /* One in ten before the write starts: any moment of the run. */
                bool early = next_random() % 10 == 0;
                off_t target = (off_t)(next_random() % (uint64_t)full);
                struct stat before;
                off_t size = -1;
                pid_t pid;

                check(stat(path, &before) == 0);
                pid = export_test_start(argv, &spawn);
                check(pid > 0);
                if (pid <= 0)
                        break;
                if (early)
                        sleep_us((unsigned)(next_random() % 200000));
                else
                        while (export_test_wait(pid, 0) == -ETIMEDOUT &&
                               (size = temporary_size()) < target)
                                sched_yield();
                kill(pid, SIGKILL);
                export_test_wait(pid, 10000);

                size = temporary_size();
                if (size >= 0)
                        mid_write++;
                else if (stat(path, &st) == 0 && st.st_ino != before.st_ino)
                        after_rename++;
                else
                        before_write++;
                if (!file_is_whole(path)) {
                        fprintf(stderr, "kill %u (target offset %lld) left a broken file\n", i,
                                (long long)target);
                        test_failures++;
                        break;
                }
                if (count_temporaries() > 1) {
                        fprintf(stderr, "kill %u: %zu temporaries\n", i, count_temporaries());
                        test_failures++;
                }
        }
        printf("# killed mid-write %u times, before the write %u, after the rename %u\n",
               mid_write, before_write, after_rename);
        /* The test must have hit the write itself, or it tells nothing. */
        check(mid_write >= 25);
        check_int_eq(run_exporter(NULL, NULL, NULL, NULL), WRITTEN);
        check_int_eq(count_temporaries(), 0);
        check_int_eq(export_test_count_entries(dir, ""), 1);
        check_file_whole();
}

/* A timer's export and a manual one, and more, at once on one file: each finishes its own
 * temporary and renames it; the file is whole and nothing is left over. */
static void test_exporters_at_once(void)
{
        static const char *const environment[] = { "HWGLUE_EXPORT_TEST_DISKS=3000", NULL };
        char *argv[] = { (char *)exporter, (char *)"--timeout", (char *)"0", (char *)"--textfile",
                         path, NULL };
        const struct export_test_spawn spawn = { .environment = environment };
        pid_t pids[6];

        for (size_t i = 0; i < 6; i++) {
                pids[i] = export_test_start(argv, &spawn);
                check(pids[i] > 0);
        }
        for (size_t i = 0; i < 6; i++)
                if (pids[i] > 0)
                        check_int_eq(export_test_wait(pids[i], 120000), WRITTEN);
        check_file_whole();
        check_int_eq(count_temporaries(), 0);
        check_int_eq(export_test_count_entries(dir, ""), 1);
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
                sleep_us((40 + 23 * i) * 1000);
                kill(pid, SIGKILL);
                check_int_eq(export_test_wait(pid, 10000), 128 + SIGKILL);
                check_file_whole();
                check(count_temporaries() <= 1);
        }
        check_int_eq(run_exporter(NULL, NULL, NULL, NULL), WRITTEN);
        check_int_eq(count_temporaries(), 0);
}

/* SIGTERM ends the loop after the write under way: the last export's status, nothing left
 * over. */
static void test_sigterm_ends_loop(void)
{
        char *argv[] = { (char *)exporter, (char *)"--interval", (char *)"0.05", (char *)"--textfile",
                         path, NULL };
        pid_t pid = export_test_start(argv, NULL);
        struct stat before, st;

        check(pid > 0 && stat(path, &before) == 0);
        /* Wait until the loop has replaced the file at least once. */
        for (int i = 0; i < 20000; i++) {
                if (stat(path, &st) == 0 && st.st_ino != before.st_ino)
                        break;
                sleep_us(1000);
        }
        check_int_eq(export_test_stop(pid), WRITTEN);
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

/* A write that fails half-way (EFBIG past RLIMIT_FSIZE): said as what it is, error exit, old
 * file untouched. */
static void test_failed_write_keeps_old_file(void)
{
        char *old_text = test_read_file(path, NULL), *text, *output = NULL;

        check(old_text && strlen(old_text) > 1024);
        check_int_eq(run_exporter(NULL, limit_file_size, NULL, &output), NOT_WRITTEN);
        check(output && strstr(output, "File too large"));
        if (output && !strstr(output, "File too large"))
                fprintf(stderr, "%s", output);
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
        check_int_eq(run_exporter(NULL, drop_privileges, NULL, &output), NOT_WRITTEN);
        check(chmod(dir, 0700) == 0);
        check(output && strstr(output, "cannot create a temporary file") &&
              strstr(output, "Permission denied"));
        if (output && !strstr(output, "Permission denied"))
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
        check_int_eq(run_exporter(NULL, NULL, blocked, &output), NOT_WRITTEN);
        check(output && strstr(output, "cannot rename") && strstr(output, "Is a directory"));
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
        check_int_eq(run_exporter(NULL, NULL, missing, &output), NOT_WRITTEN);
        check(output && strstr(output, "cannot create a temporary file") &&
              strstr(output, "No such file or directory"));
        free(output);
        free(missing);
}

static void teardown(void)
{
        export_test_remove_directory(dir);
        free(dir);
        free(path);
}

TEST_MAIN(setup, test_killed_while_enumerating, test_killed_at_random_offsets,
          test_exporters_at_once, test_killed_in_loop, test_sigterm_ends_loop,
          test_failed_write_keeps_old_file, test_unwritable_directory_keeps_old_file,
          test_failed_rename, test_missing_directory, teardown)
