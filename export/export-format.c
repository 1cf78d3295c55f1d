/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Write a collection as the text exposition format (0.0.4): each family's HELP and TYPE once,
 * then all its series, sorted by device (export-collect.c grouped and sorted them); then the
 * exporter's own metrics, as node_exporter writes node_scrape_collector_*.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "hwglue-version.h"

static void write_family_header(FILE *out, const char *name, const char *help,
                                enum export_metric_type type)
{
        fprintf(out, "# HELP %s ", name);
        export_write_help_text(out, help);
        fprintf(out, "\n# TYPE %s %s\n", name, type == EXPORT_COUNTER ? "counter" : "gauge");
}

/* An errno's name for a label value ("EACCES"): short, stable, what a rule matches on. */
static const char *errno_label(int error)
{
        const char *name = strerrorname_np(error < 0 ? -error : error);

        return name ? name : "EIO";
}

static void write_provider_series(FILE *out, const char *name, const char *provider)
{
        fprintf(out, "%s{provider=\"", name);
        export_write_label_value(out, provider);
        fputs("\"} ", out);
}

static void write_self_metrics(FILE *out, const struct export_collection *collection)
{
        const struct export_collector *collectors;
        const struct export_read_errors *errors;
        size_t n = export_collection_get_collectors(collection, &collectors);
        size_t n_errors = export_collection_get_read_errors(collection, &errors);
        char buf[64];

        write_family_header(out, "hwglue_build_info", "The version of hwglue-export that wrote "
                            "this file; always 1.", EXPORT_GAUGE);
        fputs("hwglue_build_info{version=\"", out);
        export_write_label_value(out, HWGLUE_VERSION);
        fputs("\"} 1\n", out);
        write_family_header(out, "hwglue_export_duration_seconds", "Time this export took to "
                            "enumerate every provider (they run at once).", EXPORT_GAUGE);
        export_format_double(export_collection_get_seconds(collection), false, buf, sizeof(buf));
        fprintf(out, "hwglue_export_duration_seconds %s\n", buf);
        if (n == 0)
                return;
        write_family_header(out, "hwglue_collector_duration_seconds",
                            "Time each provider took to enumerate its classes in this export.",
                            EXPORT_GAUGE);
        for (size_t i = 0; i < n; i++) {
                export_format_double((double)collectors[i].usec / 1e6, false, buf, sizeof(buf));
                write_provider_series(out, "hwglue_collector_duration_seconds",
                                      collectors[i].provider);
                fprintf(out, "%s\n", buf);
        }
        write_family_header(out, "hwglue_collector_success",
                            "1 if the provider enumerated without error in this export, 0 if it "
                            "failed or ran out of time (its series are those it delivered in time).",
                            EXPORT_GAUGE);
        for (size_t i = 0; i < n; i++) {
                write_provider_series(out, "hwglue_collector_success", collectors[i].provider);
                fprintf(out, "%d\n", collectors[i].success ? 1 : 0);
        }
        write_family_header(out, "hwglue_collector_timed_out",
                            "1 if the provider was abandoned at the export's deadline (--timeout).",
                            EXPORT_GAUGE);
        for (size_t i = 0; i < n; i++) {
                write_provider_series(out, "hwglue_collector_timed_out", collectors[i].provider);
                fprintf(out, "%d\n", collectors[i].timed_out ? 1 : 0);
        }
        write_family_header(out, "hwglue_collector_instances",
                            "Instances the provider delivered in this export.", EXPORT_GAUGE);
        for (size_t i = 0; i < n; i++) {
                write_provider_series(out, "hwglue_collector_instances", collectors[i].provider);
                fprintf(out, "%" PRIu64 "\n", collectors[i].instances);
        }
        if (n_errors == 0)
                return;
        write_family_header(out, "hwglue_collector_unreadable_attributes",
                            "Files the provider could not read in this export, by cause (an errno "
                            "name); the properties they hold are missing from the series.",
                            EXPORT_GAUGE);
        for (size_t i = 0; i < n_errors; i++) {
                fputs("hwglue_collector_unreadable_attributes{provider=\"", out);
                export_write_label_value(out, errors[i].provider);
                fprintf(out, "\",error=\"%s\"} %" PRIu64 "\n", errno_label(errors[i].error),
                        errors[i].count);
        }
}

int export_format_collection(const struct export_plan *plan,
                             const struct export_collection *collection, FILE *out)
{
        int r = 0;

        for (size_t g = 0; g < plan->n_groups && r >= 0; g++) {
                const struct export_group *group = &plan->groups[g];

                for (size_t f = 0; f < group->n_families && r >= 0; f++) {
                        const struct export_family *family = &group->families[f];

                        if (!family->name || export_collection_group_lines(collection, g, f) == 0)
                                continue;
                        write_family_header(out, family->name, family->help, family->metric_type);
                        r = export_collection_copy_family(collection, g, f, out);
                }
        }
        if (r < 0)
                return r;
        write_self_metrics(out, collection);
        /* The stream knows the real cause (export_write_stream): -EIO stands for it here. */
        return ferror(out) ? -EIO : 0;
}

int export_format(struct glue_context *ctx, const struct export_plan *plan,
                  const struct export_options *options, FILE *out)
{
        struct export_collection *collection = NULL;
        int r = export_collect(ctx, plan, options, &collection);

        if (r < 0)
                return r;
        r = export_format_collection(plan, collection, out);
        if (r >= 0 && export_collection_is_partial(collection))
                r = 1;
        export_collection_free(collection);
        return r;
}
