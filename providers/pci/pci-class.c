/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which Linux_PCI* class a function is posted as, by its PCI class code. */
#include "pci-scan.h"

static const char *const kind_names[_PCI_KIND_MAX] = {
        [PCI_KIND_DEVICE] = "Linux_PCIDevice",
        [PCI_KIND_BRIDGE] = "Linux_PCIBridge",
        [PCI_KIND_STORAGE] = "Linux_PCIStorageController",
        [PCI_KIND_NETWORK] = "Linux_PCINetworkController",
        [PCI_KIND_DISPLAY] = "Linux_PCIDisplayController",
        [PCI_KIND_MULTIMEDIA] = "Linux_PCIMultimediaController",
        [PCI_KIND_SERIAL_BUS] = "Linux_PCISerialBusController",
        [PCI_KIND_USB] = "Linux_PCIUSBController",
        [PCI_KIND_ACCELERATOR] = "Linux_PCIProcessingAccelerator",
};

const char *pci_class_kind_name(enum pci_class_kind kind)
{
        return kind < _PCI_KIND_MAX ? kind_names[kind] : kind_names[PCI_KIND_DEVICE];
}

enum pci_class_kind pci_class_kind_of(uint8_t class_code, uint8_t subclass_code)
{
        /* Base class codes from the PCI Code and ID Assignment Specification. */
        switch (class_code) {
        case 0x01:
                return PCI_KIND_STORAGE;
        case 0x02:
                return PCI_KIND_NETWORK;
        case 0x03:
                return PCI_KIND_DISPLAY;
        case 0x04:
                return PCI_KIND_MULTIMEDIA;
        case 0x06:
                return PCI_KIND_BRIDGE;
        case 0x0c:
                return subclass_code == 0x03 ? PCI_KIND_USB : PCI_KIND_SERIAL_BUS;
        case 0x12:
                return PCI_KIND_ACCELERATOR;
        default:
                return PCI_KIND_DEVICE;
        }
}
