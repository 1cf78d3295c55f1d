/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The provider on a tree made here, by hand, with the cases real trees have only by chance: a
 * bridge with a device behind it, a runtime-suspended GPU whose revision only config space
 * holds, a function without a vendor file, a dangling entry, a stray file, no PCI bus at all, a
 * broken or compressed pci.ids.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pci-test.h"

static char root[] = "/tmp/hwglue-pci-tree-XXXXXX";

static void make_dirs(const char *relative)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/%s", root, relative);
        for (char *p = path + strlen(root) + 1; *p; p++)
                if (*p == '/') {
                        *p = '\0';
                        mkdir(path, 0755);
                        *p = '/';
                }
        mkdir(path, 0755);
}

static void write_bytes(const char *relative, const void *data, size_t len)
{
        char path[4096], dir[4096];
        FILE *f;

        snprintf(dir, sizeof(dir), "%s", relative);
        if (strrchr(dir, '/')) {
                *strrchr(dir, '/') = '\0';
                make_dirs(dir);
        }
        snprintf(path, sizeof(path), "%s/%s", root, relative);
        f = fopen(path, "we");
        check(f != NULL);
        if (!f)
                return;
        fwrite(data, 1, len, f);
        fclose(f);
}

static void write_text(const char *relative, const char *text)
{
        write_bytes(relative, text, strlen(text));
}

static void make_link(const char *relative, const char *target)
{
        char path[4096], dir[4096];

        snprintf(dir, sizeof(dir), "%s", relative);
        *strrchr(dir, '/') = '\0';
        make_dirs(dir);
        snprintf(path, sizeof(path), "%s/%s", root, relative);
        check_int_eq(symlink(target, path), 0);
}

struct fake_function {
        const char *path; /* under sys/devices/pci0000:00 */
        const char *vendor, *device, *class_code, *revision;
        const char *runtime_status;
        int config_revision; /* -1: no config file */
};

static void add_function(const struct fake_function *fn)
{
        const char *name = strrchr(fn->path, '/') ? strrchr(fn->path, '/') + 1 : fn->path;
        char dir[512], file[640], target[640];

        snprintf(dir, sizeof(dir), "sys/devices/pci0000:00/%s", fn->path);
        make_dirs(dir);
#define ATTRIBUTE(attr, value)                                                        \
        do {                                                                          \
                if (value) {                                                          \
                        snprintf(file, sizeof(file), "%s/%s", dir, attr);             \
                        write_text(file, value);                                      \
                }                                                                     \
        } while (0)
        ATTRIBUTE("vendor", fn->vendor);
        ATTRIBUTE("device", fn->device);
        ATTRIBUTE("class", fn->class_code);
        ATTRIBUTE("revision", fn->revision);
        ATTRIBUTE("power/runtime_status", fn->runtime_status);
#undef ATTRIBUTE
        if (fn->config_revision >= 0) {
                uint8_t config[64] = { 0 };

                /* Vendor and device in the header, as lspci would read them. */
                config[0] = 0xde, config[1] = 0x10, config[2] = 0xb8, config[3] = 0x1e;
                config[8] = (uint8_t)fn->config_revision;
                snprintf(file, sizeof(file), "%s/config", dir);
                write_bytes(file, config, sizeof(config));
        }
        snprintf(file, sizeof(file), "sys/bus/pci/devices/%s", name);
        snprintf(target, sizeof(target), "../../../devices/pci0000:00/%s", fn->path);
        make_link(file, target);
}

