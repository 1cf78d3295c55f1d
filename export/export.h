/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hwglue-export: the Prometheus text-file exporter, as a small library that the program and the
 * tests share. It uses only the public libglue API.
 *
 *   export-text.c    names (CamelCase -> snake_case), escaping, numbers without float noise
 *   export-plan.c    which classes and properties become which metric families, from the
 *                    schema's MetricPrefix, MetricName, Metric, Units and Label qualifiers
 *   export-series.c  one instance's series lines, the one place labels are built per instance
 *   export-index.c   the sort keys of a group's instances (series come sorted by device)
 *   export-spill.c   unnamed temporary files that hold the text while it is sorted and grouped
 *   export-collect.c enumerate the planned groups (in parallel, under one deadline) into spills
 *   export-format.c  write a collection as exposition text: families grouped, self-metrics
 *   export-write.c   replace a file atomically (temporary file, fsync, rename)
 *   export-main.c    the command line and the --interval loop
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "libglue.h"

/* ------------------------------------------------------------------------------------------ */
/* export-text.c */

/* A growing byte buffer. */
struct export_buffer {
        char *data;
        size_t len;
        size_t cap;
};

/* 0 or -ENOMEM. */
int export_buffer_reserve(struct export_buffer *buf, size_t more);
int export_buffer_append(struct export_buffer *buf, const void *data, size_t len);
int export_buffer_puts(struct export_buffer *buf, const char *s);
int export_buffer_printf(struct export_buffer *buf, const char *format, ...)
        __attribute__((format(printf, 2, 3)));
void export_buffer_free(struct export_buffer *buf);

/*
 * A CIM name in Prometheus snake_case: "CurrentReading" -> "current_reading", "DeviceID" ->
 * "device_id", "PCIDevice" -> "pci_device", "ReadIOs" -> "read_ios". Characters that a metric
 * or label name cannot hold become '_'. Owned; NULL on ENOMEM. Used for property names, and for
 * the class names of a schema that does not name its metrics (MetricPrefix): the built-in
 * schema names every exported class.
 */
char *export_snake_case(const char *name);
/* A class name without its schema prefix ("Linux_", "CIM_"), in snake_case. Owned. */
char *export_class_snake_name(const char *class_name);
/* Is s a name the schema may give a metric or label part: [a-z][a-z0-9_]*, or "" if
 * allow_empty? */
bool export_is_name_part(const char *s, bool allow_empty);

/*
 * The shortest decimal text that reads back (strtod) as exactly value: 84.85 stays "84.85",
 * never "84.85000000000001"; NaN and infinities as the exposition format spells them.
 * as_float: the value came from a real32 property, so the shortest text that reads back as the
 * same float suffices ("1.2", not "1.2000000476837158"). buf holds at least 32 bytes.
 */
void export_format_double(double value, bool as_float, char *buf, size_t size);

/*
 * s as a label value (without the quotes): backslash, double quote and newline escaped as the
 * exposition format wants (\\, \", \n); every other control character (U+0000-U+001F, U+007F,
 * U+0080-U+009F) written as the text \xHH of its code point, so that the file is safe to print
 * on a terminal; bytes that are not UTF-8 replaced by U+FFFD. The raw value stays available
 * through `hwglue get`. 0 or -ENOMEM.
 */
int export_buffer_put_label_value(struct export_buffer *buf, const char *s);
/* The same as HELP text: backslash and newline escaped, quotes kept, controls as \xHH. */
int export_buffer_put_help_text(struct export_buffer *buf, const char *s);
void export_write_label_value(FILE *out, const char *s);
void export_write_help_text(FILE *out, const char *s);
/* Write s into a line of stderr: control bytes as \xHH, so that what a tree holds neither
 * splits the line nor reaches the terminal (or makes journald keep the line as a blob). */
void export_write_log_text(FILE *out, const char *s);
/* One warning line on stderr, "hwglue-export: " and the text, written whole even when several
 * threads warn at once; the caller escapes what came from a tree. */
void export_warn(const char *format, ...) __attribute__((format(printf, 1, 2)));
/* The same with text from a tree (escaped) between prefix and suffix. */
void export_warn_text(const char *prefix, const char *text, const char *suffix);

/* ------------------------------------------------------------------------------------------ */
/* export-plan.c */

enum export_metric_type {
        EXPORT_GAUGE,
        EXPORT_COUNTER,
};

/* A label: a key property or a property qualified Label (or Label("name")). */
struct export_label {
        size_t property_index;   /* in glue_class_get_property order */
        char *name;
        bool is_key;
};

/* The label names of one or more families, in order; with_class adds class="<class>". */
struct export_label_set {
        char **names;
        size_t n_names;
        bool with_class;
};

/* One series a class's instance has: a family, and the property that gives its value
 * (SIZE_MAX for the _info family, whose value is 1). */
struct export_member {
        size_t family;
        size_t property_index;
};

