/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What `sensors -j` printed for a tree: chips, their adapter, and per feature its label and
 * subfeature values.
 *
 * A reader of its own rather than json-c: `sensors -j` writes labels byte for byte, so keys hold
 * raw newlines, control bytes and bytes that are not UTF-8 (rx6900xt, the hand tree), which a
 * strict parser refuses; and one chip can list the same label twice (intel-b580 has two "card"
 * and two "pkg"), which a parser into hash maps folds into one. This one keeps keys as bytes and
 * every pair in order, for exactly the shape `sensors -j` prints.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct oracle_subfeature {
        char *name;             /* "temp1_input" */
        double value;
};

struct oracle_feature {
        size_t chip;            /* index into chips */
        char *label;            /* the key as printed: raw bytes, NUL-terminated */
        struct oracle_subfeature *subfeatures;
        size_t n_subfeatures;
};

struct oracle_chip {
        char *name;
        char *adapter;          /* or NULL */
};

struct oracle {
        struct oracle_chip *chips;
        size_t n_chips;
        struct oracle_feature *features;
        size_t n_features;
};

/* Returns 0, or -EBADMSG with a message on stderr. */
int oracle_parse(const char *text, struct oracle *ret);
void oracle_free(struct oracle *oracle);

/* ---- the truth test: what the provider read, field by field --------------------------------- */

struct instance_list;

/* The fields compared, and those that agree; what differs on purpose, counted. */
struct oracle_truth {
        size_t fields, agree;
        size_t labels_cleaned;          /* control bytes, ends, bytes not UTF-8 */
        size_t features_unreadable;     /* sensors -j prints no value: a NULL Reading */
        size_t beep_enable;             /* a chip's property, not a sensor */
};

/* Every value and label of every feature, and every chip's adapter and beep_enable, against the
 * property that carries it (each one that does not agree is printed on stderr after how);
 * sensors that the oracle lacks, and missing ones, are test failures. */
void oracle_compare(const struct oracle *oracle, const struct instance_list *sensors,
                    const struct instance_list *chips, const char *how, struct oracle_truth *truth);
/* The share that agrees, and the deliberate differences with their reasons. */
void oracle_truth_print(const struct oracle_truth *truth, const char *how);
/* A value as sensors prints it (three decimals). */
bool oracle_same_number(double got, double expected);
