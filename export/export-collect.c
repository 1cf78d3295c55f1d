/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Enumerate the planned groups into temporary files, sorted and grouped, without holding the
 * instances. Per group, in a thread of its own (the providers work at once, as they do for one
 * `hwglue enum CIM_LogicalDevice`), under the one deadline of the whole run:
 *  1. each instance, as it arrives, becomes a record of its series lines in the group's record
 *     spill, and its sort key an entry of the index (the key and where the record is);
 *  2. when the enumeration ends (or its time is up), the index is sorted by key, and a key that
 *     came twice is left out (its series would be written twice, which node_exporter refuses);
 *  3. the records, read back in key order, are dealt out to one spill per family, so that each
 *     family's lines end up together and sorted.
 * export-format.c then copies the family spills, with their HELP and TYPE, into the output.
 * Memory: the keys, one record and the stdio buffers; the text is in the page cache.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "export.h"

struct group_run {
        struct glue_context *ctx;
        const struct export_group *group;
        const struct export_options *options;
        uint64_t deadline_usec;  /* CLOCK_MONOTONIC; 0: none */

        struct export_series series;
        struct export_index index;
        FILE *records;
        uint64_t records_size;
        int error;               /* fatal: a spill could not be written, memory */

        FILE **family_files;     /* per family, NULL until its first line */
        size_t *family_lines;

        struct export_collector *collectors;
        size_t n_collectors;
        struct export_read_errors *read_errors;
        size_t n_read_errors;
        bool thread_started;
        pthread_t thread;
};

struct export_collection {
        struct group_run *runs;
        size_t n_runs;
        struct export_collector *collectors;
        size_t n_collectors;
        struct export_read_errors *read_errors;
        size_t n_read_errors;
        double seconds;
};

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* errno as a negative errno, never 0: a stdio failure that set none is an I/O error. */
static int negative_errno(void)
{
        return errno > 0 ? -errno : -EIO;
}

static FILE *open_spill(struct group_run *run)
{
        FILE *f = export_spill_open(run->options->spill_dir, run->options->spill_prefix);

        if (!f && run->error == 0) {
                run->error = negative_errno();
                export_warn("cannot create a temporary file in %s: %s",
                            run->options->spill_dir ? run->options->spill_dir : "$TMPDIR",
                            strerror(-run->error));
        }
        return f;
}

/* A spill could not be written (ENOSPC, EDQUOT, EFBIG...): said once per group, kept. */
static int spill_failed(struct group_run *run, int r)
{
        if (run->error == 0) {
                run->error = r;
                if (r != -ENOMEM)
                        export_warn("cannot write a temporary file in %s: %s",
                                    run->options->spill_dir ? run->options->spill_dir : "$TMPDIR",
                                    strerror(-r));
        }
        return r;
}

static int gather_instance(struct glue_instance *inst, void *userdata)
{
        struct group_run *run = userdata;
        const struct export_group *group = run->group;
        const struct glue_class *cls = glue_instance_get_class(inst);
        size_t c;
        int r;

        /* Deep enumeration posts each device once, as its most derived class: a device goes
         * to the series of exactly that class, never also to those of its superclasses. */
        for (c = 0; c < group->n_classes; c++)
                if (group->classes[c].cls == cls)
                        break;
        if (c == group->n_classes)
                return 0;
        r = export_series_format(group, c, inst, &run->series);
        if (r < 0)
                goto fail;
        if (run->series.record.len > UINT32_MAX) {
                r = -E2BIG;
                goto fail;
        }
        r = export_index_add(&run->index, run->series.key.data, run->series.key.len,
                             run->records_size, (uint32_t)run->series.record.len);
        if (r < 0)
                goto fail;
        if (run->series.record.len > 0 &&
            fwrite(run->series.record.data, 1, run->series.record.len, run->records) !=
            run->series.record.len) {
                spill_failed(run, negative_errno());
                return GLUE_STOP;
        }
        run->records_size += run->series.record.len;
        return 0;
fail:
        if (run->error == 0)
                run->error = r;
        return GLUE_STOP;
}

static int copy_string(char **dst, const char *src)
{
        *dst = strdup(src ? src : "");
        return *dst ? 0 : -ENOMEM;
}

static struct export_collector *find_or_add_collector(struct group_run *run, const char *provider)
{
        struct export_collector *items;

