/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PCI functions: `count` functions in bus/pci/devices (what lspci lists), in the topology of a
 * server: per domain a host bridge, up to 248 root ports (devices 1-31 of bus 0, 8 functions
 * each), and behind each root port one card on its own bus: a 4-port NIC, an NVMe drive, a GPU
 * with its audio function, an AHCI controller or an xHCI controller, in turn. About 750
 * functions per domain; more domains as needed.
 *
 * Each function: vendor, device, class, revision, subsystem_vendor, subsystem_device, a 64-byte
 * `config` (what a non-root reader sees) holding the same IDs, numa_node, irq, link speed and
 * width, resource, uevent, modalias, and the links subsystem, driver, iommu_group.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "sysfs-gen.h"

struct pci_function_type {
        unsigned vendor, device, class_code, revision, subsystem_vendor, subsystem_device;
        const char *driver;     /* NULL: no driver bound */
        const char *link_speed; /* NULL: not a PCIe function with a link (host bridge) */
        unsigned link_width;
};

static const struct pci_function_type host_bridge = {
        0x8086, 0x09a2, 0x060000, 0x04, 0x8086, 0x0000, NULL, NULL, 0 };
static const struct pci_function_type root_port = {
        0x8086, 0x347a, 0x060400, 0x04, 0x8086, 0x0000, "pcieport", "16.0 GT/s PCIe", 16 };

/* The cards behind root ports, in turn; a card is its consecutive functions. */
static const struct {
        struct pci_function_type function;
        unsigned functions;
} cards[] = {
        { { 0x8086, 0x1572, 0x020000, 0x02, 0x8086, 0x0001, "i40e", "8.0 GT/s PCIe", 8 }, 4 },
        { { 0x144d, 0xa80a, 0x010802, 0x00, 0x144d, 0xa801, "nvme", "16.0 GT/s PCIe", 4 }, 1 },
        { { 0x10de, 0x2684, 0x030000, 0xa1, 0x1043, 0x889d, "nouveau", "16.0 GT/s PCIe", 16 }, 1 },
        { { 0x10de, 0x22ba, 0x040300, 0xa1, 0x1043, 0x889d, "snd_hda_intel", "16.0 GT/s PCIe", 16 },
          1 },
        { { 0x8086, 0xa352, 0x010601, 0x10, 0x1028, 0x0a7e, "ahci", "8.0 GT/s PCIe", 1 }, 1 },
        { { 0x1022, 0x15b6, 0x0c0330, 0x00, 0x1022, 0x15b6, "xhci_hcd", "8.0 GT/s PCIe", 4 }, 1 },
};
#define CARD_COUNT (sizeof(cards) / sizeof(cards[0]))

struct pci_state {
        unsigned made, count, iommu_group;
};

static void put16(unsigned char *config, unsigned offset, unsigned value)
{
        config[offset] = value & 0xff;
        config[offset + 1] = (value >> 8) & 0xff;
}

static void put32(unsigned char *config, unsigned offset, uint32_t value)
{
        put16(config, offset, value & 0xffff);
        put16(config, offset + 2, value >> 16);
}

/* The standard header (PCI Local Bus 3.0, 6.1): type 0 for endpoints, type 1 for bridges. */
static void make_config(unsigned char config[64], const struct pci_function_type *t,
                        bool multifunction, unsigned bus, unsigned secondary, unsigned irq,
                        uint32_t bar)
{
        bool bridge = (t->class_code >> 8) == 0x0604;

        memset(config, 0, 64);
        put16(config, 0x00, t->vendor);
        put16(config, 0x02, t->device);
        put16(config, 0x04, 0x0406);    /* memory space, bus master, INTx disabled */
        put16(config, 0x06, 0x0010);    /* capabilities list present */
        config[0x08] = (unsigned char)t->revision;
        config[0x09] = t->class_code & 0xff;            /* prog-if */
        config[0x0a] = (t->class_code >> 8) & 0xff;     /* subclass */
        config[0x0b] = (t->class_code >> 16) & 0xff;    /* base class */
        config[0x0e] = (unsigned char)((bridge ? 0x01 : 0x00) | (multifunction ? 0x80 : 0));
        config[0x34] = 0x40;            /* capabilities start past what non-root can read */
        config[0x3c] = irq & 0xff;
        config[0x3d] = 1;               /* INTA# */
        if (bridge) {
                config[0x18] = (unsigned char)bus;
                config[0x19] = (unsigned char)secondary;
                config[0x1a] = (unsigned char)secondary;
                put32(config, 0x20, (bar >> 16) | ((bar + 0x00f00000) & 0xfff00000));
        } else {
                put32(config, 0x10, bar);
                put16(config, 0x2c, t->subsystem_vendor);
                put16(config, 0x2e, t->subsystem_device);
        }
}

