/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sensors provider against `sensors -j` (lm-sensors 3.6) on one tree, and the tree read two
 * ways: as /sys under umockdev's preload, and where it lies through the sysroot option.
 *   test-sensors-oracle shared ARCHIVE [CONF|defaultconf] [slash]   a tree of ../shared/fixtures
 *   test-sensors-oracle tree DIR [CONF|defaultconf] [slash]         one of the project's own
 * With no CONF the oracle is oracle/sensors-j.json (`sensors -c EMPTY.conf -j`); with CONF,
 * DIR/CONF and oracle/sensors-j-CONF.json (CONF without its .conf); with defaultconf, the
 * system's configuration and oracle/sensors-defaultconf-j.json. slash: UMOCKDEV_DIR and the
 * sysroot are spelled with a trailing '/'.
 *
 * The truth test: every subfeature value and every label that `sensors -j` prints, and every
 * chip's adapter, is compared with the property that carries it (README, "sensors -j field
 * by field"), read both ways; the share of fields that agree is printed and must be 100%.
 * What the provider does differently on purpose is listed with its reason and counted, not
 * skipped. Every sensor must be in the oracle, every instance read through the sysroot must be
 * the one read through umockdev, property by property, and each chip's device (SysfsPath,
 * PCIAddress, DeviceSubsystem, Driver) must be the tree's own.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sensors-oracle.h"
#include "sensors-test-util.h"
#include "test-util.h"
#include "umockdev-rerun.h"

static struct oracle oracle;
static struct glue_context *ctx, *ctx_sysroot;
static const char *tree;        /* the tree as /sys shows it: UMOCKDEV_DIR */
static char *sysroot;           /* the same, as the sysroot option */

/* One way of reading the tree. */
struct reading {
        const char *how;
        struct glue_context *ctx;
        struct instance_list sensors, chips;
};
static struct reading umockdev = { .how = "umockdev" }, through_sysroot = { .how = "sysroot" };

static void check_truth(struct reading *rd)
{
        struct oracle_truth t = { 0 };

        oracle_compare(&oracle, &rd->sensors, &rd->chips, rd->how, &t);
        oracle_truth_print(&t, rd->how);
        check(t.fields > 0);
        check_int_eq(t.agree, t.fields);
}

static void test_umockdev_is_the_truth(void)
{
        check_truth(&umockdev);
}

static void test_sysroot_is_the_truth(void)
{
        check_truth(&through_sysroot);
}

/* Read through the sysroot, every instance is the one read through umockdev's preload. */
static void check_same_lists(const struct instance_list *a, const struct instance_list *b)
{
        check_int_eq(a->n, b->n);
        for (size_t i = 0; i < a->n && i < b->n; i++) {
                char why[256] = "";
                const char *id = "?";

                (void)glue_instance_get_string(a->items[i], "DeviceID", &id);
                if (!instances_are_equal(a->items[i], b->items[i], why, sizeof(why))) {
                        fprintf(stderr, "%s: %s\n", id, why);
                        test_failures++;
                }
        }
}

static void test_sysroot_reads_what_umockdev_reads(void)
{
        check_same_lists(&umockdev.sensors, &through_sysroot.sensors);
        check_same_lists(&umockdev.chips, &through_sysroot.chips);
        printf("# %zu sensors and %zu chips alike both ways\n", umockdev.sensors.n,
               umockdev.chips.n);
}

/* The last component of tree/path/link's target, or "" (no such link). */
static void tree_link_name(const char *path, const char *link, char *buf, size_t size)
{
        char full[PATH_MAX * 2], target[PATH_MAX];
        ssize_t n;
        const char *base;

        snprintf(full, sizeof(full), "%s/%s/%s", tree, path, link);
        n = readlink(full, target, sizeof(target) - 1);
        buf[0] = '\0';
        if (n <= 0)
                return;
        target[n] = '\0';
        base = strrchr(target, '/');
        base = base ? base + 1 : target;
        if (strlen(base) < size)
                strcpy(buf, base);
}

static void check_string_is(struct glue_instance *chip, const char *name, const char *want)
{
        const char *got = NULL;
        int r = glue_instance_get_string(chip, name, &got);

        if (!want[0]) {
                check_int_eq(r, -ENODATA);
                return;
        }
        check_int_eq(r, 0);
        if (got && strcmp(got, want) != 0) {
                fprintf(stderr, "%s \"%s\", the tree says \"%s\"\n", name, got, want);
                test_failures++;
        }
}

