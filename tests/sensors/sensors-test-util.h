/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the sensors tests. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "libglue.h"

struct instance_list {
        struct glue_instance **items;
        size_t n;
};

/* A context with the built-in providers and the given sensors.config ("" none, NULL default). */
struct glue_context *sensors_test_context(const char *config);
/* glue_request_collect of a class; properties NULL for all. Returns its result. */
int sensors_test_collect(struct glue_context *ctx, const char *class_name,
                         const char *const *properties, size_t n_properties,
                         struct instance_list *ret);
void instance_list_free(struct instance_list *list);
struct glue_instance *instance_list_find(const struct instance_list *list, const char *device_id);

/* A numeric, boolean or integer property as a double: 0, -ENODATA (NULL), -ENOENT, ... */
int instance_get_number(const struct glue_instance *inst, const char *name, double *ret);
/* OperationalStatus holds that value. */
bool instance_has_status(const struct glue_instance *inst, uint64_t status);

/* What a label printed by `sensors -j` must look like once stored: control bytes as spaces,
 * trimmed, each byte that is not UTF-8 as U+FFFD. Owned. */
char *expected_label(const char *raw);
/* Valid UTF-8 without control bytes. */
bool string_is_clean(const char *s);

/* Same class (by name: of one context or of two), and every property in the same state with the same value. Else false and which
 * property in why. */
bool instances_are_equal(const struct glue_instance *a, const struct glue_instance *b,
                         char *why, size_t size);