static void build_tree(void)
{
        static const struct fake_function functions[] = {
                { "0000:00:00.0", "0x8086", "0x0d57", "0x060000", "0x00", "active", -1 },
                { "0000:00:1c.0", "0x8086", "0x27d0", "0x060400", "0x02", NULL, -1 },
                { "0000:00:1c.0/0000:02:00.0", "0x8086", "0x10d3", "0x020000", "0x00",
                  "active", -1 },
                /* A suspended GPU: its revision is only in config space, which must stay
                 * unread. */
                { "0000:01:00.0", "0x10de", "0x1eb8", "0x030200", NULL, "suspended", 0xa1 },
                /* An active USB controller: the same hole, filled from config space. */
                { "0000:00:14.0", "0x8086", "0xa36d", "0x0c0330", NULL, "active", 0x10 },
                { "0000:00:08.0", "0x8086", "0x1911", "0x088000", "0x00", NULL, -1 },
                /* No vendor file and no config: skipped, nothing else lost. */
                { "0000:00:1f.3", NULL, "0xa348", "0x040300", "0x10", NULL, -1 },
        };
        const char *nic = "sys/devices/pci0000:00/0000:00:1c.0/0000:02:00.0";
        char file[512];

        check(mkdtemp(root) != NULL);
        for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
                add_function(&functions[i]);

#define NIC_ATTRIBUTE(attr, value)                                                    \
        do {                                                                          \
                snprintf(file, sizeof(file), "%s/%s", nic, attr);                     \
                write_text(file, value);                                              \
        } while (0)
        NIC_ATTRIBUTE("subsystem_vendor", "0x17aa\n");
        NIC_ATTRIBUTE("subsystem_device", "0x2001\n");
        NIC_ATTRIBUTE("numa_node", "0\n");
        NIC_ATTRIBUTE("irq", "16\n");
        NIC_ATTRIBUTE("current_link_speed", "2.5 GT/s PCIe\n");
        NIC_ATTRIBUTE("current_link_width", "1\n");
        NIC_ATTRIBUTE("max_link_speed", "5 GT/s\n"); /* the spelling of kernels before 5.2 */
        NIC_ATTRIBUTE("max_link_width", "4\n");
        NIC_ATTRIBUTE("power_state", "D0\n");
        NIC_ATTRIBUTE("sriov_totalvfs", "8\n");
        NIC_ATTRIBUTE("sriov_numvfs", "2\n");
        NIC_ATTRIBUTE("net/eth1/ifindex", "3\n");
        NIC_ATTRIBUTE("net/eth0/ifindex", "2\n");
#undef NIC_ATTRIBUTE
        snprintf(file, sizeof(file), "%s/driver", nic);
        make_link(file, "../../../../bus/pci/drivers/e1000e");
        make_link("sys/bus/pci/drivers/e1000e/module", "../../../../module/e1000e");
        make_dirs("sys/module/e1000e");
        snprintf(file, sizeof(file), "%s/iommu_group", nic);
        make_link(file, "../../../../kernel/iommu_groups/7");
        make_dirs("sys/kernel/iommu_groups/7");
        write_text("sys/bus/pci/slots/3/address", "0000:02:00\n");
        write_text("sys/devices/pci0000:00/0000:00:1c.0/secondary_bus_number", "2\n");
        write_text("sys/devices/pci0000:00/0000:00:1c.0/subordinate_bus_number", "2\n");
        write_text("sys/devices/pci0000:00/0000:01:00.0/boot_vga", "1\n");

        /* Entries that are not functions. */
        make_link("sys/bus/pci/devices/0000:00:1f.6", "../../../devices/pci0000:00/0000:00:1f.6");
        write_text("sys/bus/pci/devices/README", "not a device\n");
}

static void remove_tree(void)
{
        char command[256];

        snprintf(command, sizeof(command), "rm -rf '%s'", root);
        check_int_eq(system(command), 0);
}

static const struct {
        const char *device_id, *class_name;
} expected[] = {
        { "0000:00:00.0", "Linux_PCIBridge" },
        { "0000:00:1c.0", "Linux_PCIBridge" },
        { "0000:02:00.0", "Linux_PCINetworkController" },
        { "0000:01:00.0", "Linux_PCIDisplayController" },
        { "0000:00:14.0", "Linux_PCIUSBController" },
        { "0000:00:08.0", "Linux_PCIDevice" },
};
#define EXPECTED_COUNT (sizeof(expected) / sizeof(expected[0]))

