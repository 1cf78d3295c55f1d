/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sensors provider against `sensors -j` (lm-sensors 3.6, empty configuration) on one tree:
 *   test-sensors-oracle shared ARCHIVE   a tree of ../shared/fixtures (skips where absent)
 *   test-sensors-oracle tree DIR         one of the project's own trees
 *   test-sensors-oracle tree DIR CONF     the same under DIR/CONF, against oracle/sensors-j-CONF
 *                                        (`sensors -c CONF -j`, CONF without its .conf)
 * Every feature the oracle lists is a sensor with the same values and thresholds (compared as
 * numbers), its label comes out as a clean string, and every sensor is in the oracle.
 */
#include <errno.h>
#include <inttypes.h>
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
static struct glue_context *ctx;
static struct instance_list sensors, chips;

/* The property each subfeature suffix must fill, written out here apart from the provider's
 * table so that a slip in one does not hide in the other. */
static const struct {
        const char *suffix, *property;
} expected_properties[] = {
        { "input", "Reading" }, { "average", "Average" }, { "lowest", "Lowest" },
        { "highest", "Highest" }, { "input_lowest", "Lowest" }, { "input_highest", "Highest" },
        { "min", "Minimum" }, { "max", "Maximum" }, { "lcrit", "LowCritical" },
        { "crit", "Critical" }, { "emergency", "Emergency" },
        { "min_hyst", "MinimumHysteresis" }, { "max_hyst", "MaximumHysteresis" },
        { "lcrit_hyst", "LowCriticalHysteresis" }, { "crit_hyst", "CriticalHysteresis" },
        { "emergency_hyst", "EmergencyHysteresis" }, { "alarm", "Alarm" },
        { "min_alarm", "MinimumAlarm" }, { "max_alarm", "MaximumAlarm" },
        { "lcrit_alarm", "LowCriticalAlarm" }, { "crit_alarm", "CriticalAlarm" },
        { "emergency_alarm", "EmergencyAlarm" }, { "fault", "Fault" }, { "beep", "Beep" },
        { "type", "TemperatureType" }, { "offset", "Offset" }, { "div", "Divisor" },
        { "pulses", "Pulses" }, { "cap", "Cap" }, { "cap_hyst", "CapHysteresis" },
        { "cap_alarm", "CapAlarm" }, { "average_lowest", "AverageLowest" },
        { "average_highest", "AverageHighest" }, { "average_interval", "AverageInterval" },
};

static const char *property_for(const char *suffix)
{
        for (size_t i = 0; i < sizeof(expected_properties) / sizeof(expected_properties[0]); i++)
                if (strcmp(expected_properties[i].suffix, suffix) == 0)
                        return expected_properties[i].property;
        return NULL;
}

/* "temp1_max_hyst" -> "temp1" and "max_hyst"; "cpu0_vid" is a feature of its own. */
static void split_subfeature(const char *name, char *feature, size_t size, const char **suffix)
{
        unsigned n;
        char tail[8];
        const char *us = strchr(name, '_');

        if (sscanf(name, "cpu%u_vi%7s", &n, tail) == 2 && strcmp(tail, "d") == 0) {
                snprintf(feature, size, "%s", name);
                *suffix = "input";
                return;
        }
        snprintf(feature, size, "%.*s", us ? (int)(us - name) : (int)strlen(name), name);
        *suffix = us ? us + 1 : "";
}

static bool same_number(double got, double expected)
{
        /* sensors prints three decimals. */
        return fabs(got - expected) <= 0.0005 + 1e-9 * fabs(expected);
}

static bool is_sensor_of_chip(struct glue_instance *inst, const char *chip)
{
        const char *name;

        return glue_instance_get_string(inst, "ChipName", &name) == 0 && strcmp(name, chip) == 0;
}

/* An oracle feature with no value: every read failed. It is a sensor with that label, a NULL
 * reading and a status that says why. */
