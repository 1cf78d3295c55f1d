/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The expressions of sensors.conf `compute` statements, evaluated as libsensors 3.6 evaluates
 * them (lib/access.c): in doubles, both operands of an operator first, `@` the raw value, a name
 * the value of that subfeature of the same chip (its own compute statement applied), `^` e to
 * the power, "`" the natural logarithm. Division by zero and the logarithm of a negative number
 * are errors (-EDOM), as libsensors' SENSORS_ERR_DIV_ZERO.
 */
#pragma once

enum sensors_expr_kind {
        SENSORS_EXPR_VALUE,     /* a number */
        SENSORS_EXPR_SOURCE,    /* @ */
        SENSORS_EXPR_VARIABLE,  /* another subfeature, by name */
        SENSORS_EXPR_ADD,
        SENSORS_EXPR_SUBTRACT,
        SENSORS_EXPR_MULTIPLY,
        SENSORS_EXPR_DIVIDE,
        SENSORS_EXPR_NEGATE,
        SENSORS_EXPR_EXP,
        SENSORS_EXPR_LOG,
};

struct sensors_expr {
        enum sensors_expr_kind kind;
        double value;
        char *variable;                 /* owned */
        struct sensors_expr *a, *b;     /* owned; b NULL for the unary ones */
};

struct sensors_expr *sensors_expr_new(enum sensors_expr_kind kind);
void sensors_expr_free(struct sensors_expr *expr);

/* The value of a named subfeature: 0, or a negative errno. */
typedef int (*sensors_expr_variable_fn)(void *userdata, const char *name, double *ret);

/* Evaluate with `@` = source. Returns 0, -EDOM, or what variable() returned. */
int sensors_expr_eval(const struct sensors_expr *expr, double source,
                      sensors_expr_variable_fn variable, void *userdata, double *ret);
