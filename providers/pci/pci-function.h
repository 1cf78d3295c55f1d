/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One PCI function while it is read: what pci-function.c read of it (identity, configuration
 * space, power state) and the setters that the files for each group of properties share
 * (pci-link.c, pci-resources.c, pci-aer.c, pci-capabilities.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "pci-scan.h"

/* One line of the kernel's `resource` file: the BARs 0-5, the ROM, the SR-IOV BARs and the
 * bridge windows, as start, end (inclusive) and IORESOURCE_* flags; all zero where unused. */
struct pci_resource {
        uint64_t start, end, flags;
};

#define PCI_RESOURCE_MAX 17

struct pci_function {
        struct pci_scan *scan;
        struct pci_address address;
        char name[PCI_ADDRESS_MAX];
        int fd; /* the function's sysfs folder */
        enum pci_class_kind kind;

        uint16_t vendor, device, subsystem_vendor, subsystem;
        uint8_t class_code, subclass_code, prog_if, revision;
        bool has_revision, has_subsystem;
        bool header_trusted; /* the 64-byte config header gave the identity */

        /* Configuration space: scan->config holds its first config_len bytes. */
        bool config_tried;
        int config_len;      /* bytes read, or a negative errno */
        uint32_t config_size; /* the file's size: on a live sysfs, how far libpci may read */

        bool caps_read;
        bool has_caps;
        struct pci_caps caps;

        bool no_link_files; /* current_link_speed is absent, and so its group */
        bool resources_read;
        int resource_count; /* lines of `resource` read, or a negative errno */
        struct pci_resource resources[PCI_RESOURCE_MAX];

        char runtime_status[32]; /* "" until read */
        char power_state[16];
        bool power_read;
};

/* The configuration header (64 bytes; on a recorded tree, the whole file, in the same read),
 * read once: the bytes held, or a negative errno (-EAGAIN: the function sleeps and reading
 * would wake it). Never read again from offset 0. */
int pci_function_read_config(struct pci_function *f);

/* The capabilities libpci finds (reading on a live sysfs only the registers it needs), or
 * NULL. Read once per function. */
const struct pci_caps *pci_function_caps(struct pci_function *f);

/* Would a config read wake the function (or its parent bridge)? */
bool pci_function_is_asleep(struct pci_function *f);

/* An attribute that could not be read for a reason other than its absence: counted for the
 * caller with its path (glue_call_note_read_error). r is the negative errno. */
void pci_function_note_read_error(struct pci_function *f, const char *attribute, int r);

/* Setters that do nothing for a property the call does not want, and log a refusal. */
bool pci_function_wants(const struct pci_function *f, enum pci_property prop);
void pci_function_set_uint(struct pci_function *f, struct glue_instance *inst,
                           enum pci_property prop, uint64_t value);
void pci_function_set_bool(struct pci_function *f, struct glue_instance *inst,
                           enum pci_property prop, bool value);
void pci_function_set_string(struct pci_function *f, struct glue_instance *inst,
                             enum pci_property prop, const char *value);
void pci_function_set_uint_array(struct pci_function *f, struct glue_instance *inst,
                                 enum pci_property prop, const uint64_t *values, size_t count);
void pci_function_set_string_array(struct pci_function *f, struct glue_instance *inst,
                                   enum pci_property prop, const char *const *values,
                                   size_t count);
void pci_function_set_bool_array(struct pci_function *f, struct glue_instance *inst,
                                 enum pci_property prop, const bool *values, size_t count);

/* Read a numeric attribute (at most max): 0, -ENOENT if absent, other errors noted. */
int pci_function_read_uint(struct pci_function *f, const char *attribute, uint64_t max,
                           uint64_t *ret);

/* The property groups, each in its own file. */
void pci_function_set_link(struct pci_function *f, struct glue_instance *inst);
void pci_function_set_resources(struct pci_function *f, struct glue_instance *inst);
void pci_function_set_bridge_windows(struct pci_function *f, struct glue_instance *inst);
void pci_function_set_aer(struct pci_function *f, struct glue_instance *inst);
void pci_function_set_capabilities(struct pci_function *f, struct glue_instance *inst);
