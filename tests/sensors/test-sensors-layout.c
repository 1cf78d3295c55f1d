/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The provider's lists of features and subfeatures, and the values it reads itself, against
 * libsensors' own, chip by chip:
 *   test-sensors-layout made              a tree made here (chips of one shape, a file that
 *                                         its owner may not read, a chip named like another)
 *   test-sensors-layout tree DIR          one of the project's own trees
 *   test-sensors-layout shared ARCHIVE    a tree of ../shared/fixtures (skips where absent)
 * For every chip, what the provider lists (taken from an earlier chip with the same files, or
 * listed for it) is what sensors_get_features() and sensors_get_all_subfeatures() list for it:
 * names, numbers, types, flags (but the modes of a list taken from another chip). For every
 * subfeature, the value read from its file and scaled by the kernel's units is the very double
 * that sensors_get_value() gives, or both fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sensors/sensors.h>

#include "sensors-chip.h"
#include "sensors-layout.h"
#include "sensors-lib.h"
#include "sensors-value.h"
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

static int write_file(const char *path, const char *text, mode_t mode)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        size_t len = strlen(text);

        if (fd < 0)
                return -errno;
        if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1) {
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

/* A platform device DEVICE (".../testchip.N") with hwmon class device hwmonN and the files,
 * in the same order for every chip: the shape. */
static int make_chip(const char *tree, const char *device, int n, const char *extra,
                     const char *unreadable)
{
        char dir[4096], path[4200], target[4200];
        int r;

        snprintf(dir, sizeof(dir), "sys/devices/platform/%s/hwmon/hwmon%d", device, n);
        r = make_dirs(tree, dir);
        if (r < 0)
                return r;
        for (size_t i = 0; i < sizeof(chip_files) / sizeof(chip_files[0]); i++) {
                snprintf(path, sizeof(path), "%s/%s/%s", tree, dir, chip_files[i][0]);
                r = write_file(path, chip_files[i][1],
                               unreadable && strcmp(unreadable, chip_files[i][0]) == 0 ? 0200 :
                                                                                         0644);
                if (r < 0)
                        return r;
        }
        if (extra) {
                snprintf(path, sizeof(path), "%s/%s/%s", tree, dir, extra);
                r = write_file(path, "51000", 0644);
                if (r < 0)
                        return r;
        }
        /* hwmonN/device, the device's subsystem, /sys/class/hwmon/hwmonN: libsensors names the
         * chip after the last part of the device link, its bus after the subsystem link */
        snprintf(path, sizeof(path), "%s/%s/device", tree, dir);
        snprintf(target, sizeof(target), "../../../%s",
                 strrchr(device, '/') ? strrchr(device, '/') + 1 : device);
        if (symlink(target, path) < 0)
                return -errno;
        snprintf(path, sizeof(path), "%s/sys/devices/platform/%s/subsystem", tree, device);
        snprintf(target, sizeof(target), "%s../../../bus/platform",
                 strchr(device, '/') ? "../" : "");
        if (symlink(target, path) < 0)
                return -errno;
        snprintf(path, sizeof(path), "%s/sys/class/hwmon/hwmon%d", tree, n);
        snprintf(target, sizeof(target), "../../%s", dir + 4);
        return symlink(target, path) < 0 ? -errno : 0;
}

static int make_tree(const char *tree)
{
        int r;

        if ((r = make_dirs(tree, "sys/class/hwmon")) < 0 ||
            (r = make_dirs(tree, "sys/bus/platform")) < 0)
                return r;
        /* five of one shape, two of them with a file that its owner may not read; one with a
         * file more; one named like the first, which libsensors answers for (libsensors lists
         * the chips in the directory's order: which of each comes first is not known here) */
        if ((r = make_chip(tree, "testchip.0", 0, NULL, NULL)) < 0 ||
            (r = make_chip(tree, "testchip.1", 1, NULL, NULL)) < 0 ||
            (r = make_chip(tree, "testchip.2", 2, NULL, NULL)) < 0 ||
            (r = make_chip(tree, "testchip.3", 3, NULL, "temp1_max")) < 0 ||
            (r = make_chip(tree, "testchip.4", 4, NULL, "temp1_max")) < 0 ||
            (r = make_chip(tree, "testchip.5", 5, "temp2_input", NULL)) < 0 ||
            (r = make_chip(tree, "bus0/testchip.0", 6, "temp3_input", NULL)) < 0)
                return r;
        return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

/* ---- the checks ---------------------------------------------------------------------------- */

static void check_same_subfeature(const char *chip, const sensors_subfeature *got,
                                  const sensors_subfeature *want, bool shared)
{
        unsigned mask = shared ? SENSORS_COMPUTE_MAPPING : ~0u;

        if (strcmp(got->name, want->name) != 0 || got->number != want->number ||
            got->type != want->type || got->mapping != want->mapping ||
            (got->flags & mask) != (want->flags & mask)) {
                fprintf(stderr, "%s: subfeature %s #%d type %#x flags %#x, libsensors lists "
                        "%s #%d type %#x flags %#x\n", chip, got->name, got->number, got->type,
                        got->flags, want->name, want->number, want->type, want->flags);
                test_failures++;
        }
}

/* values read under a list taken from another chip that the file's mode made unreadable */
static size_t unreadable_shared;

static void check_value(struct sensors_chip_info *info, const sensors_subfeature *sub,
                        size_t *compared)
{
        double got = 0, want = 0;
        int r_got, r_want;

        r_got = sensors_value_read(info, sub, false, &got);
        r_want = sensors_get_value(info->chip, sub->number, &want);
        if ((r_got == 0) != (r_want == 0) || (r_got == 0 && got != want)) {
                fprintf(stderr, "%s %s: read %.17g (r=%d), sensors_get_value %.17g (r=%d)\n",
                        info->name, sub->name, got, r_got, want, r_want);
                test_failures++;
        }
        if (info->layout_shared && r_got == -EACCES)
                unreadable_shared++;
        (*compared)++;
}

static void test_lists_and_values_are_libsensors(void)
{
        struct sensors_layout_cache *cache = NULL;
        const sensors_chip_name *chip;
        size_t chips = 0, shared = 0, own = 0, values = 0;
        FILE *f = fopen("/dev/null", "re");
        int nr = 0;

        check(f && sensors_init(f) == 0);
        if (f)
                fclose(f);
        check_int_eq(sensors_layout_cache_new(&cache), 0);
        while ((chip = sensors_get_detected_chips(NULL, &nr))) {
                struct sensors_chip_info info;
                struct sensors_layout want;

                chips++;
                if (sensors_chip_info_init(&info, chip, cache) < 0) {
                        fprintf(stderr, "%s: no chip info\n", chip->path);
                        test_failures++;
                        continue;
                }
                check_int_eq(sensors_layout_list(&want, chip, true), 0);
                if (info.layout_shared)
                        shared++;
                if (info.layout == &info.own)
                        own++;
                check_int_eq(info.layout->n_features, want.n_features);
                for (size_t i = 0; i < want.n_features && i < info.layout->n_features; i++) {
                        const sensors_feature *a = info.layout->features[i], *b = want.features[i];
                        const sensors_subfeature *subs[64];
                        size_t n = sensors_chip_info_subfeatures(&info, i, subs, 64);

                        if (strcmp(a->name, b->name) != 0 || a->number != b->number ||
                            a->type != b->type) {
                                fprintf(stderr, "%s: feature %s, libsensors lists %s\n",
                                        info.name, a->name, b->name);
                                test_failures++;
                        }
                        check_int_eq(n, want.first[i + 1] - want.first[i]);
                        for (size_t j = 0; j < n && want.first[i] + j < want.first[i + 1]; j++) {
                                check_same_subfeature(info.name, subs[j],
                                                      want.subs[want.first[i] + j],
                                                      info.layout_shared);
                                check_value(&info, subs[j], &values);
                        }
                }
                sensors_layout_clear(&want);
                sensors_chip_info_done(&info);
        }
        printf("# %zu chips (%zu listed for another chip, %zu on their own), %zu values\n",
               chips, shared, own, values);
        check(chips > 0 && values > 0);
        if (made_tree) {
                /* all but the first of the five take its list, but the one named like another;
                 * and the mode of their own file says unreadable */
                check_int_eq(chips, 7);
                check_int_eq(own, 1);
                check(shared >= 3);
                check(unreadable_shared >= 1);
        }
        sensors_layout_cache_free(cache);
        sensors_cleanup();
}

int main(int argc, char **argv)
{
        static const char *const names[] = { "lists_and_values_are_libsensors" };
        static const test_fn fns[] = { test_lists_and_values_are_libsensors };
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
                r = test_run(names, fns, 1);
                sensors_lib_unref();
                return r;
        }
        if (made_tree) {
                if (!mkdtemp(made)) {
                        perror("mkdtemp");
                        return 1;
                }
                r = make_tree(made);
                if (r < 0)
                        fprintf(stderr, "making the tree: %s\n", strerror(-r));
                else
                        r = umockdev_rerun(argv, made, NULL);
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
        r = umockdev_rerun(argv, dir, NULL);
        free(dir);
        return r;
}
