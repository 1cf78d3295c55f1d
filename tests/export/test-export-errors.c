/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Each way the file system refuses a write is said as what it is, and loses nothing: a full
 * file system (a small tmpfs), a quota (a btrfs qgroup limit on a loop-mounted image: this
 * kernel has no tmpfs or ext4 quotas), a read-only bind mount, a name past NAME_MAX. Each time
 * the exporter exits 4, names the cause ("No space left on device", not "Input/output error"),
 * the old file stays as it was and nothing is left behind. Needs root (mounts): as another user
 * it skips, saying so.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export-test-context.h"
#include "export-test-process.h"
#include "test-util.h"

#define WRITTEN 2
#define NOT_WRITTEN 4

static const char *exporter;
static char *base;

static int run_exporter(const char *textfile, unsigned disks, char **output)
{
        char count[32], *env = NULL;
        char *argv[] = { (char *)exporter, (char *)"--timeout", (char *)"0", (char *)"--textfile",
                         (char *)textfile, NULL };
        int r;

        snprintf(count, sizeof(count), "%u", disks);
        if (asprintf(&env, "HWGLUE_EXPORT_TEST_DISKS=%s", count) < 0)
                return -ENOMEM;
        {
                const char *const environment[] = { env, NULL };
                const struct export_test_spawn spawn = { .environment = environment };

                r = export_test_run(argv, &spawn, 120000, output);
        }
        free(env);
        return r;
}

/* An export that cannot be written: exit 4, the cause on stderr, the old file as it was, and
 * nothing else in its directory. */
static void check_refused(const char *what, const char *dir, const char *file, unsigned disks,
                          const char *cause)
{
        char *old_text = test_read_file(file, NULL), *text, *output = NULL;
        int r = run_exporter(file, disks, &output);

        if (r != NOT_WRITTEN || !output || !strstr(output, cause)) {
                fprintf(stderr, "%s: exit %d, wanted %d and \"%s\" in:\n%s", what, r, NOT_WRITTEN,
                        cause, output ? output : "(no output)");
                test_failures++;
        }
        /* The cause itself, not stdio's -EIO (test-broken's own failure is an I/O error). */
        check(!output || !strstr(output, "file in ") || !strstr(strstr(output, "file in "), ": Input/output error"));
        text = test_read_file(file, NULL);
        check((!old_text && !text) || (old_text && text && strcmp(old_text, text) == 0));
        check_int_eq(export_test_count_entries(dir, "."), 0);
        check_int_eq(export_test_count_entries(dir, ""), old_text ? 1 : 0);
        free(output);
        free(text);
        free(old_text);
}

static char *subdir(const char *name)
{
        char *dir = NULL;

        if (asprintf(&dir, "%s/%s", base, name) < 0 || mkdir(dir, 0755) < 0) {
                fprintf(stderr, "cannot make %s/%s: %m\n", base, name);
                exit(EXIT_FAILURE);
        }
        return dir;
}

static void setup(void)
{
        exporter = getenv("HWGLUE_EXPORT_TEST_EXPORTER");
        if (!exporter) {
                fprintf(stderr, "HWGLUE_EXPORT_TEST_EXPORTER is not set\n");
                exit(EXIT_FAILURE);
        }
        if (geteuid() != 0) {
                fprintf(stderr, "SKIP: these tests mount file systems (tmpfs, btrfs on a loop "
                        "device, bind mounts) and need root\n");
                exit(77);
        }
        base = export_test_make_directory();
}

/* A tmpfs of 256 KiB: a small export fits, a large one does not. */
static void test_full_file_system(void)
{
        char *dir = subdir("full"), *file = NULL;

        check(mount("hwglue-test", dir, "tmpfs", 0, "size=256k,mode=0755") == 0);
        check(asprintf(&file, "%s/hwglue.prom", dir) > 0);
        check_int_eq(run_exporter(file, 2, NULL), WRITTEN);
        check_refused("full file system", dir, file, 20000, "No space left on device");
        check(umount2(dir, MNT_DETACH) == 0);
        rmdir(dir);
        free(file);
        free(dir);
}

