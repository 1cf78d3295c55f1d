/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cell.h"
#include "columns.h"
#include "hwglue-version.h"
#include "output-sink.h"
#include "output.h"
#include "query-parser.h"
#include "read-error-report.h"
#include "table.h"

struct message {
        char *severity;
        char *text;
};

struct output {
        const struct options *opts;
        struct sink *sink;
        FILE *f;
        struct json json;
        bool json_started;
        bool in_instances; /* JSON: inside "instances": [ */
        bool in_groups;    /* JSON: inside "groups": [ */
        bool closed;       /* the reader went away */
        bool write_failed; /* another write error (or out of memory) */
        int write_error;   /* its errno, when known */
        bool left_workers; /* a provider did not finish by the deadline */
        unsigned tables;   /* printed so far: a blank line goes between two */
        struct column_spec spec;
        struct column_list spec_names; /* our copy of spec.names: the table is printed after
                                        * the command that chose the columns freed its own */
        /* table: the instances of the current group, and its class */
        struct glue_instance **buffered;
        size_t n_buffered;
        const struct glue_class *group;
        unsigned long n_instances;
        struct message *messages;
        size_t n_messages;
        struct read_error_report read_errors;
};

int output_new(const struct options *opts, struct output **ret)
{
        struct output *out = calloc(1, sizeof(*out));
        int r;

        if (!out)
                return -ENOMEM;
        out->opts = opts;
        r = sink_open(opts->output_file, &out->sink, &out->f);
        if (r < 0) {
                fprintf(stderr, "hwglue: cannot write %s: %s\n",
                        opts->output_file ? opts->output_file : "the output", strerror(-r));
                free(out);
                return r;
        }
        json_init(&out->json, out->f, opts->mode == OUTPUT_JSON);
        *ret = out;
        return 0;
}

/* Take the column spec, with a copy of its names. On allocation failure the table falls back to
 * the default columns, which loses nothing the machine formats would show. */
static void set_spec(struct output *out, const struct column_spec *spec)
{
        column_list_clear(&out->spec_names);
        out->spec = *spec;
        if (!spec->names)
                return;
        for (size_t i = 0; i < spec->n_names; i++)
                if (column_list_add(&out->spec_names, spec->names[i]) < 0) {
                        column_list_clear(&out->spec_names);
                        out->spec.names = NULL;
                        out->spec.n_names = 0;
                        out->spec.add = false;
                        return;
                }
        out->spec.names = (const char *const *)out->spec_names.names;
        out->spec.n_names = out->spec_names.n;
}

void output_free(struct output *out)
{
        if (!out)
                return;
        glue_instance_list_free(out->buffered, out->n_buffered);
        column_list_clear(&out->spec_names);
        for (size_t i = 0; i < out->n_messages; i++) {
                free(out->messages[i].severity);
                free(out->messages[i].text);
        }
        free(out->messages);
        read_error_report_clear(&out->read_errors);
        sink_free(out->sink);
        free(out);
}

FILE *output_file(struct output *out)
{
        return out->f;
}

bool output_is_closed(const struct output *out)
{
        return out->closed;
}

bool output_left_workers(const struct output *out)
{
        return out->left_workers;
}

size_t output_width(const struct output *out)
{
        struct winsize ws;

        if (out->opts->width)
                return out->opts->width;
        if (!sink_is_terminal(out->sink))
                return 0;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
                return ws.ws_col;
        return 80;
}

/* A write failed: a reader that left (EPIPE) ends the output quietly, anything else is an
 * error. Either way the enumeration stops. This is the one place that decides which. */
static int note_write_failure(struct output *out)
{
        int error = sink_get_error(out->sink);

        if (error == EPIPE) {
                out->closed = true;
        } else {
                out->write_failed = true;
                if (!out->write_error)
                        out->write_error = error ? error : EIO;
        }
        return GLUE_STOP;
}

/* Push out what is buffered, and notice a reader that left. */
static int flush_output(struct output *out)
{
        if (out->closed)
                return GLUE_STOP;
        if (fflush(out->f) == 0 && !ferror(out->f))
                return 0;
        return note_write_failure(out);
}

/* The JSON document's head: format version and who wrote it (as smartctl -j does). */
static void start_json(struct output *out)
{
        struct json *j = &out->json;
        unsigned version[3] = { 0, 0, 0 };

        if (out->opts->mode != OUTPUT_JSON || out->json_started)
                return;
        out->json_started = true;
        sscanf(HWGLUE_VERSION, "%u.%u.%u", &version[0], &version[1], &version[2]);
        json_open_object(j, NULL);
        json_open_array(j, "json_format_version");
        json_uint(j, NULL, 1);
        json_uint(j, NULL, 0);
        json_close_array(j);
        json_open_object(j, "hwglue");
        json_open_array(j, "version");
        for (size_t i = 0; i < 3; i++)
                json_uint(j, NULL, version[i]);
        json_close_array(j);
        json_open_array(j, "argv");
        for (int i = 0; i < out->opts->argc; i++)
                json_string(j, NULL, out->opts->argv[i]);
        json_close_array(j);
        json_close_object(j);
}

