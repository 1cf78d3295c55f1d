/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The WQL lexer and recursive-descent parser; the grammar is in query-parser.h. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query-parser.h"

enum token_kind {
        TOKEN_END,
        TOKEN_ERROR, /* a character that starts no token, or an unterminated string */
        TOKEN_NAME,
        TOKEN_STRING,
        TOKEN_NUMBER,
        TOKEN_STAR,
        TOKEN_COMMA,
        TOKEN_LPAREN,
        TOKEN_RPAREN,
        TOKEN_MINUS,
        TOKEN_OP,
};

struct token {
        enum token_kind kind;
        const char *start;
        size_t len;
        enum wql_op op;
        unsigned line, column;
};

struct parser {
        const char *text;
        const char *pos;
        unsigned line;
        const char *line_start;
        struct token token; /* the current, not yet consumed token */
        int depth;          /* parentheses and NOTs, bounded against stack exhaustion */
        int conditions;     /* bounded too: AND/OR chains are freed and evaluated by recursion */
        char *error;
        bool out_of_memory;
};

#define MAX_DEPTH 256
#define MAX_CONDITIONS 1024

static const char *const system_properties[] = {
        [WQL_SYSTEM_CLASS] = "__CLASS",
        [WQL_SYSTEM_SUPERCLASS] = "__SUPERCLASS",
        [WQL_SYSTEM_NAMESPACE] = "__NAMESPACE",
        [WQL_SYSTEM_PATH] = "__PATH",
        [WQL_SYSTEM_RELPATH] = "__RELPATH",
};

int wql_system_property(const char *name)
{
        if (name[0] != '_')
                return WQL_SYSTEM_NONE; /* they all begin with "__"; most names do not */
        for (int i = 1; i < (int)(sizeof(system_properties) / sizeof(system_properties[0])); i++)
                if (strcasecmp(name, system_properties[i]) == 0)
                        return i;
        return WQL_SYSTEM_NONE;
}

const char *wql_system_property_name(int system)
{
        if (system <= 0 || system >= (int)(sizeof(system_properties) / sizeof(system_properties[0])))
                return NULL;
        return system_properties[system];
}

const char *wql_op_to_string(enum wql_op op)
{
        static const char *const names[] = {
                [WQL_OP_EQ] = "=", [WQL_OP_NE] = "<>", [WQL_OP_LT] = "<",
                [WQL_OP_LE] = "<=", [WQL_OP_GT] = ">", [WQL_OP_GE] = ">=",
        };
        return names[op];
}

enum wql_op wql_op_mirror(enum wql_op op)
{
        switch (op) {
        case WQL_OP_LT: return WQL_OP_GT;
        case WQL_OP_LE: return WQL_OP_GE;
        case WQL_OP_GT: return WQL_OP_LT;
        case WQL_OP_GE: return WQL_OP_LE;
        default: return op;
        }
}

static bool is_name_start(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool is_name_char(char c)
{
        return is_name_start(c) || is_digit(c);
}

static void lex_string(struct parser *p, struct token *t)
{
        char quote = *p->pos++;

        while (*p->pos && *p->pos != quote) {
                if (*p->pos == '\\' && p->pos[1])
                        p->pos++;
                if (*p->pos == '\n') {
                        p->line++;
                        p->line_start = p->pos + 1;
                }
                p->pos++;
        }
        if (!*p->pos) {
                t->kind = TOKEN_ERROR;
                return;
        }
        p->pos++;
        t->kind = TOKEN_STRING;
}

static void lex_number(struct parser *p, struct token *t)
{
        const char *s = p->pos;

        t->kind = TOKEN_NUMBER;
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
                s += 2;
                while ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F'))
                        s++;
        } else {
                while (is_digit(*s))
                        s++;
                if (*s == '.' && is_digit(s[1]))
                        for (s++; is_digit(*s); s++)
                                ;
                if ((*s == 'e' || *s == 'E') &&
                    (is_digit(s[1]) || ((s[1] == '+' || s[1] == '-') && is_digit(s[2]))))
                        for (s += 2; is_digit(*s); s++)
                                ;
        }
        /* "12abc" is no number followed by a name: report it where it stands */
        if (is_name_char(*s))
                t->kind = TOKEN_ERROR;
        p->pos = s;
}

