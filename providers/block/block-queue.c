/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The request queue attributes of a device (Documentation/ABI/stable/sysfs-block): sector and
 * I/O sizes, discard, read-ahead, zones. A partition has no queue/ of its own: its disk's is
 * read, as lsblk does (lib/sysfs.c redirects queue/ of a partition to its parent), and read
 * once per call for the disk and all its partitions (struct block_disk).
 *
 * Where lsblk prints 0 for a file the kernel does not have (discard zeroing without discard
 * support, WRITE SAME after 5.18 removed it, the open and active zone limits before 5.9), so
 * does the provider, since 0 is what the kernel means there; a device with no queue/ directory
 * at all (a partial recorded tree) gets NULL instead: nothing was read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "block.h"

enum queue_kind { Q_UINT, Q_UINT_OR_ZERO, Q_BOOL, Q_KIB, Q_SECTORS };

/* In the order they are read; the index is the bit in struct block_queue's have. */
static const struct {
        enum block_prop prop;
        const char *attr;
        enum queue_kind kind;
} queue_attrs[] = {
        { P_BLOCK_SIZE, "logical_block_size", Q_UINT },
        { P_PHYSICAL_BLOCK_SIZE, "physical_block_size", Q_UINT },
        { P_MINIMUM_IO_SIZE, "minimum_io_size", Q_UINT },
        { P_OPTIMAL_IO_SIZE, "optimal_io_size", Q_UINT },
        { P_ROTATIONAL, "rotational", Q_BOOL },
        { P_REQUEST_QUEUE_SIZE, "nr_requests", Q_UINT },
        { P_DISCARD_GRANULARITY, "discard_granularity", Q_UINT },
        { P_DISCARD_MAX_BYTES, "discard_max_bytes", Q_UINT },
        { P_WRITE_SAME_MAX_BYTES, "write_same_max_bytes", Q_UINT_OR_ZERO },
        { P_READ_AHEAD, "read_ahead_kb", Q_KIB },
        { P_ADD_RANDOM, "add_random", Q_BOOL },
        { P_DAX, "dax", Q_BOOL },
        /* chunk_sectors: the zone size of a zoned device; of others, the boundary I/O must
         * not cross (a RAID chunk), or 0. lsblk's ZONE-SZ either way. */
        { P_ZONE_SIZE, "chunk_sectors", Q_SECTORS },
        { P_ZONE_WRITE_GRANULARITY, "zone_write_granularity", Q_UINT },
        { P_ZONE_APPEND_MAX_BYTES, "zone_append_max_bytes", Q_UINT },
        { P_NUMBER_OF_ZONES, "nr_zones", Q_UINT },
        { P_MAX_OPEN_ZONES, "max_open_zones", Q_UINT_OR_ZERO },
        { P_MAX_ACTIVE_ZONES, "max_active_zones", Q_UINT_OR_ZERO },
};
#define N_QUEUE_ATTRS (sizeof(queue_attrs) / sizeof(queue_attrs[0]))
#define Q_BIT(i) (UINT32_C(1) << (i))
/* the index of discard_granularity, on which alignment and zeroing depend */
#define Q_DISCARD_GRANULARITY 6

_Static_assert(N_QUEUE_ATTRS <= 32, "the have mask is 32 bits");

struct block_queue {
        bool opened;     /* the directory exists: absent values then mean what lsblk says */
        uint32_t have;   /* bits of queue_attrs[] read */
        uint64_t value[N_QUEUE_ATTRS];
        bool have_zeroes, zeroes;
        bool discard_granularity_absent; /* no such file: no discard support */
        bool discard_support_known;      /* value[Q_DISCARD_GRANULARITY] says it */
        char scheduler[32], zoned[16]; /* the kernel's names are shorter */
};

/* A name of the kernel's (a scheduler, a zone model) into buf; one longer than any the kernel
 * has is not what it writes there. */
