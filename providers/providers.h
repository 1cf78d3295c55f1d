/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The built-in provider tables, registered by every context made without GLUE_CONTEXT_EMPTY. */
#pragma once

#include "libglue.h"

extern const struct glue_provider_ops glue_provider_block;
extern const struct glue_provider_ops glue_provider_filesystem;
extern const struct glue_provider_ops glue_provider_pci;
extern const struct glue_provider_ops glue_provider_sensors;