struct json *output_json(struct output *out)
{
        start_json(out);
        return &out->json;
}

void output_begin_instances(struct output *out, const struct column_spec *spec)
{
        set_spec(out, spec);
        if (out->opts->mode == OUTPUT_JSON && !out->in_instances) {
                start_json(out);
                json_open_array(&out->json, "instances");
                out->in_instances = true;
        }
}

static const char *class_description(const struct glue_class *cls)
{
        const struct glue_value *v;

        if (glue_class_get_qualifier(cls, "Description", &v) < 0 || v->is_array ||
            !glue_type_is_string(v->type))
                return NULL;
        return v->v.str;
}

void output_begin_group(struct output *out, const struct glue_class *cls,
                        const struct column_spec *spec)
{
        set_spec(out, spec);
        out->group = cls;
        if (out->opts->mode != OUTPUT_JSON)
                return;
        start_json(out);
        if (!out->in_groups) {
                json_open_array(&out->json, "groups");
                out->in_groups = true;
        }
        json_open_object(&out->json, NULL);
        json_string(&out->json, "class", glue_class_get_name(cls));
        json_string(&out->json, "provider", glue_class_get_provider(cls));
        json_string(&out->json, "description", class_description(cls));
        json_open_array(&out->json, "instances");
        out->in_instances = true;
}

/* ---- machine formats -------------------------------------------------------------------- */

/* A cell a machine format leaves out: __CLASS comes first on its own, and with --no-nulls the
 * properties without a value. */
static bool skip_cell(const struct output *out, const struct cell *c)
{
        if (c->system == WQL_SYSTEM_CLASS)
                return true;
        if (c->system != WQL_SYSTEM_NONE)
                return out->opts->no_nulls && !c->system_text;
        return out->opts->no_nulls && !c->value;
}

static void json_cell(struct output *out, const struct cell *c)
{
        if (skip_cell(out, c))
                return;
        if (c->system != WQL_SYSTEM_NONE)
                json_string(&out->json, wql_system_property_name(c->system), c->system_text);
        else
                json_value(&out->json, c->name, c->value);
}

static void pairs_cell(struct output *out, const struct cell *c)
{
        char *text = NULL;

        if (skip_cell(out, c))
                return;
        fprintf(out->f, " %s=", c->system ? wql_system_property_name(c->system) : c->name);
        if (c->system)
                write_shell_quoted(out->f, c->system_text ? c->system_text : "");
        else if (c->value && (text = format_plain(c->value)))
                write_shell_quoted(out->f, text);
        else
                fputs("\"\"", out->f);
        free(text);
}

typedef void cell_fn(struct output *out, const struct cell *c);

static void named_cells(struct output *out, const struct glue_instance *inst,
                        const char *const *names, size_t n, cell_fn *fn)
{
        struct cell c;

        for (size_t i = 0; i < n; i++) {
                cell_of(inst, names[i], &c);
                /* a default column of a subclass that this instance's class lacks */
                if (c.prop || c.system != WQL_SYSTEM_NONE || !out->spec.cls ||
                    glue_class_find_property(out->spec.cls, names[i], NULL, NULL) >= 0)
                        fn(out, &c);
                cell_clear(&c);
        }
}

/* Calls fn for each column the spec gives this instance. */
static void for_each_cell(struct output *out, const struct glue_instance *inst, cell_fn *fn)
{
        const struct glue_class *cls = glue_instance_get_class(inst);
        struct cell c;

        if (out->spec.names && !out->spec.add) {
                named_cells(out, inst, out->spec.names, out->spec.n_names, fn);
                return;
        }
        if (out->spec.add && out->spec.cls) {
                /* -o +LIST: the default columns, then the list */
                struct column_list defaults = { 0 };
                column_list_add_defaults(&defaults, out->spec.cls);
                named_cells(out, inst, (const char *const *)defaults.names, defaults.n, fn);
                for (size_t i = 0; i < out->spec.n_names; i++)
                        if (!column_list_has(&defaults, out->spec.names[i]))
                                named_cells(out, inst, &out->spec.names[i], 1, fn);
                column_list_clear(&defaults);
                return;
        }
        /* Every property, by index: no lookup by name per cell. */
        for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                if (out->spec.keys_only && !glue_property_is_key(prop))
                        continue;
                cell_at(inst, prop, i, &c);
                fn(out, &c);
                cell_clear(&c);
        }
}

