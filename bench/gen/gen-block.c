/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Block devices: whole disks of several transports, their partitions and loop devices, `count`
 * block devices in all (what lsblk -a lists). Disks cycle virtio, NVMe, SATA, loop, with 2, 1, 3
 * and 0 partitions, so a tree of N holds about 0.4 N disks.
 *
 * Layout (kernel 6.x, CONFIG_SYSFS_DEPRECATED off):
 *   devices/.../block/<disk>[/<partition>]  dev, uevent, size, ro, stat, ... and queue/ on disks
 *   class/block/<name>     every disk and partition
 *   block/<disk>           whole disks only
 *   dev/block/<maj>:<min>  every disk and partition (lsblk resolves names through these)
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "sysfs-gen.h"

enum transport { TRANSPORT_VIRTIO, TRANSPORT_NVME, TRANSPORT_SATA, TRANSPORT_LOOP };

static const struct {
        enum transport transport;
        unsigned partitions;
} disk_cycle[] = {
        { TRANSPORT_VIRTIO, 2 },
        { TRANSPORT_NVME, 1 },
        { TRANSPORT_SATA, 3 },
        { TRANSPORT_LOOP, 0 },
};

struct disk {
        char name[32];
        char path[PATH_MAX];    /* devices/.../block/<name> */
        unsigned major, minor;
        uint64_t sectors;
        unsigned logical_block_size;
        bool rotational;
        const char *scheduler;
        unsigned nr_requests;
};

/* Per-transport counters: the kernel numbers each driver's disks independently. */
struct block_state {
        unsigned virtio, nvme, sata, loop;
        unsigned blkext_minor;  /* major 259 is shared by NVMe namespaces and their partitions */
        unsigned virtio_index;  /* virtio bus device number */
        unsigned diskseq;
        char ahci[PATH_MAX];    /* the current AHCI controller; 6 ports each */
};

/* sd's device numbers: 16 minors per disk over majors 8, 65-71, 128-135, the disk index's
 * high bits stored above the minor's low byte (drivers/scsi/sd.c, sd_major and sd_probe). */
static void sd_devt(unsigned index, unsigned *major, unsigned *minor)
{
        static const unsigned majors[16] = { 8, 65, 66, 67, 68, 69, 70, 71,
                                             128, 129, 130, 131, 132, 133, 134, 135 };

        *major = majors[(index & 0xf0) >> 4];
        *minor = ((index & 0xf) << 4) | ((index & 0xfff00) << 12);
}

static void write_stat(struct gen *g, const char *dir)
{
        uint64_t reads = gen_random_range(g, 100, 1000000), writes = gen_random_range(g, 0, 500000);

        /* 17 fields since 5.5: reads, merges, sectors, ticks; the same for writes; in flight,
         * io_ticks, time_in_queue; discards x4; flushes x2. */
        gen_attr(g, dir, "stat", "%8lu %8lu %8lu %8lu %8lu %8lu %8lu %8lu %8u %8lu %8lu "
                 "%8u %8u %8u %8u %8u %8u\n",
                 (unsigned long)reads, (unsigned long)(reads / 8), (unsigned long)(reads * 16),
                 (unsigned long)(reads / 4), (unsigned long)writes, (unsigned long)(writes / 3),
                 (unsigned long)(writes * 24), (unsigned long)(writes / 2), 0u,
                 (unsigned long)(reads / 3), (unsigned long)(reads / 4 + writes / 2), 0u, 0u, 0u,
                 0u, 0u, 0u);
        gen_attr(g, dir, "inflight", "%8u %8u\n", 0u, 0u);
}

/* What every block device has, disk or partition. */
static void write_block_common(struct gen *g, const char *dir, const char *name, unsigned major,
                               unsigned minor, uint64_t sectors, const char *uevent_extra)
{
        char devt[32];

        gen_mkdir(g, dir);
        gen_format(devt, sizeof(devt), "%u:%u", major, minor);
        gen_attr(g, dir, "dev", "%s\n", devt);
        gen_attr(g, dir, "uevent", "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\n%s", major, minor, name,
                 uevent_extra);
        gen_attr(g, dir, "size", "%lu\n", (unsigned long)sectors);
        gen_attr(g, dir, "ro", "0\n");
        gen_attr(g, dir, "alignment_offset", "0\n");
        gen_attr(g, dir, "discard_alignment", "0\n");
        write_stat(g, dir);
        gen_link(g, dir, "subsystem", "class/block");
        gen_link_here(g, "class/block", dir);
        gen_link(g, "dev/block", devt, dir);
}

