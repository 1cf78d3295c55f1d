/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsensors' process-wide state, shared by every context of the process.
 *
 * libsensors keeps one global chip list and one configuration: sensors_init() walks every hwmon
 * chip (and parses sensors.conf), sensors_cleanup() drops it all. Its error hooks are global
 * function pointers, and its fatal-error hook is documented as "never let it return". This file
 * owns all of that: one initialisation per process and configuration, counted users (contexts)
 * and readers (running calls), hooks that record instead of printing, and a guard that turns a
 * fatal error into -ENOMEM instead of ending the process.
 */
#pragma once

#include <sensors/sensors.h>

#include "libglue.h"

struct sensors_config;

/* A context starts or stops using libsensors (provider init/cleanup). Nothing is read here: the
 * configuration is an option that the caller sets after the context is made. */
void sensors_lib_ref(void);
void sensors_lib_unref(void);

/*
 * Make sure libsensors is initialised with the configuration the call asks for
 * (option "sensors.config": unset = the system's, "" = none, else a file) and hold it so that no
 * other thread re-initialises it until sensors_lib_release(). The first call pays for the chip
 * walk and logs how long it took. A configuration that cannot be opened or parsed is logged on
 * every call that uses it and replaced by an empty one, so that readings still come.
 * Returns 0, -ETIMEDOUT if another configuration is held past the call's deadline, -ENOMEM, or
 * -EIO when there is no sysfs to read.
 */
int sensors_lib_acquire(struct glue_call *call);
void sensors_lib_release(void);

/* The compute and label statements that the configuration in use may hold (sensors-config.h).
 * Borrowed; valid between sensors_lib_acquire() and sensors_lib_release(). */
const struct sensors_config *sensors_lib_get_statements(void);

/* libsensors calls that allocate, run with the fatal-error hook armed: -ENOMEM instead of exit. */
int sensors_lib_get_label(const sensors_chip_name *chip, const sensors_feature *feature,
                          char **ret);
int sensors_lib_parse_chip_name(const char *text, sensors_chip_name *ret);

/* Run fn with the fatal-error hook armed; returns 0, or -ENOMEM if the hook fired inside fn.
 * For callers that need another libsensors call guarded (and for the hook's test). */
int sensors_lib_run_guarded(void (*fn)(void *userdata), void *userdata);

/* Map a libsensors error code (negative SENSORS_ERR_*) to a negative errno. */
int sensors_lib_errno(int sensors_error);
