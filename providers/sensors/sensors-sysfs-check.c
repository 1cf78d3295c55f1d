/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sensors-sysfs-check.h"

/* dir/name into buf; false if it does not fit (libsensors' own buffers are smaller still, so
 * it never reaches such a path whole). Full paths, as libsensors uses them, so that umockdev's
 * preload sees the same tree. */
static bool join(char *buf, size_t size, const char *dir, const char *name)
{
        int n = snprintf(buf, size, "%s/%s", dir, name);

        return n >= 0 && (size_t)n < size;
}

static bool exists(const char *dir, const char *name)
{
        char path[PATH_MAX];

        return join(path, sizeof(path), dir, name) && access(path, F_OK) == 0;
}

/* The target of device's subsystem link, or of its bus link where there is no subsystem link
 * (what libsensors reads); false if neither is there. */
static bool read_bus_link(const char *device, char *link, char *target, size_t size)
{
        ssize_t n = -1;

        if (join(link, PATH_MAX, device, "subsystem"))
                n = readlink(link, target, size - 1);
        if (n < 0 && errno == ENOENT && join(link, PATH_MAX, device, "bus"))
                n = readlink(link, target, size - 1);
        if (n < 0)
                return false;
        target[n] = '\0';
        return true;
}

static int report(const char *link, const char *target, char *why, size_t size)
{
        snprintf(why, size, "%s links to \"%s\", a target without '/' on which libsensors "
                 "would crash; no sensors read", link, target);
        return -EUCLEAN;
}

static const char *file_kind(mode_t mode)
{
        return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device" :
               S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode) ? "a socket" : "no regular file";
}

/* Would fopen() of dir/name wait? Anything but a regular file or a directory may (a FIFO waits
 * for a writer; a directory fails its read at once). */
static int check_opens(const char *dir, const char *name, char *why, size_t size)
{
        char path[PATH_MAX];
        struct stat st;

        if (!join(path, sizeof(path), dir, name) || stat(path, &st) < 0 || S_ISREG(st.st_mode) ||
            S_ISDIR(st.st_mode))
                return 0;
        snprintf(why, size, "%s is %s, on which libsensors would block; no sensors read through "
                 "libsensors", path, file_kind(st.st_mode));
        return -EUCLEAN;
}

/* A chip reaches the bus lookup when its device link exists and it has a name, in its own
 * directory or in the device's. The link target is read first, through the device link, as
 * it is the one thing that can be wrong: one readlink a chip on a sound tree, and the other
 * conditions are looked at only for a target that would crash libsensors. */
static int check_hwmon_chip(const char *chip, char *why, size_t size)
{
        char device[PATH_MAX], link[PATH_MAX], target[PATH_MAX];
        int r;

        /* the name, in its own directory or, failing that, in the device's */
        r = check_opens(chip, "name", why, size);
        if (r == 0 && !exists(chip, "name") && join(device, sizeof(device), chip, "device"))
                r = check_opens(device, "name", why, size);
        if (r < 0)
                return r;
        if (!join(device, sizeof(device), chip, "device") ||
            !read_bus_link(device, link, target, sizeof(target)) || strchr(target, '/'))
                return 0; /* virtual (libsensors looks no further), or a sound link */
        if (!exists(chip, "name") && !exists(device, "name"))
                return 0;
        return report(link, target, why, size);
}

/* The i2c devices of kernels before class/hwmon, by the same rule. */
static int check_i2c_device(const char *device, char *why, size_t size)
{
        char link[PATH_MAX], target[PATH_MAX];
        int r = check_opens(device, "name", why, size);

        if (r < 0)
                return r;
        if (!read_bus_link(device, link, target, sizeof(target)) || strchr(target, '/') ||
            !exists(device, "name"))
                return 0;
        return report(link, target, why, size);
}

/* The I2C adapters, whose names sensors_init() reads first. */
static int check_adapters(char *why, size_t size)
{
        const char *root = "/sys/class/i2c-adapter";
        struct dirent *entry;
        DIR *dir;
        int r = 0;

        dir = opendir(root);
        if (!dir && errno == ENOENT) {
                root = "/sys/bus/i2c/devices";
                dir = opendir(root);
        }
        if (!dir)
                return 0;
        while (r == 0 && (entry = readdir(dir))) {
                char path[PATH_MAX];

                if (entry->d_name[0] == '.' || strncmp(entry->d_name, "i2c-", 4) != 0 ||
                    !join(path, sizeof(path), root, entry->d_name))
                        continue;
                r = check_opens(path, "name", why, size);
                if (r == 0)
                        r = check_opens(path, "device/name", why, size);
        }
        closedir(dir);
        return r;
}

int sensors_sysfs_check(bool is_default, char *why, size_t size)
{
        const char *root = "/sys/class/hwmon";
        bool compat = false;
        struct dirent *entry;
        DIR *dir;
        int r = 0;

        /* sensors_init(NULL) opens the first of these that exists */
        if (is_default) {
                r = check_opens("/etc", "sensors3.conf", why, size);
                if (r == 0 && access("/etc/sensors3.conf", F_OK) < 0)
                        r = check_opens("/etc", "sensors.conf", why, size);
                if (r < 0)
                        return r;
        }
        r = check_adapters(why, size);
        if (r < 0)
                return r;

        dir = opendir(root);
        if (!dir && errno == ENOENT) {
                /* libsensors' walk for kernels before class/hwmon: the i2c devices. */
                root = "/sys/bus/i2c/devices";
                compat = true;
                dir = opendir(root);
        }
        if (!dir)
                return 0; /* libsensors says what it makes of that itself */
        while (r == 0 && (entry = readdir(dir))) {
                char path[PATH_MAX];

                if (entry->d_name[0] == '.')
                        continue;
                if (!join(path, sizeof(path), root, entry->d_name))
                        continue;
                if (compat)
                        r = check_i2c_device(path, why, size);
                else
                        r = check_hwmon_chip(path, why, size);
        }
        closedir(dir);
        return r;
}
