/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors-oracle.h"
#include "sensors-test-util.h"
#include "test-util.h"

struct reader {
        const char *p;
        const char *start;
};

static int fail(struct reader *r, const char *what)
{
        fprintf(stderr, "sensors -j oracle: offset %td: expected %s\n", r->p - r->start, what);
        return -EBADMSG;
}

static void skip_space(struct reader *r)
{
        while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r')
                r->p++;
}

static bool accept(struct reader *r, char c)
{
        skip_space(r);
        if (*r->p != c)
                return false;
        r->p++;
        return true;
}

/* A string with JSON escapes decoded and every other byte kept as it is. */
static int read_string(struct reader *r, char **ret)
{
        size_t len = 0;
        char *buf;

        if (!accept(r, '"'))
                return fail(r, "a string");
        buf = malloc(strlen(r->p) + 1);
        if (!buf)
                return -ENOMEM;
        while (*r->p && *r->p != '"') {
                char c = *r->p++;

                if (c == '\\') {
                        c = *r->p++;
                        switch (c) {
                        case 'n': c = '\n'; break;
                        case 't': c = '\t'; break;
                        case 'r': c = '\r'; break;
                        case 'b': c = '\b'; break;
                        case 'f': c = '\f'; break;
                        case 'u': {
                                unsigned code;

                                if (sscanf(r->p, "%4x", &code) != 1 || code > 0x7f) {
                                        free(buf);
                                        return fail(r, "an ASCII \\u escape");
                                }
                                r->p += 4;
                                c = (char)code;
                                break;
                        }
                        case '\0':
                                free(buf);
                                return fail(r, "an escape");
                        default: break; /* \" \\ \/ */
                        }
                }
                buf[len++] = c;
        }
        if (*r->p != '"') {
                free(buf);
                return fail(r, "the end of a string");
        }
        r->p++;
        buf[len] = '\0';
        *ret = buf;
        return 0;
}

static int read_number(struct reader *r, double *ret)
{
        char *end;

        skip_space(r);
        *ret = strtod(r->p, &end);
        if (end == r->p)
                return fail(r, "a number");
        r->p = end;
        return 0;
}

static int read_feature(struct reader *r, struct oracle_feature *feature)
{
        if (!accept(r, '{'))
                return fail(r, "a feature object");
        if (accept(r, '}'))
                return 0;
        do {
                struct oracle_subfeature sub = { 0 }, *n;
                int err = read_string(r, &sub.name);

                if (err < 0)
                        return err;
                if (!accept(r, ':') || read_number(r, &sub.value) < 0) {
                        free(sub.name);
                        return fail(r, "\": number\"");
                }
                n = realloc(feature->subfeatures, (feature->n_subfeatures + 1) * sizeof(*n));
                if (!n) {
                        free(sub.name);
                        return -ENOMEM;
                }
                feature->subfeatures = n;
                n[feature->n_subfeatures++] = sub;
        } while (accept(r, ','));
        return accept(r, '}') ? 0 : fail(r, "'}' after a feature");
}

static int read_chip(struct reader *r, struct oracle *o, size_t chip)
{
        if (!accept(r, '{'))
                return fail(r, "a chip object");
        if (accept(r, '}'))
                return 0;
        do {
                struct oracle_feature feature = { .chip = chip }, *n;
                char *key;
                int err = read_string(r, &key);

                if (err < 0)
                        return err;
                if (!accept(r, ':')) {
                        free(key);
                        return fail(r, "':'");
                }
                skip_space(r);
                if (strcmp(key, "Adapter") == 0 && *r->p == '"') {
                        free(key);
                        err = read_string(r, &o->chips[chip].adapter);
                        if (err < 0)
                                return err;
                        continue;
                }
                feature.label = key;
                err = read_feature(r, &feature);
                n = err < 0 ? NULL : realloc(o->features, (o->n_features + 1) * sizeof(*n));
                if (!n) {
                        for (size_t i = 0; i < feature.n_subfeatures; i++)
                                free(feature.subfeatures[i].name);
                        free(feature.subfeatures);
                        free(key);
                        return err < 0 ? err : -ENOMEM;
                }
                o->features = n;
                n[o->n_features++] = feature;
        } while (accept(r, ','));
        return accept(r, '}') ? 0 : fail(r, "'}' after a chip");
}

