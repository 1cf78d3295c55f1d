/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The attributes the providers could not read in a whole run (every request of an inventory),
 * counted per cause with one example path, reported once at the end:
 *   hwglue: 3 attributes unreadable: permission denied, e.g. /sys/class/hwmon/hwmon0/temp1_input
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "libglue.h"

struct output;

struct read_error_cause {
        int error; /* negative errno */
        uint64_t count;
        char *example;
};

struct read_error_report {
        struct read_error_cause *causes;
        size_t n;
};

/* Add the read errors of the request's last call. */
void read_error_report_add(struct read_error_report *report, const struct glue_request *req);
/* One message per cause (on stderr and in JSON); true if anything could not be read. */
bool read_error_report_print(const struct read_error_report *report, struct output *out);
void read_error_report_clear(struct read_error_report *report);
/* What a cause means for an attribute file, in a few lower-case words. */
const char *read_error_cause_text(int error);
