/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Finding the block devices that may hold a filesystem: <sysroot>/sys/dev/block, whose entries
 * are named by device number (what the udev database and the mount table are indexed by) and
 * link to the device (whose directory name is the kernel name, the key); sys/class/block where
 * a tree has no sys/dev/block. Devices are read one at a time as the walk meets them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/sysfs-name.h"
#include "common/sysfs-read.h"
#include "filesystem.h"

#define OPEN_DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK)

static bool name_is_valid(const char *name)
{
        return sysfs_name_is_safe(name, 64, SYSFS_NAME_PUNCTUATION);
}

/* "8:1" -> 8, 1 */
static bool parse_devnum(const char *text, uint32_t *major, uint32_t *minor)
{
        char buf[32];
        const char *colon = strchr(text, ':');
        uint64_t ma, mi;

        if (!colon || (size_t)(colon - text) >= sizeof(buf))
                return false;
        memcpy(buf, text, (size_t)(colon - text));
        buf[colon - text] = '\0';
        if (sysfs_parse_uint64(buf, &ma) < 0 || sysfs_parse_uint64(colon + 1, &mi) < 0 ||
            ma > UINT32_MAX || mi > UINT32_MAX)
                return false;
        *major = (uint32_t)ma;
        *minor = (uint32_t)mi;
        return true;
}

/* The path lsblk shows and the mount table names the device by. dir_fd/dir: where the
 * device's directory is found (for dm/name). */
static void device_path(struct fs_call *fc, int dir_fd, const char *dir, struct fs_device *dev)
{
        char attr[128], dm_name[256];

        if (strncmp(dev->name, "dm-", 3) == 0 &&
            (size_t)snprintf(attr, sizeof(attr), "%s/dm/name", dir) < sizeof(attr) &&
            sysfs_read_attr(dir_fd, attr, dm_name, sizeof(dm_name)) > 0) {
                snprintf(dev->path, sizeof(dev->path), "/dev/mapper/%s", dm_name);
                /* on this machine only when udev made the link, as lsblk */
                if (!fc->sysroot_is_root || access(dev->path, F_OK) == 0)
                        return;
        }
        snprintf(dev->path, sizeof(dev->path), "/dev/%s", dev->name);
        for (char *p = dev->path; *p; p++)
                if (*p == '!')
                        *p = '/';
}

/* One entry of sys/dev/block: "major:minor" linking to the device's directory. */
static int post_devnum_entry(struct fs_call *fc, int dir_fd, const char *entry)
{
        char target[4096];
        struct fs_device dev = { 0 };
        const char *base;
        ssize_t n;

        if (!parse_devnum(entry, &dev.major, &dev.minor))
                return 0;
        n = readlinkat(dir_fd, entry, target, sizeof(target) - 1);
        if (n <= 0)
                return 0;
        target[n] = '\0';
        base = strrchr(target, '/');
        base = base ? base + 1 : target;
        if (!name_is_valid(base)) {
                glue_call_log(fc->call, LOG_DEBUG, "sys/dev/block/%s: odd device name skipped",
                              entry);
                return 0;
        }
        dev.name = base;
        device_path(fc, dir_fd, entry, &dev);
        return fs_device_post(fc, &dev);
}

/* One entry of sys/class/block (or sys/block): the kernel name, its dev file the number. */
static int post_name_entry(struct fs_call *fc, int dir_fd, const char *name)
{
        char attr[128], text[64];
        struct fs_device dev = { .name = name };
        int r;

        if (!name_is_valid(name))
                return 0;
        snprintf(attr, sizeof(attr), "%s/dev", name);
        r = sysfs_read_attr(dir_fd, attr, text, sizeof(text));
        if (r < 0 || !parse_devnum(text, &dev.major, &dev.minor)) {
                /* no device number: nothing to find in udev or the mount table by */
                if (r != -ENOENT) {
                        char rel[256], path[4096];

                        snprintf(rel, sizeof(rel), "sys/class/block/%s", attr);
                        fs_full_path(fc, rel, path, sizeof(path));
                        glue_call_note_read_error(fc->call, path, r < 0 ? r : -EINVAL);
                }
                return 0;
        }
        device_path(fc, dir_fd, name, &dev);
        return fs_device_post(fc, &dev);
}

static int walk_dir(struct fs_call *fc, int fd, bool by_devnum)
{
        struct dirent *de;
        DIR *dir = fdopendir(fd);
        int r = 0;

        if (!dir) {
                r = -errno;
                close(fd);
                return r;
        }
        while (r >= 0 && (de = readdir(dir))) {
                if (de->d_name[0] == '.')
                        continue;
                r = by_devnum ? post_devnum_entry(fc, dirfd(dir), de->d_name)
                              : post_name_entry(fc, dirfd(dir), de->d_name);
        }
        closedir(dir);
        return r < 0 ? r : 0;
}

int fs_walk(struct fs_call *fc)
{
        int fd = openat(fc->sysroot_fd, "sys/dev/block", OPEN_DIR_FLAGS);

        if (fd >= 0)
                return walk_dir(fc, fd, true);
        fd = openat(fc->sysroot_fd, "sys/class/block", OPEN_DIR_FLAGS);
        if (fd >= 0)
                return walk_dir(fc, fd, false);
        glue_call_log(fc->call, LOG_DEBUG, "%s: neither sys/dev/block nor sys/class/block",
                      fc->sysroot);
        return 0;
}

int fs_get(struct fs_call *fc, const char *name)
{
        static const char *const dirs[] = { "sys/class/block", "sys/block" };
        struct dirent *de;
        DIR *dir;
        int fd, r = 0;

        for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
                struct stat st;

                fd = openat(fc->sysroot_fd, dirs[i], OPEN_DIR_FLAGS);
                if (fd < 0)
                        continue;
                if (fstatat(fd, name, &st, 0) == 0) {
                        r = post_name_entry(fc, fd, name);
                        close(fd);
                        return r > 0 ? 0 : r == 0 ? -ENOENT : r;
                }
                close(fd);
        }
        /* A recorded tree with neither (partitions live in their disk's directory): the
         * entry of sys/dev/block that links to a directory of that name. */
        fd = openat(fc->sysroot_fd, "sys/dev/block", OPEN_DIR_FLAGS);
        if (fd < 0)
                return -ENOENT;
        dir = fdopendir(fd);
        if (!dir) {
                close(fd);
                return -ENOENT;
        }
        r = -ENOENT;
        while ((de = readdir(dir))) {
                char target[4096];
                const char *base;
                ssize_t n = readlinkat(dirfd(dir), de->d_name, target, sizeof(target) - 1);

                if (n <= 0)
                        continue;
                target[n] = '\0';
                base = strrchr(target, '/');
                if (base && strcmp(base + 1, name) == 0) {
                        r = post_devnum_entry(fc, dirfd(dir), de->d_name);
                        r = r > 0 ? 0 : r == 0 ? -ENOENT : r;
                        break;
                }
        }
        closedir(dir);
        return r;
}
