/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The exporter's test schema (export-test.mof) and its providers, and a checker of exposition
 * text, shared by the test programs and by export-test-exporter (the real command line over
 * this schema).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "libglue.h"

/* How many Test_Disk instances test-disks posts (default 2: sda and sdb). */
extern unsigned export_test_disk_count;
/* How long test-sensors waits before it posts anything, in milliseconds (default 0). */
extern unsigned export_test_sensors_delay_ms;
/* How often a provider was asked for Test_Sensor.Unrelated, a property nothing exports. */
extern int export_test_unrelated_wanted;
/* How many test-sensors enumerations are sleeping now (they outlive a timed-out request). */
extern int export_test_sensors_running;
/* How often test-plain (a provider of a class without metrics) was asked to enumerate. */
extern int export_test_plain_enumerated;

/* A context holding only the test schema and the test providers. */
int export_test_context_new(struct glue_context **ret);

/*
 * Check text against the exposition format as the exporter must write it: every family has
 * one HELP and one TYPE, its samples follow them and no other family's do, label names and
 * escapes are valid, values parse, no series appears twice, the text is UTF-8 and ends with a
 * newline. NULL if so, else what is wrong (a static buffer).
 */
const char *export_test_check_exposition(const char *text);

/* Is line (without its newline) one of text's lines? */
bool export_test_has_line(const char *text, const char *line);
/* How many times needle occurs in text. */
size_t export_test_count(const char *text, const char *needle);
