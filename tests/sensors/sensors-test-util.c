/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors-test-util.h"
#include "test-util.h"

struct glue_context *sensors_test_context(const char *config)
{
        struct glue_context *ctx = NULL;

        if (glue_context_new(0, &ctx) < 0)
                return NULL;
        if (getenv("HWGLUE_TEST_VERBOSE")) {
                glue_context_set_log_fn(ctx, test_log_stderr, NULL);
                glue_context_set_log_priority(ctx, 7);
        }
        if (config)
                glue_context_set_option(ctx, "sensors.config", config);
        return ctx;
}

int sensors_test_collect(struct glue_context *ctx, const char *class_name,
                         const char *const *properties, size_t n_properties,
                         struct instance_list *ret)
{
        struct glue_request *req = NULL;
        int r;

        *ret = (struct instance_list){ 0 };
        r = glue_request_new(ctx, &req);
        if (r < 0)
                return r;
        if (properties)
                glue_request_set_properties(req, properties, n_properties);
        r = glue_request_collect(req, class_name, &ret->items, &ret->n);
        glue_request_unref(req);
        return r;
}

void instance_list_free(struct instance_list *list)
{
        glue_instance_list_free(list->items, list->n);
        *list = (struct instance_list){ 0 };
}

struct glue_instance *instance_list_find(const struct instance_list *list, const char *device_id)
{
        for (size_t i = 0; i < list->n; i++) {
                const char *id;

                if (glue_instance_get_string(list->items[i], "DeviceID", &id) == 0 &&
                    strcmp(id, device_id) == 0)
                        return list->items[i];
        }
        return NULL;
}

/* A number or a flag as a double: the library's own conversion, plus booleans as 0/1. */
int instance_get_number(const struct glue_instance *inst, const char *name, double *ret)
{
        bool flag;

        if (glue_instance_get_bool(inst, name, &flag) == 0) {
                *ret = flag ? 1 : 0;
                return 0;
        }
        return glue_instance_get_real(inst, name, ret);
}

bool instance_has_status(const struct glue_instance *inst, uint64_t status)
{
        const struct glue_value *v;

        if (glue_instance_get_value(inst, "OperationalStatus", &v) < 0 || !v->is_array)
                return false;
        for (size_t i = 0; i < v->count; i++)
                if (v->v.u_array[i] == status)
                        return true;
        return false;
}

/* The length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_sequence(const unsigned char *s)
{
        size_t len;
        uint32_t code;

        if (s[0] < 0x80)
                return 1;
        if ((s[0] & 0xe0) == 0xc0) {
                len = 2;
                code = s[0] & 0x1f;
        } else if ((s[0] & 0xf0) == 0xe0) {
                len = 3;
                code = s[0] & 0x0f;
        } else if ((s[0] & 0xf8) == 0xf0) {
                len = 4;
                code = s[0] & 0x07;
        } else {
                return 0;
        }
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                code = code << 6 | (s[i] & 0x3f);
        }
        if ((len == 2 && code < 0x80) || (len == 3 && code < 0x800) ||
            (len == 4 && (code < 0x10000 || code > 0x10ffff)) ||
            (code >= 0xd800 && code <= 0xdfff))
                return 0;
        return len;
}

char *expected_label(const char *raw)
{
        size_t len = strlen(raw), out = 0;
        char *text = strdup(raw), *start, *end, *result;

        if (!text)
                return NULL;
        for (char *p = text; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        *p = ' ';
        start = text;
        while (*start == ' ')
                start++;
        end = start + strlen(start);
        while (end > start && end[-1] == ' ')
                *--end = '\0';
        result = malloc(len * 3 + 1);
        if (!result) {
                free(text);
                return NULL;
        }
        for (const unsigned char *p = (const unsigned char *)start; *p;) {
                size_t n = utf8_sequence(p);

                if (n == 0) {
                        memcpy(result + out, "\xef\xbf\xbd", 3);
                        out += 3;
                        p++;
                } else {
                        memcpy(result + out, p, n);
                        out += n;
                        p += n;
                }
        }
        result[out] = '\0';
        free(text);
        return result;
}

bool string_is_clean(const char *s)
{
        for (const unsigned char *p = (const unsigned char *)s; *p;) {
                size_t n = utf8_sequence(p);

                if (n == 0 || *p < 0x20 || *p == 0x7f)
                        return false;
                p += n;
        }
        return true;
}

static bool same_element(enum glue_type type, const struct glue_value *a,
                         const struct glue_value *b, size_t i)
{
        if (glue_type_is_string(type))
                return strcmp(a->is_array ? a->v.str_array[i] : a->v.str,
                              b->is_array ? b->v.str_array[i] : b->v.str) == 0;
        if (glue_type_is_real(type))
                return (a->is_array ? a->v.r_array[i] : a->v.r) ==
                       (b->is_array ? b->v.r_array[i] : b->v.r);
        if (glue_type_is_signed(type))
                return (a->is_array ? a->v.s_array[i] : a->v.s) ==
                       (b->is_array ? b->v.s_array[i] : b->v.s);
        if (glue_type_is_unsigned(type))
                return (a->is_array ? a->v.u_array[i] : a->v.u) ==
                       (b->is_array ? b->v.u_array[i] : b->v.u);
        return (a->is_array ? a->v.b_array[i] : a->v.b) == (b->is_array ? b->v.b_array[i] : b->v.b);
}

bool instances_are_equal(const struct glue_instance *a, const struct glue_instance *b,
                         char *why, size_t size)
{
        const struct glue_class *cls = glue_instance_get_class(a);

        /* two contexts have a schema each: the same classes, by name */
        if (strcmp(glue_class_get_name(cls), glue_class_get_name(glue_instance_get_class(b))) != 0 ||
            glue_class_get_property_count(cls) !=
                    glue_class_get_property_count(glue_instance_get_class(b))) {
                snprintf(why, size, "class %s, not %s", glue_class_get_name(cls),
                         glue_class_get_name(glue_instance_get_class(b)));
                return false;
        }
        for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                const char *name = glue_property_get_name(glue_class_get_property(cls, i));
                const struct glue_value *va = NULL, *vb = NULL;
                int ra = glue_instance_get_value_at(a, i, &va);
                int rb = glue_instance_get_value_at(b, i, &vb);
                bool same = ra == rb;

                if (same && ra == 0) {
                        same = va->is_array == vb->is_array && va->type == vb->type &&
                               (!va->is_array || va->count == vb->count);
                        for (size_t j = 0; same && j < (va->is_array ? va->count : 1); j++)
                                same = same_element(va->type, va, vb, j);
                }
                if (!same) {
                        snprintf(why, size, "%s differs (%d, %d)", name, ra, rb);
                        return false;
                }
        }
        return true;
}
