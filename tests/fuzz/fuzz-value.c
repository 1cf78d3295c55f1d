/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The parsers of untrusted attribute text and the value conversions, each checked against an
 * oracle written here apart from the code under test. The first byte picks what the rest is fed
 * to:
 *   utf8      utf8_sanitize: valid UTF-8, no NUL, valid input kept as is, idempotent;
 *   numbers   sysfs_parse_uint64/int64 accept exactly decimal or 0x hex (with a sign for
 *             int64) and agree with strtoull/strtoll there; sysfs_hex_digit;
 *   uevent    sysfs_uevent_get finds the first KEY= line and nothing else;
 *   datetime  datetime_is_valid accepts exactly the two CIM forms;
 *   convert   value_convert from and to every type: the error it gives is the one the CIM rules
 *             call for, what it converts keeps its value, copies and formatted text agree;
 *   instance  a string set on an instance comes back sanitised, and the instance's path text
 *             parses back to a path that names it.
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <strings.h>

#include "common/sysfs-read.h"
#include "fuzz-harness.h"
#include "glue-private.h"

enum {
        MODE_UTF8,
        MODE_NUMBERS,
        MODE_UEVENT,
        MODE_DATETIME,
        MODE_CONVERT,
        MODE_INSTANCE,
        MODE_COUNT,
};

/* ---- utf8 ---------------------------------------------------------------------------------- */

static void fuzz_utf8(const uint8_t *data, size_t size)
{
        const char *s = (const char *)data;
        const void *nul = memchr(s, '\0', size);
        size_t prefix = nul ? (size_t)((const char *)nul - s) : size;
        char *out, *again;

        out = utf8_sanitize(s, size);
        if (!out)
                return;
        fuzz_assert(fuzz_utf8_valid(out, strlen(out)));
        /* Each byte becomes at most one U+FFFD (3 bytes); the NUL ends the text. */
        fuzz_assert(strlen(out) <= 3 * prefix);
        if (fuzz_utf8_valid(s, prefix))
                fuzz_assert(strlen(out) == prefix && memcmp(out, s, prefix) == 0);
        again = utf8_sanitize(out, strlen(out));
        fuzz_assert(!again || strcmp(again, out) == 0);
        free(again);
        free(out);
}

/* ---- numbers ------------------------------------------------------------------------------- */

static int digit_value(char c)
{
        const char *digits = "0123456789abcdef";
        const char *at = c ? strchr(digits, tolower((unsigned char)c)) : NULL;

        return at ? (int)(at - digits) : -1;
}

/* The contract of sysfs_parse_uint64: decimal, or 0x/0X hex, nothing else, no sign. Returns
 * 0 with the value, -EINVAL or -ERANGE (overflow of an otherwise valid number). */
static int oracle_unsigned(const char *s, uint64_t *ret)
{
        unsigned base = 10;
        bool overflow = false;
        uint64_t v = 0;

        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
                base = 16;
                s += 2;
        }
        if (!*s)
                return -EINVAL;
        for (; *s; s++) {
                int d = digit_value(*s);
                if (d < 0 || (unsigned)d >= base)
                        return -EINVAL;
                if (v > (UINT64_MAX - (unsigned)d) / base)
                        overflow = true;
                else
                        v = v * base + (unsigned)d;
        }
        if (overflow)
                return -ERANGE;
        *ret = v;
        return 0;
}

/* The base a number is written in: 0x hex, else decimal (never octal). */
static int base_of(const char *s)
{
        return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;
}

