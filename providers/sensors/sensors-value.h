/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A subfeature's value in libsensors' base units (volts, degrees Celsius, ...).
 *
 * libsensors' sensors_get_value() looks the chip up among all chips on every call, so reading a
 * whole tree through it takes time in the square of the chips. Where no compute statement of
 * sensors.conf may apply (sensors-config.h), the value is the attribute's number over its unit
 * (hwmon_attribute_divisor()), which is all libsensors does then: read here, from the chip's
 * directory handle, parsed as libsensors parses it (scanf's %lf). Where one may apply, or the
 * attribute is longer than any number, libsensors reads it.
 */
#pragma once

#include <stdbool.h>

#include <sensors/sensors.h>

#include "sensors-chip.h"

/*
 * Read sub, a subfeature of a feature for which feature_may_compute says whether a compute
 * statement may apply. Returns 0, or a negative errno that says why there is no value:
 * -EACCES (libsensors found it unreadable), what open or read said (-ENOENT, -EIO, -EAGAIN,
 * ...), -ENODATA (empty), -EINVAL (not a number), -EDOM (not a finite number: a compute
 * statement divided by zero).
 */
int sensors_value_read(struct sensors_chip_info *info, const sensors_subfeature *sub,
                       bool feature_may_compute, double *ret);

/* The value's attribute as text, for saying why it is not a number (buf NUL-terminated, maybe
 * empty). */
void sensors_value_text(struct sensors_chip_info *info, const sensors_subfeature *sub, char *buf,
                        size_t size);
