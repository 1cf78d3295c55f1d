/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Nothing blocks, and what could have blocked is named (issue 20). libsensors opens files with
 * fopen(), which waits on a FIFO for a writer that never comes: in sensors_init() that holds
 * its caller and libsensors' state for ever, past any deadline, for every later request and
 * every other context of the process. The provider reads files itself without blocking; where
 * it must start libsensors (a configuration it does not read exactly), it first refuses a tree
 * with such a file, and it never asks libsensors for a value whose chip has one.
 *
 * Each case runs with no deadline under an alarm watchdog: a regression ends the test on
 * SIGALRM instead of hanging it. The tree is made here, as a FIFO cannot live in git.
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

/* Longer than any of these takes, shorter than meson's timeout. */
#define WATCHDOG_SECONDS 20

#define CHIP_DIR "sys/devices/virtual/hwmon/hwmon0"
#define FIFO_NAME_DIR "sys/devices/virtual/hwmon/hwmon1"

static const char *tree;

static int write_file(const char *name, const char *text)
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

static int make_dir(const char *name)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/%s", tree, name);
        return mkdir(path, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

static int make_link(const char *target, const char *name)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/%s", tree, name);
        return symlink(target, path) < 0 ? -errno : 0;
}

/* name a FIFO (replacing a file there) */
static int make_fifo(const char *name)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/%s", tree, name);
        (void)unlink(path);
        return mkfifo(path, 0644) < 0 ? -errno : 0;
}

static int make_plain(const char *name, const char *text)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/%s", tree, name);
        (void)unlink(path);
        return write_file(name, text);
}

