/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * WMI object paths: [\\host\namespace:]Class.Key="value",Key2=3 or Class=@. Parsed strictly,
 * with limits, because paths come from command lines and remote callers and end up choosing
 * which device a provider opens.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glue-private.h"

#define PATH_MAX_KEYS 16

GLUE_EXPORT void glue_path_free(struct glue_path *path)
{
        if (!path)
                return;
        for (size_t i = 0; i < path->n_keys; i++) {
                free(path->keys[i].name);
                free(path->keys[i].value);
        }
        free(path->keys);
        free(path->class_name);
        free(path->name_space);
        free(path);
}

static bool is_ident_start(char c)
{
        return isalpha((unsigned char)c) || c == '_';
}

static bool is_ident_char(char c)
{
        return isalnum((unsigned char)c) || c == '_';
}

/* An identifier at *p: -EILSEQ if there is none, -ENOMEM. */
static int ident_dup(const char **p, char **ret)
{
        const char *s = *p;

        if (!is_ident_start(*s))
                return -EILSEQ;
        while (is_ident_char(**p))
                (*p)++;
        *ret = strndup(s, (size_t)(*p - s));
        return *ret ? 0 : -ENOMEM;
}

/* Namespace prefix: everything before the first ':' that comes before any '.', '=' or '"'. */
static int parse_namespace(const char **p, struct glue_path *path)
{
        const char *s = *p, *colon = NULL;

        /* \\host\ns or //host/ns: the host is dropped (this is always the local machine). */
        if ((s[0] == '\\' && s[1] == '\\') || (s[0] == '/' && s[1] == '/')) {
                const char *slash = s + 2;
                while (*slash && *slash != '\\' && *slash != '/' && *slash != ':')
                        slash++;
                if (*slash != '\\' && *slash != '/')
                        return -EILSEQ;
                s = slash + 1;
        }
        for (const char *c = s; *c && *c != '.' && *c != '=' && *c != '"'; c++)
                if (*c == ':') {
                        colon = c;
                        break;
                }
        if (!colon)
                return s == *p ? 0 : -EILSEQ; /* a host needs a namespace */
        if (s == colon)
                return -EILSEQ;
        path->name_space = strndup(s, (size_t)(colon - s));
        if (!path->name_space)
                return -ENOMEM;
        for (char *c = path->name_space; *c; c++) {
                if (*c == '\\')
                        *c = '/';
                else if (!is_ident_char(*c) && *c != '/')
                        return -EILSEQ;
        }
        /* No empty component: "\/ns" would print as "//ns", which reads back as a host. */
        if (path->name_space[0] == '/' || strstr(path->name_space, "//") ||
            path->name_space[strlen(path->name_space) - 1] == '/')
                return -EILSEQ;
        *p = colon + 1;
        return 0;
}

static int parse_key_value(const char **p, struct path_key *key)
{
        const char *s = *p;

        if (*s == '"') {
                size_t len = 0;
                char *out = malloc(strlen(s) + 1);

                if (!out)
                        return -ENOMEM;
                for (s++; *s && *s != '"'; s++) {
                        if (*s == '\\') {
                                s++;
                                if (*s != '"' && *s != '\\') {
                                        free(out);
                                        return -EILSEQ;
                                }
                        }
                        out[len++] = *s;
                }
                if (*s != '"') {
                        free(out);
                        return -EILSEQ;
                }
                out[len] = '\0';
                key->value = out;
                key->is_string = true;
                *p = s + 1;
                return 0;
        }
        /* Bare: an integer (decimal, optionally signed) or TRUE/FALSE. */
        const char *start = s;
        if (*s == '-' || *s == '+')
                s++;
        if (isdigit((unsigned char)*s)) {
                while (isdigit((unsigned char)*s))
                        s++;
        } else if (strncasecmp(start, "true", 4) == 0 && !is_ident_char(start[4]))
                s = start + 4;
        else if (strncasecmp(start, "false", 5) == 0 && !is_ident_char(start[5]))
                s = start + 5;
        else
                return -EILSEQ;
        key->value = strndup(start, (size_t)(s - start));
        if (!key->value)
                return -ENOMEM;
        key->is_string = false;
        *p = s;
        return 0;
}