int oracle_parse(const char *text, struct oracle *ret)
{
        struct reader r = { .p = text, .start = text };
        struct oracle o = { 0 };
        int err = 0;

        if (!accept(&r, '{'))
                return fail(&r, "'{'");
        if (!accept(&r, '}')) {
                do {
                        struct oracle_chip *n = realloc(o.chips, (o.n_chips + 1) * sizeof(*n));

                        if (!n) {
                                err = -ENOMEM;
                                break;
                        }
                        o.chips = n;
                        n[o.n_chips] = (struct oracle_chip){ 0 };
                        err = read_string(&r, &n[o.n_chips].name);
                        if (err < 0)
                                break;
                        o.n_chips++;
                        if (!accept(&r, ':')) {
                                err = fail(&r, "':'");
                                break;
                        }
                        err = read_chip(&r, &o, o.n_chips - 1);
                        if (err < 0)
                                break;
                } while (accept(&r, ','));
                if (err == 0 && !accept(&r, '}'))
                        err = fail(&r, "'}' at the end");
        }
        if (err < 0) {
                oracle_free(&o);
                return err;
        }
        *ret = o;
        return 0;
}

void oracle_free(struct oracle *o)
{
        for (size_t i = 0; i < o->n_chips; i++) {
                free(o->chips[i].name);
                free(o->chips[i].adapter);
        }
        for (size_t i = 0; i < o->n_features; i++) {
                for (size_t j = 0; j < o->features[i].n_subfeatures; j++)
                        free(o->features[i].subfeatures[j].name);
                free(o->features[i].subfeatures);
                free(o->features[i].label);
        }
        free(o->chips);
        free(o->features);
        *o = (struct oracle){ 0 };
}

/* ---- what the provider read, field by field ----------------------------------------------- */

/* The property each subfeature suffix must fill, written out here apart from the provider's
 * table so that a slip in one does not hide in the other. */
static const struct {
        const char *suffix, *property;
} expected_properties[] = {
        { "input", "Reading" }, { "average", "Average" }, { "lowest", "Lowest" },
        { "highest", "Highest" }, { "input_lowest", "Lowest" }, { "input_highest", "Highest" },
        { "min", "Minimum" }, { "max", "Maximum" }, { "lcrit", "LowCritical" },
        { "crit", "Critical" }, { "emergency", "Emergency" },
        { "min_hyst", "MinimumHysteresis" }, { "max_hyst", "MaximumHysteresis" },
        { "lcrit_hyst", "LowCriticalHysteresis" }, { "crit_hyst", "CriticalHysteresis" },
        { "emergency_hyst", "EmergencyHysteresis" }, { "alarm", "Alarm" },
        { "min_alarm", "MinimumAlarm" }, { "max_alarm", "MaximumAlarm" },
        { "lcrit_alarm", "LowCriticalAlarm" }, { "crit_alarm", "CriticalAlarm" },
        { "emergency_alarm", "EmergencyAlarm" }, { "fault", "Fault" }, { "beep", "Beep" },
        { "type", "TemperatureType" }, { "offset", "Offset" }, { "div", "Divisor" },
        { "pulses", "Pulses" }, { "cap", "Cap" }, { "cap_hyst", "CapHysteresis" },
        { "cap_alarm", "CapAlarm" }, { "average_lowest", "AverageLowest" },
        { "average_highest", "AverageHighest" }, { "average_interval", "AverageInterval" },
};

static const char *property_for(const char *suffix)
{
        for (size_t i = 0; i < sizeof(expected_properties) / sizeof(expected_properties[0]); i++)
                if (strcmp(expected_properties[i].suffix, suffix) == 0)
                        return expected_properties[i].property;
        return NULL;
}