/* Each chip's device is the tree's own: its path under /sys, its PCI function (the chip's name
 * holds its address), its subsystem and driver links. */
static void check_devices(const struct reading *rd, size_t *pci)
{
        for (size_t i = 0; i < rd->chips.n; i++) {
                struct glue_instance *chip = rd->chips.items[i];
                const char *name = NULL, *sysfs = NULL, *address = NULL, *at;
                char subsystem[256], driver[256];
                unsigned domain, bus, dev, fn, addr;

                check_int_eq(glue_instance_get_string(chip, "DeviceID", &name), 0);
                if (glue_instance_get_string(chip, "SysfsPath", &sysfs) < 0 || !sysfs)
                        continue; /* a virtual chip */
                check(strncmp(sysfs, "/sys/", 5) == 0);
                tree_link_name(sysfs, "subsystem", subsystem, sizeof(subsystem));
                tree_link_name(sysfs, "driver", driver, sizeof(driver));
                check_string_is(chip, "DeviceSubsystem", subsystem);
                check_string_is(chip, "Driver", driver);
                if (!name || !strstr(name, "-pci-"))
                        continue;
                (*pci)++;
                /* The name's address is domain << 16 | bus << 8 | device << 3 | function. */
                check_int_eq(glue_instance_get_string(chip, "PCIAddress", &address), 0);
                if (!address)
                        continue;
                check_int_eq(sscanf(address, "%x:%x:%x.%x", &domain, &bus, &dev, &fn), 4);
                check_int_eq(sscanf(strstr(name, "-pci-") + 5, "%x", &addr), 1);
                check_int_eq(addr, (domain << 16) + (bus << 8) + (dev << 3) + fn);
                /* the device is the PCI function, or sits on it (nvme/nvme0) */
                at = strstr(sysfs, address);
                check(at && at[-1] == '/' && (at[strlen(address)] == '/' ||
                                              at[strlen(address)] == '\0'));
                check(driver[0] != '\0' || !strcmp(subsystem, "nvme"));
        }
}

static void test_devices_are_the_trees(void)
{
        size_t pci = 0;

        check_devices(&umockdev, &pci);
        check_devices(&through_sysroot, &pci);
        printf("# %zu PCI chips' devices checked (both ways)\n", pci);
}

static void check_strings(const struct instance_list *list)
{
        for (size_t i = 0; i < list->n; i++) {
                const struct glue_class *cls = glue_instance_get_class(list->items[i]);

                for (size_t j = 0; j < glue_class_get_property_count(cls); j++) {
                        const struct glue_value *v;

                        if (glue_instance_get_value_at(list->items[i], j, &v) < 0 ||
                            !glue_type_is_string(v->type) || v->is_array)
                                continue;
                        if (!string_is_clean(v->v.str)) {
                                fprintf(stderr, "%s is not a clean string\n",
                                        glue_property_get_name(glue_class_get_property(cls, j)));
                                test_failures++;
                        }
                }
        }
}

static void test_strings_are_clean(void)
{
        check_strings(&umockdev.sensors);
        check_strings(&umockdev.chips);
}

static void check_get(struct glue_request *req, const char *cls, const char *id,
                      struct glue_instance *expected)
{
        struct glue_instance *got = NULL;
        char path[600];
        double a, b;
        int r;

        snprintf(path, sizeof(path), "%s.DeviceID=\"%s\"", cls, id);
        r = glue_request_get(req, path, &got);
        if (r < 0) {
                fprintf(stderr, "get %s: %s\n", path, glue_strerror(r));
                test_failures++;
                return;
        }
        check_str_eq(glue_class_get_name(glue_instance_get_class(got)),
                     glue_class_get_name(glue_instance_get_class(expected)));
        if (instance_get_number(expected, "Reading", &a) == 0)
                check(instance_get_number(got, "Reading", &b) == 0 && oracle_same_number(a, b));
        glue_instance_unref(got);
}

