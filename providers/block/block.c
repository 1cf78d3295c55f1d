/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: the block provider is built in its own issue. It serves no class yet. */
#include <errno.h>

#include "providers.h"

static int block_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        return -EOPNOTSUPP;
}

const struct glue_provider_ops glue_provider_block = {
        .name = "block",
        .enumerate = block_enumerate,
};
