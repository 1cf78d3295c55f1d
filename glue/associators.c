/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ASSOCIATORS OF and REFERENCES OF: the objects related to one object, and the relations.
 *
 * A request is a chain of engine runs (enumerate.c) on the caller's thread, with one deadline:
 *  1. the source is got (keys only), as glue_request_get() gets it, which checks that it exists
 *     and gives its most derived class and canonical path (a path may name a superclass);
 *  2. each association class in scope is run in association mode: the providers are asked for
 *     the associations of that one object (their references operation, else enumerate), jobs
 *     for classes whose references cannot name the source are not planned, and the engine
 *     drops at post what does not refer to the source;
 *  3. for ASSOCIATORS OF, each association the engine delivers names its other ends; each end
 *     not seen yet is got from its provider (the glue resolves paths: providers never call
 *     each other) and, once per object, handed to the caller. So the first endpoint goes out
 *     as soon as its association is posted and it is got, and memory grows with the endpoints
 *     met, not with the associations enumerated.
 * The runs' provider statuses are merged, one entry per (provider, class).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glue-private.h"
#include "query-parser.h"
#include "string-set.h"

/* ---- what may refer to what (also for the engine's workers) --------------------------------- */

bool association_may_refer(const struct glue_class *assoc, const struct glue_class *object_class,
                           const char *role)
{
        for (size_t i = 0; i < assoc->n_properties; i++) {
                const struct glue_property *prop = assoc->properties[i];

                if (prop->type != GLUE_TYPE_REFERENCE ||
                    (role && strcasecmp(prop->name, role) != 0))
                        continue;
                if (glue_class_is_a(object_class, prop->reference_class))
                        return true;
        }
        return false;
}

/* Does the value of REF property prop name the object? The value is canonical (set through
 * reference.c), the object's path too: the keys compare as they are; the classes must let the
 * value name an object of object_class (its own class, or an ancestor's path). */
static bool value_names_object(const struct glue_property *prop, const char *text,
                               const struct glue_class *object_class,
                               const struct glue_path *object)
{
        const struct glue_class *cls;
        struct glue_path *path;
        bool names;

        if (glue_path_parse(text, &path) < 0)
                return false;
        cls = class_find_related(prop->reference_class, path->class_name);
        names = cls && glue_class_is_a(object_class, cls) && path_keys_equal(path, object);
        glue_path_free(path);
        return names;
}

/* Does REF property i of inst (its slot set) name the object? */
static bool slot_names_object(const struct glue_instance *inst, size_t i,
                              const struct glue_class *object_class,
                              const struct glue_path *object)
{
        const struct glue_property *prop = inst->cls->properties[i];

        return prop->type == GLUE_TYPE_REFERENCE && inst->slots[i].state == SLOT_SET &&
               value_names_object(prop, inst->slots[i].value.v.str, object_class, object);
}

bool association_refers_to(const struct glue_instance *inst, const struct glue_class *object_class,
                           const struct glue_path *object, const char *role)
{
        for (size_t i = 0; i < inst->cls->n_properties; i++)
                if ((!role || strcasecmp(inst->cls->properties[i]->name, role) == 0) &&
                    slot_names_object(inst, i, object_class, object))
                        return true;
        return false;
}

/* ---- what the caller asked ------------------------------------------------------------------ */

struct position {
        unsigned line, column; /* 0: none (the C API) */
};

struct assoc_spec {
        bool references; /* REFERENCES OF, else ASSOCIATORS OF */
        const char *path;
        const char *assoc_class, *result_class, *role, *result_role;
        const char *required_qualifier, *required_assoc_qualifier;
        bool keys_only;
        struct position path_at, assoc_class_at, result_class_at, role_at, result_role_at;
};

/* The request's error, "query:L:C: " first when the query gave the position. Returns err. */
static int spec_error(struct glue_request *req, struct position at, int err, const char *format,
                      ...) __attribute__((format(printf, 4, 5)));
static int spec_error(struct glue_request *req, struct position at, int err, const char *format,
                      ...)
{
        va_list args;
        char *msg;

        va_start(args, format);
        if (vasprintf(&msg, format, args) < 0)
                msg = NULL;
        va_end(args);
        if (at.line)
                request_set_error(req, "query:%u:%u: %s", at.line, at.column, msg ? msg : "");
        else
                request_set_error(req, "%s", msg ? msg : "");
        free(msg);
        return err;
}

