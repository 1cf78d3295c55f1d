/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A recursive-descent parser for the MOF subset hwglue uses (DSP0221): pragmas, qualifier lists,
 * class declarations with inheritance, properties (scalar and array, with defaults), methods
 * (parsed and ignored), qualifier declarations (ignored) and static instances. All or nothing:
 * the classes and instances of one text reach the context only if the whole text is valid.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glue-private.h"
#include "mof-lexer.h"
#include "schema-compiled.h"

struct pending_instance {
        struct glue_class *cls;
        struct glue_instance *inst;
};

struct parser {
        struct glue_context *ctx;
        const char *name;
        struct mof_lexer lx;
        char *name_space;
        struct glue_class **classes; /* new, not yet in the context */
        size_t n_classes;
        struct pending_instance *instances;
        size_t n_instances;
        char *error;
};

static int fail_at(struct parser *p, unsigned line, unsigned col, const char *format, ...)
        __attribute__((format(printf, 4, 5)));
static int fail_at(struct parser *p, unsigned line, unsigned col, const char *format, ...)
{
        char *msg = NULL;
        va_list args;

        if (p->error)
                return -ENOEXEC;
        va_start(args, format);
        if (vasprintf(&msg, format, args) < 0)
                msg = NULL;
        va_end(args);
        if (!msg || asprintf(&p->error, "%s:%u:%u: %s", p->name, line, col, msg) < 0)
                p->error = NULL;
        free(msg);
        return -ENOEXEC;
}

#define fail(p, ...) fail_at((p), (p)->lx.tok.line, (p)->lx.tok.col, __VA_ARGS__)

static const struct mof_token *tok(const struct parser *p)
{
        return &p->lx.tok;
}

static int next(struct parser *p)
{
        int r = mof_lexer_next(&p->lx);

        if (r < 0)
                return r;
        if (tok(p)->kind == MOF_ERROR)
                return fail(p, "%s", tok(p)->text ? tok(p)->text : "lexical error");
        return 0;
}

static const char *describe_token(const struct mof_token *t, char *buf, size_t size)
{
        switch (t->kind) {
        case MOF_EOF: return "end of file";
        case MOF_IDENT: snprintf(buf, size, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->start); return buf;
        case MOF_STRING: return "a string";
        case MOF_INTEGER: case MOF_REAL: return "a number";
        case MOF_CHAR: return "a character literal";
        case MOF_PUNCT: snprintf(buf, size, "'%c'", t->punct); return buf;
        default: return "an error";
        }
}

static int expect_punct(struct parser *p, char c)
{
        char buf[64];

        if (!mof_token_is_punct(tok(p), c))
                return fail(p, "expected '%c', found %s", c, describe_token(tok(p), buf, sizeof(buf)));
        return next(p);
}

/* On failure *ret is left alone: callers that return at once own nothing to free. */
static int expect_ident(struct parser *p, const char *what, char **ret)
{
        char buf[64], *name;
        int r;

        if (tok(p)->kind != MOF_IDENT)
                return fail(p, "expected %s, found %s", what, describe_token(tok(p), buf, sizeof(buf)));
        name = strndup(tok(p)->start, tok(p)->len);
        if (!name)
                return -ENOMEM;
        r = next(p);
        if (r < 0) {
                free(name);
                return r;
        }
        *ret = name;
        return 0;
}

/* ---- values ----------------------------------------------------------------------------- */

