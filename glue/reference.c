/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * References: values that are object paths (MOF `CIM_Sensor REF Antecedent`). A reference is
 * stored in one canonical text per object, so that it prints the same whoever set it, equals the
 * glue_instance_get_path() of the instance it names, and compares with strcmp in the common
 * case. Canonical: the class and key names as the schema spells them, the keys in the class's
 * key order, each value as an instance path writes it, no namespace (references stay within
 * theirs). Validation is against the property's reference class alone, without the context: the
 * class a path names must be in that class's hierarchy (an ancestor, since a superclass path may
 * name an object of the reference class, or a descendant), which is also all a path to such an
 * object can name.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glue-private.h"

/* An association's key is a reference, whose class may be an association with reference keys:
 * nesting is bounded (the path length limit would bound it too, but later). */
#define MAX_REFERENCE_DEPTH 8

static const struct glue_class *find_descendant(const struct glue_class *cls, const char *name)
{
        for (size_t i = 0; i < cls->n_subclasses; i++) {
                const struct glue_class *d = cls->subclasses[i];

                if (strcasecmp(d->name, name) == 0)
                        return d;
                d = find_descendant(d, name);
                if (d)
                        return d;
        }
        return NULL;
}

const struct glue_class *class_find_related(const struct glue_class *cls, const char *name)
{
        if (!cls || !name)
                return NULL;
        for (const struct glue_class *a = cls; a; a = a->superclass)
                if (strcasecmp(a->name, name) == 0)
                        return a;
        return find_descendant(cls, name);
}

bool classes_related(const struct glue_class *a, const struct glue_class *b)
{
        return glue_class_is_a(a, b) || glue_class_is_a(b, a);
}

static int reference_text_depth(const struct glue_class *ref_class, const char *text, int depth,
                                char **ret, const struct glue_class **ret_class);

/* One key value in the form instance paths give it, for a key property of type `prop`. */
static int canonical_key_value(const struct glue_property *prop, const struct path_key *in,
                               int depth, struct path_key *out)
{
        enum glue_type type = prop->type;

        out->is_string = glue_type_is_string(type);
        if (type == GLUE_TYPE_REFERENCE) {
                /* A bare number or boolean is no path: the text will not parse. */
                return reference_text_depth(prop->reference_class, in->value, depth + 1,
                                            &out->value, NULL);
        }
        if (glue_type_is_string(type)) {
                out->value = strdup(in->value);
                return out->value ? 0 : -ENOMEM;
        }

        struct glue_value v = { 0 }, conv;
        const char *s = in->value;
        char buf[64];

        if (type == GLUE_TYPE_BOOLEAN) {
                if (strcasecmp(s, "true") != 0 && strcasecmp(s, "false") != 0)
                        return -EILSEQ;
                v = (struct glue_value){ .type = GLUE_TYPE_BOOLEAN, .v.b = strcasecmp(s, "true") == 0 };
        } else {
                /* An integer: an optional sign and decimal digits, quoted or not. */
                const char *digits = s + (*s == '-' || *s == '+');
                char *end;

                if (*digits < '0' || *digits > '9')
                        return -EILSEQ;
                errno = 0;
                if (*s == '-') {
                        long long n = strtoll(s, &end, 10);
                        v = (struct glue_value){ .type = GLUE_TYPE_SINT64, .v.s = n };
                } else {
                        unsigned long long n = strtoull(digits, &end, 10);
                        v = (struct glue_value){ .type = GLUE_TYPE_UINT64, .v.u = n };
                }
                if (*end || errno == ERANGE)
                        return -EILSEQ;
        }
        if (value_convert(&conv, &v, type, false) < 0 ||
            value_format_scalar(&conv, buf, sizeof(buf)) < 0)
                return -EILSEQ;
        out->value = strdup(buf);
        return out->value ? 0 : -ENOMEM;
}

static int canonicalize_depth(const struct glue_class *cls, const struct glue_path *path, int depth,
                              struct glue_path **ret)
{
        struct glue_path *out;
        int r = -ENOMEM;

        if (depth > MAX_REFERENCE_DEPTH)
                return -EILSEQ;
        if (path->n_keys != cls->n_keys || (path->singleton && cls->n_keys))
                return -EILSEQ;
        out = calloc(1, sizeof(*out));
        if (!out)
                return -ENOMEM;
        out->class_name = strdup(cls->name);
        out->keys = calloc(cls->n_keys ? cls->n_keys : 1, sizeof(*out->keys));
        if (!out->class_name || !out->keys)
                goto fail;
        out->singleton = cls->n_keys == 0;
        for (size_t k = 0; k < cls->n_keys; k++) {
                const struct glue_property *prop = cls->properties[cls->key_indexes[k]];
                const struct path_key *in = NULL;

                for (size_t i = 0; i < path->n_keys && !in; i++)
                        if (strcasecmp(path->keys[i].name, prop->name) == 0)
                                in = &path->keys[i];
                r = -EILSEQ;
                if (!in)
                        goto fail;
                out->keys[k].name = strdup(prop->name);
                out->n_keys = k + 1;
                r = out->keys[k].name ? canonical_key_value(prop, in, depth, &out->keys[k])
                                      : -ENOMEM;
                if (r < 0)
                        goto fail;
        }
        *ret = out;
        return 0;
fail:
        glue_path_free(out);
        return r;
}

int path_canonicalize(const struct glue_class *cls, const struct glue_path *path,
                      struct glue_path **ret)
{
        return canonicalize_depth(cls, path, 0, ret);
}