static void check_get_by_key(struct reading *rd)
{
        static const char *const bad_keys[] = {
                "Linux_Sensor.DeviceID=\"../x\"", "Linux_Sensor.DeviceID=\"*-isa-*/temp1\"",
                "Linux_Sensor.DeviceID=\"nosuchchip-isa-0000/temp1\"",
                "Linux_Sensor.DeviceID=\"a/b/c\"", "Linux_Sensor.DeviceID=\"\"",
        };
        struct glue_request *req = NULL;
        struct glue_instance *got = NULL;
        const char *id;

        check_int_eq(glue_request_new(rd->ctx, &req), 0);
        for (size_t i = 0; i < rd->sensors.n; i++)
                if (glue_instance_get_string(rd->sensors.items[i], "DeviceID", &id) == 0)
                        check_get(req, "Linux_Sensor", id, rd->sensors.items[i]);
        for (size_t i = 0; i < rd->chips.n; i++)
                if (glue_instance_get_string(rd->chips.items[i], "DeviceID", &id) == 0)
                        check_get(req, "Linux_SensorChip", id, rd->chips.items[i]);
        for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++)
                check_int_eq(glue_request_get(req, bad_keys[i], &got), -ENOENT);
        if (rd->sensors.n > 0 &&
            glue_instance_get_string(rd->sensors.items[0], "DeviceID", &id) == 0) {
                char path[600], feature[300];

                /* the sensor's key asked of the chip class, and of the chip with no such feature */
                snprintf(path, sizeof(path), "Linux_SensorChip.DeviceID=\"%s\"", id);
                check_int_eq(glue_request_get(req, path, &got), -ENOENT);
                snprintf(feature, sizeof(feature), "%s", id);
                *strchr(feature, '/') = '\0';
                snprintf(path, sizeof(path), "Linux_Sensor.DeviceID=\"%s/temp999\"", feature);
                check_int_eq(glue_request_get(req, path, &got), -ENOENT);
        }
        glue_request_unref(req);
}

static void test_get_by_key(void)
{
        check_get_by_key(&umockdev);
        check_get_by_key(&through_sysroot);
}

static void test_selected_properties(void)
{
        static const char *const wanted[] = { "Reading" };
        struct instance_list some;
        const char *label;

        check_int_eq(sensors_test_collect(ctx, "Linux_Sensor", wanted, 1, &some), 0);
        check_int_eq(some.n, umockdev.sensors.n);
        for (size_t i = 0; i < some.n; i++) {
                const char *id;
                struct glue_instance *full;
                double a, b;

                check_int_eq(glue_instance_get_string(some.items[i], "Label", &label), -ENOENT);
                if (glue_instance_get_string(some.items[i], "DeviceID", &id) < 0)
                        continue;
                full = instance_list_find(&umockdev.sensors, id);
                check(full != NULL);
                if (full && instance_get_number(full, "Reading", &a) == 0)
                        check(instance_get_number(some.items[i], "Reading", &b) == 0 &&
                              oracle_same_number(a, b));
        }
        instance_list_free(&some);
}

static int read_both_ways(const char *config)
{
        struct reading *rds[] = { &umockdev, &through_sysroot };
        int r;

        ctx = sensors_test_context(config);
        ctx_sysroot = sensors_test_context(config);
        if (!ctx || !ctx_sysroot ||
            glue_context_set_option(ctx_sysroot, "sysroot", sysroot) < 0)
                return -ENOMEM;
        umockdev.ctx = ctx;
        through_sysroot.ctx = ctx_sysroot;
        for (size_t i = 0; i < 2; i++) {
                r = sensors_test_collect(rds[i]->ctx, "Linux_Sensor", NULL, 0, &rds[i]->sensors);
                if (r == 0)
                        r = sensors_test_collect(rds[i]->ctx, "Linux_SensorChip", NULL, 0,
                                                 &rds[i]->chips);
                if (r != 0) {
                        fprintf(stderr, "%s: enumerate: %d\n", rds[i]->how, r);
                        return r < 0 ? r : -EIO;
                }
        }
        return 0;
}

