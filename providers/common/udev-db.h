/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The udev database's properties of one block device (ID_MODEL, ID_SERIAL_SHORT, ID_PART_*,
 * ID_FS_*), for the providers that read them (block, filesystem).
 *
 * With the sysroot "/" they come through libudev, which also works under umockdev's preload
 * (there the .umockdev file's E: lines are the properties). Under another sysroot libudev
 * cannot follow, so the database file <sysroot>/run/udev/data/b<major>:<minor> is read
 * directly: its E:KEY=value lines are the same properties. Without a database (containers,
 * minimal VMs, no udevd) there are no properties.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct udev;
struct udev_device;

/* The largest database file read; real ones are a few KiB (long DEVLINKS lines included). */
#define UDEV_DB_MAX (64 * 1024)

/* One reader per operation (not shared between threads); zero it, then udev_db_init(). */
struct udev_db {
        int sysroot_fd;     /* borrowed */
        bool use_libudev;   /* the sysroot is "/" */
        struct udev *udev;  /* made on first use */
        int data_fd;        /* <sysroot>/run/udev/data; -1 none, -2 not opened yet */
        char *buf;          /* one device's database file, lines NUL-separated */
        size_t buf_size;
};

/* One device's properties, valid until udev_props_release() or the next load into the same
 * db (the file's lines live in db->buf). */
struct udev_props {
        struct udev_device *device;
        const char *db;
        size_t db_len;
        bool initialized; /* udevd has processed the device: its database entry exists */
        bool truncated;   /* the file was longer than the reader takes: its start was read */
};

void udev_db_init(struct udev_db *db, int sysroot_fd, bool sysroot_is_root);
void udev_db_done(struct udev_db *db);
/* Load the properties of the block device name (major:minor for the file). 0, -ENOENT when
 * there is no entry, or a negative errno (-EACCES, -EIO, -ENOMEM reading the file; the path is
 * then <sysroot>/run/udev/data/b<major>:<minor>). *ret is always usable (empty on failure). */
int udev_db_load(struct udev_db *db, const char *name, uint32_t major, uint32_t minor,
                 struct udev_props *ret);
void udev_props_release(struct udev_props *props);
/* The value of a property, or NULL (udev's empty values count as absent). Borrowed. */
const char *udev_props_get(const struct udev_props *props, const char *key);
/* Decode udev's \xNN escapes (the *_ENC properties) into buf; with trim, trailing blanks
 * (the padding of an inquiry model) are dropped. Returns the length, or -EINVAL. */
int udev_decode(const char *encoded, char *buf, size_t size, bool trim);
