/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PCI functions below devices/pci0000:00, listed in bus/pci/devices. Healthy: the host bridge
 * 00.0, the display 02.0 and the SATA controller 17.0 (which the block part's disks sit on).
 * Broken: 03.0 empty, 04.0 binary, 05.0 huge optional attributes, 06.0 a huge vendor, 07.0
 * non-numeric, 08.0 without its identity files, uevent and subsystem; entries that dangle
 * (09.0), loop (0a.0), repeat a function under another spelling (00000:00:02.0, 0000:00:0B.0)
 * or are no address at all; slots with a hostile name, binary and huge addresses.
 */
#include <stdio.h>
#include <string.h>

#include "hostile-tree.h"

#define ROOT "devices/pci0000:00"

struct ids {
        unsigned vendor, device, class_code, revision, subsystem_vendor, subsystem_device;
};

static void put16(unsigned char *config, unsigned offset, unsigned value)
{
        config[offset] = value & 0xff;
        config[offset + 1] = (value >> 8) & 0xff;
}

/* The 64 bytes a non-root reader sees: a type 0 (or, for bridges, type 1) header. */
static void write_config(struct gen *g, const char *dir, const struct ids *ids)
{
        unsigned char config[64] = { 0 };

        put16(config, 0x00, ids->vendor);
        put16(config, 0x02, ids->device);
        config[0x08] = (unsigned char)ids->revision;
        config[0x09] = ids->class_code & 0xff;
        config[0x0a] = (ids->class_code >> 8) & 0xff;
        config[0x0b] = (ids->class_code >> 16) & 0xff;
        config[0x0e] = (ids->class_code >> 8) == 0x0604 ? 0x01 : 0x00;
        put16(config, 0x2c, ids->subsystem_vendor);
        put16(config, 0x2e, ids->subsystem_device);
        gen_attr_bytes(g, dir, "config", config, sizeof(config));
}

/* The directory of function 0000:00:<slot>, and its bus/pci/devices entry. */
static void function_dir(struct gen *g, const char *slot, char *dir, size_t size)
{
        gen_format(dir, size, ROOT "/0000:00:%s", slot);
        gen_mkdir(g, dir);
        gen_link_here(g, "bus/pci/devices", dir);
}

static void write_identity(struct gen *g, const char *dir, const struct ids *ids)
{
        gen_attr(g, dir, "vendor", "0x%04x\n", ids->vendor);
        gen_attr(g, dir, "device", "0x%04x\n", ids->device);
        gen_attr(g, dir, "class", "0x%06x\n", ids->class_code);
        gen_attr(g, dir, "revision", "0x%02x\n", ids->revision);
        gen_attr(g, dir, "subsystem_vendor", "0x%04x\n", ids->subsystem_vendor);
        gen_attr(g, dir, "subsystem_device", "0x%04x\n", ids->subsystem_device);
}

/* Everything a live kernel shows for a function with a driver. */
static void healthy_function(struct gen *g, const char *slot, const struct ids *ids,
                             const char *driver, unsigned irq, char *dir, size_t size)
{
        char drivers[64];

        function_dir(g, slot, dir, size);
        write_identity(g, dir, ids);
        write_config(g, dir, ids);
        gen_attr(g, dir, "irq", "%u\n", irq);
        gen_attr(g, dir, "numa_node", "-1\n");
        gen_attr(g, dir, "uevent", "DRIVER=%s\nPCI_CLASS=%X\nPCI_ID=%04X:%04X\n"
                 "PCI_SLOT_NAME=0000:00:%s\n", driver, ids->class_code, ids->vendor,
                 ids->device, slot);
        gen_link(g, dir, "subsystem", "bus/pci");
        gen_format(drivers, sizeof(drivers), "bus/pci/drivers/%s", driver);
        gen_mkdir(g, drivers);
        gen_link(g, dir, "driver", drivers);
}

static void healthy_functions(struct gen *g)
{
        static const struct ids host = { 0x8086, 0x29c0, 0x060000, 0x02, 0x1af4, 0x1100 };
        static const struct ids display = { 0x1234, 0x1111, 0x030000, 0x02, 0x1af4, 0x1100 };
        static const struct ids sata = { 0x8086, 0x2922, 0x010601, 0x02, 0x1af4, 0x1100 };
        char dir[256];

        healthy_function(g, "00.0", &host, "agpgart-intel", 0, dir, sizeof(dir));
        healthy_function(g, "02.0", &display, "bochs-drm", 11, dir, sizeof(dir));
        gen_attr(g, dir, "boot_vga", "1\n");
        gen_attr(g, dir, "power_state", "D0\n");
        gen_attr(g, dir, "max_link_speed", "8.0 GT/s PCIe\n");
        gen_attr(g, dir, "max_link_width", "16\n");
        healthy_function(g, "17.0", &sata, "ahci", 16, dir, sizeof(dir));
}

static void broken_functions(struct gen *g)
{
        static const struct ids virtio_net = { 0x1af4, 0x1041, 0x020000, 0x01, 0x1af4, 0x1100 };
        static const struct ids missing = { 0x8086, 0x15b8, 0x020000, 0x10, 0x8086, 0x0000 };
        static const char *const attributes[] = { "vendor", "device", "class", "revision",
                                                  "subsystem_vendor", "subsystem_device" };
        char dir[256], path[300];

        /* 03.0: every identity file and the config space empty: nothing says what it is. */
        function_dir(g, "03.0", dir, sizeof(dir));
        for (size_t i = 0; i < sizeof(attributes) / sizeof(attributes[0]); i++)
                gen_attr_bytes(g, dir, attributes[i], "", 0);
        gen_attr_bytes(g, dir, "config", "", 0);

        /* 04.0: binary identity files; the config space tells who it is. Interface names
         * with a quote, a backslash, a newline, a comma and bytes that are not UTF-8. */
        function_dir(g, "04.0", dir, sizeof(dir));
        for (size_t i = 0; i < sizeof(attributes) / sizeof(attributes[0]); i++)
                hostile_binary_attr(g, dir, attributes[i]);
        write_config(g, dir, &virtio_net);
        gen_mkdir(g, ROOT "/0000:00:04.0/power");
        hostile_binary_attr(g, ROOT "/0000:00:04.0/power", "runtime_status");
        gen_mkdir(g, ROOT "/0000:00:04.0/net/eth\"0\\");
        gen_mkdir(g, ROOT "/0000:00:04.0/net/eth\n1");
        gen_mkdir(g, ROOT "/0000:00:04.0/net/a,b");
        gen_mkdir(g, ROOT "/0000:00:04.0/net/\xff\xfe");

        /* 05.0: valid identity, every optional attribute 1 MiB long. */
        function_dir(g, "05.0", dir, sizeof(dir));
        gen_attr(g, dir, "vendor", "0x8086\n");
        gen_attr(g, dir, "device", "0x1234\n");
        gen_attr(g, dir, "class", "0x0c0330\n");
        gen_attr(g, dir, "revision", "0x03\n");
        hostile_huge_attr(g, dir, "irq", "1", '1');
        hostile_huge_attr(g, dir, "numa_node", "0", '0');
        hostile_huge_attr(g, dir, "current_link_speed", "8.0 GT/s PCIe", ' ');
        hostile_huge_attr(g, dir, "current_link_width", "4", '4');
        gen_attr(g, dir, "max_link_speed", "8.0 GT/s PCIe\n");
        gen_attr(g, dir, "max_link_width", "4\n");
        gen_mkdir(g, ROOT "/0000:00:05.0/power");
        hostile_huge_attr(g, ROOT "/0000:00:05.0/power", "runtime_status", "active", ' ');

        /* 06.0: a 1 MiB vendor and no config space: not identified. */
        function_dir(g, "06.0", dir, sizeof(dir));
        hostile_huge_attr(g, dir, "vendor", "0x", '8');
        gen_attr(g, dir, "device", "0x1234\n");
        gen_attr(g, dir, "class", "0x020000\n");

        /* 07.0: a bridge whose other numbers are words, out of range or signed; its driver
         * link dangles and its IOMMU group link loops; it sits in a slot with a hostile name. */
        function_dir(g, "07.0", dir, sizeof(dir));
        gen_attr(g, dir, "vendor", "0x8086\n");
        gen_attr(g, dir, "device", "0x7a38\n");
        gen_attr(g, dir, "class", "0x060400\n");
        gen_attr(g, dir, "revision", "zz\n");
        gen_attr(g, dir, "subsystem_vendor", "0x1af4x\n");
        gen_attr(g, dir, "subsystem_device", "0x0001\n");
        gen_attr(g, dir, "irq", "eleven\n");
        gen_attr(g, dir, "numa_node", "-x\n");
        gen_attr(g, dir, "current_link_speed", "fast GT/s\n");
        gen_attr(g, dir, "max_link_speed", "Unknown\n");
        gen_attr(g, dir, "current_link_width", "999\n");
        gen_attr(g, dir, "max_link_width", "-4\n");
        gen_attr(g, dir, "secondary_bus_number", "abc\n");
        gen_attr(g, dir, "subordinate_bus_number", "300\n");
        gen_attr(g, dir, "sriov_totalvfs", "many\n");
        gen_attr(g, dir, "sriov_numvfs", "\n");
        hostile_raw_link(g, dir, "driver", "../../../bus/pci/drivers/gone");
        hostile_raw_link(g, dir, "iommu_group", "iommu_group");
        gen_format(path, sizeof(path), "bus/pci/slots/%s", "slot\"7\\");
        gen_mkdir(g, path);
        gen_attr(g, path, "address", "0000:00:07\n");

        /* 08.0: no identity files, no uevent, no subsystem link: only the config space. */
        function_dir(g, "08.0", dir, sizeof(dir));
        write_config(g, dir, &missing);

        /* Entries that lead nowhere, in circles, or twice to one function. */
        hostile_raw_link(g, "bus/pci/devices", "0000:00:09.0",
                         "../../../" ROOT "/0000:00:09.0");
        hostile_raw_link(g, "bus/pci/devices", "0000:00:0a.0", "0000:00:0a.0");
        hostile_raw_link(g, "bus/pci/devices", "00000:00:02.0",
                         "../../../" ROOT "/0000:00:02.0");
        gen_mkdir(g, ROOT "/0000:00:0B.0");
        gen_attr(g, ROOT "/0000:00:0B.0", "vendor", "0x8086\n");
        gen_attr(g, ROOT "/0000:00:0B.0", "device", "0x1234\n");
        gen_attr(g, ROOT "/0000:00:0B.0", "class", "0x020000\n");
        gen_link_here(g, "bus/pci/devices", ROOT "/0000:00:0B.0");
        hostile_raw_link(g, "bus/pci/devices", "no \"address\"\n", "../../../" ROOT);

        /* Slots whose address is binary or huge. */
        gen_mkdir(g, "bus/pci/slots/binary");
        hostile_binary_attr(g, "bus/pci/slots/binary", "address");
        gen_mkdir(g, "bus/pci/slots/huge");
        hostile_huge_attr(g, "bus/pci/slots/huge", "address", "0000:00:08", ' ');
}

void hostile_pci(struct gen *g)
{
        gen_mkdir(g, ROOT);
        gen_mkdir(g, "bus/pci/devices");
        gen_mkdir(g, "bus/pci/drivers");
        gen_mkdir(g, "bus/pci/slots");
        healthy_functions(g);
        broken_functions(g);
}