static void next_token(struct parser *p)
{
        struct token *t = &p->token;

        for (;;) {
                if (*p->pos == '\n') {
                        p->line++;
                        p->line_start = p->pos + 1;
                } else if (*p->pos != ' ' && *p->pos != '\t' && *p->pos != '\r') {
                        break;
                }
                p->pos++;
        }
        t->start = p->pos;
        t->line = p->line;
        t->column = (unsigned)(p->pos - p->line_start) + 1;

        char c = *p->pos;
        if (c == '\0') {
                t->kind = TOKEN_END;
        } else if (is_name_start(c)) {
                while (is_name_char(*p->pos))
                        p->pos++;
                t->kind = TOKEN_NAME;
        } else if (is_digit(c) || (c == '.' && is_digit(p->pos[1]))) {
                lex_number(p, t);
        } else if (c == '\'' || c == '"') {
                lex_string(p, t);
        } else {
                static const struct {
                        const char *text;
                        enum token_kind kind;
                        enum wql_op op;
                } punct[] = {
                        { "<>", TOKEN_OP, WQL_OP_NE }, { "!=", TOKEN_OP, WQL_OP_NE },
                        { "<=", TOKEN_OP, WQL_OP_LE }, { ">=", TOKEN_OP, WQL_OP_GE },
                        { "<", TOKEN_OP, WQL_OP_LT },  { ">", TOKEN_OP, WQL_OP_GT },
                        { "=", TOKEN_OP, WQL_OP_EQ },  { "*", TOKEN_STAR, 0 },
                        { ",", TOKEN_COMMA, 0 },       { "(", TOKEN_LPAREN, 0 },
                        { ")", TOKEN_RPAREN, 0 },      { "-", TOKEN_MINUS, 0 },
                };
                t->kind = TOKEN_ERROR;
                for (size_t i = 0; i < sizeof(punct) / sizeof(punct[0]); i++) {
                        size_t n = strlen(punct[i].text);
                        if (strncmp(p->pos, punct[i].text, n) == 0) {
                                t->kind = punct[i].kind;
                                t->op = punct[i].op;
                                p->pos += n;
                                break;
                        }
                }
                if (t->kind == TOKEN_ERROR)
                        p->pos++;
        }
        t->len = (size_t)(p->pos - t->start);
}

static bool token_is_keyword(const struct token *t, const char *keyword)
{
        return t->kind == TOKEN_NAME && t->len == strlen(keyword) &&
               strncasecmp(t->start, keyword, t->len) == 0;
}

static bool token_is_reserved(const struct token *t)
{
        static const char *const reserved[] = {
                "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IS", "ISA",
                "NULL", "TRUE", "FALSE",
        };
        for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
                if (token_is_keyword(t, reserved[i]))
                        return true;
        return false;
}

/* Record the first error only: "query:LINE:COL: expected WHAT". Always returns -EBADMSG. */
static int fail_expected(struct parser *p, const char *what)
{
        if (!p->error && asprintf(&p->error, "query:%u:%u: expected %s", p->token.line,
                                  p->token.column, what) < 0) {
                p->error = NULL;
                p->out_of_memory = true;
        }
        return -EBADMSG;
}

static int fail_string(struct parser *p, const char *what)
{
        if (p->token.kind == TOKEN_ERROR && (*p->token.start == '\'' || *p->token.start == '"'))
                return fail_expected(p, "closing quote of the string that starts here");
        return fail_expected(p, what);
}

static int take_name(struct parser *p, struct wql_name *ret)
{
        ret->name = strndup(p->token.start, p->token.len);
        if (!ret->name)
                return -ENOMEM;
        ret->line = p->token.line;
        ret->column = p->token.column;
        next_token(p);
        return 0;
}

static int unescape_string(const struct token *t, char **ret)
{
        char *out = malloc(t->len), *o = out;

        if (!out)
                return -ENOMEM;
        /* the quotes at both ends stay out */
        for (size_t i = 1; i + 1 < t->len; i++) {
                char c = t->start[i];
                if (c == '\\' && i + 2 < t->len) {
                        c = t->start[++i];
                        if (c == 'n')
                                c = '\n';
                        else if (c == 't')
                                c = '\t';
                }
                *o++ = c;
        }
        *o = '\0';
        *ret = out;
        return 0;
}

