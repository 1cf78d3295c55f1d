/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What every fuzz harness shares. A harness defines LLVMFuzzerTestOneInput and is built twice:
 * with clang's libFuzzer (run-fuzz.sh) to search for inputs, and with the project's compiler and
 * replay-main.c to run its committed corpus in the normal test suite.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test. abort() is what both libFuzzer and the replay test see
 * as a failure, with the input saved (libFuzzer) or named (replay) and a stack trace under ASan. */
#define fuzz_assert(expr)                                                                  \
        do {                                                                               \
                if (!(expr)) {                                                             \
                        fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
                                #expr);                                                    \
                        abort();                                                           \
                }                                                                          \
        } while (0)

/* The input as a C string (the parsers take NUL-terminated text; an embedded NUL ends it), or
 * NULL when out of memory. Owned. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
        char *s = malloc(size + 1);

        if (s) {
                if (size)
                        memcpy(s, data, size);
                s[size] = '\0';
        }
        return s;
}

/* Is s (len bytes) valid UTF-8 with no NUL? Written apart from glue/value.c, as its oracle. */
static inline int fuzz_utf8_valid(const char *s, size_t len)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t i = 0;

        while (i < len) {
                unsigned char c = p[i];
                size_t need;
                uint32_t cp, min;

                if (c == 0)
                        return 0;
                if (c < 0x80) {
                        i++;
                        continue;
                }
                if (c >= 0xc2 && c <= 0xdf)
                        need = 1, cp = c & 0x1fu, min = 0x80;
                else if (c >= 0xe0 && c <= 0xef)
                        need = 2, cp = c & 0x0fu, min = 0x800;
                else if (c >= 0xf0 && c <= 0xf4)
                        need = 3, cp = c & 0x07u, min = 0x10000;
                else
                        return 0;
                if (len - i <= need)
                        return 0;
                for (size_t k = 1; k <= need; k++) {
                        if ((p[i + k] & 0xc0) != 0x80)
                                return 0;
                        cp = (cp << 6) | (p[i + k] & 0x3fu);
                }
                if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                        return 0;
                i += need + 1;
        }
        return 1;
}
