/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading one block device from its sysfs directory into an instance of its most derived
 * class. Every attribute is read relative to the directory handle; a partition takes its
 * queue attributes and removable flag from its disk (the directory above it), as lsblk does,
 * since the kernel gives partitions none of their own.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block.h"
#include "common/sysfs-read.h"

/* What one device's reading has found so far. */
struct device_info {
        const struct block_entry *entry;
        enum block_class cls;
        bool is_partition;
        bool has_devnum;
        uint32_t major, minor;
        int parent_fd;            /* the disk of a partition, or -1 */
        char parent_name[80];
        char uevent[4096];
        struct udev_props udev;
        bool udev_loaded;
};

/* ---- identity: uevent, dev, partition ---------------------------------------------------- */

static const char *uevent_value(struct device_info *info, const char *key, char *buf,
                                size_t size)
{
        size_t len;
        const char *value = sysfs_uevent_get(info->uevent, key, &len);

        if (!value || len == 0 || len >= size)
                return NULL;
        memcpy(buf, value, len);
        buf[len] = '\0';
        return buf;
}

static bool parse_u32(const char *text, uint32_t *ret)
{
        uint64_t v;

        if (!text || sysfs_parse_uint64(text, &v) < 0 || v > UINT32_MAX)
                return false;
        *ret = (uint32_t)v;
        return true;
}

/* Read what decides the class: uevent (MAJOR, MINOR, DEVNAME, DEVTYPE, PARTN at once), else
 * the dev and partition attributes. -ENOENT when the directory has none of them left: the
 * device went away under us (or it is no device). */
static int read_identity(struct block_call *bc, struct device_info *info)
{
        const char *name = info->entry->name;
        int dir_fd = info->entry->dir_fd;
        char major[16], minor[16], devtype[32], dev[64];
        uint64_t partition;
        int r_uevent, r_dev;
        struct stat st;

        /* Not block_read_text(), which empties the buffer of an attribute that is too long:
         * the keys we need come first, so the start of a long uevent is still used. */
        r_uevent = sysfs_read_attr(dir_fd, "uevent", info->uevent, sizeof(info->uevent));
        if (r_uevent == -EFBIG) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: uevent is longer than %zu bytes, its "
                              "start used", name, sizeof(info->uevent) - 1);
                r_uevent = 0;
        } else if (r_uevent < 0) {
                block_note_read_error(bc, dir_fd, "uevent", r_uevent);
                info->uevent[0] = '\0';
        }
        if (parse_u32(uevent_value(info, "MAJOR", major, sizeof(major)), &info->major) &&
            parse_u32(uevent_value(info, "MINOR", minor, sizeof(minor)), &info->minor))
                info->has_devnum = true;

        /* dev says again what uevent's MAJOR/MINOR said: read it only where uevent did not. */
        r_dev = info->has_devnum ? 0 : block_read_text(bc, dir_fd, name, "dev", dev, sizeof(dev));
        if (!info->has_devnum && r_dev > 0) {
                char *colon = strchr(dev, ':');

                if (colon) {
                        *colon = '\0';
                        info->has_devnum = parse_u32(dev, &info->major) &&
                                           parse_u32(colon + 1, &info->minor);
                }
                if (!info->has_devnum) {
                        glue_call_log(bc->call, LOG_DEBUG, "%s: dev is not major:minor",
                                      name);
                        block_note_read_error(bc, dir_fd, "dev", -EINVAL);
                }
        }

        /* A directory without any of these is no device (recorded trees hold such), or one
         * that went away after it was opened: sysfs then answers ENOENT for every file. */
        if (r_uevent < 0 && r_dev < 0 && fstatat(dir_fd, "size", &st, 0) < 0 &&
            fstatat(dir_fd, "stat", &st, 0) < 0)
                return -ENOENT;
        if (!info->has_devnum)
                glue_call_log(bc->call, LOG_DEBUG, "%s: no device number (no dev file, no "
                              "MAJOR/MINOR in uevent)", name);

        if (uevent_value(info, "DEVTYPE", devtype, sizeof(devtype)))
                info->is_partition = strcmp(devtype, "partition") == 0;
        else
                info->is_partition = sysfs_read_uint64(dir_fd, "partition", &partition) == 0;
        return 0;
}