static int parse_number(struct parser *p, bool negative, struct wql_literal *lit)
{
        char *text, *end;

        text = strndup(p->token.start, p->token.len);
        if (!text)
                return -ENOMEM;
        lit->text = text;
        errno = 0;
        if (strpbrk(text, ".eE") && !(text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))) {
                lit->kind = WQL_LITERAL_REAL;
                lit->real = strtod(text, &end);
                if (negative)
                        lit->real = -lit->real;
        } else {
                lit->kind = WQL_LITERAL_INTEGER;
                lit->magnitude = strtoull(text, &end, 0);
                if (errno == ERANGE)
                        return fail_expected(p, "a number that fits in 64 bits");
                lit->negative = negative && lit->magnitude != 0;
                lit->real = negative ? -(double)lit->magnitude : (double)lit->magnitude;
                if (lit->negative && lit->magnitude > (uint64_t)INT64_MAX + 1)
                        return fail_expected(p, "a number that fits in 64 bits");
        }
        if (negative) {
                /* keep the sign in the text: a string key compared with -1 reads "-1" */
                char *signed_text;
                if (asprintf(&signed_text, "-%s", text) < 0)
                        return -ENOMEM;
                free(lit->text);
                lit->text = signed_text;
        }
        next_token(p);
        return 0;
}

/* A literal at the current token; *ret_found false (nothing consumed) if it is none. */
static int parse_literal(struct parser *p, struct wql_literal *lit, bool *ret_found)
{
        lit->line = p->token.line;
        lit->column = p->token.column;
        *ret_found = true;

        if (p->token.kind == TOKEN_STRING) {
                lit->kind = WQL_LITERAL_STRING;
                if (unescape_string(&p->token, &lit->text) < 0)
                        return -ENOMEM;
                next_token(p);
                return 0;
        }
        if (p->token.kind == TOKEN_NUMBER)
                return parse_number(p, false, lit);
        if (p->token.kind == TOKEN_MINUS) {
                next_token(p);
                if (p->token.kind != TOKEN_NUMBER)
                        return fail_expected(p, "number after -");
                return parse_number(p, true, lit);
        }
        if (token_is_keyword(&p->token, "NULL")) {
                lit->kind = WQL_LITERAL_NULL;
        } else if (token_is_keyword(&p->token, "TRUE") || token_is_keyword(&p->token, "FALSE")) {
                lit->kind = WQL_LITERAL_BOOLEAN;
                lit->boolean = token_is_keyword(&p->token, "TRUE");
        } else {
                *ret_found = false;
                return 0;
        }
        next_token(p);
        return 0;
}

static struct wql_node *node_new(enum wql_node_kind kind)
{
        struct wql_node *node = calloc(1, sizeof(*node));
        if (node)
                node->kind = kind;
        return node;
}

static void node_free(struct wql_node *node)
{
        if (!node)
                return;
        node_free(node->left);
        node_free(node->right);
        free(node->property.name);
        free(node->literal.text);
        free(node);
}

static int parse_expr(struct parser *p, struct wql_node **ret);

/* What follows a property name: an operator and a literal, IS [NOT] NULL, [NOT] LIKE, ISA. */
static int parse_condition_tail(struct parser *p, struct wql_node *node)
{
        bool found;
        int r;

        if (p->token.kind == TOKEN_OP) {
                node->kind = WQL_NODE_COMPARE;
                node->op = p->token.op;
                next_token(p);
                r = parse_literal(p, &node->literal, &found);
                if (r < 0)
                        return r;
                if (!found)
                        return fail_string(p, "string, number, TRUE, FALSE or NULL");
                return 0;
        }
        if (token_is_keyword(&p->token, "IS")) {
                node->kind = WQL_NODE_IS_NULL;
                next_token(p);
                if (token_is_keyword(&p->token, "NOT")) {
                        node->negated = true;
                        next_token(p);
                        if (!token_is_keyword(&p->token, "NULL"))
                                return fail_expected(p, "NULL");
                } else if (!token_is_keyword(&p->token, "NULL")) {
                        return fail_expected(p, "NULL or NOT NULL");
                }
                next_token(p);
                return 0;
        }
        if (token_is_keyword(&p->token, "NOT")) {
                node->negated = true;
                next_token(p);
                if (!token_is_keyword(&p->token, "LIKE"))
                        return fail_expected(p, "LIKE");
        }
        if (token_is_keyword(&p->token, "LIKE")) {
                node->kind = WQL_NODE_LIKE;
                next_token(p);
                node->literal.line = p->token.line;
                node->literal.column = p->token.column;
                if (p->token.kind != TOKEN_STRING)
                        return fail_string(p, "string pattern");
                node->literal.kind = WQL_LITERAL_STRING;
                if (unescape_string(&p->token, &node->literal.text) < 0)
                        return -ENOMEM;
                next_token(p);
                return 0;
        }
        if (token_is_keyword(&p->token, "ISA")) {
                node->kind = WQL_NODE_ISA;
                next_token(p);
                node->literal.line = p->token.line;
                node->literal.column = p->token.column;
                node->literal.kind = WQL_LITERAL_STRING;
                if (p->token.kind == TOKEN_STRING) {
                        if (unescape_string(&p->token, &node->literal.text) < 0)
                                return -ENOMEM;
                } else if (p->token.kind == TOKEN_NAME && !token_is_reserved(&p->token)) {
                        node->literal.text = strndup(p->token.start, p->token.len);
                        if (!node->literal.text)
                                return -ENOMEM;
                } else {
                        return fail_string(p, "class name");
                }
                next_token(p);
                return 0;
        }
        return fail_expected(p, "comparison operator, LIKE, IS or ISA");
}

