/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A hwmon chip as libsensors sees it, and the sysfs device it belongs to: the chip's name as
 * `sensors` prints it (the key), its adapter, and the device path, subsystem, driver and PCI
 * function that tie its readings to the PCI function or disk they measure. The device is the
 * one the walk resolved from the chip's own directory (sensors-walk.h): its path, and its
 * subsystem and driver read from there, the one place a sensor's device is known.
 */
#pragma once

#include <stdbool.h>

#include <sensors/sensors.h>

#include "libglue.h"
#include "common/pci-address.h"
#include "sensors-config.h"
#include "sensors-layout.h"
#include "sensors-request.h"
#include "sensors-walk.h"

struct sensors_chip_info {
        struct glue_call *call;         /* for unreadable files */
        const struct sensors_walk *walk;        /* borrowed */
        const struct sensors_walk_chip *walked; /* the chip as the walk found it, borrowed */
        /* the walk's name, or libsensors' chip for one it answers for (borrowed) */
        const sensors_chip_name *chip;
        char name[256];                 /* "coretemp-isa-0000" */
        const char *adapter;            /* borrowed, or NULL */
        int dirfd;                      /* the attribute directory (the walk's) */
        bool device_looked_up;
        char subsystem[64];             /* "pci", "platform", ... or "" */
        char driver[64];                /* "amdgpu", ... or "" */
        char pci_address[PCI_ADDRESS_MAX]; /* the device's or nearest parent's "dddd:bb:dd.f", or "" */
        struct sensors_config_view config; /* the sensors.conf statements that may apply */
        /* Its features that the configuration does not ignore, in libsensors' order, with their
         * subfeatures: the walk's listing, or libsensors' */
        const struct sensors_layout *layout;
        /* every subfeature of the chip, ignored features' too (compute statements may name
         * them): the walk's; NULL through libsensors */
        const struct sensors_listing *listing;
        bool through_libsensors;        /* libsensors reads what a statement may change */
        bool modes_from_files;          /* the subfeatures' mode bits: from each file opened */
        bool labels_listed;             /* the listing says which _label files it has */
        /* through libsensors: 0 not looked at yet, 1 none of its attributes blocks, -EAGAIN
         * one does (libsensors is not asked for its values then) */
        int files_checked;
        /* reads that failed so far: only then may the chip have vanished under them */
        unsigned failed_reads;
        struct sensors_layout own;      /* listed through libsensors, or the walk's less ignores */
};

/* A chip of the walk (walked, its features in listing), read by the provider itself: with an
 * exact configuration, or one of whose statements none may touch it. Returns 0 or -ENOMEM. */
int sensors_chip_info_init(struct sensors_chip_info *info, struct glue_call *call,
                           const struct sensors_walk *walk,
                           const struct sensors_walk_chip *walked,
                           const struct sensors_listing *listing);
/* The same chip as libsensors lists it (lib_chip, between sensors_lib_acquire() and
 * sensors_lib_release()), for one that statements of an inexact configuration may touch:
 * libsensors answers for what they may change. Returns 0 or -ENOMEM. */
int sensors_chip_info_init_libsensors(struct sensors_chip_info *info, struct glue_call *call,
                                      const struct sensors_walk *walk,
                                      const struct sensors_walk_chip *walked,
                                      const sensors_chip_name *lib_chip);
void sensors_chip_info_done(struct sensors_chip_info *info);
/* The subfeatures of feature info->layout->features[index], in libsensors' order, into subs (up
 * to max). Returns the count. */
size_t sensors_chip_info_subfeatures(const struct sensors_chip_info *info, size_t index,
                                     const sensors_subfeature **subs, size_t max);
/* Resolve the device fields once; what cannot be resolved stays "". */
void sensors_chip_info_look_up_device(struct sensors_chip_info *info);
/* Does the chip's path (/sys/class/hwmon/hwmonN) still lead to its directory? false once the
 * chip is removed. */
bool sensors_chip_info_is_still_there(struct sensors_chip_info *info);
/* Were the reads since the count failed_before (info->failed_reads then) all of a chip that is
 * still there? A read that succeeded read the chip before any removal began: only a failed
 * one needs the look (the kernel takes the class link away before the files). */
bool sensors_chip_info_read_whole(struct sensors_chip_info *info, unsigned failed_before);
/* A file of the chip as it was opened ("<sysroot>/sys/class/hwmon/hwmon0/temp1_input"), for
 * messages and unreadable files. Owned, or NULL. */
char *sensors_chip_info_file_path(const struct sensors_chip_info *info, const char *name);
/* Note a file of the chip that could not be read (not one it does not have). */
void sensors_chip_info_note_unreadable(const struct sensors_chip_info *info, const char *name,
                                       int error);

/* Set the properties that sensors share with their chip (ChipName, Adapter, SysfsPath, ...)
 * that the request wants. */
void sensors_chip_set_common(const struct sensors_request *req, struct sensors_chip_info *info,
                             struct glue_instance *inst);
/* Post the chip itself as Linux_SensorChip. Returns glue_call_post()'s result, or -ENODEV if the
 * chip vanished while it was read (not posted). */
int sensors_chip_post(const struct sensors_request *req, struct sensors_chip_info *info);
