/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names, escaping and numbers as the Prometheus text exposition format (0.0.4) wants them. */
#include <math.h>
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

static void write_escaped(FILE *out, const char *s, bool escape_quote)
{
        const unsigned char *p = (const unsigned char *)s;

        while (*p) {
                size_t len = utf8_sequence_length(p);

                if (len == 0) {
                        fputs("\xEF\xBF\xBD", out);
                        p++;
                } else if (*p == '\\') {
                        fputs("\\\\", out);
                        p++;
                } else if (*p == '\n') {
                        fputs("\\n", out);
                        p++;
                } else if (*p == '"' && escape_quote) {
                        fputs("\\\"", out);
                        p++;
                } else {
                        fwrite(p, 1, len, out);
                        p += len;
                }
        }
}

void export_write_label_value(FILE *out, const char *s)
{
        write_escaped(out, s, true);
}

void export_write_help_text(FILE *out, const char *s)
{
        write_escaped(out, s, false);
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