static void fuzz_numbers(const uint8_t *data, size_t size)
{
        char *text = fuzz_string(data, size), *end;
        uint64_t u = 0, expected_u = 0;
        int64_t s = 0;
        int r, expected;

        if (!text)
                return;

        r = sysfs_parse_uint64(text, &u);
        expected = oracle_unsigned(text, &expected_u);
        fuzz_assert(r == 0 || r == -EINVAL || r == -ERANGE);
        if ((r == 0) != (expected == 0) || (r == 0 && u != expected_u))
                fprintf(stderr, "sysfs_parse_uint64(\"%s\"): %d (%" PRIu64 "), expected %d (%" PRIu64 ")\n",
                        text, r, u, expected, expected_u);
        fuzz_assert((r == 0) == (expected == 0));
        if (r == 0) {
                fuzz_assert(u == expected_u);
                errno = 0;
                fuzz_assert(strtoull(text, &end, base_of(text)) == u && *end == '\0' && errno == 0);
        }

        /* int64: an optional sign, then what uint64 takes, within range. */
        const char *magnitude = text + (text[0] == '-' || text[0] == '+');
        bool negative = text[0] == '-';
        expected = oracle_unsigned(magnitude, &expected_u);
        if (expected == 0 && expected_u > (uint64_t)INT64_MAX + (negative ? 1 : 0))
                expected = -ERANGE;
        r = sysfs_parse_int64(text, &s);
        fuzz_assert(r == 0 || r == -EINVAL || r == -ERANGE);
        fuzz_assert((r == 0) == (expected == 0));
        if (r == 0) {
                fuzz_assert(negative ? 0 - (uint64_t)s == expected_u : (uint64_t)s == expected_u);
                fuzz_assert(negative ? s <= 0 : s >= 0);
                errno = 0;
                fuzz_assert(strtoll(text, &end, base_of(magnitude)) == s && *end == '\0' &&
                            errno == 0);
        }

        for (size_t i = 0; i < size && i < 16; i++) {
                char c = (char)data[i];
                fuzz_assert(sysfs_hex_digit(c) == digit_value(c));
        }
        free(text);
}

/* ---- uevent -------------------------------------------------------------------------------- */

/* The first line is the key to look up, the rest the uevent text. */
static void fuzz_uevent(const uint8_t *data, size_t size)
{
        char *text = fuzz_string(data, size);
        const char *buf, *found, *expected = NULL;
        size_t len = 0, expected_len = 0, klen;

        if (!text)
                return;
        char *newline = strchr(text, '\n');
        buf = newline ? newline + 1 : "";
        if (newline)
                *newline = '\0';
        klen = strlen(text);

        for (const char *line = buf; *line && !expected;) {
                const char *eol = line + strcspn(line, "\n");
                if ((size_t)(eol - line) > klen && memcmp(line, text, klen) == 0 &&
                    line[klen] == '=') {
                        expected = line + klen + 1;
                        expected_len = (size_t)(eol - expected);
                }
                line = *eol ? eol + 1 : eol;
        }
        found = sysfs_uevent_get(buf, text, &len);
        fuzz_assert(found == expected);
        if (found) {
                fuzz_assert(len == expected_len);
                fuzz_assert(memchr(found, '\n', len) == NULL);
        }
        free(text);
}

/* ---- datetime ------------------------------------------------------------------------------ */

/* "yyyymmddHHMMSS.mmmmmmsUUU" with s one of + -, or "ddddddddHHMMSS.mmmmmm:000"; '*' may stand
 * for any digit but in the interval's 000. */
static bool oracle_datetime(const char *s)
{
        if (strlen(s) != 25)
                return false;
        for (int i = 0; i < 25; i++) {
                char c = s[i];
                if (i == 14) {
                        if (c != '.')
                                return false;
                } else if (i == 21) {
                        if (c != '+' && c != '-' && c != ':')
                                return false;
                } else if (i > 21 && s[21] == ':') {
                        if (c != '0')
                                return false;
                } else if (!isdigit((unsigned char)c) && c != '*') {
                        return false;
                }
        }
        return true;
}

static void fuzz_datetime(const uint8_t *data, size_t size)
{
        char *text = fuzz_string(data, size);

        if (!text)
                return;
        fuzz_assert(datetime_is_valid(text) == oracle_datetime(text));
        free(text);
}

/* ---- convert ------------------------------------------------------------------------------- */

struct reader {
        const uint8_t *data;
        size_t size, pos;
};

static uint8_t take_byte(struct reader *rd)
{
        return rd->pos < rd->size ? rd->data[rd->pos++] : 0;
}

static uint64_t take_u64(struct reader *rd)
{
        uint64_t v = 0;

        for (int i = 0; i < 8; i++)
                v = (v << 8) | take_byte(rd);
        return v;
}

static double take_double(struct reader *rd)
{
        uint64_t bits = take_u64(rd);
        double d;

        memcpy(&d, &bits, sizeof(d));
        return d;
}

/* A string of a length given by its first byte; owned, or NULL when out of memory. */
static char *take_string(struct reader *rd)
{
        size_t len = take_byte(rd) % 64;

        if (len > rd->size - rd->pos)
                len = rd->size - rd->pos;
        char *s = fuzz_string(rd->data + rd->pos, len);
        rd->pos += len;
        return s;
}