static void write_queue(struct gen *g, const struct disk *d)
{
        char queue[PATH_MAX];
        unsigned physical = d->rotational ? 4096 : d->logical_block_size;

        gen_format(queue, sizeof(queue), "%s/queue", d->path);
        gen_mkdir(g, queue);
        gen_attr(g, queue, "logical_block_size", "%u\n", d->logical_block_size);
        gen_attr(g, queue, "physical_block_size", "%u\n", physical);
        gen_attr(g, queue, "hw_sector_size", "%u\n", d->logical_block_size);
        gen_attr(g, queue, "minimum_io_size", "%u\n", physical);
        gen_attr(g, queue, "optimal_io_size", "0\n");
        gen_attr(g, queue, "rotational", "%d\n", d->rotational);
        gen_attr(g, queue, "scheduler", "%s\n", d->scheduler);
        gen_attr(g, queue, "nr_requests", "%u\n", d->nr_requests);
        gen_attr(g, queue, "discard_granularity", "%u\n", d->rotational ? 0 : physical);
        gen_attr(g, queue, "discard_max_bytes", "%u\n", d->rotational ? 0 : 2147483136u);
        gen_attr(g, queue, "discard_zeroes_data", "0\n");
        gen_attr(g, queue, "write_same_max_bytes", "0\n");
        gen_attr(g, queue, "read_ahead_kb", "128\n");
        gen_attr(g, queue, "max_sectors_kb", "1280\n");
        gen_attr(g, queue, "add_random", "0\n");
        gen_attr(g, queue, "zoned", "none\n");
        gen_attr(g, queue, "dax", "0\n");
        gen_attr(g, queue, "write_cache", "write back\n");
}

static void write_disk(struct gen *g, struct block_state *st, const struct disk *d,
                       const char *device_link)
{
        char extra[64];

        gen_format(extra, sizeof(extra), "DEVTYPE=disk\nDISKSEQ=%u\n", ++st->diskseq);
        write_block_common(g, d->path, d->name, d->major, d->minor, d->sectors, extra);
        gen_attr(g, d->path, "removable", "0\n");
        gen_attr(g, d->path, "hidden", "0\n");
        gen_attr(g, d->path, "capability", "0\n");
        gen_attr(g, d->path, "ext_range", "256\n");
        gen_attr(g, d->path, "range", "%u\n", d->major == 259 || d->major == 7 ? 0 : 16);
        gen_attr(g, d->path, "diskseq", "%u\n", st->diskseq);
        write_queue(g, d);
        {
                char sub[PATH_MAX];

                gen_format(sub, sizeof(sub), "%s/holders", d->path);
                gen_mkdir(g, sub);
                gen_format(sub, sizeof(sub), "%s/slaves", d->path);
                gen_mkdir(g, sub);
        }
        if (device_link)
                gen_link(g, d->path, "device", device_link);
        gen_link_here(g, "block", d->path);
}

static void write_partitions(struct gen *g, struct block_state *st, const struct disk *d,
                             unsigned partitions)
{
        uint64_t start = 2048, each = partitions ? (d->sectors - 4096) / partitions : 0;
        bool digit_end = d->name[strlen(d->name) - 1] >= '0' && d->name[strlen(d->name) - 1] <= '9';

        for (unsigned p = 1; p <= partitions; p++) {
                char name[48], dir[PATH_MAX + 64], extra[64];
                unsigned minor = d->major == 259 ? st->blkext_minor++ : d->minor + p;

                gen_format(name, sizeof(name), "%s%s%u", d->name, digit_end ? "p" : "", p);
                gen_format(dir, sizeof(dir), "%s/%s", d->path, name);
                gen_format(extra, sizeof(extra), "DEVTYPE=partition\nPARTN=%u\n", p);
                write_block_common(g, dir, name, d->major, minor, each, extra);
                gen_attr(g, dir, "partition", "%u\n", p);
                gen_attr(g, dir, "start", "%lu\n", (unsigned long)start);
                start += each;
        }
}

static void random_serial(struct gen *g, char *buf, size_t size, unsigned len)
{
        static const char alphabet[] = "0123456789ABCDEFGHJKLMNPRSTVWXYZ";

        for (unsigned i = 0; i < len && i + 1 < size; i++)
                buf[i] = alphabet[gen_random(g) % 32];
        buf[len < size ? len : size - 1] = '\0';
}

