/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A strict reader of the exposition text, stricter than promtool on what promtool lets pass:
 * a family's samples must follow its HELP and TYPE without another family in between (the
 * Prometheus parsers reject a second TYPE, and merge or drop split families), and a series must
 * not appear twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export-test-context.h"

static char message[512];

static bool is_name_start(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
        return is_name_start(c) || (c >= '0' && c <= '9');
}

static size_t name_length(const char *p)
{
        size_t n = 0;

        if (!is_name_start(p[0]))
                return 0;
        while (is_name_char(p[n]))
                n++;
        return n;
}

static bool valid_utf8(const unsigned char *s)
{
        while (*s) {
                size_t len;

                if (*s < 0x80)
                        len = 1;
                else if (*s >= 0xC2 && *s <= 0xDF)
                        len = 2;
                else if (*s >= 0xE0 && *s <= 0xEF)
                        len = 3;
                else if (*s >= 0xF0 && *s <= 0xF4)
                        len = 4;
                else
                        return false;
                for (size_t i = 1; i < len; i++)
                        if (s[i] < 0x80 || s[i] > 0xBF)
                                return false;
                if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
                    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
                        return false;
                s += len;
        }
        return true;
}

/* Parse {a="x",b="y"} at p; the length, or 0 if malformed. */
static size_t labels_length(const char *p)
{
        const char *q = p + 1;

        if (*p != '{')
                return 0;
        for (;;) {
                size_t n = name_length(q);

                if (n == 0 || q[n] != '=' || q[n + 1] != '"')
                        return 0;
                q += n + 2;
                while (*q != '"') {
                        if (*q == '\0' || *q == '\n')
                                return 0;
                        if (*q == '\\') {
                                if (q[1] != '\\' && q[1] != '"' && q[1] != 'n')
                                        return 0;
                                q++;
                        }
                        q++;
                }
                q++;
                if (*q == '}')
                        return (size_t)(q + 1 - p);
                if (*q != ',')
                        return 0;
                q++;
        }
}

static bool valid_value(const char *p, const char *end)
{
        char buf[64], *stop;
        size_t len = (size_t)(end - p);

        if (len == 0 || len >= sizeof(buf))
                return false;
        memcpy(buf, p, len);
        buf[len] = '\0';
        if (strcmp(buf, "NaN") == 0 || strcmp(buf, "+Inf") == 0 || strcmp(buf, "-Inf") == 0)
                return true;
        strtod(buf, &stop);
        return *stop == '\0';
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *fail(const char *what, const char *line)
{
        const char *end = strchr(line, '\n');

        snprintf(message, sizeof(message), "%s: %.*s", what,
                 (int)(end ? end - line : (long)strlen(line)), line);
        return message;
}

/* Find duplicates among the series keys (name{labels}); owns nothing. */
static const char *check_duplicates(char **series, size_t n)
{
        qsort(series, n, sizeof(*series), compare_strings);
        for (size_t i = 1; i < n; i++)
                if (strcmp(series[i - 1], series[i]) == 0)
                        return fail("series appears twice", series[i]);
        return NULL;
}

const char *export_test_check_exposition(const char *text)
{
        char **families = NULL, **series = NULL;
        size_t n_families = 0, n_series = 0, cap = 0;
        const char *current = NULL, *result = NULL;
        size_t current_len = 0;
        bool want_type = false;

        if (!valid_utf8((const unsigned char *)text))
                return "not UTF-8";
        if (*text != '\0' && text[strlen(text) - 1] != '\n')
                return "does not end with a newline";
        for (const char *line = text; *line && !result; line = strchr(line, '\n') + 1) {
                const char *eol = strchr(line, '\n');
                size_t n;

                if (strncmp(line, "# HELP ", 7) == 0) {
                        n = name_length(line + 7);
                        if (n == 0 || line[7 + n] != ' ' || want_type)
                                result = fail("bad HELP", line);
                        for (size_t i = 0; i < n_families && !result; i++)
                                if (strlen(families[i]) == n && strncmp(families[i], line + 7, n) == 0)
                                        result = fail("family appears twice", line);
                        families = realloc(families, (n_families + 1) * sizeof(*families));
                        families[n_families++] = strndup(line + 7, n);
                        current = line + 7;
                        current_len = n;
                        want_type = true;
                } else if (strncmp(line, "# TYPE ", 7) == 0) {
                        if (!want_type || strncmp(line + 7, current, current_len) != 0 ||
                            (strncmp(line + 7 + current_len, " gauge\n", 7) != 0 &&
                             strncmp(line + 7 + current_len, " counter\n", 9) != 0))
                                result = fail("TYPE does not follow its HELP", line);
                        want_type = false;
                } else {
                        size_t l = 0;

                        n = name_length(line);
                        if (n == 0 || want_type || !current || n != current_len ||
                            strncmp(line, current, n) != 0) {
                                result = fail("sample outside its family", line);
                                break;
                        }
                        if (line[n] == '{')
                                l = labels_length(line + n);
                        if ((line[n] == '{' && l == 0) || line[n + l] != ' ' ||
                            !valid_value(line + n + l + 1, eol)) {
                                result = fail("malformed sample", line);
                                break;
                        }
                        if (n_series == cap) {
                                cap = cap ? 2 * cap : 256;
                                series = realloc(series, cap * sizeof(*series));
                        }
                        series[n_series++] = strndup(line, n + l);
                }
        }
        if (!result && want_type)
                result = "HELP without TYPE at the end";
        if (!result)
                result = check_duplicates(series, n_series);
        for (size_t i = 0; i < n_families; i++)
                free(families[i]);
        for (size_t i = 0; i < n_series; i++)
                free(series[i]);
        free(families);
        free(series);
        return result;
}
