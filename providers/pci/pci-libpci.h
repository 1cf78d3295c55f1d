/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the provider takes from libpci: the walk of a function's capability lists, and names
 * from a compressed pci.ids. libpci's error hook is declared noreturn and its default calls
 * exit(), so every libpci call made here runs inside a per-thread guard: the hook logs through
 * the glue call and longjmps back out of libpci, which then reports -EIO.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libglue.h"
#include "common/pci-address.h"
#include "pci-names.h"

/* ---- Names from libpci's own database, for a pci.ids that pci-ids.c does not read (a
 * compressed one). Loaded on the first lookup. Not thread-safe: pci-names.c holds its lock. */
struct pci_libpci_names;

int pci_libpci_names_new(const char *ids_path, struct pci_libpci_names **ret);
void pci_libpci_names_free(struct pci_libpci_names *names);

/* As pci_names_lookup(); -EIO once libpci failed (logged through call), for good. */
int pci_libpci_names_lookup(struct pci_libpci_names *names, struct glue_call *call,
                            enum pci_name_kind kind, const struct pci_name_ids *ids, char *buf,
                            size_t size);

/* The pci.ids path libpci uses when it is given none (owned). */
int pci_libpci_default_ids_path(char **ret);

/* ---- Capabilities of one function, found by libpci. */

/* The capability lists as libpci walks them: the traditional list, then the extended one
 * (which libpci reads only behind a PCI Express capability). */
#define PCI_CAPS_MAX 64

struct pci_cap_entry {
        uint16_t id;
        uint16_t offset;
        bool extended;
};

struct pci_caps {
        bool has_express;     /* PCI Express capability with readable link registers */
        bool has_port_type;
        uint8_t port_type;     /* PCI Express Capabilities: PCI_EXP_TYPE_ROOT_PORT, ... */
        uint8_t current_speed; /* Link Status speed code (1 = 2.5 GT/s, 2 = 5, 3 = 8, ...) */
        uint8_t current_width;
        uint8_t max_speed;     /* Link Capabilities */
        uint8_t max_width;
        bool has_power_management;
        uint8_t power_state;   /* PMCSR: 0-3 for D0-D3hot */
        bool has_sriov;
        uint16_t sriov_total_vfs, sriov_num_vfs;
        size_t count;          /* entries of list, in the order found */
        struct pci_cap_entry list[PCI_CAPS_MAX];
};

/* What to read beyond the list itself: each costs config reads. */
enum {
        PCI_CAPS_LINK = 1u << 0,  /* the PCI Express link registers */
        PCI_CAPS_POWER = 1u << 1, /* the power management state */
        PCI_CAPS_SRIOV = 1u << 2, /* the SR-IOV VF counts */
        PCI_CAPS_PORT_TYPE = 1u << 3, /* the PCI Express device/port type */
};

struct pci_caps_reader;

/* One libpci access for a call (libpci keeps per-access state: not shared between threads).
 * sysfs_bus_pci is <sysroot>/sys/bus/pci. */
int pci_caps_reader_new(struct glue_call *call, const char *sysfs_bus_pci,
                        struct pci_caps_reader **ret);
void pci_caps_reader_free(struct pci_caps_reader *reader, struct glue_call *call);

/*
 * Walk the capabilities of a function whose first len config bytes are config[]. Where
 * device_size > len (a live sysfs), libpci reads what else the walk and `what` need from the
 * function's config file itself, register by register: a capability costs one or two reads
 * there, instead of the 192 or 4,032 bytes past the header. Otherwise bytes past len read as
 * 0xff, as absent ones do, and libpci touches no file. 0, or -EIO if libpci failed.
 */
int pci_caps_read(struct pci_caps_reader *reader, struct glue_call *call,
                  const struct pci_address *address, const uint8_t *config, size_t len,
                  size_t device_size, unsigned what, struct pci_caps *ret);