/* ---- provider statuses over several runs ------------------------------------------------------ */

struct status_acc {
        struct status_entry *items;
        size_t n;
        struct read_error_list read_errors;
        char *error;
};

/*
 * Move the status of the run just made out of the request into acc, merged by (provider,
 * class). found_and_stopped: the run was a get that stopped at the instance it wanted, so a
 * provider cut short then did all that was asked of it.
 */
static void acc_take(struct status_acc *acc, struct glue_request *req, bool found_and_stopped)
{
        for (size_t i = 0; i < req->n_status; i++) {
                struct status_entry *s = &req->status[i], *e = NULL;

                if (found_and_stopped && s->error == -ECANCELED && !s->finished) {
                        s->error = 0;
                        s->finished = true;
                }
                for (size_t j = 0; j < acc->n && !e; j++)
                        if (strcasecmp(acc->items[j].provider, s->provider) == 0 &&
                            strcasecmp(acc->items[j].class_name, s->class_name) == 0)
                                e = &acc->items[j];
                if (e) {
                        e->instances += s->instances;
                        e->usec += s->usec;
                        e->finished = e->finished && s->finished;
                        /* A deadline missed says the most: it is what the caller hears. */
                        if (!e->error || s->error == -ETIMEDOUT)
                                e->error = s->error ? s->error : e->error;
                        if (s->message) {
                                free(e->message);
                                e->message = s->message;
                                s->message = NULL;
                        }
                        continue;
                }
                struct status_entry *items = realloc(acc->items, (acc->n + 1) * sizeof(*items));
                if (!items)
                        continue; /* out of memory: that provider's line is lost, not the call */
                acc->items = items;
                items[acc->n++] = *s;
                s->provider = s->class_name = s->message = NULL;
        }
        for (size_t i = 0; i < req->read_errors.count; i++) {
                const struct read_error_entry *e = &req->read_errors.items[i];
                read_error_list_add(&acc->read_errors, e->error, e->count, e->example,
                                    e->provider);
        }
        if (!acc->error) {
                acc->error = req->error;
                req->error = NULL;
        }
        request_clear_status(req);
}

static void acc_install(struct status_acc *acc, struct glue_request *req)
{
        char *error = req->error; /* a message set after the runs (no instance at path) */

        req->error = NULL;
        request_clear_status(req);
        req->status = acc->items;
        req->n_status = acc->n;
        req->read_errors = acc->read_errors;
        req->error = error ? error : acc->error;
        if (error)
                free(acc->error);
        *acc = (struct status_acc){ 0 };
}

static void acc_clear(struct status_acc *acc)
{
        for (size_t i = 0; i < acc->n; i++) {
                free(acc->items[i].provider);
                free(acc->items[i].class_name);
                free(acc->items[i].message);
        }
        free(acc->items);
        read_error_list_clear(&acc->read_errors);
        free(acc->error);
        *acc = (struct status_acc){ 0 };
}

/* ---- one request ---------------------------------------------------------------------------- */

struct assoc_state {
        struct glue_request *req;
        const struct assoc_spec *spec;
        glue_instance_fn fn;
        void *userdata;
        uint64_t deadline;
        const struct glue_class *result_class;
        const struct glue_class *source_class; /* most derived */
        struct glue_path *source;              /* canonical */
        struct string_set seen_ends;    /* references followed already (their canonical text) */
        struct string_set seen_results; /* endpoints delivered (their instance path) */
        struct status_acc acc;
        bool stopped;   /* the caller's function said stop */
        bool timed_out; /* a run missed the deadline */
        int error;      /* out of memory */
};

static bool deadline_passed(const struct assoc_state *st)
{
        return st->deadline && now_usec() >= st->deadline;
}

/* A run's outcome into the state: a missed deadline, or a failure of ours. */
static void note_run(struct assoc_state *st, int r)
{
        if (r == -ETIMEDOUT)
                st->timed_out = true;
        else if (r == -ENOMEM && !st->error)
                st->error = r;
}

