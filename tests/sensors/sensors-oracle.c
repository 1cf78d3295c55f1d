/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensors-oracle.h"

struct reader {
        const char *p;
        const char *start;
};

static int fail(struct reader *r, const char *what)
{
        fprintf(stderr, "sensors -j oracle: offset %td: expected %s\n", r->p - r->start, what);
        return -EBADMSG;
}

static void skip_space(struct reader *r)
{
        while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r')
                r->p++;
}

static bool accept(struct reader *r, char c)
{
        skip_space(r);
        if (*r->p != c)
                return false;
        r->p++;
        return true;
}

/* A string with JSON escapes decoded and every other byte kept as it is. */
static int read_string(struct reader *r, char **ret)
{
        size_t len = 0;
        char *buf;

        if (!accept(r, '"'))
                return fail(r, "a string");
        buf = malloc(strlen(r->p) + 1);
        if (!buf)
                return -ENOMEM;
        while (*r->p && *r->p != '"') {
                char c = *r->p++;

                if (c == '\\') {
                        c = *r->p++;
                        switch (c) {
                        case 'n': c = '\n'; break;
                        case 't': c = '\t'; break;
                        case 'r': c = '\r'; break;
                        case 'b': c = '\b'; break;
                        case 'f': c = '\f'; break;
                        case 'u': {
                                unsigned code;

                                if (sscanf(r->p, "%4x", &code) != 1 || code > 0x7f) {
                                        free(buf);
                                        return fail(r, "an ASCII \\u escape");
                                }
                                r->p += 4;
                                c = (char)code;
                                break;
                        }
                        case '\0':
                                free(buf);
                                return fail(r, "an escape");
                        default: break; /* \" \\ \/ */
                        }
                }
                buf[len++] = c;
        }
        if (*r->p != '"') {
                free(buf);
                return fail(r, "the end of a string");
        }
        r->p++;
        buf[len] = '\0';
        *ret = buf;
        return 0;
}

static int read_number(struct reader *r, double *ret)
{
        char *end;

        skip_space(r);
        *ret = strtod(r->p, &end);
        if (end == r->p)
                return fail(r, "a number");
        r->p = end;
        return 0;
}

static int read_feature(struct reader *r, struct oracle_feature *feature)
{
        if (!accept(r, '{'))
                return fail(r, "a feature object");
        if (accept(r, '}'))
                return 0;
        do {
                struct oracle_subfeature sub = { 0 }, *n;
                int err = read_string(r, &sub.name);

                if (err < 0)
                        return err;
                if (!accept(r, ':') || read_number(r, &sub.value) < 0) {
                        free(sub.name);
                        return fail(r, "\": number\"");
                }
                n = realloc(feature->subfeatures, (feature->n_subfeatures + 1) * sizeof(*n));
                if (!n) {
                        free(sub.name);
                        return -ENOMEM;
                }
                feature->subfeatures = n;
                n[feature->n_subfeatures++] = sub;
        } while (accept(r, ','));
        return accept(r, '}') ? 0 : fail(r, "'}' after a feature");
}

static int read_chip(struct reader *r, struct oracle *o, size_t chip)
{
        if (!accept(r, '{'))
                return fail(r, "a chip object");
        if (accept(r, '}'))
                return 0;
        do {
                struct oracle_feature feature = { .chip = chip }, *n;
                char *key;
                int err = read_string(r, &key);

                if (err < 0)
                        return err;
                if (!accept(r, ':')) {
                        free(key);
                        return fail(r, "':'");
                }
                skip_space(r);
                if (strcmp(key, "Adapter") == 0 && *r->p == '"') {
                        free(key);
                        err = read_string(r, &o->chips[chip].adapter);
                        if (err < 0)
                                return err;
                        continue;
                }
                feature.label = key;
                err = read_feature(r, &feature);
                n = err < 0 ? NULL : realloc(o->features, (o->n_features + 1) * sizeof(*n));
                if (!n) {
                        for (size_t i = 0; i < feature.n_subfeatures; i++)
                                free(feature.subfeatures[i].name);
                        free(feature.subfeatures);
                        free(key);
                        return err < 0 ? err : -ENOMEM;
                }
                o->features = n;
                n[o->n_features++] = feature;
        } while (accept(r, ','));
        return accept(r, '}') ? 0 : fail(r, "'}' after a chip");
}

int oracle_parse(const char *text, struct oracle *ret)
{
        struct reader r = { .p = text, .start = text };
        struct oracle o = { 0 };
        int err = 0;

        if (!accept(&r, '{'))
                return fail(&r, "'{'");
        if (!accept(&r, '}')) {
                do {
                        struct oracle_chip *n = realloc(o.chips, (o.n_chips + 1) * sizeof(*n));

                        if (!n) {
                                err = -ENOMEM;
                                break;
                        }
                        o.chips = n;
                        n[o.n_chips] = (struct oracle_chip){ 0 };
                        err = read_string(&r, &n[o.n_chips].name);
                        if (err < 0)
                                break;
                        o.n_chips++;
                        if (!accept(&r, ':')) {
                                err = fail(&r, "':'");
                                break;
                        }
                        err = read_chip(&r, &o, o.n_chips - 1);
                        if (err < 0)
                                break;
                } while (accept(&r, ','));
                if (err == 0 && !accept(&r, '}'))
                        err = fail(&r, "'}' at the end");
        }
        if (err < 0) {
                oracle_free(&o);
                return err;
        }
        *ret = o;
        return 0;
}

void oracle_free(struct oracle *o)
{
        for (size_t i = 0; i < o->n_chips; i++) {
                free(o->chips[i].name);
                free(o->chips[i].adapter);
        }
        for (size_t i = 0; i < o->n_features; i++) {
                for (size_t j = 0; j < o->features[i].n_subfeatures; j++)
                        free(o->features[i].subfeatures[j].name);
                free(o->features[i].subfeatures);
                free(o->features[i].label);
        }
        free(o->chips);
        free(o->features);
        *o = (struct oracle){ 0 };
}
