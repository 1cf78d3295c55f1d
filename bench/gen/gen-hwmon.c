/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hwmon chips: `chips` chips of 8 features each, registered the modern way (attributes in
 * class/hwmon/hwmonN, the hwmon device below its parent device). Chip kinds in turn, so that
 * libsensors sees every bus type it parses and every feature type it knows:
 *   coretemp  platform coretemp.K        temp1-8 (label, max, crit, crit_alarm)
 *   nct6779   platform nct6775.K         in0-2, fan1-2, temp1-2, intrusion0
 *   ina3221   i2c B-00AA                 in1-2, curr1-2, power1-2, energy1, temp1
 *   amdgpu    PCI function               in0-1, fan1, temp1-3, power1, energy1
 *   sht3x     i2c B-00AA                 temp1-4, humidity1-4
 * Values are in the hwmon sysfs units: millidegrees, millivolts, milliamps, microwatts,
 * microjoules, milli-percent, RPM.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "sysfs-gen.h"

enum chip_kind { CHIP_CORETEMP, CHIP_NCT6779, CHIP_INA3221, CHIP_AMDGPU, CHIP_SHT3X, CHIP_KINDS };

struct hwmon_state {
        unsigned platform_id, i2c_clients, i2c_bus;
        char adapter[PATH_MAX]; /* the current i2c adapter, 96 clients each */
};

static void temp(struct gen *g, const char *dir, unsigned n, const char *label, bool alarm)
{
        char name[32];

        gen_format(name, sizeof(name), "temp%u_input", n);
        gen_attr(g, dir, name, "%lu\n", (unsigned long)gen_random_range(g, 25000, 70000));
        gen_format(name, sizeof(name), "temp%u_max", n);
        gen_attr(g, dir, name, "85000\n");
        gen_format(name, sizeof(name), "temp%u_crit", n);
        gen_attr(g, dir, name, "100000\n");
        if (label) {
                gen_format(name, sizeof(name), "temp%u_label", n);
                gen_attr(g, dir, name, "%s\n", label);
        }
        if (alarm) {
                gen_format(name, sizeof(name), "temp%u_crit_alarm", n);
                gen_attr(g, dir, name, "0\n");
        }
}

/* A feature with input, min, max and an optional label: in, curr, power, energy, humidity. */
static void reading(struct gen *g, const char *dir, const char *type, unsigned n,
                    const char *label, uint64_t lo, uint64_t hi, bool limits)
{
        char name[48];

        gen_format(name, sizeof(name), "%s%u_input", type, n);
        gen_attr(g, dir, name, "%lu\n", (unsigned long)gen_random_range(g, lo, hi));
        if (limits) {
                gen_format(name, sizeof(name), "%s%u_min", type, n);
                gen_attr(g, dir, name, "%lu\n", (unsigned long)(lo / 2));
                gen_format(name, sizeof(name), "%s%u_max", type, n);
                gen_attr(g, dir, name, "%lu\n", (unsigned long)(hi * 2));
        }
        if (label) {
                gen_format(name, sizeof(name), "%s%u_label", type, n);
                gen_attr(g, dir, name, "%s\n", label);
        }
}

static void platform_device(struct gen *g, struct hwmon_state *st, const char *driver, char *buf,
                            size_t size)
{
        char bus_link[64];

        gen_format(buf, size, "devices/platform/%s.%u", driver, st->platform_id++);
        gen_mkdir(g, buf);
        gen_attr(g, buf, "uevent", "DRIVER=%s\nMODALIAS=platform:%s\n", driver, driver);
        gen_attr(g, buf, "modalias", "platform:%s\n", driver);
        gen_link(g, buf, "subsystem", "bus/platform");
        gen_format(bus_link, sizeof(bus_link), "bus/platform/drivers/%s", driver);
        gen_mkdir(g, bus_link);
        gen_link(g, buf, "driver", bus_link);
        gen_link_here(g, "bus/platform/devices", buf);
}

/* i2c clients are named <bus>-<4-hex-digit address>; 96 per adapter, addresses 0x10-0x6f. */
static void i2c_device(struct gen *g, struct hwmon_state *st, const char *driver, char *buf,
                       size_t size)
{
        unsigned address = 0x10 + st->i2c_clients % 96;

        if (st->i2c_clients++ % 96 == 0) {
                unsigned bus = st->i2c_bus++;

                gen_format(st->adapter, sizeof(st->adapter),
                         "devices/platform/i2c_designware.%u/i2c-%u", bus, bus);
                gen_mkdir(g, st->adapter);
                gen_attr(g, st->adapter, "name", "Synopsys DesignWare I2C adapter\n");
                gen_attr_bytes(g, st->adapter, "uevent", "", 0);
                gen_link(g, st->adapter, "subsystem", "bus/i2c");
                gen_link_here(g, "bus/i2c/devices", st->adapter);
                gen_link_here(g, "class/i2c-adapter", st->adapter);
        }
        gen_format(buf, size, "%s/%u-%04x", st->adapter, st->i2c_bus - 1, address);
        gen_mkdir(g, buf);
        gen_attr(g, buf, "name", "%s\n", driver);
        gen_attr(g, buf, "uevent", "DRIVER=%s\nMODALIAS=i2c:%s\n", driver, driver);
        gen_attr(g, buf, "modalias", "i2c:%s\n", driver);
        gen_link(g, buf, "subsystem", "bus/i2c");
        gen_link_here(g, "bus/i2c/devices", buf);
}

