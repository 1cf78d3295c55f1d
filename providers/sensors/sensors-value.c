/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sensors-expr.h"
#include "sensors-kinds.h"
#include "sensors-lib.h"
#include "sensors-value.h"
#include "common/sysfs-read.h"

/* Longer than any number the kernel writes. */
#define VALUE_TEXT_MAX 64
/* A longer attribute is read whole, as libsensors' fscanf() would read its number; sysfs writes
 * at most a page, a recorded tree may hold more, up to this. */
#define VALUE_TEXT_LONG_MAX (16u << 20)
/* libsensors' limit on compute statements that name other subfeatures (DEPTH_MAX). */
#define COMPUTE_DEPTH_MAX 8

/* The attribute's text. libsensors takes a file whose owner may not read it as unreadable
 * (SENSORS_MODE_R, from stat() at its walk), even for root: where the modes are not known
 * from libsensors they are the file's own, from the open file. */
static int read_text(struct sensors_chip_info *info, const sensors_subfeature *sub, char *buf,
                     size_t size)
{
        struct stat st;
        bool stated = false;
        int fd, r;

        /* O_NONBLOCK: a FIFO does not block the open */
        fd = openat(info->dirfd, sub->name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        if (info->modes_from_files) {
                stated = fstat(fd, &st) == 0;
                if (!stated || !(st.st_mode & S_IRUSR)) {
                        close(fd);
                        return -EACCES;
                }
        }
        r = sysfs_read_fd(fd, buf, size);
        /* nothing to read: empty, or a FIFO with no writer */
        if (r == 0 && (stated || fstat(fd, &st) == 0) && S_ISFIFO(st.st_mode))
                r = -EAGAIN;
        close(fd);
        return r;
}

/* libsensors reads it with fscanf("%lf"): leading blanks skipped, anything after the number
 * ignored, nothing but blanks is no number. Of an attribute read only in part (not whole),
 * a number that may go on past what was read is -EFBIG. */
static int parse_number(const char *text, size_t len, bool whole, double *ret)
{
        int consumed = 0, r;
        size_t i = text[0] == '-' || text[0] == '+';
        int64_t v = 0;

        /* What the kernel writes, a decimal integer that ends the text, is that integer to
         * scanf too (exactly, below 2^53); anything else is scanf's */
        while (i < 16 && text[i] >= '0' && text[i] <= '9')
                v = v * 10 + (text[i++] - '0');
        if (text[i] == '\0' && i > (size_t)(text[0] == '-' || text[0] == '+') && whole) {
                *ret = text[0] == '-' ? -(double)v : (double)v; /* -0 too */
                return 0;
        }

        r = sscanf(text, "%lf%n", ret, &consumed);
        if (r == EOF)
                return whole ? -ENODATA : -EFBIG;
        if (r != 1)
                return -EINVAL;
        if (!whole && (size_t)consumed >= len)
                return -EFBIG;
        return 0;
}

/* The attribute's number in its file's units. Returns 0 or an error as sensors_value_read(). */
static int read_number(struct sensors_chip_info *info, const sensors_subfeature *sub,
                       double *ret)
{
        char text[VALUE_TEXT_MAX], *big;
        struct stat st;
        size_t size;
        int r;

        r = read_text(info, sub, text, sizeof(text));
        if (r >= 0)
                return parse_number(text, (size_t)r, true, ret);
        if (r != -EFBIG || info->through_libsensors)
                return r;
        /* longer than a number: read whole, as far as libsensors' scanf would look */
        if (fstatat(info->dirfd, sub->name, &st, 0) < 0)
                return -errno;
        size = st.st_size > 4096 ? (size_t)st.st_size + 2 : 4096;
        if (size > VALUE_TEXT_LONG_MAX)
                size = VALUE_TEXT_LONG_MAX;
        big = malloc(size);
        if (!big)
                return -ENOMEM;
        r = read_text(info, sub, big, size);
        if (r >= 0 || r == -EFBIG)
                r = parse_number(big, strlen(big), r >= 0, ret);
        free(big);
        return r;
}

struct compute_context {
        struct sensors_chip_info *info;
        int depth;
};

static int read_at_depth(struct sensors_chip_info *info, const sensors_subfeature *sub,
                         int depth, double *ret);

/* A name in a compute statement: that subfeature of the same chip, ignored features' too. */
static int read_variable(void *userdata, const char *name, double *ret)
{
        const struct compute_context *c = userdata;
        const struct sensors_listing *listing = c->info->listing;

        for (size_t i = 0; i < listing->n_subfeatures; i++)
                if (strcmp(listing->subfeatures[i].name, name) == 0)
                        return read_at_depth(c->info, &listing->subfeatures[i], c->depth + 1, ret);
        return -ENOENT;
}

/* libsensors' __sensors_get_value(), read by the provider. */
static int read_at_depth(struct sensors_chip_info *info, const sensors_subfeature *sub,
                         int depth, double *ret)
{
        struct compute_context c = { .info = info, .depth = depth };
        const struct sensors_expr *expr = NULL;
        double raw;
        int r;

        if (depth >= COMPUTE_DEPTH_MAX)
                return -ELOOP;
        r = read_number(info, sub, &raw);
        if (r < 0)
                return r;
        raw /= hwmon_attribute_divisor(sub->type);
        /* the readings and limits, by their feature's statement */
        if (info->config.exact && (sub->flags & SENSORS_COMPUTE_MAPPING) &&
            sub->mapping >= 0 && (size_t)sub->mapping < info->listing->n_features)
                expr = sensors_config_view_compute(&info->config,
                                                   info->listing->features[sub->mapping].name);
        if (!expr) {
                *ret = raw;
                return 0;
        }
        return sensors_expr_eval(expr, raw, read_variable, &c, ret);
}

int sensors_value_check_file(struct sensors_chip_info *info, const char *name)
{
        struct stat st;

        if (fstatat(info->dirfd, name, &st, 0) == 0 && !S_ISREG(st.st_mode) &&
            !S_ISDIR(st.st_mode)) {
                sensors_chip_info_note_unreadable(info, name, -EAGAIN);
                return -EAGAIN;
        }
        return 0;
}

/* libsensors reads the values of this subfeature's chip: never where one of its attributes
 * (which a compute statement may name) would block it. */
static int through_libsensors(struct sensors_chip_info *info, const sensors_subfeature *sub,
                              double *ret)
{
        double ignored;
        int r, why;

        if (info->files_checked == 0) {
                info->files_checked = 1;
                for (size_t i = 0; i < info->layout->first[info->layout->n_features]; i++)
                        if (sensors_value_check_file(info, info->layout->subs[i]->name) < 0)
                                info->files_checked = -EAGAIN;
        }
        if (info->files_checked < 0)
                return info->files_checked;
        r = sensors_get_value(info->chip, sub->number, ret);
        if (r == 0)
                return 0;
        /* libsensors only says "can't read": look once more, for why */
        why = read_number(info, sub, &ignored);
        return why < 0 && why != -EFBIG ? why : sensors_lib_errno(r);
}

int sensors_value_read(struct sensors_chip_info *info, const sensors_feature *feature,
                       const sensors_subfeature *sub, double *ret)
{
        int r;

        if (!info->through_libsensors) {
                r = read_at_depth(info, sub, 0, ret);
        } else if (!(sub->flags & SENSORS_MODE_R)) {
                r = -EACCES; /* libsensors' flags are its walk's */
        } else if ((sub->flags & SENSORS_COMPUTE_MAPPING) &&
                   sensors_config_view_may(&info->config, SENSORS_STATEMENT_COMPUTE,
                                           feature->name)) {
                r = through_libsensors(info, sub, ret);
        } else {
                r = read_number(info, sub, ret);
                if (r == 0)
                        *ret /= hwmon_attribute_divisor(sub->type);
                else if (r == -EFBIG)
                        r = through_libsensors(info, sub, ret);
        }
        if (r == 0 && !isfinite(*ret))
                return -EDOM;
        if (r < 0)
                info->failed_reads++;
        if (r < 0 && r != -ENOENT && r != -EDOM && r != -ELOOP && r != -ENOMEM)
                sensors_chip_info_note_unreadable(info, sub->name, r);
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
