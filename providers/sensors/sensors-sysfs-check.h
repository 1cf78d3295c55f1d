/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What libsensors' own walk of /sys cannot survive, looked for before sensors_init() runs it.
 *
 * libsensors 3.6 takes a chip's bus type from the last component of its device's subsystem link
 * (or, on old kernels, its bus link) with strrchr(target, '/') + 1: a target without '/' makes
 * it read address 1, and the process ends on SIGSEGV. The kernel never writes such a link; a
 * hand-made tree under umockdev's preload can.
 *
 * It also opens each chip's `name` (or its device's), each I2C adapter's `name` (or its
 * device's) and its default sensors.conf with fopen(), which waits on a FIFO for a writer that
 * may never come: sensors_init() would hold its caller for ever, and no deadline can take it
 * back (it holds libsensors' state). Those files must be regular files or absent.
 */
#pragma once

#include <stdbool.h>
#include <stdbool.h>
#include <stddef.h>

/* Walk the chips as libsensors will (class/hwmon, else bus/i2c/devices), reading links and
 * file types only, never a file. Returns 0, or -EUCLEAN with the offending link and its target,
 * or the file that would block and what it is, described in why. is_default: libsensors reads
 * its default configuration files. */
int sensors_sysfs_check(bool is_default, char *why, size_t size);