GLUE_EXPORT int glue_path_parse(const char *text, struct glue_path **ret)
{
        struct glue_path *path;
        const char *p = text;
        int r;

        if (!text || !ret)
                return -EINVAL;
        if (strlen(text) > OBJECT_PATH_MAX_LENGTH)
                return -EILSEQ;
        path = calloc(1, sizeof(*path));
        if (!path)
                return -ENOMEM;
        r = parse_namespace(&p, path);
        if (r < 0)
                goto fail;
        r = ident_dup(&p, &path->class_name);
        if (r < 0)
                goto fail;
        r = -EILSEQ;
        if (*p == '\0') {
                r = 0;
                goto done;
        }
        if (p[0] == '=' && p[1] == '@' && p[2] == '\0') {
                path->singleton = true;
                r = 0;
                goto done;
        }
        if (*p != '.')
                goto fail;
        p++;
        for (;;) {
                struct path_key *key;

                if (path->n_keys == PATH_MAX_KEYS)
                        goto fail;
                key = realloc(path->keys, (path->n_keys + 1) * sizeof(*key));
                if (!key) {
                        r = -ENOMEM;
                        goto fail;
                }
                path->keys = key;
                key = &path->keys[path->n_keys];
                memset(key, 0, sizeof(*key));
                path->n_keys++;
                r = ident_dup(&p, &key->name);
                if (r < 0)
                        goto fail;
                r = -EILSEQ;
                if (*p != '=')
                        goto fail;
                p++;
                r = parse_key_value(&p, key);
                if (r < 0)
                        goto fail;
                r = -EILSEQ;
                for (size_t i = 0; i + 1 < path->n_keys; i++)
                        if (strcasecmp(path->keys[i].name, key->name) == 0)
                                goto fail; /* the same key twice */
                if (*p == '\0')
                        break;
                if (*p != ',')
                        goto fail;
                p++;
        }
        r = 0;
done:
        *ret = path;
        return 0;
fail:
        glue_path_free(path);
        return r;
}

GLUE_EXPORT const char *glue_path_get_namespace(const struct glue_path *path)
{
        return path ? path->name_space : NULL;
}

GLUE_EXPORT const char *glue_path_get_class(const struct glue_path *path)
{
        return path ? path->class_name : NULL;
}

GLUE_EXPORT size_t glue_path_get_key_count(const struct glue_path *path)
{
        return path ? path->n_keys : 0;
}

GLUE_EXPORT int glue_path_get_key_at(const struct glue_path *path, size_t index,
                                     const char **ret_name, const char **ret_value,
                                     bool *ret_is_string)
{
        if (!path || index >= path->n_keys)
                return -EINVAL;
        if (ret_name)
                *ret_name = path->keys[index].name;
        if (ret_value)
                *ret_value = path->keys[index].value;
        if (ret_is_string)
                *ret_is_string = path->keys[index].is_string;
        return 0;
}

GLUE_EXPORT const char *glue_path_get_key(const struct glue_path *path, const char *name)
{
        if (!path || !name)
                return NULL;
        for (size_t i = 0; i < path->n_keys; i++)
                if (strcasecmp(path->keys[i].name, name) == 0)
                        return path->keys[i].value;
        return NULL;
}

GLUE_EXPORT int glue_path_to_string(const struct glue_path *path, char **ret)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f;

        if (!path || !ret)
                return -EINVAL;
        f = open_memstream(&buf, &len);
        if (!f)
                return -ENOMEM;
        if (path->name_space)
                fprintf(f, "%s:", path->name_space);
        fputs(path->class_name, f);
        if (path->singleton)
                fputs("=@", f);
        for (size_t i = 0; i < path->n_keys; i++) {
                const struct path_key *key = &path->keys[i];

                fprintf(f, "%c%s=", i == 0 ? '.' : ',', key->name);
                if (!key->is_string) {
                        fputs(key->value, f);
                        continue;
                }
                fputc('"', f);
                for (const char *c = key->value; *c; c++) {
                        if (*c == '"' || *c == '\\')
                                fputc('\\', f);
                        fputc(*c, f);
                }
                fputc('"', f);
        }
        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}