static int parse_condition(struct parser *p, struct wql_node **ret)
{
        struct wql_node *node;
        bool found;
        int r;

        if (++p->conditions > MAX_CONDITIONS)
                return fail_expected(p, "fewer conditions (at most 1024)");
        node = node_new(WQL_NODE_COMPARE);
        if (!node)
                return -ENOMEM;
        if (p->token.kind == TOKEN_NAME && !token_is_reserved(&p->token)) {
                r = take_name(p, &node->property);
                if (r >= 0)
                        r = parse_condition_tail(p, node);
        } else {
                /* a literal on the left: 'sda' = DeviceID */
                r = parse_literal(p, &node->literal, &found);
                if (r >= 0 && !found)
                        r = fail_string(p, "property name, literal, NOT or (");
                if (r >= 0 && p->token.kind != TOKEN_OP)
                        r = fail_expected(p, "comparison operator");
                if (r >= 0) {
                        node->op = wql_op_mirror(p->token.op);
                        next_token(p);
                        if (p->token.kind != TOKEN_NAME || token_is_reserved(&p->token))
                                r = fail_expected(p, "property name");
                        else
                                r = take_name(p, &node->property);
                }
        }
        if (r < 0) {
                node_free(node);
                return r;
        }
        *ret = node;
        return 0;
}

static int parse_not(struct parser *p, struct wql_node **ret)
{
        int r;

        if (++p->depth > MAX_DEPTH) {
                p->depth--;
                return fail_expected(p, "fewer nested parentheses and NOTs");
        }
        if (token_is_keyword(&p->token, "NOT")) {
                struct wql_node *node = node_new(WQL_NODE_NOT);
                if (!node) {
                        r = -ENOMEM;
                } else {
                        next_token(p);
                        r = parse_not(p, &node->left);
                        if (r < 0)
                                node_free(node);
                        else
                                *ret = node;
                }
        } else if (p->token.kind == TOKEN_LPAREN) {
                struct wql_node *inner = NULL;

                next_token(p);
                r = parse_expr(p, &inner);
                if (r >= 0 && p->token.kind != TOKEN_RPAREN) {
                        node_free(inner);
                        r = fail_expected(p, "AND, OR or )");
                }
                /* *ret only on success: the callers free what they hold when we fail. */
                if (r >= 0) {
                        next_token(p);
                        *ret = inner;
                }
        } else {
                r = parse_condition(p, ret);
        }
        p->depth--;
        return r;
}

/* One level of the AND/OR ladder: operand { KEYWORD operand }. */
static int parse_binary(struct parser *p, const char *keyword, enum wql_node_kind kind,
                        int (*operand)(struct parser *, struct wql_node **), struct wql_node **ret)
{
        struct wql_node *left;
        int r;

        r = operand(p, &left);
        if (r < 0)
                return r;
        while (token_is_keyword(&p->token, keyword)) {
                struct wql_node *node = node_new(kind);
                if (!node) {
                        node_free(left);
                        return -ENOMEM;
                }
                next_token(p);
                node->left = left;
                r = operand(p, &node->right);
                if (r < 0) {
                        node_free(node);
                        return r;
                }
                left = node;
        }
        *ret = left;
        return 0;
}

