/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A reader of pci.ids that finds a name where it lies in the file, instead of loading every
 * entry first as libpci does: opening it maps the file and notes where each vendor and class
 * block starts (one pass over the line starts, about 1.5 M instructions against libpci's 25 M
 * for the whole parse); a lookup reads the lines of one block. The names and their fallbacks
 * are libpci's (pci_lookup_name with PCI_LOOKUP_NO_NUMBERS), checked entry by entry against
 * libpci in tests/pci/test-pci-ids.c.
 *
 * One difference, deliberate: libpci refuses a file with a malformed line anywhere (and lspci
 * exits); this reader skips such a line and serves the others.
 */
#pragma once

#include <stddef.h>

#include "pci-names.h"

struct pci_ids;

/* Map and index the file at path. -EMEDIUMTYPE if it is gzip-compressed (libpci reads those),
 * -EINVAL if it is not a regular file or too large, -errno if it cannot be opened. */
int pci_ids_open(const char *path, struct pci_ids **ret);
void pci_ids_free(struct pci_ids *ids);

/* Top-level lines that were not a vendor, class or subsystem block header, skipped. */
size_t pci_ids_get_bad_lines(const struct pci_ids *ids);

/* The name for kind and ids into buf, as libpci formats it. Returns its length (0 for an IDE
 * programming interface with no flags, as libpci), or -ENOENT. Not thread-safe: callers hold
 * their own lock (it fills a cache). */
int pci_ids_lookup(struct pci_ids *ids, enum pci_name_kind kind, const struct pci_name_ids *id,
                   char *buf, size_t size);