/* One element of a value, whatever its type: the storage value_convert reads and writes. */
union element {
        bool b;
        int64_t s;
        uint64_t u;
        double r;
        char *str;
};

static bool is_integer(enum glue_type t)
{
        return glue_type_is_signed(t) || glue_type_is_unsigned(t);
}

static bool signed_in_range(enum glue_type t, int64_t v)
{
        switch (t) {
        case GLUE_TYPE_SINT8: return v >= -128 && v <= 127;
        case GLUE_TYPE_SINT16: return v >= -32768 && v <= 32767;
        case GLUE_TYPE_SINT32: return v >= -2147483648LL && v <= 2147483647LL;
        default: return true;
        }
}

static bool unsigned_in_range(enum glue_type t, uint64_t v)
{
        switch (t) {
        case GLUE_TYPE_UINT8: return v <= 255;
        case GLUE_TYPE_UINT16: return v <= 65535;
        case GLUE_TYPE_UINT32: return v <= 4294967295ULL;
        default: return true;
        }
}

/* What converting one element must give under the CIM rules: 0, -EPROTO (another family),
 * -ERANGE (does not fit). */
static int oracle_convert(enum glue_type to, enum glue_type from, const union element *e)
{
        if ((to == GLUE_TYPE_BOOLEAN) != (from == GLUE_TYPE_BOOLEAN) ||
            glue_type_is_string(to) != glue_type_is_string(from) ||
            (is_integer(to) && glue_type_is_real(from)))
                return -EPROTO;
        if (to == GLUE_TYPE_DATETIME)
                return oracle_datetime(e->str) ? 0 : -ERANGE;
        if (to == GLUE_TYPE_REAL32) {
                double r = glue_type_is_real(from) ? e->r
                           : glue_type_is_signed(from) ? (double)e->s : (double)e->u;
                return isfinite(r) && fabs(r) > FLT_MAX ? -ERANGE : 0;
        }
        if (glue_type_is_signed(to)) {
                if (glue_type_is_unsigned(from))
                        return e->u <= INT64_MAX && signed_in_range(to, (int64_t)e->u) ? 0 : -ERANGE;
                return signed_in_range(to, e->s) ? 0 : -ERANGE;
        }
        if (glue_type_is_unsigned(to)) {
                if (glue_type_is_signed(from))
                        return e->s >= 0 && unsigned_in_range(to, (uint64_t)e->s) ? 0 : -ERANGE;
                return unsigned_in_range(to, e->u) ? 0 : -ERANGE;
        }
        return 0;
}

static bool same_double(double a, double b)
{
        return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof(a)) == 0;
}

/* The converted element out keeps the value of in. */
static void check_converted(enum glue_type to, enum glue_type from, const union element *in,
                            const union element *out)
{
        if (to == GLUE_TYPE_BOOLEAN) {
                fuzz_assert(out->b == in->b);
        } else if (glue_type_is_string(to)) {
                char *expected = utf8_sanitize(in->str, strlen(in->str));
                fuzz_assert(!expected || strcmp(out->str, expected) == 0);
                fuzz_assert(fuzz_utf8_valid(out->str, strlen(out->str)));
                free(expected);
        } else if (glue_type_is_real(to)) {
                double r = glue_type_is_real(from) ? in->r
                           : glue_type_is_signed(from) ? (double)in->s : (double)in->u;
                if (to == GLUE_TYPE_REAL32)
                        r = (double)(float)r;
                fuzz_assert(same_double(out->r, r));
        } else if (glue_type_is_signed(to)) {
                fuzz_assert(glue_type_is_signed(from) ? out->s == in->s
                                                       : out->s >= 0 && (uint64_t)out->s == in->u);
        } else {
                fuzz_assert(glue_type_is_unsigned(from) ? out->u == in->u
                                                         : in->s >= 0 && out->u == (uint64_t)in->s);
        }
}

