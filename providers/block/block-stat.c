/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The I/O counters of a device's stat file (Documentation/block/stat.rst): one line of 11
 * numbers (kernels before 4.18), 15 (with discards) or 17 (5.5 and later, with flushes).
 * Sectors are 512 bytes whatever the device's sector size; times are milliseconds.
 */
#include <errno.h>
#include <string.h>

#include "block.h"
#include "common/sysfs-read.h"

#define STAT_FIELDS_MAX 17

enum stat_kind { STAT_COUNT, STAT_SECTORS, STAT_MSEC };

static const struct {
        enum block_prop prop;
        enum stat_kind kind;
} stat_fields[STAT_FIELDS_MAX] = {
        { P_READS_COMPLETED, STAT_COUNT },
        { P_READS_MERGED, STAT_COUNT },
        { P_BYTES_READ, STAT_SECTORS },
        { P_READ_TIME, STAT_MSEC },
        { P_WRITES_COMPLETED, STAT_COUNT },
        { P_WRITES_MERGED, STAT_COUNT },
        { P_BYTES_WRITTEN, STAT_SECTORS },
        { P_WRITE_TIME, STAT_MSEC },
        { P_IOS_IN_PROGRESS, STAT_COUNT },
        { P_IO_TIME, STAT_MSEC },
        { P_WEIGHTED_IO_TIME, STAT_MSEC },
        { P_DISCARDS_COMPLETED, STAT_COUNT },
        { P_DISCARDS_MERGED, STAT_COUNT },
        { P_BYTES_DISCARDED, STAT_SECTORS },
        { P_DISCARD_TIME, STAT_MSEC },
        { P_FLUSHES_COMPLETED, STAT_COUNT },
        { P_FLUSH_TIME, STAT_MSEC },
};

/* Split the line into numbers; -EINVAL on anything but digits and blanks. */
static int parse_stat_line(char *line, uint64_t *values, size_t max)
{
        size_t n = 0;
        char *save = NULL;

        for (char *tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
                if (n == max)
                        return -EINVAL;
                if (sysfs_parse_uint64(tok, &values[n]) < 0)
                        return -EINVAL;
                n++;
        }
        return (int)n;
}

void block_stat_set(struct block_call *bc, struct glue_instance *inst, int dir_fd,
                    const char *name)
{
        uint64_t values[STAT_FIELDS_MAX];
        char line[512];
        int n, r;

        r = block_read_text(bc, dir_fd, name, "stat", line, sizeof(line));
        if (r < 0)
                return;
        n = parse_stat_line(line, values, STAT_FIELDS_MAX);
        if (n < 11) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: stat is not 11 to 17 numbers, "
                              "counters left NULL", name);
                return;
        }
        for (int i = 0; i < n; i++) {
                enum block_prop prop = stat_fields[i].prop;

                switch (stat_fields[i].kind) {
                case STAT_COUNT:
                        block_set_uint(bc, inst, prop, values[i]);
                        break;
                case STAT_SECTORS:
                        if (values[i] > UINT64_MAX / 512)
                                glue_call_log(bc->call, LOG_DEBUG, "%s: stat sector "
                                              "count %d overflows", name, i);
                        else
                                block_set_uint(bc, inst, prop, values[i] * 512);
                        break;
                case STAT_MSEC:
                        block_set_real(bc, inst, prop, (double)values[i] / 1000.0);
                        break;
                }
        }
}
