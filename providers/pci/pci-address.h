/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PCI function addresses, "dddd:bb:dd.f": the provider's key and the names of the entries of
 * /sys/bus/pci/devices. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct pci_address {
        uint32_t domain;
        uint8_t bus;
        uint8_t device;   /* 0-31 */
        uint8_t function; /* 0-7 */
};

/* "dddd:bb:dd.f" plus a NUL; the kernel prints a domain with %04x, so up to 8 digits. */
#define PCI_ADDRESS_MAX 17

/* Parse an address: 4-8 hex digits of domain, 2 of bus, 2 of device (< 0x20), '.', a function
 * digit 0-7, nothing else (so never a '/' or ".."). Either case of hex digits is accepted.
 * -EINVAL on anything else. */
int pci_address_parse(const char *text, struct pci_address *ret);

/* The canonical spelling, lower-case as the kernel writes it, into buf (PCI_ADDRESS_MAX). */
void pci_address_format(const struct pci_address *address, char buf[static PCI_ADDRESS_MAX]);
