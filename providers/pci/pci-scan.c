/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "common/sysfs-read.h"
#include "pci-scan.h"

const char *const pci_property_names[_PCI_PROP_MAX] = {
        [PCI_PROP_NAME] = "Name",
        [PCI_PROP_CREATION_CLASS_NAME] = "CreationClassName",
        [PCI_PROP_SYSTEM_NAME] = "SystemName",
        [PCI_PROP_SYSFS_PATH] = "SysfsPath",
        [PCI_PROP_VENDOR_ID] = "VendorID",
        [PCI_PROP_PCI_DEVICE_ID] = "PCIDeviceID",
        [PCI_PROP_SUBSYSTEM_VENDOR_ID] = "SubsystemVendorID",
        [PCI_PROP_SUBSYSTEM_ID] = "SubsystemID",
        [PCI_PROP_REVISION_ID] = "RevisionID",
        [PCI_PROP_CLASS_CODE] = "ClassCode",
        [PCI_PROP_SUBCLASS_CODE] = "SubclassCode",
        [PCI_PROP_PROGRAMMING_INTERFACE] = "ProgrammingInterface",
        [PCI_PROP_DOMAIN_NUMBER] = "DomainNumber",
        [PCI_PROP_BUS_NUMBER] = "BusNumber",
        [PCI_PROP_DEVICE_NUMBER] = "DeviceNumber",
        [PCI_PROP_FUNCTION_NUMBER] = "FunctionNumber",
        [PCI_PROP_VENDOR_NAME] = "VendorName",
        [PCI_PROP_DEVICE_NAME] = "DeviceName",
        [PCI_PROP_SUBSYSTEM_VENDOR_NAME] = "SubsystemVendorName",
        [PCI_PROP_SUBSYSTEM_NAME] = "SubsystemName",
        [PCI_PROP_CLASS_NAME] = "ClassName",
        [PCI_PROP_PROGRAMMING_INTERFACE_NAME] = "ProgrammingInterfaceName",
        [PCI_PROP_DRIVER] = "Driver",
        [PCI_PROP_KERNEL_MODULE] = "KernelModule",
        [PCI_PROP_NUMA_NODE] = "NUMANode",
        [PCI_PROP_IOMMU_GROUP] = "IOMMUGroup",
        [PCI_PROP_IRQ] = "IRQ",
        [PCI_PROP_PHYSICAL_SLOT] = "PhysicalSlot",
        [PCI_PROP_PARENT_BRIDGE] = "ParentBridge",
        [PCI_PROP_CURRENT_LINK_SPEED] = "CurrentLinkSpeed",
        [PCI_PROP_MAX_LINK_SPEED] = "MaxLinkSpeed",
        [PCI_PROP_CURRENT_LINK_WIDTH] = "CurrentLinkWidth",
        [PCI_PROP_MAX_LINK_WIDTH] = "MaxLinkWidth",
        [PCI_PROP_POWER_STATE] = "PowerState",
        [PCI_PROP_RUNTIME_STATUS] = "RuntimeStatus",
        [PCI_PROP_SRIOV_TOTAL_VFS] = "SRIOVTotalVFs",
        [PCI_PROP_SRIOV_NUM_VFS] = "SRIOVNumVFs",
        [PCI_PROP_SECONDARY_BUS_NUMBER] = "SecondaryBusNumber",
        [PCI_PROP_SUBORDINATE_BUS_NUMBER] = "SubordinateBusNumber",
        [PCI_PROP_NETWORK_INTERFACES] = "NetworkInterfaces",
        [PCI_PROP_BOOT_VGA] = "BootVGA",
        [PCI_PROP_LINK_DEGRADED] = "LinkDegraded",
        [PCI_PROP_BAR_NUMBERS] = "BARNumbers",
        [PCI_PROP_BAR_TYPES] = "BARTypes",
        [PCI_PROP_BAR_ADDRESSES] = "BARAddresses",
        [PCI_PROP_BAR_SIZES] = "BARSizes",
        [PCI_PROP_BAR_PREFETCHABLE] = "BARPrefetchable",
        [PCI_PROP_ROM_ADDRESS] = "ExpansionROMAddress",
        [PCI_PROP_ROM_SIZE] = "ExpansionROMSize",
        [PCI_PROP_IO_WINDOW_BASE] = "IOWindowBase",
        [PCI_PROP_IO_WINDOW_LIMIT] = "IOWindowLimit",
        [PCI_PROP_MEMORY_WINDOW_BASE] = "MemoryWindowBase",
        [PCI_PROP_MEMORY_WINDOW_LIMIT] = "MemoryWindowLimit",
        [PCI_PROP_PREFETCHABLE_WINDOW_BASE] = "PrefetchableWindowBase",
        [PCI_PROP_PREFETCHABLE_WINDOW_LIMIT] = "PrefetchableWindowLimit",
        [PCI_PROP_CAPABILITY_NAMES] = "CapabilityNames",
        [PCI_PROP_CAPABILITY_OFFSETS] = "CapabilityOffsets",
        [PCI_PROP_AER_CORRECTABLE] = "AERCorrectableErrors",
        [PCI_PROP_AER_NONFATAL] = "AERNonFatalErrors",
        [PCI_PROP_AER_FATAL] = "AERFatalErrors",
        [PCI_PROP_AER_CORRECTABLE_NAMES] = "AERCorrectableErrorNames",
        [PCI_PROP_AER_CORRECTABLE_COUNTS] = "AERCorrectableErrorCounts",
        [PCI_PROP_AER_NONFATAL_NAMES] = "AERNonFatalErrorNames",
        [PCI_PROP_AER_NONFATAL_COUNTS] = "AERNonFatalErrorCounts",
        [PCI_PROP_AER_FATAL_NAMES] = "AERFatalErrorNames",
        [PCI_PROP_AER_FATAL_COUNTS] = "AERFatalErrorCounts",
        [PCI_PROP_AER_ROOT_CORRECTABLE] = "AERRootPortCorrectableErrors",
        [PCI_PROP_AER_ROOT_NONFATAL] = "AERRootPortNonFatalErrors",
        [PCI_PROP_AER_ROOT_FATAL] = "AERRootPortFatalErrors",
};

