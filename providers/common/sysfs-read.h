/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading sysfs attributes relative to a directory handle: one openat + read + close each, no
 * path building, no stdio. Shared by every provider so that each treats hostile content alike:
 * a FIFO does not block open (O_NONBLOCK), a huge file is cut at the buffer size, numbers are
 * parsed strictly (garbage is -EINVAL, not 0).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Read an attribute into buf (NUL-terminated, trailing whitespace stripped). Returns the length,
 * or a negative errno (-ENOENT missing, -EACCES, -EAGAIN for a FIFO with nothing to read, -EIO).
 * An attribute longer than size - 1 is truncated: -EFBIG. */
int sysfs_read_attr(int dirfd, const char *name, char *buf, size_t size);
/* The same, from an attribute already open (fd stays open). */
int sysfs_read_fd(int fd, char *buf, size_t size);

/* Read up to size bytes of an attribute as they are: nothing stripped, no terminator added (for
 * readers that must treat the bytes exactly as another library does). Returns the count, or a
 * negative errno; O_NONBLOCK as above. */
int sysfs_read_bytes(int dirfd, const char *name, void *buf, size_t size);

/* Strict parsers of an attribute's text: decimal (or 0x hex where the kernel writes it), the
 * whole string consumed, no sign for unsigned. -EINVAL on garbage, -ERANGE on overflow. */
int sysfs_parse_uint64(const char *text, uint64_t *ret);
int sysfs_parse_int64(const char *text, int64_t *ret);

/* The value of one hex digit (either case), or -1: for \\xNN escapes and PCI addresses. */
int sysfs_hex_digit(char c);

/* Read and parse in one step. */
int sysfs_read_uint64(int dirfd, const char *name, uint64_t *ret);
int sysfs_read_int64(int dirfd, const char *name, int64_t *ret);

/* The last path component of a symlink's target ("driver" -> "nvme"), NUL-terminated. */
int sysfs_read_link_name(int dirfd, const char *name, char *buf, size_t size);

/* Look a KEY=value line up in a uevent-style buffer; returns a pointer into buf, with the value's
 * length in *ret_len, or NULL. */
const char *sysfs_uevent_get(const char *buf, const char *key, size_t *ret_len);