/* A formatted scalar reads back as the same value. */
static void check_formatted(const struct glue_value *v)
{
        char buf[64], *end, *key_text = NULL;
        uint64_t u;
        int64_t s;

        fuzz_assert(value_format_scalar(v, buf, sizeof(buf)) == 0);
        if (v->type == GLUE_TYPE_BOOLEAN)
                fuzz_assert(strcmp(buf, v->v.b ? "TRUE" : "FALSE") == 0);
        else if (glue_type_is_signed(v->type))
                fuzz_assert(sysfs_parse_int64(buf, &s) == 0 && s == v->v.s);
        else if (glue_type_is_unsigned(v->type))
                fuzz_assert(sysfs_parse_uint64(buf, &u) == 0 && u == v->v.u);
        else
                fuzz_assert(same_double(strtod(buf, &end), v->v.r) && *end == '\0');
        if (value_to_key_text(v, &key_text) == 0)
                fuzz_assert(strcmp(key_text, buf) == 0);
        free(key_text);
}

static void fuzz_convert(const uint8_t *data, size_t size)
{
        struct reader rd = { .data = data, .size = size };
        union element in[4] = { { 0 } };
        struct glue_value src = { 0 }, dst = { 0 }, copy = { 0 };
        enum glue_type to;
        bool to_array;
        int r, expected = 0;

        src.type = (enum glue_type)(1 + take_byte(&rd) % 13);
        to = (enum glue_type)(1 + take_byte(&rd) % 13);
        uint8_t shape = take_byte(&rd);
        src.is_array = shape & 1;
        to_array = (shape & 6) == 6 ? !src.is_array : src.is_array; /* now and then a mismatch */
        src.count = src.is_array ? (shape >> 3) % 5 : 1;
        for (size_t i = 0; i < src.count; i++) {
                if (src.type == GLUE_TYPE_BOOLEAN)
                        in[i].b = take_byte(&rd) & 1;
                else if (glue_type_is_string(src.type))
                        in[i].str = take_string(&rd);
                else if (glue_type_is_real(src.type))
                        in[i].r = take_double(&rd);
                else
                        in[i].u = take_u64(&rd);
                if (glue_type_is_string(src.type) && !in[i].str)
                        goto out;
        }
        if (src.is_array) {
                /* Arrays are stored packed in the C type of their family. */
                static union {
                        bool b[4];
                        uint64_t u[4];
                        double r[4];
                        const char *str[4];
                } packed;
                for (size_t i = 0; i < src.count; i++) {
                        if (src.type == GLUE_TYPE_BOOLEAN)
                                packed.b[i] = in[i].b;
                        else if (glue_type_is_string(src.type))
                                packed.str[i] = in[i].str;
                        else if (glue_type_is_real(src.type))
                                packed.r[i] = in[i].r;
                        else
                                packed.u[i] = in[i].u;
                }
                src.v.u_array = packed.u;
        } else if (src.type == GLUE_TYPE_BOOLEAN)
                src.v.b = in[0].b;
        else if (glue_type_is_string(src.type))
                src.v.str = in[0].str;
        else if (glue_type_is_real(src.type))
                src.v.r = in[0].r;
        else
                src.v.u = in[0].u;

        if (to_array != src.is_array)
                expected = -EPROTO;
        for (size_t i = 0; i < src.count && expected == 0; i++)
                expected = oracle_convert(to, src.type, &in[i]);

        r = value_convert(&dst, &src, to, to_array);
        if (r == -ENOMEM)
                goto out;
        if (r != expected)
                fprintf(stderr, "value_convert %s%s -> %s%s: %d, expected %d\n",
                        glue_type_name(src.type), src.is_array ? "[]" : "", glue_type_name(to),
                        to_array ? "[]" : "", r, expected);
        fuzz_assert(r == expected);
        if (r < 0)
                goto out;
        fuzz_assert(dst.type == to && dst.is_array == to_array);
        if (!to_array) {
                check_converted(to, src.type, &in[0], (const union element *)&dst.v);
                if (!glue_type_is_string(to))
                        check_formatted(&dst);
        } else {
                fuzz_assert(dst.count == src.count);
                for (size_t i = 0; i < dst.count; i++) {
                        union element out = { 0 };
                        if (to == GLUE_TYPE_BOOLEAN)
                                out.b = dst.v.b_array[i];
                        else if (glue_type_is_string(to))
                                out.str = (char *)dst.v.str_array[i];
                        else if (glue_type_is_real(to))
                                out.r = dst.v.r_array[i];
                        else
                                out.u = dst.v.u_array[i];
                        check_converted(to, src.type, &in[i], &out);
                }
        }
        /* A copy is equal, and an integer converted back is the value it came from. */
        if (value_copy(&copy, &dst) == 0) {
                fuzz_assert(copy.type == dst.type && copy.is_array == dst.is_array);
                if (!to_array && !glue_type_is_string(to) && !glue_type_is_real(to))
                        fuzz_assert(copy.v.u == dst.v.u);
                value_clear(&copy);
        }
        bool src_fits_its_type = glue_type_is_signed(src.type) ? signed_in_range(src.type, src.v.s)
                                                                : unsigned_in_range(src.type, src.v.u);
        if (!to_array && is_integer(to) && is_integer(src.type) && src_fits_its_type) {
                struct glue_value back;
                fuzz_assert(value_convert(&back, &dst, src.type, false) == 0);
                fuzz_assert(back.v.u == src.v.u);
        }
out:
        value_clear(&dst);
        if (glue_type_is_string(src.type))
                for (size_t i = 0; i < src.count; i++)
                        free(in[i].str);
}

