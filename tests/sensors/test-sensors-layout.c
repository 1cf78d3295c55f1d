/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The provider's own walk of the chips (sensors-walk.c), its lists of features and subfeatures
 * (sensors-listing.c) and the values it reads itself, against libsensors' own, chip by chip:
 *   test-sensors-layout made              a tree made here, with every way of naming a chip and
 *                                         a file that libsensors has (below)
 *   test-sensors-layout tree DIR          one of the project's own trees
 *   test-sensors-layout shared ARCHIVE    a tree of ../shared/fixtures (skips where absent)
 * libsensors is initialised with no configuration. The walk must give the same chips in the
 * same order with the same names, paths and adapters, and for each chip the same features and
 * subfeatures (names, numbers, types, mappings, the compute flag) that sensors_get_features()
 * and sensors_get_all_subfeatures() list; a subfeature that libsensors' mode check refuses must
 * be refused by the provider's; every value read must be the very double of
 * sensors_get_value(), or both fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sensors/sensors.h>

#include "sensors-chip.h"
#include "sensors-layout.h"
#include "sensors-lib.h"
#include "sensors-listing.h"
#include "sensors-value.h"
#include "sensors-test-util.h"
#include "sensors-walk.h"
#include "test-util.h"
#include "umockdev-rerun.h"

static bool made_tree;

/* ---- the made tree ------------------------------------------------------------------------- */

static const char *const chip_files[][2] = {
        { "temp1_input", "45000" }, { "temp1_max", "80000" }, { "temp1_crit_alarm", "0" },
        { "temp1_offset", "-1500" }, { "temp1_type", "3" }, { "in0_input", "1212" },
        { "in0_min", "900" }, { "fan1_input", "1234" }, { "fan1_div", "8" },
        { "power1_average", "12345678" }, { "power1_average_interval", "250" },
        { "energy1_input", "987654321012" }, { "humidity1_input", "45500" },
        { "curr1_input", "1500" }, { "cpu0_vid", "1100" }, { "intrusion0_alarm", "1" },
        { "beep_enable", "1" }, { "name", "testchip" },
};

/* Names that libsensors parses in its own ways: scanf's %d takes blanks, signs and leading
 * zeros, a second file for a slot is dropped, channels past 1023 and below the first are
 * dropped, an unknown suffix is no subfeature. */
static const char *const odd_files[][2] = {
        { "temp01_max", "1" },          /* temp1's slot again: the first in the directory wins */
        { "temp 3_input", "33000" },    /* a feature named "temp 3" */
        { "temp+4_input", "34000" },    /* temp4, named "temp+4" */
        { "temp5000_input", "1" },      /* channel 4999: dropped */
        { "fan0_input", "1" },          /* channel -1: dropped */
        { "in-1_input", "1" },          /* a negative channel: dropped */
        { "temp4294967298_min", "5" },  /* past int: scanf keeps the low bits, channel 1 */
        { "temp2_nosuch", "1" },        /* not a subfeature */
        { "temp6", "1" },               /* no suffix */
        { "curr2_input\n", "1" },       /* a newline in the name */
        { "power2_input_highest", "7000000" }, { "power2_cap_alarm", "1" },
        { "name", "oddchip" },
};

/* (written with a newline after each) */
static const char *const number_files[][2] = {
        { "name", "numbers" }, { "in0_input", "-0" }, { "in1_input", "  42" },
        { "in2_input", "0x1A" }, { "in3_input", "1e3" }, { "in4_input", "007" },
        { "in5_input", "12abc" }, { "in6_input", "+5" }, { "in7_input", "99999999999999999999" },
        { "in8_input", "9007199254740993" }, { "in9_input", "-" }, { "in10_input", "nan" },
        { "in11_input", "1.5" }, { "in12_input", "\t-7" }, { "in13_input", "" },
};

static int write_file(const char *path, const char *text, mode_t mode)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        size_t len = strlen(text);

        if (fd < 0)
                return -errno;
        if (write(fd, text, len) != (ssize_t)len) {
                close(fd);
                return -EIO;
        }
        if (fchmod(fd, mode) < 0 || close(fd) < 0)
                return -errno;
        return 0;
}

