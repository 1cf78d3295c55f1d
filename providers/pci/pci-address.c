/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/sysfs-read.h"
#include "pci-address.h"

/* Parse min_digits to max_digits hex digits followed by terminator; returns the position after
 * the terminator, or NULL. */
static const char *parse_hex_field(const char *p, size_t min_digits, size_t max_digits,
                                   char terminator, uint32_t *ret)
{
        uint32_t value = 0;
        size_t n = 0;
        int d;

        while ((d = sysfs_hex_digit(p[n])) >= 0) {
                if (++n > max_digits)
                        return NULL;
                value = value << 4 | (uint32_t)d;
        }
        if (n < min_digits || p[n] != terminator)
                return NULL;
        *ret = value;
        return p + n + 1;
}

int pci_address_parse(const char *text, struct pci_address *ret)
{
        uint32_t domain, bus, device;
        const char *p;

        if (!text || strnlen(text, PCI_ADDRESS_MAX) >= PCI_ADDRESS_MAX)
                return -EINVAL;
        p = parse_hex_field(text, 4, 8, ':', &domain);
        if (p)
                p = parse_hex_field(p, 2, 2, ':', &bus);
        if (p)
                p = parse_hex_field(p, 2, 2, '.', &device);
        if (!p || device > 0x1f || p[0] < '0' || p[0] > '7' || p[1] != '\0')
                return -EINVAL;
        *ret = (struct pci_address){
                .domain = domain,
                .bus = (uint8_t)bus,
                .device = (uint8_t)device,
                .function = (uint8_t)(p[0] - '0'),
        };
        return 0;
}

void pci_address_format(const struct pci_address *address, char buf[static PCI_ADDRESS_MAX])
{
        snprintf(buf, PCI_ADDRESS_MAX, "%04x:%02x:%02x.%u", address->domain, address->bus,
                 address->device, address->function);
}
