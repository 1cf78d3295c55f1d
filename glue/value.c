/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Typed values: CIM types, lossless conversion between them, and the string hygiene that lets
 * every front end print what the kernel gave (valid UTF-8, no embedded NUL). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glue-private.h"

static const char *const type_names[] = {
        [GLUE_TYPE_BOOLEAN] = "boolean", [GLUE_TYPE_SINT8] = "sint8",
        [GLUE_TYPE_UINT8] = "uint8",     [GLUE_TYPE_SINT16] = "sint16",
        [GLUE_TYPE_UINT16] = "uint16",   [GLUE_TYPE_SINT32] = "sint32",
        [GLUE_TYPE_UINT32] = "uint32",   [GLUE_TYPE_SINT64] = "sint64",
        [GLUE_TYPE_UINT64] = "uint64",   [GLUE_TYPE_REAL32] = "real32",
        [GLUE_TYPE_REAL64] = "real64",   [GLUE_TYPE_STRING] = "string",
        [GLUE_TYPE_DATETIME] = "datetime",
        /* DSP0221 spells a reference's type `ClassName REF`: the keyword is the type's name. */
        [GLUE_TYPE_REFERENCE] = "ref",
};

GLUE_EXPORT const char *glue_type_name(enum glue_type type)
{
        if ((unsigned)type >= sizeof(type_names) / sizeof(type_names[0]))
                return NULL;
        return type_names[type];
}

GLUE_EXPORT bool glue_type_is_signed(enum glue_type type)
{
        return type == GLUE_TYPE_SINT8 || type == GLUE_TYPE_SINT16 || type == GLUE_TYPE_SINT32 ||
               type == GLUE_TYPE_SINT64;
}

GLUE_EXPORT bool glue_type_is_unsigned(enum glue_type type)
{
        return type == GLUE_TYPE_UINT8 || type == GLUE_TYPE_UINT16 || type == GLUE_TYPE_UINT32 ||
               type == GLUE_TYPE_UINT64;
}

GLUE_EXPORT bool glue_type_is_real(enum glue_type type)
{
        return type == GLUE_TYPE_REAL32 || type == GLUE_TYPE_REAL64;
}

GLUE_EXPORT bool glue_type_is_string(enum glue_type type)
{
        return type == GLUE_TYPE_STRING || type == GLUE_TYPE_DATETIME ||
               type == GLUE_TYPE_REFERENCE;
}

static bool signed_fits(enum glue_type type, int64_t v)
{
        switch (type) {
        case GLUE_TYPE_SINT8: return v >= INT8_MIN && v <= INT8_MAX;
        case GLUE_TYPE_SINT16: return v >= INT16_MIN && v <= INT16_MAX;
        case GLUE_TYPE_SINT32: return v >= INT32_MIN && v <= INT32_MAX;
        default: return true;
        }
}

static bool unsigned_fits(enum glue_type type, uint64_t v)
{
        switch (type) {
        case GLUE_TYPE_UINT8: return v <= UINT8_MAX;
        case GLUE_TYPE_UINT16: return v <= UINT16_MAX;
        case GLUE_TYPE_UINT32: return v <= UINT32_MAX;
        default: return true;
        }
}

