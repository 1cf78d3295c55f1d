/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A chip directory's features and subfeatures, made from its file names the way libsensors 3.6
 * makes them at sensors_init() (lib/sysfs.c, sensors_read_dynamic_chip()), without it.
 *
 * libsensors takes the directory's regular files whose names it knows ("temp1_max": type
 * SENSORS_SUBFEATURE_TEMP_MAX of channel 1), groups them into features by kind and channel,
 * orders features by kind then channel and subfeatures by type, and numbers both in that order;
 * a second file for the same slot ("temp01_max") is dropped. The kinds and their subfeatures
 * are those of <sensors/sensors.h>, and every name is parsed as libsensors parses it
 * (scanf's "%d" for the channel). What it also notes per file, the mode that stat() gives, is
 * not looked at here: the value reader takes it from each file it opens (sensors-value.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <sensors/sensors.h>

#include "sensors-layout.h"

struct sensors_listing {
        /* what the provider reads: points into the arrays below, valid until the next
         * sensors_listing_read() or sensors_listing_free() */
        struct sensors_layout layout;
        sensors_feature *features;
        sensors_subfeature *subfeatures;
        size_t n_features, n_subfeatures;
        /* storage, kept from one chip to the next */
        char *names;
        size_t names_len, names_allocated;
        struct listing_entry *entries;
        size_t n_entries, entries_allocated;
        size_t features_allocated, subfeatures_allocated;
        const sensors_feature **feature_ptrs;
        const sensors_subfeature **subfeature_ptrs;
        size_t *first;
        char *dents;            /* getdents64()'s buffer */
        /* the features whose "<name>_label" is in the directory, by feature number: the
         * others' label is their name without a failed open */
        bool *has_label;
        char *labels;           /* the names before "_label", each NUL-ended */
        size_t labels_len, labels_allocated;
};

/* Has the directory a _label file for the feature (a feature of this listing)? */
bool sensors_listing_has_label(const struct sensors_listing *listing,
                               const sensors_feature *feature);

/* A chip directory holds a few dozen entries: one read of this size takes them all. */
#define SENSORS_LISTING_DENTS_SIZE 8192

/* A file whose name is a subfeature's but that libsensors passes over as no regular file: a
 * FIFO (-EAGAIN) or a device or socket (-ENXIO), which would block or fail a reader. */
typedef void (*sensors_listing_note_fn)(void *userdata, const char *name, int error);

/* Read the directory of dirfd (which stays open and in place) into listing. Returns the number
 * of subfeatures (0: libsensors drops such a chip), or a negative errno if the directory cannot
 * be read (-ENOMEM too). note (may be NULL) hears of the files passed over. */
int sensors_listing_read(struct sensors_listing *listing, int dirfd,
                         sensors_listing_note_fn note, void *userdata);
void sensors_listing_free(struct sensors_listing *listing);

/* The subfeature type libsensors gives a file name, and its channel as libsensors numbers it
 * (from 0; "temp1_input" is channel 0, "in0_input" channel 0); SENSORS_SUBFEATURE_UNKNOWN for a
 * name it does not take. */
sensors_subfeature_type sensors_listing_subfeature_type(const char *name, int *ret_channel);