/* ---- instance ------------------------------------------------------------------------------ */

static const char instance_mof[] =
        "class Fuzz_Value {\n"
        "  [Key] string Id;\n"
        "  datetime Stamp;\n"
        "  uint8 Small;\n"
        "};\n";

static void fuzz_instance(const uint8_t *data, size_t size)
{
        static struct glue_context *ctx; /* one schema for every input, freed at exit */
        static const struct glue_class *cls;
        struct glue_instance *inst = NULL;
        struct glue_path *path = NULL;
        const char *stored;
        char *expected, *text = NULL;
        int r;

        if (!ctx) {
                fuzz_assert(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx) == 0);
                fuzz_assert(glue_context_load_mof(ctx, "fuzz-value.mof", instance_mof, NULL) == 0);
                fuzz_assert(glue_context_find_class(ctx, NULL, "Fuzz_Value", &cls) == 0);
        }
        expected = utf8_sanitize((const char *)data, size);
        if (!expected || glue_instance_new(cls, &inst) < 0)
                goto out;

        r = glue_instance_set_string_len(inst, "Id", (const char *)data, size);
        if (r == -ENOMEM)
                goto out;
        fuzz_assert(r == 0);
        fuzz_assert(glue_instance_get_string(inst, "Id", &stored) == 0);
        fuzz_assert(strcmp(stored, expected) == 0);

        r = glue_instance_set_string_len(inst, "Stamp", (const char *)data, size);
        fuzz_assert(r == (oracle_datetime(expected) ? 0 : -ERANGE) || r == -ENOMEM);
        fuzz_assert(glue_instance_set_string_len(inst, "Small", "1", 1) == -EPROTO);
        if (size >= 2) {
                uint64_t small = data[0] | (uint64_t)data[1] << 8;
                fuzz_assert(glue_instance_set_uint(inst, "Small", small) ==
                            (small <= 255 ? 0 : -ERANGE));
        }

        /* The path names the instance: it parses and matches it (unless it is over the length
         * limit of paths: escaping may make it longer than the value). */
        r = glue_instance_get_path(inst, &text);
        if (r == -ENOMEM)
                goto out;
        fuzz_assert(r == 0);
        r = glue_path_parse(text, &path);
        if (strlen(text) <= 4096) {
                if (r < 0)
                        fprintf(stderr, "instance path \"%s\" does not parse: %d\n", text, r);
                fuzz_assert(r == 0 || r == -ENOMEM);
                if (r == 0) {
                        fuzz_assert(strcmp(glue_path_get_key(path, "Id"), stored) == 0);
                        fuzz_assert(instance_matches_path(inst, path));
                }
        } else
                fuzz_assert(r == -EILSEQ);
out:
        glue_path_free(path);
        free(text);
        glue_instance_unref(inst);
        free(expected);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size == 0)
                return 0;
        switch (data[0] % MODE_COUNT) {
        case MODE_UTF8: fuzz_utf8(data + 1, size - 1); break;
        case MODE_NUMBERS: fuzz_numbers(data + 1, size - 1); break;
        case MODE_UEVENT: fuzz_uevent(data + 1, size - 1); break;
        case MODE_DATETIME: fuzz_datetime(data + 1, size - 1); break;
        case MODE_CONVERT: fuzz_convert(data + 1, size - 1); break;
        case MODE_INSTANCE: fuzz_instance(data + 1, size - 1); break;
        }
        return 0;
}