static void test_deep_returns_each_function_once_as_most_derived(void)
{
        struct glue_context *ctx = pci_test_context(root, NULL);
        struct glue_instance **list = NULL;
        size_t count = 0;

        check_int_eq(pci_test_collect(ctx, "CIM_PCIDevice", 0, NULL, 0, &list, &count), 0);
        /* 9 entries: the missing vendor, the dangling link and README are skipped. */
        check_int_eq(pci_test_count_devices(root), 9);
        check_int_eq(count, EXPECTED_COUNT);
        for (size_t i = 0; i < EXPECTED_COUNT; i++) {
                size_t seen = 0;

                for (size_t j = 0; j < count; j++) {
                        const char *id = NULL;

                        glue_instance_get_string(list[j], "DeviceID", &id);
                        if (!id || strcmp(id, expected[i].device_id) != 0)
                                continue;
                        seen++;
                        check_str_eq(glue_class_get_name(glue_instance_get_class(list[j])),
                                     expected[i].class_name);
                }
                check_int_eq(seen, 1);
        }
        glue_instance_list_free(list, count);

        /* A subtree: the serial bus controllers are the USB one. */
        check_int_eq(pci_test_collect(ctx, "Linux_PCISerialBusController", 0, NULL, 0, &list,
                                      &count), 0);
        check_int_eq(count, 1);
        check(count == 1 && pci_test_find(list, count, "0000:00:14.0"));
        glue_instance_list_free(list, count);
        glue_context_unref(ctx);
}

static void test_shallow_partitions_the_functions(void)
{
        static const char *const classes[] = {
                "Linux_PCIDevice", "Linux_PCIBridge", "Linux_PCINetworkController",
                "Linux_PCIDisplayController", "Linux_PCIUSBController",
                "Linux_PCISerialBusController", "Linux_PCIStorageController",
        };
        struct glue_context *ctx = pci_test_context(root, NULL);
        size_t total = 0;

        for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
                struct glue_instance **list = NULL;
                size_t count = 0;

                check_int_eq(pci_test_collect(ctx, classes[i], GLUE_REQUEST_SHALLOW, NULL, 0,
                                              &list, &count), 0);
                for (size_t j = 0; j < count; j++)
                        check_str_eq(glue_class_get_name(glue_instance_get_class(list[j])),
                                     classes[i]);
                total += count;
                glue_instance_list_free(list, count);
        }
        check_int_eq(total, EXPECTED_COUNT);
        glue_context_unref(ctx);
}

static void check_string(const struct glue_instance *inst, const char *name, const char *value)
{
        const char *got = NULL;

        check_int_eq(glue_instance_get_string(inst, name, &got), 0);
        check_str_eq(got, value);
}

static void check_uint(const struct glue_instance *inst, const char *name, uint64_t value)
{
        uint64_t got = 0;

        check_int_eq(glue_instance_get_uint(inst, name, &got), 0);
        check_int_eq(got, value);
}