/* One scalar element, described by (type, pointer to its C storage). */
static int convert_element(enum glue_type to, enum glue_type from, const void *src, void *dst)
{
        if (to == GLUE_TYPE_BOOLEAN) {
                if (from != GLUE_TYPE_BOOLEAN)
                        return -EPROTO;
                *(bool *)dst = *(const bool *)src;
                return 0;
        }
        /* A reference's text is copied as it is (it was validated when set) and reads as a
         * string; text becomes a reference only through the instance setters, which know the
         * property's reference class to check it against (reference.c). */
        if ((to == GLUE_TYPE_REFERENCE || from == GLUE_TYPE_REFERENCE) &&
            !(from == GLUE_TYPE_REFERENCE && (to == GLUE_TYPE_REFERENCE || to == GLUE_TYPE_STRING)))
                return -EPROTO;
        if (glue_type_is_string(to)) {
                const char *s = *(const char *const *)src;
                char *copy;

                if (!glue_type_is_string(from))
                        return -EPROTO;
                if (to == GLUE_TYPE_DATETIME && !datetime_is_valid(s))
                        return -ERANGE;
                copy = utf8_sanitize(s, strlen(s));
                if (!copy)
                        return -ENOMEM;
                *(char **)dst = copy;
                return 0;
        }
        if (glue_type_is_real(to)) {
                double r;

                if (glue_type_is_real(from))
                        r = *(const double *)src;
                else if (glue_type_is_signed(from))
                        r = (double)*(const int64_t *)src;
                else if (glue_type_is_unsigned(from))
                        r = (double)*(const uint64_t *)src;
                else
                        return -EPROTO;
                if (to == GLUE_TYPE_REAL32 && isfinite(r) && fabs(r) > 3.4028234663852886e38)
                        return -ERANGE;
                *(double *)dst = to == GLUE_TYPE_REAL32 ? (double)(float)r : r;
                return 0;
        }
        if (glue_type_is_signed(to)) {
                int64_t v;

                if (glue_type_is_signed(from))
                        v = *(const int64_t *)src;
                else if (glue_type_is_unsigned(from)) {
                        if (*(const uint64_t *)src > INT64_MAX)
                                return -ERANGE;
                        v = (int64_t)*(const uint64_t *)src;
                } else
                        return -EPROTO;
                if (!signed_fits(to, v))
                        return -ERANGE;
                *(int64_t *)dst = v;
                return 0;
        }
        if (glue_type_is_unsigned(to)) {
                uint64_t v;

                if (glue_type_is_unsigned(from))
                        v = *(const uint64_t *)src;
                else if (glue_type_is_signed(from)) {
                        if (*(const int64_t *)src < 0)
                                return -ERANGE;
                        v = (uint64_t)*(const int64_t *)src;
                } else
                        return -EPROTO;
                if (!unsigned_fits(to, v))
                        return -ERANGE;
                *(uint64_t *)dst = v;
                return 0;
        }
        return -EPROTO;
}

static size_t element_size(enum glue_type type)
{
        if (type == GLUE_TYPE_BOOLEAN)
                return sizeof(bool);
        if (glue_type_is_string(type))
                return sizeof(char *);
        if (glue_type_is_real(type))
                return sizeof(double);
        return sizeof(uint64_t);
}

static const void *scalar_storage(const struct glue_value *v)
{
        return &v->v; /* every union member starts at the union's address */
}

void value_clear(struct glue_value *v)
{
        if (!v)
                return;
        if (v->is_array) {
                if (glue_type_is_string(v->type))
                        for (size_t i = 0; i < v->count; i++)
                                free((char *)v->v.str_array[i]);
                free((void *)v->v.u_array);
        } else if (glue_type_is_string(v->type))
                free((char *)v->v.str);
        memset(v, 0, sizeof(*v));
        v->type = GLUE_TYPE_BOOLEAN;
}

int value_convert(struct glue_value *dst, const struct glue_value *src, enum glue_type type,
                  bool is_array)
{
        struct glue_value out = { .type = type, .is_array = is_array };
        int r;

        if (src->is_array != is_array)
                return -EPROTO;
        if (!is_array) {
                r = convert_element(type, src->type, scalar_storage(src), &out.v);
                if (r < 0)
                        return r;
                *dst = out;
                return 0;
        }
        size_t esize = element_size(type), ssize = element_size(src->type);
        char *elements = calloc(src->count ? src->count : 1, esize);

        if (!elements)
                return -ENOMEM;
        out.v.u_array = (const uint64_t *)elements;
        for (size_t i = 0; i < src->count; i++) {
                r = convert_element(type, src->type, (const char *)src->v.u_array + i * ssize,
                                    elements + i * esize);
                if (r < 0) {
                        out.count = i;
                        value_clear(&out);
                        return r;
                }
        }
        out.count = src->count;
        *dst = out;
        return 0;
}