/* "temp1_max_hyst" -> "temp1" and "max_hyst"; "cpu0_vid" is a feature of its own. */
static void split_subfeature(const char *name, char *feature, size_t size, const char **suffix)
{
        unsigned n;
        char tail[8];
        const char *us = strchr(name, '_');

        if (sscanf(name, "cpu%u_vi%7s", &n, tail) == 2 && strcmp(tail, "d") == 0) {
                snprintf(feature, size, "%s", name);
                *suffix = "input";
                return;
        }
        snprintf(feature, size, "%.*s", us ? (int)(us - name) : (int)strlen(name), name);
        *suffix = us ? us + 1 : "";
}

bool oracle_same_number(double got, double expected)
{
        /* sensors prints three decimals. */
        return fabs(got - expected) <= 0.0005 + 1e-9 * fabs(expected);
}

/* One field: it agrees or it does not (then say which). */
static void field(struct oracle_truth *t, bool agrees, const char *how, const char *what)
{
        t->fields++;
        if (agrees) {
                t->agree++;
                return;
        }
        fprintf(stderr, "%s: %s\n", how, what);
}

static bool is_sensor_of_chip(struct glue_instance *inst, const char *chip)
{
        const char *name;

        return glue_instance_get_string(inst, "ChipName", &name) == 0 && strcmp(name, chip) == 0;
}

/* An oracle feature with no value: every read failed. It is a sensor with that label, a NULL
 * reading and a status that says why. */
static struct glue_instance *find_unreadable_feature(const struct instance_list *sensors,
                                                     const char *chip, const char *label)
{
        for (size_t i = 0; i < sensors->n; i++) {
                struct glue_instance *inst = sensors->items[i];
                const char *got_label, *why;
                double v;

                if (!is_sensor_of_chip(inst, chip) ||
                    glue_instance_get_string(inst, "Label", &got_label) < 0 ||
                    strcmp(got_label, label) != 0 ||
                    instance_get_number(inst, "Reading", &v) != -ENODATA)
                        continue;
                if (instance_has_status(inst, 6) &&
                    glue_instance_get_string(inst, "ReadError", &why) == 0 && why[0])
                        return inst;
        }
        return NULL;
}

static void compare_sensors(const struct oracle *oracle, const struct instance_list *sensors,
                            const char *how, struct oracle_truth *t)
{
        bool *matched = calloc(sensors->n + 1, sizeof(bool));
        size_t expected_sensors = 0;
        char what[1024];

        check(matched != NULL);
        for (size_t i = 0; matched && i < oracle->n_features; i++) {
                const struct oracle_feature *f = &oracle->features[i];
                const char *chip = oracle->chips[f->chip].name, *suffix, *got_label = NULL;
                char feature[128], key[512], *label = expected_label(f->label);
                struct glue_instance *inst;

                if (f->n_subfeatures > 0 && strcmp(f->subfeatures[0].name, "beep_enable") == 0) {
                        t->beep_enable++;
                        free(label);
                        continue; /* a chip property, compared with the chips */
                }
                expected_sensors++;
                if (strcmp(label, f->label) != 0)
                        t->labels_cleaned++;
                if (f->n_subfeatures == 0) {
                        t->features_unreadable++;
                        inst = find_unreadable_feature(sensors, chip, label);
                        snprintf(what, sizeof(what), "%s: no sensor labelled \"%s\" with a NULL "
                                 "reading and a ReadError", chip, label);
                        field(t, inst != NULL, how, what);
                } else {
                        split_subfeature(f->subfeatures[0].name, feature, sizeof(feature), &suffix);
                        snprintf(key, sizeof(key), "%s/%s", chip, feature);
                        inst = instance_list_find(sensors, key);
                        if (!inst) {
                                fprintf(stderr, "%s: no sensor %s\n", how, key);
                                test_failures++;
                        }
                }
                if (inst) {
                        for (size_t j = 0; j < sensors->n; j++)
                                if (sensors->items[j] == inst)
                                        matched[j] = true;
                        (void)glue_instance_get_string(inst, "Label", &got_label);
                        snprintf(what, sizeof(what), "%s/%s: Label \"%s\", sensors says \"%s\"",
                                 chip, feature, got_label ? got_label : "(none)", label);
                        field(t, got_label && strcmp(got_label, label) == 0, how, what);
                }
                for (size_t j = 0; inst && j < f->n_subfeatures; j++) {
                        const struct oracle_subfeature *sf = &f->subfeatures[j];
                        const char *property;
                        double got = NAN;
                        int r;

                        split_subfeature(sf->name, feature, sizeof(feature), &suffix);
                        property = property_for(suffix);
                        if (!property) {
                                snprintf(what, sizeof(what), "%s: subfeature %s maps to no "
                                         "property", chip, sf->name);
                                field(t, false, how, what);
                                continue;
                        }
                        r = instance_get_number(inst, property, &got);
                        snprintf(what, sizeof(what), "%s %s: %s = %g (r=%d), sensors says %.3f",
                                 chip, sf->name, property, got, r, sf->value);
                        field(t, r == 0 && oracle_same_number(got, sf->value), how, what);
                }
                free(label);
        }
        for (size_t i = 0; matched && i < sensors->n; i++) {
                const char *id = NULL;

                glue_instance_get_string(sensors->items[i], "DeviceID", &id);
                if (!matched[i]) {
                        fprintf(stderr, "%s: sensor %s is not in the oracle\n", how, id);
                        test_failures++;
                }
        }
        check_int_eq(sensors->n, expected_sensors);
        free(matched);
}