        for (size_t i = 0; i < run->n_collectors; i++)
                if (strcmp(run->collectors[i].provider, provider) == 0)
                        return &run->collectors[i];
        items = realloc(run->collectors, (run->n_collectors + 1) * sizeof(*items));
        if (!items)
                return NULL;
        run->collectors = items;
        items[run->n_collectors] = (struct export_collector) { .success = true };
        /* A copy: the status is the request's, and the request ends with the run. */
        if (copy_string(&items[run->n_collectors].provider, provider) < 0)
                return NULL;
        return &items[run->n_collectors++];
}

/* What each provider of the group did, and why one failed; the files it could not read. */
static int record_outcome(struct group_run *run, struct glue_request *req, int result,
                          uint64_t usec)
{
        const struct export_group *group = run->group;
        size_t n = glue_request_get_provider_count(req);
        struct export_collector *collector;

        for (size_t i = 0; i < n; i++) {
                struct glue_provider_status status;
                const char *provider;
                int error;
                char *message = NULL;

                if (glue_request_get_provider_status(req, i, &status) < 0)
                        continue;
                provider = status.provider ? status.provider : group->provider;
                collector = find_or_add_collector(run, provider);
                if (!collector)
                        return -ENOMEM;
                collector->usec += status.usec;
                collector->instances += status.instances;
                if (status.error == 0 && status.finished)
                        continue;
                error = status.error ? status.error : -ETIMEDOUT;
                collector->success = false;
                collector->timed_out = collector->timed_out || error == -ETIMEDOUT;
                if (asprintf(&message, "provider %s (%s): %s%s", provider,
                             status.class_name ? status.class_name : glue_class_get_name(group->root),
                             error == -ETIMEDOUT ? "still running at the export's deadline "
                             "(--timeout), abandoned" : glue_strerror(error),
                             status.message ? ": " : "") < 0)
                        return -ENOMEM;
                export_warn_text(message, status.message, "");
                free(message);
        }
        for (size_t i = 0; i < glue_request_get_read_error_count(req); i++) {
                struct glue_read_error error;
                struct export_read_errors *items;
                char *message = NULL;

                if (glue_request_get_read_error(req, i, &error) < 0)
                        continue;
                items = realloc(run->read_errors, (run->n_read_errors + 1) * sizeof(*items));
                if (!items)
                        return -ENOMEM;
                run->read_errors = items;
                items[run->n_read_errors] = (struct export_read_errors) {
                        .error = error.error,
                        .count = error.count,
                };
                if (copy_string(&items[run->n_read_errors].provider,
                                error.provider ? error.provider : group->provider) < 0)
                        return -ENOMEM;
                run->n_read_errors++;
                /* Once per cause, with an example: the count is in the self-metrics. */
                if (asprintf(&message, "provider %s: %" PRIu64 " attribute%s unreadable: %s, e.g. ",
                             error.provider ? error.provider : group->provider, error.count,
                             error.count == 1 ? "" : "s", glue_strerror(error.error)) < 0)
                        return -ENOMEM;
                export_warn_text(message, error.example, "");
                free(message);
        }
        if (result >= 0 || n > 0)
                return 0;
        /* Nothing ran at all (no provider registered under that name, say): it still has to
         * show up as a failed collection. */
        collector = find_or_add_collector(run, group->provider);
        if (!collector)
                return -ENOMEM;
        collector->usec += usec;
        collector->success = false;
        collector->timed_out = result == -ETIMEDOUT;
        export_warn("%s (provider %s): %s", glue_class_get_name(group->root), group->provider,
                    glue_strerror(result));
        return 0;
}

