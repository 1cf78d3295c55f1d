/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Values as text: for people (table cells) and in base units (pairs). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* A growing string; on allocation failure it stays NULL and the cell reads empty. */
struct text {
        char *s;
        size_t len;
        bool failed;
};

static void text_append(struct text *t, const char *s)
{
        size_t n = strlen(s);
        char *grown;

        if (t->failed)
                return;
        grown = realloc(t->s, t->len + n + 1);
        if (!grown) {
                t->failed = true;
                return;
        }
        memcpy(grown + t->len, s, n + 1);
        t->s = grown;
        t->len += n;
}

static char *text_finish(struct text *t)
{
        if (t->failed) {
                free(t->s);
                return strdup("");
        }
        return t->s ? t->s : strdup("");
}

/* lsblk's sizes: 1024-based, one decimal unless it is .0: "931.5G", "8G", "512B". */
static void human_size(uint64_t bytes, char *buf, size_t size)
{
        static const char letters[] = "BKMGTPE";
        double value = (double)bytes;
        int exponent = 0;

        if (bytes < 1024) {
                snprintf(buf, size, "%" PRIu64 "B", bytes);
                return;
        }
        while (value >= 1024 && exponent < 6) {
                value /= 1024;
                exponent++;
        }
        snprintf(buf, size, "%.1f", value);
        size_t len = strlen(buf);
        if (len > 2 && strcmp(buf + len - 2, ".0") == 0)
                buf[len - 2] = '\0';
        len = strlen(buf);
        snprintf(buf + len, size - len, "%c", letters[exponent]);
}

/* The unit after a number, as sensors and lsblk print them, and the decimals sensors shows for
 * a reading of that unit (-1: as many as the value needs). */
