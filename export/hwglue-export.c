/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hwglue-export: the metrics of the built-in schema and providers, as a Prometheus text file. */
#include "export.h"

static int new_builtin_context(struct glue_context **ret)
{
        return glue_context_new(0, ret);
}

int main(int argc, char **argv)
{
        return export_main(argc, argv, new_builtin_context);
}
