/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PCI names, as lspci prints them with -nn: one database per context, opened on the first name
 * that is wanted (never before the first instance that wants none), shared by the calls under
 * a lock. The database is pci.ids, read in place by pci-ids.c; libpci reads it only where it is
 * compressed. udev's hwdb is not asked: its names are a copy of pci.ids from another date, and
 * 784 of the 17,616 device names of this machine's two differ (bench/README.md, "PCI").
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "libglue.h"

enum pci_name_kind {
        PCI_NAME_VENDOR,
        PCI_NAME_DEVICE,
        PCI_NAME_SUBSYSTEM_VENDOR,
        PCI_NAME_SUBSYSTEM,
        PCI_NAME_CLASS,
        PCI_NAME_PROG_IF,
};

struct pci_name_ids {
        uint16_t vendor, device;
        uint16_t subsystem_vendor, subsystem; /* 0: none */
        uint8_t class_code, subclass_code, prog_if;
};

struct pci_names;

int pci_names_new(struct pci_names **ret);
void pci_names_free(struct pci_names *names);

/* Look one name up into buf: the text libpci's pci_lookup_name() gives for that kind with
 * PCI_LOOKUP_NO_NUMBERS. Returns its length, -ENOENT if the database does not know it, -EIO
 * if there is no database (logged through call once; names stay off for the context). The
 * database file is the call's "pci.ids" option, else libpci's default path. */
int pci_names_lookup(struct pci_names *names, struct glue_call *call, enum pci_name_kind kind,
                     const struct pci_name_ids *ids, char *buf, size_t size);
