/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "test-providers.h"

struct test_counters test_counters;

struct test_disk {
        const char *class_name;
        const char *device_id;
        const char *name; /* raw bytes: may hold control characters and invalid UTF-8 */
        uint64_t size;
        int removable;    /* -1: NULL */
        double temperature;
        bool has_temperature;
        const char *model;
        int32_t offset;
        const char *const *tags;
        size_t n_tags;
        uint16_t availability;
        const char *serial;
        uint32_t wear_level;
};

static const char *const sda_tags[] = { "boot", "system,root" };

static const struct test_disk disks[] = {
        { "Test_SSD", "sda", "sda", 500107862016, 0, 35.5, true, "Samsung SSD 860", -5,
          sda_tags, 2, 3, "S3Z9NB0K", 3 },
        { "Test_Disk", "sdb", "sdb", 1000204886016, 1, 0, false, "WDC \"quoted\" \\ $HOME `x`",
          7, NULL, 0, 2, "WD-1", 0 },
        { "Test_Disk", "nvme0n1", "bad\x01\xff name\ttab", 0, -1, -12.25, true, NULL, 0, NULL,
          0, 1, NULL, 0 },
};

static int post_disk(struct glue_call *call, const struct test_disk *d)
{
        struct glue_instance *inst;
        int r;

        r = glue_call_new_instance(call, d->class_name, &inst);
        if (r < 0)
                return r;
        glue_instance_set_string(inst, "DeviceID", d->device_id);
        glue_instance_set_string_len(inst, "Name", d->name, strlen(d->name));
        glue_instance_set_uint(inst, "Size", d->size);
        if (d->removable >= 0)
                glue_instance_set_bool(inst, "Removable", d->removable);
        if (d->has_temperature)
                glue_instance_set_real(inst, "Temperature", d->temperature);
        if (d->model)
                glue_instance_set_string(inst, "Model", d->model);
        glue_instance_set_sint(inst, "Offset", d->offset);
        if (d->tags)
                glue_instance_set_string_array(inst, "Tags", d->tags, d->n_tags);
        glue_instance_set_uint(inst, "Availability", d->availability);
        glue_instance_set_string(inst, "Kind", d->class_name);
        if (glue_call_wants(call, "Serial")) {
                test_counters.serial_reads++;
                if (d->serial)
                        glue_instance_set_string(inst, "Serial", d->serial);
        }
        if (strcmp(d->class_name, "Test_SSD") == 0)
                glue_instance_set_uint(inst, "WearLevel", d->wear_level);
        return glue_call_post(call, inst);
}

static int disks_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        test_counters.enumerate_calls++;
        for (size_t i = 0; i < sizeof(disks) / sizeof(disks[0]); i++)
                if (post_disk(call, &disks[i]) == -ECANCELED)
                        return 0;
        return 0;
}

static int disks_get_instance(struct glue_call *call, const struct glue_class *cls,
                              const struct glue_path *path, void *data)
{
        const char *key = glue_path_get_key(path, "DeviceID");

        test_counters.get_calls++;
        for (size_t i = 0; key && i < sizeof(disks) / sizeof(disks[0]); i++)
                if (strcmp(disks[i].device_id, key) == 0)
                        return post_disk(call, &disks[i]) == -ECANCELED ? 0 : 0;
        return -ENOENT;
}

static int post_indexed(struct glue_call *call, const char *prefix, uint64_t index)
{
        struct glue_instance *inst;
        int r;

        r = glue_call_new_instance(call, NULL, &inst);
        if (r < 0)
                return r;
        glue_instance_set_stringf(inst, "DeviceID", "%s%llu", prefix, (unsigned long long)index);
        glue_instance_set_uint(inst, "Index", index);
        return glue_call_post(call, inst);
}

static void sleep_ms(long ms)
{
        struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
        nanosleep(&ts, NULL);
}

/* One instance, then wait (30 s at most) for the gate file the test creates once it has read
 * that first instance: if output were buffered until the end, the test would never see it. */
static int slow_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        const char *gate = getenv("HWGLUE_TEST_GATE");

        if (post_indexed(call, "slow", 0) == -ECANCELED)
                return 0;
        for (int waited = 0; gate && access(gate, F_OK) < 0 && waited < 3000; waited++) {
                if (glue_call_is_cancelled(call))
                        return 0;
                sleep_ms(10);
        }
        if (gate && access(gate, F_OK) < 0)
                glue_call_log(call, LOG_ERR, "the gate file never appeared");
        for (uint64_t i = 1; i < 5; i++)
                if (post_indexed(call, "slow", i) == -ECANCELED)
                        return 0;
        return 0;
}

static int fail_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        post_indexed(call, "fail", 0);
        glue_call_log(call, LOG_ERR, "simulated failure after one device");
        return -EIO;
}

static int hang_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        for (int waited = 0; !glue_call_is_cancelled(call) && waited < 3000; waited++)
                sleep_ms(10);
        return 0;
}

static int many_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        for (uint64_t i = 0; i < 10000000; i++)
                if (post_indexed(call, "many", i) == -ECANCELED)
                        return 0;
        return 0;
}

