/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * make-hostile-tree: a sysfs tree in the kernel's layout whose content is broken in every way
 * the providers must survive, next to a few healthy devices whose values the tests know.
 * README.md beside this file lists what each device carries and what the providers make of it.
 *
 * The bench generator's file helpers (bench/gen/gen-fs.c) write the healthy parts; the broken
 * bytes and links are written verbatim by the helpers below.
 */
#pragma once

#include "sysfs-gen.h"

/* What one attribute holds when it is "huge": the kernel's sysfs caps a file at a page, but
 * debugfs, configfs and recorded trees do not. */
#define HOSTILE_HUGE_SIZE (1024 * 1024)

/* A symlink below sys/ whose target is written as given (dangling, looping, without '/'). */
void hostile_raw_link(struct gen *g, const char *dir, const char *name, const char *target);
/* dir/name: head, then fill up to HOSTILE_HUGE_SIZE bytes. */
void hostile_huge_attr(struct gen *g, const char *dir, const char *name, const char *head,
                       char fill);
/* dir/name: bytes that are no text at all (control bytes, NUL, bytes that are not UTF-8). */
void hostile_binary_attr(struct gen *g, const char *dir, const char *name);

/* The three providers' parts. udev_data_fd is <out>/run/udev/data. */
void hostile_block(struct gen *g, int udev_data_fd);
void hostile_pci(struct gen *g);
void hostile_hwmon(struct gen *g);
/* A hwmon chip whose device's subsystem link makes libsensors 3.6 read address 1. */
void hostile_hwmon_unwalkable(struct gen *g);
