/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the pci tests: a context on a sysroot, collecting instances, and a parser
 * of lspci's -vmm output (records of "Field:\tvalue" lines, separated by blank lines). */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "test-util.h"

#define VMM_MAX_FIELDS 32

struct vmm_record {
        size_t count;
        char *names[VMM_MAX_FIELDS];
        char *values[VMM_MAX_FIELDS];
};

/* Parse -vmm text; owned array (vmm_free). */
size_t vmm_parse(const char *text, struct vmm_record **ret);
void vmm_free(struct vmm_record *records, size_t count);
/* The value of a field ("Slot", "Vendor", ...), or NULL. Borrowed. */
const char *vmm_get(const struct vmm_record *record, const char *name);
/* The record whose Slot is slot, or NULL. */
const struct vmm_record *vmm_find(const struct vmm_record *records, size_t count,
                                  const char *slot);

/* A context with the built-in schema and providers, logging to stderr at debug when
 * HWGLUE_TEST_DEBUG is set; sysroot and pci.ids options when not NULL. */
struct glue_context *pci_test_context(const char *sysroot, const char *pci_ids);

/* Collect the instances of class_name (flags: GLUE_REQUEST_*; properties NULL: all). Returns
 * the request's result; *ret_list and *ret_count as glue_request_collect. */
int pci_test_collect(struct glue_context *ctx, const char *class_name, unsigned flags,
                     const char *const *properties, size_t property_count,
                     struct glue_instance ***ret_list, size_t *ret_count);

/* The instance with that DeviceID, or NULL. */
struct glue_instance *pci_test_find(struct glue_instance **list, size_t count,
                                    const char *device_id);

/* Check a numeric property against lspci's hex text (NULL text: the property must be NULL or
 * equal absent_value). Returns true if it matched. */
bool pci_test_check_hex(const struct glue_instance *inst, const char *property,
                        const char *hex_text, uint64_t absent_value, const char *where);

/* Count the entries of <root>/sys/bus/pci/devices. */
size_t pci_test_count_devices(const char *root);

/* Hand-made trees: write root/relative (making its folders), or make it a symlink. */
void pci_test_write(const char *root, const char *relative, const void *data, size_t len);
void pci_test_write_text(const char *root, const char *relative, const char *text);
void pci_test_link(const char *root, const char *relative, const char *target);