/* The canonical text of path as a path to an instance of cls. Valid UTF-8, as every stored
 * string is (a bad byte becomes U+FFFD, as in a string key of the instance it names). */
static int canonical_text(const struct glue_class *cls, const struct glue_path *path, int depth,
                          char **ret)
{
        struct glue_path *canonical;
        char *text, *clean;
        int r;

        r = canonicalize_depth(cls, path, depth, &canonical);
        if (r < 0)
                return r;
        r = glue_path_to_string(canonical, &text);
        glue_path_free(canonical);
        if (r < 0)
                return r;
        if (depth > 0) { /* part of a text that is made valid as a whole */
                *ret = text;
                return 0;
        }
        clean = utf8_sanitize(text, strlen(text));
        free(text);
        if (!clean)
                return -ENOMEM;
        /* Quotes added, U+FFFD for a byte: the canonical text may be longer than the path it
         * came from. It must read back. */
        if (strlen(clean) > OBJECT_PATH_MAX_LENGTH) {
                free(clean);
                return -EILSEQ;
        }
        *ret = clean;
        return 0;
}

int reference_canonical_in(const struct glue_class *cls, const struct glue_path *path, char **ret)
{
        return canonical_text(cls, path, 0, ret);
}

static int reference_path_depth(const struct glue_class *ref_class, const struct glue_path *path,
                                int depth, char **ret, const struct glue_class **ret_class)
{
        const struct glue_class *cls;
        int r;

        if (!ref_class)
                return -EPROTO;
        /* WMI, too, resolves references across namespaces only between static objects. */
        if (path->name_space && strcasecmp(path->name_space, ref_class->name_space) != 0)
                return -EPROTO;
        cls = class_find_related(ref_class, path->class_name);
        if (!cls)
                return -EPROTO;
        r = canonical_text(cls, path, depth, ret);
        if (r == 0 && ret_class)
                *ret_class = cls;
        return r;
}

static int reference_text_depth(const struct glue_class *ref_class, const char *text, int depth,
                                char **ret, const struct glue_class **ret_class)
{
        struct glue_path *path;
        int r;

        if (depth > MAX_REFERENCE_DEPTH)
                return -EILSEQ;
        r = glue_path_parse(text, &path);
        if (r < 0)
                return r;
        r = reference_path_depth(ref_class, path, depth, ret, ret_class);
        glue_path_free(path);
        return r;
}

int reference_canonical_path(const struct glue_class *ref_class, const struct glue_path *path,
                             char **ret, const struct glue_class **ret_class)
{
        return reference_path_depth(ref_class, path, 0, ret, ret_class);
}

int reference_canonical_text(const struct glue_class *ref_class, const char *text, char **ret,
                             const struct glue_class **ret_class)
{
        return reference_text_depth(ref_class, text, 0, ret, ret_class);
}

bool path_keys_equal(const struct glue_path *a, const struct glue_path *b)
{
        if (a->n_keys != b->n_keys)
                return false;
        for (size_t i = 0; i < a->n_keys; i++)
                if (strcasecmp(a->keys[i].name, b->keys[i].name) != 0 ||
                    strcmp(a->keys[i].value, b->keys[i].value) != 0 ||
                    a->keys[i].is_string != b->keys[i].is_string)
                        return false;
        return true;
}

/* The class a reference names and its canonical keys; false if it names none of ref_class's. */
static bool reference_resolve(const struct glue_class *ref_class, const char *text,
                              const struct glue_class **ret_class, struct glue_path **ret)
{
        struct glue_path *path;
        bool ok = false;

        if (glue_path_parse(text, &path) < 0)
                return false;
        *ret_class = class_find_related(ref_class, path->class_name);
        if (*ret_class && (!path->name_space ||
                           strcasecmp(path->name_space, ref_class->name_space) == 0))
                ok = path_canonicalize(*ret_class, path, ret) == 0;
        glue_path_free(path);
        return ok;
}

bool reference_values_equal(const struct glue_class *ref_class, const char *a, const char *b)
{
        const struct glue_class *ca, *cb;
        struct glue_path *pa = NULL, *pb = NULL;
        bool equal;

        if (strcmp(a, b) == 0)
                return true;
        /* Another spelling, or a path naming a superclass of the other's class. */
        equal = reference_resolve(ref_class, a, &ca, &pa) &&
                reference_resolve(ref_class, b, &cb, &pb) && classes_related(ca, cb) &&
                path_keys_equal(pa, pb);
        glue_path_free(pa);
        glue_path_free(pb);
        return equal;
}

GLUE_EXPORT int glue_reference_equal(const struct glue_property *prop, const char *a,
                                     const char *b)
{
        char *ca = NULL, *cb = NULL;
        int r;

        if (!prop || !a || !b || prop->type != GLUE_TYPE_REFERENCE)
                return -EINVAL;
        r = reference_canonical_text(prop->reference_class, a, &ca, NULL);
        if (r == 0)
                r = reference_canonical_text(prop->reference_class, b, &cb, NULL);
        if (r == 0)
                r = reference_values_equal(prop->reference_class, ca, cb);
        free(ca);
        free(cb);
        return r;
}

GLUE_EXPORT const struct glue_class *glue_property_get_reference_class(
        const struct glue_property *prop)
{
        return prop && prop->type == GLUE_TYPE_REFERENCE ? prop->reference_class : NULL;
}

GLUE_EXPORT bool glue_class_is_association(const struct glue_class *cls)
{
        return cls && cls->is_association;
}