/* A scalar literal into v (owned); *is_null for NULL. */
static int parse_literal(struct parser *p, struct glue_value *v, bool *is_null)
{
        const struct mof_token *t = tok(p);
        char buf[64];

        memset(v, 0, sizeof(*v));
        *is_null = false;
        switch (t->kind) {
        case MOF_STRING: {
                /* Adjacent strings concatenate ("a" "b"). */
                char *s = strdup(t->text);
                if (!s)
                        return -ENOMEM;
                int r = next(p);
                while (r == 0 && tok(p)->kind == MOF_STRING) {
                        char *joined;
                        if (asprintf(&joined, "%s%s", s, tok(p)->text) < 0) {
                                free(s);
                                return -ENOMEM;
                        }
                        free(s);
                        s = joined;
                        r = next(p);
                }
                if (r < 0) {
                        free(s);
                        return r;
                }
                v->type = GLUE_TYPE_STRING;
                v->v.str = s;
                return 0;
        }
        case MOF_CHAR: {
                /* v stays empty on failure: callers only clear the values they got. */
                char *s = strdup(t->text);
                if (!s)
                        return -ENOMEM;
                int r = next(p);
                if (r < 0) {
                        free(s);
                        return r;
                }
                v->type = GLUE_TYPE_STRING;
                v->v.str = s;
                return 0;
        }
        case MOF_INTEGER:
                if (t->negative) {
                        if (t->u > (uint64_t)INT64_MAX + 1)
                                return fail(p, "integer out of range");
                        v->type = GLUE_TYPE_SINT64;
                        v->v.s = t->u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)t->u;
                } else {
                        v->type = GLUE_TYPE_UINT64;
                        v->v.u = t->u;
                }
                return next(p);
        case MOF_REAL:
                v->type = GLUE_TYPE_REAL64;
                v->v.r = t->r;
                return next(p);
        case MOF_IDENT:
                if (mof_token_is_ident(t, "true") || mof_token_is_ident(t, "false")) {
                        v->type = GLUE_TYPE_BOOLEAN;
                        v->v.b = mof_token_is_ident(t, "true");
                        return next(p);
                }
                if (mof_token_is_ident(t, "null")) {
                        v->type = GLUE_TYPE_BOOLEAN;
                        *is_null = true;
                        return next(p);
                }
                return fail(p, "expected a value, found %s", describe_token(t, buf, sizeof(buf)));
        default:
                return fail(p, "expected a value, found %s", describe_token(t, buf, sizeof(buf)));
        }
}

/* The common element type of an array literal: all the same family, integers widen to real. */
static int array_type(const struct glue_value *items, size_t n, enum glue_type *ret)
{
        enum glue_type t = n ? items[0].type : GLUE_TYPE_STRING;

        for (size_t i = 1; i < n; i++) {
                enum glue_type u = items[i].type;
                if (u == t)
                        continue;
                bool tn = !glue_type_is_string(t) && t != GLUE_TYPE_BOOLEAN;
                bool un = !glue_type_is_string(u) && u != GLUE_TYPE_BOOLEAN;
                if (!tn || !un)
                        return -EPROTO;
                if (glue_type_is_real(t) || glue_type_is_real(u))
                        t = GLUE_TYPE_REAL64;
                else
                        t = GLUE_TYPE_SINT64; /* mixed signed and unsigned integers */
        }
        *ret = t;
        return 0;
}

/* A literal or an array literal { a, b }. */
static int parse_value(struct parser *p, struct glue_value *v, bool *is_null)
{
        struct glue_value *items = NULL;
        size_t n = 0;
        unsigned line = tok(p)->line, col = tok(p)->col;
        int r;

        if (!mof_token_is_punct(tok(p), '{'))
                return parse_literal(p, v, is_null);
        *is_null = false;
        r = next(p);
        while (r == 0 && !mof_token_is_punct(tok(p), '}')) {
                struct glue_value *grown = realloc(items, (n + 1) * sizeof(*items));
                bool elem_null;

                if (!grown) {
                        r = -ENOMEM;
                        break;
                }
                items = grown;
                r = parse_literal(p, &items[n], &elem_null);
                if (r < 0)
                        break;
                n++;
                if (elem_null) {
                        r = fail(p, "NULL is not allowed inside an array");
                        break;
                }
                if (mof_token_is_punct(tok(p), ','))
                        r = next(p);
                else if (!mof_token_is_punct(tok(p), '}'))
                        r = fail(p, "expected ',' or '}' in array");
        }
        if (r == 0)
                r = next(p);
        enum glue_type type = GLUE_TYPE_STRING;
        if (r == 0 && array_type(items, n, &type) < 0)
                r = fail_at(p, line, col, "array elements of different types");
        if (r == 0) {
                /* Build an array value of `type` from the scalars. */
                struct glue_value array = { .type = type, .is_array = true, .count = 0 };
                size_t esize = type == GLUE_TYPE_BOOLEAN ? sizeof(bool)
                               : glue_type_is_string(type) ? sizeof(char *)
                               : sizeof(uint64_t);
                char *elements = calloc(n ? n : 1, esize);
                if (!elements)
                        r = -ENOMEM;
                else {
                        array.v.u_array = (const uint64_t *)elements;
                        for (size_t i = 0; i < n && r == 0; i++) {
                                struct glue_value conv;
                                r = value_convert(&conv, &items[i], type, false);
                                if (r < 0)
                                        break;
                                /* move the scalar's storage into the element slot */
                                memcpy(elements + i * esize, &conv.v, esize);
                                array.count = i + 1;
                        }
                        if (r < 0) {
                                value_clear(&array);
                                r = fail_at(p, line, col, "array value out of range");
                        } else
                                *v = array;
                }
        }
        for (size_t i = 0; i < n; i++)
                value_clear(&items[i]);
        free(items);
        return r;
}

