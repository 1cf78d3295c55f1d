/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The provider on small trees made here: one device of each class, for the class each is
 * posted as (deep and shallow), their properties, get by key; a tree laid out the old way
 * (sys/block only); and a hostile tree (dangling and looping links, empty, garbage, binary,
 * huge and FIFO attributes, a device without dev file, devices vanishing mid-walk).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "block-test.h"

#define PCI "sys/devices/pci0000:00"

static void add_queue(const char *root, const char *dev, const char *lbs, const char *pbs,
                      const char *rota)
{
        char path[1024];
        const char *const files[][2] = {
                { "logical_block_size", lbs }, { "physical_block_size", pbs },
                { "rotational", rota }, { "scheduler", "mq-deadline [bfq] none\n" },
                { "nr_requests", "64\n" }, { "discard_granularity", "0\n" },
        };

        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
                snprintf(path, sizeof(path), "%s/queue/%s", dev, files[i][0]);
                tree_write(root, path, files[i][1]);
        }
}

/* A block device directory with uevent, dev, size, ro, removable and stat. */
static void add_block(const char *root, const char *dir, const char *name, unsigned major,
                      unsigned minor, const char *devtype, const char *size)
{
        char path[1024], text[256], link[1024];

        snprintf(path, sizeof(path), "%s/uevent", dir);
        snprintf(text, sizeof(text), "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\nDEVTYPE=%s\n", major,
                 minor, name, devtype);
        tree_write(root, path, text);
        snprintf(path, sizeof(path), "%s/dev", dir);
        snprintf(text, sizeof(text), "%u:%u\n", major, minor);
        tree_write(root, path, text);
        snprintf(path, sizeof(path), "%s/size", dir);
        tree_write(root, path, size);
        snprintf(path, sizeof(path), "%s/ro", dir);
        tree_write(root, path, "0\n");
        snprintf(path, sizeof(path), "%s/stat", dir);
        tree_write(root, path, "       1        2        3        4        5        6        7"
                               "        8        0       10       11\n");
        snprintf(path, sizeof(path), "%s/holders/.keep", dir);
        tree_write(root, path, "");
        snprintf(path, sizeof(path), "%s/slaves/.keep", dir);
        tree_write(root, path, "");
        if (strcmp(devtype, "disk") == 0) {
                snprintf(path, sizeof(path), "%s/removable", dir);
                tree_write(root, path, "0\n");
                add_queue(root, dir, "512\n", "4096\n", "1\n");
        }
        snprintf(path, sizeof(path), "sys/class/block/%s", name);
        snprintf(link, sizeof(link), "../../../%s", dir);
        tree_link(root, path, link);
        /* the device's subsystem link, as the kernel makes it: up to sys/, to class/block */
        link[0] = '\0';
        for (const char *p = dir + strlen("sys/"); *p; p++)
                if (*p == '/')
                        strcat(link, "../");
        strcat(link, "../class/block");
        snprintf(path, sizeof(path), "%s/subsystem", dir);
        tree_link(root, path, link);
}