/* A read that never returns: opens $HWGLUE_TEST_FIFO, a FIFO no one writes, and blocks in the
 * kernel as a hung driver does (no polling, no cancellation). */
static int fifo_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        const char *fifo = getenv("HWGLUE_TEST_FIFO");
        char buf[16];
        int fd;

        if (post_indexed(call, "blocked", 0) == -ECANCELED)
                return 0;
        if (!fifo)
                return -ENOENT;
        fd = open(fifo, O_RDONLY | O_CLOEXEC); /* blocks until a writer comes */
        if (fd < 0)
                return -errno;
        while (read(fd, buf, sizeof(buf)) > 0)
                ;
        close(fd);
        return post_indexed(call, "blocked", 1) == -ECANCELED ? 0 : 0;
}

/* Works until its deadline is $HWGLUE_TEST_LEAVE_MS away (it ends relative to the deadline, not
 * after a fixed time), then posts one instance and succeeds. */
static int sleepy_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        const char *leave = getenv("HWGLUE_TEST_LEAVE_MS");
        uint64_t leave_usec = (leave ? strtoull(leave, NULL, 10) : 0) * 1000;

        while (!glue_call_is_cancelled(call) && glue_call_get_time_left(call) != UINT64_MAX &&
               glue_call_get_time_left(call) > leave_usec)
                sleep_ms(5);
        return post_indexed(call, "sleepy", 0) == -ECANCELED ? 0 : 0;
}

/* One instance carrying the time the call had left (NULL without a deadline), in ms. */
static int time_left_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        uint64_t left = glue_call_get_time_left(call);
        struct glue_instance *inst;
        int r;

        r = glue_call_new_instance(call, NULL, &inst);
        if (r < 0)
                return r;
        glue_instance_set_string(inst, "DeviceID", "left");
        if (left != UINT64_MAX)
                glue_instance_set_uint(inst, "TimeLeftMs", left / 1000);
        else
                glue_instance_set_null(inst, "TimeLeftMs");
        r = glue_call_post(call, inst);
        return r == -ECANCELED ? 0 : r;
}

/* One instance, and files it could not read: three refused, one FIFO. */
static int unreadable_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        glue_call_note_read_error(call, "/sys/test/hwmon0/temp1_input", -EACCES);
        glue_call_note_read_error(call, "/sys/test/hwmon0/temp2_input", -EACCES);
        glue_call_note_read_error(call, "/sys/test/hwmon0/temp3_input", -EACCES);
        glue_call_note_read_error(call, "/sys/test/hwmon1/name", -EAGAIN);
        return post_indexed(call, "unreadable", 0) == -ECANCELED ? 0 : 0;
}

/* Nothing, and why (as a family on a machine without its hardware). */
static int empty_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        glue_call_log(call, LOG_WARNING, "no test devices under /sys/class/nothing");
        return 0;
}

static const struct glue_provider_ops providers[] = {
        { .size = sizeof(struct glue_provider_ops), .name = "cmdtest", .enumerate = disks_enumerate, .get_instance = disks_get_instance },
        { .size = sizeof(struct glue_provider_ops), .name = "cmdslow", .enumerate = slow_enumerate },
        { .size = sizeof(struct glue_provider_ops), .name = "cmdfail", .enumerate = fail_enumerate },
        { .size = sizeof(struct glue_provider_ops), .name = "cmdhang", .enumerate = hang_enumerate },
        { .size = sizeof(struct glue_provider_ops), .name = "cmdmany", .enumerate = many_enumerate },
        { .size = sizeof(struct glue_provider_ops), .name = "cmdfifo", .enumerate = fifo_enumerate },
        { .size = sizeof(struct glue_provider_ops), .name = "cmdtimeleft", .enumerate = time_left_enumerate },
        { .size = sizeof(struct glue_provider_ops), .name = "cmdsleepy", .enumerate = sleepy_enumerate },
        { .size = sizeof(struct glue_provider_ops), .name = "cmdunreadable", .enumerate = unreadable_enumerate },
        { .size = sizeof(struct glue_provider_ops), .name = "cmdempty", .enumerate = empty_enumerate },
};

int test_context_new(struct glue_context **ret)
{
        const char *source = getenv("HWGLUE_SOURCE_DIR");
        struct glue_context *ctx;
        char path[4096], *error = NULL;
        int r;

        r = glue_context_new(GLUE_CONTEXT_EMPTY, &ctx);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "%s/tests/cmd/test-schema.mof", source ? source : ".");
        r = glue_context_load_mof_file(ctx, path, &error);
        if (r < 0) {
                fprintf(stderr, "test schema: %s\n", error ? error : glue_strerror(r));
                free(error);
                glue_context_unref(ctx);
                return r;
        }
        for (size_t i = 0; i < sizeof(providers) / sizeof(providers[0]); i++) {
                r = glue_context_register_provider(ctx, &providers[i]);
                if (r < 0) {
                        glue_context_unref(ctx);
                        return r;
                }
        }
        *ret = ctx;
        return 0;
}