static void test_network_controller_properties(void)
{
        struct glue_context *ctx = pci_test_context(root, NULL);
        struct glue_request *req = NULL;
        struct glue_instance *nic = NULL;
        const struct glue_value *value;
        int64_t numa_node = -1;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_get(req, "Linux_PCIDevice.DeviceID=\"0000:02:00.0\"", &nic),
                     0);
        if (!nic)
                goto out;
        check_str_eq(glue_class_get_name(glue_instance_get_class(nic)),
                     "Linux_PCINetworkController");
        check_uint(nic, "VendorID", 0x8086);
        check_uint(nic, "PCIDeviceID", 0x10d3);
        check_uint(nic, "SubsystemVendorID", 0x17aa);
        check_uint(nic, "SubsystemID", 0x2001);
        check_uint(nic, "RevisionID", 0);
        check_uint(nic, "ClassCode", 0x02);
        check_uint(nic, "SubclassCode", 0x00);
        check_uint(nic, "BusNumber", 2);
        check_string(nic, "Driver", "e1000e");
        check_string(nic, "KernelModule", "e1000e");
        check_int_eq(glue_instance_get_sint(nic, "NUMANode", &numa_node), 0);
        check_int_eq(numa_node, 0);
        check_uint(nic, "IOMMUGroup", 7);
        check_uint(nic, "IRQ", 16);
        check_string(nic, "PhysicalSlot", "3");
        check_string(nic, "ParentBridge", "0000:00:1c.0");
        check_string(nic, "SysfsPath", "/sys/devices/pci0000:00/0000:00:1c.0/0000:02:00.0");
        check_string(nic, "CurrentLinkSpeed", "2.5 GT/s");
        check_string(nic, "MaxLinkSpeed", "5.0 GT/s");
        check_uint(nic, "CurrentLinkWidth", 1);
        check_uint(nic, "MaxLinkWidth", 4);
        check_string(nic, "PowerState", "D0");
        check_string(nic, "RuntimeStatus", "active");
        check_uint(nic, "SRIOVTotalVFs", 8);
        check_uint(nic, "SRIOVNumVFs", 2);
        check_int_eq(glue_instance_get_value(nic, "NetworkInterfaces", &value), 0);
        check(value && value->is_array && value->count == 2);
        if (value && value->is_array && value->count == 2) {
                check_str_eq(value->v.str_array[0], "eth0");
                check_str_eq(value->v.str_array[1], "eth1");
        }
        glue_instance_unref(nic);
out:
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static void test_suspended_function_config_stays_unread(void)
{
        struct glue_context *ctx = pci_test_context(root, NULL);
        struct glue_instance **list = NULL;
        struct glue_instance *gpu, *usb, *bridge;
        size_t count = 0;
        uint64_t revision;
        bool boot_vga = false;

        check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", 0, NULL, 0, &list, &count), 0);
        gpu = pci_test_find(list, count, "0000:01:00.0");
        usb = pci_test_find(list, count, "0000:00:14.0");
        bridge = pci_test_find(list, count, "0000:00:1c.0");
        check(gpu && usb && bridge);
        if (gpu && usb && bridge) {
                /* Reading config would resume the GPU's parent: the revision stays NULL. */
                check_int_eq(glue_instance_get_uint(gpu, "RevisionID", &revision), -ENODATA);
                check_string(gpu, "RuntimeStatus", "suspended");
                check_int_eq(glue_instance_get_bool(gpu, "BootVGA", &boot_vga), 0);
                check(boot_vga);
                /* Awake: the revision comes from config space. */
                check_uint(usb, "RevisionID", 0x10);
                check_uint(usb, "ProgrammingInterface", 0x30);
                check_uint(bridge, "SecondaryBusNumber", 2);
                check_uint(bridge, "SubordinateBusNumber", 2);
        }
        glue_instance_list_free(list, count);
        glue_context_unref(ctx);
}

