/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What kind of block device a sysfs directory is: the class it is posted as, lsblk's TYPE and
 * lsblk's TRAN, from the same attributes lsblk reads, so that both tools agree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block.h"
#include "common/sysfs-read.h"

static bool has_prefix(const char *s, const char *prefix)
{
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

enum block_class block_classify(int dir_fd, const char *name, const char *devpath,
                                bool is_partition)
{
        char subsystem[64] = "";
        struct stat st;

        if (is_partition)
                return BLOCK_CLASS_PARTITION;
        /* Virtual devices (loop, zram, dm, md, ram, nbd) have no device link: the hardware
         * behind a disk does. A dangling link (a partial tree) still says there is some. */
        if (fstatat(dir_fd, "device", &st, AT_SYMLINK_NOFOLLOW) < 0)
                return BLOCK_CLASS_DEVICE;
        if (sysfs_read_link_name(dir_fd, "device/subsystem", subsystem, sizeof(subsystem)) < 0)
                subsystem[0] = '\0';

        /* The bus of the parent device decides; old kernels and recorded trees without a
         * subsystem link (or with nvme right under its PCI function) go by the kernel's
         * naming, as lsblk does. */
        if (strcmp(subsystem, "scsi") == 0 ||
            (!subsystem[0] && (has_prefix(name, "sd") || has_prefix(name, "sr"))))
                return devpath && strstr(devpath, "/usb") ? BLOCK_CLASS_USB : BLOCK_CLASS_SCSI;
        if (has_prefix(subsystem, "nvme") || has_prefix(name, "nvme"))
                return BLOCK_CLASS_NVME;
        if (strcmp(subsystem, "virtio") == 0 || (!subsystem[0] && has_prefix(name, "vd")))
                return BLOCK_CLASS_VIRTIO;
        if (strcmp(subsystem, "mmc") == 0 || has_prefix(name, "mmcblk"))
                return BLOCK_CLASS_MMC;
        return BLOCK_CLASS_DISK;
}

/* SCSI peripheral device types (SPC-4, table 61) as lsblk names them. */
static const char *scsi_type_name(uint64_t type)
{
        static const char *const names[] = {
                [0x00] = "disk", [0x01] = "tape", [0x02] = "printer", [0x03] = "processor",
                [0x04] = "worm", [0x05] = "rom", [0x06] = "scanner", [0x07] = "mo-disk",
                [0x08] = "changer", [0x09] = "comm", [0x0c] = "raid", [0x0d] = "enclosure",
                [0x0e] = "rbc", [0x11] = "osd",
        };

        if (type == 0x7f)
                return "no-lun";
        if (type < sizeof(names) / sizeof(names[0]))
                return names[type];
        return NULL;
}

static void lowercase(char *s)
{
        for (; *s; s++)
                if (*s >= 'A' && *s <= 'Z')
                        *s = (char)(*s - 'A' + 'a');
}

const char *block_type(int dir_fd, const char *name, bool is_partition, char *buf,
                       size_t size)
{
        char text[256];
        uint64_t type;

        if (has_prefix(name, "dm-")) {
                /* The DM UUID starts with the subsystem that made the device: LVM-, CRYPT-,
                 * mpath-, and kpartx's partN- (its number dropped). */
                if (sysfs_read_attr(dir_fd, "dm/uuid", text, sizeof(text)) > 0) {
                        char *dash = strchr(text, '-');

                        if (dash && dash != text) {
                                *dash = '\0';
                                if (strncasecmp(text, "part", 4) == 0)
                                        text[4] = '\0';
                                snprintf(buf, size, "%s", text);
                                lowercase(buf);
                                return buf;
                        }
                }
                return "dm";
        }
        if (has_prefix(name, "loop"))
                return "loop";
        if (has_prefix(name, "md")) {
                if (sysfs_read_attr(dir_fd, "md/level", text, sizeof(text)) > 0) {
                        snprintf(buf, size, "%s", text);
                        lowercase(buf);
                        return buf;
                }
                return "md";
        }
        if (sysfs_read_uint64(dir_fd, "device/type", &type) == 0 && scsi_type_name(type))
                return scsi_type_name(type);
        return is_partition ? "part" : "disk";
}

/* Does <sysroot>/sys/class/<kind>_host/host<N> exist? */
static bool scsi_host_is(struct block_call *bc, unsigned host, const char *kind)
{
        char path[96];

        snprintf(path, sizeof(path), "sys/class/%s_host/host%u", kind, host);
        return faccessat(bc->sysroot_fd, path, F_OK, 0) == 0;
}

static int scsi_host_attr(struct block_call *bc, unsigned host, const char *kind,
                          const char *attr, char *buf, size_t size)
{
        char path[128];
        int fd, r;

        snprintf(path, sizeof(path), "sys/class/%s_host/host%u", kind, host);
        fd = openat(bc->sysroot_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = sysfs_read_attr(fd, attr, buf, size);
        close(fd);
        return r;
}

static const char *scsi_transport(struct block_call *bc, int dir_fd, const char *devpath)
{
        char hctl[64], text[256];
        unsigned host, channel, target, lun;
        struct stat st;

        /* The device link ends in the SCSI address host:channel:target:lun. */
        if (sysfs_read_link_name(dir_fd, "device", hctl, sizeof(hctl)) < 0 ||
            sscanf(hctl, "%u:%u:%u:%u", &host, &channel, &target, &lun) != 4)
                return NULL;
        if (scsi_host_is(bc, host, "spi"))
                return "spi";
        if (scsi_host_is(bc, host, "fc")) {
                if (scsi_host_attr(bc, host, "fc", "symbolic_name", text, sizeof(text)) < 0)
                        return NULL;
                return strstr(text, " over ") ? "fcoe" : "fc";
        }
        if (scsi_host_is(bc, host, "sas") || fstatat(dir_fd, "device/sas_device", &st, 0) == 0)
                return "sas";
        if (fstatat(dir_fd, "device/ieee1394_id", &st, 0) == 0)
                return "sbp";
        if (scsi_host_is(bc, host, "iscsi"))
                return "iscsi";
        if (devpath && strstr(devpath, "/usb"))
                return "usb";
        if (scsi_host_attr(bc, host, "scsi", "proc_name", text, sizeof(text)) >= 0) {
                if (has_prefix(text, "ahci") || has_prefix(text, "sata"))
                        return "sata";
                if (strstr(text, "ata"))
                        return "ata";
        }
        return NULL;
}

const char *block_transport(struct block_call *bc, int dir_fd, const char *name,
                            const char *devpath, enum block_class cls)
{
        switch (cls) {
        case BLOCK_CLASS_SCSI:
        case BLOCK_CLASS_USB:
                return scsi_transport(bc, dir_fd, devpath);
        case BLOCK_CLASS_NVME:
                return "nvme";
        case BLOCK_CLASS_VIRTIO:
                return "virtio";
        case BLOCK_CLASS_MMC:
                return "mmc";
        default:
                return NULL;
        }
}
