/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PCI functions from bus/pci/devices: IDs, class and revision from one 64-byte read of `config`
 * (the measurement: one read instead of seven attribute files), then NUMA node, IRQ,
 * IOMMU group, driver and the link speed and width.
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
        char max_speed[32] = "", max_width[8] = "";
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
        floor_read(fd, "numa_node", numa, sizeof(numa));
        floor_read(fd, "irq", irq, sizeof(irq));
        floor_link_name(fd, "iommu_group", group, sizeof(group));
        floor_link_name(fd, "driver", driver, sizeof(driver));
        floor_read(fd, "current_link_speed", speed, sizeof(speed));
        floor_read(fd, "current_link_width", width, sizeof(width));
        floor_read(fd, "max_link_speed", max_speed, sizeof(max_speed));
        floor_read(fd, "max_link_width", max_width, sizeof(max_width));
        if (check) {
                char text[16];
                unsigned long file_vendor = 0, file_device = 0, file_class = 0;

                if (floor_read(fd, "vendor", text, sizeof(text)) > 0)
                        file_vendor = strtoul(text, NULL, 16);
                if (floor_read(fd, "device", text, sizeof(text)) > 0)
                        file_device = strtoul(text, NULL, 16);
                if (floor_read(fd, "class", text, sizeof(text)) > 0)
                        file_class = strtoul(text, NULL, 16);
                bad = n != 64 || file_vendor != vendor || file_device != device ||
                      file_class != class_code || !*group || !*numa;
                if (bad)
                        fprintf(stderr, "sysfs-floor: pci %s: config and attributes disagree\n",
                                address);
        }
        close(fd);
        floor_record("%s %04x:%04x class=%06x rev=%02x subsys=%04x:%04x header=%u numa=%s irq=%s "
                     "iommu_group=%s driver=%s link=%s x%s max=%s x%s", address, vendor, device,
                     class_code, config[0x08], header ? 0 : get16(config, 0x2c),
                     header ? 0 : get16(config, 0x2e), header, numa, irq, group, driver, speed,
                     width, max_speed, max_width);
        return bad;
}

int floor_pci(int sys_fd, bool check)
{
        return floor_walk(sys_fd, "bus/pci/devices", read_function, check);
}