static void copy_name(struct block_call *bc, int fd, const char *dev, const char *attr,
                      const char *name, char *buf, size_t size)
{
        size_t len = strlen(name);

        if (len >= size) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: %s holds no kernel name", dev, attr);
                block_note_read_error(bc, fd, attr, -EINVAL);
                buf[0] = '\0';
                return;
        }
        memcpy(buf, name, len + 1);
}

/* "mq-deadline kyber [bfq] none": the bracketed one is active; an old single-queue device
 * without a choice says "none". */
static void read_scheduler(struct block_call *bc, int queue_fd, const char *dev,
                           struct block_queue *q)
{
        char text[256];
        char *open, *close_;

        if (block_read_text(bc, queue_fd, dev, "scheduler", text, sizeof(text)) <= 0)
                return;
        open = strchr(text, '[');
        close_ = open ? strchr(open, ']') : NULL;
        if (open && close_) {
                *close_ = '\0';
                copy_name(bc, queue_fd, dev, "scheduler", open + 1, q->scheduler,
                          sizeof(q->scheduler));
        } else if (!strchr(text, ' ')) {
                copy_name(bc, queue_fd, dev, "scheduler", text, q->scheduler,
                          sizeof(q->scheduler));
        } else {
                glue_call_log(bc->call, LOG_DEBUG, "%s: scheduler names no active one", dev);
        }
}

static void read_queue(struct block_call *bc, int disk_fd, const char *dev,
                       struct block_queue *q)
{
        int queue_fd;