/* After a streamed record: no flush (output_idle does that, once per burst), but notice a
 * reader that left when stdio's own flush of a full buffer failed. */
static int record_written(struct output *out)
{
        return ferror(out->f) ? note_write_failure(out) : 0;
}

void output_idle(void *userdata)
{
        struct output *out = userdata;

        if (out->opts->mode != OUTPUT_TABLE && !out->closed && !out->write_failed)
                flush_output(out);
}

static int write_record(struct output *out, struct glue_instance *inst)
{
        const char *class_name = glue_class_get_name(glue_instance_get_class(inst));

        if (out->opts->mode == OUTPUT_PAIRS) {
                fputs("__CLASS=", out->f);
                write_shell_quoted(out->f, class_name);
                for_each_cell(out, inst, pairs_cell);
                fputc('\n', out->f);
                return record_written(out);
        }
        /* JSON and JSON Lines: the same object, pretty or on one line */
        json_open_object(&out->json, NULL);
        json_string(&out->json, "__CLASS", class_name);
        for_each_cell(out, inst, json_cell);
        json_close_object(&out->json);
        if (out->opts->mode == OUTPUT_JSONL)
                fputc('\n', out->f);
        return record_written(out);
}

int output_instance(struct output *out, struct glue_instance *inst)
{
        if (out->closed || out->write_failed)
                return GLUE_STOP;
        out->n_instances++;
        if (out->opts->mode != OUTPUT_TABLE)
                return write_record(out, inst);

        struct glue_instance **grown = realloc(out->buffered,
                                               (out->n_buffered + 1) * sizeof(*grown));
        if (!grown) {
                out->write_failed = true;
                out->write_error = ENOMEM;
                return GLUE_STOP;
        }
        out->buffered = grown;
        out->buffered[out->n_buffered++] = glue_instance_ref(inst);
        return 0;
}

int output_instance_fn(struct glue_instance *inst, void *userdata)
{
        return output_instance(userdata, inst);
}

unsigned long output_get_instance_count(const struct output *out)
{
        return out->n_instances;
}

/* ---- the table -------------------------------------------------------------------------- */

static void print_table(struct output *out, struct glue_instance **rows, size_t n,
                        const struct column_spec *spec, const struct glue_class *heading)
{
        const struct table_format format = {
                .bytes = out->opts->bytes,
                .raw = out->opts->raw,
                .noheadings = out->opts->noheadings,
                .width = output_width(out),
                .blank_line_before = out->tables > 0,
        };

        if (table_print(out->f, &format, rows, n, spec, heading) < 0) {
                out->write_failed = true;
                out->write_error = ENOMEM;
        }
        out->tables++;
}

/* The inventory: a table per class that states the rows' default columns, the group's own
 * first, then in the order the rows bring them. */
static void print_tables_by_owner(struct output *out)
{
        const struct glue_class **owners = calloc(out->n_buffered, sizeof(*owners));
        struct glue_instance **rows = calloc(out->n_buffered, sizeof(*rows));
        size_t n_owners = 0;

        if (!owners || !rows) {
                out->write_failed = true;
                out->write_error = ENOMEM;
                goto out;
        }
        /* the rows in table order, so that each table comes where its first row would */
        table_sort_rows(out->buffered, out->n_buffered);
        owners[n_owners++] = out->group;
        for (size_t i = 0; i < out->n_buffered; i++) {
                const struct glue_class *owner =
                        default_columns_owner(glue_instance_get_class(out->buffered[i]));
                bool seen = false;
                if (!owner || !glue_class_is_a(owner, out->group))
                        continue;
                for (size_t k = 0; k < n_owners; k++)
                        seen |= owners[k] == owner;
                if (!seen)
                        owners[n_owners++] = owner;
        }
        for (size_t k = 0; k < n_owners && !out->closed && !out->write_failed; k++) {
                struct column_spec spec = out->spec;
                size_t n = 0;
                for (size_t i = 0; i < out->n_buffered; i++) {
                        const struct glue_class *owner =
                                default_columns_owner(glue_instance_get_class(out->buffered[i]));
                        if (!owner || !glue_class_is_a(owner, out->group))
                                owner = out->group;
                        if (owner == owners[k])
                                rows[n++] = out->buffered[i];
                }
                spec.cls = owners[k];
                if (n > 0)
                        print_table(out, rows, n, &spec, owners[k]);
        }
out:
        free(owners);
        free(rows);
}

static void print_buffered(struct output *out)
{
        if (out->n_buffered == 0 || out->closed)
                return;
        if (out->group && out->spec.by_owner)
                print_tables_by_owner(out);
        else
                print_table(out, out->buffered, out->n_buffered, &out->spec, out->group);
        flush_output(out);
}