static void test_get_by_key(void)
{
        static const char *const bad_keys[] = {
                "../../../etc", "0000:00:1c.0/..", "0000:00:1c.0/../../..", "", "0000:00:1c",
                "0000:00:1c.8", "0000:00:20.0", "0000:0:1c.0", "000000000:00:1c.0", "..",
        };
        struct glue_context *ctx = pci_test_context(root, NULL);
        struct glue_request *req = NULL;
        struct glue_instance *inst = NULL;
        char path[8300], long_key[8192];
        int r;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_get(req, "Linux_PCIDevice.DeviceID=\"0000:00:1c.0\"", &inst),
                     0);
        if (inst) {
                check_string(inst, "DeviceID", "0000:00:1c.0");
                check_str_eq(glue_class_get_name(glue_instance_get_class(inst)),
                             "Linux_PCIBridge");
                inst = glue_instance_unref(inst);
        }
        for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
                snprintf(path, sizeof(path), "Linux_PCIDevice.DeviceID=\"%s\"", bad_keys[i]);
                check_int_eq(glue_request_get(req, path, &inst), -ENOENT);
        }
        memset(long_key, 'a', sizeof(long_key) - 1);
        long_key[sizeof(long_key) - 1] = '\0';
        snprintf(path, sizeof(path), "Linux_PCIDevice.DeviceID=\"%s\"", long_key);
        r = glue_request_get(req, path, &inst);
        /* The path parser may refuse it before the provider does. */
        check(r == -ENOENT || r == -EILSEQ);
        /* Absent, skipped (no vendor), dangling, and of another class. */
        check_int_eq(glue_request_get(req, "Linux_PCIDevice.DeviceID=\"0000:09:00.0\"", &inst),
                     -ENOENT);
        check_int_eq(glue_request_get(req, "Linux_PCIDevice.DeviceID=\"0000:00:1f.3\"", &inst),
                     -ENOENT);
        check_int_eq(glue_request_get(req, "Linux_PCIDevice.DeviceID=\"0000:00:1f.6\"", &inst),
                     -ENOENT);
        check_int_eq(glue_request_get(req, "Linux_PCIBridge.DeviceID=\"0000:02:00.0\"", &inst),
                     -ENOENT);
        check(inst == NULL);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static void test_no_pci_bus(void)
{
        char empty[] = "/tmp/hwglue-pci-empty-XXXXXX";
        struct glue_instance **list = NULL;
        struct glue_context *ctx;
        size_t count = 1;

        check(mkdtemp(empty) != NULL);
        ctx = pci_test_context(empty, NULL);
        check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", 0, NULL, 0, &list, &count), 0);
        check_int_eq(count, 0);
        glue_instance_list_free(list, count);
        glue_context_unref(ctx);
        rmdir(empty);
}

static void test_names_from_pci_ids(void)
{
        const char *source = getenv("HWGLUE_SOURCE_DIR");
        struct glue_instance **list = NULL;
        struct glue_context *ctx;
        struct glue_instance *nic, *usb;
        char ids[4096];
        size_t count = 0;
        const char *name;

        check(source != NULL);
        snprintf(ids, sizeof(ids), "%s/tests/pci/test.ids", source ? source : ".");
        ctx = pci_test_context(root, ids);
        check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", 0, NULL, 0, &list, &count), 0);
        nic = pci_test_find(list, count, "0000:02:00.0");
        usb = pci_test_find(list, count, "0000:00:14.0");
        check(nic && usb);
        if (nic && usb) {
                check_string(nic, "VendorName", "Test Vendor Eight");
                check_string(nic, "DeviceName", "Test Gigabit NIC");
                check_string(nic, "SubsystemVendorName", "Test Laptop Maker");
                check_string(nic, "SubsystemName", "Test NIC for a laptop");
                check_string(nic, "ClassName", "Test Ethernet controller");
                check_int_eq(glue_instance_get_string(nic, "ProgrammingInterfaceName", &name),
                             -ENODATA);
                check_string(usb, "ClassName", "Test USB controller");
                check_string(usb, "ProgrammingInterfaceName", "Test xHCI");
                /* Not in this database: NULL, not a number. */
                check_int_eq(glue_instance_get_string(usb, "DeviceName", &name), -ENODATA);
        }
        glue_instance_list_free(list, count);

        /* Without a property list naming them, Expensive names are not fetched. */
        static const char *const cheap[] = { "VendorID" };
        check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", 0, cheap, 1, &list, &count), 0);
        check_int_eq(count, EXPECTED_COUNT);
        nic = pci_test_find(list, count, "0000:02:00.0");
        if (nic) {
                check_uint(nic, "VendorID", 0x8086);
                check_int_eq(glue_instance_get_string(nic, "VendorName", &name), -ENOENT);
                check_int_eq(glue_instance_get_string(nic, "Driver", &name), -ENOENT);
        }
        glue_instance_list_free(list, count);
        glue_context_unref(ctx);
}

