/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What one provider call wants, worked out once: the classes to post and the properties to read. */
#pragma once

#include <stdbool.h>

#include "libglue.h"
#include "sensors-kinds.h"

#define SENSORS_KIND_MAX 16
#define SENSORS_SUBFEATURE_MAX 64

/* The properties that a chip and each of its sensors have alike, in the order they are set. */
enum sensors_common {
        SENSORS_COMMON_CHIP_NAME,
        SENSORS_COMMON_ADAPTER,
        SENSORS_COMMON_SYSFS_PATH,      /* this one on: the chip's device, looked up once */
        SENSORS_COMMON_PCI_ADDRESS,
        SENSORS_COMMON_HWMON_PATH,
        SENSORS_COMMON_DEVICE_SUBSYSTEM,
        SENSORS_COMMON_DRIVER,
        SENSORS_COMMON_COUNT,
};

/* "ChipName", ... */
const char *sensors_common_property(size_t index);

struct sensors_request {
        struct glue_call *call;
        /* Linux_SensorChip when the call wants chips, else NULL. */
        const struct glue_class *chip_class;
        /* Per sensor_kind_at() index: its class when the call wants that kind, else NULL. */
        const struct glue_class *kind_class[SENSORS_KIND_MAX];
        /* Per subfeature_property_at() index: read that subfeature. */
        bool read_subfeature[SENSORS_SUBFEATURE_MAX];
        bool want_label;        /* sensors_get_label() reads a file: only when asked */
        bool want_device;       /* SysfsPath, PCIAddress, ...: a few readlinks per chip */
        bool want_cim;          /* the CIM numeric form */
        bool want_status;       /* OperationalStatus, ReadError */
        /* per sensors_common: wanted (glue_call_wants() once per call, not per instance) */
        bool want_common[SENSORS_COMMON_COUNT];
};

/* Work out what the call wants of cls and its subclasses. Returns 0, or -ESRCH if the schema
 * lacks the provider's classes. */
int sensors_request_init(struct sensors_request *req, struct glue_call *call,
                         const struct glue_class *cls);
/* Does the call want any sensor at all? */
bool sensors_request_wants_sensors(const struct sensors_request *req);
