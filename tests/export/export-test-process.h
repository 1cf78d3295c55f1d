/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Child processes for the exporter's tests: run with a time limit, capture output, stop. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

struct export_test_spawn {
        const char *output_path;        /* stdout and stderr go there; NULL: /dev/null */
        const char *stdin_path;         /* NULL: /dev/null */
        const char *const *environment; /* extra KEY=VALUE entries, NULL-terminated, or NULL */
        void (*child_setup)(void);      /* runs in the child before exec, or NULL */
};

/* Start argv[0] (searched in PATH) in the background. The pid, or -errno. */
pid_t export_test_start(char *const argv[], const struct export_test_spawn *spawn);
/*
 * Wait up to timeout_ms for pid to end. Its exit status (0-255), 128 + signal if a signal ended
 * it, -ETIMEDOUT if it still runs (it is left running).
 */
int export_test_wait(pid_t pid, unsigned timeout_ms);
/* SIGTERM, up to 5 s, then SIGKILL; reaps it. The status as export_test_wait. */
int export_test_stop(pid_t pid);
/*
 * Run argv to its end (killed after timeout_ms) and return its status as export_test_wait;
 * *ret_output (if not NULL) receives its stdout and stderr, owned.
 */
int export_test_run(char *const argv[], const struct export_test_spawn *spawn,
                    unsigned timeout_ms, char **ret_output);

/* A new empty directory under $TMPDIR or /tmp, owned; exits the test on failure. */
char *export_test_make_directory(void);
/* Remove a directory and the plain files in it. */
void export_test_remove_directory(const char *dir);
/* How many entries (other than . and ..) dir holds whose name starts with prefix. */
size_t export_test_count_entries(const char *dir, const char *prefix);

/* promtool check metrics < path: its status (127 if promtool is missing); its complaints on
 * stderr. */
int export_test_promtool_check(const char *path);
