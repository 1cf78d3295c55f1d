/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Block devices. Healthy: the SCSI disk sda and its partition sda1. Broken, each a SCSI disk
 * on its own port of the SATA controller 0000:00:17.0 unless said otherwise: sdb empty
 * attributes, sdc binary, sdd huge, sde non-numeric, sdf numbers that overflow, sdg without
 * dev, uevent and subsystem, sdh a directory with nothing in it, sdi..sdl class links that
 * dangle or loop, sdn and sdo hostile labels (from the udev database and from sysfs), dm-0 a
 * hostile device-mapper name; entries named with a quote and backslash, a newline, and a byte
 * that is not UTF-8.
 */
#include <stdio.h>
#include <string.h>

#include "hostile-tree.h"

#define SATA "devices/pci0000:00/0000:00:17.0"

/* The SCSI device of port `port` and the block directory of `name` below it, with the links a
 * kernel makes: device, device/subsystem, class/block/<name>, block/<name>. */
static void scsi_disk_dir(struct gen *g, unsigned port, const char *name, char *dir, size_t size)
{
        char scsi[256];

        gen_format(scsi, sizeof(scsi), SATA "/ata%u/host%u/target%u:0:0/%u:0:0:0", port + 1,
                   port, port, port);
        gen_mkdir(g, scsi);
        gen_link(g, scsi, "subsystem", "bus/scsi");
        gen_format(dir, size, "%s/block/%s", scsi, name);
        gen_mkdir(g, dir);
        gen_link(g, dir, "device", scsi);
        gen_link_here(g, "class/block", dir);
        gen_link_here(g, "block", dir);
}

static void write_devnum(struct gen *g, const char *dir, const char *name, unsigned major,
                         unsigned minor, const char *devtype)
{
        char devt[32];

        gen_format(devt, sizeof(devt), "%u:%u", major, minor);
        gen_attr(g, dir, "dev", "%s\n", devt);
        gen_attr(g, dir, "uevent", "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\nDEVTYPE=%s\n", major, minor,
                 name, devtype);
        gen_link(g, dir, "subsystem", "class/block");
        gen_link(g, "dev/block", devt, dir);
}

/* A file of <out>/run/udev/data. */
static void write_udev_db(struct gen *g, int udev_data_fd, const char *name, const void *data,
                          size_t len)
{
        struct gen db = *g;

        db.sys_fd = udev_data_fd;
        gen_attr_bytes(&db, ".", name, data, len);
        if (db.error < 0 && g->error == 0)
                g->error = db.error;
}

/* sda: 1953525168 sectors (1000204886016 bytes) with sda1 at sector 2048, 2097152 sectors. */
static void healthy_disk(struct gen *g, int udev_data_fd)
{
        static const char udev_db[] = "E:ID_SERIAL_SHORT=HEALTHY-0001\nE:ID_REVISION=1.0\n";
        char dir[256], queue[300], part[300];

        scsi_disk_dir(g, 0, "sda", dir, sizeof(dir));
        write_devnum(g, dir, "sda", 8, 0, "disk");
        gen_attr(g, dir, "size", "1953525168\n");
        gen_attr(g, dir, "ro", "0\n");
        gen_attr(g, dir, "removable", "0\n");
        gen_attr(g, dir, "stat", "%s\n", "     100        2     3000       40      200        3 "
                 "    4000       50        0       60       90        0        0        0        0"
                 "        0        0");
        gen_format(queue, sizeof(queue), "%s/queue", dir);
        gen_mkdir(g, queue);
        gen_attr(g, queue, "logical_block_size", "512\n");
        gen_attr(g, queue, "physical_block_size", "4096\n");
        gen_attr(g, queue, "rotational", "1\n");
        gen_attr(g, queue, "scheduler", "none [mq-deadline]\n");
        gen_attr(g, dir, "device/vendor", "ATA     \n");
        gen_attr(g, dir, "device/model", "HEALTHY DISK    \n");
        gen_attr(g, dir, "device/type", "0\n");
        gen_attr(g, dir, "device/rev", "1.0\n");

        gen_format(part, sizeof(part), "%s/sda1", dir);
        gen_mkdir(g, part);
        gen_attr(g, part, "dev", "8:1\n");
        gen_attr(g, part, "uevent", "MAJOR=8\nMINOR=1\nDEVNAME=sda1\nDEVTYPE=partition\n"
                 "PARTN=1\n");
        gen_link(g, part, "subsystem", "class/block");
        gen_link(g, "dev/block", "8:1", part);
        gen_link_here(g, "class/block", part);
        gen_attr(g, part, "partition", "1\n");
        gen_attr(g, part, "start", "2048\n");
        gen_attr(g, part, "size", "2097152\n");
        gen_attr(g, part, "ro", "0\n");

        write_udev_db(g, udev_data_fd, "b8:0", udev_db, sizeof(udev_db) - 1);
}

