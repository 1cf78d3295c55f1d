/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The address ranges a function decodes: its BARs and expansion ROM, and a bridge's windows
 * for what lies behind it. All come from the kernel's `resource` file, one line per resource
 * ("0x<start> 0x<end> 0x<flags>"): the addresses the kernel assigned, which lspci shows too,
 * and no config read. libpci's own reader of that file (PCI_FILL_BASES, PCI_FILL_SIZES) is not
 * used: it opens the file blocking (a FIFO planted in a tree would hang the call) and takes a
 * tree without it for a fatal error. A recorded tree without bridge lines has the windows in
 * the configuration header, decoded as lspci decodes them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/sysfs-read.h"
#include "pci-function.h"

/* include/linux/ioport.h */
#define IORESOURCE_IO 0x00000100u
#define IORESOURCE_MEM 0x00000200u
#define IORESOURCE_PREFETCH 0x00002000u
#define IORESOURCE_MEM_64 0x00100000u

enum {
        RESOURCE_ROM = 6,
        RESOURCE_BRIDGE_WITH_IOV = 13, /* 6 BARs, the ROM, 6 SR-IOV BARs, then the windows */
        RESOURCE_BRIDGE_WITHOUT_IOV = 7, /* a kernel built without CONFIG_PCI_IOV */
};

/* Hex digit values + 1 (0: not a digit), so that the loop below costs a load a digit. */
static const uint8_t hex_value[256] = {
        ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
        ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
        ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
        ['F'] = 16,
};

/* "0x" and up to 16 hex digits: 51 numbers a function, where strtoull cost 20 times as much. */
static bool parse_hex64(const char **p, uint64_t *ret)
{
        const unsigned char *q = (const unsigned char *)*p, *digits;
        uint64_t value = 0;

        while (*q == ' ')
                q++;
        if (q[0] != '0' || (q[1] != 'x' && q[1] != 'X'))
                return false;
        for (digits = q += 2; hex_value[*q]; q++)
                value = value << 4 | (uint64_t)(hex_value[*q] - 1);
        if (q == digits || q - digits > 16)
                return false;
        *ret = value;
        *p = (const char *)q;
        return true;
}

/* Read `resource` once: the number of lines, or a negative errno. A line that is not three
 * hex numbers ends the file there, as a truncated one would. */
static int read_resources(struct pci_function *f)
{
        char text[PCI_RESOURCE_MAX * 64];
        const char *p = text;
        int r, count = 0;

        if (f->resources_read)
                return f->resource_count;
        f->resources_read = true;
        r = sysfs_read_attr(f->fd, "resource", text, sizeof(text));
        if (r < 0) {
                pci_function_note_read_error(f, "resource", r);
                return f->resource_count = r;
        }
        while (*p && count < PCI_RESOURCE_MAX) {
                struct pci_resource *res = &f->resources[count];

                if (!parse_hex64(&p, &res->start) || !parse_hex64(&p, &res->end) ||
                    !parse_hex64(&p, &res->flags) || (*p != '\n' && *p != '\0')) {
                        pci_function_note_read_error(f, "resource", -EINVAL);
                        break;
                }
                count++;
                if (*p == '\n')
                        p++;
        }
        return f->resource_count = count;
}

/* Does the line describe a resource? An unassigned BAR or ROM keeps its flags at address 0
 * (lspci's <unassigned>). */
static bool resource_present(const struct pci_resource *res)
{
        return res->start || res->end || res->flags;
}

/* The kernel's end is inclusive (0x3f6-0x3f6 is one I/O port); a line of zeros, or an end
 * before the start, is no range. */
static uint64_t resource_size(const struct pci_resource *res)
{
        if ((!res->start && !res->end) || res->end < res->start)
                return 0;
        return res->end - res->start + 1;
}