static char *make_class_tree(void)
{
        char *root = tree_new();
        const char *sda_dev = PCI "/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0";
        const char *sdb_dev = PCI "/0000:00:14.0/usb1/1-2/1-2:1.0/host6/target6:0:0/6:0:0:0";
        const char *nvme = PCI "/0000:00:1d.0/0000:3d:00.0/nvme/nvme0";
        const char *virtio = PCI "/0000:00:02.0/virtio1";
        const char *mmc = "sys/devices/platform/mmc0/mmc0:0001";
        char path[1024];

        /* SATA disk and its partition */
        tree_write(root, "sys/class/scsi_host/host0/proc_name", "ahci\n");
        snprintf(path, sizeof(path), "%s/model", sda_dev);
        tree_write(root, path, "Hand Made Disk  \n");
        snprintf(path, sizeof(path), "%s/vendor", sda_dev);
        tree_write(root, path, "ATA     \n");
        snprintf(path, sizeof(path), "%s/rev", sda_dev);
        tree_write(root, path, "1.0 \n");
        snprintf(path, sizeof(path), "%s/type", sda_dev);
        tree_write(root, path, "0\n");
        snprintf(path, sizeof(path), "%s/wwid", sda_dev);
        tree_write(root, path, "naa.5000C500A1B2C3D4\n");
        snprintf(path, sizeof(path), "%s/queue_depth", sda_dev);
        tree_write(root, path, "32\n");
        snprintf(path, sizeof(path), "%s/subsystem", sda_dev);
        tree_link(root, path, "../../../../../../../bus/scsi");
        snprintf(path, sizeof(path), "%s/block/sda", sda_dev);
        add_block(root, path, "sda", 8, 0, "disk", "2048\n");
        snprintf(path, sizeof(path), "%s/block/sda/device", sda_dev);
        tree_link(root, path, "../../../0:0:0:0");
        snprintf(path, sizeof(path), "%s/block/sda/sda1", sda_dev);
        add_block(root, path, "sda1", 8, 1, "partition", "1024\n");
        snprintf(path, sizeof(path), "%s/block/sda/sda1/uevent", sda_dev);
        tree_write(root, path, "MAJOR=8\nMINOR=1\nDEVNAME=sda1\nDEVTYPE=partition\nPARTN=1\n"
                               "PARTNAME=root\n");
        snprintf(path, sizeof(path), "%s/block/sda/sda1/start", sda_dev);
        tree_write(root, path, "2048\n");
        snprintf(path, sizeof(path), "%s/block/sda/sda1/partition", sda_dev);
        tree_write(root, path, "1\n");

        /* USB stick */
        tree_write(root, PCI "/0000:00:14.0/usb1/1-2/idVendor", "0781\n");
        tree_write(root, PCI "/0000:00:14.0/usb1/1-2/idProduct", "5581\n");
        snprintf(path, sizeof(path), "%s/model", sdb_dev);
        tree_write(root, path, "Cruzer\n");
        snprintf(path, sizeof(path), "%s/type", sdb_dev);
        tree_write(root, path, "0\n");
        snprintf(path, sizeof(path), "%s/subsystem", sdb_dev);
        tree_link(root, path, "../../../../../../../../../bus/scsi");
        snprintf(path, sizeof(path), "%s/block/sdb", sdb_dev);
        add_block(root, path, "sdb", 8, 16, "disk", "4096\n");
        snprintf(path, sizeof(path), "%s/block/sdb/device", sdb_dev);
        tree_link(root, path, "../../../6:0:0:0");

        /* NVMe namespace and partition */
        snprintf(path, sizeof(path), "%s/model", nvme);
        tree_write(root, path, "Samsung SSD 980 PRO 1TB                 \n");
        snprintf(path, sizeof(path), "%s/serial", nvme);
        tree_write(root, path, "S5GXNX0T123456      \n");
        snprintf(path, sizeof(path), "%s/firmware_rev", nvme);
        tree_write(root, path, "5B2QGXA7\n");
        snprintf(path, sizeof(path), "%s/subsystem", nvme);
        tree_link(root, path, "../../../../../../class/nvme");
        snprintf(path, sizeof(path), "%s/nvme0n1", nvme);
        add_block(root, path, "nvme0n1", 259, 0, "disk", "8192\n");
        snprintf(path, sizeof(path), "%s/nvme0n1/device", nvme);
        tree_link(root, path, "../../nvme0");
        snprintf(path, sizeof(path), "%s/nvme0n1/wwid", nvme);
        tree_write(root, path, "eui.002538b111111111\n");
        snprintf(path, sizeof(path), "%s/nvme0n1/nsid", nvme);
        tree_write(root, path, "1\n");
        snprintf(path, sizeof(path), "%s/nvme0n1/nvme0n1p1", nvme);
        add_block(root, path, "nvme0n1p1", 259, 1, "partition", "4096\n");

        /* virtio disk */
        snprintf(path, sizeof(path), "%s/vendor", virtio);
        tree_write(root, path, "0x1af4\n");
        snprintf(path, sizeof(path), "%s/subsystem", virtio);
        tree_link(root, path, "../../../../bus/virtio");
        snprintf(path, sizeof(path), "%s/block/vda", virtio);
        add_block(root, path, "vda", 254, 0, "disk", "1000\n");
        snprintf(path, sizeof(path), "%s/block/vda/serial", virtio);
        tree_write(root, path, "vm-disk-1\n");
        snprintf(path, sizeof(path), "%s/block/vda/device", virtio);
        tree_link(root, path, "../../../virtio1");

        /* SD card */
        const char *const mmc_files[][2] = {
                { "type", "SD\n" }, { "name", "SD32G\n" }, { "manfid", "0x000003\n" },
                { "oemid", "0x5344\n" }, { "date", "04/2019\n" }, { "serial", "0x1234abcd\n" },
        };
        for (size_t i = 0; i < sizeof(mmc_files) / sizeof(mmc_files[0]); i++) {
                snprintf(path, sizeof(path), "%s/%s", mmc, mmc_files[i][0]);
                tree_write(root, path, mmc_files[i][1]);
        }
        snprintf(path, sizeof(path), "%s/subsystem", mmc);
        tree_link(root, path, "../../../../bus/mmc");
        snprintf(path, sizeof(path), "%s/block/mmcblk0", mmc);
        add_block(root, path, "mmcblk0", 179, 0, "disk", "100\n");
        snprintf(path, sizeof(path), "%s/block/mmcblk0/device", mmc);
        tree_link(root, path, "../../../mmc0:0001");

        /* pmem: a disk on a bus without a subclass */
        tree_link(root, "sys/devices/LNXSYSTM:00/ndbus0/region0/namespace0.0/subsystem",
                  "../../../../../bus/nd");
        add_block(root, "sys/devices/LNXSYSTM:00/ndbus0/region0/namespace0.0/block/pmem0",
                  "pmem0", 259, 2, "disk", "64\n");
        tree_link(root, "sys/devices/LNXSYSTM:00/ndbus0/region0/namespace0.0/block/pmem0/device",
                  "../../../namespace0.0");

        /* virtual devices */
        add_block(root, "sys/devices/virtual/block/loop0", "loop0", 7, 0, "disk", "0\n");
        add_block(root, "sys/devices/virtual/block/zram0", "zram0", 252, 0, "disk", "0\n");
        add_block(root, "sys/devices/virtual/block/dm-0", "dm-0", 253, 0, "disk", "512\n");
        tree_write(root, "sys/devices/virtual/block/dm-0/dm/name", "vg-root\n");
        tree_write(root, "sys/devices/virtual/block/dm-0/dm/uuid", "LVM-abcdef\n");
        snprintf(path, sizeof(path), "../../../../%s/block/sda/sda1", sda_dev + 4);
        tree_link(root, "sys/devices/virtual/block/dm-0/slaves/sda1", path);
        add_block(root, "sys/devices/virtual/block/md0", "md0", 9, 0, "disk", "garbage\n");
        tree_write(root, "sys/devices/virtual/block/md0/md/level", "RAID1\n");
        return root;
}

