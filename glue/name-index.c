/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include "name-index.h"

uint32_t name_hash(const char *name)
{
        uint32_t h = 2166136261u; /* FNV-1a over ASCII-folded bytes: CIM names are ASCII */

        for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
                unsigned char c = *p;
                if (c >= 'A' && c <= 'Z')
                        c += 'a' - 'A';
                h = (h ^ c) * 16777619u;
        }
        return h;
}

int name_index_build(struct name_index *idx, size_t n,
                     const char *(*name_at)(size_t i, const void *userdata), const void *userdata)
{
        uint32_t cap = 8, *slots;

        while (cap < 2 * n)
                cap *= 2;
        slots = calloc(cap, sizeof(*slots));
        if (!slots)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                uint32_t h = name_hash(name_at(i, userdata)) & (cap - 1);

                while (slots[h])
                        h = (h + 1) & (cap - 1);
                slots[h] = (uint32_t)i + 1;
        }
        free(idx->slots);
        idx->slots = slots;
        idx->mask = cap - 1;
        return 0;
}

long name_index_find(const struct name_index *idx, const char *name,
                     const char *(*name_at)(size_t i, const void *userdata), const void *userdata)
{
        uint32_t h;

        if (!idx->slots || !name)
                return -1;
        for (h = name_hash(name) & idx->mask; idx->slots[h]; h = (h + 1) & idx->mask) {
                size_t i = idx->slots[h] - 1;

                if (strcasecmp(name_at(i, userdata), name) == 0)
                        return (long)i;
        }
        return -1;
}

void name_index_clear(struct name_index *idx)
{
        free(idx->slots);
        idx->slots = NULL;
        idx->mask = 0;
}
