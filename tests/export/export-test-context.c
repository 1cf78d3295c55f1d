/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include "export-test-context.h"

unsigned export_test_disk_count = 2;
unsigned export_test_sensors_delay_ms;
int export_test_unrelated_wanted;
int export_test_plain_enumerated;
int export_test_sensors_running;

static int post_other_disk(struct glue_call *call)
{
        struct glue_instance *inst;
        int r;

        r = glue_call_new_instance(call, "Other_Disk", &inst);
        if (r < 0)
                return r;
        glue_instance_set_string(inst, "Name", "od0");
        glue_instance_set_uint(inst, "SizeBytes", 1);
        return glue_call_post(call, inst);
}

static int disks_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        int r;

        if (strcasecmp(glue_class_get_name(cls), "Other_Disk") == 0) {
                r = post_other_disk(call);
                return r == -ECANCELED ? 0 : r;
        }
        for (unsigned i = 0; i < export_test_disk_count; i++) {
                struct glue_instance *inst;

                r = glue_call_new_instance(call, "Test_Disk", &inst);
                if (r < 0)
                        return r;
                if (i < 2)
                        glue_instance_set_string(inst, "Name", i == 0 ? "sda" : "sdb");
                else
                        glue_instance_set_stringf(inst, "Name", "disk%u", i);
                /* Bytes that are not UTF-8 come out as U+FFFD. */
                glue_instance_set_string(inst, "Model", i == 0 ? "Samsung SSD 870" :
                                         "bad\xff\xfe model");
                glue_instance_set_uint(inst, "SizeBytes", 500107862016u + i);
                glue_instance_set_uint(inst, "ReadBytes", 1234567u * (i + 1));
                /* Left unset on the others: NULL, so no sample. */
                if (i == 0)
                        glue_instance_set_uint(inst, "SpindleSpeed", 7200);
                glue_instance_set_uint(inst, "InFlight", 3);
                if (glue_call_wants(call, "Firmware"))
                        glue_instance_set_string(inst, "Firmware", "1.0");
                r = glue_call_post(call, inst);
                if (r == -ECANCELED)
                        return 0;
                if (r < 0)
                        return r;
        }
        return 0;
}

static void sleep_ms(unsigned ms)
{
        struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

        nanosleep(&ts, NULL);
}

/*
 * Sleep for the configured delay. Under a deadline, stay busy until well past it, so that the
 * engine, not the provider, finds the deadline passed: a provider that sees the deadline and
 * returns before the engine does is reported as finished without error (glue/enumerate.c
 * job_thread maps its -ECANCELED to 0), which is the engine's to fix, not this test's to hit
 * at random. Without a deadline, return as soon as the request is given up.
 */
static void sensors_delay(struct glue_call *call)
{
        uint64_t left_ms = glue_call_get_time_left(call);
        /* Atomic: a test sets it while an abandoned enumeration of an earlier request may
         * still be here. */
        unsigned delay = __atomic_load_n(&export_test_sensors_delay_ms, __ATOMIC_SEQ_CST);

        if (delay == 0)
                return;
        if (left_ms != UINT64_MAX) {
                left_ms /= 1000;
                sleep_ms(left_ms + 300 < delay ? (unsigned)left_ms + 300 : delay);
                return;
        }
        for (unsigned waited = 0; waited < delay && !glue_call_is_cancelled(call); waited += 10)
                sleep_ms(10);
}

static struct glue_instance *new_sensor(struct glue_call *call, const char *cls,
                                        const char *device_id, const char *chip,
                                        const char *sensor_label)
{
        struct glue_instance *inst;

        if (glue_call_new_instance(call, cls, &inst) < 0)
                return NULL;
        glue_instance_set_string(inst, "DeviceID", device_id);
        glue_instance_set_string(inst, "Chip", chip);
        if (sensor_label)
                glue_instance_set_string(inst, "SensorLabel", sensor_label);
        if (glue_call_wants(call, "Unrelated")) {
                __atomic_fetch_add(&export_test_unrelated_wanted, 1, __ATOMIC_SEQ_CST);
                glue_instance_set_string(inst, "Unrelated", "x");
        }
        return inst;
}

static int sensors_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        struct glue_instance *inst[5];
        int r = 0;

        __atomic_fetch_add(&export_test_sensors_running, 1, __ATOMIC_SEQ_CST);
        sensors_delay(call);
        __atomic_fetch_sub(&export_test_sensors_running, 1, __ATOMIC_SEQ_CST);
        if (glue_call_is_cancelled(call))
                return -ECANCELED;

        inst[0] = new_sensor(call, "Test_TemperatureSensor", "t0", "coretemp-isa-0000",
                             "Package id 0");
        /* A reading in millidegrees, divided as a provider should: 84.85, not 84.85000000000001. */
        glue_instance_set_real(inst[0], "Temperature", 84850 / 1000.0);
        glue_instance_set_real(inst[0], "BusyTime", 1.5);
        glue_instance_set_bool(inst[0], "Alarm", false);

        /* Hostile label bytes; no label, no reading: no Temperature sample. */
        inst[1] = new_sensor(call, "Test_TemperatureSensor", "t1", "we\\ird\"chip\nname", NULL);
        glue_instance_set_bool(inst[1], "Alarm", true);
        glue_instance_set_real(inst[1], "BusyTime", 0.1 * 3);

        inst[2] = new_sensor(call, "Test_HotspotSensor", "h0", "amdgpu-pci-0300", "junction");
        glue_instance_set_real(inst[2], "Temperature", 100.125);
        glue_instance_set_real(inst[2], "Voltage", (double)1.2f);
        glue_instance_set_string(inst[2], "Location", "die");
        glue_instance_set_bool(inst[2], "Alarm", false);

        inst[3] = new_sensor(call, "Test_HumiditySensor", "u0", "sht3x", "room");
        glue_instance_set_uint(inst[3], "Humidity", 45);
        glue_instance_set_real(inst[3], "SaturationPercent", (double)45.3f);

        inst[4] = new_sensor(call, "Test_PowerMeter", "p0", "ina226", "battery");
        glue_instance_set_uint(inst[4], "Energy", 123456789012345u);
        glue_instance_set_real(inst[4], "Power", 84.85);
        glue_instance_set_sint(inst[4], "Current", -3);

        for (size_t i = 0; i < 5; i++) {
                if (!inst[i])
                        r = -ENOMEM;
                else if (r >= 0)
                        r = glue_call_post(call, inst[i]);
                else
                        glue_instance_unref(inst[i]);
        }
        return r == -ECANCELED ? 0 : r;
}

