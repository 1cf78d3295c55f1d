/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Linux_PCIDeviceControlledBy (schema/cim-associations.mof): each PCI function and the bridge
 * upstream of it, the bus tree of lspci -t, read from where the kernel puts the function's
 * directory in sysfs (pci-associations.c). The pci provider's operations hand association
 * classes here.
 */
#pragma once

#include "libglue.h"
#include "pci-names.h"

/* Every association: one for each listed function that has an upstream bridge. */
int pci_associations_enumerate(struct glue_call *call, const struct glue_class *cls,
                               struct pci_names *names);
/* The association with the keys in path (its Dependent's upstream bridge), or -ENOENT. */
int pci_associations_get(struct glue_call *call, const struct glue_class *cls,
                         const struct glue_path *path, struct pci_names *names);
/* The provider's references operation: the associations of one function, from its own
 * directory, its parent's and its children's (glue_provider_ops.references; data is the
 * provider's struct pci_names). */
int pci_associations_references(struct glue_call *call, const struct glue_class *assoc,
                                const struct glue_path *object, void *data);
