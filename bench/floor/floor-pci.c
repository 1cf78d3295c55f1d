/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PCI functions from bus/pci/devices, the files hwglue reads for all of Linux_PCIDevice's
 * properties on a generated tree: the class file, IDs and revision from one read of `config`
 * (one read instead of five attribute files), the power state files, the subsystem files of a
 * bridge, the driver and module links, NUMA node, IOMMU group, IRQ, the entry's own link (the
 * sysfs path and parent bridge), the link speed and width, the SR-IOV and AER files (absent in
 * the generated tree: an open that fails costs the same as the one hwglue makes), and the
 * resource file with its BARs, ROM and bridge windows. Names are not looked up.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floor.h"

static unsigned get16(const unsigned char *config, unsigned offset)
{
        return config[offset] | (unsigned)config[offset + 1] << 8;
}

static int read_function(int devices_fd, const char *address, bool check)
{
        int fd = openat(devices_fd, address, O_RDONLY | O_DIRECTORY | O_CLOEXEC), bad = 0;
        unsigned char config[64] = { 0 };
        char numa[16] = "", irq[16] = "", group[32], driver[64], speed[32] = "", width[8] = "";
        char max_speed[32] = "", max_width[8] = "", runtime[32] = "", power[16] = "";
        char module[64] = "", text[512], resource[2048];
        unsigned long long bar0 = 0;
        unsigned vendor, device, class_code, header;
        int config_fd;
        ssize_t n = -1;

        if (fd < 0)
                return check;
        config_fd = openat(fd, "config", O_RDONLY | O_CLOEXEC);
        if (config_fd >= 0) {
                n = read(config_fd, config, sizeof(config));
                close(config_fd);
        }
        vendor = get16(config, 0x00);
        device = get16(config, 0x02);
        class_code = (unsigned)config[0x0b] << 16 | (unsigned)config[0x0a] << 8 | config[0x09];
        header = config[0x0e] & 0x7f;
        floor_read(fd, "class", text, sizeof(text));
        floor_read(fd, "power/runtime_status", runtime, sizeof(runtime));
        floor_read(fd, "power_state", power, sizeof(power));
        if (header) {
                floor_read(fd, "subsystem_vendor", text, sizeof(text));
                floor_read(fd, "subsystem_device", text, sizeof(text));
        }
        floor_read(fd, "numa_node", numa, sizeof(numa));
        floor_read(fd, "irq", irq, sizeof(irq));
        floor_link_name(fd, "iommu_group", group, sizeof(group));
        floor_link_name(fd, "driver", driver, sizeof(driver));
        floor_link_name(fd, "driver/module", module, sizeof(module));
        floor_link_name(devices_fd, address, text, sizeof(text));
        floor_read(fd, "current_link_speed", speed, sizeof(speed));
        floor_read(fd, "current_link_width", width, sizeof(width));
        floor_read(fd, "max_link_speed", max_speed, sizeof(max_speed));
        floor_read(fd, "max_link_width", max_width, sizeof(max_width));
        floor_read(fd, "sriov_totalvfs", text, sizeof(text));
        floor_read(fd, "aer_dev_correctable", text, sizeof(text));
        if (floor_read(fd, "resource", resource, sizeof(resource)) > 0)
                sscanf(resource, "%llx", &bar0);
        if (check) {
                char id_text[16];
                unsigned long file_vendor = 0, file_device = 0, file_class = 0;

                if (floor_read(fd, "vendor", id_text, sizeof(id_text)) > 0)
                        file_vendor = strtoul(id_text, NULL, 16);
                if (floor_read(fd, "device", id_text, sizeof(id_text)) > 0)
                        file_device = strtoul(id_text, NULL, 16);
                if (floor_read(fd, "class", id_text, sizeof(id_text)) > 0)
                        file_class = strtoul(id_text, NULL, 16);
                bad = n != 64 || file_vendor != vendor || file_device != device ||
                      file_class != class_code || !*group || !*numa;
                if (bad)
                        fprintf(stderr, "sysfs-floor: pci %s: config and attributes disagree\n",
                                address);
        }
        close(fd);
        floor_record("%s %04x:%04x class=%06x rev=%02x subsys=%04x:%04x header=%u numa=%s irq=%s "
                     "iommu_group=%s driver=%s module=%s link=%s x%s max=%s x%s power=%s %s "
                     "bar0=%llx", address, vendor, device, class_code, config[0x08],
                     header ? 0 : get16(config, 0x2c), header ? 0 : get16(config, 0x2e), header,
                     numa, irq, group, driver, module, speed, width, max_speed, max_width, power,
                     runtime, bar0);
        return bad;
}

int floor_pci(int sys_fd, bool check)
{
        return floor_walk(sys_fd, "bus/pci/devices", read_function, check);
}
