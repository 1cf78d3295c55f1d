/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A chip's features and their subfeatures as libsensors lists them, listed once per shape of
 * chip.
 *
 * libsensors looks the chip up among all chips on every call that lists a feature or a
 * subfeature (sensors_lookup_chip(), a scan from the first chip), so listing every chip costs
 * time in the square of the chips. What it lists for a chip it made at sensors_init() from the
 * chip directory's regular files alone: their names, in the directory's order (lib/sysfs.c,
 * sensors_read_dynamic_chip()). Two chips whose directories list the same names in the same
 * order have the same features and subfeatures, with the same names, types and numbers. So the
 * first chip of each shape is listed through libsensors and the next ones take its list; what
 * differs between them, the modes of their files, is looked at when a value is read
 * (sensors-value.c).
 *
 * Through libsensors always: a chip that an `ignore` statement may touch (what it drops is that
 * chip's own), and a chip named like one before it (libsensors answers for the first of them).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <sensors/sensors.h>

struct sensors_layout {
        /* libsensors', of the chip listed: borrowed until sensors_lib_release() */
        const sensors_feature **features;
        size_t n_features;
        /* NULL until listed; then feature i has subs[first[i]] up to subs[first[i + 1]] */
        size_t *first;
        const sensors_subfeature **subs;
};

/* The chip's features through libsensors, into layout (owned: sensors_layout_clear()); its
 * subfeatures too when with_subfeatures. Returns 0 or -ENOMEM. */
int sensors_layout_list(struct sensors_layout *layout, const sensors_chip_name *chip,
                        bool with_subfeatures);
void sensors_layout_clear(struct sensors_layout *layout);

/* The layouts of one enumeration. */
struct sensors_layout_cache;

int sensors_layout_cache_new(struct sensors_layout_cache **ret);
void sensors_layout_cache_free(struct sensors_layout_cache *cache);

/*
 * The layout of chip, whose directory handle is dirfd (called for each chip in libsensors'
 * order), for a chip that no ignore statement may touch: that of an earlier chip with the same
 * files, or listed now and kept for the next ones. Returns 0 with *ret borrowed from the cache
 * and *ret_shared true if it was listed for another chip; -ENOENT if the chip is to be listed
 * on its own (named like an earlier one, a directory that cannot be listed, the cache full);
 * or -ENOMEM.
 */
int sensors_layout_cache_get(struct sensors_layout_cache *cache, const sensors_chip_name *chip,
                             const char *name, int dirfd, const struct sensors_layout **ret,
                             bool *ret_shared);
