/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>

#include "sensors-request.h"

/* Is the class (one of ours) in the subtree the call enumerates? */
static const struct glue_class *wanted_class(struct glue_call *call, const struct glue_class *cls,
                                             const char *name)
{
        const struct glue_class *c;

        if (glue_context_find_class(glue_call_get_context(call), NULL, name, &c) < 0)
                return NULL;
        return glue_class_is_a(c, cls) ? c : NULL;
}

static bool wants_any(struct glue_call *call, const char *const *names)
{
        for (; *names; names++)
                if (glue_call_wants(call, *names))
                        return true;
        return false;
}

static const char *const common_properties[SENSORS_COMMON_COUNT] = {
        [SENSORS_COMMON_CHIP_NAME] = "ChipName",
        [SENSORS_COMMON_ADAPTER] = "Adapter",
        [SENSORS_COMMON_SYSFS_PATH] = "SysfsPath",
        [SENSORS_COMMON_PCI_ADDRESS] = "PCIAddress",
        [SENSORS_COMMON_HWMON_PATH] = "HwmonPath",
        [SENSORS_COMMON_DEVICE_SUBSYSTEM] = "DeviceSubsystem",
        [SENSORS_COMMON_DRIVER] = "Driver",
};

const char *sensors_common_property(size_t index)
{
        return index < SENSORS_COMMON_COUNT ? common_properties[index] : NULL;
}

int sensors_request_init(struct sensors_request *req, struct glue_call *call,
                         const struct glue_class *cls)
{
        static const char *const label_props[] = { "Label", "ElementName", "Caption", NULL };
        static const char *const device_props[] = { "SysfsPath", "PCIAddress", "HwmonPath",
                                                    "DeviceSubsystem", "Driver", NULL };
        static const char *const cim_props[] = { "BaseUnits", "UnitModifier", "CurrentReading",
                                                 "SupportedThresholds", NULL };
        static const char *const status_props[] = { "OperationalStatus", "ReadError", "Status",
                                                    NULL };
        const struct glue_class *base;

        *req = (struct sensors_request){ .call = call };
        if (glue_context_find_class(glue_call_get_context(call), NULL, "Linux_Sensor", &base) < 0)
                return -ESRCH;
        req->chip_class = wanted_class(call, cls, "Linux_SensorChip");
        for (size_t i = 0; i < sensor_kind_count() && i < SENSORS_KIND_MAX; i++)
                req->kind_class[i] = wanted_class(call, cls, sensor_kind_at(i)->class_name);

        for (size_t i = 0; i < SENSORS_COMMON_COUNT; i++)
                req->want_common[i] = glue_call_wants(call, common_properties[i]);
        req->want_label = wants_any(call, label_props);
        req->want_device = wants_any(call, device_props);
        req->want_cim = wants_any(call, cim_props);
        req->want_status = wants_any(call, status_props);
        for (size_t i = 0; i < subfeature_property_count() && i < SENSORS_SUBFEATURE_MAX; i++) {
                const struct subfeature_property *p = subfeature_property_at(i);

                req->read_subfeature[i] = glue_call_wants(call, p->property) ||
                                          (p->cim_property && glue_call_wants(call, p->cim_property)) ||
                                          (req->want_cim && p->cim_property);
        }
        /* The status says whether the reading could be read, and whether the chip flags a
         * fault; the CIM reading falls back to the average where there is no input. */
        if (req->want_status) {
                req->read_subfeature[SUBFEATURE_INPUT] = true;
                req->read_subfeature[SUBFEATURE_FAULT] = true;
        }
        if (req->read_subfeature[SUBFEATURE_INPUT])
                req->read_subfeature[SUBFEATURE_AVERAGE] = true;
        /* Intrusion sensors have no input: their state is the alarm. */
        if (glue_call_wants(call, "CurrentState"))
                req->read_subfeature[SUBFEATURE_ALARM] = true;
        return 0;
}

bool sensors_request_wants_sensors(const struct sensors_request *req)
{
        for (size_t i = 0; i < SENSORS_KIND_MAX; i++)
                if (req->kind_class[i])
                        return true;
        return false;
}
