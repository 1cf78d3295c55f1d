/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The files hwglue may look at besides the sysfs tree it was pointed at. Derived from strace
 * runs of a clean inventory (plain, ASan+UBSan, under umockdev's preload); allowed-files.c says
 * why each is there. Anything else that a run touches is an escape.
 */
#pragma once

#include <stdbool.h>

#include "file-trace.h"

struct allowed_files {
        char *sysroot;  /* the tree, absolute and without symlinks */
        char *program;  /* the program run, likewise */
        char *glue_dir; /* HWGLUE_BUILD_DIR/glue, likewise: libglue.so is found there */
        char *cwd;      /* the working directory the program inherits */
        bool umockdev;  /* the program reads the tree as "/" through umockdev's preload */
};

/* Fill from the environment and the arguments (realpath'ed copies, freed by _done). */
int allowed_files_init(struct allowed_files *allowed, const char *sysroot, const char *program,
                       bool umockdev);
void allowed_files_done(struct allowed_files *allowed);

/* Why the access is allowed ("sysroot", "pci.ids", ...), or NULL if it is not. Both the name
 * looked up and, for an open that succeeded, what it opened are checked. */
const char *allowed_files_reason(const struct allowed_files *allowed,
                                 const struct file_access *access);

/* Check every access from index `from` on; print each one not allowed (with the reason for
 * the caller's context) and return how many there were. */
unsigned allowed_files_check(const struct allowed_files *allowed, const struct file_trace *trace,
                             size_t from, size_t to, const char *context);
