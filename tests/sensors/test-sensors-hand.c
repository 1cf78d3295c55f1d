/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sensors provider on the hand-made tree (trees/hand): the CIM form, an unreadable input, a
 * fault flag, the device a chip belongs to, and sensors.conf: labels and computes, a file that
 * does not parse (which must not end the process, nor print), a file that is not there, and two
 * contexts with different configurations in one process.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sensors-test-util.h"
#include "test-util.h"
#include "umockdev-rerun.h"

static char *tree;

static char *tree_file(const char *name)
{
        char *path = NULL;

        if (asprintf(&path, "%s/%s", tree, name) < 0)
                return NULL;
        return path;
}

static struct glue_instance *get(struct glue_context *ctx, const char *path)
{
        struct glue_request *req = NULL;
        struct glue_instance *inst = NULL;
        int r;

        if (glue_request_new(ctx, &req) < 0)
                return NULL;
        r = glue_request_get(req, path, &inst);
        if (r < 0)
                fprintf(stderr, "get %s: %s\n", path, glue_strerror(r));
        glue_request_unref(req);
        return r < 0 ? NULL : inst;
}

static void check_number(struct glue_instance *inst, const char *name, double expected)
{
        double got = NAN;
        int r = instance_get_number(inst, name, &got);

        if (r < 0 || fabs(got - expected) > 1e-9 * (1 + fabs(expected))) {
                fprintf(stderr, "%s = %g (r=%d), expected %g\n", name, got, r, expected);
                test_failures++;
        }
}

static void check_string(struct glue_instance *inst, const char *name, const char *expected)
{
        const char *got = NULL;

        if (expected) {
                check_int_eq(glue_instance_get_string(inst, name, &got), 0);
                check_str_eq(got, expected);
        } else {
                check_int_eq(glue_instance_get_string(inst, name, &got), -ENODATA);
        }
}

static void test_cim_form(void)
{
        struct glue_context *ctx = sensors_test_context("");
        struct glue_instance *temp, *energy;
        const struct glue_value *v;
        double reading, current, modifier;

        temp = get(ctx, "Linux_Sensor.DeviceID=\"testgpu-pci-0300/temp1\"");
        check(temp != NULL);
        if (temp) {
                check_str_eq(glue_class_get_name(glue_instance_get_class(temp)),
                             "Linux_TemperatureSensor");
                check_number(temp, "SensorType", 2);
                check_number(temp, "BaseUnits", 2);
                check_number(temp, "UnitModifier", -3);
                check_number(temp, "CurrentReading", 60000);
                check_number(temp, "LowerThresholdCritical", -10000);
                check_number(temp, "UpperThresholdFatal", 110000);
                check_number(temp, "TemperatureType", 3);
                check_int_eq(glue_instance_get_value(temp, "SupportedThresholds", &v), 0);
                check(v && v->is_array && v->count == 2 && v->v.u_array[0] == 2 &&
                      v->v.u_array[1] == 5);
        }
        /* 123456.789012 J is more microjoules than a sint32 holds: a coarser modifier */
        energy = get(ctx, "Linux_Sensor.DeviceID=\"testgpu-pci-0300/energy1\"");
        check(energy != NULL);
        if (energy) {
                check_number(energy, "Reading", 123456.789012);
                check_number(energy, "SensorType", 1);
                check_string(energy, "OtherSensorTypeDescription", "Energy");
                check_number(energy, "BaseUnits", 8);
                check_int_eq(instance_get_number(energy, "UnitModifier", &modifier), 0);
                check_int_eq(instance_get_number(energy, "CurrentReading", &current), 0);
                check_int_eq(instance_get_number(energy, "Reading", &reading), 0);
                check(modifier > -6 && modifier <= -2);
                check(fabs(current * pow(10, modifier) - reading) <= pow(10, modifier));
        }
        glue_instance_unref(temp);
        glue_instance_unref(energy);
        glue_context_unref(ctx);
}

