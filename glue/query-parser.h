/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The WQL subset: its syntax tree, parser and LIKE matcher. Self-contained (libc and the types of
 * libglue.h only), so that front ends that need the SELECT list (the hwglue command) can build it
 * in without the rest of libglue's internals.
 *
 *   query     := SELECT ( '*' | name { ',' name } ) FROM name [ WHERE expr ]
 *   expr      := and { OR and }
 *   and       := not { AND not }
 *   not       := NOT not | '(' expr ')' | condition
 *   condition := name op literal | literal op name | name IS [NOT] NULL
 *              | name [NOT] LIKE string | name ISA ( string | name )
 *   op        := '=' | '<>' | '!=' | '<' | '<=' | '>' | '>='
 *   literal   := string | ['-'] number | TRUE | FALSE | NULL
 *
 * Keywords and names are case-insensitive. Strings take single or double quotes and backslash
 * escapes. Names may be the system properties __CLASS, __SUPERCLASS, __NAMESPACE, __PATH and
 * __RELPATH.
 *
 * WMI's association queries (their WHERE holds keywords, not conditions; no commas between):
 *   assoc_query := ASSOCIATORS OF '{' path '}' [ WHERE { assoc_item } ]
 *   assoc_item  := AssocClass '=' name | ResultClass '=' name | Role '=' name
 *                | ResultRole '=' name | RequiredQualifier '=' name
 *                | RequiredAssocQualifier '=' name | KeysOnly | ClassDefsOnly | SchemaOnly
 *   refs_query  := REFERENCES OF '{' path '}' [ WHERE { refs_item } ]
 *   refs_item   := ResultClass '=' name | Role '=' name | RequiredQualifier '=' name
 *                | KeysOnly | ClassDefsOnly | SchemaOnly
 * The path is the text between the braces (a '}' inside a quoted key value does not end it),
 * checked by the object path parser when the query runs. Each keyword at most once.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libglue.h"

enum wql_literal_kind {
        WQL_LITERAL_NULL,
        WQL_LITERAL_BOOLEAN,
        WQL_LITERAL_INTEGER,
        WQL_LITERAL_REAL,
        WQL_LITERAL_STRING,
};

struct wql_literal {
        enum wql_literal_kind kind;
        bool boolean;
        bool negative;      /* INTEGER: the value is -magnitude */
        uint64_t magnitude; /* INTEGER */
        double real;        /* REAL, and INTEGER as a double */
        char *text;         /* STRING: the unescaped value; numbers: their source text */
        unsigned line, column;
};

enum wql_op {
        WQL_OP_EQ,
        WQL_OP_NE,
        WQL_OP_LT,
        WQL_OP_LE,
        WQL_OP_GT,
        WQL_OP_GE,
};

enum wql_node_kind {
        WQL_NODE_AND,
        WQL_NODE_OR,
        WQL_NODE_NOT,
        WQL_NODE_COMPARE, /* property op literal (a literal on the left is flipped over) */
        WQL_NODE_LIKE,    /* property [NOT] LIKE pattern */
        WQL_NODE_IS_NULL, /* property IS [NOT] NULL */
        WQL_NODE_ISA,     /* property ISA class name */
};

struct wql_name {
        char *name;
        unsigned line, column;
};

struct wql_node {
        enum wql_node_kind kind;
        struct wql_node *left, *right; /* AND, OR; NOT uses left */
        struct wql_name property;
        enum wql_op op;
        struct wql_literal literal; /* COMPARE value, LIKE pattern, ISA class name */
        bool negated;               /* IS NOT NULL, NOT LIKE */

        /* Filled by the evaluator (query.c) when it binds the query to the FROM class. */
        struct {
                int system;             /* a WQL_SYSTEM_* for __CLASS and the like, else 0 */
                size_t index;           /* the property's index in the class (and subclasses) */
                enum glue_type type;
                bool is_array;
                const struct glue_class *isa_class; /* ISA */
        } bound;
};

enum wql_association_kind {
        WQL_ASSOCIATORS_OF,
        WQL_REFERENCES_OF,
};

/* An ASSOCIATORS OF or REFERENCES OF query. Each keyword's name is NULL when it was not
 * given; for the keywords without a value it is the keyword as written; line and column say
 * where the value (the keyword) is, for the messages of the glue. */
struct wql_association {
        enum wql_association_kind kind;
        struct wql_name path; /* the object path between the braces, blanks around it cut */
        struct wql_name assoc_class;
        struct wql_name result_class;
        struct wql_name role;
        struct wql_name result_role;
        struct wql_name required_qualifier;
        struct wql_name required_assoc_qualifier;
        struct wql_name keys_only;
        struct wql_name class_defs_only;
        struct wql_name schema_only;
};

struct wql_query {
        bool select_all;
        struct wql_name *select;
        size_t n_select;
        struct wql_name class_name;
        struct wql_node *where; /* NULL without WHERE */
        /* ASSOCIATORS OF / REFERENCES OF: the rest of the query, and select_all is true (they
         * return whole instances) with class_name.name NULL. NULL for a SELECT. */
        struct wql_association *association;
};

/*
 * Parse a query. On a syntax error returns -EBADMSG and *ret_error (owned) says
 * "query:LINE:COL: expected WHAT"; -ENOMEM when out of memory. *ret is owned
 * (wql_query_free).
 */
int wql_parse(const char *text, struct wql_query **ret, char **ret_error);
void wql_query_free(struct wql_query *query);

enum {
        WQL_SYSTEM_NONE,
        WQL_SYSTEM_CLASS,
        WQL_SYSTEM_SUPERCLASS,
        WQL_SYSTEM_NAMESPACE,
        WQL_SYSTEM_PATH,
        WQL_SYSTEM_RELPATH,
};

/* The WQL_SYSTEM_* of a system property name ("__CLASS", any case), WQL_SYSTEM_NONE if it is
 * none, and the canonical spelling of each. */
int wql_system_property(const char *name);
const char *wql_system_property_name(int system);

/*
 * WQL LIKE: % any run of characters, _ one character, [abc] [a-z] one of a set, [^abc] one not
 * in it ([%] matches a literal %). ASCII letters compare case-insensitively, as WMI does; text
 * and pattern are UTF-8 and _ matches one code point.
 */
bool wql_like(const char *text, const char *pattern);

/* The operator's text ("<=") and its mirror image (a < b  <=>  b > a). */
const char *wql_op_to_string(enum wql_op op);
enum wql_op wql_op_mirror(enum wql_op op);