/* The disk of a partition: the directory above (the kernel nests partitions in their disk),
 * named by the walk, else by the link target (.../block/sda/sda1), else by its uevent. */
static void open_parent(struct block_call *bc, struct device_info *info)
{
        const struct block_entry *entry = info->entry;
        char uevent[1024];

        info->parent_fd = openat(entry->dir_fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (info->parent_fd < 0) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: cannot open its disk: %s",
                              entry->name, strerror(errno));
                return;
        }
        if (entry->parent_name) {
                snprintf(info->parent_name, sizeof(info->parent_name), "%s", entry->parent_name);
                return;
        }
        if (entry->devpath) {
                const char *end = strrchr(entry->devpath, '/');
                const char *start = end;

                while (start && start > entry->devpath && start[-1] != '/')
                        start--;
                if (end && start && end > start &&
                    (size_t)(end - start) < sizeof(info->parent_name)) {
                        memcpy(info->parent_name, start, (size_t)(end - start));
                        info->parent_name[end - start] = '\0';
                        return;
                }
        }
        if (sysfs_read_attr(info->parent_fd, "uevent", uevent, sizeof(uevent)) >= 0) {
                size_t len;
                const char *devname = sysfs_uevent_get(uevent, "DEVNAME", &len);

                if (devname && len < sizeof(info->parent_name)) {
                        memcpy(info->parent_name, devname, len);
                        info->parent_name[len] = '\0';
                }
        }
}

/* ---- common properties ------------------------------------------------------------------- */

static void set_name_list(struct block_call *bc, struct glue_instance *inst,
                          enum block_prop prop, int dir_fd, const char *dev, const char *subdir)
{
        const char *names[256];
        char *copies[256];
        size_t count = 0;
        struct dirent *de;
        DIR *dir;
        int fd;

        if (!bc->wants[prop])
                return;
        fd = openat(dir_fd, subdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                block_note_read_error(bc, dir_fd, subdir, -errno);
                return;
        }
        dir = fdopendir(fd);
        if (!dir) {
                close(fd);
                return;
        }
        while ((de = readdir(dir)) && count < 256) {
                if (de->d_name[0] == '.')
                        continue;
                copies[count] = strdup(de->d_name);
                if (!copies[count])
                        break;
                names[count] = copies[count];
                count++;
        }
        closedir(dir);
        if (glue_instance_set_string_array(inst, block_prop_names[prop], names, count) < 0)
                glue_call_log(bc->call, LOG_DEBUG, "%s: cannot set %s", dev,
                              block_prop_names[prop]);
        for (size_t i = 0; i < count; i++)
                free(copies[i]);
}

/* lsblk's STATE: the state of the hardware behind a disk (device/state: running, live, ...),
 * of a device-mapper device whether it is suspended; none for partitions. */
static void set_state(struct block_call *bc, struct glue_instance *inst,
                      struct device_info *info, bool is_dm)
{
        const char *name = info->entry->name;
        bool suspended;

        if (!bc->wants[P_STATE] || info->is_partition)
                return;
        if (!is_dm)
                block_set_attr_string(bc, inst, P_STATE, info->entry->dir_fd, name,
                                      "device/state");
        else if (block_read_flag(bc, info->entry->dir_fd, name, "dm/suspended", &suspended) == 0)
                block_set_string(bc, inst, P_STATE, suspended ? "suspended" : "running");
}

/* lsblk's TRAN. A partition's transport is its disk's: lsblk 2.38 guesses it from the name
 * (nvme* only), the provider reads the disk, once for all its partitions. */
static void set_transport(struct block_call *bc, struct glue_instance *inst,
                          struct device_info *info, struct block_disk *disk)
{
        const struct block_entry *entry = info->entry;
        const char *transport = NULL;

        if (!bc->wants[P_TRANSPORT])
                return;
        if (disk && disk->transport_read) {
                transport = disk->transport;
        } else if (!info->is_partition) {
                transport = block_transport(bc, entry->dir_fd, entry->name, entry->devpath,
                                            info->cls);
        } else if (info->parent_fd >= 0 && info->parent_name[0]) {
                enum block_class cls = block_classify(info->parent_fd, info->parent_name,
                                                      entry->devpath, false);

                transport = block_transport(bc, info->parent_fd, info->parent_name,
                                            entry->devpath, cls);
        } else {
                return;
        }
        if (disk) {
                disk->transport_read = true;
                disk->transport = transport;
        }
        block_set_string(bc, inst, P_TRANSPORT, transport);
}