void output_end_group(struct output *out)
{
        if (out->opts->mode == OUTPUT_JSON) {
                json_close_array(&out->json);
                json_close_object(&out->json);
                out->in_instances = false;
        } else if (out->opts->mode == OUTPUT_TABLE) {
                print_buffered(out);
        }
        glue_instance_list_free(out->buffered, out->n_buffered);
        out->buffered = NULL;
        out->n_buffered = 0;
        out->group = NULL;
}

/* ---- messages and the end --------------------------------------------------------------- */

void output_message(struct output *out, const char *severity, const char *format, ...)
{
        bool error = strcmp(severity, "error") == 0, notice = strcmp(severity, "notice") == 0;
        struct message *grown;
        char *text;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&text, format, ap);
        va_end(ap);
        if (r < 0)
                return;
        /* a notice shows once: two classes of one provider may find nothing for one reason */
        for (size_t i = 0; notice && i < out->n_messages; i++)
                if (strcmp(out->messages[i].text, text) == 0) {
                        free(text);
                        return;
                }
        if (error || notice || out->opts->verbose > 0) {
                fprintf(stderr, "hwglue: %s", error || notice ? "" : "note: ");
                write_log_text(stderr, text);
                fputc('\n', stderr);
        }
        grown = realloc(out->messages, (out->n_messages + 1) * sizeof(*grown));
        if (!grown) {
                free(text);
                return;
        }
        out->messages = grown;
        grown[out->n_messages].severity = strdup(notice ? "warning" : severity);
        grown[out->n_messages].text = text;
        out->n_messages++;
}

unsigned output_report_providers(struct output *out, const struct glue_request *req)
{
        unsigned failed = 0;

        read_error_report_add(&out->read_errors, req);
        for (size_t i = 0; i < glue_request_get_provider_count(req); i++) {
                struct glue_provider_status st;

                /* cancelled: we stopped it ourselves (the reader left), no failure of its own */
                if (glue_request_get_provider_status(req, i, &st) < 0 || st.error == -ECANCELED)
                        continue;
                if (st.error == 0 && st.finished) {
                        /* a family that found nothing says why without -v, in one line */
                        if (st.message && st.instances == 0)
                                output_message(out, "notice", "%s: %s", st.provider,
                                               st.message);
                        else if (st.message)
                                output_message(out, "warning", "provider %s (%s): %s",
                                               st.provider, st.class_name, st.message);
                        continue;
                }
                failed++;
                if (!st.finished)
                        out->left_workers = true;
                output_message(out, "error", "provider %s (%s) %s: %s%s%s", st.provider,
                               st.class_name,
                               st.error == -ETIMEDOUT || !st.finished ? "did not finish in time"
                                                                      : "failed",
                               glue_strerror(st.error ? st.error : -ETIMEDOUT),
                               st.message ? ": " : "", st.message ? st.message : "");
        }
        return failed;
}

static bool keep_output_file(int exit_code)
{
        /* a complete document (its exit_status says whether it is partial); a usage error or a
         * failed write leaves the previous file as it was */
        return exit_code == EXIT_FOUND || exit_code == EXIT_NONE_FOUND ||
               exit_code == EXIT_PARTIAL;
}

int output_finish(struct output *out, int exit_code)
{
        int r;

        if (out->opts->mode == OUTPUT_TABLE && out->n_buffered > 0)
                print_buffered(out);
        if (read_error_report_print(&out->read_errors, out) && out->opts->strict &&
            (exit_code == EXIT_FOUND || exit_code == EXIT_NONE_FOUND))
                exit_code = EXIT_PARTIAL;
        if (out->opts->mode == OUTPUT_JSON && !out->closed) {
                struct json *j = &out->json;
                start_json(out);
                if (out->in_instances) {
                        json_close_array(j);
                        if (out->in_groups)
                                json_close_object(j);
                }
                if (out->in_groups)
                        json_close_array(j);
                json_open_array(j, "messages");
                for (size_t i = 0; i < out->n_messages; i++) {
                        json_open_object(j, NULL);
                        json_string(j, "string", out->messages[i].text);
                        json_string(j, "severity", out->messages[i].severity);
                        json_close_object(j);
                }
                json_close_array(j);
                json_int(j, "exit_status", exit_code);
                json_close_object(j);
        }
        flush_output(out);
        if (out->closed)
                return exit_code;
        if (out->write_failed) {
                sink_commit(out->sink, false);
                fprintf(stderr, "hwglue: cannot write %s: %s\n", sink_get_name(out->sink),
                        strerror(out->write_error));
                return EXIT_ERROR;
        }
        r = sink_commit(out->sink, keep_output_file(exit_code));
        if (r < 0) {
                if (r == -EPIPE)
                        return exit_code;
                fprintf(stderr, "hwglue: cannot write %s: %s\n", sink_get_name(out->sink),
                        strerror(-r));
                return EXIT_ERROR;
        }
        return exit_code;
}
