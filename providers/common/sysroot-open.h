/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Opening a file of a sysroot that is not "/" so that no link in its path leads out of the tree:
 * every link, absolute ones included, is resolved inside the sysroot (openat2's
 * RESOLVE_IN_ROOT, Linux 5.6). For the files a provider reads outside sys/ (device nodes, the
 * mount table), where a tree made by someone else may hold a link to /dev or /proc.
 */
#pragma once

/* openat2(sysroot_fd, rel, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS); on a kernel
 * without openat2, openat (links then followed as they are). An fd, or -1 with errno set. */
int sysroot_open(int sysroot_fd, const char *rel, int flags);
