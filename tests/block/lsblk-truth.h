/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lsblk as the oracle, field by field: every column of `lsblk -J -O -b` (64 in util-linux
 * 2.38) is compared with the hwglue property that carries it (Linux_BlockDevice and its
 * subclasses, Linux_FileSystem for lsblk -f's columns). A field agrees, or differs for a reason
 * listed in lsblk-truth.c (each deliberate difference checks what hwglue shows instead), or
 * disagrees: a failure. The report prints the share of agreeing fields per column and in all.
 */
#pragma once

#include <stdbool.h>

#include "block-test.h"

/* The rows of an lsblk JSON file, or with json_path NULL of `lsblk -J -O -b -a` run now.
 * Returns the number of rows (a device under several parents is a row each), or -1. */
struct lsblk_table;
int lsblk_table_load(const char *json_path, struct lsblk_table **ret);
/* `lsblk -J -O -b ARGS` run now (ARGS: device nodes, options; trusted text). */
int lsblk_table_run(const char *args, struct lsblk_table **ret);
void lsblk_table_free(struct lsblk_table *table);
int lsblk_table_rows(const struct lsblk_table *table);

struct truth_opts {
        const char *tree;          /* the sysroot, for the test's own reads; "" for this machine */
        const char *udev_file_dir; /* lsblk --sysroot's properties files (util-linux dumps), or
                                    * NULL */
        const char *mountinfo;     /* the mount table lsblk read (for findmnt -F), or NULL */
        bool live;                 /* this machine: lsblk ran between two enumerations */
};

/* The instances to compare with: the block devices and filesystems, and for a live machine a
 * second enumeration of each made after lsblk ran (a field that moved between the two agrees
 * if it matches either). */
struct truth_instances {
        const struct devlist *blocks, *filesystems;
        const struct devlist *blocks_after, *filesystems_after; /* NULL unless live */
};

struct truth_report {
        unsigned rows, rows_vanished;
        unsigned fields, agreeing, deliberate, disagreeing;
};

/* Compare; failures count in test_failures and are printed; the per-column and per-reason
 * counts are printed as TAP comments, prefixed with what. */
void truth_compare(const char *what, const struct lsblk_table *table,
                   const struct truth_instances *inst, const struct truth_opts *opts,
                   struct truth_report *ret);