/* btrfs with a qgroup limit of 2 MiB: the quota runs out before the file system does. */
static void test_quota(void)
{
        char *dir = subdir("quota"), *image = NULL, *file = NULL, *options = NULL;
        char *mkfs[] = { (char *)"mkfs.btrfs", (char *)"-q", NULL, NULL };
        char *mnt[] = { (char *)"mount", (char *)"-o", (char *)"loop", NULL, dir, NULL };
        char *enable[] = { (char *)"btrfs", (char *)"quota", (char *)"enable", dir, NULL };
        char *limit[] = { (char *)"btrfs", (char *)"qgroup", (char *)"limit", (char *)"2m", dir,
                          NULL };
        char *output = NULL;
        int fd;

        check(asprintf(&image, "%s/btrfs.img", base) > 0);
        fd = open(image, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
        check(fd >= 0 && ftruncate(fd, 160 * 1024 * 1024) == 0);
        if (fd >= 0)
                close(fd);
        mkfs[2] = image;
        mnt[3] = image;
        if (export_test_run(mkfs, NULL, 60000, &output) != 0) {
                fprintf(stderr, "mkfs.btrfs (Debian package btrfs-progs) failed or is missing:\n%s",
                        output ? output : "");
                test_failures++;
                goto out;
        }
        free(output);
        output = NULL;
        /* mount(8) picks a free loop device and gives it back at umount: other tests' loop
         * devices are left alone. */
        check_int_eq(export_test_run(mnt, NULL, 60000, &output), 0);
        check_int_eq(export_test_run(enable, NULL, 60000, NULL), 0);
        check_int_eq(export_test_run(limit, NULL, 60000, NULL), 0);
        check(asprintf(&file, "%s/hwglue.prom", dir) > 0);
        check_int_eq(run_exporter(file, 2, NULL), WRITTEN);
        check_refused("quota", dir, file, 20000, "Disk quota exceeded");
        check(umount2(dir, MNT_DETACH) == 0);
out:
        unlink(image);
        rmdir(dir);
        free(options);
        free(output);
        free(file);
        free(image);
        free(dir);
}

/* A read-only bind mount of a directory that holds a file. */
static void test_read_only(void)
{
        char *dir = subdir("rw"), *ro = subdir("ro"), *file = NULL, *ro_file = NULL;

        check(asprintf(&file, "%s/hwglue.prom", dir) > 0);
        check(asprintf(&ro_file, "%s/hwglue.prom", ro) > 0);
        check_int_eq(run_exporter(file, 2, NULL), WRITTEN);
        check(mount(dir, ro, NULL, MS_BIND, NULL) == 0);
        check(mount(NULL, ro, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0);
        check_refused("read-only bind mount", ro, ro_file, 2, "Read-only file system");
        check(umount2(ro, MNT_DETACH) == 0);
        rmdir(ro);
        unlink(file);
        rmdir(dir);
        free(ro_file);
        free(file);
        free(ro);
        free(dir);
}

/* NAME_MAX bytes is a name: written (its temporary's name is shortened to fit). One more is
 * not: said before anything is enumerated. */
static void test_long_names(void)
{
        char *dir = subdir("long"), *refused = subdir("too-long"), *file = NULL;
        char name[NAME_MAX + 2], *output = NULL;

        memset(name, 'n', sizeof(name));
        memcpy(name + NAME_MAX - 5, ".prom", 6);
        check(asprintf(&file, "%s/%s", dir, name) > 0);
        check_int_eq(run_exporter(file, 2, &output), WRITTEN);
        check_int_eq(export_test_count_entries(dir, "n"), 1);
        check_int_eq(export_test_count_entries(dir, ""), 1);
        free(file);
        free(output);
        memset(name, 'n', sizeof(name));
        memcpy(name + NAME_MAX - 4, ".prom", 6);
        check(asprintf(&file, "%s/%s", refused, name) > 0);
        check_refused("a name past NAME_MAX", refused, file, 2, "File name too long");
        free(file);
        export_test_remove_directory(dir);
        export_test_remove_directory(refused);
        free(dir);
        free(refused);
}

static void teardown(void)
{
        export_test_remove_directory(base);
        free(base);
}

TEST_MAIN(setup, test_full_file_system, test_quota, test_read_only, test_long_names, teardown)