/* A concrete class of a group: its labels and the series each of its instances has. */
struct export_class {
        const struct glue_class *cls;
        struct export_label *labels;
        size_t n_labels;
        struct export_member *members;
        size_t n_members;
        /* For each label set of the group, for each of its names, the index in labels or
         * SIZE_MAX ("" for this class). */
        size_t **slots;
};

/*
 * One metric family: a property qualified Metric("gauge") or Metric("counter"), named
 * hwglue_<prefix>_<part>[_<unit>][_total] where prefix is the MetricPrefix of the instance's
 * class and part the property's MetricName (its snake_case name without one), with the samples
 * of every class of the group that shares both: all block devices share one read-bytes family,
 * whatever their subclass. The group's _info family is family 0.
 */
struct export_family {
        char *name;
        char *help;              /* unescaped */
        enum export_metric_type metric_type;
        bool as_ratio;           /* Percent, exported as a ratio: the value / 100 */
        size_t label_set;        /* in the group's label sets */
};

/*
 * One deep enumeration: the topmost class that a provider serves (its superclass has no
 * provider), and the exported classes below it. Deep enumeration posts each device once, as its
 * most derived class, so grouping the instances by their class counts every device once, and
 * each provider is asked once per export rather than once per class.
 */
struct export_group {
        const struct glue_class *root;
        const char *provider;    /* borrowed from the schema */
        struct export_class *classes;
        size_t n_classes;
        struct export_family *families;
        size_t n_families;
        struct export_label_set *label_sets;
        size_t n_label_sets;
        const char **properties; /* names to request: metrics and labels; borrowed */
        size_t n_properties;
};

struct export_plan {
        struct export_group *groups;
        size_t n_groups;
};

/*
 * Plan the export of every exported class of the context's schema: a concrete class with a
 * provider that has a MetricPrefix (own or inherited) or a metric property. A name that two
 * families would share with another type, or across groups, is kept for the first and dropped,
 * with a warning on stderr, for the others, so that no family appears twice. 0, or -ENOMEM.
 */
int export_plan_new(const struct glue_context *ctx, struct export_plan **ret);
void export_plan_free(struct export_plan *plan);

/*
 * Every family the plan can write, one line each: name, type and label names, tab-separated,
 * then the self-metrics (whose names no class may take): what --list-metrics prints, and the
 * golden list tests/export/metric-names.txt holds for the built-in schema.
 */
void export_plan_list(const struct export_plan *plan, FILE *out);

/* ------------------------------------------------------------------------------------------ */
/* export-series.c */

/* What formatting one instance needs, kept from instance to instance (one per thread). */
struct export_series {
        struct export_buffer record;  /* the result: [uint32 family][uint32 length][line]... */
        struct export_buffer key;     /* the result: escaped key label values, \x01 between */
        struct export_buffer values;  /* escaped label values, back to back */
        size_t *value_ends;
        size_t n_value_ends;
        struct export_buffer sets;    /* formatted label sets, {a="x",b="y"} */
        size_t *set_starts;           /* SIZE_MAX: not formatted yet for this instance */
        size_t *set_ends;
        size_t n_sets;
};

/*
 * Format the series of one instance of the group's class class_index into series->record, and
 * its sort key into series->key. 0 or -ENOMEM. The one place labels are built for an instance:
 * labels that come from elsewhere (associations) belong here.
 */
int export_series_format(const struct export_group *group, size_t class_index,
                         const struct glue_instance *inst, struct export_series *series);
void export_series_free(struct export_series *series);

/* ------------------------------------------------------------------------------------------ */
/* export-index.c */

/* Where one instance's record is in a group's spill, and the key it sorts by. */
struct export_index_entry {
        const char *key;         /* in the index's arena */
        uint64_t offset;
        uint32_t length;
        uint32_t arrival;
};

/* The instances of a group in arrival order, then sorted. Holds the keys only, never the
 * instances: about 24 bytes and the key per instance. */
struct export_index {
        struct export_index_entry *entries;
        size_t n_entries;
        size_t capacity;
        struct export_arena_chunk *arena;
};

int export_index_add(struct export_index *index, const char *key, size_t key_len,
                     uint64_t offset, uint32_t length);
/* Sort by key, arrival order among equal keys: in byte order when every key has the same length
 * (PCI addresses: fixed-width hex), else in export_key_compare's natural order. */
void export_index_sort(struct export_index *index);
void export_index_free(struct export_index *index);
/*
 * The natural order of device keys: runs of decimal digits compare as numbers ("loop2" <
 * "loop10", "temp2" < "temp10", "nvme0n1p2" < "nvme0n1p10"), the rest byte by byte.
 */
int export_key_compare(const char *a, const char *b);

/* ------------------------------------------------------------------------------------------ */
/* export-spill.c */

/*
 * An unnamed temporary file in dir (O_TMPFILE: nothing is left behind whatever kills the
 * process), for reading and writing; where the file system has no O_TMPFILE, a file named
 * <dir>/<name_prefix><pid>-XXXXXX, removed at once. dir NULL: $TMPDIR or /tmp. NULL and errno
 * set on failure.
 */