static void compare_chips(const struct oracle *oracle, const struct instance_list *chips,
                          const char *how, struct oracle_truth *t)
{
        char what[1024];

        check_int_eq(chips->n, oracle->n_chips);
        for (size_t i = 0; i < oracle->n_chips; i++) {
                const struct oracle_chip *c = &oracle->chips[i];
                struct glue_instance *chip = instance_list_find(chips, c->name);
                const char *adapter = NULL;

                if (!chip) {
                        fprintf(stderr, "%s: no chip %s\n", how, c->name);
                        test_failures++;
                        continue;
                }
                if (c->adapter) {
                        (void)glue_instance_get_string(chip, "Adapter", &adapter);
                        snprintf(what, sizeof(what), "%s: Adapter \"%s\", sensors says \"%s\"",
                                 c->name, adapter ? adapter : "(none)", c->adapter);
                        field(t, adapter && strcmp(adapter, c->adapter) == 0, how, what);
                }
                for (size_t j = 0; j < oracle->n_features; j++) {
                        const struct oracle_feature *f = &oracle->features[j];
                        double beep = NAN;
                        int r;

                        if (f->chip != i || f->n_subfeatures != 1 ||
                            strcmp(f->subfeatures[0].name, "beep_enable") != 0)
                                continue;
                        r = instance_get_number(chip, "BeepEnabled", &beep);
                        snprintf(what, sizeof(what), "%s: BeepEnabled %g (r=%d), sensors says %g",
                                 c->name, beep, r, f->subfeatures[0].value);
                        field(t, r == 0 && oracle_same_number(beep, f->subfeatures[0].value), how,
                              what);
                }
        }
}

void oracle_compare(const struct oracle *oracle, const struct instance_list *sensors,
                    const struct instance_list *chips, const char *how, struct oracle_truth *truth)
{
        compare_sensors(oracle, sensors, how, truth);
        compare_chips(oracle, chips, how, truth);
}

void oracle_truth_print(const struct oracle_truth *t, const char *how)
{
        printf("# truth, %s: %zu of %zu fields agree (%.1f%%)\n", how, t->agree, t->fields,
               t->fields ? 100.0 * (double)t->agree / (double)t->fields : 0.0);
        /* the deliberate differences, each with its reason; the fields above count them as
         * agreeing only in the form given here */
        if (t->labels_cleaned)
                printf("#   %zu labels compared cleaned: control bytes as spaces, the ends "
                       "trimmed, bytes not UTF-8 as U+FFFD (every string the library stores is "
                       "printable UTF-8; sensors prints the bytes)\n", t->labels_cleaned);
        if (t->features_unreadable)
                printf("#   %zu features with no value compared as a sensor with a NULL Reading, "
                       "Status Error and a ReadError that says why (sensors prints the label "
                       "alone)\n", t->features_unreadable);
        if (t->beep_enable)
                printf("#   %zu beep_enable compared as the chip's BeepEnabled (libsensors lists "
                       "it as a feature; it is the chip's switch, no sensor)\n", t->beep_enable);
}
