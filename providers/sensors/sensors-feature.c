/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <sensors/error.h>

#include "sensors-feature.h"
#include "sensors-kinds.h"
#include "sensors-lib.h"
#include "common/sysfs-read.h"

/* CIM_ManagedSystemElement.OperationalStatus values. */
enum {
        CIM_STATUS_OK = 2,
        CIM_STATUS_ERROR = 6,
};

struct feature_values {
        double value[SENSORS_SUBFEATURE_MAX];
        bool has[SENSORS_SUBFEATURE_MAX];
        bool has_input;         /* the feature has an input subfeature at all */
        int input_error;        /* libsensors' error reading it, or 0 */
        const char *input_name; /* its attribute name */
        const char *fault_name;
};

int sensors_feature_key(const struct sensors_chip_info *info, const sensors_feature *feature,
                        char *buf, size_t size)
{
        int n = snprintf(buf, size, "%s/%s", info->name, feature->name);

        return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static void read_subfeatures(const struct sensors_request *req, struct sensors_chip_info *info,
                             const sensors_feature *feature, struct feature_values *fv)
{
        const sensors_subfeature *sub;
        int nr = 0;

        while ((sub = sensors_get_all_subfeatures(info->chip, feature, &nr))) {
                int row = subfeature_property_find(feature, sub), r;
                double value;

                if (row < 0 || row >= SENSORS_SUBFEATURE_MAX)
                        continue;
                if (row == SUBFEATURE_INPUT) {
                        fv->has_input = true;
                        fv->input_name = sub->name;
                }
                if (row == SUBFEATURE_FAULT)
                        fv->fault_name = sub->name;
                if (!req->read_subfeature[row])
                        continue;
                if (!(sub->flags & SENSORS_MODE_R)) {
                        r = -SENSORS_ERR_ACCESS_R;
                } else {
                        r = sensors_get_value(info->chip, sub->number, &value);
                        /* A compute statement in sensors.conf can divide by zero. */
                        if (r == 0 && !isfinite(value))
                                r = -SENSORS_ERR_DIV_ZERO;
                }
                if (r < 0) {
                        if (row == SUBFEATURE_INPUT)
                                fv->input_error = r;
                        continue;
                }
                fv->value[row] = value;
                fv->has[row] = true;
        }
        /* Power meters that only average: the average is the reading. */
        if (!fv->has_input && fv->has[SUBFEATURE_AVERAGE]) {
                fv->value[SUBFEATURE_INPUT] = fv->value[SUBFEATURE_AVERAGE];
                fv->has[SUBFEATURE_INPUT] = true;
        }
}

/* Why the input could not be read, in words: libsensors only says "can't read", so look at the
 * attribute once more, without blocking, to tell an empty file from EIO or EAGAIN. */
static void describe_read_error(struct sensors_chip_info *info, const struct feature_values *fv,
                                char *buf, size_t size)
{
        char text[64];
        int fd, r;

        fd = sensors_chip_info_dirfd(info);
        r = fd < 0 ? fd : sysfs_read_attr(fd, fv->input_name, text, sizeof(text));
        if (r == 0)
                snprintf(buf, size, "%s: empty attribute", fv->input_name);
        else if (r == -EFBIG)
                snprintf(buf, size, "%s: not a number (too long)", fv->input_name);
        else if (r < 0)
                snprintf(buf, size, "%s: %s", fv->input_name, strerror(-r));
        else
                snprintf(buf, size, "%s: %s (it reads \"%s\")", fv->input_name,
                         sensors_strerror(fv->input_error), text);
}

static void set_subfeature_properties(struct glue_instance *inst, const struct feature_values *fv)
{
        for (size_t i = 0; i < subfeature_property_count() && i < SENSORS_SUBFEATURE_MAX; i++) {
                const struct subfeature_property *p = subfeature_property_at(i);
                double v = fv->value[i];

                if (!fv->has[i])
                        continue;
                /* Properties that the class lacks (-EINVAL) are those of other kinds. */
                switch (p->value) {
                case SUBFEATURE_REAL:
                        (void)glue_instance_set_real(inst, p->property, v);
                        break;
                case SUBFEATURE_FLAG:
                        (void)glue_instance_set_bool(inst, p->property, v != 0);
                        break;
                case SUBFEATURE_UINT:
                        if (v >= 0 && v <= (double)UINT32_MAX)
                                (void)glue_instance_set_uint(inst, p->property, (uint64_t)llround(v));
                        break;
                }
        }
}

/* CIM's integer form: value = CurrentReading * 10^UnitModifier, in sint32. Start from hwmon's
 * resolution and coarsen until every value fits (energy counters outgrow microjoules). */
static void set_cim_properties(const struct sensors_request *req, const struct sensor_kind *kind,
                               struct glue_instance *inst, const struct feature_values *fv)
{
        uint64_t supported[6];
        size_t n_supported = 0;
        int modifier = kind->unit_modifier;

        (void)glue_instance_set_uint(inst, "SensorType", kind->sensor_type);
        if (kind->other_type)
                (void)glue_instance_set_string(inst, "OtherSensorTypeDescription", kind->other_type);
        if (kind->base_units == 0)
                return;
        for (size_t i = 0; i < subfeature_property_count() && i < SENSORS_SUBFEATURE_MAX; i++) {
                const struct subfeature_property *p = subfeature_property_at(i);

                if (!p->cim_property || !fv->has[i])
                        continue;
                while (modifier < 30 && fabs(fv->value[i]) * pow(10, -modifier) > INT32_MAX)
                        modifier++;
        }
        if (!req->want_cim)
                return;
        (void)glue_instance_set_uint(inst, "BaseUnits", kind->base_units);
        (void)glue_instance_set_sint(inst, "UnitModifier", modifier);
        for (size_t i = 0; i < subfeature_property_count() && i < SENSORS_SUBFEATURE_MAX; i++) {
                const struct subfeature_property *p = subfeature_property_at(i);

                if (!p->cim_property || !fv->has[i])
                        continue;
                (void)glue_instance_set_sint(inst, p->cim_property,
                                             llround(fv->value[i] * pow(10, -modifier)));
                if (p->cim_threshold != CIM_THRESHOLD_NONE && n_supported < 6)
                        supported[n_supported++] = (uint64_t)p->cim_threshold;
        }
        (void)glue_instance_set_uint_array(inst, "SupportedThresholds", supported, n_supported);
}

static void set_intrusion_state(struct glue_instance *inst, const struct feature_values *fv)
{
        static const char *const states[] = { "Normal", "Intrusion detected" };

        (void)glue_instance_set_string_array(inst, "PossibleStates", states, 2);
        if (fv->has[SUBFEATURE_ALARM])
                (void)glue_instance_set_string(inst, "CurrentState",
                                               states[fv->value[SUBFEATURE_ALARM] != 0]);
}

static void set_status(const struct sensors_request *req, struct sensors_chip_info *info,
                       struct glue_instance *inst, const struct feature_values *fv)
{
        uint64_t status = CIM_STATUS_OK;
        char why[256] = "";

        if (fv->has_input && !fv->has[SUBFEATURE_INPUT] && fv->input_error) {
                describe_read_error(info, fv, why, sizeof(why));
                glue_call_log(req->call, LOG_DEBUG, "%s: %s", info->name, why);
                status = CIM_STATUS_ERROR;
        } else if (fv->has[SUBFEATURE_FAULT] && fv->value[SUBFEATURE_FAULT] != 0) {
                snprintf(why, sizeof(why), "%s: the chip reports a fault", fv->fault_name);
                status = CIM_STATUS_ERROR;
        }
        (void)glue_instance_set_uint_array(inst, "OperationalStatus", &status, 1);
        (void)glue_instance_set_string(inst, "Status", status == CIM_STATUS_OK ? "OK" : "Error");
        (void)glue_instance_set_string(inst, "ReadError", why[0] ? why : NULL);
}

/* sensors.conf labels and the _label attributes are free text: amdgpu pads them with a newline
 * and NULs (libsensors keeps the newline). Control bytes become spaces, ends are trimmed; the
 * glue replaces bytes that are not UTF-8. */
static const char *clean_label(char *label)
{
        char *end;

        for (char *p = label; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        *p = ' ';
        while (*label == ' ')
                label++;
        end = label + strlen(label);
        while (end > label && end[-1] == ' ')
                *--end = '\0';
        return *label ? label : NULL;
}

static void set_label(const struct sensors_request *req, struct sensors_chip_info *info,
                      const sensors_feature *feature, struct glue_instance *inst)
{
        const char *label = NULL;
        char *raw = NULL;
        int r;

        r = sensors_lib_get_label(info->chip, feature, &raw);
        if (r < 0)
                glue_call_log(req->call, LOG_WARNING, "%s/%s: no label: %s", info->name,
                              feature->name, strerror(-r));
        else
                label = clean_label(raw);
        if (!label)
                label = feature->name;
        (void)glue_instance_set_string(inst, "Label", label);
        (void)glue_instance_set_string(inst, "ElementName", label);
        (void)glue_instance_set_stringf(inst, "Caption", "%s %s", info->name, label);
        free(raw);
}

static int kind_index(const struct sensor_kind *kind)
{
        for (size_t i = 0; i < sensor_kind_count(); i++)
                if (sensor_kind_at(i) == kind)
                        return (int)i;
        return -1;
}

int sensors_feature_post(const struct sensors_request *req, struct sensors_chip_info *info,
                         const sensors_feature *feature)
{
        const struct sensor_kind *kind = sensor_kind_find(feature->type);
        struct glue_call *call = req->call;
        struct feature_values fv = { 0 };
        const struct glue_class *cls;
        struct glue_instance *inst;
        char key[512];
        int r, index;

        index = kind ? kind_index(kind) : -1;
        if (index < 0 || index >= SENSORS_KIND_MAX || !req->kind_class[index])
                return 1;
        cls = req->kind_class[index];
        r = sensors_feature_key(info, feature, key, sizeof(key));
        if (r < 0)
                return r;
        r = glue_call_new_instance(call, glue_class_get_name(cls), &inst);
        if (r < 0)
                return r;
        r = glue_instance_set_string(inst, "DeviceID", key);
        if (r < 0) {
                glue_instance_unref(inst);
                return r;
        }
        if (glue_call_is_keys_only(call))
                return glue_call_post(call, inst);

        sensors_chip_set_common(req, info, inst);
        (void)glue_instance_set_string(inst, "FeatureName", feature->name);
        (void)glue_instance_set_string(inst, "CreationClassName", glue_class_get_name(cls));
        (void)glue_instance_set_string(inst, "Name", key);
        if (req->want_label)
                set_label(req, info, feature, inst);

        read_subfeatures(req, info, feature, &fv);
        set_subfeature_properties(inst, &fv);
        set_cim_properties(req, kind, inst, &fv);
        if (feature->type == SENSORS_FEATURE_INTRUSION)
                set_intrusion_state(inst, &fv);
        if (req->want_status)
                set_status(req, info, inst, &fv);
        if (!sensors_chip_info_is_still_there(info)) {
                glue_instance_unref(inst);
                return -ENODEV;
        }
        return glue_call_post(call, inst);
}
