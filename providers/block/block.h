/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The block provider's internals, shared by the files of providers/block/ only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>
#include <sys/types.h>

#include "common/udev-db.h"
#include "libglue.h"

struct fdisk_context;
struct block_queue;

/* block-map.c: a string-keyed map owning its keys and values (freed with free_value). */
struct block_map {
        struct block_map_slot *slots;
        size_t size, used;
        void (*free_value)(void *value);
};
/* The value for key[0..len), or NULL. */
void *block_map_get(const struct block_map *map, const char *key, size_t len);
/* Store value (the map owns it from here; on failure the caller frees it). A full map forgets
 * every entry first: pointers from block_map_get() last until the next put. */
int block_map_put(struct block_map *map, const char *key, size_t len, void *value);
void block_map_clear(struct block_map *map);

/* What a disk shares with its partitions, read once per call (bc->disks). */
struct block_disk {
        struct block_queue *queue;  /* NULL: not read yet */
        bool removable_read, has_removable, removable;
        bool diskseq_read, has_diskseq;
        uint64_t diskseq;
        bool transport_read;
        const char *transport;     /* static, or NULL */
};

/* The classes of schema/block.mof that devices are posted as. */
enum block_class {
        BLOCK_CLASS_DEVICE,
        BLOCK_CLASS_DISK,
        BLOCK_CLASS_SCSI,
        BLOCK_CLASS_USB,
        BLOCK_CLASS_NVME,
        BLOCK_CLASS_VIRTIO,
        BLOCK_CLASS_MMC,
        BLOCK_CLASS_PARTITION,
        _BLOCK_CLASS_MAX,
};

/* Every property the provider sets, so that glue_call_wants() is asked once per call. */
enum block_prop {
        /* Linux_BlockDevice and its CIM ancestors */
        P_CREATION_CLASS_NAME,
        P_SYSTEM_NAME,
        P_DRIVER,
        P_SYSFS_PATH,
        P_NAME,
        P_DEVICE_NODE,
        P_MAJOR,
        P_MINOR,
        P_TYPE,
        P_SIZE,
        P_BLOCK_SIZE,
        P_NUMBER_OF_BLOCKS,
        P_ACCESS,
        P_PHYSICAL_BLOCK_SIZE,
        P_MINIMUM_IO_SIZE,
        P_OPTIMAL_IO_SIZE,
        P_READ_ONLY,
        P_REMOVABLE,
        P_ROTATIONAL,
        P_SCHEDULER,
        P_REQUEST_QUEUE_SIZE,
        P_DISCARD_GRANULARITY,
        P_DISCARD_MAX_BYTES,
        P_DISK_SEQUENCE,
        P_HOLDERS,
        P_SLAVES,
        P_PARTITION_TABLE_TYPE,
        P_PARTITION_TABLE_UUID,
        P_PATH,
        P_OWNER_NAME,
        P_GROUP_NAME,
        P_MODE,
        P_TRANSPORT,
        P_STATE,
        P_SUBSYSTEMS,
        P_HOTPLUG,
        P_ALIGNMENT_OFFSET,
        P_DISCARD_ALIGNMENT,
        /* queue attributes lsblk shows, in the order they are read */
        P_DISCARD_ZEROES_DATA,
        P_WRITE_SAME_MAX_BYTES,
        P_READ_AHEAD,
        P_ADD_RANDOM,
        P_DAX,
        P_ZONED,
        P_ZONE_SIZE,
        P_ZONE_WRITE_GRANULARITY,
        P_ZONE_APPEND_MAX_BYTES,
        P_NUMBER_OF_ZONES,
        P_MAX_OPEN_ZONES,
        P_MAX_ACTIVE_ZONES,
        /* the stat file, in its field order */
        P_READS_COMPLETED,
        P_READS_MERGED,
        P_BYTES_READ,
        P_READ_TIME,
        P_WRITES_COMPLETED,
        P_WRITES_MERGED,
        P_BYTES_WRITTEN,
        P_WRITE_TIME,
        P_IOS_IN_PROGRESS,
        P_IO_TIME,
        P_WEIGHTED_IO_TIME,
        P_DISCARDS_COMPLETED,
        P_DISCARDS_MERGED,
        P_BYTES_DISCARDED,
        P_DISCARD_TIME,
        P_FLUSHES_COMPLETED,
        P_FLUSH_TIME,
        /* Linux_DiskDrive */
        P_MODEL,
        P_VENDOR,
        P_SERIAL_NUMBER,
        P_WWN,
        P_FIRMWARE_REVISION,
        P_QUEUE_DEPTH,
        P_CONTROLLER_PCI_ADDRESS,
        /* Linux_SCSIDisk, Linux_USBDisk */
        P_SCSI_ADDRESS,
        P_SCSI_DEVICE_TYPE,
        P_USB_VENDOR_ID,
        P_USB_PRODUCT_ID,
        /* Linux_NVMeNamespace */
        P_NAMESPACE_ID,
        P_CONTROLLER_NAME,
        P_NGUID,
        P_EUI64,
        P_NAMESPACE_UUID,
        /* Linux_MMCDisk */
        P_CARD_TYPE,
        P_MANUFACTURER_ID,
        P_OEM_ID,
        P_MANUFACTURING_DATE,
        /* Linux_DiskPartition */
        P_PARTITION_NUMBER,
        P_STARTING_OFFSET,
        P_PARENT_DEVICE,
        P_PARTITION_UUID,
        P_PARTITION_LABEL,
        P_PARTITION_TYPE_ID,
        P_PARTITION_TYPE_NAME,
        P_PARTITION_FLAGS,
        _P_MAX,
};