/* The type from the kernel's flags, as lspci reads them: "(64-bit, prefetchable)" is
 * "Memory64" and prefetchable. (The BAR's own bits, which the kernel also keeps in the low
 * bits of the flags, can say otherwise: the kernel's flags are what it decoded.) */
static const char *bar_type(uint64_t flags)
{
        if (flags & IORESOURCE_IO)
                return "I/O";
        return flags & IORESOURCE_MEM_64 ? "Memory64" : "Memory32";
}

void pci_function_set_resources(struct pci_function *f, struct glue_instance *inst)
{
        uint64_t numbers[6], addresses[6], sizes[6];
        const char *types[6];
        bool prefetchable[6];
        size_t count = 0;
        int lines;

        if (!pci_function_wants(f, PCI_PROP_BAR_NUMBERS) &&
            !pci_function_wants(f, PCI_PROP_BAR_TYPES) &&
            !pci_function_wants(f, PCI_PROP_BAR_ADDRESSES) &&
            !pci_function_wants(f, PCI_PROP_BAR_SIZES) &&
            !pci_function_wants(f, PCI_PROP_BAR_PREFETCHABLE) &&
            !pci_function_wants(f, PCI_PROP_ROM_ADDRESS) &&
            !pci_function_wants(f, PCI_PROP_ROM_SIZE))
                return;
        lines = read_resources(f);
        if (lines < 0)
                return;
        /* A 64-bit BAR takes two registers: the kernel shows it on the first, the second's
         * line is all zero. */
        for (int i = 0; i < lines && i < 6; i++) {
                const struct pci_resource *res = &f->resources[i];

                if (!resource_present(res))
                        continue;
                numbers[count] = (uint64_t)i;
                types[count] = bar_type(res->flags);
                addresses[count] = res->start;
                sizes[count] = resource_size(res);
                prefetchable[count] = !(res->flags & IORESOURCE_IO) &&
                                      (res->flags & IORESOURCE_PREFETCH);
                count++;
        }
        pci_function_set_uint_array(f, inst, PCI_PROP_BAR_NUMBERS, numbers, count);
        pci_function_set_string_array(f, inst, PCI_PROP_BAR_TYPES, types, count);
        pci_function_set_uint_array(f, inst, PCI_PROP_BAR_ADDRESSES, addresses, count);
        pci_function_set_uint_array(f, inst, PCI_PROP_BAR_SIZES, sizes, count);
        pci_function_set_bool_array(f, inst, PCI_PROP_BAR_PREFETCHABLE, prefetchable, count);
        if (lines > RESOURCE_ROM && resource_present(&f->resources[RESOURCE_ROM])) {
                pci_function_set_uint(f, inst, PCI_PROP_ROM_ADDRESS,
                                      f->resources[RESOURCE_ROM].start);
                pci_function_set_uint(f, inst, PCI_PROP_ROM_SIZE,
                                      resource_size(&f->resources[RESOURCE_ROM]));
        }
}

/* ---- bridge windows ----------------------------------------------------------------------- */

struct window {
        bool known, enabled;
        uint64_t base, limit;
};

static uint16_t config_word(const uint8_t *config, size_t offset)
{
        return (uint16_t)(config[offset] | config[offset + 1] << 8);
}

static uint32_t config_long(const uint8_t *config, size_t offset)
{
        return (uint32_t)config_word(config, offset) | (uint32_t)config_word(config, offset + 2)
                                                               << 16;
}

