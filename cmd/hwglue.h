/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The hwglue command: options, exit codes and the subcommands, shared by the files of cmd/. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libglue.h"

/* Exit codes, documented in hwglue(1). */
enum {
        EXIT_FOUND = 0,      /* something was found (or the schema command succeeded) */
        EXIT_NONE_FOUND = 1, /* the request succeeded and found nothing */
        EXIT_PARTIAL = 2,    /* some providers failed or timed out; the others' results shown */
        EXIT_USAGE = 3,      /* bad option, argument, query, class or property name */
        EXIT_ERROR = 4,      /* anything else: out of memory, unwritable output */
};

enum output_mode {
        OUTPUT_TABLE,
        OUTPUT_JSON,
        OUTPUT_JSONL,
        OUTPUT_PAIRS,
};

struct options {
        enum output_mode mode;
        bool bytes;
        bool shallow;
        bool keys_only;
        bool tree;
        int verbose;
        const char *sysroot;
        const char *name_space;
        uint64_t timeout_usec;
        char **properties; /* -p, split at commas */
        size_t n_properties;
        /* the subcommand's arguments, after the subcommand name */
        char **args;
        size_t n_args;
        /* the whole command line, for the JSON header */
        char **argv;
        int argc;
};

/* How tests plug in their own schema and providers (the built-in ones otherwise). */
struct hwglue_setup {
        int (*make_context)(struct glue_context **ret);
};

int hwglue_main(int argc, char **argv, const struct hwglue_setup *setup);

struct output;

/* Subcommands: each returns an exit code and reports its own errors on stderr (and in JSON). */
int command_classes(struct glue_context *ctx, const struct options *opts, struct output *out);
int command_describe(struct glue_context *ctx, const struct options *opts, struct output *out);
int command_enum(struct glue_context *ctx, const struct options *opts, struct output *out);
int command_get(struct glue_context *ctx, const struct options *opts, struct output *out);
int command_query(struct glue_context *ctx, const struct options *opts, struct output *out);
int command_inventory(struct glue_context *ctx, const struct options *opts, struct output *out);