static struct glue_instance *check_unreadable_feature(const struct oracle_feature *f,
                                                      const char *chip, const char *label)
{
        for (size_t i = 0; i < sensors.n; i++) {
                struct glue_instance *inst = sensors.items[i];
                const char *got_label, *why;
                double v;

                if (!is_sensor_of_chip(inst, chip) ||
                    glue_instance_get_string(inst, "Label", &got_label) < 0 ||
                    strcmp(got_label, label) != 0)
                        continue;
                if (instance_get_number(inst, "Reading", &v) != -ENODATA)
                        continue;
                check(instance_has_status(inst, 6));
                check(glue_instance_get_string(inst, "ReadError", &why) == 0 && why[0]);
                return inst;
        }
        fprintf(stderr, "%s: no sensor labelled \"%s\" with a NULL reading\n", chip, label);
        test_failures++;
        return NULL;
}

static void test_sensors_match_oracle(void)
{
        bool *matched = calloc(sensors.n + 1, sizeof(bool));
        size_t expected_sensors = 0, values = 0;

        check(matched != NULL);
        for (size_t i = 0; matched && i < oracle.n_features; i++) {
                const struct oracle_feature *f = &oracle.features[i];
                const char *chip = oracle.chips[f->chip].name, *suffix, *got_label;
                char feature[128], key[512], *label = expected_label(f->label);
                struct glue_instance *inst;

                if (f->n_subfeatures > 0 && strcmp(f->subfeatures[0].name, "beep_enable") == 0) {
                        free(label);
                        continue; /* a chip property, checked with the chips */
                }
                expected_sensors++;
                if (f->n_subfeatures == 0) {
                        inst = check_unreadable_feature(f, chip, label);
                } else {
                        split_subfeature(f->subfeatures[0].name, feature, sizeof(feature), &suffix);
                        snprintf(key, sizeof(key), "%s/%s", chip, feature);
                        inst = instance_list_find(&sensors, key);
                        if (!inst) {
                                fprintf(stderr, "no sensor %s\n", key);
                                test_failures++;
                        }
                }
                if (inst) {
                        for (size_t j = 0; j < sensors.n; j++)
                                if (sensors.items[j] == inst)
                                        matched[j] = true;
                        check(glue_instance_get_string(inst, "Label", &got_label) == 0);
                        if (got_label && strcmp(got_label, label) != 0) {
                                fprintf(stderr, "%s/%s: label \"%s\", expected \"%s\"\n", chip,
                                        feature, got_label, label);
                                test_failures++;
                        }
                }
                for (size_t j = 0; inst && j < f->n_subfeatures; j++) {
                        const struct oracle_subfeature *s = &f->subfeatures[j];
                        const char *property;
                        double got = NAN;
                        int r;

                        split_subfeature(s->name, feature, sizeof(feature), &suffix);
                        property = property_for(suffix);
                        if (!property) {
                                fprintf(stderr, "%s: subfeature %s maps to no property\n", chip,
                                        s->name);
                                test_failures++;
                                continue;
                        }
                        r = instance_get_number(inst, property, &got);
                        values++;
                        if (r < 0 || !same_number(got, s->value)) {
                                fprintf(stderr, "%s %s: %s = %g (r=%d), sensors says %.3f\n", chip,
                                        s->name, property, got, r, s->value);
                                test_failures++;
                        }
                }
                free(label);
        }
        for (size_t i = 0; matched && i < sensors.n; i++) {
                const char *id = NULL;

                glue_instance_get_string(sensors.items[i], "DeviceID", &id);
                if (!matched[i]) {
                        fprintf(stderr, "sensor %s is not in the oracle\n", id);
                        test_failures++;
                }
        }
        check_int_eq(sensors.n, expected_sensors);
        printf("# %zu sensors, %zu values compared\n", sensors.n, values);
        free(matched);
}

