/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "sensors-feature.h"
#include "sensors-kinds.h"
#include "sensors-lib.h"
#include "sensors-value.h"
#include "common/sysfs-read.h"

/* CIM_ManagedSystemElement.OperationalStatus values. */
enum {
        CIM_STATUS_OK = 2,
        CIM_STATUS_ERROR = 6,
};

/* sensors_get_label() reads a _label file into a PATH_MAX buffer. */
#define LABEL_FILE_MAX 4096
/* More than any chip has for one feature (libsensors knows 24 kinds of temp subfeature). */
#define FEATURE_SUBFEATURE_MAX 64

struct feature_values {
        double value[SENSORS_SUBFEATURE_MAX];
        bool has[SENSORS_SUBFEATURE_MAX];
        const sensors_subfeature *input;        /* the feature's input subfeature, or NULL */
        int input_error;        /* why it could not be read (sensors_value_read()), or 0 */
        const char *fault_name;
};

int sensors_feature_key(const struct sensors_chip_info *info, const sensors_feature *feature,
                        char *buf, size_t size)
{
        size_t chip = strlen(info->name), name = strlen(feature->name);

        if (chip + 1 + name >= size)
                return -ENAMETOOLONG;
        memcpy(buf, info->name, chip);
        buf[chip] = '/';
        memcpy(buf + chip + 1, feature->name, name + 1);
        return 0;
}

static void read_subfeatures(const struct sensors_request *req, struct sensors_chip_info *info,
                             size_t index, struct feature_values *fv)
{
        const sensors_feature *feature = info->layout->features[index];
        const sensors_subfeature *subs[FEATURE_SUBFEATURE_MAX];
        size_t n = sensors_chip_info_subfeatures(info, index, subs, FEATURE_SUBFEATURE_MAX);

        for (size_t i = 0; i < n; i++) {
                const sensors_subfeature *sub = subs[i];
                int row = subfeature_property_find(feature, sub), r;
                double value;

                if (row < 0 || row >= SENSORS_SUBFEATURE_MAX)
                        continue;
                if (row == SUBFEATURE_INPUT)
                        fv->input = sub;
                if (row == SUBFEATURE_FAULT)
                        fv->fault_name = sub->name;
                if (!req->read_subfeature[row])
                        continue;
                r = sensors_value_read(info, feature, sub, &value);
                if (r < 0) {
                        if (row == SUBFEATURE_INPUT)
                                fv->input_error = r;
                        continue;
                }
                fv->value[row] = value;
                fv->has[row] = true;
        }
        /* Power meters that only average: the average is the reading. */
        if (!fv->input && fv->has[SUBFEATURE_AVERAGE]) {
                fv->value[SUBFEATURE_INPUT] = fv->value[SUBFEATURE_AVERAGE];
                fv->has[SUBFEATURE_INPUT] = true;
        }
}

