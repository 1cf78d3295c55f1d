/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One libsensors feature ("temp1" of a chip) read into a sensor instance and posted. */
#pragma once

#include <sensors/sensors.h>

#include "sensors-chip.h"
#include "sensors-request.h"

/* The sensor's key, "chip/feature". Returns 0 or -ENAMETOOLONG. */
int sensors_feature_key(const struct sensors_chip_info *info, const sensors_feature *feature,
                        char *buf, size_t size);

/*
 * Read the subfeatures of info->layout->features[index] that the request wants and post it as its kind's class.
 * Returns 0 when posted, 1 when the request does not want it (beep_enable, another kind),
 * glue_call_post()'s -ECANCELED, -ENODEV when the chip vanished while it was read (not posted),
 * or another negative errno. A subfeature that cannot be read leaves its property
 * NULL; an unreadable input also sets OperationalStatus Error and ReadError.
 */
int sensors_feature_post(const struct sensors_request *req, struct sensors_chip_info *info,
                         size_t index);
