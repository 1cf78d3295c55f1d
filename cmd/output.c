/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <libsmartcols.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "output.h"
#include "query-parser.h"

struct message {
        char *severity;
        char *text;
};

struct output {
        const struct options *opts;
        FILE *f;
        struct json json;
        bool json_started;
        bool in_instances; /* JSON: inside "instances": [ */
        bool in_groups;    /* JSON: inside "groups": [ */
        bool closed;       /* the reader went away */
        bool write_failed; /* another write error */
        struct column_spec spec;
        char **spec_names; /* our copy of spec.names: the table is printed after the command
                            * that chose the columns has freed its own */
        /* table: the instances of the current group, and its heading */
        struct glue_instance **buffered;
        size_t n_buffered;
        const struct glue_class *group;
        unsigned long n_instances;
        struct message *messages;
        size_t n_messages;
};

int output_new(const struct options *opts, struct output **ret)
{
        struct output *out = calloc(1, sizeof(*out));

        if (!out)
                return -ENOMEM;
        out->opts = opts;
        out->f = stdout;
        json_init(&out->json, out->f, opts->mode == OUTPUT_JSON);
        *ret = out;
        return 0;
}

static void free_spec_names(struct output *out)
{
        for (size_t i = 0; out->spec_names && i < out->spec.n_names; i++)
                free(out->spec_names[i]);
        free(out->spec_names);
        out->spec_names = NULL;
}

/* Take the column spec, with a copy of its names. On allocation failure the table falls back to
 * the default columns, which loses nothing the machine formats would show. */
static void set_spec(struct output *out, const struct column_spec *spec)
{
        free_spec_names(out);
        out->spec = *spec;
        if (!spec->names)
                return;
        out->spec_names = calloc(spec->n_names ? spec->n_names : 1, sizeof(char *));
        for (size_t i = 0; out->spec_names && i < spec->n_names; i++) {
                out->spec_names[i] = strdup(spec->names[i]);
                if (!out->spec_names[i]) {
                        out->spec.n_names = i;
                        free_spec_names(out);
                        break;
                }
        }
        out->spec.names = (const char *const *)out->spec_names;
        if (!out->spec_names)
                out->spec.n_names = 0;
}

void output_free(struct output *out)
{
        if (!out)
                return;
        glue_instance_list_free(out->buffered, out->n_buffered);
        free_spec_names(out);
        for (size_t i = 0; i < out->n_messages; i++) {
                free(out->messages[i].severity);
                free(out->messages[i].text);
        }
        free(out->messages);
        free(out);
}

bool output_is_closed(const struct output *out)
{
        return out->closed;
}

/* A write failed: a reader that left (EPIPE) ends the output quietly, anything else is an
 * error. Either way the enumeration stops. */
