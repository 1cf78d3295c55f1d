/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the tests of Linux_PCIDeviceControlledBy share: the bus tree that `lspci -t` draws, run
 * on a tree and read back as each function's parent; the associations hwglue enumerates, as
 * (Dependent, Antecedent) pairs; trees made by bench/gen/sysfs-gen.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "pci-test.h"

#define PCI_SLOT_TEXT 24

/* One function of lspci -t: parent "" when lspci draws it on a root bus ("[0000:00]"). */
struct lspci_tree_node {
        char slot[PCI_SLOT_TEXT];
        char parent[PCI_SLOT_TEXT];
};

struct lspci_tree {
        struct lspci_tree_node *nodes;
        size_t count;
        int exit_status; /* lspci's */
};

/*
 * Read `lspci -t` text. lspci prints each line as the path from a root bus to one function and
 * blanks, before the next line, what that line shares with it ('+' and '|' become '|', all else
 * ' '), so the text a line leaves blank is that of the line before. Tokens: "[dddd:bb]" a root
 * bus, "dd.f" a function on the current bus, "[ss]" or "[ss-uu]" after a function the bridge's
 * secondary bus, which the functions after it are on. -EBADMSG on anything else, or on a
 * function drawn under two parents.
 */
int lspci_tree_parse(const char *text, struct lspci_tree *ret);
/* Run `lspci -A linux-sysfs -O sysfs.path=ROOT/sys/bus/pci -O hwdb.disable=1 -t -D` (root "/":
 * this machine) and parse what it printed; 0 even when lspci failed (see exit_status). */
int lspci_tree_run(const char *root, struct lspci_tree *ret);
void lspci_tree_free(struct lspci_tree *tree);
const struct lspci_tree_node *lspci_tree_find(const struct lspci_tree *tree, const char *slot);

/* One Linux_PCIDeviceControlledBy, its two ends split: the DeviceID and the class each REF
 * names, and the association's own path. */
struct assoc_pair {
        char dependent[PCI_SLOT_TEXT], antecedent[PCI_SLOT_TEXT];
        char dependent_class[64], antecedent_class[64];
        char *path;
};

/* Split one association instance; false (with a failed check) if its REFs are not two
 * DeviceID paths. */
bool assoc_pair_from_instance(const struct glue_instance *inst, struct assoc_pair *ret);
/* Every association of the context's tree (enumerate). Returns the request's result. */
int assoc_pairs_collect(struct glue_context *ctx, struct assoc_pair **ret, size_t *ret_count);
void assoc_pairs_free(struct assoc_pair *pairs, size_t count);
/* The association whose Dependent is slot, or NULL (a second one is a failed check). */
const struct assoc_pair *assoc_pairs_find(const struct assoc_pair *pairs, size_t count,
                                          const char *slot);

/* A tree made by `sysfs-gen --seed 1 pci N` (HWGLUE_BUILD_DIR/bench/sysfs-gen), on /dev/shm
 * when that is a tmpfs (a 10,000-function tree is 300,000 files); owned path, or NULL with a
 * message. */
char *pci_assoc_generate_tree(unsigned functions);
void pci_assoc_remove_tree(char *tree);
