/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "json.h"

void json_init(struct json *j, FILE *f, bool pretty)
{
        *j = (struct json){ .f = f, .pretty = pretty };
}

static void indent(struct json *j)
{
        if (!j->pretty)
                return;
        putc_unlocked('\n', j->f);
        for (int i = 0; i < j->depth; i++)
                fputs_unlocked("  ", j->f);
}

/* Separator, indentation and "key": before a value. */
static void begin_value(struct json *j, const char *key)
{
        if (j->depth > 0) {
                if (j->has_members[j->depth - 1])
                        putc_unlocked(',', j->f);
                j->has_members[j->depth - 1] = true;
                indent(j);
        }
        if (key) {
                json_write_escaped(j->f, key);
                fputs_unlocked(j->pretty ? ": " : ":", j->f);
        }
}

static void open_container(struct json *j, const char *key, char bracket)
{
        begin_value(j, key);
        putc_unlocked(bracket, j->f);
        if (j->depth < JSON_MAX_DEPTH)
                j->has_members[j->depth] = false;
        j->depth++;
}

static void close_container(struct json *j, char bracket)
{
        bool had_members = j->depth > 0 && j->has_members[j->depth - 1];

        j->depth--;
        if (had_members)
                indent(j);
        putc_unlocked(bracket, j->f);
        if (j->depth == 0 && j->pretty)
                putc_unlocked('\n', j->f);
}

void json_open_object(struct json *j, const char *key)
{
        open_container(j, key, '{');
}

void json_close_object(struct json *j)
{
        close_container(j, '}');
}

void json_open_array(struct json *j, const char *key)
{
        open_container(j, key, '[');
}

void json_close_array(struct json *j)
{
        close_container(j, ']');
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
static int utf8_valid_length(const unsigned char *s)
{
        int n;
        uint32_t c;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                n = 2, c = s[0] & 0x1f;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                n = 3, c = s[0] & 0x0f;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                n = 4, c = s[0] & 0x07;
        else
                return 0;
        for (int i = 1; i < n; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                c = (c << 6) | (s[i] & 0x3f);
        }
        /* overlong forms, surrogates, beyond U+10FFFF */
        if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
            (c >= 0xd800 && c <= 0xdfff))
                return 0;
        return n;
}

void json_write_escaped(FILE *f, const char *str)
{
        const unsigned char *s = (const unsigned char *)str, *run = s;

        putc_unlocked('"', f);
        while (*s) {
                int n = utf8_valid_length(s);

                /* what needs no escape goes out in runs */
                if (n > 1 || (n == 1 && *s >= 0x20 && *s != 0x7f && *s != '"' && *s != '\\')) {
                        s += n;
                        continue;
                }
                if (s > run)
                        fwrite_unlocked(run, 1, (size_t)(s - run), f);
                switch (n == 0 ? -1 : *s) {
                case -1: fputs_unlocked("\\ufffd", f); break;
                case '"': fputs_unlocked("\\\"", f); break;
                case '\\': fputs_unlocked("\\\\", f); break;
                case '\n': fputs_unlocked("\\n", f); break;
                case '\t': fputs_unlocked("\\t", f); break;
                case '\r': fputs_unlocked("\\r", f); break;
                case '\b': fputs_unlocked("\\b", f); break;
                case '\f': fputs_unlocked("\\f", f); break;
                default: fprintf(f, "\\u%04x", *s); break;
                }
                run = ++s;
        }
        if (s > run)
                fwrite_unlocked(run, 1, (size_t)(s - run), f);
        putc_unlocked('"', f);
}

void json_string(struct json *j, const char *key, const char *value)
{
        begin_value(j, key);
        if (value)
                json_write_escaped(j->f, value);
        else
                fputs_unlocked("null", j->f);
}

void json_uint(struct json *j, const char *key, uint64_t value)
{
        begin_value(j, key);
        fprintf(j->f, "%" PRIu64, value);
}

void json_int(struct json *j, const char *key, int64_t value)
{
        begin_value(j, key);
        fprintf(j->f, "%" PRId64, value);
}

void format_real(char *buf, size_t size, double value)
{
        for (int precision = 15; precision <= 17; precision++) {
                snprintf(buf, size, "%.*g", precision, value);
                if (strtod(buf, NULL) == value)
                        return;
        }
}

void json_real(struct json *j, const char *key, double value)
{
        char buf[64];

        begin_value(j, key);
        if (!isfinite(value)) {
                fputs_unlocked("null", j->f);
                return;
        }
        format_real(buf, sizeof(buf), value);
        fputs_unlocked(buf, j->f);
}

void json_bool(struct json *j, const char *key, bool value)
{
        begin_value(j, key);
        fputs_unlocked(value ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
        begin_value(j, key);
        fputs_unlocked("null", j->f);
}

static void json_scalar(struct json *j, const char *key, enum glue_type type, const void *array,
                        size_t index, const struct glue_value *scalar)
{
        if (type == GLUE_TYPE_BOOLEAN)
                json_bool(j, key, array ? ((const bool *)array)[index] : scalar->v.b);
        else if (glue_type_is_signed(type))
                json_int(j, key, array ? ((const int64_t *)array)[index] : scalar->v.s);
        else if (glue_type_is_unsigned(type))
                json_uint(j, key, array ? ((const uint64_t *)array)[index] : scalar->v.u);
        else if (glue_type_is_real(type))
                json_real(j, key, array ? ((const double *)array)[index] : scalar->v.r);
        else
                json_string(j, key, array ? ((const char *const *)array)[index] : scalar->v.str);
}

void json_value(struct json *j, const char *key, const struct glue_value *value)
{
        if (!value) {
                json_null(j, key);
                return;
        }
        if (!value->is_array) {
                json_scalar(j, key, value->type, NULL, 0, value);
                return;
        }
        json_open_array(j, key);
        for (size_t i = 0; i < value->count; i++)
                json_scalar(j, NULL, value->type, value->v.b_array, i, NULL);
        json_close_array(j);
}