/* The disk's removable flag and disk sequence, which its partitions share. */
static void read_disk_flags(struct block_call *bc, struct device_info *info, int disk_fd,
                            struct block_disk *disk, struct block_disk *local)
{
        const char *name = info->entry->name;

        if (!disk)
                disk = local;
        if (!disk->removable_read && (bc->wants[P_REMOVABLE] || bc->wants[P_HOTPLUG])) {
                disk->removable_read = true;
                disk->has_removable = disk_fd >= 0 &&
                                      block_read_flag(bc, disk_fd, name, "removable",
                                                      &disk->removable) == 0;
        }
        if (!disk->diskseq_read && bc->wants[P_DISK_SEQUENCE]) {
                disk->diskseq_read = true;
                disk->has_diskseq = disk_fd >= 0 &&
                                    block_read_uint(bc, disk_fd, name, "diskseq",
                                                    &disk->diskseq) == 0;
        }
        if (disk != local)
                *local = *disk;
}

/* SUBSYSTEMS and HOTPLUG from the ancestry; the controller's PCI function for disks. */
static void set_ancestry(struct block_call *bc, struct glue_instance *inst,
                         struct device_info *info, const struct glue_class *cls,
                         const bool *removable)
{
        const char *name = info->entry->name;
        bool is_disk = glue_class_is_a(cls, bc->classes[BLOCK_CLASS_DISK]);
        char path[4096], subsystems[512], address[64];
        bool hotplug = false;
        int r;

        if (!bc->wants[P_SUBSYSTEMS] && !bc->wants[P_HOTPLUG] &&
            !(is_disk && bc->wants[P_CONTROLLER_PCI_ADDRESS]))
                return;
        r = block_resolve_path(bc, info->entry, path, sizeof(path));
        if (r < 0) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: not under sys/devices: no ancestry",
                              name);
                path[0] = '\0';
        }
        if (is_disk && bc->wants[P_CONTROLLER_PCI_ADDRESS] && path[0] &&
            block_controller_pci_address(bc, path, address, sizeof(address)) == 0)
                block_set_string(bc, inst, P_CONTROLLER_PCI_ADDRESS, address);
        if (!bc->wants[P_SUBSYSTEMS] && !bc->wants[P_HOTPLUG])
                return;
        r = path[0] ? block_subsystems(bc, path, info->entry->dir_fd, subsystems,
                                       sizeof(subsystems))
                    : -ENOENT;
        if (r > 0) {
                block_set_string(bc, inst, P_SUBSYSTEMS, subsystems);
                hotplug = block_subsystems_hotplug(subsystems);
        }
        if (!bc->wants[P_HOTPLUG])
                return;
        /* lsblk: the device's own removable flag (a partition has none), else a hot-plug
         * bus among its ancestors. */
        if (!hotplug && removable && !info->is_partition)
                hotplug = *removable;
        else if (!hotplug && info->is_partition)
                (void)block_read_flag(bc, info->entry->dir_fd, name, "removable", &hotplug);
        block_set_bool(bc, inst, P_HOTPLUG, hotplug);
}

static void set_common(struct block_call *bc, struct glue_instance *inst,
                       struct device_info *info, const struct glue_class *cls)
{
        const char *name = info->entry->name;
        int dir_fd = info->entry->dir_fd;
        int disk_fd = info->is_partition ? info->parent_fd : dir_fd;
        char buf[256], type[64], dm_name[256] = "";
        uint64_t sectors, size = 0;
        int64_t alignment;
        bool have_size = false;
        bool is_dm = strncmp(name, "dm-", 3) == 0;
        /* what the disk shares with its partitions, only when some of it is wanted */
        struct block_disk *disk =
                bc->wants_queue || bc->wants[P_REMOVABLE] || bc->wants[P_HOTPLUG] ||
                                bc->wants[P_DISK_SEQUENCE] || bc->wants[P_TRANSPORT]
                        ? block_disk_get(bc, info->is_partition ? info->parent_name : name)
                        : NULL;
        struct block_disk flags = { 0 };

