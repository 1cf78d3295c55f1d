/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The request queue attributes of a device (Documentation/ABI/stable/sysfs-block): sector and
 * I/O sizes, discard, read-ahead, zones. A partition has no queue/ of its own: its disk's is
 * read, as lsblk does (lib/sysfs.c redirects queue/ of a partition to its parent).
 *
 * Where lsblk prints 0 for a file the kernel does not have (discard alignment and zeroing
 * without discard support, WRITE SAME after 5.18 removed it, the open and active zone limits
 * before 5.9), so does the provider, since 0 is what the kernel means there; a device with no
 * queue/ directory at all (a partial recorded tree) gets NULL instead: nothing was read.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "block.h"

static void set_scheduler(struct block_call *bc, struct glue_instance *inst, int queue_fd,
                          const char *dev)
{
        char text[256];
        char *open, *close_;

        if (!bc->wants[P_SCHEDULER] ||
            block_read_text(bc, queue_fd, dev, "scheduler", text, sizeof(text)) <= 0)
                return;
        /* "mq-deadline kyber [bfq] none": the bracketed one is active; an old single-queue
         * device without a choice says "none". */
        open = strchr(text, '[');
        close_ = open ? strchr(open, ']') : NULL;
        if (open && close_) {
                *close_ = '\0';
                block_set_string(bc, inst, P_SCHEDULER, open + 1);
        } else if (!strchr(text, ' ')) {
                block_set_string(bc, inst, P_SCHEDULER, text);
        } else {
                glue_call_log(bc->call, LOG_DEBUG, "%s: scheduler names no active one",
                              dev);
        }
}

/* A number that is 0 when its file is missing (the kernel's meaning there, and lsblk's). */
static void set_uint_or_zero(struct block_call *bc, struct glue_instance *inst,
                             enum block_prop prop, int fd, const char *dev, const char *attr)
{
        uint64_t value;
        int r;

        if (!bc->wants[prop])
                return;
        r = block_read_uint(bc, fd, dev, attr, &value);
        if (r == 0)
                block_set_uint(bc, inst, prop, value);
        else if (r == -ENOENT)
                block_set_uint(bc, inst, prop, 0);
}

static void set_discard(struct block_call *bc, struct glue_instance *inst, int queue_fd,
                        int dir_fd, const char *dev)
{
        uint64_t granularity = 0, alignment = 0;
        bool zeroes = false;
        int r;

        if (!bc->wants[P_DISCARD_GRANULARITY] && !bc->wants[P_DISCARD_ALIGNMENT] &&
            !bc->wants[P_DISCARD_ZEROES_DATA])
                return;
        r = block_read_uint(bc, queue_fd, dev, "discard_granularity", &granularity);
        if (r == 0)
                block_set_uint(bc, inst, P_DISCARD_GRANULARITY, granularity);
        else if (r != -ENOENT)
                return; /* unreadable: what depends on it stays NULL */
        /* Without discard support (granularity 0) neither alignment nor zeroing means
         * anything: 0, without reading. The alignment is the device's own (a partition has
         * one), zeroing the queue's. */
        if (granularity > 0 && bc->wants[P_DISCARD_ALIGNMENT]) {
                r = block_read_uint(bc, dir_fd, dev, "discard_alignment", &alignment);
                if (r < 0 && r != -ENOENT)
                        goto zeroes;
        }
        block_set_uint(bc, inst, P_DISCARD_ALIGNMENT, alignment);
zeroes:
        if (granularity > 0 && bc->wants[P_DISCARD_ZEROES_DATA]) {
                r = block_read_flag(bc, queue_fd, dev, "discard_zeroes_data", &zeroes);
                if (r < 0 && r != -ENOENT)
                        return;
        }
        block_set_bool(bc, inst, P_DISCARD_ZEROES_DATA, zeroes);
}

