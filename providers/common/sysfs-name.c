/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "sysfs-name.h"

static bool is_ascii_alnum(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool sysfs_name_is_safe(const char *name, size_t max_len, const char *extra_chars)
{
        size_t len;

        if (!name)
                return false;
        len = strnlen(name, max_len + 1);
        if (len == 0 || len > max_len || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                return false;
        for (size_t i = 0; i < len; i++)
                if (!is_ascii_alnum(name[i]) &&
                    (name[i] == '/' || !extra_chars || !strchr(extra_chars, name[i])))
                        return false;
        return true;
}