static int make_tree(void)
{
        static const char *const dirs[] = { "sys", "sys/class", "sys/class/hwmon", "sys/devices",
                                            "sys/devices/virtual", "sys/devices/virtual/hwmon",
                                            CHIP_DIR, FIFO_NAME_DIR };
        int r = 0;

        for (size_t i = 0; r == 0 && i < sizeof(dirs) / sizeof(dirs[0]); i++)
                r = make_dir(dirs[i]);
        if (r == 0)
                r = make_link("../../devices/virtual/hwmon/hwmon0", "sys/class/hwmon/hwmon0");
        if (r == 0)
                r = make_link("../../devices/virtual/hwmon/hwmon1", "sys/class/hwmon/hwmon1");
        if (r == 0)
                r = write_file(CHIP_DIR "/name", "slowchip\n");
        if (r == 0)
                r = write_file(CHIP_DIR "/temp1_input", "40000\n");
        if (r == 0)
                r = write_file(CHIP_DIR "/temp2_input", "41000\n");
        if (r == 0)
                r = write_file(FIFO_NAME_DIR "/name", "fifochip\n");
        if (r == 0)
                r = write_file(FIFO_NAME_DIR "/temp1_input", "30000\n");
        /* configurations: one read exactly, one with a statement the provider leaves to
         * libsensors (a bus statement), with a compute statement for slowchip's temp1 */
        if (r == 0)
                r = write_file("exact.conf", "chip \"slowchip-*\"\n    compute temp1 @*2, @/2\n");
        if (r == 0)
                r = write_file("libsensors.conf", "bus \"i2c-9\" \"nothing\"\n"
                               "chip \"slowchip-*\"\n    compute temp1 @*2, @/2\n");
        return r;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

struct seen {
        size_t count;
        bool temp1, temp2, fifochip;
        double temp1_reading;
};

static int on_instance(struct glue_instance *inst, void *userdata)
{
        struct seen *seen = userdata;
        const char *id;

        seen->count++;
        if (glue_instance_get_string(inst, "DeviceID", &id) < 0)
                return 0;
        if (strcmp(id, "slowchip-virtual-0/temp1") == 0) {
                seen->temp1 = true;
                (void)glue_instance_get_real(inst, "Reading", &seen->temp1_reading);
        }
        seen->temp2 |= strcmp(id, "slowchip-virtual-0/temp2") == 0;
        seen->fifochip |= strncmp(id, "fifochip-", 9) == 0;
        return 0;
}

static struct glue_context *context(const char *conf)
{
        char path[4200];

        snprintf(path, sizeof(path), "%s/%s", tree, conf);
        return sensors_test_context(conf[0] ? path : "");
}

/* the read error with that cause, and its example; -1 if none */
static long long read_errors(const struct glue_request *req, int error, const char **example)
{
        for (size_t i = 0; i < glue_request_get_read_error_count(req); i++) {
                struct glue_read_error e;

                if (glue_request_get_read_error(req, i, &e) == 0 && e.error == error) {
                        *example = e.example;
                        return (long long)e.count;
                }
        }
        *example = NULL;
        return -1;
}

static const char *provider_message(const struct glue_request *req, int *ret_error)
{
        struct glue_provider_status st = { 0 };

        if (glue_request_get_provider_count(req) < 1 ||
            glue_request_get_provider_status(req, 0, &st) < 0)
                return NULL;
        *ret_error = st.error;
        return st.message;
}

static void test_fifo_attribute_is_named_not_read(void)
{
        struct glue_context *ctx = context("");
        struct glue_request *req = NULL;
        struct seen seen = { 0 };
        const char *example;

        check_int_eq(make_fifo(CHIP_DIR "/temp2_input"), 0);
        check_int_eq(glue_request_new(ctx, &req), 0);
        alarm(WATCHDOG_SECONDS);
        check_int_eq(glue_request_enumerate(req, "Linux_Sensor", on_instance, &seen), 0);
        alarm(0);
        check(seen.temp1);
        check(!seen.temp2); /* libsensors lists regular files only */
        /* temp2_input, and the other chip's name */
        check_int_eq(read_errors(req, -EAGAIN, &example), 2);
        check(example && (strstr(example, "/hwmon0/temp2_input") || strstr(example, "/hwmon1/name")));
        printf("# 2 FIFOs, the first: %s\n", example ? example : "(none)");
        check_int_eq(make_plain(CHIP_DIR "/temp2_input", "41000\n"), 0);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static void test_fifo_name_skips_its_chip_only(void)
{
        struct glue_context *ctx = context("exact.conf");
        struct glue_request *req = NULL;
        struct seen seen = { 0 };
        const char *example, *message;
        int error = 0;

        check_int_eq(glue_request_new(ctx, &req), 0);
        alarm(WATCHDOG_SECONDS);
        check_int_eq(glue_request_enumerate(req, "Linux_Sensor", on_instance, &seen), 0);
        alarm(0);
        /* the configuration is applied, by the provider: 40 °C * 2 */
        check(seen.temp1 && seen.temp1_reading == 80.0);
        check(!seen.fifochip);
        check_int_eq(read_errors(req, -EAGAIN, &example), 1);
        check(example && strstr(example, "/hwmon1/name"));
        message = provider_message(req, &error);
        check_int_eq(error, 0);
        check(message && strstr(message, "/hwmon1/name") && strstr(message, "FIFO"));
        printf("# %s\n", message ? message : "(no message)");
        glue_request_unref(req);
        glue_context_unref(ctx);
}

/* What libsensors must read is refused before sensors_init() sees the FIFO: every request
 * returns, and says which file; the chips that need no libsensors still come. */
static void check_refused(struct glue_context *ctx, uint64_t timeout_usec, const char *what)
{
        struct glue_request *req = NULL;
        struct seen seen = { 0 };
        const char *message;
        int error = 0, r;

        check_int_eq(glue_request_new(ctx, &req), 0);
        if (timeout_usec)
                glue_request_set_timeout(req, timeout_usec);
        alarm(WATCHDOG_SECONDS);
        r = glue_request_enumerate(req, "Linux_Sensor", on_instance, &seen);
        alarm(0);
        check_int_eq(r, 1); /* partial: the provider failed */
        check(!seen.temp1);
        message = provider_message(req, &error);
        check_int_eq(error, -EUCLEAN);
        check(message && strstr(message, "/hwmon1/name is a FIFO"));
        printf("# %s: %s\n", what, message ? message : "(no message)");
        glue_request_unref(req);
}

static void test_fifo_name_is_refused_before_libsensors(void)
{
        struct glue_context *ctx = context("libsensors.conf"), *other = context("libsensors.conf");

        check_refused(ctx, 0, "no deadline");
        check_refused(ctx, 2 * 1000 * 1000, "a second request, a deadline");
        check_refused(other, 0, "a second context");
        glue_context_unref(ctx);
        glue_context_unref(other);
}

/* libsensors' walk saw a plain file that is a FIFO now (it keeps its list and opens the file
 * anew on each read): the provider does not hand it to libsensors. */
static void test_libsensors_is_not_given_a_fifo(void)
{
        struct glue_context *ctx;
        struct glue_request *req = NULL;
        struct seen seen = { 0 };
        const char *example;

        check_int_eq(make_plain(FIFO_NAME_DIR "/name", "fifochip\n"), 0);
        ctx = context("libsensors.conf");
        check_int_eq(glue_request_new(ctx, &req), 0);
        alarm(WATCHDOG_SECONDS);
        check_int_eq(glue_request_enumerate(req, "Linux_Sensor", on_instance, &seen), 0);
        check(seen.temp1 && seen.temp1_reading == 80.0); /* libsensors applied the statement */
        check_int_eq(make_fifo(CHIP_DIR "/temp2_input"), 0);
        seen = (struct seen){ 0 };
        check_int_eq(glue_request_enumerate(req, "Linux_Sensor", on_instance, &seen), 0);
        alarm(0);
        check(seen.temp1);
        check(read_errors(req, -EAGAIN, &example) >= 1);
        check(example && strstr(example, "temp2_input"));
        check_int_eq(make_plain(CHIP_DIR "/temp2_input", "41000\n"), 0);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

int main(int argc, char **argv)
{
        static const char *const names[] = { "fifo_attribute_is_named_not_read",
                                             "fifo_name_skips_its_chip_only",
                                             "fifo_name_is_refused_before_libsensors",
                                             "libsensors_is_not_given_a_fifo" };
        static const test_fn fns[] = { test_fifo_attribute_is_named_not_read,
                                       test_fifo_name_skips_its_chip_only,
                                       test_fifo_name_is_refused_before_libsensors,
                                       test_libsensors_is_not_given_a_fifo };
        char dir[] = "/tmp/hwglue-sensors-deadline-XXXXXX";
        int r;

        if (!getenv("HWGLUE_TEST_UNDER_UMOCKDEV")) {
                if (!mkdtemp(dir)) {
                        perror("mkdtemp");
                        return 1;
                }
                tree = dir;
                r = make_tree();
                if (r == 0)
                        r = make_fifo(FIFO_NAME_DIR "/name");
                if (r < 0) {
                        fprintf(stderr, "making the tree: %s\n", strerror(-r));
                        r = 1;
                } else {
                        r = umockdev_rerun(argv, dir, NULL);
                }
                nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
                return r;
        }
        tree = getenv("UMOCKDEV_DIR");
        return test_run(names, fns, sizeof(fns) / sizeof(fns[0]));
}