static void set_zones(struct block_call *bc, struct glue_instance *inst, int queue_fd,
                      const char *dev)
{
        uint64_t chunk;

        block_set_attr_string(bc, inst, P_ZONED, queue_fd, dev, "zoned");
        /* chunk_sectors: the zone size of a zoned device; of others, the boundary I/O must
         * not cross (a RAID chunk), or 0. lsblk's ZONE-SZ either way. */
        if (bc->wants[P_ZONE_SIZE] &&
            block_read_uint(bc, queue_fd, dev, "chunk_sectors", &chunk) == 0 &&
            chunk <= UINT64_MAX / 512)
                block_set_uint(bc, inst, P_ZONE_SIZE, chunk * 512);
        block_set_attr_uint(bc, inst, P_ZONE_WRITE_GRANULARITY, queue_fd, dev,
                            "zone_write_granularity");
        block_set_attr_uint(bc, inst, P_ZONE_APPEND_MAX_BYTES, queue_fd, dev,
                            "zone_append_max_bytes");
        block_set_attr_uint(bc, inst, P_NUMBER_OF_ZONES, queue_fd, dev, "nr_zones");
        set_uint_or_zero(bc, inst, P_MAX_OPEN_ZONES, queue_fd, dev, "max_open_zones");
        set_uint_or_zero(bc, inst, P_MAX_ACTIVE_ZONES, queue_fd, dev, "max_active_zones");
}

void block_queue_set(struct block_call *bc, struct glue_instance *inst, int disk_fd, int dir_fd,
                     const char *dev, const uint64_t *size_bytes)
{
        uint64_t logical = 0, kib;
        int queue_fd;

        queue_fd = disk_fd >= 0 ? openat(disk_fd, "queue", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                                : -1;
        if (queue_fd < 0) {
                if (disk_fd >= 0)
                        block_note_read_error(bc, disk_fd, "queue", -errno);
                return;
        }
        block_name_child_fd(bc, queue_fd, disk_fd, "queue");
        if ((bc->wants[P_BLOCK_SIZE] || bc->wants[P_NUMBER_OF_BLOCKS]) &&
            block_read_uint(bc, queue_fd, dev, "logical_block_size", &logical) == 0 &&
            logical > 0) {
                block_set_uint(bc, inst, P_BLOCK_SIZE, logical);
                if (size_bytes)
                        block_set_uint(bc, inst, P_NUMBER_OF_BLOCKS, *size_bytes / logical);
        }
        block_set_attr_uint(bc, inst, P_PHYSICAL_BLOCK_SIZE, queue_fd, dev,
                            "physical_block_size");
        block_set_attr_uint(bc, inst, P_MINIMUM_IO_SIZE, queue_fd, dev, "minimum_io_size");
        block_set_attr_uint(bc, inst, P_OPTIMAL_IO_SIZE, queue_fd, dev, "optimal_io_size");
        block_set_attr_bool(bc, inst, P_ROTATIONAL, queue_fd, dev, "rotational");
        set_scheduler(bc, inst, queue_fd, dev);
        block_set_attr_uint(bc, inst, P_REQUEST_QUEUE_SIZE, queue_fd, dev, "nr_requests");
        set_discard(bc, inst, queue_fd, dir_fd, dev);
        block_set_attr_uint(bc, inst, P_DISCARD_MAX_BYTES, queue_fd, dev, "discard_max_bytes");
        set_uint_or_zero(bc, inst, P_WRITE_SAME_MAX_BYTES, queue_fd, dev,
                         "write_same_max_bytes");
        if (bc->wants[P_READ_AHEAD] &&
            block_read_uint(bc, queue_fd, dev, "read_ahead_kb", &kib) == 0 &&
            kib <= UINT64_MAX / 1024)
                block_set_uint(bc, inst, P_READ_AHEAD, kib * 1024);
        block_set_attr_bool(bc, inst, P_ADD_RANDOM, queue_fd, dev, "add_random");
        block_set_attr_bool(bc, inst, P_DAX, queue_fd, dev, "dax");
        set_zones(bc, inst, queue_fd, dev);
        block_forget_fd(bc, queue_fd);
        close(queue_fd);
}
