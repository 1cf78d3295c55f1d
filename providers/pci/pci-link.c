/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The PCI Express link: speed and width, negotiated and maximum, and whether it trained below
 * its maximum. The kernel shows them in current_link_speed, max_link_speed and the two width
 * files (from its own reads of the Link Status and Link Capabilities registers) for every PCIe
 * function; a tree recorded without them has the registers in config space, through libpci.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sysfs-read.h"
#include "pci-function.h"

/* PCI Express Capabilities register, device/port type (include/uapi/linux/pci_regs.h). */
#define PCI_EXP_TYPE_ROOT_PORT 0x4
#define PCI_EXP_TYPE_DOWNSTREAM 0x6
#define PCI_EXP_TYPE_PCIE_BRIDGE 0x8 /* PCI/PCI-X to PCI Express */

struct link_end {
        bool has_speed, has_width;
        uint32_t speed_tenths; /* GT/s x 10: 25, 50, 80, 160, ... */
        uint64_t width;
};

/* "8.0 GT/s PCIe" (or "8 GT/s" from kernels before 5.2) -> 80; "Unknown" -> false. */
static bool parse_link_speed(const char *text, uint32_t *ret)
{
        char *end;
        double speed = strtod(text, &end);

        if (end == text || speed <= 0 || speed > 1000 || strncmp(end, " GT/s", 5) != 0)
                return false;
        *ret = (uint32_t)(speed * 10 + 0.5);
        return true;
}

/* PCIe Link Capabilities / Status speed encodings, in tenths of GT/s. */
static uint32_t speed_of_code(uint8_t code)
{
        static const uint32_t speeds[] = { 0, 25, 50, 80, 160, 320, 640 };

        return code < sizeof(speeds) / sizeof(speeds[0]) ? speeds[code] : 0;
}

/* One end (negotiated or maximum) from the kernel's files, or from the registers where a
 * recorded tree lacks the files. On the kernel's own sysfs, no files means no PCIe link. */
static void read_link_end(struct pci_function *f, bool current, struct link_end *end)
{
        const char *speed_file = current ? "current_link_speed" : "max_link_speed";
        const char *width_file = current ? "current_link_width" : "max_link_width";
        const struct pci_caps *caps;
        char text[64];
        int speed_r, width_r;

        if (f->no_link_files) {
                speed_r = width_r = -ENOENT;
                goto fallback;
        }
        speed_r = sysfs_read_attr(f->fd, speed_file, text, sizeof(text));
        if (speed_r >= 0)
                end->has_speed = parse_link_speed(text, &end->speed_tenths);
        else
                pci_function_note_read_error(f, speed_file, speed_r);
        /* The kernel shows the four files as one attribute group, for every PCIe function:
         * on its sysfs, without current_link_speed there are none (three opens saved on the
         * others). A made tree may hold some of them. */
        if (current && speed_r == -ENOENT && f->scan->live_sysfs)
                f->no_link_files = true;
        if (f->no_link_files)
                width_r = -ENOENT;
        else
                width_r = sysfs_read_uint64(f->fd, width_file, &end->width);
        if (width_r >= 0)
                end->has_width = end->width <= 32;
        else
                pci_function_note_read_error(f, width_file, width_r);
fallback:
        if ((speed_r != -ENOENT && width_r != -ENOENT) || f->scan->live_sysfs)
                return;
        caps = pci_function_caps(f);
        if (!caps || !caps->has_express)
                return;
        if (speed_r == -ENOENT) {
                end->speed_tenths = speed_of_code(current ? caps->current_speed : caps->max_speed);
                end->has_speed = end->speed_tenths > 0;
        }
        if (width_r == -ENOENT) {
                end->width = current ? caps->current_width : caps->max_width;
                end->has_width = true;
        }
}

static void set_speed(struct pci_function *f, struct glue_instance *inst, enum pci_property prop,
                      const struct link_end *end)
{
        char text[32];

        if (!end->has_speed)
                return;
        snprintf(text, sizeof(text), "%u.%u GT/s", end->speed_tenths / 10, end->speed_tenths % 10);
        pci_function_set_string(f, inst, prop, text);
}

/*
 * Degraded, as lspci's "(downgraded)": the link runs slower or narrower than this function can
 * go, seen from its upstream end (an endpoint, an upstream switch port, a PCIe-to-PCI bridge).
 * A root port or a downstream port runs at what the device below it can do, which is no fault
 * of its own (and an empty slot's link is down): false there, as lspci says nothing. NULL where
 * there is no link or it cannot be known.
 */
static void set_degraded(struct pci_function *f, struct glue_instance *inst,
                         const struct link_end *current, const struct link_end *max)
{
        const struct pci_caps *caps;
        bool below;

        if (!current->has_speed || !max->has_speed || !current->has_width || !max->has_width)
                return;
        below = current->speed_tenths < max->speed_tenths || current->width < max->width;
        if (below && f->class_code == 0x06 && f->subclass_code == 0x04) {
                /* A PCI-to-PCI bridge: which kind of port is in its PCIe capability. */
                caps = pci_function_caps(f);
                if (!caps || !caps->has_port_type)
                        return;
                below = caps->port_type != PCI_EXP_TYPE_ROOT_PORT &&
                        caps->port_type != PCI_EXP_TYPE_DOWNSTREAM &&
                        caps->port_type != PCI_EXP_TYPE_PCIE_BRIDGE;
        }
        pci_function_set_bool(f, inst, PCI_PROP_LINK_DEGRADED, below);
}

void pci_function_set_link(struct pci_function *f, struct glue_instance *inst)
{
        struct link_end current = { 0 }, max = { 0 };
        bool want_current = pci_function_wants(f, PCI_PROP_CURRENT_LINK_SPEED) ||
                            pci_function_wants(f, PCI_PROP_CURRENT_LINK_WIDTH);
        bool want_max = pci_function_wants(f, PCI_PROP_MAX_LINK_SPEED) ||
                        pci_function_wants(f, PCI_PROP_MAX_LINK_WIDTH);
        bool want_degraded = pci_function_wants(f, PCI_PROP_LINK_DEGRADED);

        if (want_current || want_degraded)
                read_link_end(f, true, &current);
        if (want_max || want_degraded)
                read_link_end(f, false, &max);
        set_speed(f, inst, PCI_PROP_CURRENT_LINK_SPEED, &current);
        set_speed(f, inst, PCI_PROP_MAX_LINK_SPEED, &max);
        if (current.has_width)
                pci_function_set_uint(f, inst, PCI_PROP_CURRENT_LINK_WIDTH, current.width);
        if (max.has_width)
                pci_function_set_uint(f, inst, PCI_PROP_MAX_LINK_WIDTH, max.width);
        if (want_degraded)
                set_degraded(f, inst, &current, &max);
}
