/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The provider through libudev, on the sysroot "/", under umockdev with disks.umockdev (run by
 * meson as umockdev-run -d disks.umockdev -- this test): the udev properties of the file's E:
 * lines must reach Model, SerialNumber, WWN, FirmwareRevision and the partition's UUID, label
 * and type; sysfs gives the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "block-test.h"

static void check_uint_prop(const struct glue_instance *inst, const char *name, uint64_t want)
{
        uint64_t value = 0;

        check(prop_uint(inst, name, &value));
        check_int_eq(value, want);
}

static void test_udev_properties(void)
{
        struct glue_context *ctx = block_test_context(NULL);
        struct glue_instance *i;
        struct devlist list;

        if (!getenv("UMOCKDEV_DIR"))
                test_skip("not under umockdev-run");
        check_int_eq(block_collect(ctx, "Linux_BlockDevice", 0, &list), 0);
        check_int_eq(list.count, 3);

        i = devlist_find(&list, "sda");
        check_str_eq(i ? class_of(i) : NULL, "Linux_SCSIDisk");
        /* ID_MODEL_ENC decoded, not ID_MODEL's underscores nor sysfs's 16 characters */
        check_str_eq(prop_str(i, "Model"), "Samsung SSD 860 EVO 500GB");
        check_str_eq(prop_str(i, "SerialNumber"), "S3Z2NB0K123456A");
        check_str_eq(prop_str(i, "WWN"), "0x5002538e40a1b2c3");
        check_str_eq(prop_str(i, "FirmwareRevision"), "RVT04B6Q");
        check_str_eq(prop_str(i, "Vendor"), "ATA");
        check_str_eq(prop_str(i, "PartitionTableType"), "gpt");
        check_str_eq(prop_str(i, "PartitionTableUUID"), "4f1c2a3b-0d5e-4e6f-8a7b-9c0d1e2f3a4b");
        check_str_eq(prop_str(i, "Scheduler"), "mq-deadline");
        check_uint_prop(i, "Size", 976773168ull * 512);
        check_uint_prop(i, "BytesRead", 8000 * 512);
        check_uint_prop(i, "FlushesCompleted", 0);
        check_uint_prop(i, "QueueDepth", 32);
        /* the testbed's subsystem links, and the AHCI function above the disk */
        check_str_eq(prop_str(i, "Subsystems"), "block:scsi");
        check_str_eq(prop_str(i, "ControllerPCIAddress"), "0000:00:1f.2");
        check_int_eq(prop_bool(i, "Hotplug"), 0);

        i = devlist_find(&list, "sda1");
        check_str_eq(i ? class_of(i) : NULL, "Linux_DiskPartition");
        check_str_eq(prop_str(i, "PartitionUUID"), "2062335e-51b6-49e8-bc3c-4c6d449e6805");
        check_str_eq(prop_str(i, "PartitionLabel"), "EFI System Partition");
        check_str_eq(prop_str(i, "PartitionTypeID"), "c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
        check_str_eq(prop_str(i, "ParentDevice"), "sda");
        check_uint_prop(i, "StartingOffset", 2048 * 512);
        /* the GPT type's name, from libfdisk */
        check_str_eq(prop_str(i, "PartitionTypeName"), "EFI System");
        check_str_eq(prop_str(i, "Subsystems"), "block:scsi");

        i = devlist_find(&list, "loop0");
        check_str_eq(i ? class_of(i) : NULL, "Linux_BlockDevice");
        check_str_eq(prop_str(i, "Type"), "loop");
        devlist_free(&list);
        glue_context_unref(ctx);
}

TEST_MAIN(test_udev_properties)
