/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Keys that become file names. A caller's key (the DeviceID of an object path, which may come
 * from a command line or a remote caller) chooses the sysfs entry a provider opens, so before
 * anything is opened it must be the name of one entry of one directory: never "/..", never a
 * second path component, never a name a thousand bytes long.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Every printable ASCII byte that is neither a letter, a digit nor '/': for names that a tree
 * may hold whatever their spelling (a recorded or hand-made one has 'sd"q\'). */
#define SYSFS_NAME_PUNCTUATION " !\"#$%&'()*+,-.:;<=>?@[\\]^_`{|}~"

/*
 * Is name one directory entry that a provider may look up? 1 to max_len bytes of ASCII letters,
 * digits and the bytes of extra_chars (which must not hold '/'), and neither "." nor "..".
 * At most max_len + 1 bytes of name are read, so an absurdly long key costs nothing.
 */
bool sysfs_name_is_safe(const char *name, size_t max_len, const char *extra_chars);
