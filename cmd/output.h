/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where instances and messages go: a table for people (buffered, printed per group), JSON (one
 * document, written as instances arrive), JSON Lines and key="value" pairs (a line per instance,
 * flushed at once). A reader that goes away (EPIPE) stops the request quietly.
 */
#pragma once

#include <stdbool.h>

#include "hwglue.h"
#include "json.h"

/* Which properties to show for each instance. */
struct column_spec {
        /* the class asked for (enum's CLASS, get's path, query's FROM, an inventory group):
         * its DefaultColumns are the table's, and rows of another class get a CLASS column */
        const struct glue_class *cls;
        const char *const *names; /* -o/-p or SELECT list (may hold __CLASS, __PATH...) or NULL */
        size_t n_names;
        bool add;       /* names come after the default columns (-o +LIST) */
        bool all;       /* -O: every property in the table too */
        bool keys_only;
        /* the inventory: rows get a table per class that states their default columns */
        bool by_owner;
};

int output_new(const struct options *opts, struct output **ret);
void output_free(struct output *out);

/* Instance commands: open the list of instances (JSON: "instances": [). */
void output_begin_instances(struct output *out, const struct column_spec *spec);
/* Inventory: a group of instances under a heading, the class that was enumerated. */
void output_begin_group(struct output *out, const struct glue_class *cls,
                        const struct column_spec *spec);
void output_end_group(struct output *out);

/* Write (or buffer) one instance. Returns 0, or GLUE_STOP when the output is closed. */
int output_instance(struct output *out, struct glue_instance *inst);
/* A glue_instance_fn that calls output_instance with userdata as the output. */
int output_instance_fn(struct glue_instance *inst, void *userdata);
/* A glue_idle_fn: the providers pause, so push out the streamed records written so far. */
void output_idle(void *userdata);
unsigned long output_get_instance_count(const struct output *out);

/* An error ("error"), a note ("warning": on stderr only when verbose) or a notice ("notice":
 * always on stderr, as a warning in JSON): on stderr and in JSON. */
void output_message(struct output *out, const char *severity, const char *format, ...)
        __attribute__((format(printf, 3, 4)));
/* Report the providers that failed or timed out in the request's last call, and the notes of
 * the others (a provider that found nothing and says why: without -v); keep its read errors
 * for the end of the run. Returns how many failed. */
unsigned output_report_providers(struct output *out, const struct glue_request *req);

/* For the schema commands: the stream, the JSON writer (positioned inside the top-level
 * object), and the width to fit text into (0: none). */
FILE *output_file(struct output *out);
struct json *output_json(struct output *out);
size_t output_width(const struct output *out);
bool output_is_closed(const struct output *out);
/* A provider was left running past the deadline (its worker may be stuck in a read). */
bool output_left_workers(const struct output *out);

/* Finish the document (JSON: messages and exit status) and flush; put --output-file in place.
 * Returns the exit code: EXIT_ERROR if writing failed for another reason than a reader that
 * went away, EXIT_PARTIAL for unreadable attributes under --strict. */
int output_finish(struct output *out, int exit_code);

/* Formatting shared with the schema commands. */
/* A value for people: human sizes (unless bytes), Values{} names for ValueMap{} codes, units. */
char *format_cell(const struct glue_property *prop, const struct glue_value *value, bool bytes);
/* A value in base units, as text: numbers plain, booleans true/false, arrays joined by ",". */
char *format_plain(const struct glue_value *value);
/* A property's type as MOF declares it: "uint64", "string[]". */
void format_type(const struct glue_property *prop, char *buf, size_t size);
/* A qualifier as MOF writes it: Key, Units("Bytes"), ValueMap{"0", "5"}. Owned. */
char *format_qualifier(const char *name, const struct glue_value *value);
/* Write value as a double-quoted shell word that eval reads back: " \ $ ` get a backslash,
 * control bytes become \xHH (as lsblk -P writes them) so that each record stays one line. */
void write_shell_quoted(FILE *f, const char *value);
/* Write text into a line of stderr: control bytes become \xHH, so that what a tree holds (a
 * name with a newline, an escape sequence in an attribute) neither splits the line nor reaches
 * the terminal. */
void write_log_text(FILE *f, const char *text);