extern const char *const block_prop_names[_P_MAX];
extern const char *const block_class_names[_BLOCK_CLASS_MAX];

/* The state of one provider operation (enumerate or get): nothing is shared between calls. */
struct block_call {
        struct glue_call *call;
        const struct glue_class *cls;             /* the class the call is for */
        const struct glue_class *classes[_BLOCK_CLASS_MAX];
        bool wants[_P_MAX];
        bool wants_stat;
        bool wants_queue;
        const char *sysroot;  /* the sysroot option, borrowed for the call */
        int sysroot_fd;       /* O_PATH handle of the sysroot option */
        bool sysroot_is_root; /* "/": udev through libudev (and umockdev) */
        struct udev_db udev;  /* the udev database, through libudev at "/" */
        char host_name[256]; /* SystemName */
        /* the last owner and group looked up (every node of a machine has the same few) */
        bool owner_cached, group_cached;
        uid_t owner_uid;
        gid_t group_gid;
        char owner_name[64], group_name[64];
        struct block_map subsystems; /* sysfs directory -> its subsystem ("" for none) */
        struct block_map disks;      /* disk name -> struct block_disk */
        /* the paths of the directories open for the device being read, for messages: the
         * parts of each, borrowed from the walk for the device's time */
        struct {
                int fd;
                const char *parts[4];
        } fd_names[4];
        struct fdisk_context *fdisk;           /* created on first use */
        bool fdisk_failed;                     /* libfdisk could not be loaded: said once */
};

/* What the walk knows of a device before reading it. */
struct block_entry {
        const char *name;     /* kernel name, the key */
        int parent_fd;        /* the directory the walk found it in (sys/class/block, ...) */
        const char *parent_path; /* its path relative to the sysroot, for messages */
        int dir_fd;           /* the device's sysfs directory */
        const char *devpath;  /* target of the class/block link (holds "/usb" etc.), or NULL */
        const char *parent_name; /* the disk, when the walk found a partition in it, or NULL */
};

int block_call_init(struct block_call *bc, struct glue_call *call, const struct glue_class *cls);
void block_call_done(struct block_call *bc);

/* block-device.c: read one device and post it, if it belongs to the call's class. Returns 0
 * (posted, or skipped with a debug log), -ECANCELED when the caller stopped, -ENOENT when the
 * directory holds no device (or it vanished before it was read), -ENODEV when it vanished
 * while it was read (not posted: the caller logs it), or another negative errno. */
int block_device_post(struct block_call *bc, const struct block_entry *entry);

/* block-walk.c */
int block_walk(struct block_call *bc);
int block_get(struct block_call *bc, const char *name);
bool block_name_is_valid(const char *name);

/* block-stat.c: set the stat-file counters that are wanted. */
void block_stat_set(struct block_call *bc, struct glue_instance *inst, int dir_fd,
                    const char *name);

/* block-classify.c */
enum block_class block_classify(int dir_fd, const char *name, const char *devpath,
                                bool is_partition);
/* lsblk's TRAN of a whole disk, or NULL. */
const char *block_transport(struct block_call *bc, int dir_fd, const char *name,
                            const char *devpath, enum block_class cls);
/* lsblk's TYPE. */
const char *block_type(int dir_fd, const char *name, bool is_partition, char *buf,
                       size_t size);

/* block-attr.c: reading attributes and setting properties. A missing file is silent; any
 * other failure is reported with its path (glue_call_note_read_error) and leaves the property
 * NULL. The readers return the length or 0, or a negative errno (-EAGAIN for a FIFO, -EINVAL
 * for garbage where a number belongs); on failure buf is "". */
bool block_wants(const struct block_call *bc, enum block_prop prop);
void block_note_read_error(struct block_call *bc, int dir_fd, const char *attr, int err);
/* Name an open directory for messages, dir/name relative to the sysroot (sys/class/block,
 * sda), until block_forget_fd(); at most four at once. The strings are borrowed until then. */
