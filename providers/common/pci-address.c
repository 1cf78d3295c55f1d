/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "pci-address.h"
#include "sysfs-read.h"

/* Parse min_digits to max_digits hex digits at p (before end) followed by terminator; returns
 * the position after the terminator, or NULL. */
static const char *parse_hex_field(const char *p, const char *end, size_t min_digits,
                                   size_t max_digits, char terminator, uint32_t *ret)
{
        uint32_t value = 0;
        size_t n = 0;
        int d;

        while (p + n < end && (d = sysfs_hex_digit(p[n])) >= 0) {
                if (++n > max_digits)
                        return NULL;
                value = value << 4 | (uint32_t)d;
        }
        if (n < min_digits || p + n >= end || p[n] != terminator)
                return NULL;
        *ret = value;
        return p + n + 1;
}

int pci_address_parse_len(const char *text, size_t len, struct pci_address *ret)
{
        const char *end = text + len, *p;
        uint32_t domain, bus, device;

        if (!text || len >= PCI_ADDRESS_MAX)
                return -EINVAL;
        p = parse_hex_field(text, end, 4, 8, ':', &domain);
        if (p)
                p = parse_hex_field(p, end, 2, 2, ':', &bus);
        if (p)
                p = parse_hex_field(p, end, 2, 2, '.', &device);
        if (!p || device > 0x1f || end - p != 1 || p[0] < '0' || p[0] > '7')
                return -EINVAL;
        *ret = (struct pci_address){
                .domain = domain,
                .bus = (uint8_t)bus,
                .device = (uint8_t)device,
                .function = (uint8_t)(p[0] - '0'),
        };
        return 0;
}

int pci_address_parse(const char *text, struct pci_address *ret)
{
        if (!text)
                return -EINVAL;
        return pci_address_parse_len(text, strnlen(text, PCI_ADDRESS_MAX), ret);
}

/* By hand: snprintf cost 1,800 instructions an address, and every function is formatted. */
void pci_address_format(const struct pci_address *address, char buf[static PCI_ADDRESS_MAX])
{
        static const char digits[] = "0123456789abcdef";
        char *p = buf;
        int shift = 28;

        /* At least 4 domain digits, more only if the domain needs them (%04x). */
        while (shift > 12 && !(address->domain >> shift))
                shift -= 4;
        for (; shift >= 0; shift -= 4)
                *p++ = digits[(address->domain >> shift) & 0xf];
        *p++ = ':';
        *p++ = digits[address->bus >> 4];
        *p++ = digits[address->bus & 0xf];
        *p++ = ':';
        *p++ = digits[(address->device >> 4) & 0xf];
        *p++ = digits[address->device & 0xf];
        *p++ = '.';
        *p++ = (char)('0' + (address->function & 7));
        *p = '\0';
}

int pci_address_from_path(const char *path, struct pci_address *ret)
{
        const char *end;

        if (!path)
                return -EINVAL;
        end = path + strlen(path);
        while (end > path) {
                const char *start = end;

                while (start > path && start[-1] != '/')
                        start--;
                if (pci_address_parse_len(start, (size_t)(end - start), ret) == 0)
                        return 0;
                end = start > path ? start - 1 : path;
        }
        return -ENOENT;
}

bool pci_address_equal(const struct pci_address *a, const struct pci_address *b)
{
        return a->domain == b->domain && a->bus == b->bus && a->device == b->device &&
               a->function == b->function;
}
