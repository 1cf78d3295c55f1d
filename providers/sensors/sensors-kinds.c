/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "sensors-kinds.h"

/* SensorType and BaseUnits values are those of the DMTF CIM_Sensor / CIM_NumericSensor
 * ValueMaps (schema/sensors.mof). hwmon writes millidegrees, millivolts, milliamps,
 * milli-percent, microwatts and microjoules (Documentation/hwmon/sysfs-interface.rst);
 * libsensors scales them to base units, and CIM's UnitModifier keeps that resolution. */
static const struct sensor_kind kinds[] = {
        { SENSORS_FEATURE_TEMP, "Linux_TemperatureSensor", 2, NULL, 2, -3 },
        { SENSORS_FEATURE_IN, "Linux_VoltageSensor", 3, NULL, 5, -3 },
        { SENSORS_FEATURE_VID, "Linux_VoltageSensor", 3, NULL, 5, -3 },
        { SENSORS_FEATURE_CURR, "Linux_CurrentSensor", 4, NULL, 6, -3 },
        { SENSORS_FEATURE_POWER, "Linux_PowerSensor", 13, NULL, 7, -6 },
        { SENSORS_FEATURE_ENERGY, "Linux_EnergySensor", 1, "Energy", 8, -6 },
        { SENSORS_FEATURE_FAN, "Linux_FanSensor", 5, NULL, 19, 0 },
        { SENSORS_FEATURE_HUMIDITY, "Linux_HumiditySensor", 9, NULL, 65, -3 },
        { SENSORS_FEATURE_INTRUSION, "Linux_IntrusionSensor", 16, NULL, 0, 0 },
};

const struct sensor_kind *sensor_kind_find(sensors_feature_type type)
{
        for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
                if (kinds[i].type == type)
                        return &kinds[i];
        return NULL;
}

size_t sensor_kind_count(void)
{
        return sizeof(kinds) / sizeof(kinds[0]);
}

const struct sensor_kind *sensor_kind_at(size_t index)
{
        return index < sensor_kind_count() ? &kinds[index] : NULL;
}

double hwmon_attribute_divisor(sensors_subfeature_type type)
{
        /* The attributes with a unit of their own among the flags and settings. */
        switch (type) {
        case SENSORS_SUBFEATURE_TEMP_OFFSET:            /* millidegree Celsius */
        case SENSORS_SUBFEATURE_POWER_AVERAGE_INTERVAL: /* milliseconds */
        case SENSORS_SUBFEATURE_VID:                    /* cpu0_vid: millivolt */
                return 1000;
        default:
                break;
        }
        /* sensors.h: the subfeatures with bit 7 set are the second class: alarms, faults, beeps,
         * fan divisors and pulses, the temperature type. They are plain numbers. */
        if (type & 0x80)
                return 1;
        /* The readings and their limits (input, min, max, crit, average, lowest, cap, ...). */
        switch ((sensors_feature_type)(type >> 8)) {
        case SENSORS_FEATURE_IN:        /* millivolt */
        case SENSORS_FEATURE_TEMP:      /* millidegree Celsius */
        case SENSORS_FEATURE_CURR:      /* milliampere */
        case SENSORS_FEATURE_HUMIDITY:  /* milli-percent */
                return 1000;
        case SENSORS_FEATURE_POWER:     /* microwatt */
        case SENSORS_FEATURE_ENERGY:    /* microjoule */
                return 1000000;
        case SENSORS_FEATURE_FAN:       /* revolutions per minute */
        default:                        /* intrusion alarms, beep_enable: booleans */
                return 1;
        }
}

/* The suffixes are libsensors' (lib/sysfs.c, the *_matches tables); one row per suffix, as each
 * means the same for every kind that has it. The first rows are named in sensors-kinds.h. */