/* One attribute file, or every one of the usual ones, with the same content. */
static void write_each(struct gen *g, const char *dir, void (*write)(struct gen *, const char *,
                                                                       const char *))
{
        static const char *const names[] = { "dev", "uevent", "size", "ro", "removable", "stat",
                                             "device/model", "device/vendor", "device/rev" };

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                write(g, dir, names[i]);
}

static void write_empty(struct gen *g, const char *dir, const char *name)
{
        gen_attr_bytes(g, dir, name, "", 0);
}

static void write_binary(struct gen *g, const char *dir, const char *name)
{
        hostile_binary_attr(g, dir, name);
}

static void broken_disks(struct gen *g)
{
        char dir[256];

        /* sdb: every attribute empty. */
        scsi_disk_dir(g, 1, "sdb", dir, sizeof(dir));
        write_each(g, dir, write_empty);
        gen_link(g, dir, "subsystem", "class/block");

        /* sdc: every attribute binary. */
        scsi_disk_dir(g, 2, "sdc", dir, sizeof(dir));
        write_each(g, dir, write_binary);
        gen_link(g, dir, "subsystem", "class/block");

        /* sdd: every attribute 1 MiB; the uevent's keys come first, its tail is junk. */
        scsi_disk_dir(g, 3, "sdd", dir, sizeof(dir));
        hostile_huge_attr(g, dir, "uevent", "MAJOR=8\nMINOR=48\nDEVNAME=sdd\nDEVTYPE=disk\nJUNK=",
                          'J');
        hostile_huge_attr(g, dir, "dev", "8:48", ' ');
        hostile_huge_attr(g, dir, "size", "1", '0');
        hostile_huge_attr(g, dir, "ro", "0", ' ');
        hostile_huge_attr(g, dir, "stat", "1 ", '2');
        hostile_huge_attr(g, dir, "device/model", "M", 'M');
        hostile_huge_attr(g, dir, "device/vendor", "V", 'V');
        gen_link(g, dir, "subsystem", "class/block");

        /* sde: words where numbers belong. */
        scsi_disk_dir(g, 4, "sde", dir, sizeof(dir));
        gen_attr(g, dir, "dev", "8:x\n");
        gen_attr(g, dir, "uevent", "MAJOR=eight\nMINOR=64\nDEVNAME=sde\nDEVTYPE=disk\n");
        gen_attr(g, dir, "size", "12abc\n");
        gen_attr(g, dir, "ro", "yes\n");
        gen_attr(g, dir, "removable", "2\n");
        gen_attr(g, dir, "stat", "1 2 x 4 5 6 7 8 9 10 11\n");
        gen_mkdir(g, SATA "/ata5/host4/target4:0:0/4:0:0:0/block/sde/queue");
        gen_attr(g, SATA "/ata5/host4/target4:0:0/4:0:0:0/block/sde/queue", "logical_block_size",
                 "-512\n");
        gen_attr(g, SATA "/ata5/host4/target4:0:0/4:0:0:0/block/sde/queue", "rotational",
                 "maybe\n");
        gen_link(g, dir, "subsystem", "class/block");

        /* sdf: numbers past what they can hold. */
        scsi_disk_dir(g, 5, "sdf", dir, sizeof(dir));
        write_devnum(g, dir, "sdf", 8, 80, "disk");
        gen_attr(g, dir, "size", "36028797018963968\n"); /* 2^55 sectors: 2^64 bytes */
        gen_attr(g, dir, "ro", "99999999999999999999999\n");
        gen_attr(g, dir, "stat", "1 2 18446744073709551615 4 5 6 7 8 9 10 11\n");

        /* sdg: a disk without dev, uevent and subsystem link: only its size says it is one. */
        scsi_disk_dir(g, 6, "sdg", dir, sizeof(dir));
        gen_attr(g, dir, "size", "2048\n");

        /* sdh: a directory with nothing in it. */
        gen_mkdir(g, "devices/virtual/block/sdh");
        gen_link_here(g, "class/block", "devices/virtual/block/sdh");

        /* sdi dangles; sdj loops on itself; sdk and sdl loop on each other. */
        hostile_raw_link(g, "class/block", "sdi", "../../devices/virtual/block/sdi");
        hostile_raw_link(g, "class/block", "sdj", "sdj");
        hostile_raw_link(g, "class/block", "sdk", "sdl");
        hostile_raw_link(g, "class/block", "sdl", "sdk");
        hostile_raw_link(g, "block", "sdm", "../devices/virtual/block/sdm");
}

