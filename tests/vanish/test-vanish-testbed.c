/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Devices removed from a umockdev testbed while CIM_LogicalDevice is enumerated (run under
 * umockdev-wrapper, which preloads libumockdev: the providers read the testbed as "/"): 48 disks
 * (12 with a partition), 48 PCI functions and 16 hwmon chips of 3 sensors on the first PCI
 * functions. Each round removes a third of the disks, a third of the PCI functions (with their
 * chips) and a quarter of the chips alone, with umockdev_testbed_remove_device() in the kernel's
 * order (children first), after the first 1, 5, 20 and 60 instances. A last round removes each
 * chosen disk and PCI function in the middle of its own reading: when the provider opens its
 * "removable" or "irq" attribute (this program's openat64 comes before libc's). vanish-round.c
 * checks what came.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umockdev.h>
#include <unistd.h>

#include "test-util.h"
#include "vanish-round.h"

#define N_DISKS 48
#define N_PARTITIONED 12
#define N_PCI 48
#define N_CHIPS 16

struct testbed {
        UMockdevTestbed *bed;
        char *disks[N_DISKS], *partitions[N_PARTITIONED], *pci[N_PCI], *chips[N_CHIPS];
        unsigned round;
        /* The round that removes devices halfway through their reading. */
        bool mid_read;
        bool removed_disk[N_DISKS], removed_pci[N_PCI];
};

static void add_devices(struct testbed *t)
{
        for (unsigned i = 0; i < N_DISKS; i++) {
                char name[16], dev[16], minor[16];

                snprintf(name, sizeof(name), "sd%c%c", 'a' + i / 26, 'a' + i % 26);
                /* Major 240: local use, so the host's udev database has nothing for them. */
                snprintf(dev, sizeof(dev), "240:%u", i * 16);
                snprintf(minor, sizeof(minor), "%u", i * 16);
                t->disks[i] = umockdev_testbed_add_device(
                        t->bed, "block", name, NULL,
                        "dev", dev, "size", "2097152", "removable", "0", "ro", "0",
                        "stat", "10 2 800 30 20 4 1600 60 0 90 90 0 0 0 0 0 0",
                        "queue/rotational", "1", "queue/logical_block_size", "512",
                        "queue/physical_block_size", "4096", "queue/scheduler", "[none]",
                        "device/model", "VanishDisk", "device/vendor", "ATA",
                        NULL,
                        "DEVTYPE", "disk", "MAJOR", "240", "MINOR", minor, "DEVNAME", name,
                        NULL);
                if (i < N_PARTITIONED) {
                        char part[24], pdev[16], pminor[16];

                        snprintf(part, sizeof(part), "%s1", name);
                        snprintf(pdev, sizeof(pdev), "240:%u", i * 16 + 1);
                        snprintf(pminor, sizeof(pminor), "%u", i * 16 + 1);
                        t->partitions[i] = umockdev_testbed_add_device(
                                t->bed, "block", part, t->disks[i],
                                "dev", pdev, "size", "2095104", "partition", "1",
                                "start", "2048", "stat", "5 0 40 3 0 0 0 0 0 3 3",
                                NULL,
                                "DEVTYPE", "partition", "MAJOR", "240", "MINOR", pminor,
                                "DEVNAME", part, "PARTN", "1",
                                NULL);
                }
        }
        for (unsigned i = 0; i < N_PCI; i++) {
                char name[32];

                snprintf(name, sizeof(name), "0000:%02x:00.0", i + 1);
                t->pci[i] = umockdev_testbed_add_device(
                        t->bed, "pci", name, NULL,
                        "vendor", "0x8086", "device", "0x10d3", "class", "0x020000",
                        "revision", "0x01", "subsystem_vendor", "0x8086",
                        "subsystem_device", "0xa01f", "irq", "17", "numa_node", "-1",
                        "power_state", "D0",
                        NULL,
                        "PCI_SLOT_NAME", name, "PCI_CLASS", "20000",
                        NULL);
                if (i < N_CHIPS) {
                        char hwmon[16];

                        snprintf(hwmon, sizeof(hwmon), "hwmon%u", i);
                        t->chips[i] = umockdev_testbed_add_device(
                                t->bed, "hwmon", hwmon, t->pci[i],
                                "name", "tchip\n", "temp1_input", "42000", "temp1_max", "80000",
                                "temp1_crit", "95000", "in0_input", "1200", "in0_min", "1000",
                                "fan1_input", "1500", "fan1_min", "300",
                                NULL, NULL);
                        /* The kernel's link to the parent device: libsensors names the chip
                         * after it ("tchip-pci-0100"). */
                        umockdev_testbed_set_attribute_link(t->bed, t->chips[i], "device", "..");
                }
        }
}

