/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Libraries loaded on first use rather than at start: util-linux's libmount (which brings
 * libselinux and libpcre2), libblkid and libfdisk cost every hwglue process half a millisecond
 * of start-up when linked (measured: an empty program linking them starts in 1.20 ms of CPU
 * against 0.66 ms), and only the filesystem class and partition type names need them. The
 * handle stays open for the process's life (a library is never unloaded while a thread may
 * call into it); the symbols are looked up once (pthread_once) and read-only afterwards.
 */
#pragma once

#include <stddef.h>

struct dlopen_symbol {
        const char *name;
        void **slot; /* where the function's address goes */
};

/* dlopen(soname) and every symbol into its slot, all or none. 0, or -ELIBACC (no library, or a
 * symbol missing: every slot is then NULL); the reason is in buf (dlerror's text). */
int dlopen_lib(const char *soname, const struct dlopen_symbol *symbols, size_t n, char *buf,
               size_t size);
