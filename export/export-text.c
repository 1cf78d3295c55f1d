/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names, escaping and numbers as the Prometheus text exposition format (0.0.4) wants them. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

static bool is_upper(char c)
{
        return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
        return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/*
 * Where a word starts inside a CamelCase name: after a lower-case letter or digit ("ReadBytes"),
 * or at the last capital of an acronym that a lower-case word follows ("PCIDevice"), unless that
 * lower case is an acronym's plural s ("ReadIOs", "IOsInFlight").
 */
static bool starts_word(const char *name, size_t i)
{
        char prev, next;

        if (i == 0 || !is_upper(name[i]))
                return false;
        prev = name[i - 1];
        next = name[i + 1];
        if (is_lower(prev) || is_digit(prev))
                return true;
        if (!is_upper(prev) || !is_lower(next))
                return false;
        return !(next == 's' && !is_lower(name[i + 2]));
}

char *export_snake_case(const char *name)
{
        size_t len = strlen(name), o = 0;
        /* At most one '_' per character, a leading '_' and the NUL. */
        char *out = malloc(2 * len + 2);

        if (!out)
                return NULL;
        if (is_digit(name[0]))
                out[o++] = '_';
        for (size_t i = 0; i < len; i++) {
                char c = name[i];

                if (starts_word(name, i) && o > 0 && out[o - 1] != '_')
                        out[o++] = '_';
                if (is_upper(c))
                        out[o++] = (char)(c - 'A' + 'a');
                else if (is_lower(c) || is_digit(c))
                        out[o++] = c;
                else if (o == 0 || out[o - 1] != '_')
                        out[o++] = '_';
        }
        out[o] = '\0';
        return out;
}

char *export_class_snake_name(const char *class_name)
{
        const char *underscore = strchr(class_name, '_');
        bool prefixed = underscore && underscore > class_name && underscore[1] != '\0';

        /* "Linux_BlockDevice", "CIM_NumericSensor": the schema prefix says nothing in a
         * metric name that already starts with hwglue_. */
        for (const char *p = class_name; prefixed && p < underscore; p++)
                if (!is_upper(*p) && !is_lower(*p) && !is_digit(*p))
                        prefixed = false;
        return export_snake_case(prefixed ? underscore + 1 : class_name);
}

void export_format_double(double value, bool as_float, char *buf, size_t size)
{
        if (isnan(value)) {
                snprintf(buf, size, "NaN");
                return;
        }
        if (isinf(value)) {
                snprintf(buf, size, value > 0 ? "+Inf" : "-Inf");
                return;
        }
        /* A real32 reading widened to double carries digits the sensor never had. */
        if (as_float && (double)(float)value == value) {
                for (int precision = 6; precision <= 9; precision++) {
                        snprintf(buf, size, "%.*g", precision, value);
                        if ((float)strtod(buf, NULL) == (float)value)
                                return;
                }
        }
        /* %.17g always reads back exactly but prints 84.85 as 84.85000000000001; the shortest
         * precision that reads back is the honest text. */
        for (int precision = 15; precision < 17; precision++) {
                snprintf(buf, size, "%.*g", precision, value);
                if (strtod(buf, NULL) == value)
                        return;
        }
        snprintf(buf, size, "%.17g", value);
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF), or 0. */
static size_t utf8_sequence_length(const unsigned char *s)
{
        unsigned char lo = 0x80, hi = 0xBF;
        size_t len;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xC2 && s[0] <= 0xDF)
                len = 2;
        else if (s[0] >= 0xE0 && s[0] <= 0xEF)
                len = 3;
        else if (s[0] >= 0xF0 && s[0] <= 0xF4)
                len = 4;
        else
                return 0;
        if (s[0] == 0xE0)
                lo = 0xA0;
        else if (s[0] == 0xED)
                hi = 0x9F;
        else if (s[0] == 0xF0)
                lo = 0x90;
        else if (s[0] == 0xF4)
                hi = 0x8F;
        if (s[1] < lo || s[1] > hi)
                return 0;
        for (size_t i = 2; i < len; i++)
                if (s[i] < 0x80 || s[i] > 0xBF)
                        return 0;
        return len;
}

int export_buffer_reserve(struct export_buffer *buf, size_t more)
{
        size_t cap;
        char *data;

        if (buf->len + more + 1 <= buf->cap)
                return 0;
        cap = buf->cap ? buf->cap : 256;
        while (cap < buf->len + more + 1)
                cap *= 2;
        data = realloc(buf->data, cap);
        if (!data)
                return -ENOMEM;
        buf->data = data;
        buf->cap = cap;
        return 0;
}

int export_buffer_append(struct export_buffer *buf, const void *data, size_t len)
{
        if (export_buffer_reserve(buf, len) < 0)
                return -ENOMEM;
        if (len > 0)
                memcpy(buf->data + buf->len, data, len);
        buf->len += len;
        buf->data[buf->len] = '\0';
        return 0;
}