/* Deal the records out to the family spills, in key order, each key once. */
static int distribute(struct group_run *run)
{
        const struct export_group *group = run->group;
        struct export_buffer record = { 0 };
        const char *previous = NULL;
        int fd;
        int r = 0;

        if (fflush(run->records) != 0)
                return spill_failed(run, negative_errno());
        fd = fileno(run->records);
        export_index_sort(&run->index);
        for (size_t i = 0; i < run->index.n_entries && r >= 0; i++) {
                const struct export_index_entry *entry = &run->index.entries[i];
                size_t pos = 0;

                if (previous && strcmp(previous, entry->key) == 0) {
                        char *prefix = NULL;

                        if (asprintf(&prefix, "%s ", glue_class_get_name(group->root)) < 0) {
                                r = -ENOMEM;
                                break;
                        }
                        export_warn_text(prefix, entry->key, ": posted again; the repeat is left out");
                        free(prefix);
                        continue;
                }
                previous = entry->key;
                record.len = 0;
                r = export_buffer_reserve(&record, entry->length);
                for (size_t got = 0; r >= 0 && got < entry->length;) {
                        ssize_t n = pread(fd, record.data + got, entry->length - got,
                                          (off_t)(entry->offset + got));

                        if (n < 0 && errno == EINTR)
                                continue;
                        if (n <= 0) {
                                r = n < 0 ? -errno : -EIO;
                                break;
                        }
                        got += (size_t)n;
                }
                while (r >= 0 && pos + 2 * sizeof(uint32_t) <= entry->length) {
                        uint32_t family, len;

                        memcpy(&family, record.data + pos, sizeof(family));
                        memcpy(&len, record.data + pos + sizeof(family), sizeof(len));
                        pos += 2 * sizeof(uint32_t);
                        if (family >= group->n_families || pos + len > entry->length) {
                                r = -EBADMSG;
                                break;
                        }
                        if (!run->family_files[family]) {
                                run->family_files[family] = open_spill(run);
                                if (!run->family_files[family]) {
                                        r = run->error;
                                        break;
                                }
                        }
                        if (fwrite(record.data + pos, 1, len, run->family_files[family]) != len) {
                                r = spill_failed(run, negative_errno());
                                break;
                        }
                        run->family_lines[family]++;
                        pos += len;
                }
        }
        export_buffer_free(&record);
        for (size_t f = 0; f < group->n_families && r >= 0; f++)
                if (run->family_files[f] && fflush(run->family_files[f]) != 0)
                        r = spill_failed(run, negative_errno());
        return r;
}

static void *run_group(void *userdata)
{
        struct group_run *run = userdata;
        const struct export_group *group = run->group;
        struct glue_request *req = NULL;
        uint64_t start = now_usec();
        int r;

        run->family_files = calloc(group->n_families, sizeof(*run->family_files));
        run->family_lines = calloc(group->n_families, sizeof(*run->family_lines));
        if (!run->family_files || !run->family_lines) {
                run->error = -ENOMEM;
                return NULL;
        }
        run->records = open_spill(run);
        if (!run->records)
                return NULL;
        r = glue_request_new(run->ctx, &req);
        if (r >= 0)
                r = glue_request_set_properties(req, group->properties, group->n_properties);
        if (r < 0) {
                run->error = r;
                goto out;
        }
        if (run->deadline_usec) {
                uint64_t now = now_usec();

                /* Started after the deadline (a slow machine): still a request, of 1 us. */
                glue_request_set_timeout(req, run->deadline_usec > now ?
                                         run->deadline_usec - now : 1);
        }
        r = glue_request_enumerate(req, glue_class_get_name(group->root), gather_instance, run);
        if (run->error < 0)
                goto out;
        r = record_outcome(run, req, r, now_usec() - start);
        if (r >= 0)
                r = distribute(run);
        if (r < 0 && run->error == 0)
                run->error = r;
out:
        glue_request_unref(req);
        return NULL;
}

static void group_run_clear(struct group_run *run)
{
        export_series_free(&run->series);
        export_index_free(&run->index);
        if (run->records)
                fclose(run->records);
        for (size_t f = 0; run->family_files && f < run->group->n_families; f++)
                if (run->family_files[f])
                        fclose(run->family_files[f]);
        free(run->family_files);
        free(run->family_lines);
        for (size_t i = 0; i < run->n_collectors; i++)
                free(run->collectors[i].provider);
        free(run->collectors);
        for (size_t i = 0; i < run->n_read_errors; i++)
                free(run->read_errors[i].provider);
        free(run->read_errors);
}

/* The providers' outcomes of all groups, one entry per provider (a provider may serve several
 * groups), in plan order. */
