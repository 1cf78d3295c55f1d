/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The block provider: every block device of the machine as Linux_BlockDevice or one of its
 * subclasses (schema/block.mof). Operations keep all their state in a struct block_call on
 * their own stack, so that any number of them run at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block.h"
#include "providers.h"

const char *const block_class_names[_BLOCK_CLASS_MAX] = {
        [BLOCK_CLASS_DEVICE] = "Linux_BlockDevice",
        [BLOCK_CLASS_DISK] = "Linux_DiskDrive",
        [BLOCK_CLASS_SCSI] = "Linux_SCSIDisk",
        [BLOCK_CLASS_USB] = "Linux_USBDisk",
        [BLOCK_CLASS_NVME] = "Linux_NVMeNamespace",
        [BLOCK_CLASS_VIRTIO] = "Linux_VirtioDisk",
        [BLOCK_CLASS_MMC] = "Linux_MMCDisk",
        [BLOCK_CLASS_PARTITION] = "Linux_DiskPartition",
};

const char *const block_prop_names[_P_MAX] = {
        [P_CREATION_CLASS_NAME] = "CreationClassName",
        [P_SYSTEM_NAME] = "SystemName",
        [P_DRIVER] = "Driver",
        [P_SYSFS_PATH] = "SysfsPath",
        [P_NAME] = "Name",
        [P_DEVICE_NODE] = "DeviceNode",
        [P_MAJOR] = "Major",
        [P_MINOR] = "Minor",
        [P_TYPE] = "Type",
        [P_SIZE] = "Size",
        [P_BLOCK_SIZE] = "BlockSize",
        [P_NUMBER_OF_BLOCKS] = "NumberOfBlocks",
        [P_ACCESS] = "Access",
        [P_PHYSICAL_BLOCK_SIZE] = "PhysicalBlockSize",
        [P_MINIMUM_IO_SIZE] = "MinimumIOSize",
        [P_OPTIMAL_IO_SIZE] = "OptimalIOSize",
        [P_READ_ONLY] = "ReadOnly",
        [P_REMOVABLE] = "Removable",
        [P_ROTATIONAL] = "Rotational",
        [P_SCHEDULER] = "Scheduler",
        [P_REQUEST_QUEUE_SIZE] = "RequestQueueSize",
        [P_DISCARD_GRANULARITY] = "DiscardGranularity",
        [P_DISCARD_MAX_BYTES] = "DiscardMaxBytes",
        [P_DISK_SEQUENCE] = "DiskSequence",
        [P_HOLDERS] = "Holders",
        [P_SLAVES] = "Slaves",
        [P_PARTITION_TABLE_TYPE] = "PartitionTableType",
        [P_PARTITION_TABLE_UUID] = "PartitionTableUUID",
        [P_PATH] = "Path",
        [P_OWNER_NAME] = "OwnerName",
        [P_GROUP_NAME] = "GroupName",
        [P_MODE] = "Mode",
        [P_TRANSPORT] = "Transport",
        [P_STATE] = "State",
        [P_SUBSYSTEMS] = "Subsystems",
        [P_HOTPLUG] = "Hotplug",
        [P_ALIGNMENT_OFFSET] = "AlignmentOffset",
        [P_DISCARD_ALIGNMENT] = "DiscardAlignment",
        [P_DISCARD_ZEROES_DATA] = "DiscardZeroesData",
        [P_WRITE_SAME_MAX_BYTES] = "WriteSameMaxBytes",
        [P_READ_AHEAD] = "ReadAhead",
        [P_ADD_RANDOM] = "AddRandom",
        [P_DAX] = "DAX",
        [P_ZONED] = "Zoned",
        [P_ZONE_SIZE] = "ZoneSize",
        [P_ZONE_WRITE_GRANULARITY] = "ZoneWriteGranularity",
        [P_ZONE_APPEND_MAX_BYTES] = "ZoneAppendMaxBytes",
        [P_NUMBER_OF_ZONES] = "NumberOfZones",
        [P_MAX_OPEN_ZONES] = "MaxOpenZones",
        [P_MAX_ACTIVE_ZONES] = "MaxActiveZones",
        [P_READS_COMPLETED] = "ReadsCompleted",
        [P_READS_MERGED] = "ReadsMerged",
        [P_BYTES_READ] = "BytesRead",
        [P_READ_TIME] = "ReadTime",
        [P_WRITES_COMPLETED] = "WritesCompleted",
        [P_WRITES_MERGED] = "WritesMerged",
        [P_BYTES_WRITTEN] = "BytesWritten",
        [P_WRITE_TIME] = "WriteTime",
        [P_IOS_IN_PROGRESS] = "IOsInProgress",
        [P_IO_TIME] = "IOTime",
        [P_WEIGHTED_IO_TIME] = "WeightedIOTime",
        [P_DISCARDS_COMPLETED] = "DiscardsCompleted",
        [P_DISCARDS_MERGED] = "DiscardsMerged",
        [P_BYTES_DISCARDED] = "BytesDiscarded",
        [P_DISCARD_TIME] = "DiscardTime",
        [P_FLUSHES_COMPLETED] = "FlushesCompleted",
        [P_FLUSH_TIME] = "FlushTime",
        [P_MODEL] = "Model",
        [P_VENDOR] = "Vendor",
        [P_SERIAL_NUMBER] = "SerialNumber",
        [P_WWN] = "WWN",
        [P_FIRMWARE_REVISION] = "FirmwareRevision",
        [P_QUEUE_DEPTH] = "QueueDepth",
        [P_CONTROLLER_PCI_ADDRESS] = "ControllerPCIAddress",
        [P_SCSI_ADDRESS] = "SCSIAddress",
        [P_SCSI_DEVICE_TYPE] = "SCSIDeviceType",
        [P_USB_VENDOR_ID] = "USBVendorID",
        [P_USB_PRODUCT_ID] = "USBProductID",
        [P_NAMESPACE_ID] = "NamespaceID",
        [P_CONTROLLER_NAME] = "ControllerName",
        [P_NGUID] = "NGUID",
        [P_EUI64] = "EUI64",
        [P_NAMESPACE_UUID] = "NamespaceUUID",
        [P_CARD_TYPE] = "CardType",
        [P_MANUFACTURER_ID] = "ManufacturerID",
        [P_OEM_ID] = "OEMID",
        [P_MANUFACTURING_DATE] = "ManufacturingDate",
        [P_PARTITION_NUMBER] = "PartitionNumber",
        [P_STARTING_OFFSET] = "StartingOffset",
        [P_PARENT_DEVICE] = "ParentDevice",
        [P_PARTITION_UUID] = "PartitionUUID",
        [P_PARTITION_LABEL] = "PartitionLabel",
        [P_PARTITION_TYPE_ID] = "PartitionTypeID",
        [P_PARTITION_TYPE_NAME] = "PartitionTypeName",
        [P_PARTITION_FLAGS] = "PartitionFlags",
};