int export_buffer_puts(struct export_buffer *buf, const char *s)
{
        return export_buffer_append(buf, s, strlen(s));
}

int export_buffer_printf(struct export_buffer *buf, const char *format, ...)
{
        va_list args;
        int n;

        va_start(args, format);
        n = vsnprintf(NULL, 0, format, args);
        va_end(args);
        if (n < 0 || export_buffer_reserve(buf, (size_t)n) < 0)
                return -ENOMEM;
        va_start(args, format);
        vsnprintf(buf->data + buf->len, (size_t)n + 1, format, args);
        va_end(args);
        buf->len += (size_t)n;
        return 0;
}

void export_buffer_free(struct export_buffer *buf)
{
        free(buf->data);
        *buf = (struct export_buffer) { 0 };
}

bool export_is_name_part(const char *s, bool allow_empty)
{
        if (*s == '\0')
                return allow_empty;
        if (!is_lower(*s))
                return false;
        for (; *s; s++)
                if (!is_lower(*s) && !is_digit(*s) && *s != '_')
                        return false;
        return true;
}

/* The code point of a control character at p (C0, DEL, or C1 in UTF-8), or -1. */
static int control_code_point(const unsigned char *p, size_t len)
{
        if (len == 1 && (p[0] < 0x20 || p[0] == 0x7F))
                return p[0];
        /* U+0080..U+009F: C1 controls, which some terminals obey as CSI and friends. */
        if (len == 2 && p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
                return p[1];
        return -1;
}

/* Where escaped text goes: a buffer, or else a stream. */
struct sink {
        struct export_buffer *buf;
        FILE *out;
};

static int emit(const struct sink *sink, const void *data, size_t len)
{
        if (sink->buf)
                return export_buffer_append(sink->buf, data, len);
        fwrite(data, 1, len, sink->out);
        return 0;
}

static int put_escaped(const struct sink *sink, const char *s, bool escape_quote)
{
        const unsigned char *p = (const unsigned char *)s;
        int r = 0;

        while (*p && r >= 0) {
                size_t len = utf8_sequence_length(p);
                int control;
                char hex[8];

                if (len == 0) {
                        r = emit(sink, "\xEF\xBF\xBD", 3);
                        p++;
                        continue;
                }
                control = control_code_point(p, len);
                if (*p == '\\')
                        r = emit(sink, "\\\\", 2);
                else if (*p == '\n')
                        r = emit(sink, "\\n", 2);
                else if (*p == '"' && escape_quote)
                        r = emit(sink, "\\\"", 2);
                else if (control >= 0) {
                        /* The backslash is the format's own escape: the value holds the text
                         * \x1b, never the byte. */
                        snprintf(hex, sizeof(hex), "\\\\x%02x", (unsigned)control);
                        r = emit(sink, hex, strlen(hex));
                } else
                        r = emit(sink, p, len);
                p += len;
        }
        return r;
}

int export_buffer_put_label_value(struct export_buffer *buf, const char *s)
{
        const struct sink sink = { .buf = buf };

        return put_escaped(&sink, s, true);
}

int export_buffer_put_help_text(struct export_buffer *buf, const char *s)
{
        const struct sink sink = { .buf = buf };

        return put_escaped(&sink, s, false);
}

void export_write_label_value(FILE *out, const char *s)
{
        const struct sink sink = { .out = out };

        (void)put_escaped(&sink, s, true);
}

void export_write_help_text(FILE *out, const char *s)
{
        const struct sink sink = { .out = out };

        (void)put_escaped(&sink, s, false);
}

void export_write_log_text(FILE *out, const char *s)
{
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                if (*p < 0x20 || *p == 0x7f)
                        fprintf(out, "\\x%02x", *p);
                else
                        fputc(*p, out);
        }
}

void export_warn(const char *format, ...)
{
        struct export_buffer buf = { 0 };
        va_list args;
        char *text = NULL;
        int n;

        va_start(args, format);
        n = vasprintf(&text, format, args);
        va_end(args);
        if (n < 0)
                return;
        if (export_buffer_puts(&buf, "hwglue-export: ") >= 0 && export_buffer_puts(&buf, text) >= 0 &&
            export_buffer_puts(&buf, "\n") >= 0) {
                /* One write: threads warning at once do not interleave within a line. */
                flockfile(stderr);
                fputs(buf.data, stderr);
                funlockfile(stderr);
        }
        export_buffer_free(&buf);
        free(text);
}

void export_warn_text(const char *prefix, const char *text, const char *suffix)
{
        char *escaped = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&escaped, &len);

        if (!f)
                return;
        export_write_log_text(f, text ? text : "");
        if (fclose(f) != 0) {
                free(escaped);
                return;
        }
        export_warn("%s%s%s", prefix, escaped, suffix);
        free(escaped);
}
