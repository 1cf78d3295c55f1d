/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The schema/ MOF files, embedded at build time by mof2c (schema-embedded.c). */
#pragma once

struct embedded_mof {
        const char *name;
        const char *text;
};

extern const struct embedded_mof glue_embedded_schema[]; /* ends with { NULL, NULL } */
