/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the block provider's tests. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "test-util.h"

struct devlist {
        struct glue_instance **items;
        size_t count;
};

/* A context on the given sysroot (NULL: the default "/"), its log kept in test_log_text(). */
struct glue_context *block_test_context(const char *sysroot);
/* Everything the provider logged since the last test_log_clear(). */
const char *test_log_text(void);
void test_log_clear(void);

int block_collect(struct glue_context *ctx, const char *cls, unsigned flags,
                  struct devlist *ret);
/* The same, keeping the request for its read errors (the caller unrefs it). */
int block_collect_request(struct glue_context *ctx, const char *cls, unsigned flags,
                          struct devlist *ret, struct glue_request **ret_req);
/* The files the last call of req could not read with that cause. */
uint64_t read_error_count(const struct glue_request *req, int err);
/* Did a provider log that it could not read a path ending in path_end, with err? */
bool read_error_logged(const char *path_end, int err);
void devlist_free(struct devlist *list);
struct glue_instance *devlist_find(const struct devlist *list, const char *device_id);
size_t devlist_count_id(const struct devlist *list, const char *device_id);

/* Property views: NULL / false when the property is NULL, unset or of another type. */
const char *prop_str(const struct glue_instance *inst, const char *name);
bool prop_uint(const struct glue_instance *inst, const char *name, uint64_t *ret);
/* -1 NULL, 0 false, 1 true */
int prop_bool(const struct glue_instance *inst, const char *name);
const char *class_of(const struct glue_instance *inst);

/* lsblk's view of one device: one row of lsblk -J -O, NULL for JSON null. */
enum lsblk_col {
        L_KNAME, L_SIZE, L_LOG_SEC, L_PHY_SEC, L_RO, L_RM, L_ROTA, L_MODEL, L_SERIAL, L_WWN,
        L_TYPE, L_PKNAME, L_TRAN, _L_MAX,
};
struct lsblk_row {
        char *col[_L_MAX];
};
/* Flatten an lsblk JSON file (or, with path NULL, the output of the live `lsblk -b -J -O -a`)
 * with jq. Returns the number of rows, or -1. */
int lsblk_rows(const char *json_path, struct lsblk_row **ret);
void lsblk_rows_free(struct lsblk_row *rows, int n);

/* Where the udev-like properties lsblk read for a device came from: a directory of KEY=value
 * files named after the device (util-linux dumps' dev/), or NULL. */
struct compare_opts {
        const char *tree;          /* the sysroot, for the test's own reads of sysfs */
        const char *udev_file_dir; /* lsblk's properties files, or NULL */
};
/* Compare every lsblk row with the instance of the same kernel name, field by field; returns
 * the number of rows compared. Failures count in test_failures. */
int compare_with_lsblk(const struct devlist *list, const struct lsblk_row *rows, int n,
                       const struct compare_opts *opts);

/* Build trees: write a file (creating its directories), make a symlink. */
void tree_write(const char *root, const char *path, const char *content);
void tree_write_len(const char *root, const char *path, const char *content, size_t len);
void tree_link(const char *root, const char *path, const char *target);
char *tree_new(void);
void tree_remove(const char *root);
