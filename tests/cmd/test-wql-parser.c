/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The WQL parser on its own: trees, error positions and expectations, LIKE. */
#include <errno.h>
#include <stdlib.h>

#include "query-parser.h"
#include "test-util.h"

static struct wql_query *parse_ok(const char *text)
{
        struct wql_query *q = NULL;
        char *error = NULL;
        int r = wql_parse(text, &q, &error);

        if (r < 0)
                fprintf(stderr, "unexpected error for <%s>: %d %s\n", text, r, error);
        check_int_eq(r, 0);
        free(error);
        return q;
}

/* The error message for text, which must fail with -EBADMSG. */
static void check_error(const char *text, const char *expected)
{
        struct wql_query *q = NULL;
        char *error = NULL;
        int r = wql_parse(text, &q, &error);

        check_int_eq(r, -EBADMSG);
        check(q == NULL);
        check_str_eq(error, expected);
        free(error);
}

static void test_select_list(void)
{
        struct wql_query *q = parse_ok("SELECT DeviceID, Size FROM Linux_DiskDrive");

        check(q && !q->select_all);
        check_int_eq(q->n_select, 2);
        check_str_eq(q->select[0].name, "DeviceID");
        check_str_eq(q->select[1].name, "Size");
        check_int_eq(q->select[1].column, 18);
        check_str_eq(q->class_name.name, "Linux_DiskDrive");
        check(q->where == NULL);
        wql_query_free(q);

        q = parse_ok("  select * from X");
        check(q && q->select_all && q->n_select == 0);
        check_str_eq(q->class_name.name, "X");
        wql_query_free(q);
}

static void test_precedence(void)
{
        /* NOT binds tighter than AND, AND tighter than OR */
        struct wql_query *q = parse_ok("SELECT * FROM X WHERE a = 1 OR NOT b = 2 AND c = 3");
        struct wql_node *w = q->where;

        check_int_eq(w->kind, WQL_NODE_OR);
        check_int_eq(w->left->kind, WQL_NODE_COMPARE);
        check_int_eq(w->right->kind, WQL_NODE_AND);
        check_int_eq(w->right->left->kind, WQL_NODE_NOT);
        check_str_eq(w->right->right->property.name, "c");
        wql_query_free(q);

        q = parse_ok("SELECT * FROM X WHERE (a = 1 OR b = 2) AND c = 3");
        check_int_eq(q->where->kind, WQL_NODE_AND);
        check_int_eq(q->where->left->kind, WQL_NODE_OR);
        wql_query_free(q);
}

static void test_conditions(void)
{
        struct wql_query *q = parse_ok(
                "SELECT * FROM X WHERE 10 < Size AND Name LIKE 'sd%' AND Model IS NOT NULL "
                "AND Serial is null AND __CLASS ISA 'Base' AND Kind ISA Other AND t = TRUE "
                "AND o = -5 AND r >= 1.5e3 AND h = 0x10 AND s <> \"a\\\"b\" AND n != NULL "
                "AND Name NOT LIKE '%x'");
        struct wql_node *n[13];
        struct wql_node *w = q->where;

        for (int i = 12; i >= 0; i--) {
                if (i > 0) {
                        check_int_eq(w->kind, WQL_NODE_AND);
                        n[i] = w->right;
                        w = w->left;
                } else {
                        n[0] = w;
                }
        }
        /* 10 < Size is Size > 10 */
        check_int_eq(n[0]->kind, WQL_NODE_COMPARE);
        check_str_eq(n[0]->property.name, "Size");
        check_int_eq(n[0]->op, WQL_OP_GT);
        check_int_eq(n[0]->literal.magnitude, 10);
        check_int_eq(n[1]->kind, WQL_NODE_LIKE);
        check_str_eq(n[1]->literal.text, "sd%");
        check(!n[1]->negated);
        check(n[2]->kind == WQL_NODE_IS_NULL && n[2]->negated);
        check(n[3]->kind == WQL_NODE_IS_NULL && !n[3]->negated);
        check(n[4]->kind == WQL_NODE_ISA);
        check_str_eq(n[4]->property.name, "__CLASS");
        check_str_eq(n[4]->literal.text, "Base");
        check_str_eq(n[5]->literal.text, "Other");
        check(n[6]->literal.kind == WQL_LITERAL_BOOLEAN && n[6]->literal.boolean);
        check(n[7]->literal.kind == WQL_LITERAL_INTEGER && n[7]->literal.negative);
        check_int_eq(n[7]->literal.magnitude, 5);
        check_str_eq(n[7]->literal.text, "-5");
        check(n[8]->literal.kind == WQL_LITERAL_REAL && n[8]->literal.real == 1500.0);
        check_int_eq(n[9]->literal.magnitude, 16);
        check_int_eq(n[10]->op, WQL_OP_NE);
        check_str_eq(n[10]->literal.text, "a\"b");
        check(n[11]->kind == WQL_NODE_COMPARE && n[11]->literal.kind == WQL_LITERAL_NULL);
        check(n[12]->kind == WQL_NODE_LIKE && n[12]->negated);
        wql_query_free(q);
}