int main(int argc, char **argv)
{
        static const char *const names[] = { "umockdev_is_the_truth", "sysroot_is_the_truth",
                                             "sysroot_reads_what_umockdev_reads",
                                             "devices_are_the_trees", "strings_are_clean",
                                             "get_by_key", "selected_properties" };
        static const test_fn fns[] = { test_umockdev_is_the_truth, test_sysroot_is_the_truth,
                                       test_sysroot_reads_what_umockdev_reads,
                                       test_devices_are_the_trees, test_strings_are_clean,
                                       test_get_by_key, test_selected_properties };
        char *dir = NULL, *oracle_path = NULL, *umockdev_file = NULL, *config = NULL, *text;
        char *rerun_dir = NULL;
        bool slash = false, defaultconf = false;
        const char *conf = NULL;
        int r;

        if (argc < 3 || (strcmp(argv[1], "shared") != 0 && strcmp(argv[1], "tree") != 0)) {
                fprintf(stderr, "usage: %s shared ARCHIVE | tree DIR [CONF|defaultconf] [slash]\n",
                        argv[0]);
                return 2;
        }
        for (int i = 3; i < argc; i++) {
                if (strcmp(argv[i], "slash") == 0)
                        slash = true;
                else if (strcmp(argv[i], "defaultconf") == 0)
                        defaultconf = true;
                else
                        conf = argv[i];
        }
        if (strcmp(argv[1], "shared") == 0) {
                dir = test_shared_fixture_dir(argv[2]);
                if (!dir)
                        test_skip("fixture archive not unpacked");
        } else {
                /* UMOCKDEV_DIR must be absolute */
                dir = realpath(argv[2], NULL);
                if (!dir) {
                        perror(argv[2]);
                        return 1;
                }
        }
        if (conf) {
                size_t len = strlen(conf);

                if (len > 5 && strcmp(conf + len - 5, ".conf") == 0)
                        len -= 5;
                if (asprintf(&config, "%s/%s", dir, conf) < 0 ||
                    asprintf(&oracle_path, "%s/oracle/sensors-j-%.*s.json", dir, (int)len,
                             conf) < 0)
                        return 1;
        } else if (asprintf(&oracle_path, "%s/oracle/sensors-%sj.json", dir,
                            defaultconf ? "defaultconf-" : "") < 0) {
                return 1;
        }
        /* Trees that libsensors reads in place have sensors-j.json; procfs has its hwmon only
         * in its .umockdev description, which umockdev-run makes into a tree of its own. */
        if (access(oracle_path, R_OK) < 0) {
                free(oracle_path);
                if (asprintf(&oracle_path, "%s/oracle/sensors-umockdevfile-j.json", dir) < 0 ||
                    asprintf(&umockdev_file, "%s/devices.umockdev", dir) < 0)
                        return 1;
        }
        if (asprintf(&rerun_dir, "%s%s", dir, slash ? "/" : "") < 0)
                return 1;
        r = umockdev_rerun(argv, umockdev_file ? NULL : rerun_dir, umockdev_file);
        if (r >= 0) {
                free(dir);
                free(rerun_dir);
                free(oracle_path);
                free(umockdev_file);
                free(config);
                return r;
        }

        tree = getenv("UMOCKDEV_DIR");
        if (!tree || asprintf(&sysroot, "%s%s", tree,
                              slash && tree[strlen(tree) - 1] != '/' ? "/" : "") < 0)
                return 1;
        text = test_read_file(oracle_path, NULL);
        if (!text) {
                fprintf(stderr, "cannot read %s\n", oracle_path);
                return 1;
        }
        if (oracle_parse(text, &oracle) < 0)
                return 1;
        printf("# %s: %zu chips, %zu features in the oracle; the sysroot %s\n", dir,
               oracle.n_chips, oracle.n_features, sysroot);
        /* as the oracle was made: sensors -c EMPTY.conf, -c CONF, or the system's */
        if (read_both_ways(defaultconf ? NULL : config ? config : "") < 0)
                return 1;
        r = test_run(names, fns, sizeof(fns) / sizeof(fns[0]));
        instance_list_free(&umockdev.sensors);
        instance_list_free(&umockdev.chips);
        instance_list_free(&through_sysroot.sensors);
        instance_list_free(&through_sysroot.chips);
        glue_context_unref(ctx);
        glue_context_unref(ctx_sysroot);
        oracle_free(&oracle);
        free(text);
        free(dir);
        free(rerun_dir);
        free(sysroot);
        free(oracle_path);
        free(umockdev_file);
        free(config);
        return r;
}
