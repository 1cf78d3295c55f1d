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

/* Build trees: write a file (creating its directories), make a symlink. */
void tree_write(const char *root, const char *path, const char *content);
void tree_write_len(const char *root, const char *path, const char *content, size_t len);
void tree_link(const char *root, const char *path, const char *target);
char *tree_new(void);
void tree_remove(const char *root);