/* ---- qualifiers ------------------------------------------------------------------------- */

/* [Name, Name(value), Name{v1, v2}, Name : flavor] into list (empty if there is none). */
static int parse_qualifiers(struct parser *p, struct qualifier_list *list)
{
        int r;

        if (!mof_token_is_punct(tok(p), '['))
                return 0;
        r = next(p);
        while (r == 0) {
                char *name = NULL;
                struct glue_value v = { .type = GLUE_TYPE_BOOLEAN, .v.b = true };
                bool is_null = false;

                r = expect_ident(p, "a qualifier name", &name);
                if (r < 0)
                        return r;
                if (mof_token_is_punct(tok(p), '(')) {
                        r = next(p);
                        if (r == 0)
                                r = parse_value(p, &v, &is_null);
                        if (r == 0)
                                r = expect_punct(p, ')');
                } else if (mof_token_is_punct(tok(p), '{'))
                        r = parse_value(p, &v, &is_null);
                /* Flavors (": ToSubclass Translatable") are accepted and ignored. */
                while (r == 0 && mof_token_is_punct(tok(p), ':')) {
                        r = next(p);
                        if (r == 0 && tok(p)->kind == MOF_IDENT)
                                r = next(p);
                }
                if (r == 0 && qualifier_list_find(list, name))
                        r = fail(p, "qualifier %s is given twice", name);
                if (r == 0 && !is_null)
                        r = qualifier_list_set(list, name, &v);
                value_clear(&v);
                free(name);
                if (r < 0)
                        return r;
                if (mof_token_is_punct(tok(p), ','))
                        r = next(p);
                else
                        return expect_punct(p, ']');
        }
        return r;
}

static int qualifier_string(struct parser *p, const struct qualifier_list *list, const char *name,
                            const char **ret)
{
        const struct glue_qualifier *q = qualifier_list_find(list, name);

        *ret = NULL;
        if (!q)
                return 0;
        if (q->value.type != GLUE_TYPE_STRING || q->value.is_array || !*q->value.v.str)
                return fail(p, "qualifier %s takes a non-empty string", name);
        *ret = q->value.v.str;
        return 0;
}

static bool qualifier_true(const struct qualifier_list *list, const char *name)
{
        const struct glue_qualifier *q = qualifier_list_find(list, name);

        return q && q->value.type == GLUE_TYPE_BOOLEAN && !q->value.is_array && q->value.v.b;
}

/* ---- classes ---------------------------------------------------------------------------- */

static struct glue_class *find_class(const struct parser *p, const char *name)
{
        for (size_t i = 0; i < p->n_classes; i++)
                if (strcasecmp(p->classes[i]->name_space, p->name_space) == 0 &&
                    strcasecmp(p->classes[i]->name, name) == 0)
                        return p->classes[i];
        return (struct glue_class *)context_find_class(p->ctx, p->name_space, name);
}

static const struct {
        const char *name;
        enum glue_type type;
} mof_types[] = {
        { "boolean", GLUE_TYPE_BOOLEAN }, { "sint8", GLUE_TYPE_SINT8 },
        { "uint8", GLUE_TYPE_UINT8 },     { "sint16", GLUE_TYPE_SINT16 },
        { "uint16", GLUE_TYPE_UINT16 },   { "sint32", GLUE_TYPE_SINT32 },
        { "uint32", GLUE_TYPE_UINT32 },   { "sint64", GLUE_TYPE_SINT64 },
        { "uint64", GLUE_TYPE_UINT64 },   { "real32", GLUE_TYPE_REAL32 },
        { "real64", GLUE_TYPE_REAL64 },   { "string", GLUE_TYPE_STRING },
        { "datetime", GLUE_TYPE_DATETIME },
        /* char16 is a UCS-2 code unit; a one-character string is how people read it. */
        { "char16", GLUE_TYPE_STRING },
};