static void make_virtio(struct gen *g, struct block_state *st, struct disk *d)
{
        char function[PATH_MAX], virtio[PATH_MAX], serial[24];
        unsigned index = st->virtio++;

        gen_bare_pci_function(g, 0x1af4, 0x1042, 0x010000, "virtio-pci", function,
                              sizeof(function));
        gen_format(virtio, sizeof(virtio), "%s/virtio%u", function, st->virtio_index++);
        gen_mkdir(g, virtio);
        gen_attr(g, virtio, "device", "0x0002\n");
        gen_attr(g, virtio, "vendor", "0x1af4\n");
        gen_attr(g, virtio, "uevent", "DRIVER=virtio_blk\nMODALIAS=virtio:d00000002v00001AF4\n");
        gen_link(g, virtio, "subsystem", "bus/virtio");
        gen_disk_letters(index, d->name + 2, sizeof(d->name) - 2);
        memcpy(d->name, "vd", 2);
        gen_format(d->path, sizeof(d->path), "%s/block/%s", virtio, d->name);
        /* virtio_blk: dynamic major (254 here), 16 minors per disk */
        d->major = 254;
        d->minor = index * 16;
        d->sectors = gen_random_range(g, 1, 64) * 2097152;
        d->logical_block_size = 512;
        d->scheduler = "[none] mq-deadline";
        d->nr_requests = 256;
        write_disk(g, st, d, virtio);
        random_serial(g, serial, sizeof(serial), 20);
        gen_attr(g, d->path, "serial", "%s\n", serial);
}

static void make_nvme(struct gen *g, struct block_state *st, struct disk *d)
{
        char function[PATH_MAX], ctrl[PATH_MAX], serial[24];
        unsigned index = st->nvme++;
        uint64_t eui = gen_random(g);

        gen_bare_pci_function(g, 0x144d, 0xa80a, 0x010802, "nvme", function, sizeof(function));
        gen_format(ctrl, sizeof(ctrl), "%s/nvme/nvme%u", function, index);
        gen_mkdir(g, ctrl);
        random_serial(g, serial, sizeof(serial), 14);
        gen_attr(g, ctrl, "model", "%-40s\n", "Samsung SSD 980 PRO 2TB");
        gen_attr(g, ctrl, "serial", "%-20s\n", serial);
        gen_attr(g, ctrl, "firmware_rev", "5B2QGXA7\n");
        gen_attr(g, ctrl, "transport", "pcie\n");
        gen_attr(g, ctrl, "state", "live\n");
        gen_attr(g, ctrl, "dev", "242:%u\n", index);
        gen_attr(g, ctrl, "uevent", "MAJOR=242\nMINOR=%u\nDEVNAME=nvme%u\nNVME_TRTYPE=pcie\n",
                 index, index);
        gen_link(g, ctrl, "subsystem", "class/nvme");
        gen_link(g, ctrl, "device", function);
        gen_link_here(g, "class/nvme", ctrl);
        gen_format(d->name, sizeof(d->name), "nvme%un1", index);
        gen_format(d->path, sizeof(d->path), "%s/%s", ctrl, d->name);
        d->major = 259;
        d->minor = st->blkext_minor++;
        d->sectors = gen_random_range(g, 1, 16) * 250069680ull / 8;
        d->logical_block_size = index % 3 == 2 ? 4096 : 512;
        d->scheduler = "[none] mq-deadline";
        d->nr_requests = 1023;
        write_disk(g, st, d, ctrl);
        gen_attr(g, d->path, "wwid", "eui.%016lx\n", (unsigned long)eui);
        gen_attr(g, d->path, "eui", "%016lx\n", (unsigned long)eui);
        gen_attr(g, d->path, "nsid", "1\n");
}