        if (bc->host_name[0])
                block_set_string(bc, inst, P_SYSTEM_NAME, bc->host_name);
        if (bc->wants[P_DRIVER] && !info->is_partition &&
            block_read_link_name(bc, dir_fd, "device/driver", buf, sizeof(buf)) > 0)
                block_set_string(bc, inst, P_DRIVER, buf);
        if (bc->wants[P_SYSFS_PATH] && info->entry->devpath) {
                /* The class link is relative ("../../devices/..."): keep what follows. */
                const char *devices = strstr(info->entry->devpath, "devices/");
                char path[4096];

                if (devices) {
                        snprintf(path, sizeof(path), "/sys/%s", devices);
                        block_set_string(bc, inst, P_SYSFS_PATH, path);
                }
        }
        /* Only device-mapper disks have dm/, and the kernel names them all dm-N. */
        if (is_dm && (bc->wants[P_NAME] || bc->wants[P_PATH] || bc->wants[P_OWNER_NAME] ||
                      bc->wants[P_GROUP_NAME] || bc->wants[P_MODE]))
                (void)block_read_text(bc, dir_fd, name, "dm/name", dm_name, sizeof(dm_name));
        block_set_string(bc, inst, P_NAME, dm_name[0] ? dm_name : name);
        if (bc->wants[P_DEVICE_NODE]) {
                char devname[200];

                /* The kernel names some devices with '!' for '/' (cciss!c0d0). */
                if (!uevent_value(info, "DEVNAME", devname, sizeof(devname))) {
                        snprintf(devname, sizeof(devname), "%s", name);
                        for (char *p = devname; *p; p++)
                                if (*p == '!')
                                        *p = '/';
                }
                snprintf(buf, sizeof(buf), "/dev/%s", devname);
                block_set_string(bc, inst, P_DEVICE_NODE, buf);
        }
        block_node_set(bc, inst, name, dm_name[0] ? dm_name : NULL,
                       info->has_devnum ? &info->major : NULL,
                       info->has_devnum ? &info->minor : NULL);
        if (info->has_devnum) {
                block_set_uint(bc, inst, P_MAJOR, info->major);
                block_set_uint(bc, inst, P_MINOR, info->minor);
        }
        if (bc->wants[P_TYPE])
                block_set_string(bc, inst, P_TYPE, block_type(dir_fd, name, info->is_partition,
                                                              type, sizeof(type)));

        if (bc->wants_queue || bc->wants[P_SIZE] || bc->wants[P_NUMBER_OF_BLOCKS]) {
                if (block_read_uint(bc, dir_fd, name, "size", &sectors) == 0) {
                        if (sectors > UINT64_MAX / 512) {
                                glue_call_log(bc->call, LOG_DEBUG, "%s: size overflows",
                                              name);
                                block_note_read_error(bc, dir_fd, "size", -ERANGE);
                        } else {
                                have_size = true;
                                size = sectors * 512;
                        }
                }
                if (have_size)
                        block_set_uint(bc, inst, P_SIZE, size);
                if (bc->wants_queue)
                        block_queue_set(bc, inst, disk_fd, dir_fd,
                                        info->is_partition ? info->parent_name : name, name,
                                        have_size ? &size : NULL);
        }
        /* The device's own (a partition has its own offset into the disk's alignment). */
        if (bc->wants[P_ALIGNMENT_OFFSET] &&
            block_read_int(bc, dir_fd, name, "alignment_offset", &alignment) == 0)
                block_set_sint(bc, inst, P_ALIGNMENT_OFFSET, alignment);
        if (bc->wants[P_READ_ONLY] || bc->wants[P_ACCESS]) {
                bool ro;

                if (block_read_flag(bc, dir_fd, name, "ro", &ro) == 0) {
                        block_set_bool(bc, inst, P_READ_ONLY, ro);
                        /* CIM_StorageExtent.Access: 1 Readable, 3 Read/Write Supported */
                        block_set_uint(bc, inst, P_ACCESS, ro ? 1 : 3);
                }
        }
        read_disk_flags(bc, info, disk_fd, disk, &flags);
        if (flags.has_removable)
                block_set_bool(bc, inst, P_REMOVABLE, flags.removable);
        if (flags.has_diskseq)
                block_set_uint(bc, inst, P_DISK_SEQUENCE, flags.diskseq);
        set_name_list(bc, inst, P_HOLDERS, dir_fd, name, "holders");
        set_name_list(bc, inst, P_SLAVES, dir_fd, name, "slaves");
        set_state(bc, inst, info, is_dm);
        set_transport(bc, inst, info, disk);
        set_ancestry(bc, inst, info, cls, flags.has_removable ? &flags.removable : NULL);
        if (bc->wants_stat)
                block_stat_set(bc, inst, dir_fd, name);
}

