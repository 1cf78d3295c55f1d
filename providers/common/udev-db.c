/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs-read.h"
#include "udev-db.h"


void udev_db_init(struct udev_db *db, int sysroot_fd, bool sysroot_is_root)
{
        *db = (struct udev_db){
                .sysroot_fd = sysroot_fd,
                .use_libudev = sysroot_is_root,
                .data_fd = -2,
        };
}

void udev_db_done(struct udev_db *db)
{
        if (db->data_fd >= 0)
                close(db->data_fd);
        if (db->udev)
                udev_unref(db->udev);
        free(db->buf);
        *db = (struct udev_db){ .sysroot_fd = -1, .data_fd = -1 };
}

static int load_from_libudev(struct udev_db *db, const char *name, struct udev_props *ret)
{
        if (!db->udev) {
                db->udev = udev_new();
                if (!db->udev)
                        return -ENOMEM;
        }
        ret->device = udev_device_new_from_subsystem_sysname(db->udev, "block", name);
        if (!ret->device)
                return -ENOENT;
        /* Without udevd's database entry libudev still makes the device from sysfs: its
         * uevent's keys, none of udevd's ID_* properties. */
        ret->initialized = udev_device_get_is_initialized(ret->device) > 0;
        return 0;
}

static int load_from_file(struct udev_db *db, uint32_t major, uint32_t minor,
                          struct udev_props *ret)
{
        char file[32];
        int r;

        if (db->data_fd == -2) {
                db->data_fd = openat(db->sysroot_fd, "run/udev/data",
                                     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (db->data_fd < 0)
                        db->data_fd = -1;
        }
        if (db->data_fd < 0)
                return -ENOENT;
        if (!db->buf) {
                db->buf = malloc(UDEV_DB_MAX);
                if (!db->buf)
                        return -ENOMEM;
                db->buf_size = UDEV_DB_MAX;
        }
        snprintf(file, sizeof(file), "b%u:%u", major, minor);
        r = sysfs_read_attr(db->data_fd, file, db->buf, db->buf_size);
        if (r == -EFBIG) {
                /* Keep the complete lines; the cut one is dropped. */
                char *last = strrchr(db->buf, '\n');

                if (last)
                        *last = '\0';
                r = (int)strlen(db->buf);
                ret->truncated = true;
        }
        if (r < 0)
                return r;
        for (int i = 0; i < r; i++)
                if (db->buf[i] == '\n')
                        db->buf[i] = '\0';
        ret->db = db->buf;
        ret->db_len = (size_t)r;
        ret->initialized = true;
        return 0;
}

int udev_db_load(struct udev_db *db, const char *name, uint32_t major, uint32_t minor,
                 struct udev_props *ret)
{
        *ret = (struct udev_props){ 0 };
        if (db->use_libudev)
                return load_from_libudev(db, name, ret);
        return load_from_file(db, major, minor, ret);
}

void udev_props_release(struct udev_props *props)
{
        if (props->device)
                udev_device_unref(props->device);
        *props = (struct udev_props){ 0 };
}

const char *udev_props_get(const struct udev_props *props, const char *key)
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

int udev_decode(const char *encoded, char *buf, size_t size, bool trim)
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
        while (trim && len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\0'))
                len--;
        buf[len] = '\0';
        return (int)len;
}