static int take_first(struct glue_instance *inst, void *userdata)
{
        struct glue_instance **ret = userdata;

        *ret = glue_instance_ref(inst);
        return GLUE_STOP;
}

/* Get the instance at the canonical path of class cls, as its most derived class, into *ret
 * (NULL if there is none). */
static void resolve(struct assoc_state *st, const struct glue_class *cls,
                    const struct glue_path *path, unsigned flags, struct glue_instance **ret)
{
        struct glue_request *req = st->req;
        struct run_options opts = {
                .root = cls,
                .flags = flags & ~GLUE_REQUEST_SHALLOW,
                .properties = (const char *const *)req->properties,
                .n_properties = (flags & GLUE_REQUEST_KEYS_ONLY) ? 0 : req->n_properties,
                .deadline = st->deadline,
                .key = path,
        };
        int r;

        *ret = NULL;
        r = engine_run(req->ctx, req, &opts, take_first, ret);
        acc_take(&st->acc, req, *ret != NULL);
        if (!*ret)
                note_run(st, r);
}

static bool class_has_qualifier(const struct glue_class *cls, const char *name)
{
        return !name || glue_class_get_qualifier(cls, name, NULL) == 0;
}

/* One end of an association, the value of a REF property: got, filtered and, the first time,
 * delivered. 0, or GLUE_STOP. */
static int follow_end(struct assoc_state *st, const struct glue_property *prop, const char *text)
{
        const struct glue_class *end_class;
        struct glue_instance *inst = NULL;
        struct glue_path *path;
        char *inst_path = NULL;
        int r;

        r = string_set_add(&st->seen_ends, text);
        if (r <= 0)
                goto out; /* met already (or no memory) */
        r = glue_path_parse(text, &path);
        if (r < 0) {
                r = 0; /* not set through the setters: names nothing */
                goto out;
        }
        end_class = class_find_related(prop->reference_class, path->class_name);
        /* A reference to a class unrelated to ResultClass cannot lead to one: not got. */
        if (end_class && (!st->result_class || classes_related(end_class, st->result_class))) {
                if (deadline_passed(st))
                        st->timed_out = true;
                else
                        resolve(st, end_class, path,
                                st->req->flags | (st->spec->keys_only ? GLUE_REQUEST_KEYS_ONLY : 0),
                                &inst);
        }
        glue_path_free(path);
        if (!inst) {
                if (end_class)
                        log_debug(st->req->ctx, "associators: %s names no instance", text);
                goto out;
        }
        if ((st->result_class && !glue_class_is_a(inst->cls, st->result_class)) ||
            !class_has_qualifier(inst->cls, st->spec->required_qualifier))
                goto out;
        /* Two references may name one object (a superclass path): once per object. */
        r = glue_instance_get_path(inst, &inst_path);
        if (r == 0)
                r = string_set_add(&st->seen_results, inst_path);
        if (r > 0 && st->fn(inst, st->userdata) != 0)
                st->stopped = true;
out:
        if (r == -ENOMEM)
                st->error = r;
        free(inst_path);
        glue_instance_unref(inst);
        return st->stopped || st->error ? GLUE_STOP : 0;
}

/* ASSOCIATORS OF: an association that refers to the source; its other ends. */
static int on_association(struct glue_instance *inst, void *userdata)
{
        struct assoc_state *st = userdata;
        const struct assoc_spec *spec = st->spec;
        const struct glue_class *cls = inst->cls;

        if (!class_has_qualifier(cls, spec->required_assoc_qualifier))
                return 0;
        for (size_t j = 0; j < cls->n_properties; j++) {
                const struct glue_property *end = cls->properties[j];
                bool other_refers = false;

                if (end->type != GLUE_TYPE_REFERENCE || inst->slots[j].state != SLOT_SET ||
                    (spec->result_role && strcasecmp(end->name, spec->result_role) != 0))
                        continue;
                /* An end is one that another reference, in the source's role, leads from. */
                for (size_t i = 0; i < cls->n_properties && !other_refers; i++)
                        other_refers = i != j &&
                                       (!spec->role ||
                                        strcasecmp(cls->properties[i]->name, spec->role) == 0) &&
                                       slot_names_object(inst, i, st->source_class, st->source);
                if (other_refers && follow_end(st, end, inst->slots[j].value.v.str) != 0)
                        return GLUE_STOP;
        }
        return 0;
}