static int parse_and(struct parser *p, struct wql_node **ret)
{
        return parse_binary(p, "AND", WQL_NODE_AND, parse_not, ret);
}

static int parse_expr(struct parser *p, struct wql_node **ret)
{
        return parse_binary(p, "OR", WQL_NODE_OR, parse_and, ret);
}

static int parse_select_list(struct parser *p, struct wql_query *q)
{
        if (p->token.kind == TOKEN_STAR) {
                q->select_all = true;
                next_token(p);
                return 0;
        }
        for (;;) {
                if (p->token.kind != TOKEN_NAME || token_is_reserved(&p->token))
                        return fail_expected(p, q->n_select == 0 ? "property name or *"
                                                                 : "property name");
                struct wql_name *names = realloc(q->select, (q->n_select + 1) * sizeof(*names));
                if (!names)
                        return -ENOMEM;
                q->select = names;
                if (take_name(p, &q->select[q->n_select]) < 0)
                        return -ENOMEM;
                q->n_select++;
                if (p->token.kind != TOKEN_COMMA)
                        return 0;
                next_token(p);
        }
}

static int parse_query(struct parser *p, struct wql_query *q)
{
        int r;

        if (!token_is_keyword(&p->token, "SELECT"))
                return fail_expected(p, "SELECT");
        next_token(p);
        r = parse_select_list(p, q);
        if (r < 0)
                return r;
        if (!token_is_keyword(&p->token, "FROM"))
                return fail_expected(p, q->select_all ? "FROM" : ", or FROM");
        next_token(p);
        if (p->token.kind != TOKEN_NAME || token_is_reserved(&p->token))
                return fail_expected(p, "class name");
        r = take_name(p, &q->class_name);
        if (r < 0)
                return r;
        if (token_is_keyword(&p->token, "WHERE")) {
                next_token(p);
                r = parse_expr(p, &q->where);
                if (r < 0)
                        return r;
                if (p->token.kind != TOKEN_END)
                        return fail_expected(p, "AND, OR or end of query");
        } else if (p->token.kind != TOKEN_END) {
                return fail_expected(p, "WHERE or end of query");
        }
        return 0;
}

/* ---- ASSOCIATORS OF / REFERENCES OF ----------------------------------------------------- */

static int parse_association_query(struct parser *p, struct wql_query *q);

static bool is_association_statement(const struct parser *p)
{
        return token_is_keyword(&p->token, "ASSOCIATORS") ||
               token_is_keyword(&p->token, "REFERENCES");
}

int wql_parse(const char *text, struct wql_query **ret, char **ret_error)
{
        struct parser p = { .text = text, .pos = text, .line = 1, .line_start = text };
        struct wql_query *q;
        int r;

        q = calloc(1, sizeof(*q));
        if (!q)
                return -ENOMEM;
        next_token(&p);
        r = is_association_statement(&p) ? parse_association_query(&p, q) : parse_query(&p, q);
        if (r >= 0) {
                *ret = q;
                return 0;
        }
        wql_query_free(q);
        if (p.out_of_memory)
                r = -ENOMEM;
        if (r == -EBADMSG && ret_error) {
                *ret_error = p.error;
                p.error = NULL;
        }
        free(p.error);
        return r;
}

static void association_free(struct wql_association *a)
{
        if (!a)
                return;
        free(a->path.name);
        free(a->assoc_class.name);
        free(a->result_class.name);
        free(a->role.name);
        free(a->result_role.name);
        free(a->required_qualifier.name);
        free(a->required_assoc_qualifier.name);
        free(a->keys_only.name);
        free(a->class_defs_only.name);
        free(a->schema_only.name);
        free(a);
}

void wql_query_free(struct wql_query *query)
{
        if (!query)
                return;
        association_free(query->association);
        for (size_t i = 0; i < query->n_select; i++)
                free(query->select[i].name);
        free(query->select);
        free(query->class_name.name);
        node_free(query->where);
        free(query);
}

/* The keywords of an association query's WHERE: whether they take "= name", and whether
 * REFERENCES OF has them too. */