static void check_pci_address(struct glue_instance *chip, const char *name)
{
        const char *pci = strstr(name, "-pci-"), *address = NULL, *sysfs = NULL;
        unsigned domain, bus, dev, fn, addr;

        if (!pci)
                return;
        check(glue_instance_get_string(chip, "PCIAddress", &address) == 0);
        if (!address)
                return;
        /* The name's address is bus << 8 | device << 3 | function (lib/sysfs.c). */
        check_int_eq(sscanf(address, "%x:%x:%x.%x", &domain, &bus, &dev, &fn), 4);
        check_int_eq(sscanf(pci + 5, "%x", &addr), 1);
        check_int_eq(addr, (domain << 16) + (bus << 8) + (dev << 3) + fn);
        /* The device is the PCI function, or sits on it (nvme/nvme0 of procfs). */
        check(glue_instance_get_string(chip, "SysfsPath", &sysfs) == 0);
        if (sysfs) {
                const char *at = strstr(sysfs, address);

                check(at && at[-1] == '/' && (at[strlen(address)] == '/' ||
                                              at[strlen(address)] == '\0'));
        }
}

static void test_chips_match_oracle(void)
{
        check_int_eq(chips.n, oracle.n_chips);
        for (size_t i = 0; i < oracle.n_chips; i++) {
                const struct oracle_chip *c = &oracle.chips[i];
                struct glue_instance *chip = instance_list_find(&chips, c->name);
                const char *adapter;

                if (!chip) {
                        fprintf(stderr, "no chip %s\n", c->name);
                        test_failures++;
                        continue;
                }
                if (c->adapter) {
                        check(glue_instance_get_string(chip, "Adapter", &adapter) == 0);
                        check_str_eq(adapter, c->adapter);
                }
                check_pci_address(chip, c->name);
                for (size_t j = 0; j < oracle.n_features; j++) {
                        const struct oracle_feature *f = &oracle.features[j];
                        double beep;

                        if (f->chip != i || f->n_subfeatures != 1 ||
                            strcmp(f->subfeatures[0].name, "beep_enable") != 0)
                                continue;
                        check_int_eq(instance_get_number(chip, "BeepEnabled", &beep), 0);
                        check(same_number(beep, f->subfeatures[0].value));
                }
        }
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
        check_strings(&sensors);
        check_strings(&chips);
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
                check(instance_get_number(got, "Reading", &b) == 0 && same_number(a, b));
        glue_instance_unref(got);
}