struct expected {
        const char *name, *cls;
};

static const struct expected class_tree_devices[] = {
        { "sda", "Linux_SCSIDisk" },         { "sda1", "Linux_DiskPartition" },
        { "sdb", "Linux_USBDisk" },          { "nvme0n1", "Linux_NVMeNamespace" },
        { "nvme0n1p1", "Linux_DiskPartition" }, { "vda", "Linux_VirtioDisk" },
        { "mmcblk0", "Linux_MMCDisk" },      { "pmem0", "Linux_DiskDrive" },
        { "loop0", "Linux_BlockDevice" },    { "zram0", "Linux_BlockDevice" },
        { "dm-0", "Linux_BlockDevice" },     { "md0", "Linux_BlockDevice" },
};
#define N_CLASS_TREE (sizeof(class_tree_devices) / sizeof(class_tree_devices[0]))

/* The instances of cls (deep or shallow) are exactly the expected devices of these classes. */
static void check_enumeration(struct glue_context *ctx, const char *cls, unsigned flags,
                              const char *const *classes, size_t n_classes)
{
        struct devlist list;
        size_t expected = 0;

        check_int_eq(block_collect(ctx, cls, flags, &list), 0);
        for (size_t i = 0; i < N_CLASS_TREE; i++) {
                bool in = false;

                for (size_t c = 0; c < n_classes; c++)
                        in = in || strcmp(class_tree_devices[i].cls, classes[c]) == 0;
                if (!in)
                        continue;
                expected++;
                check_int_eq(devlist_count_id(&list, class_tree_devices[i].name), 1);
                if (devlist_find(&list, class_tree_devices[i].name))
                        check_str_eq(class_of(devlist_find(&list, class_tree_devices[i].name)),
                                     class_tree_devices[i].cls);
        }
        if (list.count != expected)
                fprintf(stderr, "%s%s: %zu instances, %zu expected\n", cls,
                        flags & GLUE_REQUEST_SHALLOW ? " (shallow)" : "", list.count, expected);
        check_int_eq(list.count, expected);
        devlist_free(&list);
}