/* The properties that the identity read (IDs, revision, prog-if) carries, or that need it. A
 * call that wants none of them (keys only, "-p DeviceID") reads no more than the class. */
static bool needs_identity(enum pci_property prop)
{
        switch (prop) {
        case PCI_PROP_VENDOR_ID:
        case PCI_PROP_PCI_DEVICE_ID:
        case PCI_PROP_SUBSYSTEM_VENDOR_ID:
        case PCI_PROP_SUBSYSTEM_ID:
        case PCI_PROP_REVISION_ID:
        case PCI_PROP_PROGRAMMING_INTERFACE:
        case PCI_PROP_VENDOR_NAME:
        case PCI_PROP_DEVICE_NAME:
        case PCI_PROP_SUBSYSTEM_VENDOR_NAME:
        case PCI_PROP_SUBSYSTEM_NAME:
        case PCI_PROP_CLASS_NAME:
        case PCI_PROP_PROGRAMMING_INTERFACE_NAME:
                return true;
        default:
                return false;
        }
}

int pci_scan_init(struct pci_scan *scan, struct glue_call *call, const struct glue_class *cls,
                  struct pci_names *names)
{
        struct glue_context *ctx = glue_call_get_context(call);
        const char *sysroot = glue_call_get_option(call, "sysroot");
        int n;

        memset(scan, 0, sizeof(*scan));
        scan->devices_fd = -1;
        scan->call = call;
        scan->requested = cls;
        scan->names = names;
        scan->shallow = glue_call_is_shallow(call);
        scan->keys_only = glue_call_is_keys_only(call);
        for (size_t i = 0; i < _PCI_PROP_MAX; i++) {
                scan->want[i] = !scan->keys_only && glue_call_wants(call, pci_property_names[i]);
                scan->want_identity = scan->want_identity ||
                                      (scan->want[i] && needs_identity((enum pci_property)i));
        }

        for (size_t kind = 0; kind < _PCI_KIND_MAX; kind++) {
                const struct glue_class *found = NULL;

                if (glue_context_find_class(ctx, NULL, pci_class_kind_name(kind), &found) < 0) {
                        if (kind == PCI_KIND_DEVICE)
                                return -ESRCH;
                        /* A schema without this subclass: post such functions as the base. */
                        found = scan->classes[PCI_KIND_DEVICE];
                }
                scan->classes[kind] = found;
        }

