/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysfs-floor: the least work that reads the attributes hwglue reports, as the benchmark's floor.
 * Plain openat/read/close relative to a directory handle per device, one line per instance
 * through one buffered writer. With check set, each kind also cross-checks what it read (the IDs
 * in `config` against the `vendor` file, ...) and counts the disagreements.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Read an attribute relative to dirfd into buf, NUL-terminated, trailing newline removed.
 * Returns the length or -1. */
int floor_read(int dirfd, const char *name, char *buf, size_t size);
/* The last component of a symlink's target, or "" */
void floor_link_name(int dirfd, const char *name, char *buf, size_t size);

/* Append one record (a line). The first record is written at once, so that the time to the
 * first instance is not the time to fill a buffer; later ones go out in 64 KiB writes. */
void floor_record(const char *format, ...) __attribute__((format(printf, 1, 2)));
void floor_flush(void);

/* Call read_one(dir_fd, entry, check) for each entry of sys/<dir>, in readdir order (no sorting
 * before the first device); returns the sum of what it returned, or -1 if dir is unreadable. */
int floor_walk(int sys_fd, const char *dir, int (*read_one)(int dir_fd, const char *name, bool check),
               bool check);
/* Each returns the number of disagreements found (with check), or -1 if the tree is unreadable. */
int floor_block(int sys_fd, bool check);
int floor_pci(int sys_fd, bool check);
int floor_hwmon(int sys_fd, bool check);
