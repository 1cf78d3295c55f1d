/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The hwmon chips that libsensors 3.6 lists, found as it finds them (lib/sysfs.c,
 * sensors_read_sysfs_chips()), without it and under any root directory.
 *
 * libsensors walks /sys/class/hwmon (or, on kernels before it, /sys/bus/i2c/devices) in the
 * directory's order. A chip's attributes are in its class directory, or for old drivers in its
 * device's own; it needs a `name` and at least one subfeature file (sensors-listing.h). Its bus
 * type, bus number and address come from the device's name and the name of its `subsystem` link
 * (`bus` on old kernels), walking up `device` links until one classifies; none: a virtual chip.
 * I2C adapters are named by class/i2c-adapter/i2c-N/name. Each file is read as libsensors reads
 * it (a `name` is its first line less its last byte), but never blocking: O_NONBLOCK, and a
 * FIFO is reported as what it is instead of read.
 *
 * Where libsensors would fail its whole initialisation (a chip directory it cannot list, a
 * `subsystem` that is not a link), this walk skips that one chip, says which, and goes on;
 * where it would crash (a link target without '/') or block (a FIFO as a `name`), the walk
 * takes the target for the name, or notes the FIFO as unreadable and skips its chip. These
 * are the deliberate differences.
 */
#pragma once

#include <dirent.h>
#include <stdbool.h>
#include <sys/types.h>

#include <sensors/sensors.h>

#include "libglue.h"
#include "sensors-listing.h"

struct sensors_walk {
        struct glue_call *call;         /* for messages and unreadable files, or NULL */
        int sys_fd;                     /* <sysroot>/sys */
        char *sys_path;                 /* its name as opened: "/sys" or "<sysroot>/sys" */
        DIR *dir;                       /* class/hwmon, or bus/i2c/devices */
        bool compat;                    /* the i2c devices of kernels before class/hwmon */
        bool adapters_listed;
        struct i2c_adapter *adapters;   /* in the directory's order, as libsensors keeps them */
        size_t n_adapters;
        /* the chips seen, by name: libsensors answers for the first of a name (an open
         * addressed set of struct seen_chip) */
        struct seen_chip *seen;
        size_t n_seen, seen_allocated;
        struct bus_kind *buses;         /* the I2C buses looked at: an ISA bridge's or not */
        size_t n_buses;
        dev_t *sysfs_devs;              /* the device numbers of sysfs mounts */
        size_t n_sysfs_devs;
};

struct sensors_walk_chip {
        /* as libsensors makes it: prefix, bus, address and path (owned); path is
         * "/sys/class/hwmon/hwmonN", or the device's own directory for old drivers */
        sensors_chip_name name;
        char printed[256];              /* sensors_snprintf_chip_name(): "coretemp-isa-0000" */
        const char *adapter;            /* borrowed (the walk's, or libsensors' constant), or NULL */
        int dirfd;                      /* the attribute directory (owned) */
        /* the attribute directory and the device it belongs to as "/sys/devices/..." paths
         * under the root (owned), or NULL: not found or outside the tree */
        char *hwmon_path;
        char *device_path;
        /* named like an earlier chip: libsensors looks every chip up by name, so the features
         * listed are that earlier chip's (read from this chip's directory) */
        bool named_like_earlier;
        /* its directory is sysfs's own (kernfs): there a file with no read permission has no
         * read operation, and its open fails as libsensors' mode check does, even for root */
        bool on_sysfs;
};

/* Start a walk of <sysroot>/sys (sysroot NULL or "/": /sys, which umockdev's preload may
 * redirect). Returns 0; -ENOENT if there is no hwmon class directory (nor the old i2c one):
 * no chips; or another negative errno, logged. */
int sensors_walk_open(struct sensors_walk *walk, struct glue_call *call, const char *sysroot);
void sensors_walk_close(struct sensors_walk *walk);

/* The next chip, with its features and subfeatures into listing (the earlier chip's for one
 * named like it). Returns 1, 0 at the end, or -ENOMEM. Chips that libsensors drops (no name, no
 * subfeature) are skipped silently; chips it could not take are skipped with a message. */
int sensors_walk_next(struct sensors_walk *walk, struct sensors_walk_chip *chip,
                      struct sensors_listing *listing);
void sensors_walk_chip_clear(struct sensors_walk_chip *chip);

/* A path relative to walk->sys_fd ("class/hwmon/hwmon0") as the tree's own "/sys/..." path
 * (what properties show, what libsensors would see there). Owned, or NULL. Messages and
 * unreadable files name what was opened: walk->sys_path and the same relative path. */
char *sensors_walk_path(const struct sensors_walk *walk, const char *relative);

/* Read a sysfs attribute as libsensors' sysfs_read_attr() does (its first line up to 127 bytes,
 * less its last byte, up to a NUL), without blocking. Returns the length, or a negative errno:
 * -ENOENT, -ENODATA (empty: libsensors takes it as missing), -EAGAIN (a FIFO), ... */
int sensors_read_attr_line(int dirfd, const char *name, char *buf, size_t size);