static void test_unreadable_input_and_fault(void)
{
        struct glue_context *ctx = sensors_test_context("");
        struct glue_instance *temp3, *fan1, *temp1;
        const char *why = NULL;
        double v;

        temp3 = get(ctx, "Linux_Sensor.DeviceID=\"coretemp-isa-0000/temp3\"");
        check(temp3 != NULL);
        if (temp3) {
                check_int_eq(instance_get_number(temp3, "Reading", &v), -ENODATA);
                check_int_eq(instance_get_number(temp3, "CurrentReading", &v), -ENODATA);
                check_number(temp3, "Critical", 100);
                check(instance_has_status(temp3, 6));
                check_int_eq(glue_instance_get_string(temp3, "ReadError", &why), 0);
                check(why && strstr(why, "temp3_input") && strstr(why, "empty"));
        }
        fan1 = get(ctx, "Linux_FanSensor.DeviceID=\"testgpu-pci-0300/fan1\"");
        check(fan1 != NULL);
        if (fan1) {
                check_number(fan1, "Reading", 1200);
                check_number(fan1, "Fault", 1);
                check(instance_has_status(fan1, 6));
                check_int_eq(glue_instance_get_string(fan1, "ReadError", &why), 0);
        }
        temp1 = get(ctx, "Linux_Sensor.DeviceID=\"coretemp-isa-0000/temp1\"");
        check(temp1 && instance_has_status(temp1, 2));
        if (temp1)
                check_string(temp1, "ReadError", NULL);
        glue_instance_unref(temp3);
        glue_instance_unref(fan1);
        glue_instance_unref(temp1);
        glue_context_unref(ctx);
}

/* The file that could not be read is counted for the caller, by cause, with its path. */
static void test_unreadable_files_are_counted(void)
{
        struct glue_context *ctx = sensors_test_context("");
        struct glue_instance **list = NULL;
        struct glue_request *req = NULL;
        struct glue_read_error e = { 0 };
        size_t n = 0;
        bool found = false;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_collect(req, "Linux_Sensor", &list, &n), 0);
        for (size_t i = 0; i < glue_request_get_read_error_count(req); i++) {
                check_int_eq(glue_request_get_read_error(req, i, &e), 0);
                if (e.error != -ENODATA)
                        continue;
                found = true;
                check_int_eq(e.count, 1);
                check(e.example && strcmp(e.example, "/sys/class/hwmon/hwmon0/temp3_input") == 0);
                check_str_eq(e.provider, "sensors");
                printf("# %llu unreadable: %s, e.g. %s\n", (unsigned long long)e.count,
                       strerror(-e.error), e.example ? e.example : "?");
        }
        check(found);
        glue_instance_list_free(list, n);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static void test_device_ties(void)
{
        struct glue_context *ctx = sensors_test_context("");
        struct glue_instance *disk, *gpu, *virt, *intrusion;

        disk = get(ctx, "Linux_SensorChip.DeviceID=\"drivetemp-scsi-0-0\"");
        gpu = get(ctx, "Linux_SensorChip.DeviceID=\"testgpu-pci-0300\"");
        virt = get(ctx, "Linux_SensorChip.DeviceID=\"testvirt-virtual-0\"");
        intrusion = get(ctx, "Linux_Sensor.DeviceID=\"testvirt-virtual-0/intrusion0\"");
        check(disk && gpu && virt && intrusion);
        if (disk) {
                /* the disk, whose block/sda ties the reading to the disk; and its SATA host */
                check_string(disk, "SysfsPath",
                             "/sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0");
                check_string(disk, "PCIAddress", "0000:00:17.0");
                check_string(disk, "DeviceSubsystem", "scsi");
                check_string(disk, "Driver", "sd");
                check_string(disk, "BusType", "SCSI");
        }
        if (gpu) {
                check_string(gpu, "SysfsPath", "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0");
                check_string(gpu, "PCIAddress", "0000:03:00.0");
                check_string(gpu, "DeviceSubsystem", "pci");
                check_string(gpu, "Driver", "testgpu");
                check_string(gpu, "HwmonPath",
                             "/sys/devices/pci0000:00/0000:00:01.0/0000:03:00.0/hwmon/hwmon1");
                check_number(gpu, "SensorCount", 7);
        }
        if (virt) {
                check_string(virt, "SysfsPath", NULL);
                check_string(virt, "PCIAddress", NULL);
                check_number(virt, "BeepEnabled", 1);
                check_number(virt, "SensorCount", 2);
        }
        if (intrusion) {
                check_str_eq(glue_class_get_name(glue_instance_get_class(intrusion)),
                             "Linux_IntrusionSensor");
                check_number(intrusion, "Alarm", 1);
                check_string(intrusion, "CurrentState", "Intrusion detected");
        }
        glue_instance_unref(disk);
        glue_instance_unref(gpu);
        glue_instance_unref(virt);
        glue_instance_unref(intrusion);
        glue_context_unref(ctx);
}