static void free_paths(struct testbed *t)
{
        for (unsigned i = 0; i < N_DISKS; i++)
                g_free(t->disks[i]);
        for (unsigned i = 0; i < N_PARTITIONED; i++)
                g_free(t->partitions[i]);
        for (unsigned i = 0; i < N_PCI; i++)
                g_free(t->pci[i]);
        for (unsigned i = 0; i < N_CHIPS; i++)
                g_free(t->chips[i]);
        memset(t->disks, 0, sizeof(t->disks));
        memset(t->partitions, 0, sizeof(t->partitions));
        memset(t->pci, 0, sizeof(t->pci));
        memset(t->chips, 0, sizeof(t->chips));
}

static bool disk_goes(const struct testbed *t, unsigned i) { return (i + t->round) % 3 == 0; }
static bool pci_goes(const struct testbed *t, unsigned i) { return (i + t->round) % 3 == 1; }
static bool chip_goes(const struct testbed *t, unsigned i)
{
        return pci_goes(t, i) || (i + t->round) % 4 == 2;
}

/* ---- removal in the middle of a device's reading ----------------------------------------- */

static struct {
        pthread_mutex_t lock;
        atomic_bool armed;
        struct testbed *t;
        unsigned removed;
} mid_read = { .lock = PTHREAD_MUTEX_INITIALIZER };

typedef int (*openat64_fn)(int dirfd, const char *path, int flags, ...);
static openat64_fn next_openat64;

/* Remove the chosen disk or PCI function whose directory dirfd is, if it is one. */
static void remove_device_being_read(int dirfd)
{
        struct testbed *t = mid_read.t;
        char fd_link[64], target[PATH_MAX], *root;
        const char *syspath;
        size_t root_len;
        ssize_t n;

        snprintf(fd_link, sizeof(fd_link), "/proc/self/fd/%d", dirfd);
        n = readlink(fd_link, target, sizeof(target) - 1);
        if (n <= 0)
                return;
        target[n] = '\0';
        root = umockdev_testbed_get_root_dir(t->bed);
        root_len = strlen(root);
        n = strncmp(target, root, root_len);
        g_free(root);
        if (n != 0)
                return;
        syspath = target + root_len;
        pthread_mutex_lock(&mid_read.lock);
        for (unsigned i = 0; i < N_DISKS; i++)
                if (disk_goes(t, i) && !t->removed_disk[i] && strcmp(syspath, t->disks[i]) == 0) {
                        if (i < N_PARTITIONED)
                                umockdev_testbed_remove_device(t->bed, t->partitions[i]);
                        umockdev_testbed_remove_device(t->bed, t->disks[i]);
                        t->removed_disk[i] = true;
                        mid_read.removed++;
                }
        for (unsigned i = 0; i < N_PCI; i++)
                if (pci_goes(t, i) && !t->removed_pci[i] && strcmp(syspath, t->pci[i]) == 0) {
                        if (i < N_CHIPS)
                                umockdev_testbed_remove_device(t->bed, t->chips[i]);
                        umockdev_testbed_remove_device(t->bed, t->pci[i]);
                        t->removed_pci[i] = true;
                        mid_read.removed++;
                }
        pthread_mutex_unlock(&mid_read.lock);
}

/* The providers' openat64 calls (through libglue's PLT) reach this one first: a program's own
 * symbols come before those of umockdev's preload and of libc, which it then calls. A disk's
 * "removable" is read after its size, queue and ro attributes and before its stat, holders and
 * model; a PCI function's "irq" after its IDs and before its links, power state and slot. */
__attribute__((visibility("default"))) int openat64(int dirfd, const char *path, int flags, ...)
{
        mode_t mode = 0;

        if (flags & (O_CREAT | O_TMPFILE)) {
                va_list args;

                va_start(args, flags);
                mode = va_arg(args, mode_t);
                va_end(args);
        }
        if (!next_openat64)
                next_openat64 = (openat64_fn)dlsym(RTLD_NEXT, "openat64");
        if (atomic_load(&mid_read.armed) && dirfd >= 0 &&
            (strcmp(path, "removable") == 0 || strcmp(path, "irq") == 0))
                remove_device_being_read(dirfd);
        return next_openat64(dirfd, path, flags, mode);
}

/* ---- choosing and removing ------------------------------------------------------------------ */