static const struct association_keyword {
        const char *keyword;
        size_t offset; /* of its struct wql_name in struct wql_association */
        const char *value;  /* what follows '=', or NULL: a keyword alone */
        bool references_too;
} association_keywords[] = {
        { "AssocClass", offsetof(struct wql_association, assoc_class), "class name", false },
        { "ResultClass", offsetof(struct wql_association, result_class), "class name", true },
        { "Role", offsetof(struct wql_association, role), "property name", true },
        { "ResultRole", offsetof(struct wql_association, result_role), "property name", false },
        { "RequiredQualifier", offsetof(struct wql_association, required_qualifier),
          "qualifier name", true },
        { "RequiredAssocQualifier", offsetof(struct wql_association, required_assoc_qualifier),
          "qualifier name", false },
        { "KeysOnly", offsetof(struct wql_association, keys_only), NULL, true },
        { "ClassDefsOnly", offsetof(struct wql_association, class_defs_only), NULL, true },
        { "SchemaOnly", offsetof(struct wql_association, schema_only), NULL, true },
};

/* "query:LINE:COL: KEYWORD is given twice" at the current token, the first error only. */
static int fail_given_twice(struct parser *p, const char *keyword)
{
        if (!p->error && asprintf(&p->error, "query:%u:%u: %s is given twice", p->token.line,
                                  p->token.column, keyword) < 0) {
                p->error = NULL;
                p->out_of_memory = true;
        }
        return -EBADMSG;
}

/* '{' path '}' at the current token: the raw text between, blanks around it cut. A '}' inside
 * a double-quoted key value (with \" escapes) belongs to the path. */
static int parse_braced_path(struct parser *p, struct wql_name *ret)
{
        const char *s, *start, *end;
        unsigned line, column;
        bool quoted = false;

        if (p->token.kind != TOKEN_ERROR || *p->token.start != '{')
                return fail_expected(p, "{ and an object path");
        line = p->token.line;
        column = p->token.column;
        for (s = p->token.start + 1; *s && (quoted || *s != '}'); s++) {
                if (*s == '\\' && quoted && s[1])
                        s++;
                else if (*s == '"')
                        quoted = !quoted;
                if (*s == '\n') {
                        p->line++;
                        p->line_start = s + 1;
                }
        }
        if (!*s) {
                p->token.line = line;
                p->token.column = column;
                return fail_expected(p, "} closing the object path that starts here");
        }
        start = p->token.start + 1;
        end = s;
        while (start < end && (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n'))
                start++;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
                               end[-1] == '\n'))
                end--;
        if (start == end) {
                p->token.column = column + 1;
                return fail_expected(p, "an object path between the braces");
        }
        ret->name = strndup(start, (size_t)(end - start));
        if (!ret->name)
                return -ENOMEM;
        /* Where the path starts, for the errors the glue finds in it. */
        ret->line = line;
        ret->column = column + 1;
        for (const char *c = p->token.start + 1; c < start; c++) {
                if (*c == '\n') {
                        ret->line++;
                        ret->column = 1;
                } else
                        ret->column++;
        }
        p->pos = s + 1;
        next_token(p);
        return 0;
}

static int parse_association_item(struct parser *p, struct wql_association *a, bool first)
{
        bool references = a->kind == WQL_REFERENCES_OF;
        const struct association_keyword *k = NULL;
        struct wql_name *field;

        for (size_t i = 0; i < sizeof(association_keywords) / sizeof(association_keywords[0]); i++)
                if (token_is_keyword(&p->token, association_keywords[i].keyword) &&
                    (!references || association_keywords[i].references_too))
                        k = &association_keywords[i];
        if (!k) {
                const char *expected = references
                        ? "ResultClass, Role, RequiredQualifier, KeysOnly, ClassDefsOnly or "
                          "SchemaOnly"
                        : "AssocClass, ResultClass, Role, ResultRole, RequiredQualifier, "
                          "RequiredAssocQualifier, KeysOnly, ClassDefsOnly or SchemaOnly";
                char *what;
                int r;

                if (asprintf(&what, "%s%s", expected, first ? "" : ", or end of query") < 0)
                        return -ENOMEM;
                r = fail_expected(p, what);
                free(what);
                return r;
        }
        field = (struct wql_name *)((char *)a + k->offset);
        if (field->name)
                return fail_given_twice(p, k->keyword);
        if (!k->value)
                return take_name(p, field);
        next_token(p);
        if (p->token.kind != TOKEN_OP || p->token.op != WQL_OP_EQ)
                return fail_expected(p, "=");
        next_token(p);
        if (p->token.kind != TOKEN_NAME)
                return fail_expected(p, k->value);
        return take_name(p, field);
}