static int make_dirs(const char *tree, const char *path)
{
        char buf[4096];

        for (const char *p = path; (p = strchr(p + 1, '/'));) {
                snprintf(buf, sizeof(buf), "%s/%.*s", tree, (int)(p - path), path);
                if (mkdir(buf, 0755) < 0 && errno != EEXIST)
                        return -errno;
        }
        snprintf(buf, sizeof(buf), "%s/%s", tree, path);
        return mkdir(buf, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

static int put(const char *tree, const char *dir, const char *name, const char *text, mode_t mode)
{
        char path[4200];

        snprintf(path, sizeof(path), "%s/%s/%s", tree, dir, name);
        return write_file(path, text, mode);
}

static int link_to(const char *tree, const char *dir, const char *name, const char *target)
{
        char path[4200];

        snprintf(path, sizeof(path), "%s/%s/%s", tree, dir, name);
        return symlink(target, path) < 0 ? -errno : 0;
}

/* dir/device -> target, with the subsystem link of the device (if subsystem) */
static int make_device(const char *tree, const char *device, const char *subsystem)
{
        char target[4200];
        int r = make_dirs(tree, device);
        size_t depth = 0;

        if (r < 0 || !subsystem)
                return r;
        for (const char *p = device; *p; p++)
                depth += *p == '/';
        target[0] = '\0';
        for (size_t i = 0; i < depth; i++)
                strcat(target, "../");
        strcat(target, "bus/");
        strcat(target, subsystem);
        snprintf(target + strlen(target), sizeof(target) - strlen(target), "%s", "");
        return link_to(tree, device, "subsystem", target);
}

/* class/hwmon/hwmonN -> the chip directory dev/hwmon/hwmonN, and its device link. The
 * directory gets the files of list (NULL: none), the first `unreadable` of them mode 0200. */
static int make_hwmon(const char *tree, const char *device, int n, const char *const (*files)[2],
                      size_t n_files, const char *unreadable, const char *extra)
{
        char dir[4096], target[4200];
        int r;

        snprintf(dir, sizeof(dir), "%s/hwmon/hwmon%d", device, n);
        r = make_dirs(tree, dir);
        for (size_t i = 0; r == 0 && i < n_files; i++) {
                bool refused = unreadable && strcmp(unreadable, files[i][0]) == 0;
                char text[64];

                snprintf(text, sizeof(text), "%s\n", files[i][1]);
                r = put(tree, dir, files[i][0], text, refused ? 0200 : 0644);
        }
        if (r == 0 && extra)
                r = put(tree, dir, extra, "51000\n", 0644);
        if (r == 0)
                r = link_to(tree, dir, "device", "../..");
        snprintf(target, sizeof(target), "../../%s", dir + 4);
        snprintf(dir, sizeof(dir), "hwmon%d", n);
        return r < 0 ? r : link_to(tree, "sys/class/hwmon", dir, target);
}

#define FILES(list) list, sizeof(list) / sizeof(list[0])

static int make_tree(const char *tree)
{
        static const char *const old_files[][2] = { { "name", "olddriver" },
                                                    { "temp1_input", "40000" },
                                                    { "fan1_input", "900" } };
        static const char *const name_only[][2] = { { "name", "nothing" } };
        static const char *const short_name[][2] = { { "name", "cut" }, { "in1_input", "1000" } };
        static const char *const i2c_files[][2] = { { "name", "lm75" }, { "temp1_input", "41000" },
                                                    { "temp1_max_hyst", "75000" } };
        static const char *const isa_files[][2] = { { "name", "w83781d" },
                                                    { "in0_input", "1500" } };
        int r = 0;

        if ((r = make_dirs(tree, "sys/class/hwmon")) < 0 || (r = make_dirs(tree, "sys/bus")) < 0 ||
            (r = make_dirs(tree, "sys/class/i2c-adapter")) < 0)
                return r;
        /* five of one shape, two of them with a file that its owner may not read; one with a
         * file more; one named like the first, which libsensors answers for with the first's
         * list (libsensors lists the chips in the directory's order: which comes first is not
         * known here) */
        for (int i = 0; i < 5 && r == 0; i++) {
                char dev[64];

                snprintf(dev, sizeof(dev), "sys/devices/platform/testchip.%d", i);
                r = make_device(tree, dev, "platform");
                if (r == 0)
                        r = make_hwmon(tree, dev, i, FILES(chip_files), i >= 3 ? "temp1_max" : NULL,
                                       NULL);
        }
        if (r == 0 && (r = make_device(tree, "sys/devices/platform/testchip.5", "platform")) == 0)
                r = make_hwmon(tree, "sys/devices/platform/testchip.5", 5, FILES(chip_files), NULL,
                               "temp2_input");
        if (r == 0 && (r = make_device(tree, "sys/devices/platform/bus0/testchip.0", "platform")) == 0)
                r = make_hwmon(tree, "sys/devices/platform/bus0/testchip.0", 6, FILES(chip_files),
                               NULL, "temp3_input");
        /* a label file each of the two chips named alike has and the other has not: libsensors
         * reads it from the chip's own directory (which of them comes first is not known) */
        if (r == 0)
                r = put(tree, "sys/devices/platform/bus0/testchip.0/hwmon/hwmon6", "in0_label",
                        "hwmon6's own\n", 0644);
        if (r == 0)
                r = put(tree, "sys/devices/platform/testchip.0/hwmon/hwmon0", "fan1_label",
                        "hwmon0's own\n", 0644);
        /* odd file names, on a PCI function */
        if (r == 0 && (r = make_device(tree, "sys/devices/pci0000:00/0000:00:02.0", "pci")) == 0 &&
            (r = make_device(tree, "sys/devices/pci0000:00/0000:00:02.0/0000:03:00.0", "pci")) == 0)
                r = make_hwmon(tree, "sys/devices/pci0000:00/0000:00:02.0/0000:03:00.0", 7,
                               FILES(odd_files), NULL, NULL);
        if (r == 0)
                r = link_to(tree, "sys/devices/pci0000:00/0000:00:02.0/0000:03:00.0/hwmon/hwmon7",
                            "temp9_input", "temp 3_input"); /* a link: no subfeature */
        if (r == 0)
                r = make_dirs(tree, "sys/devices/pci0000:00/0000:00:02.0/0000:03:00.0/hwmon/hwmon7/"
                              "temp8_input"); /* a directory: no subfeature */
        /* an old driver: no name in the class directory, the attributes in the device's */
        if (r == 0 && (r = make_device(tree, "sys/devices/platform/old.0", "platform")) == 0)
                r = make_hwmon(tree, "sys/devices/platform/old.0", 8, NULL, 0, NULL, NULL);
        for (size_t i = 0; r == 0 && i < sizeof(old_files) / sizeof(old_files[0]); i++) {
                char text[64];

                snprintf(text, sizeof(text), "%s\n", old_files[i][1]);
                r = put(tree, "sys/devices/platform/old.0", old_files[i][0], text, 0644);
        }
        /* a name and no subfeature in the class directory: the device's own files then */
        if (r == 0 && (r = make_device(tree, "sys/devices/platform/old.1", "platform")) == 0)
                r = make_hwmon(tree, "sys/devices/platform/old.1", 9, FILES(name_only), NULL, NULL);
        for (size_t i = 0; r == 0 && i < sizeof(old_files) / sizeof(old_files[0]); i++)
                r = put(tree, "sys/devices/platform/old.1", old_files[i][0], "12\n", 0644);
        /* a name without a newline: libsensors drops its last byte all the same */
        if (r == 0 && (r = make_device(tree, "sys/devices/virtual/misc/cut", NULL)) == 0)
                r = make_hwmon(tree, "sys/devices/virtual/misc/cut", 10, FILES(short_name), NULL,
                               NULL);
        if (r == 0)
                r = put(tree, "sys/devices/virtual/misc/cut/hwmon/hwmon10", "name", "cut", 0644);
        /* an i2c client on an adapter with a name, and one on the legacy ISA bridge's */
        if (r == 0 && (r = make_device(tree, "sys/devices/pci0000:00/0000:00:1f.3", "pci")) == 0 &&
            (r = make_device(tree, "sys/devices/pci0000:00/0000:00:1f.3/i2c-1", NULL)) == 0 &&
            (r = put(tree, "sys/devices/pci0000:00/0000:00:1f.3/i2c-1", "name",
                     "SMBus I801 adapter at f000\n", 0644)) == 0 &&
            (r = link_to(tree, "sys/class/i2c-adapter", "i2c-1",
                         "../../devices/pci0000:00/0000:00:1f.3/i2c-1")) == 0 &&
            (r = make_device(tree, "sys/devices/pci0000:00/0000:00:1f.3/i2c-1/1-0048", "i2c")) == 0)
                r = make_hwmon(tree, "sys/devices/pci0000:00/0000:00:1f.3/i2c-1/1-0048", 11,
                               FILES(i2c_files), NULL, NULL);
        if (r == 0 && (r = make_device(tree, "sys/devices/isa/i2c-2", NULL)) == 0 &&
            (r = make_device(tree, "sys/devices/isa/i2c-2/device", NULL)) == 0 &&
            (r = put(tree, "sys/devices/isa/i2c-2/device", "name", "ISA main adapter\n", 0644)) == 0 &&
            (r = put(tree, "sys/devices/isa/i2c-2", "name", "ISA bridge\n", 0644)) == 0 &&
            (r = link_to(tree, "sys/class/i2c-adapter", "i2c-2", "../../devices/isa/i2c-2")) == 0 &&
            (r = make_device(tree, "sys/devices/isa/i2c-2/2-0290", "i2c")) == 0)
                r = make_hwmon(tree, "sys/devices/isa/i2c-2/2-0290", 12, FILES(isa_files), NULL,
                               NULL);
        /* a device whose subsystem classifies nothing: its device's does (old kernels) */
        if (r == 0 && (r = make_device(tree, "sys/devices/platform/weird.7", "weird")) == 0 &&
            (r = link_to(tree, "sys/devices/platform/weird.7", "device", "../..")) == 0 &&
            (r = make_device(tree, "sys/devices/platform/weird.7/hwmon", NULL)) == 0)
                r = make_hwmon(tree, "sys/devices/platform/weird.7", 13, FILES(i2c_files), NULL,
                               NULL);
        /* a chip with no device: virtual */
        if (r == 0 && (r = make_dirs(tree, "sys/devices/virtual/hwmon/hwmon14")) == 0) {
                r = put(tree, "sys/devices/virtual/hwmon/hwmon14", "name", "acpitz\n", 0644);
                if (r == 0)
                        r = put(tree, "sys/devices/virtual/hwmon/hwmon14", "temp1_input", "27800\n",
                                0644);
                if (r == 0)
                        r = link_to(tree, "sys/class/hwmon", "hwmon14",
                                    "../../devices/virtual/hwmon/hwmon14");
        }
        /* numbers as scanf reads them, against the provider's own reading of integers */
        if (r == 0 && (r = make_device(tree, "sys/devices/platform/numbers.0", "platform")) == 0)
                r = make_hwmon(tree, "sys/devices/platform/numbers.0", 17, FILES(number_files),
                               NULL, NULL);
        /* a class entry that is a directory of its own, and a dangling one */
        if (r == 0 && (r = make_dirs(tree, "sys/class/hwmon/hwmon15")) == 0)
                r = put(tree, "sys/class/hwmon/hwmon15", "name", "plain\n", 0644);
        if (r == 0)
                r = put(tree, "sys/class/hwmon/hwmon15", "temp1_input", "1000\n", 0644);
        if (r == 0)
                r = link_to(tree, "sys/class/hwmon", "hwmon16", "../../devices/nosuch/hwmon16");
        return r;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

/* ---- the checks ---------------------------------------------------------------------------- */

static void check_same_subfeature(const char *chip, const sensors_subfeature *got,
                                  const sensors_subfeature *want)
{
        if (strcmp(got->name, want->name) != 0 || got->number != want->number ||
            got->type != want->type || got->mapping != want->mapping ||
            (got->flags & SENSORS_COMPUTE_MAPPING) != (want->flags & SENSORS_COMPUTE_MAPPING)) {
                fprintf(stderr, "%s: subfeature %s #%d type %#x mapping %d flags %#x, libsensors "
                        "lists %s #%d type %#x mapping %d flags %#x\n", chip, got->name,
                        got->number, got->type, got->mapping, got->flags, want->name,
                        want->number, want->type, want->mapping, want->flags);
                test_failures++;
        }
}

/* values whose file libsensors' mode check refuses */
static size_t refused_by_mode;

static void check_value(struct sensors_chip_info *info, const sensors_feature *feature,
                        const sensors_chip_name *lib_chip, const sensors_subfeature *sub,
                        const sensors_subfeature *lib_sub, size_t *compared)
{
        double got = 0, want = 0;
        int r_got, r_want;

        r_got = sensors_value_read(info, feature, sub, &got);
        r_want = sensors_get_value(lib_chip, lib_sub->number, &want);
        /* NaN or infinity is no reading (the one difference, on purpose: -EDOM, "not a finite
         * number"); the same double otherwise, or both fail */
        if (r_want == 0 && !isfinite(want)) {
                check_int_eq(r_got, -EDOM);
        } else if ((r_got == 0) != (r_want == 0) || (r_got == 0 && got != want)) {
                fprintf(stderr, "%s %s: read %.17g (r=%d), sensors_get_value %.17g (r=%d)\n",
                        info->name, sub->name, got, r_got, want, r_want);
                test_failures++;
        }
        /* libsensors refuses by the mode of its walk: so must the provider */
        if (!(lib_sub->flags & SENSORS_MODE_R)) {
                refused_by_mode++;
                check_int_eq(r_got, -EACCES);
        }
        (*compared)++;
}

static void check_chip(struct sensors_walk *walk, struct sensors_walk_chip *walked,
                       struct sensors_listing *listing, const sensors_chip_name *lib_chip,
                       size_t *values)
{
        struct sensors_chip_info info;
        struct sensors_layout want;
        char lib_name[256];
        const char *lib_adapter = sensors_get_adapter_name(&lib_chip->bus);

        check(sensors_snprintf_chip_name(lib_name, sizeof(lib_name), lib_chip) >= 0);
        if (strcmp(walked->printed, lib_name) != 0 || strcmp(walked->name.path, lib_chip->path) ||
            (lib_adapter == NULL) != (walked->adapter == NULL) ||
            (lib_adapter && strcmp(lib_adapter, walked->adapter) != 0)) {
                fprintf(stderr, "walked %s at %s on \"%s\", libsensors lists %s at %s on \"%s\"\n",
                        walked->printed, walked->name.path,
                        walked->adapter ? walked->adapter : "(none)", lib_name, lib_chip->path,
                        lib_adapter ? lib_adapter : "(none)");
                test_failures++;
                return;
        }
        check_int_eq(sensors_chip_info_init(&info, NULL, walk, walked, listing), 0);
        check_int_eq(sensors_layout_list(&want, lib_chip, true), 0);
        check_int_eq(info.layout->n_features, want.n_features);
        for (size_t i = 0; i < want.n_features && i < info.layout->n_features; i++) {
                const sensors_feature *a = info.layout->features[i], *b = want.features[i];
                const sensors_subfeature *subs[64];
                size_t n = sensors_chip_info_subfeatures(&info, i, subs, 64);

                if (strcmp(a->name, b->name) != 0 || a->number != b->number ||
                    a->type != b->type || a->first_subfeature != b->first_subfeature) {
                        fprintf(stderr, "%s: feature \"%s\" #%d type %#x first %d, libsensors lists "
                                "\"%s\" #%d type %#x first %d\n", info.name, a->name, a->number,
                                a->type, a->first_subfeature, b->name, b->number, b->type,
                                b->first_subfeature);
                        test_failures++;
                }
                check_int_eq(n, want.first[i + 1] - want.first[i]);
                for (size_t j = 0; j < n && want.first[i] + j < want.first[i + 1]; j++) {
                        const sensors_subfeature *lib_sub = want.subs[want.first[i] + j];

                        check_same_subfeature(info.name, subs[j], lib_sub);
                        check_value(&info, a, lib_chip, subs[j], lib_sub, values);
                }
        }
        sensors_layout_clear(&want);
        sensors_chip_info_done(&info);
}

static void test_walk_lists_and_values_are_libsensors(void)
{
        struct sensors_listing listing = { 0 };
        struct sensors_walk_chip walked;
        const sensors_chip_name *lib_chip;
        struct sensors_walk walk;
        size_t chips = 0, alike = 0, values = 0;
        FILE *f = fopen("/dev/null", "re");
        int nr = 0;

        check(f && sensors_init(f) == 0);
        if (f)
                fclose(f);
        check_int_eq(sensors_walk_open(&walk, NULL, NULL), 0);
        while (sensors_walk_next(&walk, &walked, &listing) > 0) {
                lib_chip = sensors_get_detected_chips(NULL, &nr);
                if (!lib_chip) {
                        fprintf(stderr, "walked %s at %s, libsensors lists no more\n",
                                walked.printed, walked.name.path);
                        test_failures++;
                        sensors_walk_chip_clear(&walked);
                        break;
                }
                chips++;
                alike += walked.named_like_earlier;
                check_chip(&walk, &walked, &listing, lib_chip, &values);
                sensors_walk_chip_clear(&walked);
        }
        while ((lib_chip = sensors_get_detected_chips(NULL, &nr))) {
                fprintf(stderr, "libsensors lists %s at %s, the walk did not\n", lib_chip->prefix,
                        lib_chip->path);
                test_failures++;
        }
        printf("# %zu chips (%zu named like an earlier one), %zu values, %zu refused by mode\n",
               chips, alike, values, refused_by_mode);
        check(chips > 0 && values > 0);
        if (made_tree) {
                check_int_eq(chips, 17);
                check_int_eq(alike, 1);
                check(refused_by_mode >= 2);
        }
        sensors_listing_free(&listing);
        sensors_walk_close(&walk);
        sensors_cleanup();
}

/* Each sensor's Label, through the library, is libsensors' sensors_get_label() of the chip it
 * lists (cleaned), the chips named alike taken in their order. */
static void test_labels_are_libsensors(void)
{
        struct glue_context *ctx = sensors_test_context("");
        struct instance_list sensors = { 0 };
        const sensors_chip_name *chip;
        FILE *f = fopen("/dev/null", "re");
        size_t compared = 0;
        int nr = 0;

        check(f && sensors_init(f) == 0);
        if (f)
                fclose(f);
        check_int_eq(sensors_test_collect(ctx, "Linux_Sensor", NULL, 0, &sensors), 0);
        while ((chip = sensors_get_detected_chips(NULL, &nr))) {
                const sensors_feature *feature;
                char name[256];
                int fnr = 0;

                sensors_snprintf_chip_name(name, sizeof(name), chip);
                while ((feature = sensors_get_features(chip, &fnr))) {
                        char key[512], *raw = sensors_get_label(chip, feature);
                        char *want = raw ? expected_label(raw) : NULL;
                        const char *got = NULL;
                        size_t seen = 0, nth = 0;
                        int cnr = 0;

                        /* which of the chips of this name this is */
                        for (const sensors_chip_name *c; (c = sensors_get_detected_chips(chip, &cnr)) &&
                                                         c != chip;)
                                nth++;
                        snprintf(key, sizeof(key), "%s/%s", name, feature->name);
                        for (size_t i = 0; i < sensors.n; i++) {
                                const char *id;

                                if (glue_instance_get_string(sensors.items[i], "DeviceID", &id) < 0 ||
                                    strcmp(id, key) != 0 || seen++ != nth)
                                        continue;
                                (void)glue_instance_get_string(sensors.items[i], "Label", &got);
                        }
                        if (feature->type != SENSORS_FEATURE_BEEP_ENABLE &&
                            (!got || !want || strcmp(got, want) != 0)) {
                                fprintf(stderr, "%s (#%zu of the name): Label \"%s\", libsensors "
                                        "\"%s\"\n", key, nth, got ? got : "(none)",
                                        want ? want : "(none)");
                                test_failures++;
                        }
                        compared += feature->type != SENSORS_FEATURE_BEEP_ENABLE;
                        free(raw);
                        free(want);
                }
        }
        printf("# %zu labels compared\n", compared);
        check(compared > 0);
        instance_list_free(&sensors);
        glue_context_unref(ctx);
        sensors_cleanup();
}

/* The same walk through --sysroot: the tree read where it lies, not as /sys. */
static void test_walk_under_sysroot_is_the_same(void)
{
        const char *tree = getenv("HWGLUE_TEST_TREE");
        struct sensors_listing a = { 0 }, b = { 0 };
        struct sensors_walk root, sysroot;
        struct sensors_walk_chip x, y;
        size_t n = 0;

        if (!tree)
                return;
        check_int_eq(sensors_walk_open(&root, NULL, NULL), 0);
        check_int_eq(sensors_walk_open(&sysroot, NULL, tree), 0);
        for (;;) {
                int rx = sensors_walk_next(&root, &x, &a), ry = sensors_walk_next(&sysroot, &y, &b);

                check_int_eq(rx, ry);
                if (rx <= 0 || ry <= 0)
                        break;
                n++;
                check_str_eq(x.printed, y.printed);
                check_str_eq(x.name.path, y.name.path);
                check(!x.hwmon_path == !y.hwmon_path);
                if (x.hwmon_path && y.hwmon_path)
                        check_str_eq(x.hwmon_path, y.hwmon_path);
                check(!x.device_path == !y.device_path);
                if (x.device_path && y.device_path)
                        check_str_eq(x.device_path, y.device_path);
                check_int_eq(a.n_subfeatures, b.n_subfeatures);
                sensors_walk_chip_clear(&x);
                sensors_walk_chip_clear(&y);
        }
        printf("# %zu chips alike under the sysroot %s\n", n, tree);
        check(n > 0);
        sensors_listing_free(&a);
        sensors_listing_free(&b);
        sensors_walk_close(&root);
        sensors_walk_close(&sysroot);
}

int main(int argc, char **argv)
{
        static const char *const names[] = { "walk_lists_and_values_are_libsensors",
                                             "labels_are_libsensors",
                                             "walk_under_sysroot_is_the_same" };
        static const test_fn fns[] = { test_walk_lists_and_values_are_libsensors,
                                       test_labels_are_libsensors,
                                       test_walk_under_sysroot_is_the_same };
        char made[] = "/tmp/hwglue-sensors-layout-XXXXXX";
        char *dir = NULL;
        int r;

        if (argc < 2 || (strcmp(argv[1], "made") != 0 && argc != 3)) {
                fprintf(stderr, "usage: %s made | tree DIR | shared ARCHIVE\n", argv[0]);
                return 2;
        }
        made_tree = strcmp(argv[1], "made") == 0;
        if (getenv("HWGLUE_TEST_UNDER_UMOCKDEV")) {
                sensors_lib_ref(); /* the provider's hooks: nothing printed */
                r = test_run(names, fns, sizeof(fns) / sizeof(fns[0]));
                sensors_lib_unref();
                return r;
        }
        if (made_tree) {
                if (!mkdtemp(made)) {
                        perror("mkdtemp");
                        return 1;
                }
                r = make_tree(made);
                if (r < 0) {
                        fprintf(stderr, "making the tree: %s\n", strerror(-r));
                } else {
                        setenv("HWGLUE_TEST_TREE", made, 1);
                        r = umockdev_rerun(argv, made, NULL);
                }
                nftw(made, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
                return r < 0 ? 1 : r;
        }
        if (strcmp(argv[1], "shared") == 0) {
                dir = test_shared_fixture_dir(argv[2]);
                if (!dir)
                        test_skip("fixture archive not unpacked");
        } else {
                dir = realpath(argv[2], NULL);
                if (!dir) {
                        perror(argv[2]);
                        return 1;
                }
        }
        setenv("HWGLUE_TEST_TREE", dir, 1);
        r = umockdev_rerun(argv, dir, NULL);
        free(dir);
        return r;
}