/* sdn: labels from the udev database (quote, backslash, newline, NUL and a byte that is not
 * UTF-8, all in udev's \x escapes; a raw quote and backslash in the serial). sdo: the same
 * from sysfs, raw, with a database file larger than the provider reads. dm-0: a
 * device-mapper name. Device entries named with a quote and backslash (kept), a newline and a
 * byte that is not UTF-8 (both skipped). */
static void hostile_labels(struct gen *g, int udev_data_fd)
{
        static const char sdn_db[] =
                "S:disk/by-id/hostile\n"
                "E:ID_MODEL_ENC=Enc\\x22Quote\\x5cBack\\x0aNL\\xffEnd\\x00cut\n"
                "E:ID_SERIAL_SHORT=S\"N\\1\n"
                "E:ID_REVISION=R\x01\xc3\x28\n";
        static const char sdo_model[] = "Raw \"model\" \\ with\nnewline\xc3\x28\0after NUL\n";
        static const char big_head[] = "E:ID_REVISION=BIG-DB\nE:ID_JUNK=";
        static char big[70 * 1024];
        char dir[256];

        scsi_disk_dir(g, 7, "sdn", dir, sizeof(dir));
        write_devnum(g, dir, "sdn", 8, 208, "disk");
        gen_attr(g, dir, "size", "2048\n");
        gen_attr(g, dir, "device/model", "sysfs model, not used\n");
        write_udev_db(g, udev_data_fd, "b8:208", sdn_db, sizeof(sdn_db) - 1);

        scsi_disk_dir(g, 8, "sdo", dir, sizeof(dir));
        write_devnum(g, dir, "sdo", 8, 224, "disk");
        gen_attr(g, dir, "size", "2048\n");
        gen_attr_bytes(g, dir, "device/model", sdo_model, sizeof(sdo_model) - 1);
        gen_attr(g, dir, "device/vendor", "VEN\tDOR\n");
        gen_attr_bytes(g, dir, "device/serial", "SER\0IAL\n", 8);
        /* Longer than the 64 KiB the provider reads: its complete lines still count. */
        memset(big, 'x', sizeof(big));
        memcpy(big, big_head, sizeof(big_head) - 1);
        big[sizeof(big) - 1] = '\n';
        write_udev_db(g, udev_data_fd, "b8:224", big, sizeof(big));

        gen_mkdir(g, "devices/virtual/block/dm-0/dm");
        write_devnum(g, "devices/virtual/block/dm-0", "dm-0", 253, 0, "disk");
        gen_attr(g, "devices/virtual/block/dm-0", "size", "4096\n");
        gen_attr(g, "devices/virtual/block/dm-0/dm", "name", "vg-\"lv\"\\x\n");
        gen_attr(g, "devices/virtual/block/dm-0/dm", "uuid", "LVM-hostile\n");
        gen_link_here(g, "class/block", "devices/virtual/block/dm-0");
        gen_link_here(g, "block", "devices/virtual/block/dm-0");

        gen_mkdir(g, "devices/virtual/block/sd\"q\\");
        gen_attr(g, "devices/virtual/block/sd\"q\\", "size", "8\n");
        gen_link_here(g, "class/block", "devices/virtual/block/sd\"q\\");
        gen_mkdir(g, "devices/virtual/block/sd\nx");
        gen_attr(g, "devices/virtual/block/sd\nx", "size", "8\n");
        gen_link_here(g, "class/block", "devices/virtual/block/sd\nx");
        gen_mkdir(g, "devices/virtual/block/sd\xff");
        gen_attr(g, "devices/virtual/block/sd\xff", "size", "8\n");
        gen_link_here(g, "class/block", "devices/virtual/block/sd\xff");
}

void hostile_block(struct gen *g, int udev_data_fd)
{
        gen_mkdir(g, "class/block");
        gen_mkdir(g, "block");
        gen_mkdir(g, "dev/block");
        gen_mkdir(g, "bus/scsi");
        healthy_disk(g, udev_data_fd);
        broken_disks(g);
        hostile_labels(g, udev_data_fd);
}