static const struct subfeature_property properties[] = {
        [SUBFEATURE_INPUT] = { "input", "Reading", SUBFEATURE_REAL, "CurrentReading",
                               CIM_THRESHOLD_NONE },
        [SUBFEATURE_AVERAGE] = { "average", "Average", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        [SUBFEATURE_FAULT] = { "fault", "Fault", SUBFEATURE_FLAG, NULL, CIM_THRESHOLD_NONE },
        [SUBFEATURE_ALARM] = { "alarm", "Alarm", SUBFEATURE_FLAG, NULL, CIM_THRESHOLD_NONE },
        { "min", "Minimum", SUBFEATURE_REAL, "LowerThresholdNonCritical",
          CIM_THRESHOLD_LOWER_NON_CRITICAL },
        { "max", "Maximum", SUBFEATURE_REAL, "UpperThresholdNonCritical",
          CIM_THRESHOLD_UPPER_NON_CRITICAL },
        { "lcrit", "LowCritical", SUBFEATURE_REAL, "LowerThresholdCritical",
          CIM_THRESHOLD_LOWER_CRITICAL },
        { "crit", "Critical", SUBFEATURE_REAL, "UpperThresholdCritical",
          CIM_THRESHOLD_UPPER_CRITICAL },
        { "emergency", "Emergency", SUBFEATURE_REAL, "UpperThresholdFatal",
          CIM_THRESHOLD_UPPER_FATAL },
        { "min_hyst", "MinimumHysteresis", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "max_hyst", "MaximumHysteresis", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "lcrit_hyst", "LowCriticalHysteresis", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "crit_hyst", "CriticalHysteresis", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "emergency_hyst", "EmergencyHysteresis", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "lowest", "Lowest", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "highest", "Highest", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "input_lowest", "Lowest", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "input_highest", "Highest", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "min_alarm", "MinimumAlarm", SUBFEATURE_FLAG, NULL, CIM_THRESHOLD_NONE },
        { "max_alarm", "MaximumAlarm", SUBFEATURE_FLAG, NULL, CIM_THRESHOLD_NONE },
        { "lcrit_alarm", "LowCriticalAlarm", SUBFEATURE_FLAG, NULL, CIM_THRESHOLD_NONE },
        { "crit_alarm", "CriticalAlarm", SUBFEATURE_FLAG, NULL, CIM_THRESHOLD_NONE },
        { "emergency_alarm", "EmergencyAlarm", SUBFEATURE_FLAG, NULL, CIM_THRESHOLD_NONE },
        { "beep", "Beep", SUBFEATURE_FLAG, NULL, CIM_THRESHOLD_NONE },
        /* temperature */
        { "type", "TemperatureType", SUBFEATURE_UINT, NULL, CIM_THRESHOLD_NONE },
        { "offset", "Offset", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        /* fan */
        { "div", "Divisor", SUBFEATURE_UINT, NULL, CIM_THRESHOLD_NONE },
        { "pulses", "Pulses", SUBFEATURE_UINT, NULL, CIM_THRESHOLD_NONE },
        /* power */
        { "average_lowest", "AverageLowest", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "average_highest", "AverageHighest", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "average_interval", "AverageInterval", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "cap", "Cap", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "cap_hyst", "CapHysteresis", SUBFEATURE_REAL, NULL, CIM_THRESHOLD_NONE },
        { "cap_alarm", "CapAlarm", SUBFEATURE_FLAG, NULL, CIM_THRESHOLD_NONE },
};

size_t subfeature_property_count(void)
{
        return sizeof(properties) / sizeof(properties[0]);
}

const struct subfeature_property *subfeature_property_at(size_t index)
{
        return index < subfeature_property_count() ? &properties[index] : NULL;
}

int subfeature_property_find(const sensors_feature *feature, const sensors_subfeature *sub)
{
        size_t len = strlen(feature->name);
        const char *suffix;

        if (strcmp(sub->name, feature->name) == 0)
                return feature->type == SENSORS_FEATURE_VID ? SUBFEATURE_INPUT : -1;
        if (strncmp(sub->name, feature->name, len) != 0 || sub->name[len] != '_')
                return -1;
        suffix = sub->name + len + 1;
        for (size_t i = 0; i < subfeature_property_count(); i++)
                if (strcmp(properties[i].suffix, suffix) == 0)
                        return (int)i;
        return -1;
}
