/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "test-util.h"
#include "vanish-round.h"

/* ---- the context's log, kept --------------------------------------------------------------- */

struct log_line {
        int priority;
        char *text;
};

static struct {
        pthread_mutex_t lock;
        struct log_line *lines;
        size_t n;
} kept_log = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void keep_log(void *userdata, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args)
{
        struct log_line *grown;
        char *text;

        if (vasprintf(&text, format, args) < 0)
                return;
        pthread_mutex_lock(&kept_log.lock);
        grown = realloc(kept_log.lines, (kept_log.n + 1) * sizeof(*grown));
        if (grown) {
                kept_log.lines = grown;
                grown[kept_log.n++] = (struct log_line){ .priority = priority, .text = text };
        } else {
                free(text);
        }
        pthread_mutex_unlock(&kept_log.lock);
}

static void clear_log(void)
{
        pthread_mutex_lock(&kept_log.lock);
        for (size_t i = 0; i < kept_log.n; i++)
                free(kept_log.lines[i].text);
        free(kept_log.lines);
        kept_log.lines = NULL;
        kept_log.n = 0;
        pthread_mutex_unlock(&kept_log.lock);
}

struct glue_context *vanish_context_new(const char *sysroot)
{
        struct glue_context *ctx = NULL;

        if (glue_context_new(0, &ctx) < 0)
                return NULL;
        if (sysroot)
                glue_context_set_option(ctx, "sysroot", sysroot);
        /* No sensors.conf: libsensors' names and readings as the tree has them. */
        glue_context_set_option(ctx, "sensors.config", "");
        glue_context_set_log_fn(ctx, keep_log, NULL);
        glue_context_set_log_priority(ctx, LOG_DEBUG);
        return ctx;
}

/* ---- instances ------------------------------------------------------------------------------ */

void removal_add(struct removal *removal, const char *dir)
{
        char **grown = realloc(removal->dirs, (removal->n + 1) * sizeof(*grown));

        if (!grown || !(grown[removal->n] = strdup(dir))) {
                fprintf(stderr, "out of memory\n");
                exit(1);
        }
        removal->dirs = grown;
        removal->n++;
}

void removal_clear(struct removal *removal)
{
        for (size_t i = 0; i < removal->n; i++)
                free(removal->dirs[i]);
        free(removal->dirs);
        *removal = (struct removal){ 0 };
}

static const char *string_of(const struct glue_instance *inst, const char *name)
{
        const char *value = NULL;

        /* Classes without the property answer -EINVAL: no value. */
        return glue_instance_get_string(inst, name, &value) == 0 ? value : NULL;
}

const char *vanish_instance_dir(const struct glue_instance *inst)
{
        const char *dir = string_of(inst, "HwmonPath");

        return dir ? dir : string_of(inst, "SysfsPath");
}