/* ---- udev-backed properties -------------------------------------------------------------- */

static const char *udev_value(struct block_call *bc, struct device_info *info, const char *key)
{
        if (!info->udev_loaded) {
                int r = -ENOENT;

                info->udev_loaded = true;
                if (bc->sysroot_is_root || info->has_devnum)
                        r = udev_db_load(&bc->udev, info->entry->name, info->major, info->minor,
                                         &info->udev);
                if (r < 0 && r != -ENOENT) {
                        char path[4096];

                        snprintf(path, sizeof(path), "%s/run/udev/data/b%u:%u",
                                 bc->sysroot_is_root ? "" : bc->sysroot, info->major,
                                 info->minor);
                        glue_call_note_read_error(bc->call, path, r);
                } else if (info->udev.truncated) {
                        glue_call_log(bc->call, LOG_DEBUG, "udev database file b%u:%u is longer "
                                      "than %d bytes, read in part", info->major, info->minor,
                                      UDEV_DB_MAX);
                }
        }
        return udev_props_get(&info->udev, key);
}

static void set_udev_string(struct block_call *bc, struct glue_instance *inst,
                            struct device_info *info, enum block_prop prop, const char *key)
{
        if (bc->wants[prop])
                block_set_string(bc, inst, prop, udev_value(bc, info, key));
}

/* ---- disks ------------------------------------------------------------------------------- */

static void set_model(struct block_call *bc, struct glue_instance *inst,
                      struct device_info *info)
{
        const char *value;
        char buf[256];

        if (!bc->wants[P_MODEL])
                return;
        /* ID_MODEL has blanks turned into '_'; ID_MODEL_ENC keeps the drive's own spelling. */
        value = udev_value(bc, info, "ID_MODEL_ENC");
        if (value && udev_decode(value, buf, sizeof(buf), true) > 0) {
                block_set_string(bc, inst, P_MODEL, buf);
                return;
        }
        value = udev_value(bc, info, "ID_MODEL");
        if (value) {
                block_set_string(bc, inst, P_MODEL, value);
                return;
        }
        /* SCSI pads the inquiry model with blanks; the reader strips them. MMC says "name". */
        if (block_read_text(bc, info->entry->dir_fd, info->entry->name, "device/model", buf,
                            sizeof(buf)) > 0 ||
            (info->cls == BLOCK_CLASS_MMC &&
             block_read_text(bc, info->entry->dir_fd, info->entry->name, "device/name", buf,
                             sizeof(buf)) > 0))
                block_set_string(bc, inst, P_MODEL, buf);
}

static void set_serial(struct block_call *bc, struct glue_instance *inst,
                       struct device_info *info)
{
        int dir_fd = info->entry->dir_fd;
        const char *value;
        char buf[256];

        if (!bc->wants[P_SERIAL_NUMBER])
                return;
        /* The order of lsblk: the SCSI unit serial, else the short serial; ID_SERIAL itself is
         * model_serial, not a serial number. Without udev: nvme and mmc have device/serial,
         * virtio-blk has serial. */
        value = udev_value(bc, info, "ID_SCSI_SERIAL");
        if (!value)
                value = udev_value(bc, info, "ID_SERIAL_SHORT");
        if (value) {
                block_set_string(bc, inst, P_SERIAL_NUMBER, value);
                return;
        }
        if (block_read_text(bc, dir_fd, info->entry->name, "device/serial", buf,
                            sizeof(buf)) > 0 ||
            block_read_text(bc, dir_fd, info->entry->name, "serial", buf, sizeof(buf)) > 0)
                block_set_string(bc, inst, P_SERIAL_NUMBER, buf);
}

