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

/* With no --timeout: long enough that a healthy large machine never meets it, short enough
 * that a hung driver does not hold a script (see hwglue(1) for the reasoning). */
#define DEFAULT_TIMEOUT_USEC (30 * 1000000ull)

struct options {
        enum output_mode mode;
        bool bytes;
        bool shallow;
        bool keys_only;
        bool tree;
        int verbose;
        const char *sysroot;
        const char *name_space;
        uint64_t timeout_usec;    /* one deadline for the whole run; 0: none */
        uint64_t deadline_usec;   /* CLOCK_MONOTONIC when the run must end; 0: never */
        /* -o/--output and -p/--properties, split at commas; with columns_add (the first list
         * began with '+') they come after the class's default columns */
        char **properties;
        size_t n_properties;
        bool columns_add;
        bool all_columns;         /* -O */
        bool list_columns;        /* --list-columns */
        bool noheadings;          /* -n */
        bool raw;                 /* -r */
        size_t width;             /* -w: the table's width; 0: the terminal's, or none */
        bool no_nulls;            /* --no-nulls: machine formats leave NULL properties out */
        bool strict;              /* --strict: an unreadable attribute makes the run partial */
        const char *output_file;  /* --output-file: replaced atomically at the end */
        /* the subcommand's arguments, after the subcommand name */
        char **args;
        size_t n_args;
        /* the command line as given (getopt reorders argv), for the JSON header */
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
/* --list-columns: the columns of each class, with their descriptions. */
int command_list_columns(const struct glue_class *const *classes, size_t n_classes,
                         const struct options *opts, struct output *out);

/* Microseconds of CLOCK_MONOTONIC. */
uint64_t now_usec(void);
