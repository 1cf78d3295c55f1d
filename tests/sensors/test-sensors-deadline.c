/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A read that blocks must not hold the request past its deadline. libsensors opens attributes
 * blocking; a FIFO with no writer makes that open hang, as a stuck driver would. The provider
 * reads values itself, without blocking, except where a compute statement of sensors.conf may
 * apply: there libsensors reads them. So the FIFO is first read by the provider (it does not
 * block: the value is missing and says why), then through a compute statement by libsensors
 * (it blocks, and the request returns at its deadline).
 *
 * libsensors skips anything but regular files when it walks the chips, so temp2_input is a plain
 * file at each walk (the first request under a configuration) and a FIFO afterwards: libsensors
 * keeps its list of attributes and opens them anew on each read. The tree is made here, as a
 * FIFO cannot live in git.
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

/* temp2_input a plain file again, for the next walk */
static int make_temp2_plain(const char *tree)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/" CHIP_DIR "/temp2_input", tree);
        if (unlink(path) < 0)
                return -errno;
        return write_file(tree, CHIP_DIR "/temp2_input", "41000\n");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

struct seen {
        size_t count;
        bool temp1;
        char *temp2_error;      /* temp2's ReadError (owned), if temp2 came */
        bool temp2_reading;     /* temp2 came with a Reading */
};

static int on_instance(struct glue_instance *inst, void *userdata)
{
        struct seen *seen = userdata;
        const char *id, *why;
        double reading;

        seen->count++;
        if (glue_instance_get_string(inst, "DeviceID", &id) < 0)
                return 0;
        if (strcmp(id, "slowchip-virtual-0/temp1") == 0)
                seen->temp1 = true;
        if (strcmp(id, "slowchip-virtual-0/temp2") == 0) {
                seen->temp2_reading = glue_instance_get_real(inst, "Reading", &reading) == 0;
                if (glue_instance_get_string(inst, "ReadError", &why) == 0 && why)
                        seen->temp2_error = strdup(why);
        }
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

static void test_fifo_does_not_block_a_direct_read(void)
{
        const char *tree = getenv("UMOCKDEV_DIR");
        struct glue_context *ctx = sensors_test_context("");
        struct glue_request *req = NULL;
        struct seen seen = { 0 };

        check(ctx != NULL);
        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_enumerate(req, "Linux_Sensor", on_instance, &seen), 0);
        check_int_eq(seen.count, 2);
        check(seen.temp2_reading);
        free(seen.temp2_error);
        check_int_eq(make_temp2_block(tree), 0);

        /* no timeout: a read that blocked would hang the test (meson ends it) */
        seen = (struct seen){ 0 };
        check_int_eq(glue_request_enumerate(req, "Linux_Sensor", on_instance, &seen), 0);
        check_int_eq(seen.count, 2);
        check(seen.temp1);
        check(!seen.temp2_reading);
        check(seen.temp2_error && strstr(seen.temp2_error, "temp2_input: empty"));
        printf("# temp2: %s\n", seen.temp2_error ? seen.temp2_error : "(no error)");
        free(seen.temp2_error);
        check_int_eq(make_temp2_plain(tree), 0);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static void test_blocked_read_returns_at_deadline(void)
{
        const char *tree = getenv("UMOCKDEV_DIR");
        char conf[4200];
        struct glue_context *ctx;
        struct glue_request *req = NULL;
        struct glue_provider_status status = { 0 };
        struct seen seen = { 0 };
        int r;

        /* temp2 through libsensors, which opens its attribute blocking */
        check_int_eq(write_file(tree, "compute-temp2.conf",
                                "chip \"slowchip-*\"\n    compute temp2 @, @\n"), 0);
        snprintf(conf, sizeof(conf), "%s/compute-temp2.conf", tree);
        ctx = sensors_test_context(conf);
        check(ctx != NULL);
        check_int_eq(glue_request_new(ctx, &req), 0);
        /* the walk, with both readable */
        check_int_eq(glue_request_enumerate(req, "Linux_Sensor", on_instance, &seen), 0);
        check_int_eq(seen.count, 2);
        free(seen.temp2_error);
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
        free(seen.temp2_error);
        unblock(tree);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

int main(int argc, char **argv)
{
        static const char *const names[] = { "fifo_does_not_block_a_direct_read",
                                             "blocked_read_returns_at_deadline" };
        static const test_fn fns[] = { test_fifo_does_not_block_a_direct_read,
                                       test_blocked_read_returns_at_deadline };
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
        return test_run(names, fns, 2);
}