/* "naa.50026B724B09A1FF" -> "0x50026b724b09a1ff", as udev writes an NAA WWN; EUI-64 ids keep
 * their "eui." form, as udev does for NVMe. T10 vendor ids are not world wide names. */
static bool wwid_to_wwn(const char *wwid, char *buf, size_t size)
{
        size_t len;

        if (strncmp(wwid, "naa.", 4) == 0) {
                len = strlen(wwid + 4);
                if (len == 0 || len + 3 > size)
                        return false;
                buf[0] = '0';
                buf[1] = 'x';
                for (size_t i = 0; i <= len; i++) {
                        char c = wwid[4 + i];

                        buf[2 + i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
                }
                return true;
        }
        if (strncmp(wwid, "eui.", 4) == 0 && strlen(wwid) < size) {
                memcpy(buf, wwid, strlen(wwid) + 1);
                return true;
        }
        return false;
}

static void set_wwn(struct block_call *bc, struct glue_instance *inst, struct device_info *info)
{
        int dir_fd = info->entry->dir_fd;
        const char *value;
        char wwid[256], buf[256];

        if (!bc->wants[P_WWN])
                return;
        value = udev_value(bc, info, "ID_WWN_WITH_EXTENSION");
        if (!value)
                value = udev_value(bc, info, "ID_WWN");
        if (value) {
                block_set_string(bc, inst, P_WWN, value);
                return;
        }
        /* nvme has wwid on the namespace, SCSI on the device (from VPD page 0x83). */
        if ((block_read_text(bc, dir_fd, info->entry->name, "wwid", wwid, sizeof(wwid)) > 0 ||
             block_read_text(bc, dir_fd, info->entry->name, "device/wwid", wwid,
                             sizeof(wwid)) > 0) &&
            wwid_to_wwn(wwid, buf, sizeof(buf)))
                block_set_string(bc, inst, P_WWN, buf);
}

static void set_firmware(struct block_call *bc, struct glue_instance *inst,
                         struct device_info *info)
{
        const char *value;
        char buf[64];

        if (!bc->wants[P_FIRMWARE_REVISION])
                return;
        /* ID_REVISION is the drive's full revision; SCSI's rev holds 4 characters of it. */
        value = udev_value(bc, info, "ID_REVISION");
        if (value) {
                block_set_string(bc, inst, P_FIRMWARE_REVISION, value);
                return;
        }
        if (block_read_text(bc, info->entry->dir_fd, info->entry->name, "device/firmware_rev",
                            buf, sizeof(buf)) > 0 ||
            block_read_text(bc, info->entry->dir_fd, info->entry->name, "device/rev", buf,
                            sizeof(buf)) > 0)
                block_set_string(bc, inst, P_FIRMWARE_REVISION, buf);
}

/* The USB device of a disk: in ".../usb5/5-1/5-1:1.0/host7/...", the component before the
 * first interface (the one with a ':') after the root hub. Its idVendor and idProduct. */
static void set_usb_ids(struct block_call *bc, struct glue_instance *inst,
                        struct device_info *info)
{
        const char *devpath = info->entry->devpath, *devices, *usb, *iface;
        char path[4096];
        int fd;

        if ((!bc->wants[P_USB_VENDOR_ID] && !bc->wants[P_USB_PRODUCT_ID]) || !devpath)
                return;
        devices = strstr(devpath, "devices/");
        usb = devices ? strstr(devices, "/usb") : NULL;
        iface = usb ? strchr(usb + 1, ':') : NULL;
        while (iface && iface > usb && *iface != '/')
                iface--;
        if (!iface || iface <= usb ||
            (size_t)(iface - devices) + 5 > sizeof(path))
                return;
        snprintf(path, sizeof(path), "sys/%.*s", (int)(iface - devices), devices);
        fd = openat(bc->sysroot_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: no USB device at %s",
                              info->entry->name, path);
                return;
        }
        block_set_attr_string(bc, inst, P_USB_VENDOR_ID, fd, info->entry->name, "idVendor");
        block_set_attr_string(bc, inst, P_USB_PRODUCT_ID, fd, info->entry->name, "idProduct");
        close(fd);
}

