/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What filesystem a device holds: the udev database's ID_FS_* properties where udevd wrote an
 * entry for the device (udevd's own libblkid probe, at the time the device appeared), else a
 * libblkid probe of the device node now (as lsblk does without udev). Probing reads the
 * device: it needs read access to the node (root, or the disk group), and a refusal is
 * reported as what it is (permission denied, with the node's path), not as "no filesystem".
 *
 * Under a sysroot the node is the tree's own <sysroot>/dev/NAME, opened without following a
 * link out of the tree, and only if it is a block device node: a recorded tree's dev/ holds
 * text files, not devices.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/sysfs-read.h"
#include "common/sysroot-open.h"
#include "filesystem-libs.h"
#include "filesystem.h"

static void copy_value(char *buf, size_t size, const char *value)
{
        if (value)
                snprintf(buf, size, "%s", value);
        else
                buf[0] = '\0';
}

/* An *_ENC property decoded (labels may hold blanks and any byte), else the plain one. */
static void copy_encoded(const struct udev_props *props, const char *enc_key, const char *key,
                         char *buf, size_t size)
{
        const char *enc = udev_props_get(props, enc_key);

        if (!enc || udev_decode(enc, buf, size, false) <= 0)
                copy_value(buf, size, udev_props_get(props, key));
}

/* 1: the database has an entry (its answer stands, filesystem or not), 0: none. */
static int identify_from_udev(struct fs_call *fc, const struct fs_device *dev,
                              struct fs_identity *id)
{
        struct udev_props props;
        int r = udev_db_load(&fc->udev, dev->name, dev->major, dev->minor, &props);

        if (r < 0) {
                if (r != -ENOENT) {
                        char rel[64], path[4096];

                        snprintf(rel, sizeof(rel), "run/udev/data/b%u:%u", dev->major,
                                 dev->minor);
                        fs_full_path(fc, rel, path, sizeof(path));
                        glue_call_note_read_error(fc->call, path, r);
                }
                udev_props_release(&props);
                return 0;
        }
        if (!props.initialized) {
                udev_props_release(&props);
                return 0;
        }
        copy_value(id->type, sizeof(id->type), udev_props_get(&props, "ID_FS_TYPE"));
        if (id->type[0]) {
                copy_value(id->version, sizeof(id->version),
                           udev_props_get(&props, "ID_FS_VERSION"));
                copy_encoded(&props, "ID_FS_UUID_ENC", "ID_FS_UUID", id->uuid, sizeof(id->uuid));
                copy_encoded(&props, "ID_FS_LABEL_ENC", "ID_FS_LABEL", id->label,
                             sizeof(id->label));
                copy_value(id->usage, sizeof(id->usage), udev_props_get(&props, "ID_FS_USAGE"));
                id->source = "udev";
        }
        udev_props_release(&props);
        return 1;
}

/* Is fd the node of the device? (not a node of another device, not another kind of file) */
static bool is_node_of(int fd, const struct fs_device *dev)
{
        struct stat st;

        return fstat(fd, &st) == 0 && S_ISBLK(st.st_mode) &&
               st.st_rdev == makedev(dev->major, dev->minor);
}

/* The device node, opened for reading without blocking on it; -ENOENT when there is none (or
 * it is not the device's). Under a sysroot it is looked at first without being opened (a
 * node of a tape drive would rewind on open), every link resolved inside the tree. */
static int open_node(struct fs_call *fc, const struct fs_device *dev, char *path, size_t size)
{
        int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
        char rel[300];
        int fd;

        snprintf(rel, sizeof(rel), "dev/%s", dev->name);
        for (char *p = rel; *p; p++)
                if (*p == '!')
                        *p = '/';
        if (fc->sysroot_is_root) {
                snprintf(path, size, "/%s", rel);
                fd = open(path, flags);
        } else {
                fs_full_path(fc, rel, path, size);
                fd = sysroot_open(fc->sysroot_fd, rel, O_PATH | O_CLOEXEC);
                if (fd < 0)
                        return -errno;
                if (!is_node_of(fd, dev)) {
                        close(fd);
                        return -ENOENT;
                }
                close(fd);
                fd = sysroot_open(fc->sysroot_fd, rel, flags);
        }
        if (fd < 0)
                return -errno;
        if (!is_node_of(fd, dev)) {
                close(fd);
                return -ENOENT;
        }
        return fd;
}

static bool probe_value(blkid_probe pr, const char *key, char *buf, size_t size)
{
        const char *data = NULL;

        if (sym_blkid_probe_lookup_value(pr, key, &data, NULL) == 0 && data) {
                snprintf(buf, size, "%s", data);
                return true;
        }
        buf[0] = '\0';
        return false;
}

static void identify_by_probe(struct fs_call *fc, const struct fs_device *dev,
                              struct fs_identity *id)
{
        char path[4096], size_attr[64], size_text[32];
        uint64_t sectors = 0;
        const char *error;
        blkid_probe pr;
        int fd, r;

        /* An empty device (a loop device with no file, a drive without a disc) holds nothing:
         * lsblk does not probe it either. */
        snprintf(size_attr, sizeof(size_attr), "sys/dev/block/%u:%u/size", dev->major,
                 dev->minor);
        if (sysfs_read_attr(fc->sysroot_fd, size_attr, size_text, sizeof(size_text)) > 0 &&
            sysfs_parse_uint64(size_text, &sectors) == 0 && sectors == 0)
                return;
        if (fs_load_libblkid(&error) < 0) {
                glue_call_log(fc->call, LOG_DEBUG, "%s: not probed: %s", dev->name, error);
                return;
        }
        fd = open_node(fc, dev, path, sizeof(path));
        if (fd < 0) {
                /* No node, no device behind it, no medium: nothing to probe. */
                if (fd == -ENOENT || fd == -ENXIO || fd == -ENODEV || fd == -ENOMEDIUM ||
                    fd == -ENOTDIR)
                        return;
                if (fd == -EACCES || fd == -EPERM)
                        glue_call_log(fc->call, LOG_DEBUG, "%s: probing the filesystem needs "
                                      "read access to %s", dev->name, path);
                glue_call_note_read_error(fc->call, path, fd);
                return;
        }
        pr = sym_blkid_new_probe();
        if (!pr || sym_blkid_probe_set_device(pr, fd, 0, 0) < 0) {
                glue_call_note_read_error(fc->call, path, pr ? -EIO : -ENOMEM);
                goto out;
        }
        /* As udev's builtin and lsblk: superblocks and partition tables at once, so that a
         * disk with a partition table is not taken for a stale filesystem signature. */
        sym_blkid_probe_enable_superblocks(pr, 1);
        sym_blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID |
                                                      BLKID_SUBLKS_TYPE | BLKID_SUBLKS_VERSION |
                                                      BLKID_SUBLKS_USAGE);
        sym_blkid_probe_enable_partitions(pr, 1);
        errno = 0;
        r = sym_blkid_do_safeprobe(pr);
        if (r == 0 && probe_value(pr, "TYPE", id->type, sizeof(id->type))) {
                probe_value(pr, "VERSION", id->version, sizeof(id->version));
                probe_value(pr, "UUID", id->uuid, sizeof(id->uuid));
                probe_value(pr, "LABEL", id->label, sizeof(id->label));
                probe_value(pr, "USAGE", id->usage, sizeof(id->usage));
                id->source = "libblkid";
        } else if (r == -2) {
                glue_call_log(fc->call, LOG_DEBUG, "%s: more than one filesystem signature: "
                              "none named", dev->name);
        } else if (r < 0) {
                int err = errno > 0 ? -errno : -EIO;

                if (err != -ENOMEDIUM)
                        glue_call_note_read_error(fc->call, path, err);
        }
out:
        sym_blkid_free_probe(pr);
        close(fd);
}

void fs_identify(struct fs_call *fc, const struct fs_device *dev, struct fs_identity *id)
{
        *id = (struct fs_identity){ 0 };
        if (identify_from_udev(fc, dev, id))
                return;
        identify_by_probe(fc, dev, id);
}