static int broken_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        struct glue_instance *inst;
        int r;

        r = glue_call_new_instance(call, "Test_Broken", &inst);
        if (r < 0)
                return r;
        glue_instance_set_string(inst, "DeviceID", "b0");
        glue_instance_set_uint(inst, "Value", 7);
        glue_instance_set_uint(inst, "Uptime", 3600);
        r = glue_call_post(call, inst);
        if (r < 0)
                return r == -ECANCELED ? 0 : r;
        glue_call_log(call, LOG_WARNING, "the test device stopped answering");
        return -EIO;
}

/* Posted out of order, and named so that only a natural sort puts them right. */
static int fans_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        static const struct {
                const char *cls, *id, *chip;
                unsigned speed;
        } fans[] = {
                { "Test_CaseFan", "fan10", "nct6779", 900 },
                { "Test_Fan", "fan2", "nct6779", 1200 },
                { "Test_Pump", "pump1", "d5\x1b[31m", 3000 },
                { "Test_Fan", "fan1", "nct6779", 0 },
        };
        int r = 0;

        /* Files it could not read: counted per cause in the self-metrics. */
        glue_call_note_read_error(call, "/sys/class/hwmon/hwmon9/fan3_input", -EACCES);
        glue_call_note_read_error(call, "/sys/class/hwmon/hwmon9/fan4_input", -EACCES);
        glue_call_note_read_error(call, "/sys/class/hwmon/hwmon9/fan5_min", -EAGAIN);
        for (size_t i = 0; i < sizeof(fans) / sizeof(fans[0]) && r >= 0; i++) {
                struct glue_instance *inst;

                r = glue_call_new_instance(call, fans[i].cls, &inst);
                if (r < 0)
                        return r;
                glue_instance_set_string(inst, "DeviceID", fans[i].id);
                glue_instance_set_string(inst, "ChipName", fans[i].chip);
                glue_instance_set_string(inst, "NotALabel", "x");
                glue_instance_set_uint(inst, "Speed", fans[i].speed);
                glue_instance_set_uint(inst, "MinimumSpeed", 300);
                glue_instance_set_bool(inst, "Alarm", fans[i].speed == 0);
                if (strcmp(fans[i].cls, "Test_Pump") == 0)
                        glue_instance_set_string(inst, "Loop", "cpu");
                r = glue_call_post(call, inst);
        }
        return r == -ECANCELED ? 0 : r;
}

static int plain_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        __atomic_fetch_add(&export_test_plain_enumerated, 1, __ATOMIC_SEQ_CST);
        return 0;
}

static const struct glue_provider_ops disks_ops = {
        .size = sizeof(struct glue_provider_ops),
        .name = "test-disks",
        .enumerate = disks_enumerate,
};
static const struct glue_provider_ops sensors_ops = {
        .size = sizeof(struct glue_provider_ops),
        .name = "test-sensors",
        .enumerate = sensors_enumerate,
};
static const struct glue_provider_ops broken_ops = {
        .size = sizeof(struct glue_provider_ops),
        .name = "test-broken",
        .enumerate = broken_enumerate,
};
static const struct glue_provider_ops fans_ops = {
        .size = sizeof(struct glue_provider_ops),
        .name = "test-fans",
        .enumerate = fans_enumerate,
};
static const struct glue_provider_ops plain_ops = {
        .size = sizeof(struct glue_provider_ops),
        .name = "test-plain",
        .enumerate = plain_enumerate,
};

int export_test_context_new(struct glue_context **ret)
{
        const struct glue_provider_ops *const ops[] = { &disks_ops, &sensors_ops, &broken_ops,
                                                        &fans_ops, &plain_ops };
        struct glue_context *ctx;
        char *error = NULL;
        int r;

        r = glue_context_new(GLUE_CONTEXT_EMPTY, &ctx);
        if (r < 0)
                return r;
        r = glue_context_load_mof_file(ctx, EXPORT_TEST_MOF, &error);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", EXPORT_TEST_MOF, error ? error : glue_strerror(r));
                free(error);
                glue_context_unref(ctx);
                return r;
        }
        for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
                r = glue_context_register_provider(ctx, ops[i]);
                if (r < 0) {
                        glue_context_unref(ctx);
                        return r;
                }
        }
        *ret = ctx;
        return 0;
}

bool export_test_has_line(const char *text, const char *line)
{
        size_t len = strlen(line);

        for (const char *p = text; (p = strstr(p, line)); p++)
                if ((p == text || p[-1] == '\n') && p[len] == '\n')
                        return true;
        return false;
}

size_t export_test_count(const char *text, const char *needle)
{
        size_t n = 0;

        for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
                n++;
        return n;
}