static void set_disk(struct block_call *bc, struct glue_instance *inst,
                     struct device_info *info)
{
        const struct block_entry *entry = info->entry;
        int dir_fd = entry->dir_fd;
        char buf[256];

        set_model(bc, inst, info);
        if (bc->wants[P_VENDOR]) {
                if (block_read_text(bc, dir_fd, entry->name, "device/vendor", buf,
                                    sizeof(buf)) > 0)
                        block_set_string(bc, inst, P_VENDOR, buf);
                else
                        set_udev_string(bc, inst, info, P_VENDOR, "ID_VENDOR");
        }
        set_serial(bc, inst, info);
        set_wwn(bc, inst, info);
        set_firmware(bc, inst, info);
        block_set_attr_uint(bc, inst, P_QUEUE_DEPTH, dir_fd, entry->name, "device/queue_depth");

        switch (info->cls) {
        case BLOCK_CLASS_USB:
                /* a USB disk is also a SCSI disk */
                set_usb_ids(bc, inst, info);
                /* fall through */
        case BLOCK_CLASS_SCSI:
                if (bc->wants[P_SCSI_ADDRESS] &&
                    block_read_link_name(bc, dir_fd, "device", buf, sizeof(buf)) > 0 &&
                    strchr(buf, ':'))
                        block_set_string(bc, inst, P_SCSI_ADDRESS, buf);
                block_set_attr_uint(bc, inst, P_SCSI_DEVICE_TYPE, dir_fd, entry->name, "device/type");
                break;
        case BLOCK_CLASS_NVME:
                block_set_attr_uint(bc, inst, P_NAMESPACE_ID, dir_fd, entry->name, "nsid");
                if (bc->wants[P_CONTROLLER_NAME] &&
                    block_read_link_name(bc, dir_fd, "device", buf, sizeof(buf)) > 0)
                        block_set_string(bc, inst, P_CONTROLLER_NAME, buf);
                block_set_attr_string(bc, inst, P_NGUID, dir_fd, entry->name, "nguid");
                block_set_attr_string(bc, inst, P_EUI64, dir_fd, entry->name, "eui");
                block_set_attr_string(bc, inst, P_NAMESPACE_UUID, dir_fd, entry->name, "uuid");
                break;
        case BLOCK_CLASS_MMC:
                block_set_attr_string(bc, inst, P_CARD_TYPE, dir_fd, entry->name, "device/type");
                block_set_attr_string(bc, inst, P_MANUFACTURER_ID, dir_fd, entry->name,
                                "device/manfid");
                block_set_attr_string(bc, inst, P_OEM_ID, dir_fd, entry->name, "device/oemid");
                block_set_attr_string(bc, inst, P_MANUFACTURING_DATE, dir_fd, entry->name,
                                "device/date");
                break;
        default:
                break;
        }
}

/* ---- partitions -------------------------------------------------------------------------- */

static void set_partition(struct block_call *bc, struct glue_instance *inst,
                          struct device_info *info)
{
        const char *name = info->entry->name;
        int dir_fd = info->entry->dir_fd;
        const char *value;
        char buf[256];
        uint64_t number, start;

