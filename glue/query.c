/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * WQL queries: bind the parsed query (query-parser.c) to the FROM class, run it as an
 * enumeration (or as a get-by-key when the WHERE clause pins every key) and filter what the
 * providers post with SQL's three-valued logic: a comparison with NULL is unknown, and only
 * instances for which WHERE is true are delivered.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glue-private.h"
#include "query-parser.h"

enum truth {
        TRUTH_FALSE,
        TRUTH_TRUE,
        TRUTH_UNKNOWN,
};

struct query_run {
        struct glue_context *ctx;
        const struct glue_class *from;
        const struct wql_query *wql;
        unsigned flags;
        glue_instance_fn fn;
        void *userdata;
};

/* ---- binding ---------------------------------------------------------------------------- */

static int bind_error(struct glue_request *req, int err, unsigned line, unsigned column,
                      const char *what, const char *name, const char *detail)
{
        request_set_error(req, "query:%u:%u: %s '%s'%s", line, column, what, name, detail);
        return err;
}

static int bind_property(struct glue_request *req, const struct glue_class *from,
                         const struct wql_name *name, struct wql_node *node)
{
        const struct glue_property *prop;
        size_t index;
        int system = wql_system_property(name->name);

        if (system != WQL_SYSTEM_NONE) {
                if (node) {
                        node->bound.system = system;
                        node->bound.type = GLUE_TYPE_STRING;
                }
                return 0;
        }
        if (glue_class_find_property(from, name->name, &prop, &index) < 0) {
                request_set_error(req, "query:%u:%u: class '%s' has no property '%s'", name->line,
                                  name->column, glue_class_get_name(from), name->name);
                return -EINVAL;
        }
        if (node) {
                node->bound.index = index;
                node->bound.type = glue_property_get_type(prop);
                node->bound.is_array = glue_property_is_array(prop);
        }
        return 0;
}

/* A numeric property compared with '12': read the string as the number it spells. */
static bool literal_string_to_number(struct wql_literal *lit)
{
        const char *s = lit->text;
        char *end;
        bool negative = false;

        while (*s == ' ')
                s++;
        if (*s == '-') {
                negative = true;
                s++;
        }
        if (!*s || *s == '-' || *s == '+' || *s == ' ')
                return false;
        errno = 0;
        if (strpbrk(s, ".eEnN") && !(s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))) {
                double value = strtod(s, &end);
                if (end == s || *end || !isfinite(value))
                        return false;
                lit->kind = WQL_LITERAL_REAL;
                lit->real = negative ? -value : value;
                return true;
        }
        uint64_t magnitude = strtoull(s, &end, 0);
        if (end == s || *end || errno == ERANGE)
                return false;
        if (negative && magnitude > (uint64_t)INT64_MAX + 1)
                return false;
        lit->kind = WQL_LITERAL_INTEGER;
        lit->magnitude = magnitude;
        lit->negative = negative && magnitude != 0;
        lit->real = negative ? -(double)magnitude : (double)magnitude;
        return true;
}

/* A REF property compared with a literal: the literal must be a path its values may hold, and
 * is kept in their canonical form, so that evaluation compares objects, not spellings. */
static const char *bind_reference_literal(const struct glue_class *from, struct wql_node *node)
{
        const struct glue_property *prop = glue_class_get_property(from, node->bound.index);
        struct wql_literal *lit = &node->literal;
        char *canonical;
        int r;

        if (lit->kind != WQL_LITERAL_STRING)
                return " is a reference: compare it with an object path in quotes";
        if (node->op != WQL_OP_EQ && node->op != WQL_OP_NE)
                return " is a reference: compare it with = or <>";
        r = reference_canonical_text(glue_property_get_reference_class(prop), lit->text,
                                     &canonical, NULL);
        if (r == -ENOMEM)
                return " cannot be compared: out of memory";
        if (r == -EPROTO)
                return " is a reference: the path names no class it can refer to";
        if (r < 0)
                return " is a reference: the literal is no object path with the keys of its class";
        free(lit->text);
        lit->text = canonical;
        return NULL;
}