static int note_write_failure(struct output *out)
{
        if (errno == EPIPE)
                out->closed = true;
        else
                out->write_failed = true;
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

        if (out->opts->mode != OUTPUT_JSON || out->json_started)
                return;
        out->json_started = true;
        json_open_object(j, NULL);
        json_open_array(j, "json_format_version");
        json_uint(j, NULL, 1);
        json_uint(j, NULL, 0);
        json_close_array(j);
        json_open_object(j, "hwglue");
        json_open_array(j, "version");
        json_uint(j, NULL, 0);
        json_uint(j, NULL, 1);
        json_uint(j, NULL, 0);
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

/* The name-th column of an instance under the spec: a property or a system property. */
struct cell {
        const char *name;
        const struct glue_property *prop; /* NULL for system properties or unknown names */
        const struct glue_value *value;   /* NULL: NULL, not fetched, or not in this class */
        char *system_text;                /* owned, for system properties */
};

static void cell_clear(struct cell *c)
{
        free(c->system_text);
        *c = (struct cell){ 0 };
}

static void cell_of(const struct glue_instance *inst, const char *name, struct cell *c)
{
        const struct glue_class *cls = glue_instance_get_class(inst);
        const struct glue_class *super = glue_class_get_superclass(cls);
        size_t index;
        int system = wql_system_property(name);

        *c = (struct cell){ .name = name };
        switch (system) {
        case WQL_SYSTEM_CLASS:
                c->system_text = strdup(glue_class_get_name(cls));
                return;
        case WQL_SYSTEM_SUPERCLASS:
                c->system_text = super ? strdup(glue_class_get_name(super)) : NULL;
                return;
        case WQL_SYSTEM_NAMESPACE:
                c->system_text = strdup(glue_class_get_namespace(cls));
                return;
        case WQL_SYSTEM_RELPATH:
        case WQL_SYSTEM_PATH: {
                char *path;
                if (glue_instance_get_path(inst, &path) < 0)
                        return;
                if (system == WQL_SYSTEM_PATH) {
                        if (asprintf(&c->system_text, "%s:%s", glue_class_get_namespace(cls), path) < 0)
                                c->system_text = NULL;
                        free(path);
                } else {
                        c->system_text = path;
                }
                return;
        }
        default:
                break;
        }
        if (glue_class_find_property(cls, name, &c->prop, &index) < 0)
                return;
        c->name = glue_property_get_name(c->prop);
        if (glue_instance_get_value_at(inst, index, &c->value) < 0)
                c->value = NULL;
}

/* A property of the instance's class, by the index it has there: no lookup by name. */
static void cell_at(const struct glue_instance *inst, const struct glue_property *prop,
                    size_t index, struct cell *c)
{
        *c = (struct cell){ .name = glue_property_get_name(prop), .prop = prop };
        if (glue_instance_get_value_at(inst, index, &c->value) < 0)
                c->value = NULL;
}

/* Calls fn for each column the spec gives this instance. */
static void for_each_cell(const struct output *out, const struct glue_instance *inst,
                          void (*fn)(struct output *, const struct cell *), struct output *arg)
{
        const struct glue_class *cls = glue_instance_get_class(inst);
        struct cell c;

        if (out->spec.names) {
                for (size_t i = 0; i < out->spec.n_names; i++) {
                        cell_of(inst, out->spec.names[i], &c);
                        fn(arg, &c);
                        cell_clear(&c);
                }
                return;
        }
        /* Every property, by index: no lookup by name per cell. */
        for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                const struct glue_property *prop = glue_class_get_property(cls, i);
                if (out->spec.keys_only && !glue_property_is_key(prop))
                        continue;
                cell_at(inst, prop, i, &c);
                fn(arg, &c);
                cell_clear(&c);
        }
}

static void json_cell(struct output *out, const struct cell *c)
{
        /* a cell with a property of the class is none of the system properties (cell_of()) */
        int system = c->prop ? WQL_SYSTEM_NONE : wql_system_property(c->name);

        if (system != WQL_SYSTEM_NONE) {
                if (system != WQL_SYSTEM_CLASS)
                        json_string(&out->json, wql_system_property_name(system),
                                    c->system_text);
                return;
        }
        json_value(&out->json, c->name, c->value);
}

static void pairs_cell(struct output *out, const struct cell *c)
{
        int system = wql_system_property(c->name);
        char *text = NULL;

        if (system == WQL_SYSTEM_CLASS)
                return;
        fprintf(out->f, " %s=", system ? wql_system_property_name(system) : c->name);
        if (system)
                write_shell_quoted(out->f, c->system_text ? c->system_text : "");
        else if (c->value && (text = format_plain(c->value)))
                write_shell_quoted(out->f, text);
        else
                fputs("\"\"", out->f);
        free(text);
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
                for_each_cell(out, inst, pairs_cell, out);
                fputc('\n', out->f);
                return record_written(out);
        }
        /* JSON and JSON Lines: the same object, pretty or on one line */
        json_open_object(&out->json, NULL);
        json_string(&out->json, "__CLASS", class_name);
        for_each_cell(out, inst, json_cell, out);
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

struct table_column {
        const char *name;
        const struct glue_property *prop; /* of the first class that has it, for units */
};

/* Inherited CIM bookkeeping (Caption, Status, ...) that would crowd a table for people. */
static bool is_boilerplate(const struct glue_property *prop)
{
        static const char *const base_classes[] = {
                "CIM_ManagedElement", "CIM_ManagedSystemElement", "CIM_LogicalElement",
                "CIM_LogicalDevice",
        };
        const char *origin = glue_class_get_name(glue_property_get_class_origin(prop));

        if (glue_property_is_key(prop) || strcasecmp(glue_property_get_name(prop), "Name") == 0)
                return false;
        for (size_t i = 0; i < sizeof(base_classes) / sizeof(base_classes[0]); i++)
                if (strcasecmp(origin, base_classes[i]) == 0)
                        return true;
        return strcasecmp(glue_property_get_name(prop), "CreationClassName") == 0 ||
               strcasecmp(glue_property_get_name(prop), "SystemName") == 0;
}