/* Skip a method's parameter list: balanced parentheses, then ';'. */
static int skip_method(struct parser *p)
{
        int depth = 0, r = 0;

        do {
                if (tok(p)->kind == MOF_EOF)
                        return fail(p, "method declaration is not closed");
                if (mof_token_is_punct(tok(p), '('))
                        depth++;
                else if (mof_token_is_punct(tok(p), ')'))
                        depth--;
                r = next(p);
        } while (r == 0 && depth > 0);
        return r < 0 ? r : expect_punct(p, ';');
}

/* The rules a reference property keeps (DSP0004 associations): it is declared in an
 * association, scalar, with no default; an association's subclass narrows the references it
 * inherits (Override) and adds none, so that a class that cannot refer to an object has no
 * subclass that can (associators.c plans on it). */
static int check_reference(struct parser *p, const struct glue_class *cls,
                           const struct glue_property *prop, const char *override_name,
                           unsigned line, unsigned col)
{
        if (!cls->is_association)
                return fail_at(p, line, col, "reference %s is declared in class %s, which is no "
                               "association (give the class the Association qualifier)",
                               prop->name, cls->name);
        if (prop->is_array)
                return fail_at(p, line, col, "reference %s cannot be an array", prop->name);
        if (!override_name && cls->superclass && cls->superclass->is_association &&
            glue_class_find_property(cls->superclass, prop->name, NULL, NULL) < 0)
                return fail_at(p, line, col, "association %s cannot add reference %s: a subclass "
                               "of association %s keeps its references (narrow them with "
                               "Override)", cls->name, prop->name, cls->superclass->name);
        return 0;
}

/* [qualifiers] type Name[[]] [= value] ;   or a method   type Name(...);   or a reference
 * ClassName REF Name; (an object path naming an instance of ClassName). */
static int parse_feature(struct parser *p, struct glue_class *cls)
{
        struct qualifier_list quals = { 0 };
        struct glue_property *prop = NULL;
        const struct glue_class *reference_class = NULL;
        unsigned line, col;
        char *type_name = NULL, *override_error = NULL;
        const char *override_name;
        enum glue_type type = 0;
        bool found_type = false;
        int r;

        r = parse_qualifiers(p, &quals);
        if (r < 0)
                goto out;
        line = tok(p)->line;
        col = tok(p)->col;
        r = expect_ident(p, "a property type", &type_name);
        if (r < 0)
                goto out;
        for (size_t i = 0; i < sizeof(mof_types) / sizeof(mof_types[0]); i++)
                if (strcasecmp(type_name, mof_types[i].name) == 0) {
                        type = mof_types[i].type;
                        found_type = true;
                }
        if (!found_type) {
                if (mof_token_is_ident(tok(p), "ref")) {
                        type = GLUE_TYPE_REFERENCE;
                        reference_class = find_class(p, type_name);
                        if (!reference_class) {
                                r = fail_at(p, line, col, "unknown class %s for a reference",
                                            type_name);
                                goto out;
                        }
                        r = next(p);
                        if (r < 0)
                                goto out;
                } else {
                        r = fail_at(p, line, col, "unknown type '%s'", type_name);
                        goto out;
                }
        }
        prop = calloc(1, sizeof(*prop));
        if (!prop) {
                r = -ENOMEM;
                goto out;
        }
        prop->type = type;
        prop->reference_class = reference_class;
        line = tok(p)->line;
        col = tok(p)->col;
        r = expect_ident(p, "a property name", &prop->name);
        if (r < 0)
                goto out;
        if (mof_token_is_punct(tok(p), '(')) {
                r = skip_method(p); /* methods: accepted, not served */
                goto out;
        }
        if (mof_token_is_punct(tok(p), '[')) {
                r = next(p);
                if (r == 0 && tok(p)->kind == MOF_INTEGER)
                        r = next(p);
                if (r == 0)
                        r = expect_punct(p, ']');
                if (r < 0)
                        goto out;
                prop->is_array = true;
        }
        if (mof_token_is_punct(tok(p), '=')) {
                struct glue_value v;
                bool is_null;

                if (type == GLUE_TYPE_REFERENCE) {
                        r = fail(p, "reference %s cannot have a default value", prop->name);
                        goto out;
                }
                r = next(p);
                if (r == 0)
                        r = parse_value(p, &v, &is_null);
                if (r < 0)
                        goto out;
                if (!is_null) {
                        prop->default_value = calloc(1, sizeof(*prop->default_value));
                        r = prop->default_value
                                    ? value_convert(prop->default_value, &v, type, prop->is_array)
                                    : -ENOMEM;
                        if (r == -EPROTO || r == -ERANGE)
                                r = fail_at(p, line, col, "default value of %s does not fit its type %s%s",
                                            prop->name, glue_type_name(type), prop->is_array ? "[]" : "");
                        if (r < 0) {
                                free(prop->default_value);
                                prop->default_value = NULL;
                        }
                }
                value_clear(&v);
                if (r < 0)
                        goto out;
        }
        r = expect_punct(p, ';');
        if (r < 0)
                goto out;

        prop->is_key = qualifier_true(&quals, "Key");
        prop->is_expensive = qualifier_true(&quals, "Expensive");
        if (prop->is_key && (prop->is_array || glue_type_is_real(type))) {
                r = fail_at(p, line, col, "key %s must be a scalar of a string, integer or boolean type",
                            prop->name);
                goto out;
        }
        r = qualifier_string(p, &quals, "Override", &override_name);
        if (r < 0)
                goto out;
        if (type == GLUE_TYPE_REFERENCE) {
                r = check_reference(p, cls, prop, override_name, line, col);
                if (r < 0)
                        goto out;
        }
        r = qualifier_list_copy(&prop->qualifiers, &quals);
        if (r < 0)
                goto out;
        r = class_add_property(cls, prop, override_name, &override_error);
        if (r == -ENOEXEC)
                r = fail_at(p, line, col, "%s", override_error ? override_error : "invalid property");
        if (r == 0)
                prop = NULL; /* now owned by the class */
out:
        free(override_error);
        free(type_name);
        property_free(prop);
        qualifier_list_clear(&quals);
        return r;
}