/* Make the literal fit the property's type, or say why it cannot. */
static int bind_literal(struct glue_request *req, const struct glue_class *from,
                        struct wql_node *node)
{
        struct wql_literal *lit = &node->literal;
        enum glue_type type = node->bound.type;
        const char *why = NULL;

        if (lit->kind == WQL_LITERAL_NULL)
                return 0;
        if (node->bound.is_array) {
                why = ": an array property can only be tested with IS [NOT] NULL";
        } else if (type == GLUE_TYPE_REFERENCE && !node->bound.system) {
                why = bind_reference_literal(from, node);
        } else if (glue_type_is_string(type)) {
                if (lit->kind == WQL_LITERAL_BOOLEAN)
                        why = " is a string: compare it with a string";
        } else if (type == GLUE_TYPE_BOOLEAN) {
                if (lit->kind == WQL_LITERAL_STRING &&
                    (strcasecmp(lit->text, "true") == 0 || strcasecmp(lit->text, "false") == 0)) {
                        lit->boolean = strcasecmp(lit->text, "true") == 0;
                        lit->kind = WQL_LITERAL_BOOLEAN;
                } else if (lit->kind == WQL_LITERAL_INTEGER && !lit->negative && lit->magnitude <= 1) {
                        lit->boolean = lit->magnitude == 1;
                        lit->kind = WQL_LITERAL_BOOLEAN;
                } else if (lit->kind != WQL_LITERAL_BOOLEAN) {
                        why = " is a boolean: compare it with TRUE or FALSE";
                }
        } else {
                if (lit->kind == WQL_LITERAL_STRING && !literal_string_to_number(lit))
                        why = " is a number: compare it with a number";
                else if (lit->kind == WQL_LITERAL_BOOLEAN)
                        why = " is a number: compare it with a number";
        }
        if (why)
                return bind_error(req, -EPROTO, lit->line, lit->column, "property",
                                  node->property.name, why);
        return 0;
}

static int bind_node(struct glue_request *req, const struct glue_class *from, struct wql_node *node)
{
        int r;

        switch (node->kind) {
        case WQL_NODE_AND:
        case WQL_NODE_OR:
                r = bind_node(req, from, node->left);
                return r < 0 ? r : bind_node(req, from, node->right);
        case WQL_NODE_NOT:
                return bind_node(req, from, node->left);
        default:
                break;
        }

        r = bind_property(req, from, &node->property, node);
        if (r < 0)
                return r;

        switch (node->kind) {
        case WQL_NODE_COMPARE:
                /* WMI reads "Prop = NULL" as "Prop IS NULL", and "<> NULL" as "IS NOT NULL" */
                if (node->literal.kind == WQL_LITERAL_NULL &&
                    (node->op == WQL_OP_EQ || node->op == WQL_OP_NE)) {
                        node->kind = WQL_NODE_IS_NULL;
                        node->negated = node->op == WQL_OP_NE;
                        return 0;
                }
                return bind_literal(req, from, node);
        case WQL_NODE_LIKE:
                if (!glue_type_is_string(node->bound.type) || node->bound.is_array)
                        return bind_error(req, -EPROTO, node->property.line, node->property.column,
                                          "property", node->property.name,
                                          " is not a string: LIKE needs one");
                return 0;
        case WQL_NODE_ISA:
                if (node->bound.system != WQL_SYSTEM_CLASS &&
                    (!glue_type_is_string(node->bound.type) || node->bound.is_array))
                        return bind_error(req, -EPROTO, node->property.line, node->property.column,
                                          "property", node->property.name,
                                          " holds no class name: ISA needs __CLASS or a string");
                r = glue_context_find_class(req->ctx, glue_class_get_namespace(from),
                                            node->literal.text, &node->bound.isa_class);
                if (r < 0)
                        return bind_error(req, -ESRCH, node->literal.line, node->literal.column,
                                          "no class named", node->literal.text, "");
                return 0;
        default:
                return 0;
        }
}