        if (!sysroot || !*sysroot)
                sysroot = "/";
        /* The host name names this machine, not the one a recorded tree came from. */
        if (scan->want[PCI_PROP_SYSTEM_NAME] && strcmp(sysroot, "/") == 0 &&
            gethostname(scan->host_name, sizeof(scan->host_name) - 1) < 0)
                scan->host_name[0] = '\0';
        n = snprintf(scan->sysfs_bus_pci, sizeof(scan->sysfs_bus_pci), "%s%ssys/bus/pci",
                     sysroot, sysroot[strlen(sysroot) - 1] == '/' ? "" : "/");
        if (n < 0 || (size_t)n >= sizeof(scan->sysfs_bus_pci))
                return -ENAMETOOLONG;
        scan->devices_fd = open(scan->sysfs_bus_pci, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (scan->devices_fd >= 0) {
                int bus_fd = scan->devices_fd;

                scan->devices_fd = openat(bus_fd, "devices", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                close(bus_fd);
        }
        if (scan->devices_fd < 0) {
                int r = -errno;

                glue_call_log(call, LOG_DEBUG, "%s/devices: %s", scan->sysfs_bus_pci,
                              strerror(-r));
                return r;
        }
        {
                struct statfs fs;

                /* By path: umockdev's preload says "sysfs" for every fstatfs(), and its
                 * trees are plain files. */
                scan->live_sysfs = statfs(scan->sysfs_bus_pci, &fs) == 0 &&
                                   fs.f_type == SYSFS_MAGIC;
        }
        return 0;
}

void pci_scan_done(struct pci_scan *scan)
{
        if (scan->devices_fd >= 0)
                close(scan->devices_fd);
        scan->devices_fd = -1;
        pci_caps_reader_free(scan->caps, scan->call);
        scan->caps = NULL;
        free(scan->slots);
        scan->slots = NULL;
}

/* /sys/bus/pci/slots/NAME/address holds "dddd:bb:dd" (a slot holds all functions of one
 * device). Read them all once per operation, as libpci does, rather than once per function. */
static void scan_load_slots(struct pci_scan *scan)
{
        char path[PATH_MAX];
        struct dirent *entry;
        int slots_fd;
        DIR *dir;

        scan->slots_loaded = true;
        if ((size_t)snprintf(path, sizeof(path), "%s/slots", scan->sysfs_bus_pci) >= sizeof(path))
                return;
        slots_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (slots_fd < 0)
                return;
        dir = fdopendir(slots_fd);
        if (!dir) {
                close(slots_fd);
                return;
        }
        while ((entry = readdir(dir))) {
                unsigned domain, bus, device;
                char address[64], file[sizeof(entry->d_name) + 16];
                struct pci_slot *slots;
                int consumed = 0, r;

                if (entry->d_name[0] == '.' || strlen(entry->d_name) >= sizeof(slots->name))
                        continue;
                snprintf(file, sizeof(file), "%s/address", entry->d_name);
                r = sysfs_read_attr(dirfd(dir), file, address, sizeof(address));
                if (r < 0) {
                        if (r != -ENOENT) {
                                char full[PATH_MAX + 300];

                                glue_call_log(scan->call, LOG_DEBUG, "slot %s: address "
                                              "unreadable: %s", entry->d_name, strerror(-r));
                                snprintf(full, sizeof(full), "%s/%s", path, file);
                                glue_call_note_read_error(scan->call, full, r);
                        }
                        continue;
                }
                if (sscanf(address, "%x:%x:%x%n", &domain, &bus, &device, &consumed) != 3 ||
                    address[consumed] != '\0' || bus > 0xff || device > 0x1f) {
                        char full[PATH_MAX + 300];

                        glue_call_log(scan->call, LOG_DEBUG, "slot %s: address \"%s\" skipped",
                                      entry->d_name, address);
                        snprintf(full, sizeof(full), "%s/%s", path, file);
                        glue_call_note_read_error(scan->call, full, -EINVAL);
                        continue;
                }
                slots = realloc(scan->slots, (scan->slot_count + 1) * sizeof(*slots));
                if (!slots)
                        break;
                scan->slots = slots;
                slots[scan->slot_count] = (struct pci_slot){
                        .domain = domain,
                        .bus = (uint8_t)bus,
                        .device = (uint8_t)device,
                };
                strcpy(slots[scan->slot_count].name, entry->d_name);
                scan->slot_count++;
        }
        closedir(dir);
}

const char *pci_scan_find_slot(struct pci_scan *scan, const struct pci_address *address)
{
        if (!scan->slots_loaded)
                scan_load_slots(scan);
        for (size_t i = 0; i < scan->slot_count; i++)
                if (scan->slots[i].domain == address->domain &&
                    scan->slots[i].bus == address->bus && scan->slots[i].device == address->device)
                        return scan->slots[i].name;
        return NULL;
}
