/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A schema and providers of the association tests' own: devices of three providers (disks,
 * controllers, sensors) and associations between them posted by two (links, and the sensors'
 * provider, as hwmon's device link is read by the sensors provider):
 *
 *   T_DiskOnController  ctrl0 <- disk0, ctrl0 <- disk1 (a T_SSD named by its superclass T_Disk),
 *                       ctrl1 <- disk2                                          (links)
 *   T_PoweredBy         ctrl0 <- disk0: a second way from disk0 to ctrl0,
 *                       ctrl0 <- disk1 named as T_Device: a second path to disk1 (links)
 *   T_SensorOf          temp-disk0 -> disk0 (named as T_Device), temp-ctrl0 -> ctrl0,
 *                       temp-gone -> T_Disk "gone" (no such disk: dangling)     (temps)
 *   temp-none measures nothing (a coretemp).
 *
 * Each provider counts the calls made to it, so that a test sees which devices a request
 * read. The providers with associations have a references operation unless the context is
 * made with ASSOC_TEST_NO_REFERENCES (the glue must then enumerate and filter).
 */
#pragma once

#include <stdatomic.h>

#include "test-util.h"

enum {
        ASSOC_TEST_NO_REFERENCES = 1u << 0,
};

struct assoc_counters {
        atomic_int enumerate, get, references;
};

enum assoc_provider_index {
        ASSOC_DISKS,
        ASSOC_CTRLS,
        ASSOC_TEMPS,
        ASSOC_LINKS,
        ASSOC_PROVIDER_COUNT,
};

extern struct assoc_counters assoc_calls[ASSOC_PROVIDER_COUNT];
/* The object paths the references operations were handed, last first ("" when none). */
extern char assoc_last_object[ASSOC_PROVIDER_COUNT][512];

/* A context with the schema and the four providers (flags ASSOC_TEST_*); counters reset. */
struct glue_context *assoc_test_context(unsigned flags);
void assoc_test_reset_counters(void);

/* The results of a call, "Class.DeviceID" (devices) or "Class(Antecedent-id,Dependent-id)"
 * (associations), sorted and joined by spaces, for comparing with an expected string. */
struct assoc_results {
        char *items[64];
        size_t n;
        char text[4096];
};
int assoc_collect(struct glue_instance *inst, void *userdata);
const char *assoc_results_text(struct assoc_results *res);
void assoc_results_clear(struct assoc_results *res);

/* The status entry of a provider and class, or NULL. */
const struct glue_provider_status *assoc_status(struct glue_request *req, const char *provider,
                                                const char *class_name,
                                                struct glue_provider_status *st);