/* pci-ids.c reads a database with a malformed line: the good lines keep their names (libpci,
 * and lspci with it, refuse the whole file). */
static void test_broken_pci_ids_serves_its_good_lines(void)
{
        struct glue_instance **list = NULL;
        struct glue_context *ctx;
        struct glue_instance *nic;
        char ids[4096];
        size_t count = 0;

        snprintf(ids, sizeof(ids), "%s/broken.ids", root);
        write_text("broken.ids", "8086  Fine so far\nthis is not an ID line\n\tzzzz  bad\n"
                                 "17aa  Good again\n\t!!  bad too\n");
        ctx = pci_test_context(root, ids);
        for (int round = 0; round < 2; round++) {
                check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", 0, NULL, 0, &list, &count),
                             0);
                check_int_eq(count, EXPECTED_COUNT);
                nic = pci_test_find(list, count, "0000:02:00.0");
                check(nic != NULL);
                if (nic) {
                        check_uint(nic, "VendorID", 0x8086);
                        check_string(nic, "VendorName", "Fine so far");
                        check_string(nic, "SubsystemVendorName", "Good again");
                }
                glue_instance_list_free(list, count);
        }
        glue_context_unref(ctx);
}

/* A compressed pci.ids is libpci's to read; one it cannot parse ends nothing but the names.
 * (libpci's parser calls its error hook, which by default exits, on the broken line.) */
static void test_compressed_pci_ids_through_libpci(void)
{
        const char *source = getenv("HWGLUE_SOURCE_DIR");
        struct glue_instance **list = NULL;
        struct glue_context *ctx;
        struct glue_instance *nic;
        char command[8192], ids[4096];
        size_t count = 0;
        const char *name;

        check(source != NULL);
        snprintf(ids, sizeof(ids), "%s/test.ids.gz", root);
        snprintf(command, sizeof(command), "gzip -c '%s/tests/pci/test.ids' > '%s'",
                 source ? source : ".", ids);
        check_int_eq(system(command), 0);
        ctx = pci_test_context(root, ids);
        check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", 0, NULL, 0, &list, &count), 0);
        nic = pci_test_find(list, count, "0000:02:00.0");
        check(nic != NULL);
        if (nic)
                check_string(nic, "DeviceName", "Test Gigabit NIC");
        glue_instance_list_free(list, count);
        glue_context_unref(ctx);

        write_text("broken.ids", "8086  Fine so far\nthis is not an ID line\n");
        snprintf(command, sizeof(command), "gzip -f '%s/broken.ids'", root);
        check_int_eq(system(command), 0);
        snprintf(ids, sizeof(ids), "%s/broken.ids.gz", root);
        ctx = pci_test_context(root, ids);
        for (int round = 0; round < 2; round++) {
                check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", 0, NULL, 0, &list, &count),
                             0);
                check_int_eq(count, EXPECTED_COUNT);
                nic = pci_test_find(list, count, "0000:02:00.0");
                check(nic != NULL);
                if (nic) {
                        check_uint(nic, "VendorID", 0x8086);
                        check_int_eq(glue_instance_get_string(nic, "VendorName", &name), -ENODATA);
                }
                glue_instance_list_free(list, count);
        }
        glue_context_unref(ctx);
}

static void test_setup(void)
{
        build_tree();
}

static void test_teardown(void)
{
        remove_tree();
}

TEST_MAIN(test_setup, test_deep_returns_each_function_once_as_most_derived,
          test_shallow_partitions_the_functions, test_network_controller_properties,
          test_suspended_function_config_stays_unread, test_get_by_key, test_no_pci_bus,
          test_names_from_pci_ids, test_broken_pci_ids_serves_its_good_lines,
          test_compressed_pci_ids_through_libpci, test_teardown)