        *q = (struct block_queue){ 0 };
        queue_fd = disk_fd >= 0 ? openat(disk_fd, "queue", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                                : -1;
        if (queue_fd < 0) {
                if (disk_fd >= 0)
                        block_note_read_error(bc, disk_fd, "queue", -errno);
                return;
        }
        q->opened = true;
        block_name_child_fd(bc, queue_fd, disk_fd, "queue");
        for (size_t i = 0; i < N_QUEUE_ATTRS; i++) {
                uint64_t v = 0;
                bool flag = false;
                int r;

                /* discard_granularity is read for the alignment and zeroing too */
                if (!bc->wants[queue_attrs[i].prop] &&
                    !(i == Q_DISCARD_GRANULARITY && (bc->wants[P_DISCARD_ALIGNMENT] ||
                                                     bc->wants[P_DISCARD_ZEROES_DATA])) &&
                    !(queue_attrs[i].prop == P_BLOCK_SIZE && bc->wants[P_NUMBER_OF_BLOCKS]))
                        continue;
                if (queue_attrs[i].kind == Q_BOOL) {
                        r = block_read_flag(bc, queue_fd, dev, queue_attrs[i].attr, &flag);
                        v = r == 0 && flag;
                } else {
                        r = block_read_uint(bc, queue_fd, dev, queue_attrs[i].attr, &v);
                }
                if (r == -ENOENT && queue_attrs[i].kind == Q_UINT_OR_ZERO) {
                        v = 0;
                        r = 0;
                }
                if (r == -ENOENT && i == Q_DISCARD_GRANULARITY)
                        q->discard_granularity_absent = true;
                if (r < 0)
                        continue;
                if ((queue_attrs[i].kind == Q_KIB && v > UINT64_MAX / 1024) ||
                    (queue_attrs[i].kind == Q_SECTORS && v > UINT64_MAX / 512))
                        continue;
                q->value[i] = queue_attrs[i].kind == Q_KIB     ? v * 1024
                              : queue_attrs[i].kind == Q_SECTORS ? v * 512
                                                                  : v;
                q->have |= Q_BIT(i);
        }
        if (bc->wants[P_SCHEDULER])
                read_scheduler(bc, queue_fd, dev, q);
        if (bc->wants[P_ZONED]) {
                char text[64];

                if (block_read_text(bc, queue_fd, dev, "zoned", text, sizeof(text)) > 0)
                        copy_name(bc, queue_fd, dev, "zoned", text, q->zoned, sizeof(q->zoned));
        }
        /* Zeroing means nothing without discard support (granularity 0, or a kernel before
         * 2.6.33 that has no discard_granularity at all): false, unread. */
        if (!(q->have & Q_BIT(Q_DISCARD_GRANULARITY)) && q->discard_granularity_absent) {
                q->value[Q_DISCARD_GRANULARITY] = 0;
                q->discard_support_known = true;
        } else if (q->have & Q_BIT(Q_DISCARD_GRANULARITY)) {
                q->discard_support_known = true;
        }
        if (bc->wants[P_DISCARD_ZEROES_DATA] && q->discard_support_known) {
                int r = 0;

                q->zeroes = false;
                if (q->value[Q_DISCARD_GRANULARITY] > 0)
                        r = block_read_flag(bc, queue_fd, dev, "discard_zeroes_data", &q->zeroes);
                q->have_zeroes = r == 0 || r == -ENOENT;
        }
        block_forget_fd(bc, queue_fd);
        close(queue_fd);
}

static void apply_queue(struct block_call *bc, struct glue_instance *inst,
                        const struct block_queue *q, int dir_fd, const char *dev,
                        const uint64_t *size_bytes)
{
        for (size_t i = 0; i < N_QUEUE_ATTRS; i++) {
                if (!(q->have & Q_BIT(i)))
                        continue;
                if (queue_attrs[i].kind == Q_BOOL)
                        block_set_bool(bc, inst, queue_attrs[i].prop, q->value[i] != 0);
                else if (queue_attrs[i].prop != P_BLOCK_SIZE || q->value[i] > 0)
                        block_set_uint(bc, inst, queue_attrs[i].prop, q->value[i]);
        }
        if ((q->have & Q_BIT(0)) && q->value[0] > 0 && size_bytes)
                block_set_uint(bc, inst, P_NUMBER_OF_BLOCKS, *size_bytes / q->value[0]);
        if (q->scheduler[0])
                block_set_string(bc, inst, P_SCHEDULER, q->scheduler);
        if (q->zoned[0])
                block_set_string(bc, inst, P_ZONED, q->zoned);
        if (q->have_zeroes)
                block_set_bool(bc, inst, P_DISCARD_ZEROES_DATA, q->zeroes);
        /* The alignment is the device's own (a partition has one); without discard support
         * it means nothing: 0, unread. */
        if (bc->wants[P_DISCARD_ALIGNMENT] && q->discard_support_known) {
                uint64_t alignment = 0;
                int r = 0;

                if (q->value[Q_DISCARD_GRANULARITY] > 0)
                        r = block_read_uint(bc, dir_fd, dev, "discard_alignment", &alignment);
                if (r == 0 || r == -ENOENT)
                        block_set_uint(bc, inst, P_DISCARD_ALIGNMENT, r == 0 ? alignment : 0);
        }
}

void block_queue_set(struct block_call *bc, struct glue_instance *inst, int disk_fd, int dir_fd,
                     const char *disk, const char *dev, const uint64_t *size_bytes)
{
        struct block_disk *d = block_disk_get(bc, disk);
        struct block_queue local, *q = d ? d->queue : &local;

        if (d && !d->queue) {
                d->queue = malloc(sizeof(*d->queue));
                q = d->queue ? d->queue : &local;
                read_queue(bc, disk_fd, dev, q);
        } else if (!d) {
                read_queue(bc, disk_fd, dev, q);
        }
        apply_queue(bc, inst, q, dir_fd, dev, size_bytes);
}

struct block_disk *block_disk_get(struct block_call *bc, const char *disk)
{
        size_t len = disk ? strlen(disk) : 0;
        struct block_disk *d;

        if (len == 0)
                return NULL;
        d = block_map_get(&bc->disks, disk, len);
        if (d)
                return d;
        d = calloc(1, sizeof(*d));
        if (!d || block_map_put(&bc->disks, disk, len, d) < 0) {
                free(d);
                return NULL;
        }
        return d;
}

void block_disk_free(void *value)
{
        struct block_disk *d = value;

        if (d)
                free(d->queue);
        free(d);
}