static bool is_under(const char *path, const char *dir)
{
        size_t len = strlen(dir);

        return path && strncmp(path, dir, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

static bool is_removed(const struct glue_instance *inst, const struct removal *removal)
{
        const char *dir = vanish_instance_dir(inst);

        for (size_t i = 0; i < removal->n; i++)
                if (is_under(dir, removal->dirs[i]))
                        return true;
        return false;
}

static const char *device_id(const struct glue_instance *inst)
{
        const char *id = string_of(inst, "DeviceID");

        return id ? id : "";
}

static bool values_equal(const struct glue_value *a, const struct glue_value *b)
{
        if (a->type != b->type || a->is_array != b->is_array || a->count != b->count)
                return false;
        for (size_t i = 0; i < (a->is_array ? a->count : 1); i++) {
                switch (a->type) {
                case GLUE_TYPE_BOOLEAN:
                        if ((a->is_array ? a->v.b_array[i] : a->v.b) !=
                            (b->is_array ? b->v.b_array[i] : b->v.b))
                                return false;
                        break;
                case GLUE_TYPE_REAL32:
                case GLUE_TYPE_REAL64:
                        if ((a->is_array ? a->v.r_array[i] : a->v.r) !=
                            (b->is_array ? b->v.r_array[i] : b->v.r))
                                return false;
                        break;
                case GLUE_TYPE_STRING:
                case GLUE_TYPE_DATETIME:
                        if (strcmp(a->is_array ? a->v.str_array[i] : a->v.str,
                                   b->is_array ? b->v.str_array[i] : b->v.str) != 0)
                                return false;
                        break;
                default:
                        if (glue_type_is_signed(a->type)
                                    ? (a->is_array ? a->v.s_array[i] : a->v.s) !=
                                              (b->is_array ? b->v.s_array[i] : b->v.s)
                                    : (a->is_array ? a->v.u_array[i] : a->v.u) !=
                                              (b->is_array ? b->v.u_array[i] : b->v.u))
                                return false;
                }
        }
        return true;
}

/* NULL if got is its baseline, property by property; else the first property that differs. */
static const char *first_difference(const struct glue_instance *got,
                                    const struct glue_instance *baseline, char *why, size_t size)
{
        const struct glue_class *cls = glue_instance_get_class(got);

        if (cls != glue_instance_get_class(baseline))
                return "the class";
        for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                const struct glue_value *a = NULL, *b = NULL;
                int ra = glue_instance_get_value_at(got, i, &a);
                int rb = glue_instance_get_value_at(baseline, i, &b);
                const char *name = glue_property_get_name(glue_class_get_property(cls, i));

                if (ra != rb || (ra == 0 && !values_equal(a, b))) {
                        snprintf(why, size, "%s is %s, was %s", name,
                                 ra == -ENODATA ? "NULL" : ra == -ENOENT ? "not fetched" : "set",
                                 rb == -ENODATA ? "NULL" : rb == -ENOENT ? "not fetched" : "set");
                        return why;
                }
        }
        return NULL;
}

/* ---- a round -------------------------------------------------------------------------------- */

struct instance_list {
        struct glue_instance **items;
        size_t n;
};

struct delivery {
        const struct vanish_round *round;
        struct instance_list got;
        struct glue_instance **baseline;
        size_t n_baseline;
        struct removal removal;
        bool removed;
};

static int keep_and_remove(struct glue_instance *inst, void *userdata)
{
        struct delivery *d = userdata;
        struct glue_instance **grown = realloc(d->got.items, (d->got.n + 1) * sizeof(*grown));

        if (!grown)
                return GLUE_STOP;
        d->got.items = grown;
        grown[d->got.n++] = glue_instance_ref(inst);
        if (!d->removed && d->got.n >= d->round->trigger_after) {
                d->removed = true;
                d->round->remove(&d->removal, d->round->userdata);
        }
        return 0;
}

static int compare_ids(const void *a, const void *b)
{
        return strcmp(device_id(*(struct glue_instance *const *)a),
                      device_id(*(struct glue_instance *const *)b));
}

static struct glue_instance *find(struct glue_instance **sorted, size_t n, const char *id)
{
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = strcmp(device_id(sorted[mid]), id);

                if (c == 0)
                        return sorted[mid];
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

static void check_providers(struct glue_request *req, const char *what)
{
        for (size_t i = 0; i < glue_request_get_provider_count(req); i++) {
                struct glue_provider_status st;

                if (glue_request_get_provider_status(req, i, &st) < 0)
                        continue;
                /* A vanished device is a note in the log, not a failure nor a warning. */
                if (st.error != 0 || !st.finished || st.message) {
                        fprintf(stderr, "%s: provider %s (%s): error %d, finished %d, \"%s\"\n",
                                what, st.provider, st.class_name, st.error, st.finished,
                                st.message ? st.message : "");
                        test_failures++;
                }
        }
}

/* Each note of a vanished device names one that was removed: "<DeviceID>: vanished ...". */
static unsigned check_vanish_notes(const struct delivery *d, const char *what)
{
        unsigned notes = 0;

        pthread_mutex_lock(&kept_log.lock);
        for (size_t i = 0; i < kept_log.n; i++) {
                const char *text = kept_log.lines[i].text, *colon, *name;
                const struct glue_instance *inst;
                char id[256];

                if (kept_log.lines[i].priority <= LOG_ERR) {
                        fprintf(stderr, "%s: an error in the log: %s\n", what, text);
                        test_failures++;
                }
                if (!strstr(text, "vanished"))
                        continue;
                notes++;
                printf("#   %s\n", text ? text : "");
                /* "provider: name: vanished ..." */
                name = strstr(text, ": ");
                name = name ? name + 2 : text;
                colon = strchr(name, ':');
                while (colon && colon[1] != ' ')
                        colon = strchr(colon + 1, ':');
                snprintf(id, sizeof(id), "%.*s", colon ? (int)(colon - name) : 0, name);
                inst = find(d->baseline, d->n_baseline, id);
                if (!inst || !is_removed(inst, &d->removal)) {
                        fprintf(stderr, "%s: a vanish note about a device not removed: %s\n",
                                what, text);
                        test_failures++;
                }
        }
        pthread_mutex_unlock(&kept_log.lock);
        return notes;
}

void vanish_round_run(const struct vanish_round *round, const char *what)
{
        struct delivery d = { .round = round };
        struct glue_request *req = NULL;
        size_t removed = 0, delivered_removed = 0, missing = 0, incomplete = 0;
        unsigned notes;
        int r;

        /* The baseline: everything, before anything is removed. */
        check_int_eq(glue_request_new(round->ctx, &req), 0);
        r = glue_request_collect(req, "CIM_LogicalDevice", &d.baseline, &d.n_baseline);
        check_int_eq(r, 0);
        check_providers(req, what);
        glue_request_unref(req);
        check(d.n_baseline > round->trigger_after);
        qsort(d.baseline, d.n_baseline, sizeof(*d.baseline), compare_ids);
        round->choose(d.baseline, d.n_baseline, &d.removal, round->userdata);
        for (size_t i = 0; i < d.n_baseline; i++)
                removed += is_removed(d.baseline[i], &d.removal);
        check(removed > 0);
        clear_log();

        /* The round: remove from inside the caller's function. */
        check_int_eq(glue_request_new(round->ctx, &req), 0);
        r = glue_request_enumerate(req, "CIM_LogicalDevice", keep_and_remove, &d);
        check_int_eq(r, 0);
        check(d.removed);
        check_providers(req, what);
        glue_request_unref(req);

        qsort(d.got.items, d.got.n, sizeof(*d.got.items), compare_ids);
        for (size_t i = 0; i < d.got.n; i++) {
                struct glue_instance *got = d.got.items[i], *base;
                const char *id = device_id(got), *why;
                char buf[256];

                if (i > 0 && strcmp(id, device_id(d.got.items[i - 1])) == 0) {
                        fprintf(stderr, "%s: %s delivered twice\n", what, id);
                        test_failures++;
                }
                base = find(d.baseline, d.n_baseline, id);
                if (!base) {
                        fprintf(stderr, "%s: %s delivered, not in the baseline\n", what, id);
                        test_failures++;
                        continue;
                }
                delivered_removed += is_removed(base, &d.removal);
                why = first_difference(got, base, buf, sizeof(buf));
                if (why) {
                        fprintf(stderr, "%s: %s (%s) delivered incomplete: %s\n", what, id,
                                is_removed(base, &d.removal) ? "removed" : "not removed", why);
                        incomplete++;
                        test_failures++;
                }
        }
        for (size_t i = 0; i < d.n_baseline; i++) {
                const char *id = device_id(d.baseline[i]);

                if (!is_removed(d.baseline[i], &d.removal) && !find(d.got.items, d.got.n, id)) {
                        fprintf(stderr, "%s: %s was not removed, and not delivered\n", what, id);
                        missing++;
                        test_failures++;
                }
        }
        check(d.got.n >= d.n_baseline - removed);
        check(d.got.n <= d.n_baseline);
        notes = check_vanish_notes(&d, what);
        printf("# %s: %zu instances, %zu of them removed after instance %zu: %zu delivered "
               "(%zu of the removed, read before they went), %u vanish notes, %zu incomplete, "
               "%zu missing\n", what, d.n_baseline, removed, round->trigger_after, d.got.n,
               delivered_removed, notes, incomplete, missing);

        glue_instance_list_free(d.got.items, d.got.n);
        glue_instance_list_free(d.baseline, d.n_baseline);
        removal_clear(&d.removal);
        clear_log();
}