static void test_get_of_another_kind(void)
{
        struct glue_context *ctx = sensors_test_context("");
        struct glue_request *req = NULL;
        struct glue_instance *inst = NULL;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_get(req, "Linux_FanSensor.DeviceID=\"coretemp-isa-0000/temp1\"",
                                      &inst), -ENOENT);
        check_int_eq(glue_request_get(req, "Linux_Sensor.DeviceID=\"coretemp-isa-0000\"", &inst),
                     -ENOENT);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static void test_labels_after_config(void)
{
        char *conf = tree_file("labels.conf");
        struct glue_context *ctx = sensors_test_context(conf);
        struct instance_list list;
        struct glue_instance *temp1;

        check_int_eq(sensors_test_collect(ctx, "Linux_Sensor", NULL, 0, &list), 0);
        /* ignore temp2 */
        check(instance_list_find(&list, "coretemp-isa-0000/temp2") == NULL);
        check(instance_list_find(&list, "coretemp-isa-0000/temp3") != NULL);
        temp1 = instance_list_find(&list, "coretemp-isa-0000/temp1");
        check(temp1 != NULL);
        if (temp1) {
                check_string(temp1, "Label", "CPU package");
                /* compute temp1 @*2, @/2 applies to the input and the limits */
                check_number(temp1, "Reading", 90);
                check_number(temp1, "Maximum", 160);
        }
        instance_list_free(&list);
        glue_context_unref(ctx);
        free(conf);
}

/* Run an enumeration with stderr going to a file; return what was printed (owned). */
static char *enumerate_capturing_stderr(struct glue_context *ctx, int *ret, size_t *ret_count,
                                        struct glue_provider_status *status, char **message)
{
        char path[] = "/tmp/hwglue-sensors-stderr-XXXXXX";
        struct glue_request *req = NULL;
        struct glue_instance **items = NULL;
        int fd = mkstemp(path), saved;
        char *printed;

        fflush(stderr);
        saved = dup(2);
        dup2(fd, 2);
        glue_request_new(ctx, &req);
        *ret = glue_request_collect(req, "Linux_Sensor", &items, ret_count);
        fflush(stderr);
        dup2(saved, 2);
        close(saved);
        close(fd);
        *message = NULL;
        if (glue_request_get_provider_status(req, 0, status) == 0 && status->message)
                *message = strdup(status->message);
        glue_instance_list_free(items, *ret_count);
        glue_request_unref(req);
        printed = test_read_file(path, NULL);
        unlink(path);
        return printed;
}

static void test_malformed_config(void)
{
        char *conf = tree_file("malformed.conf");
        struct glue_context *ctx = sensors_test_context(conf);
        struct glue_provider_status status;
        char *printed, *message;
        size_t count = 0;
        int r;

        /* libsensors' default hooks print, and its fatal one exits: ours do neither */
        printed = enumerate_capturing_stderr(ctx, &r, &count, &status, &message);
        check_int_eq(r, 0);
        check_int_eq(count, 13);
        check(printed && printed[0] == '\0');
        check(message && strstr(message, "malformed.conf:2:"));
        if (printed && printed[0])
                fprintf(stderr, "printed: %s\n", printed);
        if (message)
                printf("# %s\n", message);
        free(printed);
        free(message);
        glue_context_unref(ctx);
        free(conf);
}

