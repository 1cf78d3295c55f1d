/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Requests: the caller's options for enumerate/get/query, and the outcome of each provider. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "glue-private.h"

uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

GLUE_EXPORT int glue_request_new(struct glue_context *ctx, struct glue_request **ret)
{
        struct glue_request *req;

        if (!ctx || !ret)
                return -EINVAL;
        req = calloc(1, sizeof(*req));
        if (!req)
                return -ENOMEM;
        atomic_init(&req->refcount, 1);
        req->ctx = glue_context_ref(ctx);
        *ret = req;
        return 0;
}

GLUE_EXPORT struct glue_request *glue_request_ref(struct glue_request *req)
{
        if (req)
                atomic_fetch_add(&req->refcount, 1);
        return req;
}

static void free_properties(struct glue_request *req)
{
        for (size_t i = 0; i < req->n_properties; i++)
                free(req->properties[i]);
        free(req->properties);
        req->properties = NULL;
        req->n_properties = 0;
}

void request_clear_status(struct glue_request *req)
{
        for (size_t i = 0; i < req->n_status; i++) {
                free(req->status[i].provider);
                free(req->status[i].class_name);
                free(req->status[i].message);
        }
        free(req->status);
        req->status = NULL;
        req->n_status = 0;
        free(req->error);
        req->error = NULL;
        read_error_list_clear(&req->read_errors);
}

GLUE_EXPORT struct glue_request *glue_request_unref(struct glue_request *req)
{
        if (req && atomic_fetch_sub(&req->refcount, 1) == 1) {
                request_clear_status(req);
                free_properties(req);
                free(req->name_space);
                glue_context_unref(req->ctx);
                free(req);
        }
        return NULL;
}

GLUE_EXPORT struct glue_context *glue_request_get_context(const struct glue_request *req)
{
        return req ? req->ctx : NULL;
}

GLUE_EXPORT int glue_request_set_namespace(struct glue_request *req, const char *name_space)
{
        char *copy = NULL;

        if (!req)
                return -EINVAL;
        if (name_space) {
                copy = strdup(name_space);
                if (!copy)
                        return -ENOMEM;
                for (char *c = copy; *c; c++)
                        if (*c == '\\')
                                *c = '/';
        }
        free(req->name_space);
        req->name_space = copy;
        return 0;
}

GLUE_EXPORT void glue_request_set_flags(struct glue_request *req, unsigned flags)
{
        if (req)
                req->flags = flags;
}

GLUE_EXPORT unsigned glue_request_get_flags(const struct glue_request *req)
{
        return req ? req->flags : 0;
}

GLUE_EXPORT int glue_request_set_properties(struct glue_request *req, const char *const *names,
                                            size_t count)
{
        char **copy;

        if (!req || (count && !names))
                return -EINVAL;
        if (count == 0) {
                free_properties(req);
                return 0;
        }
        copy = calloc(count, sizeof(*copy));
        if (!copy)
                return -ENOMEM;
        for (size_t i = 0; i < count; i++) {
                copy[i] = names[i] ? strdup(names[i]) : NULL;
                if (!copy[i]) {
                        for (size_t j = 0; j < i; j++)
                                free(copy[j]);
                        free(copy);
                        return names[i] ? -ENOMEM : -EINVAL;
                }
        }
        free_properties(req);
        req->properties = copy;
        req->n_properties = count;
        return 0;
}

GLUE_EXPORT void glue_request_set_timeout(struct glue_request *req, uint64_t usec)
{
        if (req)
                req->timeout_usec = usec;
}

GLUE_EXPORT void glue_request_set_idle_fn(struct glue_request *req, glue_idle_fn fn,
                                          void *userdata)
{
        if (req) {
                req->idle_fn = fn;
                req->idle_data = userdata;
        }
}

void request_set_error(struct glue_request *req, const char *format, ...)
{
        va_list args;
        char *msg;

        va_start(args, format);
        if (vasprintf(&msg, format, args) < 0)
                msg = NULL;
        va_end(args);
        free(req->error);
        req->error = msg;
}

GLUE_EXPORT const char *glue_request_get_error(const struct glue_request *req)
{
        return req ? req->error : NULL;
}

GLUE_EXPORT size_t glue_request_get_provider_count(const struct glue_request *req)
{
        return req ? req->n_status : 0;
}

GLUE_EXPORT int glue_request_get_provider_status(const struct glue_request *req, size_t index,
                                                 struct glue_provider_status *ret)
{
        const struct status_entry *s;

        if (!req || !ret || index >= req->n_status)
                return -EINVAL;
        s = &req->status[index];
        *ret = (struct glue_provider_status){
                .provider = s->provider,
                .class_name = s->class_name,
                .error = s->error,
                .finished = s->finished,
                .instances = s->instances,
                .usec = s->usec,
                .message = s->message,
        };
        return 0;
}

