/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Finding block devices: a readdir walk of <sysroot>/sys/class/block that posts each device as
 * it is read (no list is gathered or sorted first), and the lookup of one device by its kernel
 * name. Then sys/block, as lsblk walks it (each disk, and the partitions in its directory), for
 * the disks that sys/class/block lacked: none on a live kernel, but recorded trees (util-linux's
 * lsblk dumps have no sys/class at all) and hand-merged ones do.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block.h"
#include "common/sysfs-name.h"

#define OPEN_DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK)

bool block_name_is_valid(const char *name)
{
        /* The kernel caps disk names at DISK_NAME_LEN (32); partitions add a few characters.
         * Any printable ASCII but '/' can be one entry of sys/class/block (recorded and
         * hand-made trees spell names oddly, tests/hostile has 'sd"q\'); control bytes,
         * bytes past ASCII, a second path component, "." and ".." cannot. */
        return sysfs_name_is_safe(name, 64, SYSFS_NAME_PUNCTUATION);
}

/* The link target of a class/block or sys/block entry, into buf; "" for a plain directory. */
static void read_devpath(int parent_fd, const char *name, char *buf, size_t size)
{
        ssize_t n = readlinkat(parent_fd, name, buf, size - 1);

        buf[n > 0 ? n : 0] = '\0';
}

static int post_entry(struct block_call *bc, int parent_fd, const char *name,
                      const char *disk)
{
        char devpath[4096];
        struct block_entry entry = { .name = name, .parent_fd = parent_fd, .parent_name = disk };
        int r;

        if (!block_name_is_valid(name)) {
                glue_call_log(bc->call, LOG_DEBUG, "skipping odd entry name");
                return 0;
        }
        /* Follows the class link; a dangling link is ENOENT, a looping one ELOOP. */
        entry.dir_fd = openat(parent_fd, name, OPEN_DIR_FLAGS);
        if (entry.dir_fd < 0) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: skipped, cannot open: %s", name,
                              strerror(errno));
                return 0;
        }
        read_devpath(parent_fd, name, devpath, sizeof(devpath));
        entry.devpath = devpath[0] ? devpath : NULL;
        r = block_device_post(bc, &entry);
        close(entry.dir_fd);
        if (r == -ENOENT) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: skipped: no uevent, dev, size or stat "
                              "(not a device, or it vanished)", name);
                r = 0;
        } else if (r == -ENODEV) {
                glue_call_log(bc->call, LOG_NOTICE, "%s: vanished while it was read, not posted",
                              name);
                r = 0;
        }
        return r;
}

static bool is_partition_dir(int disk_fd, const char *disk, const char *name)
{
        char path[300];
        struct stat st;

        /* lsblk's test: a subdirectory named after the disk that has a partition attribute. */
        if (strncmp(name, disk, strlen(disk)) != 0)
                return false;
        if ((size_t)snprintf(path, sizeof(path), "%s/partition", name) >= sizeof(path))
                return false;
        return fstatat(disk_fd, path, &st, 0) == 0 && S_ISREG(st.st_mode);
}

static int walk_partitions(struct block_call *bc, int sys_block_fd, const char *disk,
                           int class_fd)
{
        struct dirent *de;
        DIR *dir;
        int fd, r = 0;

        fd = openat(sys_block_fd, disk, OPEN_DIR_FLAGS);
        if (fd < 0)
                return 0;
        dir = fdopendir(fd);
        if (!dir) {
                close(fd);
                return 0;
        }
        while (r >= 0 && (de = readdir(dir))) {
                if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
                        continue;
                if (!is_partition_dir(dirfd(dir), disk, de->d_name))
                        continue;
                if (class_fd >= 0 && faccessat(class_fd, de->d_name, F_OK, 0) == 0)
                        continue;
                r = post_entry(bc, dirfd(dir), de->d_name, disk);
        }
        closedir(dir);
        return r;
}

/* with_partitions: fd is sys/block, whose disks hold their partitions. class_fd: when not -1,
 * the entries sys/class/block already gave are skipped. */
