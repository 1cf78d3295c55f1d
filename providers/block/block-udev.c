/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev database properties of one device (ID_MODEL, ID_SERIAL_SHORT, ID_WWN, ID_PART_*).
 *
 * With the sysroot "/" they come through libudev, which also works under umockdev's preload
 * (there the .umockdev file's E: lines are the properties). Under another sysroot libudev
 * cannot follow, so the database file <sysroot>/run/udev/data/b<major>:<minor> is read
 * directly: its E:KEY=value lines are the same properties. Without a database (containers,
 * minimal VMs) there are no properties, and the callers fall back to sysfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block.h"
#include "common/sysfs-read.h"

/* The largest database file read; real ones are a few KiB (long DEVLINKS lines included). */
#define UDEV_DB_MAX (64 * 1024)

static int load_from_libudev(struct block_call *bc, const char *name,
                             struct block_udev_props *ret)
{
        if (!bc->udev) {
                bc->udev = udev_new();
                if (!bc->udev)
                        return -ENOMEM;
        }
        ret->device = udev_device_new_from_subsystem_sysname(bc->udev, "block", name);
        if (!ret->device)
                return -ENOENT;
        return 0;
}

static int load_from_file(struct block_call *bc, uint32_t major, uint32_t minor,
                          struct block_udev_props *ret)
{
        char file[32];
        int r;

        if (bc->udev_data_fd == -2) {
                bc->udev_data_fd = openat(bc->sysroot_fd, "run/udev/data",
                                          O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (bc->udev_data_fd < 0)
                        bc->udev_data_fd = -1;
        }
        if (bc->udev_data_fd < 0)
                return -ENOENT;
        if (!bc->udev_buf) {
                bc->udev_buf = malloc(UDEV_DB_MAX);
                if (!bc->udev_buf)
                        return -ENOMEM;
                bc->udev_buf_size = UDEV_DB_MAX;
        }
        snprintf(file, sizeof(file), "b%u:%u", major, minor);
        r = sysfs_read_attr(bc->udev_data_fd, file, bc->udev_buf, bc->udev_buf_size);
        if (r == -EFBIG) {
                /* Keep the complete lines; the cut one is dropped. */
                char *last = strrchr(bc->udev_buf, '\n');

                glue_call_log(bc->call, LOG_DEBUG, "udev database file %s is longer "
                              "than %d bytes, read in part", file, UDEV_DB_MAX);
                if (last)
                        *last = '\0';
                r = (int)strlen(bc->udev_buf);
        }
        if (r < 0)
                return r;
        for (int i = 0; i < r; i++)
                if (bc->udev_buf[i] == '\n')
                        bc->udev_buf[i] = '\0';
        ret->db = bc->udev_buf;
        ret->db_len = (size_t)r;
        return 0;
}

int block_udev_load(struct block_call *bc, const char *name, uint32_t major, uint32_t minor,
                    struct block_udev_props *ret)
{
        int r;

        *ret = (struct block_udev_props){ 0 };
        if (bc->sysroot_is_root)
                r = load_from_libudev(bc, name, ret);
        else
                r = load_from_file(bc, major, minor, ret);
        if (r < 0 && r != -ENOENT)
                glue_call_log(bc->call, LOG_DEBUG, "%s: no udev properties: %s", name,
                              strerror(-r));
        return r;
}

void block_udev_release(struct block_udev_props *props)
{
        if (props->device)
                udev_device_unref(props->device);
        *props = (struct block_udev_props){ 0 };
}

const char *block_udev_get(const struct block_udev_props *props, const char *key)
{
        size_t klen = strlen(key);
        const char *value = NULL;

        if (props->device)
                value = udev_device_get_property_value(props->device, key);
        else if (props->db) {
                for (size_t off = 0; off < props->db_len;) {
                        const char *line = props->db + off;
                        size_t len = strlen(line);

                        if (len > klen + 2 && line[0] == 'E' && line[1] == ':' &&
                            strncmp(line + 2, key, klen) == 0 && line[klen + 2] == '=') {
                                value = line + klen + 3;
                                break;
                        }
                        off += len + 1;
                }
        }
        /* udev writes empty values (E:ID_FS_TYPE=): the same as absent for us. */
        return value && *value ? value : NULL;
}

int block_udev_decode(const char *encoded, char *buf, size_t size)
{
        size_t len = 0;

        if (size == 0)
                return -EINVAL;
        for (const char *p = encoded; *p && len < size - 1; p++) {
                int hi, lo;

                if (p[0] == '\\' && p[1] == 'x' && (hi = sysfs_hex_digit(p[2])) >= 0 &&
                    (lo = sysfs_hex_digit(p[3])) >= 0) {
                        buf[len++] = (char)(hi << 4 | lo);
                        p += 3;
                } else {
                        buf[len++] = *p;
                }
        }
        while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\0'))
                len--;
        buf[len] = '\0';
        return (int)len;
}