/* Why the input could not be read, in words. */
static void describe_read_error(struct sensors_chip_info *info, const struct feature_values *fv,
                                char *buf, size_t size)
{
        const char *name = fv->input->name;
        char text[64];

        switch (fv->input_error) {
        case -ENODATA:
                snprintf(buf, size, "%s: empty attribute", name);
                break;
        case -EINVAL:
                sensors_value_text(info, fv->input, text, sizeof(text));
                snprintf(buf, size, "%s: not a number (it reads \"%s\")", name, text);
                break;
        case -EDOM:
                snprintf(buf, size, "%s: not a finite number", name);
                break;
        case -EACCES:
                snprintf(buf, size, "%s: not readable", name);
                break;
        default:
                snprintf(buf, size, "%s: %s", name, strerror(-fv->input_error));
                break;
        }
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

        if (fv->input && !fv->has[SUBFEATURE_INPUT] && fv->input_error) {
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

/* What sensors_get_label() gives where no label statement applies: the feature's _label file,
 * up to PATH_MAX bytes, less its last byte (the newline), up to a NUL; else the feature's name.
 * Returns buf or the name. */
static const char *read_label_file(struct sensors_chip_info *info, const sensors_feature *feature,
                                   char *buf, size_t size)
{
        char name[256];
        int n;

        /* the directory was listed: a file that is not there is not opened */
        if (info->labels_listed && !sensors_listing_has_label(info->listing, feature))
                return feature->name;
        if ((size_t)snprintf(name, sizeof(name), "%s_label", feature->name) >= sizeof(name))
                return feature->name;
        n = sysfs_read_bytes(info->dirfd, name, buf, size - 1);
        if (n < 0 && n != -ENOENT) {
                info->failed_reads++;
                sensors_chip_info_note_unreadable(info, name, n);
        }
        if (n <= 0)
                return feature->name;
        buf[n - 1] = '\0';
        return buf;
}

/* sensors_get_label(), by libsensors for a chip of an inexact configuration: never on a
 * _label file that its fopen() would block on. */
static int label_through_libsensors(const struct sensors_request *req,
                                    struct sensors_chip_info *info,
                                    const sensors_feature *feature, char **ret)
{
        char name[256];
        int r;

        snprintf(name, sizeof(name), "%s_label", feature->name);
        r = sensors_value_check_file(info, name);
        if (r == 0)
                r = sensors_lib_get_label(info->chip, feature, ret);
        if (r < 0)
                glue_call_log(req->call, LOG_WARNING, "%s/%s: no label: %s", info->name,
                              feature->name, strerror(-r));
        return r;
}

/* "coretemp-isa-0000 Core 0" */
static void set_caption(const struct sensors_chip_info *info, const char *label,
                        struct glue_instance *inst)
{
        size_t chip = strlen(info->name), len = strlen(label);
        char buf[512];

        if (chip + 1 + len >= sizeof(buf)) {
                (void)glue_instance_set_stringf(inst, "Caption", "%s %s", info->name, label);
                return;
        }
        memcpy(buf, info->name, chip);
        buf[chip] = ' ';
        memcpy(buf + chip + 1, label, len);
        (void)glue_instance_set_string_len(inst, "Caption", buf, chip + 1 + len);
}

static void set_label(const struct sensors_request *req, struct sensors_chip_info *info,
                      const sensors_feature *feature, struct glue_instance *inst)
{
        const char *label = NULL, *statement;
        char file_label[LABEL_FILE_MAX + 1], *raw = NULL;

        if (info->config.exact && (statement = sensors_config_view_label(&info->config,
                                                                         feature->name))) {
                raw = strdup(statement);
                label = raw ? clean_label(raw) : NULL;
        } else if (info->config.exact || !info->through_libsensors ||
                   !sensors_config_view_may(&info->config, SENSORS_STATEMENT_LABEL,
                                            feature->name)) {
                if (read_label_file(info, feature, file_label, sizeof(file_label)) == file_label)
                        label = clean_label(file_label);
        } else if (label_through_libsensors(req, info, feature, &raw) == 0) {
                label = clean_label(raw);
        }
        if (!label)
                label = feature->name;
        (void)glue_instance_set_string(inst, "Label", label);
        (void)glue_instance_set_string(inst, "ElementName", label);
        set_caption(info, label, inst);
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
                         size_t index)
{
        const sensors_feature *feature = info->layout->features[index];
        const struct sensor_kind *kind = sensor_kind_find(feature->type);
        struct glue_call *call = req->call;
        struct feature_values fv = { 0 };
        unsigned failed_before = info->failed_reads;
        const struct glue_class *cls;
        struct glue_instance *inst;
        char key[512];
        int r, kind_at;

        kind_at = kind ? kind_index(kind) : -1;
        if (kind_at < 0 || kind_at >= SENSORS_KIND_MAX || !req->kind_class[kind_at])
                return 1;
        cls = req->kind_class[kind_at];
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

        read_subfeatures(req, info, index, &fv);
        set_subfeature_properties(inst, &fv);
        set_cim_properties(req, kind, inst, &fv);
        if (feature->type == SENSORS_FEATURE_INTRUSION)
                set_intrusion_state(inst, &fv);
        if (req->want_status)
                set_status(req, info, inst, &fv);
        if (!sensors_chip_info_read_whole(info, failed_before)) {
                glue_instance_unref(inst);
                return -ENODEV;
        }
        return glue_call_post(call, inst);
}