static void write_chip(struct gen *g, struct hwmon_state *st, unsigned index)
{
        char parent[PATH_MAX], dir[PATH_MAX + 32], label[32];
        enum chip_kind kind = index % CHIP_KINDS;
        static const char *const names[CHIP_KINDS] = { "coretemp", "nct6779", "ina3221", "amdgpu",
                                                       "sht3x" };

        switch (kind) {
        case CHIP_CORETEMP:
                platform_device(g, st, "coretemp", parent, sizeof(parent));
                break;
        case CHIP_NCT6779:
                platform_device(g, st, "nct6775", parent, sizeof(parent));
                break;
        case CHIP_INA3221:
        case CHIP_SHT3X:
                i2c_device(g, st, names[kind], parent, sizeof(parent));
                break;
        case CHIP_AMDGPU:
        default:
                gen_bare_pci_function(g, 0x1002, 0x73bf, 0x030000, "amdgpu", parent,
                                      sizeof(parent));
                break;
        }
        gen_format(dir, sizeof(dir), "%s/hwmon/hwmon%u", parent, index);
        gen_mkdir(g, dir);
        gen_attr(g, dir, "name", "%s\n", names[kind]);
        gen_attr_bytes(g, dir, "uevent", "", 0);
        gen_link(g, dir, "subsystem", "class/hwmon");
        gen_link(g, dir, "device", parent);
        gen_link_here(g, "class/hwmon", dir);

        switch (kind) {
        case CHIP_CORETEMP:
                temp(g, dir, 1, "Package id 0", true);
                for (unsigned core = 0; core < 7; core++) {
                        gen_format(label, sizeof(label), "Core %u", core);
                        temp(g, dir, core + 2, label, true);
                }
                break;
        case CHIP_NCT6779:
                reading(g, dir, "in", 0, "Vcore", 800, 1400, true);
                reading(g, dir, "in", 1, NULL, 1000, 1100, true);
                reading(g, dir, "in", 2, "AVCC", 3200, 3400, true);
                reading(g, dir, "fan", 1, NULL, 600, 2400, false);
                gen_attr(g, dir, "fan1_min", "300\n");
                reading(g, dir, "fan", 2, NULL, 600, 2400, false);
                gen_attr(g, dir, "fan2_min", "300\n");
                temp(g, dir, 1, "SYSTIN", false);
                temp(g, dir, 2, "CPUTIN", false);
                gen_attr(g, dir, "intrusion0_alarm", "0\n");
                break;
        case CHIP_INA3221:
                reading(g, dir, "in", 1, "VBUS1", 11800, 12200, true);
                reading(g, dir, "in", 2, "VBUS2", 4900, 5100, true);
                reading(g, dir, "curr", 1, NULL, 100, 3000, true);
                reading(g, dir, "curr", 2, NULL, 100, 3000, true);
                reading(g, dir, "power", 1, NULL, 1000000, 30000000, false);
                gen_attr(g, dir, "power1_max", "60000000\n");
                gen_attr(g, dir, "power1_crit", "80000000\n");
                reading(g, dir, "power", 2, NULL, 1000000, 15000000, false);
                gen_attr(g, dir, "power2_max", "30000000\n");
                reading(g, dir, "energy", 1, NULL, 1000000000, 9000000000ull, false);
                temp(g, dir, 1, NULL, false);
                break;
        case CHIP_AMDGPU:
                reading(g, dir, "in", 0, "vddgfx", 700, 1200, false);
                reading(g, dir, "in", 1, "vddnb", 700, 1000, false);
                reading(g, dir, "fan", 1, NULL, 0, 3300, false);
                gen_attr(g, dir, "fan1_min", "0\n");
                gen_attr(g, dir, "fan1_max", "3300\n");
                temp(g, dir, 1, "edge", false);
                temp(g, dir, 2, "junction", false);
                temp(g, dir, 3, "mem", false);
                reading(g, dir, "power", 1, "PPT", 10000000, 250000000, false);
                gen_attr(g, dir, "power1_cap", "255000000\n");
                reading(g, dir, "energy", 1, NULL, 1000000, 900000000, false);
                break;
        case CHIP_SHT3X:
        default:
                for (unsigned n = 1; n <= 4; n++) {
                        temp(g, dir, n, NULL, false);
                        reading(g, dir, "humidity", n, NULL, 20000, 80000, false);
                }
                break;
        }
}

int gen_hwmon(struct gen *g, unsigned chips)
{
        struct hwmon_state st = { .platform_id = 0 };

        gen_mkdir(g, "class/hwmon");
        gen_mkdir(g, "class/i2c-adapter");
        gen_mkdir(g, "bus/i2c/devices");
        gen_mkdir(g, "bus/platform/devices");
        for (unsigned i = 0; i < chips && g->error == 0; i++)
                write_chip(g, &st, i);
        return g->error;
}
