/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A hwmon chip as libsensors sees it, and the sysfs device it belongs to: the chip's name as
 * `sensors` prints it (the key), its adapter, and the device path, subsystem, driver and PCI
 * function that tie its readings to the PCI function or disk they measure.
 */
#pragma once

#include <stdbool.h>

#include <sensors/sensors.h>

#include "libglue.h"
#include "sensors-config.h"
#include "sensors-layout.h"
#include "sensors-request.h"

struct sensors_chip_info {
        const sensors_chip_name *chip;  /* libsensors', borrowed */
        char name[256];                 /* "coretemp-isa-0000" */
        const char *adapter;            /* libsensors', borrowed, or NULL */
        bool device_looked_up;
        char *hwmon_path;               /* chip->path with links resolved (owned), or NULL */
        char *device_path;              /* the device the chip belongs to (owned), or NULL */
        char subsystem[64];             /* "pci", "platform", ... or "" */
        char driver[64];                /* "amdgpu", ... or "" */
        char pci_address[16];           /* the device's or nearest parent's "dddd:bb:dd.f", or "" */
        int dirfd;                      /* chip->path, opened on first need, or -1 */
        struct sensors_config_view config; /* the sensors.conf statements that may apply */
        /* Its features that the configuration does not ignore, in libsensors' order, and maybe
         * their subfeatures: own, or of a chip with the same files (sensors-layout.h). */
        const struct sensors_layout *layout;
        bool layout_shared;             /* listed for another chip: its modes are not this one's */
        struct sensors_layout own;
};

/* Name the chip and list its features, with the enumeration's cache of layouts (NULL: list
 * them through libsensors). Returns 0, -EINVAL if libsensors cannot print the chip's name, or
 * -ENOMEM. Between sensors_lib_acquire() and sensors_lib_release(). */
int sensors_chip_info_init(struct sensors_chip_info *info, const sensors_chip_name *chip,
                           struct sensors_layout_cache *cache);
void sensors_chip_info_done(struct sensors_chip_info *info);
/* The subfeatures of feature info->layout->features[index], in libsensors' order, into subs (up
 * to max). Returns the count. */
size_t sensors_chip_info_subfeatures(const struct sensors_chip_info *info, size_t index,
                                     const sensors_subfeature **subs, size_t max);
/* Resolve the device fields once; what cannot be resolved stays NULL/"" . */
void sensors_chip_info_look_up_device(struct sensors_chip_info *info);
/* A directory handle on the chip's attributes, or a negative errno. Borrowed. */
int sensors_chip_info_dirfd(struct sensors_chip_info *info);
/* Does the chip's path (/sys/class/hwmon/hwmonN) still lead to the directory of that handle?
 * false once the chip is removed (or if no handle was opened). */
bool sensors_chip_info_is_still_there(struct sensors_chip_info *info);

/* Set the properties that sensors share with their chip (ChipName, Adapter, SysfsPath, ...)
 * that the request wants. */
void sensors_chip_set_common(const struct sensors_request *req, struct sensors_chip_info *info,
                             struct glue_instance *inst);
/* Post the chip itself as Linux_SensorChip. Returns glue_call_post()'s result, or -ENODEV if the
 * chip vanished while it was read (not posted). */
int sensors_chip_post(const struct sensors_request *req, struct sensors_chip_info *info);