static bool wants_any(const struct block_call *bc, enum block_prop first, enum block_prop last)
{
        for (enum block_prop p = first; p <= last; p++)
                if (bc->wants[p])
                        return true;
        return false;
}

int block_call_init(struct block_call *bc, struct glue_call *call, const struct glue_class *cls)
{
        const struct glue_context *ctx = glue_call_get_context(call);
        const char *sysroot = glue_call_get_option(call, "sysroot");

        *bc = (struct block_call){
                .call = call,
                .cls = cls,
                .sysroot_fd = -1,
        };
        if (!sysroot || !*sysroot)
                sysroot = "/";
        bc->sysroot = sysroot;
        bc->sysroot_is_root = strcmp(sysroot, "/") == 0;
        bc->sysroot_fd = open(sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (bc->sysroot_fd < 0) {
                int r = -errno;

                glue_call_log(call, LOG_ERR, "cannot open sysroot %s: %s", sysroot,
                              strerror(-r));
                return r;
        }
        udev_db_init(&bc->udev, bc->sysroot_fd, bc->sysroot_is_root);
        for (size_t i = 0; i < sizeof(bc->fd_names) / sizeof(bc->fd_names[0]); i++)
                bc->fd_names[i].fd = -1;
        bc->subsystems.free_value = free;
        bc->disks.free_value = block_disk_free;
        for (int i = 0; i < _BLOCK_CLASS_MAX; i++)
                if (glue_context_find_class(ctx, NULL, block_class_names[i], &bc->classes[i]) < 0)
                        bc->classes[i] = NULL;
        for (int p = 0; p < _P_MAX; p++)
                bc->wants[p] = !glue_call_is_keys_only(call) &&
                               glue_call_wants(call, block_prop_names[p]);
        if (bc->wants[P_SYSTEM_NAME] && gethostname(bc->host_name, sizeof(bc->host_name)) < 0)
                bc->host_name[0] = '\0';
        bc->host_name[sizeof(bc->host_name) - 1] = '\0';
        bc->wants_stat = wants_any(bc, P_READS_COMPLETED, P_FLUSH_TIME);
        bc->wants_queue = wants_any(bc, P_BLOCK_SIZE, P_ROTATIONAL) ||
                          wants_any(bc, P_SCHEDULER, P_DISCARD_MAX_BYTES) ||
                          wants_any(bc, P_DISCARD_ALIGNMENT, P_MAX_ACTIVE_ZONES);
        return 0;
}

void block_call_done(struct block_call *bc)
{
        if (bc->sysroot_fd >= 0)
                close(bc->sysroot_fd);
        udev_db_done(&bc->udev);
        block_map_clear(&bc->subsystems);
        block_map_clear(&bc->disks);
        block_partition_types_free(bc);
        *bc = (struct block_call){ .sysroot_fd = -1 };
        for (size_t i = 0; i < sizeof(bc->fd_names) / sizeof(bc->fd_names[0]); i++)
                bc->fd_names[i].fd = -1;
}

static int block_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        struct block_call bc;
        int r;

        r = block_call_init(&bc, call, cls);
        if (r < 0)
                return r;
        r = block_walk(&bc);
        block_call_done(&bc);
        /* The caller stopping is not a failure of the provider. */
        return r == -ECANCELED ? 0 : r < 0 ? r : 0;
}

static int block_get_instance(struct glue_call *call, const struct glue_class *cls,
                              const struct glue_path *path, void *data)
{
        const char *key = glue_path_get_key(path, "DeviceID");
        struct block_call bc;
        int r;

        /* Before anything is opened: the key must be one entry of sys/class/block. */
        if (!key || !block_name_is_valid(key)) {
                glue_call_log(call, LOG_DEBUG, "a DeviceID that is no kernel block device name "
                              "names no instance");
                return -ENOENT;
        }
        r = block_call_init(&bc, call, cls);
        if (r < 0)
                return r;
        r = block_get(&bc, key);
        block_call_done(&bc);
        return r;
}

const struct glue_provider_ops glue_provider_block = {
        .size = sizeof(struct glue_provider_ops),
        .name = "block",
        .enumerate = block_enumerate,
        .get_instance = block_get_instance,
};
