/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A subfeature's value in libsensors' base units (volts, degrees Celsius, ...), as
 * sensors_get_value() gives it.
 *
 * The value is the attribute's number (parsed as libsensors parses it, scanf's %lf) over its
 * unit (hwmon_attribute_divisor()), converted by the compute statement of sensors.conf that
 * applies to its feature, if any (sensors-expr.h). The provider reads it itself, from the
 * chip's directory handle and never blocking, and applies the statement itself where the
 * configuration is read exactly. libsensors reads it only for a chip of an inexact
 * configuration whose statements may touch it; a chip with a FIFO among its attributes is then
 * not handed to libsensors, which would block on it.
 */
#pragma once

#include <stdbool.h>

#include <sensors/sensors.h>

#include "sensors-chip.h"

/*
 * Read sub, a subfeature of feature. Returns 0, or a negative errno that says why there is no
 * value: -EACCES (its mode says its owner may not read it, as libsensors checks), what open or
 * read said (-ENOENT, -EIO, -EAGAIN for a FIFO, ...), -ENODATA (empty), -EINVAL (not a number),
 * -EFBIG (a number this long is not read), -EDOM (not a finite number, or a compute statement
 * divided by zero), -ELOOP (compute statements that name each other). A file that could not be
 * read is also noted on the call (sensors_chip_info_note_unreadable()).
 */
int sensors_value_read(struct sensors_chip_info *info, const sensors_feature *feature,
                       const sensors_subfeature *sub, double *ret);

/* The value's attribute as text, for saying why it is not a number (buf NUL-terminated, maybe
 * empty). */
void sensors_value_text(struct sensors_chip_info *info, const sensors_subfeature *sub, char *buf,
                        size_t size);

/* Is a file of the chip a FIFO (or anything else that an open blocks on), so that libsensors,
 * which opens blocking, must not be given it? -EAGAIN if so, 0 if not. */
int sensors_value_check_file(struct sensors_chip_info *info, const char *name);
