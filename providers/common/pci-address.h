/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PCI function addresses, "dddd:bb:dd.f": the pci provider's key, the names of the entries of
 * /sys/bus/pci/devices, and the component of a sysfs path that names the PCI function a device
 * sits on. One parser for every provider (STYLE.md, "Deriving a parent").
 */
#pragma once

#include <stdbool.h>
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
/* The same for the len bytes at text (a path component, not NUL-terminated). */
int pci_address_parse_len(const char *text, size_t len, struct pci_address *ret);

/* The canonical spelling, lower-case as the kernel writes it, into buf (PCI_ADDRESS_MAX). */
void pci_address_format(const struct pci_address *address, char buf[static PCI_ADDRESS_MAX]);

/*
 * The PCI function a sysfs path is at or below: the last component of path that parses as an
 * address ("/sys/devices/pci0000:00/0000:00:1c.0/0000:02:00.0/nvme/nvme0" gives 0000:02:00.0).
 * Pass a resolved path (realpath, or a link target): "." and ".." are not interpreted. -ENOENT
 * if no component is one: the relation is then unknown, not guessed.
 */
int pci_address_from_path(const char *path, struct pci_address *ret);

/* Same address? */
bool pci_address_equal(const struct pci_address *a, const struct pci_address *b);
