/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The schema and providers every context starts with (unless GLUE_CONTEXT_EMPTY). */
#include <errno.h>

#include "glue-private.h"
#include "providers.h"
#include "schema-compiled.h"

static const struct glue_provider_ops *const builtin_providers[] = {
        &glue_provider_block,
        &glue_provider_filesystem,
        &glue_provider_pci,
        &glue_provider_sensors,
};

int context_load_builtin(struct glue_context *ctx)
{
        int r;

        /* The schema as the build compiled it: no MOF is read at run time. */
        r = context_adopt_compiled(ctx, &glue_builtin_schema);
        if (r < 0)
                return r;
        for (size_t i = 0; i < sizeof(builtin_providers) / sizeof(builtin_providers[0]); i++) {
                /* Registration sets nothing up: a provider starts at its first use, and a
                 * start that fails is reported by the requests that needed it (context.c). */
                r = glue_context_register_provider(ctx, builtin_providers[i]);
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}
