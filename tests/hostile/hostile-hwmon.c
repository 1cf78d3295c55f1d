/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hwmon chips, each in class/hwmon. Healthy: "healthy" on the platform device healthy.0
 * (healthy-isa-0000: temp1 42 °C labelled CPU, in0 1.2 V, fan1 1500 RPM). Broken:
 *   hwmon1  "hostile" (virtual): inputs empty, binary, huge, words, NaN, -1e400, 1e20, "12abc"
 *   hwmon2  "labels" (virtual): labels with a quote and backslash, newlines, a NUL, bytes that
 *           are not UTF-8, 1 MiB, empty, control bytes
 *   hwmon3  a chip name with a quote and backslash; hwmon4 one that is not UTF-8
 *   hwmon5, hwmon6  two chips of the same name ("twin-virtual-0")
 *   hwmon7  a platform device without subsystem link and uevent ("nosub-isa-0000")
 *   hwmon8  a device link that dangles ("dangle-isa-0000")
 *   hwmon9  an empty name, hwmon10 none at all: libsensors skips both
 *   hwmon11 a class link that dangles, hwmon12 one that loops
 */
#include <stdio.h>
#include <string.h>

#include "hostile-tree.h"

/* A chip's directory below `parent`, its class/hwmon link and its name (NULL: no name file). */
static void chip_dir(struct gen *g, const char *parent, unsigned index, const char *name,
                     char *dir, size_t size)
{
        gen_format(dir, size, "%s/hwmon/hwmon%u", parent, index);
        gen_mkdir(g, dir);
        if (name)
                gen_attr(g, dir, "name", "%s\n", name);
        gen_link(g, dir, "subsystem", "class/hwmon");
        gen_link_here(g, "class/hwmon", dir);
}

static void virtual_chip(struct gen *g, unsigned index, const char *name, char *dir, size_t size)
{
        char parent[64];

        gen_format(parent, sizeof(parent), "devices/virtual/hwmon%u", index);
        gen_mkdir(g, parent);
        chip_dir(g, parent, index, name, dir, size);
}

static void healthy_chip(struct gen *g)
{
        const char *parent = "devices/platform/healthy.0";
        char dir[256];

        gen_mkdir(g, parent);
        gen_attr(g, parent, "uevent", "DRIVER=healthy\nMODALIAS=platform:healthy\n");
        gen_link(g, parent, "subsystem", "bus/platform");
        gen_mkdir(g, "bus/platform/drivers/healthy");
        gen_link(g, parent, "driver", "bus/platform/drivers/healthy");
        chip_dir(g, parent, 0, "healthy", dir, sizeof(dir));
        gen_link(g, dir, "device", parent);
        gen_attr(g, dir, "temp1_input", "42000\n");
        gen_attr(g, dir, "temp1_max", "80000\n");
        gen_attr(g, dir, "temp1_crit", "100000\n");
        gen_attr(g, dir, "temp1_label", "CPU\n");
        gen_attr(g, dir, "in0_input", "1200\n");
        gen_attr(g, dir, "in0_min", "1000\n");
        gen_attr(g, dir, "in0_max", "1400\n");
        gen_attr(g, dir, "fan1_input", "1500\n");
}

static void broken_readings(struct gen *g)
{
        char dir[256];

        virtual_chip(g, 1, "hostile", dir, sizeof(dir));
        gen_attr_bytes(g, dir, "temp1_input", "", 0);
        hostile_binary_attr(g, dir, "temp2_input");
        hostile_huge_attr(g, dir, "temp3_input", "1", '0');
        gen_attr(g, dir, "temp4_input", "abc\n");
        gen_attr(g, dir, "temp5_input", "nan\n");
        gen_attr(g, dir, "temp6_input", "-1e400\n");
        gen_attr(g, dir, "temp7_input", "99999999999999999999\n");
        gen_attr(g, dir, "in0_input", "12abc\n");
        /* A limit that is no number next to a reading that is fine. */
        gen_attr(g, dir, "in1_input", "3300\n");
        gen_attr(g, dir, "in1_max", "high\n");
}