/* Association (DSP0004): a class with two or more references, the qualifier passed on to every
 * subclass and never taken back; an association derives from associations only. */
static int check_association_qualifier(struct parser *p, struct glue_class *cls,
                                       const struct qualifier_list *quals, unsigned line,
                                       unsigned col)
{
        const struct glue_qualifier *own = qualifier_list_find(quals, "Association");
        const struct glue_class *super = cls->superclass;

        cls->is_association = qualifier_true(&cls->qualifiers, "Association");
        if (super && super->is_association && !cls->is_association)
                return fail_at(p, line, col, "class %s derives from association %s: it is one "
                               "too (Association cannot be overridden)", cls->name, super->name);
        if (own && cls->is_association && super && !super->is_association)
                return fail_at(p, line, col, "association %s cannot derive from %s, which is no "
                               "association", cls->name, super->name);
        return 0;
}

static int check_association_references(struct parser *p, const struct glue_class *cls,
                                        unsigned line, unsigned col)
{
        size_t n = 0;

        for (size_t i = 0; i < cls->n_properties; i++)
                n += cls->properties[i]->type == GLUE_TYPE_REFERENCE;
        if (n < 2)
                return fail_at(p, line, col, "association %s has %zu reference%s: it needs at "
                               "least two", cls->name, n, n == 1 ? "" : "s");
        return 0;
}