/* ASSOCIATORS OF {path} [WHERE ...] and REFERENCES OF {path} [WHERE ...]: new top-level
 * statements beside SELECT, which they share nothing with but the lexer. */
static int parse_association_query(struct parser *p, struct wql_query *q)
{
        struct wql_association *a = calloc(1, sizeof(*a));
        int r;

        if (!a)
                return -ENOMEM;
        q->association = a;
        q->select_all = true;
        a->kind = token_is_keyword(&p->token, "REFERENCES") ? WQL_REFERENCES_OF
                                                             : WQL_ASSOCIATORS_OF;
        next_token(p);
        if (!token_is_keyword(&p->token, "OF"))
                return fail_expected(p, "OF");
        next_token(p);
        r = parse_braced_path(p, &a->path);
        if (r < 0)
                return r;
        if (token_is_keyword(&p->token, "WHERE")) {
                next_token(p);
                for (bool first = true; p->token.kind != TOKEN_END || first; first = false) {
                        r = parse_association_item(p, a, first);
                        if (r < 0)
                                return r;
                }
        } else if (p->token.kind != TOKEN_END) {
                return fail_expected(p, "WHERE or end of query");
        }
        return 0;
}

/* ---- LIKE ------------------------------------------------------------------------------ */

/* Decode one UTF-8 code point (stored strings are valid UTF-8; a stray byte counts as one). */
static const char *utf8_next(const char *s, uint32_t *ret)
{
        const unsigned char *u = (const unsigned char *)s;
        int extra = u[0] >= 0xf0 ? 3 : u[0] >= 0xe0 ? 2 : u[0] >= 0xc0 ? 1 : 0;
        uint32_t c = extra ? u[0] & (0x3f >> extra) : u[0];

        for (int i = 1; i <= extra; i++) {
                if ((u[i] & 0xc0) != 0x80) {
                        *ret = u[0];
                        return s + 1;
                }
                c = (c << 6) | (u[i] & 0x3f);
        }
        *ret = c;
        return s + 1 + extra;
}

static uint32_t fold(uint32_t c)
{
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Match one character against "[...]" at pattern; *ret_end is past the ']'. A '[' without its
 * ']' is a literal '['. */
static bool match_set(const char *pattern, uint32_t c, const char **ret_end)
{
        const char *s = pattern + 1;
        bool negate = false, match = false;

        if (*s == '^') {
                negate = true;
                s++;
        }
        /* a ']' right after '[' or '[^' belongs to the set */
        for (bool first = true; *s && (first || *s != ']'); first = false) {
                uint32_t lo, hi;
                s = utf8_next(s, &lo);
                hi = lo;
                if (s[0] == '-' && s[1] && s[1] != ']')
                        s = utf8_next(s + 1, &hi);
                if (fold(c) >= fold(lo) && fold(c) <= fold(hi))
                        match = true;
                else if (c >= lo && c <= hi)
                        match = true;
        }
        if (*s != ']') {
                *ret_end = pattern + 1;
                return c == '[';
        }
        *ret_end = s + 1;
        return match != negate;
}

bool wql_like(const char *text, const char *pattern)
{
        /* Iterative with one backtrack point per '%': linear in practice, never exponential. */
        const char *star_pattern = NULL, *star_text = NULL;

        for (;;) {
                if (*pattern == '%') {
                        while (*pattern == '%')
                                pattern++;
                        if (!*pattern)
                                return true;
                        star_pattern = pattern;
                        star_text = text;
                        continue;
                }
                if (*text) {
                        uint32_t c, pc;
                        const char *next_text = utf8_next(text, &c), *next_pattern;
                        bool ok;

                        if (*pattern == '_') {
                                ok = true;
                                next_pattern = pattern + 1;
                        } else if (*pattern == '[') {
                                ok = match_set(pattern, c, &next_pattern);
                        } else if (*pattern) {
                                next_pattern = utf8_next(pattern, &pc);
                                ok = fold(pc) == fold(c);
                        } else {
                                ok = false;
                                next_pattern = pattern;
                        }
                        if (ok) {
                                text = next_text;
                                pattern = next_pattern;
                                continue;
                        }
                } else if (!*pattern) {
                        return true;
                }
                if (!star_pattern || !*star_text)
                        return false;
                /* let the last % swallow one more character and retry */
                uint32_t skipped;
                star_text = utf8_next(star_text, &skipped);
                text = star_text;
                pattern = star_pattern;
        }
}