static void broken_labels(struct gen *g)
{
        static const struct {
                const char *label;
                size_t len;
        } labels[] = {
                { "Quote \" and \\ back\n", 0 },
                { "line1\nline2\n", 0 },
                { "nul\0hidden\n", 11 },
                { "bad \xff\xfe utf8\n", 0 },
                { NULL, 0 }, /* 1 MiB */
                { "", 0 },
                { "\ttab\x01" "ctl\x7f\n", 0 },
        };
        char dir[256], name[32];

        virtual_chip(g, 2, "labels", dir, sizeof(dir));
        for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
                gen_format(name, sizeof(name), "temp%zu_input", i + 1);
                gen_attr(g, dir, name, "%zu000\n", i + 1);
                gen_format(name, sizeof(name), "temp%zu_label", i + 1);
                if (!labels[i].label)
                        hostile_huge_attr(g, dir, name, "L", 'L');
                else
                        gen_attr_bytes(g, dir, name, labels[i].label,
                                       labels[i].len ? labels[i].len : strlen(labels[i].label));
        }
}

static void broken_chips(struct gen *g)
{
        char dir[256];

        virtual_chip(g, 3, "q\"b\\s", dir, sizeof(dir));
        gen_attr(g, dir, "temp1_input", "3000\n");
        virtual_chip(g, 4, "\xff\xfe", dir, sizeof(dir));
        gen_attr(g, dir, "temp1_input", "4000\n");

        virtual_chip(g, 5, "twin", dir, sizeof(dir));
        gen_attr(g, dir, "temp1_input", "5000\n");
        virtual_chip(g, 6, "twin", dir, sizeof(dir));
        gen_attr(g, dir, "temp1_input", "6000\n");

        gen_mkdir(g, "devices/platform/nosub.0");
        chip_dir(g, "devices/platform/nosub.0", 7, "nosub", dir, sizeof(dir));
        gen_link(g, dir, "device", "devices/platform/nosub.0");
        gen_attr(g, dir, "temp1_input", "7000\n");

        gen_mkdir(g, "devices/platform/dangle.0");
        chip_dir(g, "devices/platform/dangle.0", 8, "dangle", dir, sizeof(dir));
        hostile_raw_link(g, dir, "device", "../../../gone.0");
        gen_attr(g, dir, "temp1_input", "8000\n");

        virtual_chip(g, 9, NULL, dir, sizeof(dir));
        gen_attr_bytes(g, dir, "name", "", 0);
        gen_attr(g, dir, "temp1_input", "9000\n");
        virtual_chip(g, 10, NULL, dir, sizeof(dir));
        gen_attr(g, dir, "temp1_input", "10000\n");

        hostile_raw_link(g, "class/hwmon", "hwmon11", "../../devices/virtual/hwmon11/hwmon/hwmon11");
        hostile_raw_link(g, "class/hwmon", "hwmon12", "hwmon12");
}

void hostile_hwmon(struct gen *g)
{
        gen_mkdir(g, "class/hwmon");
        gen_mkdir(g, "bus/platform/devices");
        healthy_chip(g);
        broken_readings(g);
        broken_labels(g);
        broken_chips(g);
}

/* libsensors 3.6 takes the bus type from the last component of the device's subsystem link,
 * found with strrchr(target, '/') + 1: a target without '/' makes it read address 1. The kernel
 * never writes such a link; a tree under umockdev can. */
void hostile_hwmon_unwalkable(struct gen *g)
{
        char dir[256];

        gen_mkdir(g, "devices/platform/slashless.0");
        chip_dir(g, "devices/platform/slashless.0", 20, "slashless", dir, sizeof(dir));
        gen_link(g, dir, "device", "devices/platform/slashless.0");
        hostile_raw_link(g, "devices/platform/slashless.0", "subsystem", "platform");
        gen_attr(g, dir, "temp1_input", "20000\n");
}
