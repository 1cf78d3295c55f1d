/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What each kind of libsensors feature becomes in the schema: its class, its CIM sensor type and
 * units, and which property each of its subfeatures ("temp1_max" -> Maximum) fills.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sensors/sensors.h>

struct sensor_kind {
        sensors_feature_type type;
        const char *class_name;
        uint16_t sensor_type;       /* CIM_Sensor.SensorType */
        const char *other_type;     /* OtherSensorTypeDescription when SensorType is Other */
        uint16_t base_units;        /* CIM_NumericSensor.BaseUnits; 0 (Unknown) for no reading */
        int unit_modifier;          /* hwmon's resolution: 10^this base units */
};

/* The kind of a libsensors feature type, or NULL for types that are no sensor (beep_enable). */
const struct sensor_kind *sensor_kind_find(sensors_feature_type type);
/* Every kind, for resolving their classes once per call. */
size_t sensor_kind_count(void);
const struct sensor_kind *sensor_kind_at(size_t index);

/*
 * What a subfeature's attribute counts in, as a divisor to the base unit libsensors reports
 * (volts, degrees Celsius, amperes, watts, joules, percent, RPM, seconds): 1000 for a
 * millivolt attribute, 1 for an alarm. From the kernel's hwmon sysfs ABI
 * (Documentation/hwmon/sysfs-interface.rst).
 */
double hwmon_attribute_divisor(sensors_subfeature_type type);

enum subfeature_value {
        SUBFEATURE_REAL,            /* a reading or threshold in base units */
        SUBFEATURE_FLAG,            /* alarm, fault, beep: boolean */
        SUBFEATURE_UINT,            /* fan divisor and pulses, temperature type */
};

/* CIM_NumericSensor.SupportedThresholds values. */
enum {
        CIM_THRESHOLD_LOWER_NON_CRITICAL = 0,
        CIM_THRESHOLD_UPPER_NON_CRITICAL = 1,
        CIM_THRESHOLD_LOWER_CRITICAL = 2,
        CIM_THRESHOLD_UPPER_CRITICAL = 3,
        CIM_THRESHOLD_LOWER_FATAL = 4,
        CIM_THRESHOLD_UPPER_FATAL = 5,
        CIM_THRESHOLD_NONE = -1,
};

struct subfeature_property {
        const char *suffix;         /* after the feature name and '_': "max_hyst" */
        const char *property;       /* the Linux_Sensor (or subclass) property it fills */
        enum subfeature_value value;
        const char *cim_property;   /* the CIM_NumericSensor property it also fills, or NULL */
        int cim_threshold;          /* its SupportedThresholds value, or CIM_THRESHOLD_NONE */
};

/* Indexes of the rows the reader treats specially. */
enum {
        SUBFEATURE_INPUT = 0,
        SUBFEATURE_AVERAGE = 1,
        SUBFEATURE_FAULT = 2,
        SUBFEATURE_ALARM = 3,
};

size_t subfeature_property_count(void);
const struct subfeature_property *subfeature_property_at(size_t index);
/* The row for a subfeature of the feature: "temp1_max_hyst" of "temp1" -> MaximumHysteresis.
 * A feature whose only subfeature is itself ("cpu0_vid") reads as its input. -1 if unknown. */
int subfeature_property_find(const sensors_feature *feature, const sensors_subfeature *sub);