/* Resolve a class name in the request's namespace, with a message for the caller. */
static int request_find_class(struct glue_request *req, const char *name_space, const char *name,
                              const struct glue_class **ret)
{
        int r = glue_context_find_class(req->ctx, name_space, name, ret);

        if (r == -ESRCH)
                request_set_error(req, "unknown class %s", name);
        else if (r == -ENXIO)
                request_set_error(req, "unknown namespace %s",
                                  name_space ? name_space : GLUE_DEFAULT_NAMESPACE);
        return r;
}

static void request_run_options(const struct glue_request *req, const struct glue_class *root,
                                struct run_options *opts)
{
        *opts = (struct run_options){
                .root = root,
                .flags = req->flags,
                .properties = (const char *const *)req->properties,
                .n_properties = req->n_properties,
                .deadline = req->timeout_usec ? now_usec() + req->timeout_usec : 0,
                .idle_fn = req->idle_fn,
                .idle_data = req->idle_data,
        };
}

GLUE_EXPORT int glue_request_enumerate(struct glue_request *req, const char *class_name,
                                       glue_instance_fn fn, void *userdata)
{
        const struct glue_class *root;
        struct run_options opts;
        int r;

        if (!req || !class_name || !fn)
                return -EINVAL;
        request_clear_status(req);
        r = request_find_class(req, req->name_space, class_name, &root);
        if (r < 0)
                return r;
        request_run_options(req, root, &opts);
        return engine_run(req->ctx, req, &opts, fn, userdata);
}

struct collector {
        struct glue_instance **list;
        size_t n, cap;
        int error;
};

static int collect_one(struct glue_instance *inst, void *userdata)
{
        struct collector *c = userdata;

        if (c->n == c->cap) {
                size_t cap = c->cap ? c->cap * 2 : 16;
                struct glue_instance **list = realloc(c->list, cap * sizeof(*list));
                if (!list) {
                        c->error = -ENOMEM;
                        return GLUE_STOP;
                }
                c->list = list;
                c->cap = cap;
        }
        c->list[c->n++] = glue_instance_ref(inst);
        return 0;
}

GLUE_EXPORT int glue_request_collect(struct glue_request *req, const char *class_name,
                                     struct glue_instance ***ret_list, size_t *ret_count)
{
        struct collector c = { 0 };
        int r;

        if (!ret_list || !ret_count)
                return -EINVAL;
        r = glue_request_enumerate(req, class_name, collect_one, &c);
        if (c.error < 0)
                r = c.error;
        if (r < 0 && r != -ETIMEDOUT) {
                glue_instance_list_free(c.list, c.n);
                return r;
        }
        *ret_list = c.list;
        *ret_count = c.n;
        return r;
}

static int take_first(struct glue_instance *inst, void *userdata)
{
        struct glue_instance **ret = userdata;

        *ret = glue_instance_ref(inst);
        return GLUE_STOP;
}

GLUE_EXPORT int glue_request_get(struct glue_request *req, const char *path_text,
                                 struct glue_instance **ret)
{
        const struct glue_class *cls;
        struct glue_instance *found = NULL;
        struct glue_path *path;
        struct run_options opts;
        int r;

        if (!req || !path_text || !ret)
                return -EINVAL;
        request_clear_status(req);
        r = glue_path_parse(path_text, &path);
        if (r < 0) {
                if (r == -EILSEQ)
                        request_set_error(req, "malformed object path: %s", path_text);
                return r;
        }
        r = request_find_class(req, path->name_space ? path->name_space : req->name_space,
                               path->class_name, &cls);
        if (r < 0)
                goto out;
        /* The path must name exactly the class's keys. */
        r = -EILSEQ;
        if (path->n_keys != cls->n_keys || (path->singleton && cls->n_keys)) {
                request_set_error(req, "object path %s must give the %zu key(s) of %s", path_text,
                                  cls->n_keys, cls->name);
                goto out;
        }
        for (size_t i = 0; i < path->n_keys; i++) {
                const struct glue_property *prop;
                if (glue_class_find_property(cls, path->keys[i].name, &prop, NULL) < 0 ||
                    !prop->is_key) {
                        request_set_error(req, "%s is not a key of %s", path->keys[i].name,
                                          cls->name);
                        goto out;
                }
        }
        request_run_options(req, cls, &opts);
        opts.flags &= ~GLUE_REQUEST_SHALLOW;
        opts.key = path;
        r = engine_run(req->ctx, req, &opts, take_first, &found);
        if (found) {
                *ret = found;
                r = 0; /* found: the stop that followed is ours, not the caller's */
        } else if (r >= 0) {
                request_set_error(req, "no instance %s", path_text);
                r = -ENOENT;
        }
out:
        glue_path_free(path);
        return r;
}
