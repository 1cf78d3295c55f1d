/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hwmon features from class/hwmon: per chip its name and parent device, then every attribute
 * file of the chip read once, grouped by feature (temp1_input, temp1_max, temp1_label -> temp1).
 * One line per feature, as sensors and the sensor provider report features.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floor.h"

#define MAX_ATTRS 256

struct attr {
        char name[48];
        char value[64];
};

static const char *const feature_types[] = { "temp", "in", "fan", "power", "curr", "energy",
                                             "humidity", "intrusion" };

/* Length of the feature part ("temp1" of "temp1_max"), or 0 if not a feature attribute. */
static size_t feature_length(const char *name)
{
        for (size_t i = 0; i < sizeof(feature_types) / sizeof(feature_types[0]); i++) {
                size_t len = strlen(feature_types[i]), digits;

                if (strncmp(name, feature_types[i], len))
                        continue;
                digits = strspn(name + len, "0123456789");
                if (digits && name[len + digits] == '_')
                        return len + digits;
        }
        return 0;
}

static int compare_attrs(const void *a, const void *b)
{
        return strcmp(((const struct attr *)a)->name, ((const struct attr *)b)->name);
}

static int read_chip(int class_fd, const char *hwmon, bool check)
{
        static struct attr attrs[MAX_ATTRS];
        char chip[64] = "", device[128], line[2048];
        int fd = openat(class_fd, hwmon, O_RDONLY | O_DIRECTORY | O_CLOEXEC), list_fd, bad = 0;
        size_t count = 0;
        DIR *dir;
        struct dirent *de;

        if (fd < 0)
                return check;
        floor_read(fd, "name", chip, sizeof(chip));
        floor_link_name(fd, "device", device, sizeof(device));
        list_fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        dir = list_fd >= 0 ? fdopendir(list_fd) : NULL;
        while (dir && (de = readdir(dir)) && count < MAX_ATTRS) {
                if (!feature_length(de->d_name) || strlen(de->d_name) >= sizeof(attrs[0].name))
                        continue;
                snprintf(attrs[count].name, sizeof(attrs[count].name), "%s", de->d_name);
                if (floor_read(fd, de->d_name, attrs[count].value, sizeof(attrs[count].value)) < 0)
                        attrs[count].value[0] = '\0';
                count++;
        }
        if (dir)
                closedir(dir);
        close(fd);
        qsort(attrs, count, sizeof(attrs[0]), compare_attrs);
        for (size_t i = 0; i < count;) {
                size_t feature_len = feature_length(attrs[i].name), pos, j;
                bool has_value = false;

                pos = (size_t)snprintf(line, sizeof(line), "%s/%s %.*s", hwmon, chip,
                                       (int)feature_len, attrs[i].name);
                for (j = i; j < count && !strncmp(attrs[j].name, attrs[i].name, feature_len + 1);
                     j++) {
                        const char *suffix = attrs[j].name + feature_len + 1;

                        if (pos < sizeof(line))
                                pos += (size_t)snprintf(line + pos, sizeof(line) - pos, " %s=%s",
                                                        suffix, attrs[j].value);
                        if ((!strcmp(suffix, "input") || !strcmp(suffix, "alarm")) &&
                            attrs[j].value[0] && strspn(attrs[j].value, "-0123456789") ==
                                                         strlen(attrs[j].value))
                                has_value = true;
                }
                if (check && !has_value) {
                        fprintf(stderr, "sysfs-floor: hwmon %s: %s has no numeric input\n", hwmon,
                                line);
                        bad++;
                }
                floor_record("%s device=%s", line, device);
                i = j;
        }
        if (check && (!*chip || !*device)) {
                fprintf(stderr, "sysfs-floor: hwmon %s: no name or device\n", hwmon);
                bad++;
        }
        return bad;
}

int floor_hwmon(int sys_fd, bool check)
{
        return floor_walk(sys_fd, "class/hwmon", read_chip, check);
}