/* ---- evaluation ------------------------------------------------------------------------- */

static int compare_ascii_folded(const char *a, const char *b)
{
        for (;; a++, b++) {
                unsigned char ca = (unsigned char)*a, cb = (unsigned char)*b;
                if (ca >= 'A' && ca <= 'Z')
                        ca += 'a' - 'A';
                if (cb >= 'A' && cb <= 'Z')
                        cb += 'a' - 'A';
                if (ca != cb || !ca)
                        return (ca > cb) - (ca < cb);
        }
}

/* Compare a signed or unsigned integer (negative, magnitude) with another. */
static int compare_integers(bool a_negative, uint64_t a, bool b_negative, uint64_t b)
{
        if (a_negative != b_negative)
                return a_negative ? -1 : 1;
        if (a == b)
                return 0;
        return (a < b) != a_negative ? -1 : 1;
}

static enum truth truth_of(enum wql_op op, int cmp)
{
        bool holds;

        switch (op) {
        case WQL_OP_EQ: holds = cmp == 0; break;
        case WQL_OP_NE: holds = cmp != 0; break;
        case WQL_OP_LT: holds = cmp < 0; break;
        case WQL_OP_LE: holds = cmp <= 0; break;
        case WQL_OP_GT: holds = cmp > 0; break;
        default: holds = cmp >= 0; break;
        }
        return holds ? TRUTH_TRUE : TRUTH_FALSE;
}

/* The text of a system property, owned in *ret (NULL: the property is NULL). */
static int system_property_text(const struct glue_instance *inst, int system, char **ret)
{
        const struct glue_class *cls = glue_instance_get_class(inst);
        const struct glue_class *super = glue_class_get_superclass(cls);
        char *path = NULL;
        int r;

        switch (system) {
        case WQL_SYSTEM_CLASS:
                *ret = strdup(glue_class_get_name(cls));
                break;
        case WQL_SYSTEM_SUPERCLASS:
                *ret = super ? strdup(glue_class_get_name(super)) : NULL;
                return 0;
        case WQL_SYSTEM_NAMESPACE:
                *ret = strdup(glue_class_get_namespace(cls));
                break;
        default:
                r = glue_instance_get_path(inst, &path);
                if (r < 0) {
                        *ret = NULL;
                        return 0;
                }
                if (system == WQL_SYSTEM_RELPATH) {
                        *ret = path;
                        return 0;
                }
                r = asprintf(ret, "%s:%s", glue_class_get_namespace(cls), path);
                free(path);
                if (r < 0)
                        *ret = NULL;
                break;
        }
        return *ret ? 0 : -ENOMEM;
}