static void test_missing_config(void)
{
        struct glue_context *ctx = sensors_test_context("/nonexistent/sensors.conf");
        struct glue_provider_status status;
        char *printed, *message;
        size_t count = 0;
        int r;

        printed = enumerate_capturing_stderr(ctx, &r, &count, &status, &message);
        check_int_eq(r, 0);
        check_int_eq(count, 13);
        check(message && strstr(message, "/nonexistent/sensors.conf") &&
              strstr(message, strerror(ENOENT)));
        check(printed && printed[0] == '\0');
        free(printed);
        free(message);
        glue_context_unref(ctx);
}

static void test_two_configs_in_one_process(void)
{
        char *conf = tree_file("labels.conf");
        struct glue_context *with = sensors_test_context(conf), *without = sensors_test_context("");
        const char *const want[] = { "Label" };

        /* libsensors holds one configuration per process: each context gets its own anyway */
        for (int round = 0; round < 2; round++) {
                struct instance_list a, b;
                struct glue_instance *ia, *ib;

                check_int_eq(sensors_test_collect(with, "Linux_TemperatureSensor", want, 1, &a), 0);
                check_int_eq(sensors_test_collect(without, "Linux_TemperatureSensor", want, 1, &b),
                             0);
                ia = instance_list_find(&a, "coretemp-isa-0000/temp1");
                ib = instance_list_find(&b, "coretemp-isa-0000/temp1");
                check(ia && ib);
                if (ia)
                        check_string(ia, "Label", "CPU package");
                if (ib)
                        check_string(ib, "Label", "Package id 0");
                check_int_eq(b.n, a.n + 1); /* temp2 is ignored by labels.conf */
                instance_list_free(&a);
                instance_list_free(&b);
        }
        glue_context_unref(with);
        glue_context_unref(without);
        free(conf);
}

/* A copy of the tree, as a sysroot that is not the /sys umockdev shows (so libsensors cannot
 * read it): owned path, or NULL. */
static char *copy_tree(void)
{
        char tmp[] = "/tmp/hwglue-sensors-hand-XXXXXX", cmd[PATH_MAX * 3];

        if (!mkdtemp(tmp))
                return NULL;
        snprintf(cmd, sizeof(cmd), "env -u LD_PRELOAD cp -a '%s/sys' '%s/'", tree, tmp);
        if (system(cmd) != 0)
                return NULL;
        return strdup(tmp);
}

static void remove_tree(const char *dir)
{
        char cmd[PATH_MAX + 64];

        snprintf(cmd, sizeof(cmd), "env -u LD_PRELOAD rm -rf '%s'", dir);
        check_int_eq(system(cmd), 0);
}

/* The sensors of a context (*ret_ctx: owned, it holds the instances' classes). */
static int collect_sysroot(const char *sysroot, const char *config, struct glue_context **ret_ctx,
                           struct instance_list *ret, struct glue_provider_status *ret_status)
{
        struct glue_context *ctx = sensors_test_context(config);
        struct glue_request *req = NULL;
        int r;

        *ret = (struct instance_list){ 0 };
        *ret_ctx = ctx;
        if (!ctx)
                return -ENOMEM;
        if (sysroot)
                glue_context_set_option(ctx, "sysroot", sysroot);
        r = glue_request_new(ctx, &req);
        if (r == 0)
                r = glue_request_collect(req, "Linux_Sensor", &ret->items, &ret->n);
        if (r >= 0 && ret_status && glue_request_get_provider_status(req, 0, ret_status) == 0 &&
            ret_status->message)
                ret_status->message = strdup(ret_status->message);
        glue_request_unref(req);
        return r;
}

/* Under a sysroot that libsensors cannot read, a configuration the provider reads exactly is
 * applied by it: what comes is what comes through /sys. A configuration it does not read
 * exactly (a bus statement) leaves the chips that its statements may touch to libsensors:
 * they are named and not served, the others come, and the call says it is partial. */
