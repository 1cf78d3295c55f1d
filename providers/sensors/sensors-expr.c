/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "sensors-expr.h"

struct sensors_expr *sensors_expr_new(enum sensors_expr_kind kind)
{
        struct sensors_expr *expr = calloc(1, sizeof(*expr));

        if (expr)
                expr->kind = kind;
        return expr;
}

void sensors_expr_free(struct sensors_expr *expr)
{
        if (!expr)
                return;
        sensors_expr_free(expr->a);
        sensors_expr_free(expr->b);
        free(expr->variable);
        free(expr);
}

int sensors_expr_eval(const struct sensors_expr *expr, double source,
                      sensors_expr_variable_fn variable, void *userdata, double *ret)
{
        double a = 0, b = 0;
        int r;

        switch (expr->kind) {
        case SENSORS_EXPR_VALUE:
                *ret = expr->value;
                return 0;
        case SENSORS_EXPR_SOURCE:
                *ret = source;
                return 0;
        case SENSORS_EXPR_VARIABLE:
                return variable(userdata, expr->variable, ret);
        default:
                break;
        }
        r = sensors_expr_eval(expr->a, source, variable, userdata, &a);
        if (r == 0 && expr->b)
                r = sensors_expr_eval(expr->b, source, variable, userdata, &b);
        if (r < 0)
                return r;
        switch (expr->kind) {
        case SENSORS_EXPR_ADD:
                *ret = a + b;
                return 0;
        case SENSORS_EXPR_SUBTRACT:
                *ret = a - b;
                return 0;
        case SENSORS_EXPR_MULTIPLY:
                *ret = a * b;
                return 0;
        case SENSORS_EXPR_DIVIDE:
                if (b == 0.0)
                        return -EDOM;
                *ret = a / b;
                return 0;
        case SENSORS_EXPR_NEGATE:
                *ret = -a;
                return 0;
        case SENSORS_EXPR_EXP:
                *ret = exp(a);
                return 0;
        case SENSORS_EXPR_LOG:
                if (a < 0.0)
                        return -EDOM;
                *ret = log(a);
                return 0;
        default:
                return 0;
        }
}