/* The node's property as text (system properties and string properties), owned, or NULL. */
static int string_operand(const struct wql_node *node, const struct glue_instance *inst,
                          char **ret)
{
        const struct glue_value *v;

        if (node->bound.system)
                return system_property_text(inst, node->bound.system, ret);
        if (glue_instance_get_value_at(inst, node->bound.index, &v) < 0) {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(v->v.str);
        return *ret ? 0 : -ENOMEM;
}

static enum truth eval_string_compare(const struct wql_node *node, const char *value)
{
        return truth_of(node->op, compare_ascii_folded(value, node->literal.text));
}

static enum truth eval_compare(const struct wql_node *node, const struct glue_instance *inst)
{
        const struct wql_literal *lit = &node->literal;
        const struct glue_value *v;
        int cmp;

        if (lit->kind == WQL_LITERAL_NULL)
                return TRUTH_UNKNOWN;
        if (node->bound.system || glue_type_is_string(node->bound.type))
                return TRUTH_UNKNOWN; /* handled by the caller, which owns the text */
        if (glue_instance_get_value_at(inst, node->bound.index, &v) < 0)
                return TRUTH_UNKNOWN;

        if (v->type == GLUE_TYPE_BOOLEAN) {
                cmp = (int)v->v.b - (int)lit->boolean;
        } else if (glue_type_is_real(v->type) || lit->kind == WQL_LITERAL_REAL) {
                double a = glue_type_is_real(v->type) ? v->v.r
                           : glue_type_is_signed(v->type) ? (double)v->v.s : (double)v->v.u;
                if (isnan(a) || isnan(lit->real))
                        return TRUTH_UNKNOWN;
                cmp = (a > lit->real) - (a < lit->real);
        } else if (glue_type_is_signed(v->type)) {
                bool negative = v->v.s < 0;
                uint64_t magnitude = negative ? (uint64_t)0 - (uint64_t)v->v.s : (uint64_t)v->v.s;
                cmp = compare_integers(negative, magnitude, lit->negative, lit->magnitude);
        } else {
                cmp = compare_integers(false, v->v.u, lit->negative, lit->magnitude);
        }
        return truth_of(node->op, cmp);
}

static enum truth eval_is_null(const struct wql_node *node, const struct glue_instance *inst,
                               int *error)
{
        bool is_null;

        if (node->bound.system) {
                char *text;
                *error = system_property_text(inst, node->bound.system, &text);
                is_null = !text;
                free(text);
        } else {
                const struct glue_value *v;
                is_null = glue_instance_get_value_at(inst, node->bound.index, &v) < 0;
        }
        return is_null != node->negated ? TRUTH_TRUE : TRUTH_FALSE;
}

/* A REF property's class of the object it names (Dependent ISA 'Linux_DiskDrive'): the class
 * its path names, owned in *name; NULL if unset. */
static int reference_class_name(char **name)
{
        struct glue_path *path;

        if (!*name || glue_path_parse(*name, &path) < 0)
                return 0; /* a reference is canonical: this is not reached */
        free(*name);
        *name = strdup(glue_path_get_class(path));
        glue_path_free(path);
        return *name ? 0 : -ENOMEM;
}

static enum truth eval_isa(const struct query_run *run, const struct wql_node *node,
                           const struct glue_instance *inst, int *error)
{
        const struct glue_class *cls;
        char *name;

        if (node->bound.system == WQL_SYSTEM_CLASS)
                return glue_class_is_a(glue_instance_get_class(inst), node->bound.isa_class)
                               ? TRUTH_TRUE : TRUTH_FALSE;
        /* a string property naming a class (CreationClassName ISA 'CIM_DiskDrive') */
        *error = string_operand(node, inst, &name);
        if (*error == 0 && !node->bound.system && node->bound.type == GLUE_TYPE_REFERENCE)
                *error = reference_class_name(&name);
        if (!name)
                return TRUTH_UNKNOWN;
        if (glue_context_find_class(run->ctx, glue_class_get_namespace(run->from), name, &cls) < 0)
                cls = NULL;
        free(name);
        return cls && glue_class_is_a(cls, node->bound.isa_class) ? TRUTH_TRUE : TRUTH_FALSE;
}

/* A REF property = or <> a path (canonical since binding): the same object, not the same text. */
static enum truth eval_reference_compare(const struct query_run *run, const struct wql_node *node,
                                         const struct glue_instance *inst)
{
        const struct glue_property *prop = glue_class_get_property(run->from, node->bound.index);
        const struct glue_value *v;
        bool same;

        if (node->literal.kind == WQL_LITERAL_NULL ||
            glue_instance_get_value_at(inst, node->bound.index, &v) < 0)
                return TRUTH_UNKNOWN;
        same = reference_values_equal(glue_property_get_reference_class(prop), v->v.str,
                                      node->literal.text);
        return same == (node->op == WQL_OP_EQ) ? TRUTH_TRUE : TRUTH_FALSE;
}

static enum truth eval_node(const struct query_run *run, const struct wql_node *node,
                            const struct glue_instance *inst, int *error)
{
        enum truth a, b;
        char *text;

        switch (node->kind) {
        case WQL_NODE_AND:
                a = eval_node(run, node->left, inst, error);
                if (a == TRUTH_FALSE)
                        return TRUTH_FALSE;
                b = eval_node(run, node->right, inst, error);
                return b == TRUTH_FALSE ? TRUTH_FALSE
                       : (a == TRUTH_TRUE && b == TRUTH_TRUE) ? TRUTH_TRUE : TRUTH_UNKNOWN;
        case WQL_NODE_OR:
                a = eval_node(run, node->left, inst, error);
                if (a == TRUTH_TRUE)
                        return TRUTH_TRUE;
                b = eval_node(run, node->right, inst, error);
                return b == TRUTH_TRUE ? TRUTH_TRUE
                       : (a == TRUTH_FALSE && b == TRUTH_FALSE) ? TRUTH_FALSE : TRUTH_UNKNOWN;
        case WQL_NODE_NOT:
                a = eval_node(run, node->left, inst, error);
                return a == TRUTH_UNKNOWN ? a : a == TRUTH_TRUE ? TRUTH_FALSE : TRUTH_TRUE;
        case WQL_NODE_IS_NULL:
                return eval_is_null(node, inst, error);
        case WQL_NODE_ISA:
                return eval_isa(run, node, inst, error);
        case WQL_NODE_LIKE:
        case WQL_NODE_COMPARE:
                if (node->kind == WQL_NODE_COMPARE && !node->bound.system &&
                    node->bound.type == GLUE_TYPE_REFERENCE)
                        return eval_reference_compare(run, node, inst);
                if (node->kind == WQL_NODE_COMPARE && !node->bound.system &&
                    !glue_type_is_string(node->bound.type))
                        return eval_compare(node, inst);
                if (node->literal.kind == WQL_LITERAL_NULL)
                        return TRUTH_UNKNOWN;
                *error = string_operand(node, inst, &text);
                if (!text)
                        return TRUTH_UNKNOWN;
                if (node->kind == WQL_NODE_LIKE)
                        a = wql_like(text, node->literal.text) != node->negated ? TRUTH_TRUE
                                                                                : TRUTH_FALSE;
                else
                        a = eval_string_compare(node, text);
                free(text);
                return a;
        }
        return TRUTH_UNKNOWN;
}

static int deliver_if_matching(struct glue_instance *inst, void *userdata)
{
        const struct query_run *run = userdata;
        int error = 0;

        if ((run->flags & GLUE_REQUEST_SHALLOW) && glue_instance_get_class(inst) != run->from)
                return 0;
        if (run->wql->where && eval_node(run, run->wql->where, inst, &error) != TRUTH_TRUE)
                return error < 0 ? GLUE_STOP : 0;
        return run->fn(inst, run->userdata);
}

/* ---- key push-down ---------------------------------------------------------------------- */

/* The "Key = literal" condition on the named key at the top level of the AND chain, or NULL. */
static const struct wql_node *find_key_condition(const struct wql_node *node, size_t key_index)
{
        const struct wql_node *found;

        if (!node)
                return NULL;
        if (node->kind == WQL_NODE_AND) {
                found = find_key_condition(node->left, key_index);
                return found ? found : find_key_condition(node->right, key_index);
        }
        if (node->kind == WQL_NODE_COMPARE && node->op == WQL_OP_EQ && !node->bound.system &&
            !node->bound.is_array && node->bound.index == key_index &&
            node->literal.kind != WQL_LITERAL_NULL)
                return node;
        return NULL;
}

static int append_path_key(char **path, const char *name, const struct wql_node *cond)
{
        const struct wql_literal *lit = &cond->literal;
        char *quoted, *q, *joined;
        int r;

        if (glue_type_is_string(cond->bound.type)) {
                quoted = malloc(2 * strlen(lit->text) + 3);
                if (!quoted)
                        return -ENOMEM;
                q = quoted;
                *q++ = '"';
                for (const char *s = lit->text; *s; s++) {
                        if (*s == '"' || *s == '\\')
                                *q++ = '\\';
                        *q++ = *s;
                }
                *q++ = '"';
                *q = '\0';
        } else if (lit->kind == WQL_LITERAL_BOOLEAN) {
                quoted = strdup(lit->boolean ? "true" : "false");
        } else if (lit->kind == WQL_LITERAL_INTEGER) {
                r = asprintf(&quoted, "%s%" PRIu64, lit->negative ? "-" : "", lit->magnitude);
                if (r < 0)
                        quoted = NULL;
        } else {
                return -EDOM; /* a real key: leave it to the filter */
        }
        if (!quoted)
                return -ENOMEM;
        r = asprintf(&joined, "%s%s%s=%s", *path, strchr(*path, '.') ? "," : ".", name, quoted);
        free(quoted);
        if (r < 0)
                return -ENOMEM;
        free(*path);
        *path = joined;
        return 0;
}

/*
 * If WHERE pins every key with "Key = literal" at the top level of its AND chain, the object
 * path of the one instance that can match, in *ret (owned); else *ret = NULL.
 */
static int key_path_of(const struct query_run *run, char **ret)
{
        size_t n_keys = glue_class_get_key_count(run->from);
        char *path;
        int r;

        *ret = NULL;
        if (n_keys == 0 || !run->wql->where)
                return 0;
        path = strdup(glue_class_get_name(run->from));
        if (!path)
                return -ENOMEM;
        for (size_t i = 0, found = 0; i < glue_class_get_property_count(run->from) && found < n_keys;
             i++) {
                const struct glue_property *prop = glue_class_get_property(run->from, i);
                const struct wql_node *cond;

                if (!glue_property_is_key(prop))
                        continue;
                found++;
                cond = find_key_condition(run->wql->where, i);
                r = cond ? append_path_key(&path, glue_property_get_name(prop), cond) : -EDOM;
                if (r < 0) {
                        free(path);
                        return r == -EDOM ? 0 : r;
                }
        }
        *ret = path;
        return 0;
}

static int run_get_by_key(struct glue_request *req, const struct query_run *run, const char *path)
{
        struct glue_instance *inst = NULL;
        int r;

        r = glue_request_get(req, path, &inst);
        /* -EILSEQ: the literal made a path longer than an object path may be, so no instance
         * can have that key (a GetObject could never name it); the query itself is sound. */
        if (r == -ENOENT || r == -EILSEQ)
                return 0;
        if (r < 0)
                return r;
        r = deliver_if_matching(inst, (void *)run);
        glue_instance_unref(inst);
        return r ? -ECANCELED : 0;
}

/* ---- the query -------------------------------------------------------------------------- */

/* The properties the query needs: the selected ones and those WHERE reads (system ones aside). */
static int collect_names(const struct wql_node *node, const char ***names, size_t *n)
{
        int r;

        if (!node)
                return 0;
        if (node->kind == WQL_NODE_AND || node->kind == WQL_NODE_OR || node->kind == WQL_NODE_NOT) {
                r = collect_names(node->left, names, n);
                return r < 0 ? r : collect_names(node->right, names, n);
        }
        if (node->bound.system)
                return 0;
        const char **grown = realloc(*names, (*n + 1) * sizeof(**names));
        if (!grown)
                return -ENOMEM;
        *names = grown;
        (*names)[(*n)++] = node->property.name;
        return 0;
}

/* Run with the query's required properties, and give the caller's back afterwards. */
static int run_with_properties(struct glue_request *req, struct query_run *run)
{
        const char **names = NULL;
        size_t n_names = 0;
        char **saved = NULL, *path = NULL;
        size_t n_saved = req->n_properties;
        int r = 0;

        if (!run->wql->select_all) {
                for (size_t i = 0; i < run->wql->n_select && r >= 0; i++) {
                        if (wql_system_property(run->wql->select[i].name) != WQL_SYSTEM_NONE)
                                continue;
                        const char **grown = realloc(names, (n_names + 1) * sizeof(*names));
                        if (!grown) {
                                r = -ENOMEM;
                                break;
                        }
                        names = grown;
                        names[n_names++] = run->wql->select[i].name;
                }
                if (r >= 0)
                        r = collect_names(run->wql->where, &names, &n_names);
        }
        if (r >= 0 && n_saved > 0) {
                saved = calloc(n_saved, sizeof(*saved));
                for (size_t i = 0; saved && i < n_saved; i++)
                        saved[i] = req->properties[i];
                /* set_properties frees the old list: keep copies */
                for (size_t i = 0; saved && i < n_saved; i++)
                        if (!(saved[i] = strdup(saved[i])))
                                r = -ENOMEM;
                if (!saved)
                        r = -ENOMEM;
        }
        if (r >= 0 && !run->wql->select_all) {
                /* only system properties selected: an empty list would mean "all" */
                if (n_names == 0 && glue_class_get_key_count(run->from) > 0)
                        glue_request_set_flags(req, run->flags | GLUE_REQUEST_KEYS_ONLY);
                else
                        r = glue_request_set_properties(req, names, n_names);
        } else if (r >= 0) {
                r = glue_request_set_properties(req, NULL, 0);
        }
        if (r >= 0)
                r = key_path_of(run, &path);
        if (r >= 0) {
                if (path)
                        r = run_get_by_key(req, run, path);
                else
                        r = glue_request_enumerate(req, glue_class_get_name(run->from),
                                                   deliver_if_matching, run);
        }

        glue_request_set_flags(req, run->flags);
        glue_request_set_properties(req, (const char *const *)saved, n_saved);
        for (size_t i = 0; saved && i < n_saved; i++)
                free(saved[i]);
        free(saved);
        free(names);
        free(path);
        return r;
}

GLUE_EXPORT int glue_request_query(struct glue_request *req, const char *wql, glue_instance_fn fn,
                                   void *userdata)
{
        struct wql_query *query = NULL;
        const struct glue_class *from;
        char *error = NULL;
        int r;

        if (!req || !wql || !fn)
                return -EINVAL;
        request_clear_status(req);

        r = wql_parse(wql, &query, &error);
        if (r < 0) {
                if (error)
                        request_set_error(req, "%s", error);
                else
                        request_set_error(req, "query: %s", strerror(-r));
                free(error);
                return r;
        }
        /* ASSOCIATORS OF, REFERENCES OF: associators.c. */
        if (query->association) {
                r = association_query(req, query->association, fn, userdata);
                goto out;
        }

        r = glue_context_find_class(req->ctx, req->name_space, query->class_name.name, &from);
        if (r < 0) {
                if (r == -ENXIO)
                        request_set_error(req, "query:%u:%u: no namespace '%s'",
                                          query->class_name.line, query->class_name.column,
                                          req->name_space ? req->name_space
                                                          : GLUE_DEFAULT_NAMESPACE);
                else
                        request_set_error(req, "query:%u:%u: no class named '%s'",
                                          query->class_name.line, query->class_name.column,
                                          query->class_name.name);
                goto out;
        }
        for (size_t i = 0; i < query->n_select && r >= 0; i++)
                r = bind_property(req, from, &query->select[i], NULL);
        if (r >= 0 && query->where)
                r = bind_node(req, from, query->where);
        if (r < 0)
                goto out;

        struct query_run run = {
                .ctx = req->ctx,
                .from = from,
                .wql = query,
                .flags = glue_request_get_flags(req),
                .fn = fn,
                .userdata = userdata,
        };
        r = run_with_properties(req, &run);
out:
        wql_query_free(query);
        return r;
}