static void test_errors(void)
{
        check_error("", "query:1:1: expected SELECT");
        check_error("DELETE FROM X", "query:1:1: expected SELECT");
        check_error("SELECT FROM X", "query:1:8: expected property name or *");
        check_error("SELECT a b FROM X", "query:1:10: expected , or FROM");
        check_error("SELECT a, FROM X", "query:1:11: expected property name");
        check_error("SELECT * X", "query:1:10: expected FROM");
        check_error("SELECT * FROM", "query:1:14: expected class name");
        check_error("SELECT * FROM X Y", "query:1:17: expected WHERE or end of query");
        check_error("SELECT * FROM X WHERE", "query:1:22: expected property name, literal, NOT or (");
        check_error("SELECT * FROM X WHERE a", "query:1:24: expected comparison operator, LIKE, IS or ISA");
        check_error("SELECT * FROM X WHERE a =", "query:1:26: expected string, number, TRUE, FALSE or NULL");
        check_error("SELECT * FROM X WHERE a = b", "query:1:27: expected string, number, TRUE, FALSE or NULL");
        check_error("SELECT * FROM X WHERE a = 'open", "query:1:27: expected closing quote of the string that starts here");
        check_error("SELECT * FROM X WHERE a IS 3", "query:1:28: expected NULL or NOT NULL");
        check_error("SELECT * FROM X WHERE a IS NOT 3", "query:1:32: expected NULL");
        check_error("SELECT * FROM X WHERE a LIKE 3", "query:1:30: expected string pattern");
        check_error("SELECT * FROM X WHERE a NOT = 3", "query:1:29: expected LIKE");
        check_error("SELECT * FROM X WHERE (a = 1", "query:1:29: expected AND, OR or )");
        check_error("SELECT * FROM X WHERE a = 1 b = 2", "query:1:29: expected AND, OR or end of query");
        check_error("SELECT * FROM X WHERE 1 = 2", "query:1:27: expected property name");
        check_error("SELECT * FROM X WHERE 'a' IS NULL", "query:1:27: expected comparison operator");
        check_error("SELECT * FROM X WHERE a = 12abc", "query:1:27: expected string, number, TRUE, FALSE or NULL");
        check_error("SELECT * FROM X WHERE a = 99999999999999999999", "query:1:27: expected a number that fits in 64 bits");
        check_error("SELECT * FROM X WHERE a = # ", "query:1:27: expected string, number, TRUE, FALSE or NULL");
        check_error("SELECT * FROM X WHERE a ISA", "query:1:28: expected class name");
        /* lines and columns count from 1 on each line */
        check_error("SELECT *\nFROM X\nWHERE a = = 1", "query:3:11: expected string, number, TRUE, FALSE or NULL");
        /* keywords are no property names */
        check_error("SELECT * FROM X WHERE AND = 1", "query:1:23: expected property name, literal, NOT or (");
}

static void test_depth_limit(void)
{
        char text[8192];
        size_t len = (size_t)snprintf(text, sizeof(text), "SELECT * FROM X WHERE ");
        struct wql_query *q = NULL;
        char *error = NULL;

        for (int i = 0; i < 2000; i++)
                text[len++] = '(';
        snprintf(text + len, sizeof(text) - len, "a = 1");
        check_int_eq(wql_parse(text, &q, &error), -EBADMSG);
        check(error && strstr(error, "fewer nested parentheses"));
        free(error);
}

static void test_like(void)
{
        check(wql_like("sda", "sd%"));
        check(wql_like("sda", "SD_"));
        check(!wql_like("sda1", "sd_"));
        check(wql_like("", "%"));
        check(!wql_like("", "_"));
        check(wql_like("nvme0n1", "%n1"));
        check(wql_like("nvme0n1", "nvme[0-9]n%"));
        check(!wql_like("nvmeXn1", "nvme[0-9]n%"));
        check(wql_like("sdb", "sd[^a]"));
        check(!wql_like("sda", "sd[^a]"));
        check(wql_like("50%", "50[%]"));
        check(!wql_like("500", "50[%]"));
        check(wql_like("a[b", "a[b"));   /* an unclosed [ is itself */
        check(wql_like("é1", "_1"));     /* _ is one code point, not one byte */
        check(wql_like("abcabcabd", "%abc%abd"));
        check(!wql_like("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "%a%a%a%a%a%a%a%a%b"));
}

TEST_MAIN(test_select_list, test_precedence, test_conditions, test_errors, test_depth_limit,
          test_like)
