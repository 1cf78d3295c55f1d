/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The schema and providers every context starts with (unless GLUE_CONTEXT_EMPTY). */
#include <errno.h>
#include <stdlib.h>

#include "glue-private.h"
#include "providers.h"
#include "schema-embedded.h"

static const struct glue_provider_ops *const builtin_providers[] = {
        &glue_provider_block,
        &glue_provider_filesystem,
        &glue_provider_pci,
        &glue_provider_sensors,
};

int context_load_builtin(struct glue_context *ctx)
{
        int r;

        for (const struct embedded_mof *m = glue_embedded_schema; m->name; m++) {
                char *error = NULL;

                r = glue_context_load_mof(ctx, m->name, m->text, &error);
                if (r < 0) {
                        /* The built-in schema is tested at build time; this is a packaging bug. */
                        log_err(ctx, "built-in schema: %s", error ? error : glue_strerror(r));
                        free(error);
                        return r;
                }
        }
        for (size_t i = 0; i < sizeof(builtin_providers) / sizeof(builtin_providers[0]); i++) {
                r = glue_context_register_provider(ctx, builtin_providers[i]);
                /* A provider whose library cannot start (no libsensors config, say) leaves its
                 * classes without a provider: their enumerations report it, others go on. */
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}