static const char *unit_suffix(const char *units, int *ret_decimals)
{
        static const struct {
                const char *units, *suffix;
                int decimals;
        } suffixes[] = {
                { "Degrees C", " °C", 1 }, { "Volts", " V", 2 },   { "Amps", " A", 2 },
                { "Watts", " W", 2 },      { "Joules", " J", 2 },  { "RPM", " RPM", 0 },
                { "Percent", " %", 1 },    { "Seconds", " s", -1 },
        };
        for (size_t i = 0; units && i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
                if (strcmp(units, suffixes[i].units) == 0) {
                        *ret_decimals = suffixes[i].decimals;
                        return suffixes[i].suffix;
                }
        *ret_decimals = -1;
        return "";
}

static const char *qualifier_string(const struct glue_property *prop, const char *name)
{
        const struct glue_value *q;

        if (!prop || glue_property_get_qualifier(prop, name, &q) < 0 || q->is_array ||
            !glue_type_is_string(q->type))
                return NULL;
        return q->v.str;
}

/* Values{} name of a ValueMap{} code ("3" -> "Running/Full Power"), or NULL. */
static const char *value_name(const struct glue_property *prop, const char *code)
{
        const struct glue_value *map, *names;

        if (!prop || glue_property_get_qualifier(prop, "ValueMap", &map) < 0 ||
            glue_property_get_qualifier(prop, "Values", &names) < 0 || !map->is_array ||
            !names->is_array || !glue_type_is_string(map->type) || !glue_type_is_string(names->type))
                return NULL;
        for (size_t i = 0; i < map->count && i < names->count; i++)
                if (strcmp(map->v.str_array[i], code) == 0)
                        return names->v.str_array[i];
        return NULL;
}

/* One element of a value as plain text into buf (strings are returned as they are). */
static const char *element_text(const struct glue_value *value, size_t index, char *buf,
                                size_t size)
{
        enum glue_type type = value->type;
        bool array = value->is_array;

        if (type == GLUE_TYPE_BOOLEAN) {
                bool b = array ? value->v.b_array[index] : value->v.b;
                return b ? "true" : "false";
        }
        if (glue_type_is_signed(type))
                snprintf(buf, size, "%" PRId64, array ? value->v.s_array[index] : value->v.s);
        else if (glue_type_is_unsigned(type))
                snprintf(buf, size, "%" PRIu64, array ? value->v.u_array[index] : value->v.u);
        else if (glue_type_is_real(type))
                format_real(buf, size, array ? value->v.r_array[index] : value->v.r);
        else
                return array ? value->v.str_array[index] : value->v.str;
        return buf;
}

char *format_cell(const struct glue_property *prop, const struct glue_value *value, bool bytes)
{
        const char *units = qualifier_string(prop, "Units");
        struct text t = { 0 };
        char buf[64];
        size_t count = value->is_array ? value->count : 1;

        for (size_t i = 0; i < count; i++) {
                const char *s = element_text(value, i, buf, sizeof(buf));
                const char *name = glue_type_is_string(value->type) ? NULL : value_name(prop, s);

                if (i > 0)
                        text_append(&t, ", ");
                if (value->type == GLUE_TYPE_BOOLEAN) {
                        text_append(&t, strcmp(s, "true") == 0 ? "yes" : "no");
                } else if (name) {
                        text_append(&t, name);
                } else if (glue_type_is_unsigned(value->type) && !bytes && units &&
                           strcmp(units, "Bytes") == 0) {
                        human_size(value->is_array ? value->v.u_array[i] : value->v.u, buf,
                                   sizeof(buf));
                        text_append(&t, buf);
                } else if (glue_type_is_string(value->type)) {
                        text_append(&t, s); /* libsmartcols shows control bytes as \xHH */
                } else {
                        int decimals;
                        const char *suffix = unit_suffix(units, &decimals);
                        double r = value->is_array ? value->v.r_array[i] : value->v.r;
                        if (glue_type_is_real(value->type) && decimals >= 0 && isfinite(r)) {
                                /* 45.0 °C, 1.20 V, 1200 RPM: sensors' precision per unit */
                                snprintf(buf, sizeof(buf), "%.*f", decimals, r);
                                s = buf;
                        }
                        text_append(&t, s);
                        text_append(&t, suffix);
                }
        }
        return text_finish(&t);
}

char *format_plain(const struct glue_value *value)
{
        struct text t = { 0 };
        char buf[64];
        size_t count = value->is_array ? value->count : 1;

        for (size_t i = 0; i < count; i++) {
                const char *s = element_text(value, i, buf, sizeof(buf));
                if (i > 0)
                        text_append(&t, ",");
                if (value->is_array && strchr(s, ',')) {
                        /* a comma inside an element must not read as a separator */
                        for (; *s; s++) {
                                char one[2] = { *s, '\0' };
                                text_append(&t, *s == ',' ? "\\x2c" : one);
                        }
                } else {
                        text_append(&t, s);
                }
        }
        return text_finish(&t);
}

void format_type(const struct glue_property *prop, char *buf, size_t size)
{
        const char *name = glue_type_name(glue_property_get_type(prop));

        /*
         * REF: references (association ends, issue #16) will be a type of their own that
         * glue_property_get_type() returns, with the class they point at. When libglue has it,
         * print them as MOF declares them, "CIM_LogicalDevice REF", here; describe marks them
         * "ref" beside "key" (schema-commands.c, property_flags()).
         */
        snprintf(buf, size, "%s%s", name ? name : "?", glue_property_is_array(prop) ? "[]" : "");
}

/* A MOF string literal: quotes and backslashes escaped, control bytes as \xHH escapes. */
static void append_mof_string(struct text *t, const char *s)
{
        text_append(t, "\"");
        for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
                char one[8];
                if (*c == '"' || *c == '\\')
                        snprintf(one, sizeof(one), "\\%c", *c);
                else if (*c < 0x20 || *c == 0x7f)
                        snprintf(one, sizeof(one), "\\x%02x", *c);
                else
                        snprintf(one, sizeof(one), "%c", *c);
                text_append(t, one);
        }
        text_append(t, "\"");
}

char *format_qualifier(const char *name, const struct glue_value *v)
{
        struct text t = { 0 };
        char buf[64];
        size_t count = v->is_array ? v->count : 1;

        text_append(&t, name);
        if (!v->is_array && v->type == GLUE_TYPE_BOOLEAN && v->v.b)
                return text_finish(&t); /* [Key], not [Key(true)] */
        text_append(&t, v->is_array ? "{" : "(");
        for (size_t i = 0; i < count; i++) {
                const char *s = element_text(v, i, buf, sizeof(buf));
                if (i > 0)
                        text_append(&t, ", ");
                if (glue_type_is_string(v->type))
                        append_mof_string(&t, s);
                else
                        text_append(&t, s);
        }
        text_append(&t, v->is_array ? "}" : ")");
        return text_finish(&t);
}

void write_shell_quoted(FILE *f, const char *value)
{
        fputc('"', f);
        for (const unsigned char *s = (const unsigned char *)value; *s; s++) {
                if (*s == '"' || *s == '\\' || *s == '$' || *s == '`')
                        fprintf(f, "\\%c", *s); /* what the shell itself undoes in "..." */
                else if (*s < 0x20 || *s == 0x7f)
                        fprintf(f, "\\x%02x", *s); /* keeps one instance per line */
                else
                        fputc(*s, f);
        }
        fputc('"', f);
}

void write_log_text(FILE *f, const char *text)
{
        for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
                if (*s < 0x20 || *s == 0x7f)
                        fprintf(f, "\\x%02x", *s);
                else
                        fputc(*s, f);
        }
}