static int walk_dir(struct block_call *bc, int fd, bool with_partitions, int class_fd)
{
        struct dirent *de;
        DIR *dir;
        int r = 0;

        dir = fdopendir(fd);
        if (!dir) {
                r = -errno;
                close(fd);
                return r;
        }
        while (r >= 0 && (de = readdir(dir))) {
                if (de->d_name[0] == '.')
                        continue;
                if (with_partitions) {
                        /* umockdev also links partitions into sys/block: they are posted
                         * from their disk's directory, once. */
                        if (is_partition_dir(dirfd(dir), "", de->d_name))
                                continue;
                }
                if (class_fd >= 0 && faccessat(class_fd, de->d_name, F_OK, 0) == 0)
                        continue;
                r = post_entry(bc, dirfd(dir), de->d_name, NULL);
                if (r >= 0 && with_partitions)
                        r = walk_partitions(bc, dirfd(dir), de->d_name, class_fd);
        }
        closedir(dir);
        return r;
}

int block_walk(struct block_call *bc)
{
        int class_fd, block_fd, r = 0;

        class_fd = openat(bc->sysroot_fd, "sys/class/block", OPEN_DIR_FLAGS);
        if (class_fd >= 0) {
                int fd = dup(class_fd);

                r = fd < 0 ? -errno : walk_dir(bc, fd, false, -1);
                if (r < 0) {
                        close(class_fd);
                        return r;
                }
        }
        /* A kernel lists every disk in both; a recorded or hand-merged tree may hold a disk
         * in sys/block only (or a dangling class link to it): those come second. */
        block_fd = openat(bc->sysroot_fd, "sys/block", OPEN_DIR_FLAGS);
        if (block_fd >= 0)
                r = walk_dir(bc, block_fd, true, class_fd);
        if (class_fd < 0 && block_fd < 0)
                glue_call_log(bc->call, LOG_WARNING, "no block devices: no sys/class/block or sys/block");
        if (class_fd >= 0)
                close(class_fd);
        return r;
}

/* The disk a partition name belongs to, by the kernel's naming: sda1 -> sda, nvme0n1p2 ->
 * nvme0n1, mmcblk0p1 -> mmcblk0 (a 'p' separates when the disk name ends in a digit). */
static bool guess_disk_name(const char *name, char *buf, size_t size)
{
        size_t len = strlen(name);

        while (len > 0 && isdigit((unsigned char)name[len - 1]))
                len--;
        if (len == 0 || len == strlen(name))
                return false;
        if (len >= 2 && name[len - 1] == 'p' && isdigit((unsigned char)name[len - 2]))
                len--;
        if (len >= size)
                return false;
        memcpy(buf, name, len);
        buf[len] = '\0';
        return true;
}

static int get_from_dir(struct block_call *bc, const char *dir, const char *name,
                        const char *disk)
{
        int fd, r;

        fd = openat(bc->sysroot_fd, dir, OPEN_DIR_FLAGS);
        if (fd < 0)
                return -ENOENT;
        if (faccessat(fd, name, F_OK, 0) < 0) {
                close(fd);
                return -ENOENT;
        }
        r = post_entry(bc, fd, name, disk);
        close(fd);
        /* Found but not posted: of another class than asked, or vanished. */
        return r > 0 ? 0 : r == 0 ? -ENOENT : r;
}

int block_get(struct block_call *bc, const char *name)
{
        char disk[80], path[160];
        int r;

        if (!block_name_is_valid(name))
                return -ENOENT;
        r = get_from_dir(bc, "sys/class/block", name, NULL);
        if (r != -ENOENT)
                return r;
        r = get_from_dir(bc, "sys/block", name, NULL);
        if (r != -ENOENT)
                return r;
        /* Without class/block a partition lives in its disk's directory only. */
        if (!guess_disk_name(name, disk, sizeof(disk)))
                return -ENOENT;
        snprintf(path, sizeof(path), "sys/block/%s", disk);
        return get_from_dir(bc, path, name, disk);
}