static int parse_class(struct parser *p, struct qualifier_list *quals)
{
        struct glue_class *cls = NULL, *super = NULL;
        char *name = NULL, *super_name = NULL;
        unsigned line = tok(p)->line, col = tok(p)->col;
        const char *provider;
        int r;

        r = expect_ident(p, "a class name", &name);
        if (r < 0)
                goto out;
        if (find_class(p, name)) {
                r = fail_at(p, line, col, "class %s is already defined in %s", name, p->name_space);
                goto out;
        }
        if (mof_token_is_punct(tok(p), ':')) {
                r = next(p);
                if (r < 0)
                        goto out;
                unsigned sline = tok(p)->line, scol = tok(p)->col;
                r = expect_ident(p, "a superclass name", &super_name);
                if (r < 0)
                        goto out;
                super = find_class(p, super_name);
                if (!super) {
                        r = fail_at(p, sline, scol, "unknown superclass %s", super_name);
                        goto out;
                }
        }
        cls = class_new(p->name_space, name, super);
        if (!cls) {
                r = -ENOMEM;
                goto out;
        }
        r = qualifier_string(p, quals, "Provider", &provider);
        if (r < 0)
                goto out;
        for (size_t i = 0; i < quals->count; i++) {
                r = qualifier_list_set(&cls->qualifiers, quals->items[i].name, &quals->items[i].value);
                if (r < 0)
                        goto out;
        }
        cls->is_abstract = qualifier_true(quals, "Abstract");
        r = check_association_qualifier(p, cls, quals, line, col);
        if (r < 0)
                goto out;
        if (!provider && super)
                provider = super->provider;
        if (provider) {
                cls->provider = strdup(provider);
                if (!cls->provider) {
                        r = -ENOMEM;
                        goto out;
                }
        }
        r = expect_punct(p, '{');
        while (r == 0 && !mof_token_is_punct(tok(p), '}')) {
                if (tok(p)->kind == MOF_EOF) {
                        r = fail(p, "class %s is not closed: expected '}'", name);
                        break;
                }
                r = parse_feature(p, cls);
        }
        if (r == 0)
                r = next(p);
        if (r == 0)
                r = expect_punct(p, ';');
        if (r == 0 && cls->is_association)
                r = check_association_references(p, cls, line, col);
        if (r == 0)
                r = class_seal(cls);
        if (r == 0) {
                struct glue_class **classes = realloc(p->classes, (p->n_classes + 1) * sizeof(*classes));
                if (!classes)
                        r = -ENOMEM;
                else {
                        p->classes = classes;
                        classes[p->n_classes++] = cls;
                        cls = NULL;
                }
        }
out:
        class_free(cls);
        free(name);
        free(super_name);
        return r;
}

/* ---- static instances ------------------------------------------------------------------- */

static bool pending_has_key(const struct parser *p, const struct glue_instance *inst)
{
        for (size_t i = 0; i < p->n_instances; i++)
                if (p->instances[i].cls == inst->cls && instance_same_keys(p->instances[i].inst, inst))
                        return true;
        return class_has_static_key(inst->cls, inst);
}

/* A property value of a static instance. A reference may name a class of this same text, which
 * is not linked below its superclass before the text is committed, so the class is found by
 * the parser and the path checked against it (glue_instance_set_reference cannot see it). */
static int set_instance_value(struct parser *p, struct glue_instance *inst, const char *name,
                              const struct glue_value *v)
{
        const struct glue_property *prop;
        const struct glue_class *cls;
        struct glue_path *path;
        char *text = NULL;
        int r;

        if (glue_class_find_property(inst->cls, name, &prop, NULL) < 0 ||
            prop->type != GLUE_TYPE_REFERENCE || v->is_array || !glue_type_is_string(v->type))
                return glue_instance_set_value(inst, name, v);
        r = glue_path_parse(v->v.str, &path);
        if (r < 0)
                return r;
        cls = find_class(p, path->class_name);
        r = -EPROTO;
        if (cls && classes_related(cls, prop->reference_class) &&
            (!path->name_space || strcasecmp(path->name_space, cls->name_space) == 0))
                r = reference_canonical_in(cls, path, &text);
        glue_path_free(path);
        if (r < 0)
                return r;
        r = instance_store_reference(inst, name, text);
        if (r < 0)
                free(text);
        return r;
}

/* A value that does not fit its property; for a reference, why. */
static int fail_value(struct parser *p, const struct glue_class *cls, const char *name, int err,
                      unsigned line, unsigned col)
{
        const struct glue_property *prop;

        if (glue_class_find_property(cls, name, &prop, NULL) == 0 &&
            prop->type == GLUE_TYPE_REFERENCE) {
                if (err == -EILSEQ)
                        return fail_at(p, line, col, "value of %s does not fit its type: no object "
                                       "path with the keys of its class", name);
                return fail_at(p, line, col, "value of %s does not fit its type: the path names "
                               "no %s", name, prop->reference_class->name);
        }
        return fail_at(p, line, col, "value of %s does not fit its type", name);
}