static void make_sata(struct gen *g, struct block_state *st, struct disk *d)
{
        char port[PATH_MAX], sdev[PATH_MAX], serial[24], page80[64];
        unsigned index = st->sata++, host = index;
        uint64_t naa = 0x5000c50000000000ull | (gen_random(g) & 0xffffffffffull);
        size_t len;

        if (index % 6 == 0)
                gen_bare_pci_function(g, 0x8086, 0xa352, 0x010601, "ahci", st->ahci,
                                      sizeof(st->ahci));
        gen_format(port, sizeof(port), "%s/ata%u", st->ahci, index + 1);
        gen_format(sdev, sizeof(sdev), "%s/host%u/target%u:0:0/%u:0:0:0", port, host, host, host);
        gen_mkdir(g, sdev);
        random_serial(g, serial, sizeof(serial), 8);
        /* SCSI inquiry strings are space-padded: vendor 8 bytes, model 16, revision 4. */
        gen_attr(g, sdev, "vendor", "%-8s\n", "ATA");
        gen_attr(g, sdev, "model", "%-16s\n", "ST4000NM0035-1V4");
        gen_attr(g, sdev, "rev", "TN03\n");
        gen_attr(g, sdev, "type", "0\n");
        gen_attr(g, sdev, "state", "running\n");
        gen_attr(g, sdev, "queue_depth", "32\n");
        gen_attr(g, sdev, "scsi_level", "6\n");
        gen_attr(g, sdev, "wwid", "naa.%016lx\n", (unsigned long)naa);
        /* The unit serial number page, binary: no `serial` attribute on SCSI devices. */
        len = (size_t)snprintf(page80, sizeof(page80), "%c%c%c%c%-20s", 0, 0x80, 0, 20, serial);
        gen_attr_bytes(g, sdev, "vpd_pg80", page80, len);
        gen_attr(g, sdev, "uevent", "DEVTYPE=scsi_device\nDRIVER=sd\nMODALIAS=scsi:t-0x00\n");
        gen_link(g, sdev, "subsystem", "bus/scsi");
        gen_disk_letters(index, d->name + 2, sizeof(d->name) - 2);
        memcpy(d->name, "sd", 2);
        gen_format(d->path, sizeof(d->path), "%s/block/%s", sdev, d->name);
        sd_devt(index, &d->major, &d->minor);
        d->sectors = gen_random_range(g, 1, 8) * 1953525168ull;
        d->logical_block_size = 512;
        d->rotational = true;
        d->scheduler = "[mq-deadline] kyber bfq none";
        d->nr_requests = 64;
        write_disk(g, st, d, sdev);
}

static void make_loop(struct gen *g, struct block_state *st, struct disk *d)
{
        char loop[PATH_MAX + 8];
        unsigned index = st->loop++;

        gen_format(d->name, sizeof(d->name), "loop%u", index);
        gen_format(d->path, sizeof(d->path), "devices/virtual/block/%s", d->name);
        d->major = 7;
        d->minor = index;
        d->sectors = gen_random_range(g, 1, 4096) * 2048;
        d->logical_block_size = 512;
        d->scheduler = "[none] mq-deadline";
        d->nr_requests = 128;
        write_disk(g, st, d, NULL);
        gen_format(loop, sizeof(loop), "%s/loop", d->path);
        gen_mkdir(g, loop);
        gen_attr(g, loop, "backing_file", "/var/lib/images/image%u.img\n", index);
        gen_attr(g, loop, "offset", "0\n");
        gen_attr(g, loop, "sizelimit", "0\n");
        gen_attr(g, loop, "autoclear", "0\n");
        gen_attr(g, loop, "partscan", "0\n");
        gen_attr(g, loop, "dio", "0\n");
}

int gen_block(struct gen *g, unsigned count)
{
        struct block_state st = { .blkext_minor = 0 };
        unsigned made = 0;

        gen_mkdir(g, "class/block");
        gen_mkdir(g, "class/nvme");
        gen_mkdir(g, "block");
        gen_mkdir(g, "dev/block");
        gen_mkdir(g, "devices/virtual/block");
        for (unsigned i = 0; made < count && g->error == 0; i++) {
                unsigned slot = i % (sizeof(disk_cycle) / sizeof(disk_cycle[0]));
                unsigned partitions = disk_cycle[slot].partitions;
                struct disk d = { .rotational = false };

                switch (disk_cycle[slot].transport) {
                case TRANSPORT_VIRTIO:
                        make_virtio(g, &st, &d);
                        break;
                case TRANSPORT_NVME:
                        make_nvme(g, &st, &d);
                        break;
                case TRANSPORT_SATA:
                        make_sata(g, &st, &d);
                        break;
                case TRANSPORT_LOOP:
                        make_loop(g, &st, &d);
                        break;
                }
                made++;
                if (partitions > count - made)
                        partitions = count - made;
                write_partitions(g, &st, &d, partitions);
                made += partitions;
        }
        return g->error;
}
