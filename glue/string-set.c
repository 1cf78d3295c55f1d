/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "string-set.h"

static uint64_t hash(const char *s)
{
        uint64_t h = 14695981039346656037u; /* FNV-1a */

        for (; *s; s++)
                h = (h ^ (unsigned char)*s) * 1099511628211u;
        return h;
}

static char **find_slot(char **slots, size_t capacity, const char *s)
{
        size_t i = hash(s) & (capacity - 1);

        while (slots[i] && strcmp(slots[i], s) != 0)
                i = (i + 1) & (capacity - 1);
        return &slots[i];
}

static int grow(struct string_set *set)
{
        size_t capacity = set->capacity ? set->capacity * 2 : 16;
        char **slots = calloc(capacity, sizeof(*slots));

        if (!slots)
                return -ENOMEM;
        for (size_t i = 0; i < set->capacity; i++)
                if (set->slots[i])
                        *find_slot(slots, capacity, set->slots[i]) = set->slots[i];
        free(set->slots);
        set->slots = slots;
        set->capacity = capacity;
        return 0;
}

int string_set_add(struct string_set *set, const char *s)
{
        char **slot;

        /* At most half full: probes stay short. */
        if (2 * (set->count + 1) > set->capacity && grow(set) < 0)
                return -ENOMEM;
        slot = find_slot(set->slots, set->capacity, s);
        if (*slot)
                return 0;
        *slot = strdup(s);
        if (!*slot)
                return -ENOMEM;
        set->count++;
        return 1;
}

bool string_set_contains(const struct string_set *set, const char *s)
{
        return set->capacity && *find_slot(set->slots, set->capacity, s);
}

void string_set_clear(struct string_set *set)
{
        for (size_t i = 0; i < set->capacity; i++)
                free(set->slots[i]);
        free(set->slots);
        *set = (struct string_set){ 0 };
}
