/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What libsensors' own walk of /sys cannot survive, looked for before sensors_init() runs it.
 *
 * libsensors 3.6 takes a chip's bus type from the last component of its device's subsystem link
 * (or, on old kernels, its bus link) with strrchr(target, '/') + 1: a target without '/' makes
 * it read address 1, and the process ends on SIGSEGV. The kernel never writes such a link; a
 * hand-made tree under umockdev's preload can.
 */
#pragma once

#include <stddef.h>

/* Walk the chips as libsensors will (class/hwmon, else bus/i2c/devices), reading links only.
 * Returns 0, or -EUCLEAN with the offending link and its target described in why. */
int sensors_sysfs_check(char *why, size_t size);