/* The windows from the type 1 header (PCI-to-PCI Bridge spec, 3.2.5.6-3.2.5.10). */
static void windows_from_header(const uint8_t *config, struct window windows[3])
{
        uint8_t io_base = config[0x1c], io_limit = config[0x1d];
        uint16_t mem_base = config_word(config, 0x20), mem_limit = config_word(config, 0x22);
        uint16_t pref_base = config_word(config, 0x24), pref_limit = config_word(config, 0x26);

        /* I/O: 16-bit (type 0) or 32-bit (type 1), both ends of the same type. */
        if ((io_base & 0x0f) == (io_limit & 0x0f) && (io_base & 0x0f) <= 1) {
                windows[0].base = (uint64_t)(io_base & 0xf0) << 8;
                windows[0].limit = (uint64_t)(io_limit & 0xf0) << 8 | 0xfff;
                if ((io_base & 0x0f) == 1) {
                        windows[0].base |= (uint64_t)config_word(config, 0x30) << 16;
                        windows[0].limit |= (uint64_t)config_word(config, 0x32) << 16;
                }
                /* Base and limit both zero: the bridge implements no I/O window. */
                windows[0].known = io_base || io_limit;
        }
        if (!(mem_base & 0x0f) && !(mem_limit & 0x0f)) {
                windows[1].base = (uint64_t)(mem_base & 0xfff0) << 16;
                windows[1].limit = (uint64_t)(mem_limit & 0xfff0) << 16 | 0xfffff;
                windows[1].known = true;
        }
        if ((pref_base & 0x0f) == (pref_limit & 0x0f) && (pref_base & 0x0f) <= 1) {
                windows[2].base = (uint64_t)(pref_base & 0xfff0) << 16;
                windows[2].limit = (uint64_t)(pref_limit & 0xfff0) << 16 | 0xfffff;
                if ((pref_base & 0x0f) == 1) {
                        windows[2].base |= (uint64_t)config_long(config, 0x28) << 32;
                        windows[2].limit |= (uint64_t)config_long(config, 0x2c) << 32;
                }
                windows[2].known = pref_base || pref_limit;
        }
        for (int i = 0; i < 3; i++)
                windows[i].enabled = windows[i].known && windows[i].base <= windows[i].limit;
}

void pci_function_set_bridge_windows(struct pci_function *f, struct glue_instance *inst)
{
        static const enum pci_property props[3][2] = {
                { PCI_PROP_IO_WINDOW_BASE, PCI_PROP_IO_WINDOW_LIMIT },
                { PCI_PROP_MEMORY_WINDOW_BASE, PCI_PROP_MEMORY_WINDOW_LIMIT },
                { PCI_PROP_PREFETCHABLE_WINDOW_BASE, PCI_PROP_PREFETCHABLE_WINDOW_LIMIT },
        };
        struct window windows[3] = { 0 };
        bool wanted = false;
        int lines, first = -1;

        for (int i = 0; i < 3; i++)
                wanted = wanted || pci_function_wants(f, props[i][0]) ||
                         pci_function_wants(f, props[i][1]);
        /* PCI-to-PCI bridges only: a CardBus bridge's four windows are another layout. */
        if (!wanted || f->class_code != 0x06 || f->subclass_code != 0x04)
                return;
        lines = read_resources(f);
        if (lines == RESOURCE_BRIDGE_WITH_IOV + 4)
                first = RESOURCE_BRIDGE_WITH_IOV;
        else if (lines == RESOURCE_BRIDGE_WITHOUT_IOV + 4)
                first = RESOURCE_BRIDGE_WITHOUT_IOV;
        if (first >= 0) {
                /* The kernel's windows: a zero size is a disabled window. */
                for (int i = 0; i < 3; i++) {
                        const struct pci_resource *res = &f->resources[first + i];

                        windows[i].known = true;
                        windows[i].enabled = resource_size(res) > 0;
                        windows[i].base = res->start;
                        windows[i].limit = res->end;
                }
        } else if (pci_function_read_config(f) >= 0x34 && f->header_trusted &&
                   (f->scan->config[0x0e] & 0x7f) == 1) {
                windows_from_header(f->scan->config, windows);
        }
        for (int i = 0; i < 3; i++)
                if (windows[i].enabled) {
                        pci_function_set_uint(f, inst, props[i][0], windows[i].base);
                        pci_function_set_uint(f, inst, props[i][1], windows[i].limit);
                }
}
