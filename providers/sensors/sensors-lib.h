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

#include <stdbool.h>

#include <sensors/sensors.h>

#include "libglue.h"

struct sensors_config;

/* A context starts or stops using libsensors (provider init/cleanup). Nothing is read here: the
 * configuration is an option that the caller sets after the context is made. */
void sensors_lib_ref(void);
void sensors_lib_unref(void);

/*
 * Hold the configuration the call asks for (option "sensors.config": unset = the system's,
 * "" = none, else a file), read into statements (sensors-config.h), so that no other thread
 * changes it until sensors_lib_release(). With with_libsensors, and a configuration that the
 * statements do not read exactly, libsensors is initialised with it too (the first call pays
 * for its walk of every chip); an exact configuration never needs it. A configuration that
 * cannot be opened or parsed is logged on every call that uses it and replaced by an empty
 * one, so that readings still come.
 * Returns 0 held; or, held all the same, why libsensors could not be initialised: -EIO (no
 * sysfs at /sys), -EUCLEAN (a chip it would crash or block on, logged), or another errno, with
 * what it was in why (size bytes, or "");
 * or, not held, -ETIMEDOUT if another configuration is held past the call's deadline, -ENOMEM.
 */
int sensors_lib_acquire(struct glue_call *call, bool with_libsensors, char *why, size_t size);
void sensors_lib_release(void);
/* Is libsensors initialised with the configuration held (its chips there to ask)? */
bool sensors_lib_is_loaded(void);

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