static int merge_outcomes(struct export_collection *collection)
{
        for (size_t g = 0; g < collection->n_runs; g++) {
                struct group_run *run = &collection->runs[g];

                for (size_t i = 0; i < run->n_collectors; i++) {
                        struct export_collector *from = &run->collectors[i], *to = NULL;

                        for (size_t j = 0; j < collection->n_collectors && !to; j++)
                                if (strcmp(collection->collectors[j].provider, from->provider) == 0)
                                        to = &collection->collectors[j];
                        if (!to) {
                                struct export_collector *items = realloc(collection->collectors,
                                        (collection->n_collectors + 1) * sizeof(*items));

                                if (!items)
                                        return -ENOMEM;
                                collection->collectors = items;
                                to = &items[collection->n_collectors++];
                                *to = *from;
                                from->provider = NULL;
                                continue;
                        }
                        to->usec += from->usec;
                        to->instances += from->instances;
                        to->success = to->success && from->success;
                        to->timed_out = to->timed_out || from->timed_out;
                }
                for (size_t i = 0; i < run->n_read_errors; i++) {
                        struct export_read_errors *from = &run->read_errors[i], *to = NULL;

                        for (size_t j = 0; j < collection->n_read_errors && !to; j++)
                                if (strcmp(collection->read_errors[j].provider, from->provider) == 0 &&
                                    collection->read_errors[j].error == from->error)
                                        to = &collection->read_errors[j];
                        if (!to) {
                                struct export_read_errors *items = realloc(collection->read_errors,
                                        (collection->n_read_errors + 1) * sizeof(*items));

                                if (!items)
                                        return -ENOMEM;
                                collection->read_errors = items;
                                to = &items[collection->n_read_errors++];
                                *to = *from;
                                from->provider = NULL;
                                continue;
                        }
                        to->count += from->count;
                }
        }
        return 0;
}

int export_collect(struct glue_context *ctx, const struct export_plan *plan,
                   const struct export_options *options, struct export_collection **ret)
{
        struct export_collection *collection = calloc(1, sizeof(*collection));
        uint64_t start = now_usec();
        int r = 0;

        if (!collection)
                return -ENOMEM;
        collection->runs = calloc(plan->n_groups ? plan->n_groups : 1, sizeof(*collection->runs));
        if (!collection->runs) {
                free(collection);
                return -ENOMEM;
        }
        collection->n_runs = plan->n_groups;
        for (size_t g = 0; g < plan->n_groups; g++) {
                struct group_run *run = &collection->runs[g];

                *run = (struct group_run) {
                        .ctx = ctx,
                        .group = &plan->groups[g],
                        .options = options,
                        .deadline_usec = options->timeout_usec ? start + options->timeout_usec : 0,
                };
                /* All at once; a group whose thread cannot start runs here, after the others
                 * started. */
                run->thread_started = pthread_create(&run->thread, NULL, run_group, run) == 0;
        }
        for (size_t g = 0; g < plan->n_groups; g++) {
                struct group_run *run = &collection->runs[g];

                if (run->thread_started)
                        pthread_join(run->thread, NULL);
                else
                        run_group(run);
                if (run->error < 0 && r == 0)
                        r = run->error;
        }
        if (r == 0)
                r = merge_outcomes(collection);
        collection->seconds = (double)(now_usec() - start) / 1e6;
        if (r < 0) {
                export_collection_free(collection);
                return r;
        }
        *ret = collection;
        return 0;
}

void export_collection_free(struct export_collection *collection)
{
        if (!collection)
                return;
        for (size_t g = 0; g < collection->n_runs; g++)
                group_run_clear(&collection->runs[g]);
        free(collection->runs);
        for (size_t i = 0; i < collection->n_collectors; i++)
                free(collection->collectors[i].provider);
        free(collection->collectors);
        for (size_t i = 0; i < collection->n_read_errors; i++)
                free(collection->read_errors[i].provider);
        free(collection->read_errors);
        free(collection);
}

bool export_collection_is_partial(const struct export_collection *collection)
{
        for (size_t i = 0; i < collection->n_collectors; i++)
                if (!collection->collectors[i].success)
                        return true;
        return false;
}

size_t export_collection_get_collectors(const struct export_collection *collection,
                                        const struct export_collector **ret)
{
        *ret = collection->collectors;
        return collection->n_collectors;
}

size_t export_collection_get_read_errors(const struct export_collection *collection,
                                         const struct export_read_errors **ret)
{
        *ret = collection->read_errors;
        return collection->n_read_errors;
}

size_t export_collection_group_lines(const struct export_collection *collection, size_t group,
                                     size_t family)
{
        return collection->runs[group].family_lines[family];
}

int export_collection_copy_family(const struct export_collection *collection, size_t group,
                                  size_t family, FILE *out)
{
        FILE *in = collection->runs[group].family_files[family];
        char buf[64 * 1024];
        int fd;
        off_t offset = 0;

        if (!in)
                return 0;
        fd = fileno(in);
        for (;;) {
                ssize_t n = pread(fd, buf, sizeof(buf), offset);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        return 0;
                if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
                        return negative_errno();
                offset += n;
        }
}

double export_collection_get_seconds(const struct export_collection *collection)
{
        return collection->seconds;
}