static void write_function(struct gen *g, struct pci_state *st, const char *path,
                           const struct pci_function_type *t, unsigned domain, unsigned bus,
                           unsigned slot, unsigned function, bool multifunction,
                           unsigned secondary, unsigned iommu_group)
{
        char address[16], group[64], driver[PATH_MAX];
        unsigned char config[64];
        unsigned irq = 16 + st->made % 200;
        uint32_t bar = 0x80000000u + (st->made % 4096) * 0x100000u;

        gen_format(address, sizeof(address), "%04x:%02x:%02x.%x", domain, bus, slot, function);
        gen_mkdir(g, path);
        gen_attr(g, path, "vendor", "0x%04x\n", t->vendor);
        gen_attr(g, path, "device", "0x%04x\n", t->device);
        gen_attr(g, path, "class", "0x%06x\n", t->class_code);
        gen_attr(g, path, "revision", "0x%02x\n", t->revision);
        gen_attr(g, path, "subsystem_vendor", "0x%04x\n", t->subsystem_vendor);
        gen_attr(g, path, "subsystem_device", "0x%04x\n", t->subsystem_device);
        make_config(config, t, multifunction, bus, secondary, irq, bar);
        gen_attr_bytes(g, path, "config", config, sizeof(config));
        gen_attr(g, path, "numa_node", "%u\n", domain % 2);
        gen_attr(g, path, "local_cpulist", "0-1\n");
        gen_attr(g, path, "irq", "%u\n", irq);
        gen_attr(g, path, "enable", "1\n");
        gen_attr(g, path, "power_state", "D0\n");
        gen_attr(g, path, "d3cold_allowed", "1\n");
        gen_attr(g, path, "modalias", "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n", t->vendor,
                 t->device, t->subsystem_vendor, t->subsystem_device, t->class_code >> 16,
                 (t->class_code >> 8) & 0xff, t->class_code & 0xff);
        /* One line per resource: 6 BARs, the ROM, 4 bridge windows, 6 SR-IOV BARs. */
        {
                char resource[17 * 60];
                size_t pos = 0;

                for (unsigned i = 0; i < 17; i++) {
                        bool used = i == 0;

                        pos += (size_t)snprintf(resource + pos, sizeof(resource) - pos,
                                                "0x%016x 0x%016x 0x%016x\n", used ? bar : 0,
                                                used ? bar + 0xfffffu : 0, used ? 0x40200u : 0);
                }
                gen_attr_bytes(g, path, "resource", resource, pos);
        }
        if (t->link_speed) {
                gen_attr(g, path, "current_link_speed", "%s\n", t->link_speed);
                gen_attr(g, path, "current_link_width", "%u\n", t->link_width);
                gen_attr(g, path, "max_link_speed", "%s\n", t->link_speed);
                gen_attr(g, path, "max_link_width", "%u\n", t->link_width);
        }
        gen_attr(g, path, "uevent", "%s%s%sPCI_CLASS=%X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\n"
                 "PCI_SLOT_NAME=%s\nMODALIAS=pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
                 t->driver ? "DRIVER=" : "", t->driver ? t->driver : "", t->driver ? "\n" : "",
                 t->class_code, t->vendor, t->device, t->subsystem_vendor, t->subsystem_device,
                 address, t->vendor, t->device, t->subsystem_vendor, t->subsystem_device,
                 t->class_code >> 16, (t->class_code >> 8) & 0xff, t->class_code & 0xff);
        gen_link(g, path, "subsystem", "bus/pci");
        gen_link(g, "bus/pci/devices", address, path);
        gen_format(group, sizeof(group), "kernel/iommu_groups/%u", iommu_group);
        gen_mkdir(g, group);
        gen_link(g, path, "iommu_group", group);
        gen_format(group, sizeof(group), "kernel/iommu_groups/%u/devices", iommu_group);
        gen_mkdir(g, group);
        gen_link(g, group, address, path);
        if (t->driver) {
                gen_format(driver, sizeof(driver), "bus/pci/drivers/%s", t->driver);
                gen_link(g, path, "driver", driver);
                gen_link(g, driver, address, path);
        }
        st->made++;
}

static void make_drivers(struct gen *g)
{
        char driver[PATH_MAX], module[PATH_MAX];

        for (unsigned i = 0; i <= CARD_COUNT; i++) {
                const char *name = i < CARD_COUNT ? cards[i].function.driver : root_port.driver;

                gen_format(driver, sizeof(driver), "bus/pci/drivers/%s", name);
                gen_format(module, sizeof(module), "module/%s", name);
                gen_mkdir(g, driver);
                gen_mkdir(g, module);
                gen_link(g, driver, "module", module);
        }
}

int gen_pci(struct gen *g, unsigned count)
{
        struct pci_state st = { .count = count };
        unsigned card = 0;

        gen_mkdir(g, "bus/pci/devices");
        gen_mkdir(g, "kernel/iommu_groups");
        make_drivers(g);
        for (unsigned domain = 0; st.made < count && g->error == 0; domain++) {
                char root[64], path[PATH_MAX];

                gen_format(root, sizeof(root), "devices/pci%04x:00", domain);
                gen_format(path, sizeof(path), "%s/%04x:00:00.0", root, domain);
                write_function(g, &st, path, &host_bridge, domain, 0, 0, 0, false, 0,
                               st.iommu_group++);
                for (unsigned port = 0; port < 248 && st.made < count && g->error == 0; port++) {
                        unsigned slot = 1 + port / 8, function = port % 8, bus = port + 1;
                        char port_path[PATH_MAX];
                        unsigned functions = cards[card].functions, group = st.iommu_group + 1;

                        gen_format(port_path, sizeof(port_path), "%s/%04x:00:%02x.%x", root, domain,
                                 slot, function);
                        write_function(g, &st, port_path, &root_port, domain, 0, slot, function,
                                       true, bus, st.iommu_group);
                        st.iommu_group += 2;
                        /* A GPU's audio function is the next entry of cards[]. */
                        bool gpu = cards[card].function.class_code == 0x030000;
                        for (unsigned f = 0; f < functions + gpu && st.made < count; f++) {
                                const struct pci_function_type *t =
                                        &cards[gpu && f == 1 ? card + 1 : card].function;

                                gen_format(path, sizeof(path), "%s/%04x:%02x:00.%x", port_path,
                                         domain, bus, f);
                                write_function(g, &st, path, t, domain, bus, 0, f,
                                               functions + gpu > 1, 0, group);
                        }
                        card = (card + 1 + gpu) % CARD_COUNT;
                }
        }
        return g->error;
}