static void choose(struct glue_instance *const *baseline, size_t n, struct removal *removal,
                   void *userdata)
{
        struct testbed *t = userdata;

        if (t->mid_read) {
                /* Disks and PCI functions only (with their partitions and chips), each removed
                 * when its own reading reaches the attribute; armed once the baseline is in. */
                for (unsigned i = 0; i < N_DISKS; i++)
                        if (disk_goes(t, i))
                                removal_add(removal, t->disks[i]);
                for (unsigned i = 0; i < N_PCI; i++)
                        if (pci_goes(t, i)) {
                                removal_add(removal, t->pci[i]);
                                if (i < N_CHIPS)
                                        removal_add(removal, t->chips[i]);
                        }
                mid_read.t = t;
                mid_read.removed = 0;
                atomic_store(&mid_read.armed, true);
                return;
        }
        for (unsigned i = 0; i < N_DISKS; i++)
                if (disk_goes(t, i))
                        removal_add(removal, t->disks[i]);
        for (unsigned i = 0; i < N_PCI; i++)
                if (pci_goes(t, i))
                        removal_add(removal, t->pci[i]);
        for (unsigned i = 0; i < N_CHIPS; i++)
                if (chip_goes(t, i))
                        removal_add(removal, t->chips[i]);
}

static void remove_chosen(const struct removal *removal, void *userdata)
{
        struct testbed *t = userdata;

        if (t->mid_read)
                return; /* openat64 above does it */
        /* Children before their parents, as device_del() runs for them: the kernel takes a
         * device's links away first, then its files (umockdev's remove_device does the same for
         * the one device it is given, but leaves its children's links). Disks and PCI functions
         * alternate, to meet the providers' threads at different places. */
        for (unsigned i = 0; i < N_DISKS || i < N_PCI; i++) {
                if (i < N_DISKS && disk_goes(t, i)) {
                        if (i < N_PARTITIONED)
                                umockdev_testbed_remove_device(t->bed, t->partitions[i]);
                        umockdev_testbed_remove_device(t->bed, t->disks[i]);
                }
                if (i < N_CHIPS && chip_goes(t, i))
                        umockdev_testbed_remove_device(t->bed, t->chips[i]);
                if (i < N_PCI && pci_goes(t, i))
                        umockdev_testbed_remove_device(t->bed, t->pci[i]);
        }
}

int main(void)
{
        /* The last round (trigger 1 again) removes in the middle of the reading. */
        static const size_t triggers[] = { 1, 5, 20, 60, 1 };
        const unsigned n_rounds = sizeof(triggers) / sizeof(triggers[0]);
        struct testbed t = { 0 };
        struct glue_context *ctx;

        next_openat64 = (openat64_fn)dlsym(RTLD_NEXT, "openat64");

        /* The preload follows UMOCKDEV_DIR, which the testbed sets. */
        t.bed = umockdev_testbed_new();
        if (!umockdev_in_mock_environment()) {
                fprintf(stderr, "run me under umockdev-wrapper\n");
                return 1;
        }
        ctx = vanish_context_new(NULL);
        check(ctx != NULL);
        for (unsigned round = 0; ctx && round < n_rounds; round++) {
                struct vanish_round r = {
                        .ctx = ctx,
                        .trigger_after = triggers[round],
                        .choose = choose,
                        .remove = remove_chosen,
                        .userdata = &t,
                };
                char what[64];

                t.round = round;
                t.mid_read = round == n_rounds - 1;
                memset(t.removed_disk, 0, sizeof(t.removed_disk));
                memset(t.removed_pci, 0, sizeof(t.removed_pci));
                umockdev_testbed_clear(t.bed);
                free_paths(&t);
                add_devices(&t);
                snprintf(what, sizeof(what), "testbed, round %u%s", round,
                         t.mid_read ? " (removed halfway through their reading)" : "");
                vanish_round_run(&r, what);
                if (t.mid_read) {
                        unsigned chosen = 0;

                        atomic_store(&mid_read.armed, false);
                        for (unsigned i = 0; i < N_DISKS || i < N_PCI; i++)
                                chosen += (i < N_DISKS && disk_goes(&t, i)) +
                                          (i < N_PCI && pci_goes(&t, i));
                        /* Every chosen device was read, so every one went mid-read. */
                        check_int_eq(mid_read.removed, chosen);
                }
        }
        glue_context_unref(ctx);
        free_paths(&t);
        g_object_unref(t.bed);
        printf("%s vanish-testbed\n", test_failures ? "not ok" : "ok");
        return test_failures ? 1 : 0;
}