/* REFERENCES OF: the association itself. */
static int on_reference(struct glue_instance *inst, void *userdata)
{
        struct assoc_state *st = userdata;

        if ((st->result_class && !glue_class_is_a(inst->cls, st->result_class)) ||
            !class_has_qualifier(inst->cls, st->spec->required_qualifier))
                return 0;
        if (st->fn(inst, st->userdata) != 0) {
                st->stopped = true;
                return GLUE_STOP;
        }
        return 0;
}

/* ---- scope and names ------------------------------------------------------------------------ */

/* The topmost association classes of a namespace (each with its subtree, every association). */
static int association_roots(const struct glue_context *ctx, const char *name_space,
                             const struct glue_class ***ret, size_t *ret_count)
{
        const struct glue_class **roots = NULL;
        size_t n = 0;

        for (size_t i = 0; i < glue_context_get_class_count(ctx); i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);
                const struct glue_class **grown;

                if (!cls->is_association || strcasecmp(cls->name_space, name_space) != 0 ||
                    (cls->superclass && cls->superclass->is_association))
                        continue;
                grown = realloc(roots, (n + 1) * sizeof(*roots));
                if (!grown) {
                        free(roots);
                        return -ENOMEM;
                }
                roots = grown;
                roots[n++] = cls;
        }
        *ret = roots;
        *ret_count = n;
        return 0;
}

/* Has one of the classes a REF property of that name? Subclasses add none: the roots'
 * references are all there are. */
static bool roots_have_reference(const struct glue_class *const *roots, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++) {
                const struct glue_property *prop;

                if (glue_class_find_property(roots[i], name, &prop, NULL) == 0 &&
                    prop->type == GLUE_TYPE_REFERENCE)
                        return true;
        }
        return false;
}

static int check_role(struct glue_request *req, const struct glue_class *const *roots, size_t n,
                      const struct glue_class *assoc, const char *role, struct position at)
{
        if (!role || roots_have_reference(roots, n, role))
                return 0;
        if (assoc)
                return spec_error(req, at, -EINVAL, "association %s has no reference named %s",
                                  assoc->name, role);
        return spec_error(req, at, -EINVAL, "no association class has a reference named %s",
                          role);
}

static int find_named_class(struct glue_request *req, const char *name_space, const char *name,
                            struct position at, const struct glue_class **ret)
{
        int r = glue_context_find_class(req->ctx, name_space, name, ret);

        if (r == -ENXIO)
                return spec_error(req, at, r, "unknown namespace %s", name_space);
        if (r < 0)
                return spec_error(req, at, -ESRCH, "unknown class %s", name);
        return 0;
}

/* The REF property names of an association class (borrowed), to fetch only what is needed. */
static int reference_names(const struct glue_class *cls, const char ***names, size_t *n)
{
        for (size_t i = 0; i < cls->n_properties; i++) {
                const char **grown;

                if (cls->properties[i]->type != GLUE_TYPE_REFERENCE)
                        continue;
                grown = realloc(*names, (*n + 1) * sizeof(**names));
                if (!grown)
                        return -ENOMEM;
                *names = grown;
                (*names)[(*n)++] = cls->properties[i]->name;
        }
        return 0;
}

/* Run one association class (and its subtree) in association mode. */
static void run_associations(struct assoc_state *st, const struct glue_class *root)
{
        struct glue_request *req = st->req;
        const char **names = NULL;
        size_t n = 0;
        int r = 0;

        /* ASSOCIATORS OF needs the references only. REFERENCES OF delivers the associations:
         * what the caller asked, and the references, which the filter reads. */
        if (st->spec->references && !(req->flags & GLUE_REQUEST_KEYS_ONLY) &&
            !st->spec->keys_only) {
                for (size_t i = 0; i < req->n_properties && r >= 0; i++) {
                        const char **grown = realloc(names, (n + 1) * sizeof(*names));
                        if (!grown)
                                r = -ENOMEM;
                        else {
                                names = grown;
                                names[n++] = req->properties[i];
                        }
                }
                if (r >= 0 && n > 0)
                        r = reference_names(root, &names, &n);
        } else {
                r = reference_names(root, &names, &n);
        }
        if (r < 0) {
                st->error = r;
                free(names);
                return;
        }
        struct run_options opts = {
                .root = root,
                .properties = names,
                .n_properties = n,
                .deadline = st->deadline,
                .object = st->source,
                .object_class = st->source_class,
                .role = st->spec->role,
        };
        r = engine_run(req->ctx, req, &opts, st->spec->references ? on_reference : on_association,
                       st);
        acc_take(&st->acc, req, false);
        note_run(st, r);
        free(names);
}