FILE *export_spill_open(const char *dir, const char *name_prefix);

/* ------------------------------------------------------------------------------------------ */
/* export-collect.c */

struct export_options {
        uint64_t timeout_usec;   /* for the whole run, all providers together; 0: none */
        const char *spill_dir;   /* where the text waits to be written; NULL: $TMPDIR or /tmp */
        const char *spill_prefix;/* the name of a temporary that export-write.c cleans up */
};

/* A provider's outcome in one export. */
struct export_collector {
        char *provider;
        uint64_t usec;
        uint64_t instances;
        bool success;
        bool timed_out;
};

/* Files a provider could not read, per cause. */
struct export_read_errors {
        char *provider;
        int error;               /* negative errno */
        uint64_t count;
};

struct export_collection;

/*
 * Enumerate every group of the plan, all at once (one thread each) under one deadline, into
 * sorted and grouped temporary files. A provider that fails or runs out of time is recorded
 * (and said on stderr); it is not an error. 0, or a negative errno if a temporary file could not
 * be written (ENOSPC, EDQUOT, ...) or memory ran out; *ret is set only on success.
 */
int export_collect(struct glue_context *ctx, const struct export_plan *plan,
                   const struct export_options *options, struct export_collection **ret);
void export_collection_free(struct export_collection *collection);
/* Did a provider fail or time out? */
bool export_collection_is_partial(const struct export_collection *collection);
size_t export_collection_get_collectors(const struct export_collection *collection,
                                        const struct export_collector **ret);
size_t export_collection_get_read_errors(const struct export_collection *collection,
                                         const struct export_read_errors **ret);
/* The families and their lines of one group, for export-format.c. */
size_t export_collection_group_lines(const struct export_collection *collection, size_t group,
                                     size_t family);
/* Append the spilled lines of one family to out: 0 or a negative errno. */
int export_collection_copy_family(const struct export_collection *collection, size_t group,
                                  size_t family, FILE *out);
double export_collection_get_seconds(const struct export_collection *collection);

/* ------------------------------------------------------------------------------------------ */
/* export-format.c */

/*
 * Write a collection as exposition text: for each group its _info family and its metric
 * families, each with its HELP and TYPE once and all its series together, sorted by device;
 * then the self-metrics (build info, per provider: duration, success, timeout, instances,
 * unreadable attributes). 0, or a negative errno if out failed.
 */
int export_format_collection(const struct export_plan *plan,
                             const struct export_collection *collection, FILE *out);

/* Collect and format in one call (the tests' way). 0, 1 if partial, or a negative errno. */
int export_format(struct glue_context *ctx, const struct export_plan *plan,
                  const struct export_options *options, FILE *out);

/* ------------------------------------------------------------------------------------------ */
/* export-write.c */

/* Fill a stream; 0 or a negative errno (which abandons the write). */
typedef int (*export_fill_fn)(FILE *out, void *userdata);

/*
 * Run fill on a stream over fd (which stays open) and flush it: 0, or the first error a write
 * met, as the kernel gave it (-ENOSPC, -EDQUOT, -EPIPE...), else fill's.
 */
int export_write_stream(int fd, export_fill_fn fill, void *userdata);

/*
 * The name prefix of path's temporaries: ".<base>.tmp-", the base shortened so that a
 * temporary name ("<prefix><pid>-XXXXXX") fits in NAME_MAX whatever the base's length. Owned.
 */
char *export_temporary_prefix(const char *path);

/*
 * Replace path with what fill writes, atomically: a temporary file in the same directory, then
 * flush, fsync, mode 0644, rename over path. On any failure the old file is left as it was,
 * the temporary file is removed, the cause said on stderr with the file it concerns, and a
 * negative errno returned (the real one: -ENOSPC, -EDQUOT, -EROFS, -EACCES, -ENAMETOOLONG...).
 * Temporary files that killed earlier writers (dead processes) left behind are removed first.
 */
int export_write_file_atomic(const char *path, export_fill_fn fill, void *userdata);
/* Can path name a file at all (a base name, not past NAME_MAX)? 0, or -EISDIR or -ENAMETOOLONG,
 * said on stderr: checked before an export enumerates anything. */
int export_check_file_name(const char *path);
/* Remove the temporaries of path whose writer no longer runs. */
void export_remove_stale_temporaries(const char *path);

/* ------------------------------------------------------------------------------------------ */
/* export-main.c */

/* Make the context the exporter reads: the built-in one, or a test schema. 0 or -errno. */
typedef int (*export_context_fn)(struct glue_context **ret);

/* Exit statuses, as hwglue(1)'s. */
enum {
        EXPORT_EXIT_OK = 0,
        EXPORT_EXIT_PARTIAL = 2,     /* written, but a provider failed or timed out */
        EXPORT_EXIT_USAGE = 3,
        EXPORT_EXIT_FAILURE = 4,     /* nothing written: the old file is kept */
};

/* The whole program: parse argv, export once or every --interval seconds. The exit status. */
int export_main(int argc, char **argv, export_context_fn new_context);
