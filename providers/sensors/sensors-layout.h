/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A chip's features, each with its subfeatures in libsensors' order: the shape the provider
 * reads a chip by, filled from the chip's own files (sensors-listing.h) or, for a chip that
 * only libsensors can answer for, through libsensors. libsensors looks the chip up among all
 * chips on every call that lists a feature or a subfeature, so that list is taken once.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <sensors/sensors.h>

struct sensors_layout {
        /* borrowed: from the listing, or libsensors' until sensors_lib_release() */
        const sensors_feature **features;
        size_t n_features;
        /* feature i has subs[first[i]] up to subs[first[i + 1]] */
        size_t *first;
        const sensors_subfeature **subs;
};

/* The chip's features through libsensors, into layout (owned: sensors_layout_clear()); its
 * subfeatures too when with_subfeatures. Returns 0 or -ENOMEM. */
int sensors_layout_list(struct sensors_layout *layout, const sensors_chip_name *chip,
                        bool with_subfeatures);
void sensors_layout_clear(struct sensors_layout *layout);
