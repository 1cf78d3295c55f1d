/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The capability lists, by name: libpci walks them (PCI_FILL_CAPS, PCI_FILL_EXT_CAPS; see
 * pci-libpci.c for what that reads), and each ID is named as `lspci -vvv` names it, the words
 * before its details ("Power Management version 2" is "Power Management"), so that a user who
 * knows lspci's output finds the same words. IDs from the PCI Code and ID Assignment
 * Specification (include/uapi/linux/pci_regs.h).
 */
#include <stdio.h>
#include <string.h>

#include "pci-function.h"

static const char *const standard_names[] = {
        [0x00] = "Null",
        [0x01] = "Power Management",
        [0x02] = "AGP",
        [0x03] = "Vital Product Data",
        [0x04] = "Slot ID",
        [0x05] = "MSI",
        [0x06] = "CompactPCI hot-swap",
        [0x07] = "PCI-X",
        [0x08] = "HyperTransport",
        [0x09] = "Vendor Specific Information",
        [0x0a] = "Debug port",
        [0x0b] = "CompactPCI central resource control",
        [0x0c] = "Hot-plug capable",
        [0x0d] = "Subsystem",
        [0x0e] = "AGP3",
        [0x0f] = "Secure device",
        [0x10] = "Express",
        [0x11] = "MSI-X",
        [0x12] = "SATA HBA",
        [0x13] = "PCI Advanced Features",
        [0x14] = "Enhanced Allocation (EA)",
};

static const char *const extended_names[] = {
        [0x00] = "Null",
        [0x01] = "Advanced Error Reporting",
        [0x02] = "Virtual Channel",
        [0x03] = "Device Serial Number",
        [0x04] = "Power Budgeting",
        [0x05] = "Root Complex Link",
        [0x06] = "Root Complex Internal Link",
        [0x07] = "Root Complex Event Collector Endpoint Association",
        [0x08] = "Multi-Function Virtual Channel",
        [0x09] = "Virtual Channel",
        [0x0a] = "Root Complex Register Block",
        [0x0b] = "Vendor Specific Information",
        [0x0d] = "Access Control Services",
        [0x0e] = "Alternative Routing-ID Interpretation (ARI)",
        [0x0f] = "Address Translation Service (ATS)",
        [0x10] = "Single Root I/O Virtualization (SR-IOV)",
        [0x11] = "Multi-Root I/O Virtualization",
        [0x12] = "Multicast",
        [0x13] = "Page Request Interface (PRI)",
        [0x15] = "Physical Resizable BAR",
        [0x16] = "Dynamic Power Allocation",
        [0x17] = "Transaction Processing Hints",
        [0x18] = "Latency Tolerance Reporting",
        [0x19] = "Secondary PCI Express",
        [0x1a] = "Protocol Multiplexing",
        [0x1b] = "Process Address Space ID (PASID)",
        [0x1c] = "LN Requester",
        [0x1d] = "Downstream Port Containment",
        [0x1e] = "L1 PM Substates",
        [0x1f] = "Precision Time Measurement",
        [0x20] = "PCI Express over M_PHY",
        [0x21] = "FRS Queueing",
        [0x22] = "Readiness Time Reporting",
        [0x23] = "Designated Vendor-Specific",
        [0x24] = "VF Resizable BAR",
        [0x25] = "Data Link Feature",
        [0x26] = "Physical Layer 16.0 GT/s",
        [0x27] = "Lane Margining at the Receiver",
        [0x28] = "Hierarchy ID",
        [0x29] = "Native PCIe Enclosure Management",
        [0x2e] = "Data Object Exchange",
};

/* The name, or lspci's words for an ID it does not know ("Capability ID 0x1f"). */
static const char *capability_name(const struct pci_cap_entry *cap, char *buf, size_t size)
{
        const char *const *names = cap->extended ? extended_names : standard_names;
        size_t count = cap->extended ? sizeof(extended_names) / sizeof(extended_names[0])
                                     : sizeof(standard_names) / sizeof(standard_names[0]);

        if (cap->id < count && names[cap->id])
                return names[cap->id];
        snprintf(buf, size, "%s ID %#x", cap->extended ? "Extended Capability" : "Capability",
                 cap->id);
        return buf;
}

void pci_function_set_capabilities(struct pci_function *f, struct glue_instance *inst)
{
        const char *names[PCI_CAPS_MAX];
        char unknown[PCI_CAPS_MAX][40];
        uint64_t offsets[PCI_CAPS_MAX];
        const struct pci_caps *caps;

        if (!pci_function_wants(f, PCI_PROP_CAPABILITY_NAMES) &&
            !pci_function_wants(f, PCI_PROP_CAPABILITY_OFFSETS))
                return;
        /* The list starts past the header: where that cannot be read (asleep, non-root, a
         * recorded header alone), it is unknown (NULL), not empty. */
        caps = pci_function_caps(f);
        if (!caps) {
                /* A header in hand that says there is no list: the list is known, empty. */
                if (f->config_tried && f->config_len >= 8 && !(f->scan->config[0x06] & 0x10)) {
                        pci_function_set_string_array(f, inst, PCI_PROP_CAPABILITY_NAMES, NULL, 0);
                        pci_function_set_uint_array(f, inst, PCI_PROP_CAPABILITY_OFFSETS, NULL, 0);
                }
                return;
        }
        for (size_t i = 0; i < caps->count; i++) {
                names[i] = capability_name(&caps->list[i], unknown[i], sizeof(unknown[i]));
                offsets[i] = caps->list[i].offset;
        }
        pci_function_set_string_array(f, inst, PCI_PROP_CAPABILITY_NAMES, names, caps->count);
        pci_function_set_uint_array(f, inst, PCI_PROP_CAPABILITY_OFFSETS, offsets, caps->count);
}