void block_name_fd(struct block_call *bc, int fd, const char *dir, const char *name);
/* The same for a directory opened in a named one: "<parent's name>/<child>". */
void block_name_child_fd(struct block_call *bc, int fd, int parent_fd, const char *child);
void block_forget_fd(struct block_call *bc, int fd);
void block_set_string(struct block_call *bc, struct glue_instance *inst, enum block_prop prop,
                      const char *value);
void block_set_uint(struct block_call *bc, struct glue_instance *inst, enum block_prop prop,
                    uint64_t value);
void block_set_sint(struct block_call *bc, struct glue_instance *inst, enum block_prop prop,
                    int64_t value);
void block_set_real(struct block_call *bc, struct glue_instance *inst, enum block_prop prop,
                    double value);
void block_set_bool(struct block_call *bc, struct glue_instance *inst, enum block_prop prop,
                    bool value);
int block_read_text(struct block_call *bc, int dir_fd, const char *dev, const char *attr,
                    char *buf, size_t size);
int block_read_uint(struct block_call *bc, int dir_fd, const char *dev, const char *attr,
                    uint64_t *ret);
int block_read_int(struct block_call *bc, int dir_fd, const char *dev, const char *attr,
                   int64_t *ret);
/* 0 or 1 only; anything else is -EINVAL. */
int block_read_flag(struct block_call *bc, int dir_fd, const char *dev, const char *attr,
                    bool *ret);
/* The last component of a link's target; -EINVAL (not a link) is not reported. */
int block_read_link_name(struct block_call *bc, int dir_fd, const char *attr, char *buf,
                         size_t size);
/* Read and set in one step, when the property is wanted and dir_fd is open. */
void block_set_attr_uint(struct block_call *bc, struct glue_instance *inst,
                         enum block_prop prop, int dir_fd, const char *dev, const char *attr);
void block_set_attr_string(struct block_call *bc, struct glue_instance *inst,
                           enum block_prop prop, int dir_fd, const char *dev, const char *attr);
void block_set_attr_bool(struct block_call *bc, struct glue_instance *inst,
                         enum block_prop prop, int dir_fd, const char *dev, const char *attr);

/* block-queue.c: the queue/ attributes of the device (disk_fd, disk: the device, or a
 * partition's disk; dir_fd: the device itself, for its own discard_alignment). size_bytes: the
 * device's size for NumberOfBlocks, or NULL. */
void block_queue_set(struct block_call *bc, struct glue_instance *inst, int disk_fd, int dir_fd,
                     const char *disk, const char *dev, const uint64_t *size_bytes);
/* The record of a disk by name (made on first use), or NULL (no name, out of memory). Valid
 * until the call asks for another disk's (the map forgets records past its size). */
struct block_disk *block_disk_get(struct block_call *bc, const char *disk);
void block_disk_free(void *value);

/* block-node.c: Path, OwnerName, GroupName and Mode of the device node, if it is the node of
 * major:minor (NULL: the number is unknown, no node is read). dm_name: the device-mapper
 * name, or NULL. */
void block_node_set(struct block_call *bc, struct glue_instance *inst, const char *name,
                    const char *dm_name, const uint32_t *major, const uint32_t *minor);

/* block-ancestry.c */
/* The device's directory relative to the sysroot, "sys/devices/.../block/sda": the class link's
 * target where the walk found one, else the directory handle's own name. -ENOENT when the
 * device is not under sys/devices (a hand-made tree). */
int block_resolve_path(struct block_call *bc, const struct block_entry *entry, char *buf,
                       size_t size);
/* lsblk's SUBSYSTEMS of the device at path (from block_resolve_path), whose directory handle
 * is dev_fd: the subsystems of it and of its ancestors, nearest first, colon-separated, a
 * repeat named once ("block:scsi:pci"). Returns the length (0: none found), or a negative
 * errno. */
int block_subsystems(struct block_call *bc, const char *path, int dev_fd, char *buf,
                     size_t size);
/* Does a SUBSYSTEMS string name a hot-plug bus (usb, ieee1394, pcmcia, mmc, ccw)? */
bool block_subsystems_hotplug(const char *subsystems);
/*
 * The PCI function of the storage controller a device hangs off, "dddd:bb:dd.f" (the DeviceID
 * of its Linux_PCIDevice): the nearest component of its resolved path (block_resolve_path) that
 * parses as a PCI address; for a namespace of native NVMe multipath, which hangs off its
 * subsystem, the function of the subsystem's controllers when they are all on one. -ENOENT
 * when there is none (loop, dm, a platform device) or no single one: never guessed.
 */
int block_controller_pci_address(struct block_call *bc, const char *path, char *buf,
                                 size_t size);

/* block-partition-type.c: the name util-linux gives a partition type ("Linux filesystem"), of
 * a DOS or GPT table, or NULL. Borrowed from libfdisk's tables, valid for the call. */
const char *block_partition_type_name(struct block_call *bc, const char *table_type,
                                      const char *type_id);
void block_partition_types_free(struct block_call *bc);