static void test_sysroot_without_libsensors(void)
{
        char *copy = copy_tree(), *labels = tree_file("labels.conf"), *computes = NULL;
        FILE *f;
        struct glue_context *ctx_root = NULL, *ctx_sysroot = NULL;
        struct instance_list root, sysroot;
        struct glue_provider_status st = { 0 };
        char why[256];
        bool coretemp = false, others = false;

        check(copy && labels);
        if (!copy || !labels || asprintf(&computes, "%s/bus.conf", copy) < 0 ||
            !(f = fopen(computes, "we")))
                goto out;
        fputs("chip \"coretemp-isa-*\"\n    label temp1 \"CPU package\"\n"
              "bus \"i2c-0\" \"an adapter that is not there\"\n", f);
        check_int_eq(fclose(f), 0);
        check_int_eq(collect_sysroot(NULL, labels, &ctx_root, &root, NULL), 0);
        check_int_eq(collect_sysroot(copy, labels, &ctx_sysroot, &sysroot, NULL), 0);
        check_int_eq(sysroot.n, root.n);
        for (size_t i = 0; i < root.n && i < sysroot.n; i++)
                if (!instances_are_equal(root.items[i], sysroot.items[i], why, sizeof(why))) {
                        fprintf(stderr, "labels.conf under the sysroot: %s\n", why);
                        test_failures++;
                }
        instance_list_free(&root);
        instance_list_free(&sysroot);
        glue_context_unref(ctx_root);
        glue_context_unref(ctx_sysroot);

        check_int_eq(collect_sysroot(copy, computes, &ctx_sysroot, &sysroot, &st), 1);
        check_int_eq(st.error, -EOPNOTSUPP);
        check(st.message && strstr(st.message, "1 chip not read under this sysroot "
                                                "(coretemp-isa-0000)") &&
              strstr(st.message, "bus.conf:3: a bus statement"));
        printf("# %s\n", st.message ? st.message : "(no message)");
        for (size_t i = 0; i < sysroot.n; i++) {
                const char *id = NULL;

                (void)glue_instance_get_string(sysroot.items[i], "DeviceID", &id);
                coretemp |= id && strncmp(id, "coretemp-", 9) == 0;
                others |= id && strncmp(id, "testgpu-", 8) == 0;
        }
        check(!coretemp && others);
        instance_list_free(&sysroot);
        glue_context_unref(ctx_sysroot);
        free((char *)st.message);
out:
        if (copy)
                remove_tree(copy);
        free(copy);
        free(labels);
        free(computes);
}

int main(int argc, char **argv)
{
        static const char *const names[] = {
                "cim_form", "unreadable_input_and_fault", "unreadable_files_are_counted",
                "device_ties", "get_of_another_kind",
                "labels_after_config", "malformed_config", "missing_config",
                "two_configs_in_one_process", "sysroot_without_libsensors",
        };
        static const test_fn fns[] = {
                test_cim_form, test_unreadable_input_and_fault,
                test_unreadable_files_are_counted, test_device_ties,
                test_get_of_another_kind, test_labels_after_config, test_malformed_config,
                test_missing_config, test_two_configs_in_one_process,
                test_sysroot_without_libsensors,
        };
        const char *source = getenv("HWGLUE_SOURCE_DIR");
        char dir[PATH_MAX];
        int r;

        snprintf(dir, sizeof(dir), "%s/tests/sensors/trees/hand", source ? source : ".");
        tree = realpath(dir, NULL);
        if (!tree) {
                perror(dir);
                return 1;
        }
        /* for the ASan build: libsensors' own leak on the malformed file */
        snprintf(dir, sizeof(dir), "suppressions=%s/tests/sensors/lsan-libsensors.supp",
                 source ? source : ".");
        if (!getenv("LSAN_OPTIONS"))
                setenv("LSAN_OPTIONS", dir, 1);
        r = umockdev_rerun(argv, tree, NULL);
        if (r < 0)
                r = test_run(names, fns, sizeof(fns) / sizeof(fns[0]));
        free(tree);
        return r;
}