int value_copy(struct glue_value *dst, const struct glue_value *src)
{
        return value_convert(dst, src, src->type, src->is_array);
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0 if invalid. */
static size_t utf8_valid_len(const unsigned char *p, size_t n)
{
        size_t len;
        uint32_t cp;

        if (p[0] < 0x80)
                return 1;
        if ((p[0] & 0xe0) == 0xc0) {
                len = 2;
                cp = p[0] & 0x1f;
        } else if ((p[0] & 0xf0) == 0xe0) {
                len = 3;
                cp = p[0] & 0x0f;
        } else if ((p[0] & 0xf8) == 0xf0) {
                len = 4;
                cp = p[0] & 0x07;
        } else
                return 0;
        if (len > n)
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((p[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (p[i] & 0x3f);
        }
        /* overlong forms, surrogates and values past U+10FFFF are invalid */
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
                return 0;
        return len;
}

char *utf8_sanitize(const char *s, size_t len)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t n = 0, out_len = 0;
        char *out;

        /* An embedded NUL ends the string: sysfs labels are sometimes NUL-padded. */
        const void *nul = memchr(s, '\0', len);
        if (nul)
                len = (size_t)((const char *)nul - s);

        for (n = 0; n < len;) {
                size_t l = utf8_valid_len(p + n, len - n);
                out_len += l ? l : 3;
                n += l ? l : 1;
        }
        out = malloc(out_len + 1);
        if (!out)
                return NULL;
        out_len = 0;
        for (n = 0; n < len;) {
                size_t l = utf8_valid_len(p + n, len - n);

                if (l) {
                        memcpy(out + out_len, p + n, l);
                        out_len += l;
                        n += l;
                } else {
                        memcpy(out + out_len, "\xef\xbf\xbd", 3); /* U+FFFD */
                        out_len += 3;
                        n++;
                }
        }
        out[out_len] = '\0';
        return out;
}

/* CIM datetime: "yyyymmddHHMMSS.mmmmmmsUUU" (timestamp, s is + or -) or
 * "ddddddddHHMMSS.mmmmmm:000" (interval); '*' may stand for any digit (wildcards). */
bool datetime_is_valid(const char *s)
{
        if (!s || strlen(s) != 25 || s[14] != '.')
                return false;
        for (int i = 0; i < 21; i++) {
                if (i == 14)
                        continue;
                if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '*'))
                        return false;
        }
        if (s[21] == ':')
                return strcmp(s + 22, "000") == 0;
        if (s[21] != '+' && s[21] != '-')
                return false;
        for (int i = 22; i < 25; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '*'))
                        return false;
        return true;
}

int value_format_scalar(const struct glue_value *v, char *buf, size_t size)
{
        int n;

        if (v->is_array || glue_type_is_string(v->type))
                return -EINVAL;
        if (v->type == GLUE_TYPE_BOOLEAN)
                n = snprintf(buf, size, "%s", v->v.b ? "TRUE" : "FALSE");
        else if (glue_type_is_signed(v->type))
                n = snprintf(buf, size, "%" PRId64, v->v.s);
        else if (glue_type_is_unsigned(v->type))
                n = snprintf(buf, size, "%" PRIu64, v->v.u);
        else
                n = snprintf(buf, size, "%.17g", v->v.r);
        return n < 0 || (size_t)n >= size ? -ENOBUFS : 0;
}

int value_to_key_text(const struct glue_value *v, char **ret)
{
        char buf[64];

        if (v->is_array)
                return -EINVAL;
        if (glue_type_is_string(v->type))
                *ret = strdup(v->v.str);
        else {
                int r = value_format_scalar(v, buf, sizeof(buf));
                if (r < 0)
                        return r;
                *ret = strdup(buf);
        }
        return *ret ? 0 : -ENOMEM;
}