static int parse_instance(struct parser *p)
{
        struct glue_instance *inst = NULL;
        struct glue_class *cls;
        char *class_name = NULL, *prop_name = NULL;
        unsigned line, col;
        int r;

        r = next(p); /* "of" */
        if (r < 0)
                return r;
        line = tok(p)->line;
        col = tok(p)->col;
        r = expect_ident(p, "a class name", &class_name);
        if (r < 0)
                return r;
        cls = find_class(p, class_name);
        if (!cls)
                r = fail_at(p, line, col, "unknown class %s", class_name);
        else if (cls->is_abstract)
                r = fail_at(p, line, col, "class %s is abstract: it has no instances", class_name);
        else if (cls->provider)
                r = fail_at(p, line, col, "class %s is served by provider %s: static instances "
                            "need a class without one", class_name, cls->provider);
        if (r == 0)
                r = glue_instance_new(cls, &inst);
        if (r == 0 && mof_token_is_ident(tok(p), "as")) { /* alias: as $name */
                r = next(p);
                if (r == 0)
                        r = expect_punct(p, '$');
                if (r == 0 && tok(p)->kind == MOF_IDENT)
                        r = next(p);
        }
        if (r == 0)
                r = expect_punct(p, '{');
        while (r == 0 && !mof_token_is_punct(tok(p), '}')) {
                struct qualifier_list quals = { 0 };
                struct glue_value v;
                bool is_null;

                r = parse_qualifiers(p, &quals); /* property qualifiers: ignored */
                qualifier_list_clear(&quals);
                if (r < 0)
                        break;
                line = tok(p)->line;
                col = tok(p)->col;
                free(prop_name);
                prop_name = NULL;
                r = expect_ident(p, "a property name", &prop_name);
                if (r == 0)
                        r = expect_punct(p, '=');
                if (r == 0)
                        r = parse_value(p, &v, &is_null);
                if (r < 0)
                        break;
                r = is_null ? glue_instance_set_null(inst, prop_name)
                            : set_instance_value(p, inst, prop_name, &v);
                value_clear(&v);
                if (r == -EINVAL)
                        r = fail_at(p, line, col, "class %s has no property %s", cls->name, prop_name);
                else if (r == -EPROTO || r == -ERANGE || r == -EILSEQ)
                        r = fail_value(p, cls, prop_name, r, line, col);
                if (r == 0)
                        r = expect_punct(p, ';');
        }
        if (r == 0)
                r = next(p);
        if (r == 0)
                r = expect_punct(p, ';');
        if (r == 0) {
                /* What the instance does not set takes the class default, else NULL. */
                for (size_t i = 0; i < cls->n_properties; i++) {
                        const struct glue_property *prop = cls->properties[i];
                        if (inst->slots[i].state != SLOT_NOT_FETCHED)
                                continue;
                        if (prop->is_key) {
                                r = fail(p, "instance of %s does not set its key %s", cls->name,
                                         prop->name);
                                break;
                        }
                        r = prop->default_value ? glue_instance_set_value(inst, prop->name,
                                                                          prop->default_value)
                                                : glue_instance_set_null(inst, prop->name);
                        if (r < 0)
                                break;
                }
        }
        if (r == 0 && pending_has_key(p, inst))
                r = fail(p, "instance of %s with the same key is declared twice", cls->name);
        if (r == 0) {
                struct pending_instance *list = realloc(p->instances,
                                                        (p->n_instances + 1) * sizeof(*list));
                if (!list)
                        r = -ENOMEM;
                else {
                        p->instances = list;
                        list[p->n_instances].cls = cls;
                        list[p->n_instances].inst = inst;
                        p->n_instances++;
                        inst = NULL;
                }
        }
        glue_instance_unref(inst);
        free(class_name);
        free(prop_name);
        return r;
}

/* ---- top level -------------------------------------------------------------------------- */

static int parse_pragma(struct parser *p)
{
        char *name = NULL;
        int r;

        r = next(p); /* '#' */
        if (r == 0 && !mof_token_is_ident(tok(p), "pragma"))
                r = fail(p, "expected 'pragma' after '#'");
        if (r == 0)
                r = next(p);
        unsigned line = tok(p)->line, col = tok(p)->col;
        if (r == 0)
                r = expect_ident(p, "a pragma name", &name);
        if (r == 0)
                r = expect_punct(p, '(');
        if (r == 0 && tok(p)->kind != MOF_STRING)
                r = fail(p, "expected a string argument");
        if (r == 0) {
                if (strcasecmp(name, "namespace") == 0) {
                        const char *ns = tok(p)->text;
                        if (!*ns || strlen(ns) > 200 || strchr(ns, ':'))
                                r = fail(p, "invalid namespace name");
                        else {
                                char *copy = strdup(ns);
                                if (!copy)
                                        r = -ENOMEM;
                                else {
                                        /* WMI writes namespaces with '\'; hwglue with '/'. */
                                        for (char *c = copy; *c; c++)
                                                if (*c == '\\')
                                                        *c = '/';
                                        free(p->name_space);
                                        p->name_space = copy;
                                }
                        }
                } else if (strcasecmp(name, "include") == 0)
                        r = fail_at(p, line, col, "#pragma include is not supported: load each file");
                /* locale, classflags, instancelocale, ...: no meaning here */
        }
        if (r == 0)
                r = next(p);
        if (r == 0)
                r = expect_punct(p, ')');
        free(name);
        return r;
}

