/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A streaming JSON writer: values go out as they are given, commas and indentation are kept
 * track of, strings are escaped whatever bytes they hold (invalid UTF-8 becomes U+FFFD).
 * `key` is the member name inside an object and NULL inside an array or at the top.
 * It writes with the unlocked stdio calls (a lock and, under umockdev's preload, a wrapper per
 * call cost more than the byte): one thread writes a stream at a time.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libglue.h"

#define JSON_MAX_DEPTH 32

struct json {
        FILE *f;
        bool pretty;
        int depth;
        bool has_members[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_open_object(struct json *j, const char *key);
void json_close_object(struct json *j);
void json_open_array(struct json *j, const char *key);
void json_close_array(struct json *j);
void json_string(struct json *j, const char *key, const char *value); /* NULL: null */
void json_uint(struct json *j, const char *key, uint64_t value);
void json_int(struct json *j, const char *key, int64_t value);
void json_real(struct json *j, const char *key, double value); /* NaN, infinities: null */
void json_bool(struct json *j, const char *key, bool value);
void json_null(struct json *j, const char *key);
/* A typed property or qualifier value, scalar or array; NULL: null. */
void json_value(struct json *j, const char *key, const struct glue_value *value);
/* Write s as a JSON string literal, quotes included. */
void json_write_escaped(FILE *f, const char *s);
/* The shortest "%.Ng" that reads back as the same double. */
void format_real(char *buf, size_t size, double value);
