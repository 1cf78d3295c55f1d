/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The state of one provider operation (enumerate or get): private to its thread. */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "libglue.h"
#include "common/pci-address.h"
#include "pci-libpci.h"

/* The classes a function can be posted as, by its class code (see pci-class.c). */
enum pci_class_kind {
        PCI_KIND_DEVICE,
        PCI_KIND_BRIDGE,
        PCI_KIND_STORAGE,
        PCI_KIND_NETWORK,
        PCI_KIND_DISPLAY,
        PCI_KIND_MULTIMEDIA,
        PCI_KIND_SERIAL_BUS,
        PCI_KIND_USB,
        PCI_KIND_ACCELERATOR,
        _PCI_KIND_MAX,
};

/* Properties the provider sets, to ask glue_call_wants() once per operation. */
enum pci_property {
        PCI_PROP_NAME,
        PCI_PROP_CREATION_CLASS_NAME,
        PCI_PROP_SYSTEM_NAME,
        PCI_PROP_SYSFS_PATH,
        PCI_PROP_VENDOR_ID,
        PCI_PROP_PCI_DEVICE_ID,
        PCI_PROP_SUBSYSTEM_VENDOR_ID,
        PCI_PROP_SUBSYSTEM_ID,
        PCI_PROP_REVISION_ID,
        PCI_PROP_CLASS_CODE,
        PCI_PROP_SUBCLASS_CODE,
        PCI_PROP_PROGRAMMING_INTERFACE,
        PCI_PROP_DOMAIN_NUMBER,
        PCI_PROP_BUS_NUMBER,
        PCI_PROP_DEVICE_NUMBER,
        PCI_PROP_FUNCTION_NUMBER,
        PCI_PROP_VENDOR_NAME,
        PCI_PROP_DEVICE_NAME,
        PCI_PROP_SUBSYSTEM_VENDOR_NAME,
        PCI_PROP_SUBSYSTEM_NAME,
        PCI_PROP_CLASS_NAME,
        PCI_PROP_PROGRAMMING_INTERFACE_NAME,
        PCI_PROP_DRIVER,
        PCI_PROP_KERNEL_MODULE,
        PCI_PROP_NUMA_NODE,
        PCI_PROP_IOMMU_GROUP,
        PCI_PROP_IRQ,
        PCI_PROP_PHYSICAL_SLOT,
        PCI_PROP_PARENT_BRIDGE,
        PCI_PROP_CURRENT_LINK_SPEED,
        PCI_PROP_MAX_LINK_SPEED,
        PCI_PROP_CURRENT_LINK_WIDTH,
        PCI_PROP_MAX_LINK_WIDTH,
        PCI_PROP_POWER_STATE,
        PCI_PROP_RUNTIME_STATUS,
        PCI_PROP_SRIOV_TOTAL_VFS,
        PCI_PROP_SRIOV_NUM_VFS,
        PCI_PROP_SECONDARY_BUS_NUMBER,
        PCI_PROP_SUBORDINATE_BUS_NUMBER,
        PCI_PROP_NETWORK_INTERFACES,
        PCI_PROP_BOOT_VGA,
        PCI_PROP_LINK_DEGRADED,
        PCI_PROP_BAR_NUMBERS,
        PCI_PROP_BAR_TYPES,
        PCI_PROP_BAR_ADDRESSES,
        PCI_PROP_BAR_SIZES,
        PCI_PROP_BAR_PREFETCHABLE,
        PCI_PROP_ROM_ADDRESS,
        PCI_PROP_ROM_SIZE,
        PCI_PROP_IO_WINDOW_BASE,
        PCI_PROP_IO_WINDOW_LIMIT,
        PCI_PROP_MEMORY_WINDOW_BASE,
        PCI_PROP_MEMORY_WINDOW_LIMIT,
        PCI_PROP_PREFETCHABLE_WINDOW_BASE,
        PCI_PROP_PREFETCHABLE_WINDOW_LIMIT,
        PCI_PROP_CAPABILITY_NAMES,
        PCI_PROP_CAPABILITY_OFFSETS,
        PCI_PROP_AER_CORRECTABLE,
        PCI_PROP_AER_NONFATAL,
        PCI_PROP_AER_FATAL,
        PCI_PROP_AER_CORRECTABLE_NAMES,
        PCI_PROP_AER_CORRECTABLE_COUNTS,
        PCI_PROP_AER_NONFATAL_NAMES,
        PCI_PROP_AER_NONFATAL_COUNTS,
        PCI_PROP_AER_FATAL_NAMES,
        PCI_PROP_AER_FATAL_COUNTS,
        PCI_PROP_AER_ROOT_CORRECTABLE,
        PCI_PROP_AER_ROOT_NONFATAL,
        PCI_PROP_AER_ROOT_FATAL,
        _PCI_PROP_MAX,
};