        if (bc->wants[P_PARTITION_NUMBER]) {
                if (block_read_uint(bc, dir_fd, name, "partition", &number) == 0 ||
                    (uevent_value(info, "PARTN", buf, sizeof(buf)) &&
                     sysfs_parse_uint64(buf, &number) == 0)) {
                        if (number <= UINT32_MAX)
                                block_set_uint(bc, inst, P_PARTITION_NUMBER, number);
                }
        }
        if (bc->wants[P_STARTING_OFFSET] && block_read_uint(bc, dir_fd, name, "start", &start) == 0 &&
            start <= UINT64_MAX / 512)
                block_set_uint(bc, inst, P_STARTING_OFFSET, start * 512);
        if (info->parent_name[0])
                block_set_string(bc, inst, P_PARENT_DEVICE, info->parent_name);
        if (bc->wants[P_PARTITION_UUID]) {
                value = udev_value(bc, info, "ID_PART_ENTRY_UUID");
                if (!value)
                        value = uevent_value(info, "PARTUUID", buf, sizeof(buf));
                block_set_string(bc, inst, P_PARTITION_UUID, value);
        }
        if (bc->wants[P_PARTITION_LABEL]) {
                value = udev_value(bc, info, "ID_PART_ENTRY_NAME");
                if (value && udev_decode(value, buf, sizeof(buf), false) > 0)
                        block_set_string(bc, inst, P_PARTITION_LABEL, buf);
                else if (uevent_value(info, "PARTNAME", buf, sizeof(buf)))
                        block_set_string(bc, inst, P_PARTITION_LABEL, buf);
        }
        set_udev_string(bc, inst, info, P_PARTITION_TYPE_ID, "ID_PART_ENTRY_TYPE");
        set_udev_string(bc, inst, info, P_PARTITION_FLAGS, "ID_PART_ENTRY_FLAGS");
        if (bc->wants[P_PARTITION_TYPE_NAME]) {
                /* The table the partition is in: udev gives partitions their disk's
                 * ID_PART_TABLE_TYPE, and ID_PART_ENTRY_SCHEME of their own. */
                const char *table = udev_value(bc, info, "ID_PART_TABLE_TYPE");

                if (!table)
                        table = udev_value(bc, info, "ID_PART_ENTRY_SCHEME");
                block_set_string(bc, inst, P_PARTITION_TYPE_NAME,
                                 block_partition_type_name(bc, table,
                                                           udev_value(bc, info,
                                                                      "ID_PART_ENTRY_TYPE")));
        }
}

/* ---- the device -------------------------------------------------------------------------- */

/* Does the name the walk found still lead to the directory that was read? The kernel
 * (device_del) and umockdev both take a device's class and bus links away before its files, so
 * when this holds after the last read, every read came before the removal began; when it does
 * not, what was read may be missing anything. */
static bool entry_is_still_there(const struct block_entry *entry)
{
        struct stat read_dir, named;

        return fstat(entry->dir_fd, &read_dir) == 0 &&
               fstatat(entry->parent_fd, entry->name, &named, 0) == 0 &&
               read_dir.st_dev == named.st_dev && read_dir.st_ino == named.st_ino;
}

int block_device_post(struct block_call *bc, const struct block_entry *entry)
{
        struct device_info info = { .entry = entry, .parent_fd = -1 };
        const struct glue_class *cls;
        struct glue_instance *inst = NULL;
        int r;

        r = read_identity(bc, &info);
        if (r < 0)
                return r;
        info.cls = block_classify(entry->dir_fd, entry->name, entry->devpath, info.is_partition);
        cls = bc->classes[info.cls];
        /* Only devices of the class asked for (and, when shallow, of exactly that class) are
         * read further; the others cost no more than their uevent. */
        if (!cls || !glue_class_is_a(cls, bc->cls) ||
            (glue_call_is_shallow(bc->call) && cls != bc->cls))
                return 0;

        r = glue_call_new_instance(bc->call, block_class_names[info.cls], &inst);
        if (r < 0)
                return r;
        r = glue_instance_set_string(inst, "DeviceID", entry->name);
        if (r < 0)
                goto out;
        block_set_string(bc, inst, P_CREATION_CLASS_NAME, block_class_names[info.cls]);
        if (glue_call_is_keys_only(bc->call))
                goto post;

        if (info.is_partition) {
                open_parent(bc, &info);
                block_name_child_fd(bc, info.parent_fd, entry->dir_fd, "..");
        }
        set_common(bc, inst, &info, cls);
        set_udev_string(bc, inst, &info, P_PARTITION_TABLE_TYPE, "ID_PART_TABLE_TYPE");
        set_udev_string(bc, inst, &info, P_PARTITION_TABLE_UUID, "ID_PART_TABLE_UUID");
        if (info.is_partition)
                set_partition(bc, inst, &info);
        else if (glue_class_is_a(cls, bc->classes[BLOCK_CLASS_DISK]))
                set_disk(bc, inst, &info);
post:
        if (!entry_is_still_there(entry)) {
                r = -ENODEV;
                goto out;
        }
        r = glue_call_post(bc->call, inst);
        inst = NULL;
        if (r == 0)
                r = 1;
out:
        glue_instance_unref(inst);
        udev_props_release(&info.udev);
        if (info.parent_fd >= 0) {
                block_forget_fd(bc, info.parent_fd);
                close(info.parent_fd);
        }
        return r;
}
