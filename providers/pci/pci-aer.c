/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PCI Express Advanced Error Reporting counters, as the kernel's AER driver keeps them
 * (Documentation/ABI/testing/sysfs-bus-pci-devices-aer_stats): aer_dev_correctable,
 * aer_dev_nonfatal and aer_dev_fatal hold one "NAME COUNT" line per error the device saw, then
 * a TOTAL_ERR_* line; a root port (or an event collector) adds aer_rootport_total_err_cor,
 * _nonfatal and _fatal, the error messages it received from the devices below it. These are
 * kernel counters: reading them touches no hardware.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/sysfs-read.h"
#include "pci-function.h"

/* The kernel lists 8 correctable and 18 uncorrectable errors today; room for more. */
#define AER_MAX_ERRORS 48

struct aer_counts {
        bool has_total;
        uint64_t total;
        size_t count;
        char *names[AER_MAX_ERRORS];
        uint64_t counts[AER_MAX_ERRORS];
};

/*
 * Parse one aer_dev_* file. The total is the TOTAL_* line's (the kernel counts error
 * messages there, and one message may carry several error bits, so it need not be the sum).
 * Text ends at the first NUL: some recorded trees pad attributes with them.
 */
static int parse_aer(char *text, struct aer_counts *ret)
{
        char *line, *save = NULL;

        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *space = strchr(line, ' ');
                uint64_t value;

                if (!space || space == line)
                        return -EINVAL;
                *space = '\0';
                if (sysfs_parse_uint64(space + 1, &value) < 0)
                        return -EINVAL;
                if (strncmp(line, "TOTAL_", 6) == 0) {
                        ret->has_total = true;
                        ret->total = value;
                } else if (ret->count < AER_MAX_ERRORS) {
                        ret->names[ret->count] = line;
                        ret->counts[ret->count++] = value;
                }
        }
        return 0;
}

/* Returns the read's result: -ENOENT when the function has no such file. */
static int set_severity(struct pci_function *f, struct glue_instance *inst, const char *file,
                        enum pci_property total_prop, enum pci_property names_prop,
                        enum pci_property counts_prop)
{
        struct aer_counts counts = { 0 };
        char text[4096 + 1];
        int r;

        if (!pci_function_wants(f, total_prop) && !pci_function_wants(f, names_prop) &&
            !pci_function_wants(f, counts_prop))
                return 0;
        r = sysfs_read_attr(f->fd, file, text, sizeof(text));
        if (r < 0) {
                pci_function_note_read_error(f, file, r);
                return r;
        }
        if (parse_aer(text, &counts) < 0) {
                pci_function_note_read_error(f, file, -EINVAL);
                return -EINVAL;
        }
        if (counts.has_total)
                pci_function_set_uint(f, inst, total_prop, counts.total);
        pci_function_set_string_array(f, inst, names_prop, (const char *const *)counts.names,
                                      counts.count);
        pci_function_set_uint_array(f, inst, counts_prop, counts.counts, counts.count);
        return 0;
}

static void set_root_port_total(struct pci_function *f, struct glue_instance *inst,
                                const char *file, enum pci_property prop)
{
        uint64_t value;

        if (pci_function_wants(f, prop) && pci_function_read_uint(f, file, UINT64_MAX, &value) >= 0)
                pci_function_set_uint(f, inst, prop, value);
}

void pci_function_set_aer(struct pci_function *f, struct glue_instance *inst)
{
        /* The kernel shows the files as one group, for a function with AER statistics: when
         * the first is absent, so are the others (five opens saved on most functions). */
        if (set_severity(f, inst, "aer_dev_correctable", PCI_PROP_AER_CORRECTABLE,
                         PCI_PROP_AER_CORRECTABLE_NAMES, PCI_PROP_AER_CORRECTABLE_COUNTS) ==
            -ENOENT)
                return;
        set_severity(f, inst, "aer_dev_nonfatal", PCI_PROP_AER_NONFATAL,
                     PCI_PROP_AER_NONFATAL_NAMES, PCI_PROP_AER_NONFATAL_COUNTS);
        set_severity(f, inst, "aer_dev_fatal", PCI_PROP_AER_FATAL, PCI_PROP_AER_FATAL_NAMES,
                     PCI_PROP_AER_FATAL_COUNTS);
        /* Only root ports and root complex event collectors have them. */
        if (f->class_code == 0x06 || (f->class_code == 0x08 && f->subclass_code == 0x07)) {
                set_root_port_total(f, inst, "aer_rootport_total_err_cor",
                                    PCI_PROP_AER_ROOT_CORRECTABLE);
                set_root_port_total(f, inst, "aer_rootport_total_err_nonfatal",
                                    PCI_PROP_AER_ROOT_NONFATAL);
                set_root_port_total(f, inst, "aer_rootport_total_err_fatal",
                                    PCI_PROP_AER_ROOT_FATAL);
        }
}
