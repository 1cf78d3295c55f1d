/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A minimal test harness: each test program runs its cases in order, prints a TAP-like line per
 * case, and exits 0 (all passed), 1 (a check failed) or 77 (skipped, e.g. no shared fixtures).
 *
 *   static void test_something(void) { check(1 + 1 == 2); check_int_eq(r, 0); }
 *   TEST_MAIN(test_something, test_other)
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "libglue.h"

extern int test_failures;

#define check(expr)                                                                        \
        do {                                                                               \
                if (!(expr)) {                                                             \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
                        test_failures++;                                                   \
                }                                                                          \
        } while (0)

#define check_int_eq(a, b)                                                                 \
        do {                                                                               \
                long long _a = (long long)(a), _b = (long long)(b);                         \
                if (_a != _b) {                                                            \
                        fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__,  \
                                __LINE__, #a, #b, _a, _b);                                 \
                        test_failures++;                                                   \
                }                                                                          \
        } while (0)

#define check_str_eq(a, b)                                                                 \
        do {                                                                               \
                const char *_a = (a), *_b = (b);                                           \
                if (!_a || !_b || strcmp(_a, _b) != 0) {                                   \
                        fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n",       \
                                __FILE__, __LINE__, #a, #b, _a ? _a : "(null)",            \
                                _b ? _b : "(null)");                                       \
                        test_failures++;                                                   \
                }                                                                          \
        } while (0)

/* Stop the whole program as skipped (exit 77), with a reason. */
void test_skip(const char *why) __attribute__((noreturn));

/* The unpacked ../shared/fixtures folder, or skip if absent. Borrowed, static. */
const char *test_shared_fixtures(void);
/* The folder an archive of ../shared/fixtures unpacked into ("systemd.tar.xz" -> ".../systemd"),
 * or NULL. Owned. */
char *test_shared_fixture_dir(const char *archive);
/* Read a whole file into an owned NUL-terminated buffer, or NULL. */
char *test_read_file(const char *path, size_t *ret_len);
/* A log function that prints to stderr, for glue_context_set_log_fn in tests. */
void test_log_stderr(void *userdata, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args);

/* The engine's worker threads alive in this process (by their name, "glue-worker"). */
int test_count_engine_workers(void);
/* Wait (up to 5 s) until at most `target` workers are left; returns how many are. Workers of
 * an earlier request that was stopped may still be on their way out. */
int test_settle_engine_workers(int target);

typedef void (*test_fn)(void);
int test_run(const char *const *names, const test_fn *fns, size_t n);

#define TEST_MAIN(...)                                                                     \
        int main(void)                                                                     \
        {                                                                                  \
                const test_fn fns[] = { __VA_ARGS__ };                                     \
                const char *names_str = #__VA_ARGS__;                                      \
                const char *names[sizeof(fns) / sizeof(fns[0])];                           \
                static char buf[4096];                                                     \
                size_t n = 0;                                                              \
                snprintf(buf, sizeof(buf), "%s", names_str);                               \
                for (char *s = strtok(buf, ", "); s && n < sizeof(fns) / sizeof(fns[0]);   \
                     s = strtok(NULL, ", "))                                               \
                        names[n++] = s;                                                    \
                return test_run(names, fns, n);                                            \
        }
