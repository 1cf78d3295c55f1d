/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Truth: what lspci printed for a tree, field by field, against the property that carries each
 * field. A tally counts the fields compared and those that agree; a field that differs on
 * purpose is listed (tree, slot, field, reason) and counted apart, so that the test can print
 * the share of agreeing fields and fail below 100% without hiding a known difference.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci-test.h"

/* A difference on purpose: tree and slot may be "*" for any. */
struct truth_exception {
        const char *tree, *slot, *field, *reason;
};

struct truth_tally {
        const char *tree;                         /* the tree being compared (a short name) */
        const struct truth_exception *exceptions; /* NULL-terminated by .field */
        size_t compared, agreed, excused, failed;
};

/* Record one comparison; prints a disagreement (and whether it is excused). */
void truth_record(struct truth_tally *tally, const char *slot, const char *field, bool agree,
                  const char *lspci_text, const char *hwglue_text);

/* Print the share and return whether every comparison agreed or was excused. */
bool truth_report(const struct truth_tally *tally, const char *what);

/* -vmm -nn -k records: IDs (from the brackets), names, driver, module, NUMA node, IOMMU group,
 * physical slot; compare_names off for trees whose oracle came from another pci.ids. */
void truth_compare_vmm(struct truth_tally *tally, const struct glue_instance *inst,
                       const struct vmm_record *record, bool compare_names);

/* One function of `lspci -vvv -nn` output. */
#define VVV_MAX_REGIONS 8
#define VVV_MAX_CAPS 64

struct vvv_region {
        unsigned number;
        char kind[16]; /* as BARTypes spells it */
        bool prefetchable, unassigned;
        uint64_t address, size;
};

struct vvv_window {
        bool shown, enabled;
        uint64_t base, limit;
};

struct vvv_function {
        char slot[32];
        bool cut_short; /* lspci stopped while printing it: only its first line is whole */
        bool no_config; /* lspci could not open its config: no capabilities shown, unknown */
        char prog_if_name[128]; /* from "(prog-if 30 [XHCI])", "" if none */
        bool has_prog_if_name;
        size_t region_count;
        struct vvv_region regions[VVV_MAX_REGIONS];
        bool has_rom, rom_unassigned;
        uint64_t rom_address, rom_size;
        struct vvv_window windows[3]; /* I/O, memory, prefetchable */
        bool caps_denied;             /* "<access denied>" */
        bool caps_broken;             /* "<chain broken>" or "<chain looped>" */
        size_t cap_count;
        unsigned cap_offsets[VVV_MAX_CAPS];
        char *cap_texts[VVV_MAX_CAPS];
        bool has_lnkcap, has_lnksta, downgraded;
        unsigned max_speed_tenths, max_width, current_speed_tenths, current_width;
        char driver[64];
};

size_t vvv_parse(const char *text, struct vvv_function **ret);
void vvv_free(struct vvv_function *functions, size_t count);
const struct vvv_function *vvv_find(const struct vvv_function *functions, size_t count,
                                    const char *slot);

/* BARs, ROM, bridge windows, capabilities, link and driver. */
void truth_compare_vvv(struct truth_tally *tally, const struct glue_instance *inst,
                       const struct vvv_function *function);
