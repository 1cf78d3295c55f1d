/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A read that blocks must not hold the request past its deadline. libsensors opens attributes
 * blocking; a FIFO with no writer makes that open hang, as a stuck driver would. libsensors
 * skips anything but regular files when it walks the chips, so temp2_input is a plain file at
 * that walk (the first request) and a FIFO afterwards: libsensors keeps its list of attributes
 * and opens them anew on each read. The tree is made here, as a FIFO cannot live in git.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sensors-test-util.h"
#include "test-util.h"
#include "umockdev-rerun.h"

#define CHIP_DIR "sys/devices/virtual/hwmon/hwmon0"

static int write_file(const char *tree, const char *name, const char *text)
{
        char path[4096];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", tree, name);
        f = fopen(path, "we");
        if (!f)
                return -errno;
        fputs(text, f);
        return fclose(f) == 0 ? 0 : -errno;
}

static int make_tree(const char *tree)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/sys/devices/virtual/hwmon/hwmon0", tree);
        if (mkdir(strcat(strcpy(path, tree), "/sys"), 0755) < 0 ||
            mkdir(strcat(strcpy(path, tree), "/sys/class"), 0755) < 0 ||
            mkdir(strcat(strcpy(path, tree), "/sys/class/hwmon"), 0755) < 0 ||
            mkdir(strcat(strcpy(path, tree), "/sys/devices"), 0755) < 0 ||
            mkdir(strcat(strcpy(path, tree), "/sys/devices/virtual"), 0755) < 0 ||
            mkdir(strcat(strcpy(path, tree), "/sys/devices/virtual/hwmon"), 0755) < 0 ||
            mkdir(strcat(strcpy(path, tree), "/" CHIP_DIR), 0755) < 0)
                return -errno;
        if (symlink("../../devices/virtual/hwmon/hwmon0",
                    strcat(strcpy(path, tree), "/sys/class/hwmon/hwmon0")) < 0 ||
            symlink("../../../../class/hwmon", strcat(strcpy(path, tree), "/" CHIP_DIR "/subsystem")) < 0)
                return -errno;
        if (write_file(tree, CHIP_DIR "/name", "slowchip\n") < 0 ||
            write_file(tree, CHIP_DIR "/temp1_input", "40000\n") < 0 ||
            write_file(tree, CHIP_DIR "/temp2_input", "41000\n") < 0)
                return -errno;
        return 0;
}

static int make_temp2_block(const char *tree)
{
        char fifo[4096], path[4096];

        snprintf(fifo, sizeof(fifo), "%s/" CHIP_DIR "/temp2_fifo", tree);
        snprintf(path, sizeof(path), "%s/" CHIP_DIR "/temp2_input", tree);
        if (mkfifo(fifo, 0644) < 0 || rename(fifo, path) < 0)
                return -errno;
        return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

struct seen {
        size_t count;
        bool temp1;
};

static int on_instance(struct glue_instance *inst, void *userdata)
{
        struct seen *seen = userdata;
        const char *id;

        seen->count++;
        if (glue_instance_get_string(inst, "DeviceID", &id) == 0 &&
            strcmp(id, "slowchip-virtual-0/temp1") == 0)
                seen->temp1 = true;
        return 0;
}

/* Let the blocked open go on: a writer that comes and goes ends it with end-of-file. Done by a
 * process of its own, outside the preload, whose path handling the blocked thread may hold. */
static void unblock(const char *tree)
{
        char cmd[4200];

        snprintf(cmd, sizeof(cmd),
                 "env -u LD_PRELOAD timeout 10 sh -c ': > \"%s/" CHIP_DIR "/temp2_input\"'", tree);
        check_int_eq(system(cmd), 0);
}

static void test_blocked_read_returns_at_deadline(void)
{
        const char *tree = getenv("UMOCKDEV_DIR");
        struct glue_context *ctx = sensors_test_context("");
        struct glue_request *req = NULL;
        struct glue_provider_status status = { 0 };
        struct seen seen = { 0 };
        int r;

        check(ctx != NULL);
        check_int_eq(glue_request_new(ctx, &req), 0);
        /* the walk, with both readable */
        check_int_eq(glue_request_enumerate(req, "Linux_Sensor", on_instance, &seen), 0);
        check_int_eq(seen.count, 2);
        check_int_eq(make_temp2_block(tree), 0);

        seen = (struct seen){ 0 };
        glue_request_set_timeout(req, 300 * 1000);
        r = glue_request_enumerate(req, "Linux_Sensor", on_instance, &seen);
        check_int_eq(r, -ETIMEDOUT);
        /* what was read before the blocked attribute was delivered */
        check(seen.temp1);
        check_int_eq(seen.count, 1);
        check_int_eq(glue_request_get_provider_count(req), 1);
        check_int_eq(glue_request_get_provider_status(req, 0, &status), 0);
        check(!status.finished);
        check_int_eq(status.error, -ETIMEDOUT);
        unblock(tree);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

int main(int argc, char **argv)
{
        static const char *const names[] = { "blocked_read_returns_at_deadline" };
        static const test_fn fns[] = { test_blocked_read_returns_at_deadline };
        char tree[] = "/tmp/hwglue-sensors-deadline-XXXXXX";
        int r;

        if (!getenv("HWGLUE_TEST_UNDER_UMOCKDEV")) {
                if (!mkdtemp(tree)) {
                        perror("mkdtemp");
                        return 1;
                }
                r = make_tree(tree);
                if (r < 0) {
                        fprintf(stderr, "making the tree: %s\n", strerror(-r));
                        r = 1;
                } else {
                        r = umockdev_rerun(argv, tree, NULL);
                }
                nftw(tree, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
                return r;
        }
        return test_run(names, fns, 1);
}