extern const char *const pci_property_names[_PCI_PROP_MAX];

struct pci_slot {
        uint32_t domain;
        uint8_t bus, device;
        char name[64];
};

/* A driver seen in this operation: many functions share one, and its module with it. */
struct pci_driver_seen {
        char target[192];  /* the driver link's target, as read */
        char name[64];
        char module[64];   /* "" if none (built in), or the link was not there */
        bool live;         /* the link leads somewhere */
};

#define PCI_DRIVERS_SEEN_MAX 16

struct pci_scan {
        struct glue_call *call;
        const struct glue_class *requested; /* the class the operation was called for */
        bool shallow;
        bool keys_only;
        bool want[_PCI_PROP_MAX];
        bool want_identity; /* any property beyond the class and the address */
        const struct glue_class *classes[_PCI_KIND_MAX];

        char sysfs_bus_pci[PATH_MAX]; /* <sysroot>/sys/bus/pci */
        /* The tree is the kernel's sysfs: a config read is a hardware access (on a VM, a trap
         * to the hypervisor, some 20 us a dword here), the attribute files are the kernel's
         * copies, and a missing link or SR-IOV file means the function has none. Otherwise
         * (a recorded or generated tree) config is a plain file. */
        bool live_sysfs;
        char host_name[256];          /* "" when reading another root */
        int devices_fd;               /* its devices/ folder */

        struct pci_names *names;      /* borrowed from the provider */
        struct pci_caps_reader *caps; /* made on first use */
        bool caps_failed;

        struct pci_driver_seen drivers[PCI_DRIVERS_SEEN_MAX];
        size_t driver_count;

        struct pci_slot *slots;       /* /sys/bus/pci/slots, read on first use */
        size_t slot_count;
        bool slots_loaded;

        uint8_t config[4096];         /* the config bytes of the function being read */
};

/* Open the sysroot's PCI bus, resolve the classes, ask what is wanted. -ENOENT when there is
 * no PCI bus (no instances, not an error for the caller). */
int pci_scan_init(struct pci_scan *scan, struct glue_call *call, const struct glue_class *cls,
                  struct pci_names *names);
void pci_scan_done(struct pci_scan *scan);

/* The kind of a function from its class code (pci-class.c). */
enum pci_class_kind pci_class_kind_of(uint8_t class_code, uint8_t subclass_code);
const char *pci_class_kind_name(enum pci_class_kind kind);

/* Read the function whose /sys/bus/pci/devices entry is `address` and post it, as its most
 * derived class, if that class is one the operation asked for. Returns 1 if posted, 0 if the
 * function is not of the requested class or could not be read (logged), -ENOENT if it does
 * not exist, -ENODEV if it vanished while it was read (not posted; not logged), -ECANCELED
 * when the caller stopped, other negative errno on failure. */
int pci_function_post(struct pci_scan *scan, const struct pci_address *address);

/* The physical slot holding the function's device, or NULL. Borrowed from the scan. */
const char *pci_scan_find_slot(struct pci_scan *scan, const struct pci_address *address);