/* For the inventory: keys, what identifies a device (Label) and its readings (gauges other
 * than counts); counters, limits and bookkeeping stay for enum and the machine formats. */
static bool is_curated(const struct glue_property *prop)
{
        const struct glue_value *q;

        if (glue_property_is_key(prop) || glue_property_get_qualifier(prop, "Label", &q) >= 0)
                return true;
        if (glue_property_get_qualifier(prop, "Metric", &q) < 0 || q->is_array ||
            !glue_type_is_string(q->type) || strcasecmp(q->v.str, "gauge") != 0)
                return false;
        return glue_property_get_qualifier(prop, "Units", &q) < 0 || q->is_array ||
               !glue_type_is_string(q->type) || strcasecmp(q->v.str, "Count") != 0;
}

static int add_column(struct table_column **cols, size_t *n, const char *name,
                      const struct glue_property *prop)
{
        for (size_t i = 0; i < *n; i++)
                if (strcasecmp((*cols)[i].name, name) == 0)
                        return 0;
        struct table_column *grown = realloc(*cols, (*n + 1) * sizeof(*grown));
        if (!grown)
                return -ENOMEM;
        *cols = grown;
        grown[(*n)++] = (struct table_column){ name, prop };
        return 0;
}

/* The columns: the list asked for, the keys, or the union over the instances' classes of the
 * properties that hold a value somewhere (curated: keys, labels and readings first). */
static int table_columns(const struct output *out, bool curated, struct table_column **ret,
                         size_t *ret_n)
{
        struct table_column *cols = NULL;
        size_t n = 0;
        bool several_classes = false;
        int r = 0;

        for (size_t i = 1; i < out->n_buffered; i++)
                if (glue_instance_get_class(out->buffered[i]) !=
                    glue_instance_get_class(out->buffered[0]))
                        several_classes = true;
        if (out->spec.names) {
                for (size_t i = 0; i < out->spec.n_names && r >= 0; i++)
                        r = add_column(&cols, &n, out->spec.names[i], NULL);
                *ret = cols;
                *ret_n = n;
                return r;
        }
        if (several_classes)
                r = add_column(&cols, &n, "__CLASS", NULL);
        for (size_t k = 0; k < out->n_buffered && r >= 0; k++) {
                const struct glue_instance *inst = out->buffered[k];
                const struct glue_class *cls = glue_instance_get_class(inst);
                for (size_t i = 0; i < glue_class_get_property_count(cls) && r >= 0; i++) {
                        const struct glue_property *prop = glue_class_get_property(cls, i);
                        const struct glue_value *v;
                        if (out->spec.keys_only ? !glue_property_is_key(prop)
                                                : (glue_instance_get_value_at(inst, i, &v) < 0 ||
                                                   is_boilerplate(prop) ||
                                                   (curated && !is_curated(prop))))
                                continue;
                        r = add_column(&cols, &n, glue_property_get_name(prop), prop);
                }
        }
        *ret = cols;
        *ret_n = n;
        return r;
}

static bool column_is_numeric(const struct table_column *col)
{
        const struct glue_value *q;

        if (!col->prop || glue_property_is_array(col->prop) ||
            glue_property_get_qualifier(col->prop, "ValueMap", &q) >= 0)
                return false;
        enum glue_type type = glue_property_get_type(col->prop);
        return glue_type_is_signed(type) || glue_type_is_unsigned(type) || glue_type_is_real(type);
}

/* Rows for people in the order of their keys, with numbers in names counted as numbers
 * (sda2 before sda10), as lsblk and lspci list them; machine formats keep arrival order. */
static int compare_by_path(const void *a, const void *b)
{
        struct glue_instance *const *x = a, *const *y = b;
        char *px = NULL, *py = NULL;
        int r;

        glue_instance_get_path(*x, &px);
        glue_instance_get_path(*y, &py);
        /* compare the key part: instances of several classes interleave */
        r = strverscmp(px ? strchrnul(px, '.') : "", py ? strchrnul(py, '.') : "");
        free(px);
        free(py);
        return r;
}

