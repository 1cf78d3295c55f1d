/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
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

/* libsensors reads subsystem, and bus where there is no subsystem link. */
static int check_subsystem_link(const char *device, char *why, size_t size)
{
        char link[PATH_MAX], target[PATH_MAX];
        ssize_t n;

        if (!join(link, sizeof(link), device, "subsystem"))
                return 0;
        n = readlink(link, target, sizeof(target) - 1);
        if (n < 0 && errno == ENOENT) {
                if (!join(link, sizeof(link), device, "bus"))
                        return 0;
                n = readlink(link, target, sizeof(target) - 1);
        }
        if (n < 0)
                return 0;
        target[n] = '\0';
        if (strchr(target, '/'))
                return 0;
        snprintf(why, size, "%s links to \"%s\", a target without '/' on which libsensors "
                 "would crash; no sensors read", link, target);
        return -EUCLEAN;
}

/* A chip reaches the bus lookup when its device link exists and it has a name, in its own
 * directory or in the device's. */
static int check_hwmon_chip(const char *chip, char *why, size_t size)
{
        char device[PATH_MAX], target[PATH_MAX];

        if (!join(device, sizeof(device), chip, "device") ||
            readlink(device, target, sizeof(target)) < 0)
                return 0; /* virtual: libsensors looks no further */
        if (!exists(chip, "name") && !exists(device, "name"))
                return 0;
        return check_subsystem_link(device, why, size);
}

int sensors_sysfs_check(char *why, size_t size)
{
        const char *root = "/sys/class/hwmon";
        bool compat = false;
        struct dirent *entry;
        DIR *dir;
        int r = 0;

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
                        r = exists(path, "name") ? check_subsystem_link(path, why, size) : 0;
                else
                        r = check_hwmon_chip(path, why, size);
        }
        closedir(dir);
        return r;
}