/* Parse and check the path, get the source: 0, or a negative errno with the request's error. */
static int find_source(struct assoc_state *st)
{
        struct glue_request *req = st->req;
        const struct assoc_spec *spec = st->spec;
        const struct glue_class *cls;
        struct glue_path *path, *canonical = NULL;
        struct glue_instance *inst = NULL;
        int r;

        r = glue_path_parse(spec->path, &path);
        if (r < 0)
                return r == -EILSEQ ? spec_error(req, spec->path_at, r, "malformed object path: %s",
                                                 spec->path)
                                    : r;
        r = find_named_class(req, path->name_space ? path->name_space : req->name_space,
                             path->class_name, spec->path_at, &cls);
        if (r == 0) {
                r = path_canonicalize(cls, path, &canonical);
                if (r == -EILSEQ)
                        spec_error(req, spec->path_at, r, "object path %s must give the %zu "
                                   "key(s) of %s, each as its type is written", spec->path,
                                   cls->n_keys, cls->name);
        }
        glue_path_free(path);
        if (r < 0)
                return r;
        resolve(st, cls, canonical, GLUE_REQUEST_KEYS_ONLY, &inst);
        glue_path_free(canonical);
        if (!inst) {
                if (st->error)
                        return st->error;
                if (st->timed_out)
                        return -ETIMEDOUT;
                return spec_error(req, spec->path_at, -ENOENT, "no instance %s", spec->path);
        }
        st->source_class = inst->cls;
        r = instance_to_path(inst, &st->source);
        glue_instance_unref(inst);
        return r;
}

/* The association classes to run (owned array of borrowed classes), after the names check. */
static int find_scope(struct assoc_state *st, const struct glue_class ***ret, size_t *ret_count)
{
        struct glue_request *req = st->req;
        const struct assoc_spec *spec = st->spec;
        const char *name_space = st->source_class->name_space;
        const struct glue_class *assoc = NULL;
        int r;

        if (spec->result_class) {
                r = find_named_class(req, name_space, spec->result_class, spec->result_class_at,
                                     &st->result_class);
                if (r < 0)
                        return r;
                /* REFERENCES OF returns associations: ResultClass names their class. */
                if (spec->references && !st->result_class->is_association)
                        return spec_error(req, spec->result_class_at, -EINVAL, "%s is no "
                                          "association class: REFERENCES OF returns associations",
                                          st->result_class->name);
                if (spec->references)
                        assoc = st->result_class;
        }
        if (spec->assoc_class) {
                r = find_named_class(req, name_space, spec->assoc_class, spec->assoc_class_at,
                                     &assoc);
                if (r < 0)
                        return r;
                if (!assoc->is_association)
                        return spec_error(req, spec->assoc_class_at, -EINVAL,
                                          "%s is no association class", assoc->name);
        }
        if (assoc) {
                *ret = malloc(sizeof(**ret));
                if (!*ret)
                        return -ENOMEM;
                (*ret)[0] = assoc;
                *ret_count = 1;
        } else {
                r = association_roots(req->ctx, name_space, ret, ret_count);
                if (r < 0)
                        return r;
        }
        r = check_role(req, *ret, *ret_count, assoc, spec->role, spec->role_at);
        if (r == 0)
                r = check_role(req, *ret, *ret_count, assoc, spec->result_role,
                               spec->result_role_at);
        if (r < 0) {
                free(*ret);
                *ret = NULL;
        }
        return r;
}