static void print_table(struct output *out)
{
        struct libscols_table *table = NULL;
        struct table_column *cols = NULL;
        size_t n_cols = 0;
        bool curated = out->spec.curated && !out->spec.names && !out->spec.keys_only;

        if (out->n_buffered == 0 || out->closed)
                return;
        qsort(out->buffered, out->n_buffered, sizeof(*out->buffered), compare_by_path);
        if (table_columns(out, curated, &cols, &n_cols) < 0 || !(table = scols_new_table())) {
                out->write_failed = true;
                goto out;
        }
        scols_table_set_stream(table, out->f);
        for (size_t i = 0; i < n_cols; i++) {
                int system = wql_system_property(cols[i].name);
                const char *title = system == WQL_SYSTEM_CLASS ? "CLASS"
                                    : system ? wql_system_property_name(system) : cols[i].name;
                if (!scols_table_new_column(table, title, 0,
                                            column_is_numeric(&cols[i]) ? SCOLS_FL_RIGHT : 0))
                        out->write_failed = true;
        }
        for (size_t k = 0; k < out->n_buffered && !out->write_failed; k++) {
                struct libscols_line *line = scols_table_new_line(table, NULL);
                if (!line) {
                        out->write_failed = true;
                        break;
                }
                for (size_t i = 0; i < n_cols; i++) {
                        struct cell c;
                        char *text;
                        cell_of(out->buffered[k], cols[i].name, &c);
                        if (c.system_text)
                                text = strdup(c.system_text);
                        else if (c.value)
                                text = format_cell(c.prop, c.value, out->opts->bytes);
                        else
                                text = NULL;
                        if (text && scols_line_refer_data(line, i, text) < 0)
                                free(text);
                        cell_clear(&c);
                }
        }
        if (out->group) {
                /* the heading: the class and the first sentence of its description */
                const char *description = class_description(out->group);
                int len = description ? (int)strcspn(description, ".:;(") : 0;
                while (len > 0 && description[len - 1] == ' ')
                        len--;
                fprintf(out->f, "%s%s%s%.*s\n", out->n_instances > out->n_buffered ? "\n" : "",
                        glue_class_get_name(out->group), len ? ": " : "", len,
                        description ? description : "");
        }
        scols_print_table(table);
        flush_output(out);
out:
        scols_unref_table(table);
        free(cols);
}

void output_end_group(struct output *out)
{
        if (out->opts->mode == OUTPUT_JSON) {
                json_close_array(&out->json);
                json_close_object(&out->json);
                out->in_instances = false;
        } else if (out->opts->mode == OUTPUT_TABLE) {
                print_table(out);
        }
        glue_instance_list_free(out->buffered, out->n_buffered);
        out->buffered = NULL;
        out->n_buffered = 0;
        out->group = NULL;
}

/* ---- messages and the end --------------------------------------------------------------- */

void output_message(struct output *out, const char *severity, const char *format, ...)
{
        struct message *grown;
        char *text;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&text, format, ap);
        va_end(ap);
        if (r < 0)
                return;
        if (strcmp(severity, "error") == 0 || out->opts->verbose > 0) {
                fprintf(stderr, "hwglue: %s", strcmp(severity, "error") == 0 ? "" : "note: ");
                write_log_text(stderr, text);
                fputc('\n', stderr);
        }
        grown = realloc(out->messages, (out->n_messages + 1) * sizeof(*grown));
        if (!grown) {
                free(text);
                return;
        }
        out->messages = grown;
        grown[out->n_messages].severity = strdup(severity);
        grown[out->n_messages].text = text;
        out->n_messages++;
}

unsigned output_report_providers(struct output *out, const struct glue_request *req)
{
        unsigned failed = 0;

        for (size_t i = 0; i < glue_request_get_provider_count(req); i++) {
                struct glue_provider_status st;

                /* cancelled: we stopped it ourselves (the reader left), no failure of its own */
                if (glue_request_get_provider_status(req, i, &st) < 0 || st.error == -ECANCELED)
                        continue;
                if (st.error == 0 && st.finished) {
                        if (st.message)
                                output_message(out, "warning", "provider %s (%s): %s",
                                               st.provider, st.class_name, st.message);
                        continue;
                }
                failed++;
                output_message(out, "error", "provider %s (%s) %s: %s%s%s", st.provider,
                               st.class_name,
                               st.error == -ETIMEDOUT || !st.finished ? "did not finish in time"
                                                                      : "failed",
                               glue_strerror(st.error ? st.error : -ETIMEDOUT),
                               st.message ? ": " : "", st.message ? st.message : "");
        }
        return failed;
}

int output_finish(struct output *out, int exit_code)
{
        if (out->opts->mode == OUTPUT_TABLE && out->n_buffered > 0)
                print_table(out);
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
        if (out->write_failed && !out->closed) {
                fprintf(stderr, "hwglue: cannot write the output: %s\n", strerror(errno));
                return EXIT_ERROR;
        }
        return exit_code;
}