static void test_get_by_key(void)
{
        static const char *const bad_keys[] = {
                "Linux_Sensor.DeviceID=\"../x\"", "Linux_Sensor.DeviceID=\"*-isa-*/temp1\"",
                "Linux_Sensor.DeviceID=\"nosuchchip-isa-0000/temp1\"",
                "Linux_Sensor.DeviceID=\"a/b/c\"", "Linux_Sensor.DeviceID=\"\"",
        };
        struct glue_request *req = NULL;
        struct glue_instance *got = NULL;
        const char *id;

        check_int_eq(glue_request_new(ctx, &req), 0);
        for (size_t i = 0; i < sensors.n; i++)
                if (glue_instance_get_string(sensors.items[i], "DeviceID", &id) == 0)
                        check_get(req, "Linux_Sensor", id, sensors.items[i]);
        for (size_t i = 0; i < chips.n; i++)
                if (glue_instance_get_string(chips.items[i], "DeviceID", &id) == 0)
                        check_get(req, "Linux_SensorChip", id, chips.items[i]);
        for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++)
                check_int_eq(glue_request_get(req, bad_keys[i], &got), -ENOENT);
        if (sensors.n > 0 && glue_instance_get_string(sensors.items[0], "DeviceID", &id) == 0) {
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

static void test_selected_properties(void)
{
        static const char *const wanted[] = { "Reading" };
        struct instance_list some;
        const char *label;

        check_int_eq(sensors_test_collect(ctx, "Linux_Sensor", wanted, 1, &some), 0);
        check_int_eq(some.n, sensors.n);
        for (size_t i = 0; i < some.n; i++) {
                const char *id;
                struct glue_instance *full;
                double a, b;

                check_int_eq(glue_instance_get_string(some.items[i], "Label", &label), -ENOENT);
                if (glue_instance_get_string(some.items[i], "DeviceID", &id) < 0)
                        continue;
                full = instance_list_find(&sensors, id);
                check(full != NULL);
                if (full && instance_get_number(full, "Reading", &a) == 0)
                        check(instance_get_number(some.items[i], "Reading", &b) == 0 &&
                              same_number(a, b));
        }
        instance_list_free(&some);
}

int main(int argc, char **argv)
{
        static const char *const names[] = { "sensors_match_oracle", "chips_match_oracle",
                                             "strings_are_clean", "get_by_key",
                                             "selected_properties" };
        static const test_fn fns[] = { test_sensors_match_oracle, test_chips_match_oracle,
                                       test_strings_are_clean, test_get_by_key,
                                       test_selected_properties };
        char *dir = NULL, *oracle_path = NULL, *umockdev_file = NULL, *config = NULL, *text;
        int r;

        if (argc != 3 && !(argc == 4 && strcmp(argv[1], "tree") == 0)) {
                fprintf(stderr, "usage: %s shared ARCHIVE | tree DIR [CONF]\n", argv[0]);
                return 2;
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
        /* Trees that libsensors reads in place have sensors-j.json; procfs has its hwmon only
         * in its .umockdev description. */
        if (argc == 4) {
                size_t len = strlen(argv[3]);

                if (len > 5 && strcmp(argv[3] + len - 5, ".conf") == 0)
                        len -= 5;
                if (asprintf(&config, "%s/%s", dir, argv[3]) < 0 ||
                    asprintf(&oracle_path, "%s/oracle/sensors-j-%.*s.json", dir, (int)len,
                             argv[3]) < 0)
                        return 1;
        } else if (asprintf(&oracle_path, "%s/oracle/sensors-j.json", dir) < 0) {
                return 1;
        }
        if (access(oracle_path, R_OK) < 0) {
                free(oracle_path);
                if (asprintf(&oracle_path, "%s/oracle/sensors-umockdevfile-j.json", dir) < 0 ||
                    asprintf(&umockdev_file, "%s/devices.umockdev", dir) < 0)
                        return 1;
        }
        r = umockdev_rerun(argv, umockdev_file ? NULL : dir, umockdev_file);
        if (r >= 0) {
                free(dir);
                free(oracle_path);
                free(umockdev_file);
                free(config);
                return r;
        }

        text = test_read_file(oracle_path, NULL);
        if (!text) {
                fprintf(stderr, "cannot read %s\n", oracle_path);
                return 1;
        }
        if (oracle_parse(text, &oracle) < 0)
                return 1;
        printf("# %s: %zu chips, %zu features in the oracle\n", dir, oracle.n_chips,
               oracle.n_features);
        /* as the oracle was made: sensors -c EMPTY.conf, or -c CONF */
        ctx = sensors_test_context(config ? config : "");
        if (!ctx)
                return 1;
        r = sensors_test_collect(ctx, "Linux_Sensor", NULL, 0, &sensors);
        if (r != 0)
                fprintf(stderr, "enumerate Linux_Sensor: %d\n", r);
        r = r || sensors_test_collect(ctx, "Linux_SensorChip", NULL, 0, &chips);
        if (r != 0) {
                fprintf(stderr, "enumerate failed: %d\n", r);
                return 1;
        }
        r = test_run(names, fns, sizeof(fns) / sizeof(fns[0]));
        instance_list_free(&sensors);
        instance_list_free(&chips);
        glue_context_unref(ctx);
        oracle_free(&oracle);
        free(text);
        free(dir);
        free(oracle_path);
        free(umockdev_file);
        free(config);
        return r;
}
