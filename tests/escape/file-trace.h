/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which files a program looks at: run it under strace -f and read back every system call that
 * names a file (strace's %file class: open, openat, stat, newfstatat, statx, access, faccessat,
 * readlink, readlinkat, statfs, execve, ...), successful or not. A lookup that fails with
 * ENOENT counts: the hostile name reached the filesystem.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct file_access {
        int pid;
        char *syscall;  /* "openat" */
        char *argument; /* the file name as the program passed it, unescaped; NULL for the
                         * second half of a call strace showed in two lines */
        char *path;     /* the argument made absolute (joined to its directory descriptor or
                         * the working directory) and lexically normalised; NULL as above */
        char *opened;   /* where a returned descriptor points (strace -y), or NULL */
};

struct file_trace {
        struct file_access *accesses;
        size_t n;
        int exit_status; /* the traced program's: 0-255, 128 + signal */
        char *out, *err; /* its standard output and error */
};

/*
 * Run argv under strace. env: "NAME=value" strings set for the traced program only (strace -E),
 * NULL-terminated, or NULL. Returns 0, or a negative errno (no strace: -ENOENT, with a line on
 * stderr saying so).
 */
int file_trace_run(char *const argv[], char *const env[], struct file_trace *ret);
void file_trace_done(struct file_trace *trace);

/* The index of the first access after the marker access("/hwglue-trace-mark/NAME"), or n. */
size_t file_trace_find_mark(const struct file_trace *trace, const char *name);
/* Leave that marker in the trace of the calling process. */
void file_trace_mark(const char *name);

/* Is path (absolute, normalised) dir itself or inside it? */
bool path_is_under(const char *path, const char *dir);