static void test_deep_and_shallow(void)
{
        char *root = make_class_tree();
        struct glue_context *ctx = block_test_context(root);
        const char *const all[] = { "Linux_BlockDevice", "Linux_DiskDrive", "Linux_SCSIDisk",
                                    "Linux_USBDisk", "Linux_NVMeNamespace", "Linux_VirtioDisk",
                                    "Linux_MMCDisk", "Linux_DiskPartition" };
        const char *const plain[] = { "Linux_BlockDevice" };
        const char *const disks[] = { "Linux_DiskDrive", "Linux_SCSIDisk", "Linux_USBDisk",
                                      "Linux_NVMeNamespace", "Linux_VirtioDisk",
                                      "Linux_MMCDisk" };
        const char *const scsi[] = { "Linux_SCSIDisk", "Linux_USBDisk" };
        const char *const scsi_only[] = { "Linux_SCSIDisk" };
        const char *const disk_only[] = { "Linux_DiskDrive" };
        const char *const parts[] = { "Linux_DiskPartition" };

        /* deep: every device once, as its most derived class */
        check_enumeration(ctx, "Linux_BlockDevice", 0, all, 8);
        /* shallow: only what no subclass claims */
        check_enumeration(ctx, "Linux_BlockDevice", GLUE_REQUEST_SHALLOW, plain, 1);
        check_enumeration(ctx, "Linux_DiskDrive", 0, disks, 6);
        check_enumeration(ctx, "Linux_DiskDrive", GLUE_REQUEST_SHALLOW, disk_only, 1);
        check_enumeration(ctx, "Linux_SCSIDisk", 0, scsi, 2);
        check_enumeration(ctx, "Linux_SCSIDisk", GLUE_REQUEST_SHALLOW, scsi_only, 1);
        check_enumeration(ctx, "Linux_DiskPartition", 0, parts, 1);
        /* the CIM ancestors reach the block devices too */
        check_enumeration(ctx, "CIM_StorageExtent", 0, all, 8);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

static void check_uint_prop(const struct glue_instance *inst, const char *name, uint64_t want)
{
        uint64_t value = 0;

        check(prop_uint(inst, name, &value));
        check_int_eq(value, want);
}

static void test_properties(void)
{
        char *root = make_class_tree();
        struct glue_context *ctx = block_test_context(root);
        struct glue_instance *i;
        struct devlist list;
        const struct glue_value *slaves;
        double t = 0;

        check_int_eq(block_collect(ctx, "Linux_BlockDevice", 0, &list), 0);

        i = devlist_find(&list, "sda");
        check_str_eq(prop_str(i, "Model"), "Hand Made Disk");
        check_str_eq(prop_str(i, "Vendor"), "ATA");
        check_str_eq(prop_str(i, "WWN"), "0x5000c500a1b2c3d4");
        check_str_eq(prop_str(i, "Transport"), "sata");
        check_str_eq(prop_str(i, "SCSIAddress"), "0:0:0:0");
        check_str_eq(prop_str(i, "FirmwareRevision"), "1.0");
        check_str_eq(prop_str(i, "DeviceNode"), "/dev/sda");
        check_str_eq(prop_str(i, "Type"), "disk");
        check_str_eq(prop_str(i, "Scheduler"), "bfq");
        check_str_eq(prop_str(i, "CreationClassName"), "Linux_SCSIDisk");
        check(prop_str(i, "SerialNumber") == NULL);
        check_uint_prop(i, "Size", 2048 * 512);
        check_uint_prop(i, "NumberOfBlocks", 2048);
        check_uint_prop(i, "BlockSize", 512);
        check_uint_prop(i, "PhysicalBlockSize", 4096);
        check_uint_prop(i, "RequestQueueSize", 64);
        check_uint_prop(i, "QueueDepth", 32);
        check_uint_prop(i, "Major", 8);
        check_uint_prop(i, "Access", 3);
        check_uint_prop(i, "ReadsCompleted", 1);
        check_uint_prop(i, "BytesRead", 3 * 512);
        check_uint_prop(i, "WritesMerged", 6);
        check(prop_uint(i, "DiscardsCompleted", &(uint64_t){ 0 }) == false);
        check(glue_instance_get_real(i, "WeightedIOTime", &t) == 0 && t > 0.0109 && t < 0.0111);
        check_int_eq(prop_bool(i, "Rotational"), 1);
        check_int_eq(prop_bool(i, "ReadOnly"), 0);

        /* a partition takes queue attributes and removable from its disk */
        i = devlist_find(&list, "sda1");
        check_str_eq(prop_str(i, "ParentDevice"), "sda");
        check_str_eq(prop_str(i, "PartitionLabel"), "root");
        check_str_eq(prop_str(i, "Type"), "part");
        check_str_eq(prop_str(i, "Scheduler"), "bfq");
        check_uint_prop(i, "PartitionNumber", 1);
        check_uint_prop(i, "StartingOffset", 2048 * 512);
        check_uint_prop(i, "BlockSize", 512);
        check_int_eq(prop_bool(i, "Rotational"), 1);
        check_int_eq(prop_bool(i, "Removable"), 0);

        i = devlist_find(&list, "sdb");
        check_str_eq(prop_str(i, "Transport"), "usb");
        check_str_eq(prop_str(i, "USBVendorID"), "0781");
        check_str_eq(prop_str(i, "USBProductID"), "5581");

        i = devlist_find(&list, "nvme0n1");
        check_str_eq(prop_str(i, "Model"), "Samsung SSD 980 PRO 1TB");
        check_str_eq(prop_str(i, "SerialNumber"), "S5GXNX0T123456");
        check_str_eq(prop_str(i, "FirmwareRevision"), "5B2QGXA7");
        check_str_eq(prop_str(i, "WWN"), "eui.002538b111111111");
        check_str_eq(prop_str(i, "ControllerName"), "nvme0");
        check_str_eq(prop_str(i, "Transport"), "nvme");
        check_uint_prop(i, "NamespaceID", 1);
        check_str_eq(prop_str(devlist_find(&list, "nvme0n1p1"), "ParentDevice"), "nvme0n1");

        i = devlist_find(&list, "vda");
        check_str_eq(prop_str(i, "SerialNumber"), "vm-disk-1");
        check_str_eq(prop_str(i, "Vendor"), "0x1af4");
        check_str_eq(prop_str(i, "Transport"), "virtio");

        i = devlist_find(&list, "mmcblk0");
        check_str_eq(prop_str(i, "Model"), "SD32G");
        check_str_eq(prop_str(i, "SerialNumber"), "0x1234abcd");
        check_str_eq(prop_str(i, "CardType"), "SD");
        check_str_eq(prop_str(i, "ManufacturingDate"), "04/2019");
        check_str_eq(prop_str(i, "Transport"), "mmc");

        i = devlist_find(&list, "dm-0");
        check_str_eq(prop_str(i, "Name"), "vg-root");
        check_str_eq(prop_str(i, "Type"), "lvm");
        check(glue_instance_get_value(i, "Slaves", &slaves) == 0 && slaves->count == 1 &&
              strcmp(slaves->v.str_array[0], "sda1") == 0);
        check_str_eq(prop_str(devlist_find(&list, "md0"), "Type"), "raid1");
        check_str_eq(prop_str(devlist_find(&list, "loop0"), "Type"), "loop");
        /* md0's size is garbage: NULL, and said */
        check(prop_uint(devlist_find(&list, "md0"), "Size", &(uint64_t){ 0 }) == false);
        check(strstr(test_log_text(), "md0: size is not a number") != NULL);

        devlist_free(&list);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

static void test_partial_instances(void)
{
        char *root = make_class_tree();
        struct glue_context *ctx = block_test_context(root);
        struct glue_request *req = NULL;
        struct glue_instance **items = NULL;
        const char *const props[] = { "Size" };
        const char *s;
        size_t n = 0;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_set_properties(req, props, 1), 0);
        check_int_eq(glue_request_collect(req, "Linux_SCSIDisk", &items, &n), 0);
        check_int_eq(n, 2);
        for (size_t k = 0; k < n; k++) {
                check(prop_uint(items[k], "Size", &(uint64_t){ 0 }));
                /* not asked for: not fetched */
                check_int_eq(glue_instance_get_string(items[k], "Model", &s), -ENOENT);
        }
        glue_instance_list_free(items, n);
        glue_request_unref(req);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

static int get(struct glue_context *ctx, const char *path, struct glue_instance **ret)
{
        struct glue_request *req = NULL;
        int r;

        *ret = NULL;
        r = glue_request_new(ctx, &req);
        if (r == 0)
                r = glue_request_get(req, path, ret);
        glue_request_unref(req);
        return r;
}

static void test_get_by_key(void)
{
        char *root = make_class_tree();
        struct glue_context *ctx = block_test_context(root);
        struct glue_instance *inst = NULL;

        test_log_clear();
        check_int_eq(get(ctx, "Linux_BlockDevice.DeviceID=\"sda1\"", &inst), 0);
        check_str_eq(inst ? class_of(inst) : NULL, "Linux_DiskPartition");
        check_str_eq(prop_str(inst, "ParentDevice"), "sda");
        glue_instance_unref(inst);
        /* one device read: md0's garbage size (read by any walk) is not mentioned */
        check(strstr(test_log_text(), "md0") == NULL);

        check_int_eq(get(ctx, "Linux_DiskDrive.DeviceID=\"nvme0n1\"", &inst), 0);
        check_str_eq(inst ? class_of(inst) : NULL, "Linux_NVMeNamespace");
        glue_instance_unref(inst);

        /* a device of another class than asked is not found */
        check_int_eq(get(ctx, "Linux_DiskPartition.DeviceID=\"sda\"", &inst), -ENOENT);
        check_int_eq(get(ctx, "Linux_BlockDevice.DeviceID=\"nosuch\"", &inst), -ENOENT);
        /* keys that would leave sys/class/block are refused before anything is opened */
        check_int_eq(get(ctx, "Linux_BlockDevice.DeviceID=\"../../devices\"", &inst), -ENOENT);
        check_int_eq(get(ctx, "Linux_BlockDevice.DeviceID=\"..\"", &inst), -ENOENT);
        check_int_eq(get(ctx, "Linux_BlockDevice.DeviceID=\"\"", &inst), -ENOENT);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

/* Old kernels and util-linux's dumps: no sys/class/block, partitions in their disk's dir. */
static void test_sys_block_layout(void)
{
        char *root = tree_new();
        struct glue_context *ctx = block_test_context(root);
        struct glue_instance *inst = NULL;
        struct devlist list;

        tree_write(root, "sys/devices/virtual/block/ram0/dev", "1:0\n");
        tree_write(root, "sys/devices/virtual/block/ram0/size", "8\n");
        tree_write(root, "sys/devices/virtual/block/ram0/ram0p1/dev", "1:1\n");
        tree_write(root, "sys/devices/virtual/block/ram0/ram0p1/size", "4\n");
        tree_write(root, "sys/devices/virtual/block/ram0/ram0p1/partition", "1\n");
        tree_link(root, "sys/block/ram0", "../devices/virtual/block/ram0");

        check_int_eq(block_collect(ctx, "Linux_BlockDevice", 0, &list), 0);
        check_int_eq(list.count, 2);
        check_str_eq(class_of(devlist_find(&list, "ram0")), "Linux_BlockDevice");
        check_str_eq(prop_str(devlist_find(&list, "ram0p1"), "ParentDevice"), "ram0");
        check_uint_prop(devlist_find(&list, "ram0p1"), "Minor", 1);
        devlist_free(&list);

        check_int_eq(get(ctx, "Linux_BlockDevice.DeviceID=\"ram0p1\"", &inst), 0);
        check_str_eq(inst ? class_of(inst) : NULL, "Linux_DiskPartition");
        glue_instance_unref(inst);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

static void test_hostile_tree(void)
{
        char *root = tree_new(), *huge, path[4096];
        struct glue_context *ctx = block_test_context(root);
        struct glue_request *req = NULL;
        struct glue_instance *i;
        struct devlist list;
        const char *s;

        tree_link(root, "sys/class/block/ghost", "../../devices/virtual/block/ghost");
        tree_link(root, "sys/class/block/loopy", "loopy");
        tree_write(root, "sys/devices/virtual/block/notadev/power/control", "auto\n");
        tree_link(root, "sys/class/block/notadev", "../../devices/virtual/block/notadev");

        /* empty, garbage and binary attributes */
        add_block(root, "sys/devices/virtual/block/empty1", "empty1", 1, 1, "disk", "");
        tree_write(root, "sys/devices/virtual/block/empty1/ro", "maybe\n");
        tree_write(root, "sys/devices/virtual/block/empty1/stat", "1 2 3\n");
        tree_write_len(root, "sys/devices/virtual/block/empty1/queue/rotational", "\0\xff", 2);
        tree_write(root, "sys/devices/virtual/block/empty1/queue/scheduler", "");
        tree_write(root, "sys/devices/virtual/block/empty1/dm/name", "");

        /* no dev file, no uevent: posted without a device number */
        tree_write(root, "sys/devices/virtual/block/nodev/size", "8\n");
        tree_link(root, "sys/class/block/nodev", "../../devices/virtual/block/nodev");

        /* a disk with a huge model and a binary vendor */
        tree_link(root, "sys/devices/platform/huge/subsystem", "../../../bus/platform");
        huge = malloc(1 << 20);
        memset(huge, 'A', 1 << 20);
        tree_write_len(root, "sys/devices/platform/huge/model", huge, 1 << 20);
        free(huge);
        tree_write_len(root, "sys/devices/platform/huge/vendor", "\xff\xfe" "abc\0zzz", 9);
        add_block(root, "sys/devices/platform/huge/block/hugedisk", "hugedisk", 2, 0, "disk",
                  "99999999999999999999999\n");
        tree_link(root, "sys/devices/platform/huge/block/hugedisk/device", "../../../huge");
        tree_link(root, "sys/devices/platform/huge/block/hugedisk/slaves/gone", "../../nowhere");

        /* a FIFO where the stat file should be: must not block */
        add_block(root, "sys/devices/virtual/block/fifo1", "fifo1", 3, 0, "disk", "16\n");
        snprintf(path, sizeof(path), "%s/sys/devices/virtual/block/fifo1/stat", root);
        unlink(path);
        check_int_eq(mkfifo(path, 0600), 0);

        test_log_clear();
        check_int_eq(block_collect_request(ctx, "Linux_BlockDevice", 0, &list, &req), 0);
        check_int_eq(list.count, 4);
        check(devlist_find(&list, "ghost") == NULL);
        check(devlist_find(&list, "loopy") == NULL);
        check(devlist_find(&list, "notadev") == NULL);
        check(strstr(test_log_text(), "ghost: skipped, cannot open") != NULL);
        check(strstr(test_log_text(), "loopy: skipped, cannot open") != NULL);
        check(strstr(test_log_text(), "notadev: skipped") != NULL);

        i = devlist_find(&list, "empty1");
        check(i != NULL);
        check(!prop_uint(i, "Size", &(uint64_t){ 0 }));
        check(!prop_uint(i, "ReadsCompleted", &(uint64_t){ 0 }));
        check_int_eq(prop_bool(i, "ReadOnly"), -1);
        check_int_eq(prop_bool(i, "Rotational"), -1);
        check(prop_str(i, "Scheduler") == NULL);
        check_str_eq(prop_str(i, "Name"), "empty1");
        check_uint_prop(i, "Major", 1);
        check(strstr(test_log_text(), "empty1: stat is not 11 to 17 numbers") != NULL);
        check(strstr(test_log_text(), "empty1: ro is not a number") != NULL);
        /* every unreadable file is reported with its path and cause: garbage where a
         * number belongs, binary bytes, a 1 MiB model, a number past 64 bits, a FIFO */
        check(read_error_logged("block/empty1/ro", -EINVAL));
        check(read_error_logged("block/empty1/queue/rotational", -EINVAL));
        check(read_error_logged("hugedisk/device/model", -EFBIG));
        check(read_error_logged("block/hugedisk/size", -ERANGE));
        check(read_error_logged("block/fifo1/stat", -EAGAIN));
        check(read_error_count(req, -EINVAL) >= 2);
        check(read_error_count(req, -EFBIG) >= 1);
        check(read_error_count(req, -EAGAIN) >= 1);
        /* absence is no error: nodev has no dev or uevent, no device has every file */
        check_int_eq(read_error_count(req, -ENOENT), 0);
        check(!read_error_logged("nodev/dev", -ENOENT));

        i = devlist_find(&list, "nodev");
        check(i != NULL);
        check(!prop_uint(i, "Major", &(uint64_t){ 0 }));
        check_uint_prop(i, "Size", 4096);
        check(strstr(test_log_text(), "nodev: no device number") != NULL);

        i = devlist_find(&list, "hugedisk");
        check(i != NULL);
        check_str_eq(i ? class_of(i) : NULL, "Linux_DiskDrive");
        check(prop_str(i, "Model") == NULL);
        s = prop_str(i, "Vendor");
        /* the bad bytes are replaced, the NUL ends the text */
        check(s && strstr(s, "abc") && !strstr(s, "zzz"));
        check(!prop_uint(i, "Size", &(uint64_t){ 0 }));

        i = devlist_find(&list, "fifo1");
        check(i != NULL);
        check_uint_prop(i, "Size", 8192);
        check(!prop_uint(i, "ReadsCompleted", &(uint64_t){ 0 }));

        glue_request_unref(req);
        devlist_free(&list);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

/* As a user who may not read an attribute: the property is NULL, the file reported EACCES. */
static void test_permission_denied(void)
{
        char *root = make_class_tree(), path[4096];
        pid_t pid;
        int status = 0;

        if (geteuid() != 0)
                test_skip("needs root, to read the tree as another user (nobody)");
        /* mkdtemp made the root 0700: let the user in, and keep one file from them */
        check_int_eq(chmod(root, 0755), 0);
        snprintf(path, sizeof(path), "%s/" PCI "/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/model",
                 root);
        check_int_eq(chmod(path, 0600), 0);
        fflush(NULL);
        pid = fork();
        if (pid == 0) {
                struct glue_context *ctx;
                struct glue_request *req = NULL;
                struct devlist list;

                if (setgid(65534) < 0 || setuid(65534) < 0)
                        _exit(2);
                ctx = block_test_context(root);
                check_int_eq(block_collect_request(ctx, "Linux_SCSIDisk", 0, &list, &req), 0);
                check(devlist_find(&list, "sda") != NULL);
                check(prop_str(devlist_find(&list, "sda"), "Model") == NULL);
                check_str_eq(prop_str(devlist_find(&list, "sda"), "Vendor"), "ATA");
                check(read_error_logged("sys/class/block/sda/device/model", -EACCES));
                check_int_eq(read_error_count(req, -EACCES), 1);
                glue_request_unref(req);
                devlist_free(&list);
                glue_context_unref(ctx);
                _exit(test_failures ? 1 : 0);
        }
        check(pid > 0);
        check(waitpid(pid, &status, 0) == pid);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                fprintf(stderr, "the unprivileged child ended with status 0x%x\n", status);
        check(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        tree_remove(root);
        free(root);
}

/* Every SCSI transport lsblk names, from the same files lsblk looks at. */
static void test_scsi_transports(void)
{
        static const struct {
                const char *disk, *transport;
        } want[] = {
                { "sdc", "spi" }, { "sdd", "fc" }, { "sde", "fcoe" }, { "sdf", "sas" },
                { "sdg", "sbp" }, { "sdh", "iscsi" }, { "sdi", "ata" }, { "sdj", "sata" },
        };
        char *root = tree_new(), dev[512], path[1024], link[64];
        struct glue_context *ctx = block_test_context(root);
        struct devlist list;

        for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
                unsigned host = 10 + i;

                snprintf(dev, sizeof(dev), PCI "/0000:00:10.0/host%u/target%u:0:0/%u:0:0:0", host,
                         host, host);
                snprintf(path, sizeof(path), "%s/type", dev);
                tree_write(root, path, "0\n");
                snprintf(path, sizeof(path), "%s/subsystem", dev);
                tree_link(root, path, "../../../../../../bus/scsi");
                snprintf(path, sizeof(path), "%s/block/%s", dev, want[i].disk);
                add_block(root, path, want[i].disk, 8, 32 + 16 * i, "disk", "100\n");
                snprintf(path, sizeof(path), "%s/block/%s/device", dev, want[i].disk);
                snprintf(link, sizeof(link), "../../../%u:0:0:0", host);
                tree_link(root, path, link);
                snprintf(path, sizeof(path), "sys/class/scsi_host/host%u/proc_name", host);
                tree_write(root, path, strcmp(want[i].transport, "sata") == 0 ? "ahci\n"
                                                                              : "ata_piix\n");
        }
        tree_write(root, "sys/class/spi_host/host10/.keep", "");
        tree_write(root, "sys/class/fc_host/host11/symbolic_name", "QLE2562 FW:v8.07.00\n");
        tree_write(root, "sys/class/fc_host/host12/symbolic_name", "bnx2fc v2.12 over eth0\n");
        tree_write(root, "sys/class/sas_host/host13/.keep", "");
        tree_write(root, PCI "/0000:00:10.0/host14/target14:0:0/14:0:0:0/ieee1394_id",
                   "0x0001\n");
        tree_write(root, "sys/class/iscsi_host/host15/.keep", "");

        check_int_eq(block_collect(ctx, "Linux_SCSIDisk", 0, &list), 0);
        for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++)
                check_str_eq(prop_str(devlist_find(&list, want[i].disk), "Transport"),
                             want[i].transport);
        devlist_free(&list);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

/* Where a device hangs: its subsystems, hot-plug bus and storage controller; its node. */
static void test_ancestry_and_node(void)
{
        char *root = make_class_tree(), path[1024];
        struct glue_context *ctx = block_test_context(root);
        struct glue_instance *i;
        struct devlist list;
        const char *subsys = "sys/devices/virtual/nvme-subsystem";

        /* the kernel's subsystem links of the USB stick's ancestors and the PCI functions */
        tree_link(root, PCI "/0000:00:14.0/usb1/1-2/1-2:1.0/subsystem", "../../../../../../bus/usb");
        tree_link(root, PCI "/0000:00:14.0/usb1/1-2/subsystem", "../../../../../bus/usb");
        tree_link(root, PCI "/0000:00:14.0/subsystem", "../../../bus/pci");
        tree_link(root, PCI "/0000:00:1f.2/subsystem", "../../../bus/pci");
        /* native NVMe multipath: the namespace under its subsystem, whose entries link to the
         * controllers: one on one function, one on two */
        snprintf(path, sizeof(path), "%s/nvme-subsys1/nvme1n1", subsys);
        add_block(root, path, "nvme1n1", 259, 10, "disk", "8\n");
        snprintf(path, sizeof(path), "%s/nvme-subsys1/nvme1n1/device", subsys);
        tree_link(root, path, "../../nvme-subsys1");
        snprintf(path, sizeof(path), "%s/nvme-subsys1/nvme1", subsys);
        tree_link(root, path, "../../../pci0000:00/0000:00:1d.0/0000:3e:00.0/nvme/nvme1");
        snprintf(path, sizeof(path), "%s/nvme-subsys2/nvme2n1", subsys);
        add_block(root, path, "nvme2n1", 259, 11, "disk", "8\n");
        snprintf(path, sizeof(path), "%s/nvme-subsys2/nvme2n1/device", subsys);
        tree_link(root, path, "../../nvme-subsys2");
        snprintf(path, sizeof(path), "%s/nvme-subsys2/nvme2", subsys);
        tree_link(root, path, "../../../pci0000:00/0000:00:1d.0/0000:3f:00.0/nvme/nvme2");
        snprintf(path, sizeof(path), "%s/nvme-subsys2/nvme3", subsys);
        tree_link(root, path, "../../../pci0000:00/0000:00:1d.1/0000:40:00.0/nvme/nvme3");
        /* the nodes: the disk's, and one of another device under a partition's name */
        snprintf(path, sizeof(path), "%s/dev", root);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/dev/sda", root);
        check_int_eq(mknod(path, S_IFBLK | 0660, makedev(8, 0)), 0);
        check_int_eq(chown(path, 0, 6), 0);
        check_int_eq(chmod(path, 0660), 0);
        snprintf(path, sizeof(path), "%s/dev/sda1", root);
        check_int_eq(mknod(path, S_IFBLK | 0600, makedev(8, 99)), 0);
        /* the partition's entry in the udev database */
        tree_write(root, "run/udev/data/b8:1",
                   "E:ID_PART_TABLE_TYPE=dos\nE:ID_PART_ENTRY_TYPE=0x83\n"
                   "E:ID_PART_ENTRY_FLAGS=0x80\n");
        tree_write(root, "run/udev/data/b259:1",
                   "E:ID_PART_ENTRY_SCHEME=gpt\n"
                   "E:ID_PART_ENTRY_TYPE=c12a7328-f81f-11d2-ba4b-00a0c93ec93b\n");

        check_int_eq(block_collect(ctx, "Linux_BlockDevice", 0, &list), 0);
        i = devlist_find(&list, "sda");
        check_str_eq(prop_str(i, "Subsystems"), "block:scsi:pci");
        check_int_eq(prop_bool(i, "Hotplug"), 0);
        check_str_eq(prop_str(i, "ControllerPCIAddress"), "0000:00:1f.2");
        check_str_eq(prop_str(i, "Path"), "/dev/sda");
        check_str_eq(prop_str(i, "OwnerName"), "root");
        check_str_eq(prop_str(i, "Mode"), "brw-rw----");
        check(prop_str(i, "GroupName") != NULL);
        /* a partition: its disk's chain, and the node of another number says nothing */
        i = devlist_find(&list, "sda1");
        check_str_eq(prop_str(i, "Subsystems"), "block:scsi:pci");
        check_str_eq(prop_str(i, "Transport"), "sata");
        check(prop_str(i, "Mode") == NULL);
        check_str_eq(prop_str(i, "PartitionTypeName"), "Linux");
        check_str_eq(prop_str(i, "PartitionFlags"), "0x80");
        check_str_eq(prop_str(devlist_find(&list, "nvme0n1p1"), "PartitionTypeName"),
                     "EFI System");
        check_str_eq(prop_str(devlist_find(&list, "nvme0n1p1"), "Transport"), "nvme");
        i = devlist_find(&list, "sdb");
        check_str_eq(prop_str(i, "Subsystems"), "block:scsi:usb:pci");
        check_int_eq(prop_bool(i, "Hotplug"), 1);
        check_str_eq(prop_str(i, "ControllerPCIAddress"), "0000:00:14.0");
        check_str_eq(prop_str(devlist_find(&list, "nvme0n1"), "ControllerPCIAddress"),
                     "0000:3d:00.0");
        check_str_eq(prop_str(devlist_find(&list, "vda"), "ControllerPCIAddress"),
                     "0000:00:02.0");
        /* no PCI function above: none, not a guess */
        check(prop_str(devlist_find(&list, "mmcblk0"), "ControllerPCIAddress") == NULL);
        check(prop_str(devlist_find(&list, "pmem0"), "ControllerPCIAddress") == NULL);
        check_str_eq(class_of(devlist_find(&list, "nvme1n1")), "Linux_NVMeNamespace");
        check_str_eq(prop_str(devlist_find(&list, "nvme1n1"), "ControllerPCIAddress"),
                     "0000:3e:00.0");
        check_str_eq(prop_str(devlist_find(&list, "nvme1n1"), "Transport"), "nvme");
        check(prop_str(devlist_find(&list, "nvme2n1"), "ControllerPCIAddress") == NULL);
        /* the mapper name is lsblk's PATH of a dm device in a tree */
        check_str_eq(prop_str(devlist_find(&list, "dm-0"), "Path"), "/dev/mapper/vg-root");
        devlist_free(&list);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

struct vanish {
        const char *root;
        size_t seen;
};

static int remove_all_on_first(struct glue_instance *inst, void *userdata)
{
        struct vanish *v = userdata;
        char path[4096];

        if (v->seen++ == 0) {
                snprintf(path, sizeof(path), "%s/sys/devices/virtual/block", v->root);
                tree_remove(path);
        }
        /* whatever was posted is whole: a key and a class */
        check(prop_str(inst, "DeviceID") != NULL);
        return 0;
}

static void test_devices_vanish_mid_walk(void)
{
        char *root = tree_new();
        struct glue_context *ctx = block_test_context(root);
        struct glue_request *req = NULL;
        struct vanish v = { .root = root };
        char dir[128], name[32];

        for (int k = 0; k < 200; k++) {
                snprintf(name, sizeof(name), "loop%d", k);
                snprintf(dir, sizeof(dir), "sys/devices/virtual/block/%s", name);
                add_block(root, dir, name, 7, (unsigned)k, "disk", "0\n");
        }
        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_enumerate(req, "Linux_BlockDevice", remove_all_on_first, &v), 0);
        check(v.seen >= 1 && v.seen <= 200);
        printf("# %zu of 200 devices posted before they vanished\n", v.seen);
        /* the walk goes on after the removal: every later device is skipped and said */
        if (v.seen < 200)
                check(strstr(test_log_text(), "skipped") != NULL);
        glue_request_unref(req);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

TEST_MAIN(test_deep_and_shallow, test_properties, test_partial_instances, test_get_by_key,
          test_sys_block_layout, test_hostile_tree, test_permission_denied,
          test_scsi_transports, test_ancestry_and_node, test_devices_vanish_mid_walk)