/* qualifier Name : type [= value] [, scope(...)] [, flavor(...)] ;  -- accepted, ignored */
static int skip_qualifier_declaration(struct parser *p)
{
        int r = 0;

        while (r == 0 && !mof_token_is_punct(tok(p), ';')) {
                if (tok(p)->kind == MOF_EOF)
                        return fail(p, "qualifier declaration is not closed: expected ';'");
                r = next(p);
        }
        return r < 0 ? r : next(p);
}

static int parse_top(struct parser *p)
{
        int r = next(p);

        while (r == 0 && tok(p)->kind != MOF_EOF) {
                struct qualifier_list quals = { 0 };
                char buf[64];

                if (mof_token_is_punct(tok(p), '#')) {
                        r = parse_pragma(p);
                        continue;
                }
                r = parse_qualifiers(p, &quals);
                if (r == 0) {
                        if (mof_token_is_ident(tok(p), "class")) {
                                r = next(p);
                                if (r == 0)
                                        r = parse_class(p, &quals);
                        } else if (mof_token_is_ident(tok(p), "instance")) {
                                r = next(p);
                                if (r == 0 && !mof_token_is_ident(tok(p), "of"))
                                        r = fail(p, "expected 'of' after 'instance'");
                                if (r == 0)
                                        r = parse_instance(p);
                        } else if (mof_token_is_ident(tok(p), "qualifier") && quals.count == 0)
                                r = skip_qualifier_declaration(p);
                        else
                                r = fail(p, "expected 'class', 'instance of' or '#pragma', found %s",
                                         describe_token(tok(p), buf, sizeof(buf)));
                }
                qualifier_list_clear(&quals);
        }
        return r;
}

static int commit(struct parser *p)
{
        size_t attached = 0;
        int r = 0;

        for (; attached < p->n_instances; attached++) {
                struct glue_class *cls = p->instances[attached].cls;
                /* A built-in (compiled) class's list is copied out of its image first. */
                struct glue_instance **list = context_list_grow(p->ctx, cls->static_instances,
                                                                cls->n_static_instances,
                                                                sizeof(*list));
                if (!list) {
                        r = -ENOMEM;
                        break;
                }
                cls->static_instances = list;
                list[cls->n_static_instances++] = p->instances[attached].inst;
        }
        if (r == 0)
                r = context_add_classes(p->ctx, p->classes, p->n_classes);
        if (r < 0) {
                /* Detach again; the instances are freed with the parser's lists. */
                while (attached > 0)
                        p->instances[--attached].cls->n_static_instances--;
                return r;
        }
        free(p->classes);
        p->classes = NULL;
        p->n_classes = 0;
        free(p->instances);
        p->instances = NULL;
        p->n_instances = 0;
        return 0;
}

int mof_parse(struct glue_context *ctx, const char *name, const char *text, char **ret_error)
{
        struct parser p = { .ctx = ctx, .name = name };
        int r;

        p.name_space = strdup(GLUE_DEFAULT_NAMESPACE);
        if (!p.name_space)
                return -ENOMEM;
        mof_lexer_init(&p.lx, text);
        r = parse_top(&p);
        if (r == 0)
                r = commit(&p);
        mof_lexer_done(&p.lx);
        for (size_t i = 0; i < p.n_instances; i++)
                glue_instance_unref(p.instances[i].inst);
        free(p.instances);
        for (size_t i = p.n_classes; i > 0; i--)
                class_free(p.classes[i - 1]);
        free(p.classes);
        free(p.name_space);
        if (r == -ENOEXEC && ret_error) {
                *ret_error = p.error;
                p.error = NULL;
        }
        free(p.error);
        return r;
}