/* The first provider that did not finish, for the message of a missed deadline. */
static void set_timeout_error(struct glue_request *req)
{
        for (size_t i = 0; i < req->n_status; i++)
                if (!req->status[i].finished) {
                        request_set_error(req, "provider %s did not finish %s in time",
                                          req->status[i].provider, req->status[i].class_name);
                        return;
                }
        request_set_error(req, "the deadline passed");
}

static int association_run(struct glue_request *req, const struct assoc_spec *spec,
                           glue_instance_fn fn, void *userdata)
{
        struct assoc_state st = {
                .req = req,
                .spec = spec,
                .fn = fn,
                .userdata = userdata,
                .deadline = req->timeout_usec ? now_usec() + req->timeout_usec : 0,
        };
        const struct glue_class **scope = NULL;
        size_t n_scope = 0;
        int r;

        r = find_source(&st);
        if (r == 0)
                r = find_scope(&st, &scope, &n_scope);
        for (size_t i = 0; r == 0 && i < n_scope && !st.stopped && !st.error && !st.timed_out; i++)
                run_associations(&st, scope[i]);
        if (r == 0) {
                if (st.error)
                        r = st.error;
                else if (st.stopped)
                        r = -ECANCELED;
                else if (st.timed_out)
                        r = -ETIMEDOUT;
                else
                        for (size_t i = 0; i < st.acc.n; i++)
                                r += st.acc.items[i].error < 0;
        }
        if (r == -ETIMEDOUT || r >= 0 || r == -ECANCELED || r == -ENOENT) {
                acc_install(&st.acc, req);
                if (r == -ETIMEDOUT && !req->error)
                        set_timeout_error(req);
        }
        acc_clear(&st.acc);
        free(scope);
        glue_path_free(st.source);
        string_set_clear(&st.seen_ends);
        string_set_clear(&st.seen_results);
        return r;
}

/* ---- the calls -------------------------------------------------------------------------------- */

GLUE_EXPORT int glue_request_associators(struct glue_request *req, const char *path,
                                         const char *assoc_class, const char *result_class,
                                         const char *role, const char *result_role,
                                         glue_instance_fn fn, void *userdata)
{
        struct assoc_spec spec = {
                .path = path,
                .assoc_class = assoc_class,
                .result_class = result_class,
                .role = role,
                .result_role = result_role,
        };

        if (!req || !path || !fn)
                return -EINVAL;
        request_clear_status(req);
        return association_run(req, &spec, fn, userdata);
}

GLUE_EXPORT int glue_request_references(struct glue_request *req, const char *path,
                                        const char *result_class, const char *role,
                                        glue_instance_fn fn, void *userdata)
{
        struct assoc_spec spec = {
                .references = true,
                .path = path,
                .result_class = result_class,
                .role = role,
        };

        if (!req || !path || !fn)
                return -EINVAL;
        request_clear_status(req);
        return association_run(req, &spec, fn, userdata);
}

static struct position at(const struct wql_name *name)
{
        return (struct position){ name->line, name->column };
}

int association_query(struct glue_request *req, const struct wql_association *a,
                      glue_instance_fn fn, void *userdata)
{
        const struct wql_name *unsupported = a->class_defs_only.name ? &a->class_defs_only
                                             : a->schema_only.name   ? &a->schema_only
                                                                     : NULL;
        struct assoc_spec spec = {
                .references = a->kind == WQL_REFERENCES_OF,
                .path = a->path.name,
                .assoc_class = a->assoc_class.name,
                .result_class = a->result_class.name,
                .role = a->role.name,
                .result_role = a->result_role.name,
                .required_qualifier = a->required_qualifier.name,
                .required_assoc_qualifier = a->required_assoc_qualifier.name,
                .keys_only = a->keys_only.name != NULL,
                .path_at = at(&a->path),
                .assoc_class_at = at(&a->assoc_class),
                .result_class_at = at(&a->result_class),
                .role_at = at(&a->role),
                .result_role_at = at(&a->result_role),
        };

        /* The answers would be classes, and a glue_instance_fn takes instances. */
        if (unsupported)
                return spec_error(req, at(unsupported), -EOPNOTSUPP, "%s is not supported: "
                                  "hwglue answers with instances, not class definitions",
                                  unsupported->name);
        return association_run(req, &spec, fn, userdata);
}
