/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hwglue-export: the Prometheus text-file exporter, as a small library that the program and the
 * tests share. It uses only the public libglue API.
 *
 *   export-text.c    names (CamelCase -> snake_case), escaping, numbers without float noise
 *   export-plan.c    which classes and properties become which metric families, from the schema
 *   export-format.c  enumerate the planned classes and write the exposition text to a FILE *
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

/*
 * A CIM name in Prometheus snake_case: "CurrentReading" -> "current_reading", "DeviceID" ->
 * "device_id", "PCIDevice" -> "pci_device", "ReadIOs" -> "read_ios". Characters that a metric
 * or label name cannot hold become '_'. Owned; NULL on ENOMEM.
 */
char *export_snake_case(const char *name);
/* A class name without its schema prefix ("Linux_", "CIM_"), in snake_case. Owned. */
char *export_class_snake_name(const char *class_name);

/*
 * The shortest decimal text that reads back (strtod) as exactly value: 84.85 stays "84.85",
 * never "84.85000000000001"; NaN and infinities as the exposition format spells them.
 * as_float: the value came from a real32 property, so the shortest text that reads back as the
 * same float suffices ("1.2", not "1.2000000476837158"). buf holds at least 32 bytes.
 */
void export_format_double(double value, bool as_float, char *buf, size_t size);

/* Write s as a label value (without the quotes): backslash, double quote and newline escaped,
 * bytes that are not UTF-8 replaced by U+FFFD. */
void export_write_label_value(FILE *out, const char *s);
/* Write s as HELP text: backslash and newline escaped, bytes that are not UTF-8 replaced. */
void export_write_help_text(FILE *out, const char *s);
/* Write s into a line of stderr: control bytes as \xHH, so that what a tree holds neither
 * splits the line nor reaches the terminal (or makes journald keep the line as a blob). */
void export_write_log_text(FILE *out, const char *s);

/* ------------------------------------------------------------------------------------------ */
/* export-plan.c */

enum export_metric_type {
        EXPORT_GAUGE,
        EXPORT_COUNTER,
};

/* A label: a key property or a property qualified Label. */
struct export_label {
        size_t property_index;   /* in glue_class_get_property order */
        char *name;
};

/* A concrete class with metric properties: its instances, its labels, its _info family. */
struct export_class {
        const struct glue_class *cls;
        char *info_name;         /* hwglue_<class>_info, or NULL if that name is taken */
        struct export_label *labels;
        size_t n_labels;
};

/* One class's property in a family. */
struct export_member {
        size_t class_index;      /* in the group's classes */
        size_t property_index;
};

/*
 * One metric family: a property qualified Metric("gauge") or Metric("counter"), named after
 * the class that declares it (hwglue_<class>_<property>[_<unit>][_total]), with the samples
 * of every class that inherits it: all PCI functions share one link-width family, whatever
 * their subclass. A subclass that overrides the property gets a family of its own.
 */
struct export_family {
        char *name;
        char *help;              /* unescaped */
        enum export_metric_type metric_type;
        bool as_ratio;           /* Percent, exported as a ratio: the value / 100 */
        char **label_names;      /* the union of the members' label names */
        size_t n_label_names;
        struct export_member *members;
        size_t n_members;
};

/*
 * One deep enumeration: the topmost class that a provider serves (its superclass has no
 * provider), and the metric classes below it. Deep enumeration posts each device once, as its
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
        const char **properties; /* names to request: metrics and labels; borrowed */
        size_t n_properties;
};

struct export_plan {
        struct export_group *groups;
        size_t n_groups;
};

/*
 * Plan the export of every metric class of the context's schema. A name that two families
 * would share (two classes that snake_case alike, or the same name with another type) is kept
 * for the first and dropped, with a warning on stderr, for the others, so that no family
 * appears twice. 0, or -ENOMEM.
 */
int export_plan_new(const struct glue_context *ctx, struct export_plan **ret);
void export_plan_free(struct export_plan *plan);

/* ------------------------------------------------------------------------------------------ */
/* export-format.c */

struct export_options {
        uint64_t timeout_usec;   /* per enumeration; 0: none */
};

/*
 * Enumerate every group of the plan and write the exposition text to out: for each class its
 * _info family and its metric families, then the collector self-metrics (duration, success,
 * instances per provider). A provider that fails shows as hwglue_collector_success 0 (and a
 * warning on stderr); it is not an error. Returns 0, or a negative errno if out failed or
 * memory ran out.
 */
int export_format(struct glue_context *ctx, const struct export_plan *plan,
                  const struct export_options *options, FILE *out);

/* ------------------------------------------------------------------------------------------ */
/* export-write.c */

/* Fill a stream; 0 or a negative errno (which abandons the write). */
typedef int (*export_fill_fn)(FILE *out, void *userdata);

/*
 * Replace path with what fill writes, atomically: a temporary file in the same directory, then
 * fflush, fsync, mode 0644, rename over path. On any failure the old file is left as it was,
 * the temporary file is removed and a negative errno returned. Temporary files that killed
 * earlier writers (dead processes) left behind are removed first.
 */
int export_write_file_atomic(const char *path, export_fill_fn fill, void *userdata);

/* ------------------------------------------------------------------------------------------ */
/* export-main.c */

/* Make the context the exporter reads: the built-in one, or a test schema. 0 or -errno. */
typedef int (*export_context_fn)(struct glue_context **ret);

/* The whole program: parse argv, export once or every --interval seconds. The exit status. */
int export_main(int argc, char **argv, export_context_fn new_context);
