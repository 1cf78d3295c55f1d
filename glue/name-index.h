/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A case-insensitive name -> index hash (open addressing), for class and property lookups on
 * the hot path: providers set properties by name for every instance. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct name_index {
        uint32_t mask;      /* capacity - 1; 0 when empty */
        uint32_t *slots;    /* index + 1, 0 = free */
};

/* Build the index of n names, names(i, userdata) giving the i-th; -ENOMEM. Replaces old content. */
int name_index_build(struct name_index *idx, size_t n,
                     const char *(*name_at)(size_t i, const void *userdata), const void *userdata);
/* The index of name, or -1. */
long name_index_find(const struct name_index *idx, const char *name,
                     const char *(*name_at)(size_t i, const void *userdata), const void *userdata);
void name_index_clear(struct name_index *idx);
uint32_t name_hash(const char *name);
