/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sensors-kinds.h"
#include "sensors-lib.h"
#include "sensors-value.h"
#include "common/sysfs-read.h"

/* Longer than any number the kernel writes; a longer attribute goes to libsensors. */
#define VALUE_TEXT_MAX 64

/* The attribute's text. Where the subfeature was listed for another chip with the same files,
 * its mode is this chip's own: libsensors takes a file whose owner may not read it as
 * unreadable (SENSORS_MODE_R, lib/sysfs.c), even for root. */
static int read_text(struct sensors_chip_info *info, const sensors_subfeature *sub, char *buf,
                     size_t size)
{
        struct stat st;
        int dirfd, fd, r;

        dirfd = sensors_chip_info_dirfd(info);
        if (dirfd < 0)
                return dirfd;
        if (!info->layout_shared)
                return sysfs_read_attr(dirfd, sub->name, buf, size);
        /* O_NONBLOCK: as sysfs_read_attr() */
        fd = openat(dirfd, sub->name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                r = -errno;
        else if (!(st.st_mode & S_IRUSR))
                r = -EACCES;
        else
                r = sysfs_read_fd(fd, buf, size);
        close(fd);
        return r;
}

/* Returns 0, -EFBIG (too long to parse here), or an error as sensors_value_read(). */
static int read_attribute(struct sensors_chip_info *info, const sensors_subfeature *sub,
                          double *ret)
{
        char text[VALUE_TEXT_MAX];
        int r;

        r = read_text(info, sub, text, sizeof(text));
        if (r < 0)
                return r;
        /* libsensors reads it with fscanf("%lf"): leading blanks skipped, anything after the
         * number ignored, nothing but blanks is no number */
        r = sscanf(text, "%lf", ret);
        if (r == EOF)
                return -ENODATA;
        if (r != 1)
                return -EINVAL;
        *ret /= hwmon_attribute_divisor(sub->type);
        return 0;
}

int sensors_value_read(struct sensors_chip_info *info, const sensors_subfeature *sub,
                       bool feature_may_compute, double *ret)
{
        int r = -EFBIG;

        /* libsensors' flags are those of the chip it listed (see read_text()) */
        if (!info->layout_shared && !(sub->flags & SENSORS_MODE_R))
                return -EACCES;
        if (!(feature_may_compute && (sub->flags & SENSORS_COMPUTE_MAPPING)))
                r = read_attribute(info, sub, ret);
        if (r == -EFBIG) {
                r = sensors_get_value(info->chip, sub->number, ret);
                if (r < 0) {
                        double ignored;
                        int why;

                        /* libsensors only says "can't read": look once more, for why */
                        why = read_attribute(info, sub, &ignored);
                        return why < 0 && why != -EFBIG ? why : sensors_lib_errno(r);
                }
        }
        if (r == 0 && !isfinite(*ret))
                return -EDOM;
        return r;
}

void sensors_value_text(struct sensors_chip_info *info, const sensors_subfeature *sub, char *buf,
                        size_t size)
{
        int r;

        if (size == 0)
                return;
        r = read_text(info, sub, buf, size);
        if (r < 0 && r != -EFBIG)
                buf[0] = '\0';
}
