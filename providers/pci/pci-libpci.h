/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the provider takes from libpci: names from pci.ids (and udev's hwdb), and the walk of a
 * function's capability lists. libpci's error hook is declared noreturn and its default calls
 * exit(), so every libpci call made here runs inside a per-thread guard: the hook logs through
 * the glue call and longjmps back out of libpci, which then reports -EIO.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libglue.h"
#include "pci-address.h"

/* ---- Names: one pci.ids database per context, loaded on the first lookup, shared by calls
 * under a lock (libpci's name hash is not thread-safe). */
struct pci_names;

int pci_names_new(struct pci_names **ret);
void pci_names_free(struct pci_names *names);

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

/* Look one name up into buf. Returns its length, -ENOENT if the database does not know it,
 * -EIO if libpci failed (logged through call; names stay off for the context from then on).
 * The database file is the call's "pci.ids" option (then hwdb is not asked), else libpci's. */
int pci_names_lookup(struct pci_names *names, struct glue_call *call, enum pci_name_kind kind,
                     const struct pci_name_ids *ids, char *buf, size_t size);

/* ---- Capabilities of one function, found by libpci in config bytes that we read. */
struct pci_caps {
        bool has_express;     /* PCI Express capability */
        uint8_t current_speed; /* Link Status speed code (1 = 2.5 GT/s, 2 = 5, 3 = 8, ...) */
        uint8_t current_width;
        uint8_t max_speed;     /* Link Capabilities */
        uint8_t max_width;
        bool has_power_management;
        uint8_t power_state;   /* PMCSR: 0-3 for D0-D3hot */
        bool has_sriov;
        uint16_t sriov_total_vfs, sriov_num_vfs;
};

struct pci_caps_reader;

/* One libpci access for a call (libpci keeps per-access state: not shared between threads).
 * sysfs_bus_pci is <sysroot>/sys/bus/pci. */
int pci_caps_reader_new(struct glue_call *call, const char *sysfs_bus_pci,
                        struct pci_caps_reader **ret);
void pci_caps_reader_free(struct pci_caps_reader *reader, struct glue_call *call);

/* Walk the capabilities in config[0..len) (what the kernel let us read: 64 bytes for non-root,
 * 256 or 4096 for root); bytes past len read as 0xff, as absent ones do, so that libpci never
 * touches the device itself. 0, or -EIO if libpci failed. */
int pci_caps_read(struct pci_caps_reader *reader, struct glue_call *call,
                  const struct pci_address *address, const uint8_t *config, size_t len,
                  struct pci_caps *ret);
