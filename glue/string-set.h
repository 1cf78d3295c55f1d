/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A set of strings compared exactly (open addressing), for "seen already" checks that must
 * stay cheap when a request meets thousands of objects: the endpoints of ASSOCIATORS OF. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct string_set {
        char **slots; /* owned copies, NULL = free */
        size_t capacity, count;
};

/* Add a copy of s: 1 if it was new, 0 if it was there already, -ENOMEM. */
int string_set_add(struct string_set *set, const char *s);
bool string_set_contains(const struct string_set *set, const char *s);
void string_set_clear(struct string_set *set);
