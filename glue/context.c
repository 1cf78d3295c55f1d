/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The context: schema registry, providers, options and the log hook. No global state. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "glue-private.h"
#include "schema-compiled.h"

void glue_log(const struct glue_context *ctx, int priority, const char *file, int line,
              const char *fn, const char *format, ...)
{
        va_list args;

        if (!ctx || !ctx->log_fn)
                return;
        va_start(args, format);
        ctx->log_fn(ctx->log_data, priority, file, line, fn, format, args);
        va_end(args);
}

GLUE_EXPORT int glue_context_new(unsigned flags, struct glue_context **ret)
{
        struct glue_context *ctx;
        int r;

        if (!ret || (flags & ~GLUE_CONTEXT_EMPTY))
                return -EINVAL;
        ctx = calloc(1, sizeof(*ctx));
        if (!ctx)
                return -ENOMEM;
        atomic_init(&ctx->refcount, 1);
        ctx->log_priority = LOG_ERR;
        pthread_mutex_init(&ctx->lock, NULL);
        if (!(flags & GLUE_CONTEXT_EMPTY)) {
                r = context_load_builtin(ctx);
                if (r < 0) {
                        glue_context_unref(ctx);
                        return r;
                }
        }
        *ret = ctx;
        return 0;
}

GLUE_EXPORT struct glue_context *glue_context_ref(struct glue_context *ctx)
{
        if (ctx)
                atomic_fetch_add(&ctx->refcount, 1);
        return ctx;
}

static void context_free(struct glue_context *ctx)
{
        for (struct provider_entry *p = atomic_load(&ctx->providers), *next; p; p = next) {
                next = p->next;
                /* What init made, if it ran and succeeded (or there is no init). */
                if (p->ops->cleanup && atomic_load(&p->started) > 0)
                        p->ops->cleanup(p->data);
                pthread_mutex_destroy(&p->start_lock);
                free(p);
        }
        /* Subclasses after their superclasses in the array: free in reverse so that inherited
         * property pointers are never followed after their owner is gone. */
        for (size_t i = ctx->n_classes; i > 0; i--) {
                struct glue_class *cls = ctx->classes[i - 1];

                if (context_is_compiled(ctx, cls))
                        compiled_class_release(ctx, cls);
                else
                        class_free(cls);
        }
        free(ctx->compiled_image);
        free(ctx->classes);
        name_index_clear(&ctx->class_index);
        for (size_t i = 0; i < ctx->n_options; i++) {
                free(ctx->options[i].key);
                free(ctx->options[i].value);
        }
        free(ctx->options);
        pthread_mutex_destroy(&ctx->lock);
        free(ctx);
}

GLUE_EXPORT struct glue_context *glue_context_unref(struct glue_context *ctx)
{
        if (ctx && atomic_fetch_sub(&ctx->refcount, 1) == 1)
                context_free(ctx);
        return NULL;
}

GLUE_EXPORT void glue_context_set_log_fn(struct glue_context *ctx, glue_log_fn fn, void *userdata)
{
        if (!ctx)
                return;
        ctx->log_fn = fn;
        ctx->log_data = userdata;
}

GLUE_EXPORT void glue_context_set_log_priority(struct glue_context *ctx, int priority)
{
        if (ctx)
                ctx->log_priority = priority;
}

GLUE_EXPORT int glue_context_get_log_priority(const struct glue_context *ctx)
{
        return ctx ? ctx->log_priority : 0;
}

GLUE_EXPORT int glue_context_set_option(struct glue_context *ctx, const char *key,
                                        const char *value)
{
        char *v;

        if (!ctx || !key || !*key)
                return -EINVAL;
        v = value ? strdup(value) : NULL;
        if (value && !v)
                return -ENOMEM;
        pthread_mutex_lock(&ctx->lock);
        for (size_t i = 0; i < ctx->n_options; i++)
                if (strcmp(ctx->options[i].key, key) == 0) {
                        /* The old value may still be borrowed by a running provider: options
                         * are meant to be set before the first request (see the header). */
                        free(ctx->options[i].value);
                        ctx->options[i].value = v;
                        pthread_mutex_unlock(&ctx->lock);
                        return 0;
                }
        struct option_entry *opts = realloc(ctx->options, (ctx->n_options + 1) * sizeof(*opts));
        char *k = strdup(key);
        if (!opts || !k) {
                if (opts)
                        ctx->options = opts;
                free(k);
                free(v);
                pthread_mutex_unlock(&ctx->lock);
                return -ENOMEM;
        }
        ctx->options = opts;
        opts[ctx->n_options].key = k;
        opts[ctx->n_options].value = v;
        ctx->n_options++;
        pthread_mutex_unlock(&ctx->lock);
        return 0;
}

GLUE_EXPORT const char *glue_context_get_option(const struct glue_context *ctx, const char *key)
{
        if (!ctx || !key)
                return NULL;
        for (size_t i = 0; i < ctx->n_options; i++)
                if (strcmp(ctx->options[i].key, key) == 0)
                        return ctx->options[i].value;
        return NULL;
}

/* ---- schema ----------------------------------------------------------------------------- */

static const char *class_full_name_at(size_t i, const void *userdata)
{
        const struct glue_context *ctx = userdata;
        return ctx->classes[i]->full_name;
}

const struct glue_class *context_find_class(const struct glue_context *ctx, const char *name_space,
                                            const char *name)
{
        const char *ns = name_space ? name_space : GLUE_DEFAULT_NAMESPACE;
        char key[512], *long_key = NULL;
        long i;
        int n;

        if (!name)
                return NULL;
        /* A MOF may declare names of any length: a longer key goes to the heap, else such a
         * class could be neither found nor refused as declared twice. */
        n = snprintf(key, sizeof(key), "%s:%s", ns, name);
        if (n < 0 || ((size_t)n >= sizeof(key) && asprintf(&long_key, "%s:%s", ns, name) < 0))
                return NULL;
        i = name_index_find(&ctx->class_index, long_key ? long_key : key, class_full_name_at, ctx);
        free(long_key);
        return i < 0 ? NULL : ctx->classes[i];
}

bool context_has_namespace(const struct glue_context *ctx, const char *name_space)
{
        for (size_t i = 0; i < ctx->n_classes; i++)
                if (strcasecmp(ctx->classes[i]->name_space, name_space) == 0)
                        return true;
        return false;
}

int context_add_classes(struct glue_context *ctx, struct glue_class **classes, size_t n)
{
        struct glue_class **all;
        size_t old = ctx->n_classes;
        int r;

        all = realloc(ctx->classes, (old + n) * sizeof(*all));
        if (!all)
                return -ENOMEM;
        ctx->classes = all;
        /* Grow every superclass's subclass list first, so that nothing half-done remains. */
        for (size_t i = 0; i < n; i++) {
                struct glue_class *super = classes[i]->superclass;
                if (!super)
                        continue;
                /* A compiled class's list is copied out of the image the first time. */
                struct glue_class **subs = context_list_grow(ctx, super->subclasses,
                                                             super->n_subclasses, sizeof(*subs));
                if (!subs) {
                        for (size_t j = 0; j < i; j++)
                                if (classes[j]->superclass)
                                        classes[j]->superclass->n_subclasses--;
                        return -ENOMEM;
                }
                super->subclasses = subs;
                subs[super->n_subclasses++] = classes[i];
        }
        if (n)
                memcpy(all + old, classes, n * sizeof(*all));
        ctx->n_classes = old + n;
        r = name_index_build(&ctx->class_index, ctx->n_classes, class_full_name_at, ctx);
        if (r < 0) {
                ctx->n_classes = old;
                for (size_t i = 0; i < n; i++)
                        if (classes[i]->superclass)
                                classes[i]->superclass->n_subclasses--;
                return r;
        }
        return 0;
}

GLUE_EXPORT int glue_context_load_mof(struct glue_context *ctx, const char *name, const char *text,
                                      char **ret_error)
{
        int r;

        if (ret_error)
                *ret_error = NULL;
        if (!ctx || !text)
                return -EINVAL;
        pthread_mutex_lock(&ctx->lock);
        r = mof_parse(ctx, name ? name : "<string>", text, ret_error);
        pthread_mutex_unlock(&ctx->lock);
        return r;
}

GLUE_EXPORT int glue_context_load_mof_file(struct glue_context *ctx, const char *path,
                                           char **ret_error)
{
        FILE *f;
        char *text = NULL;
        size_t len = 0;
        int r;

        if (ret_error)
                *ret_error = NULL;
        if (!ctx || !path)
                return -EINVAL;
        f = fopen(path, "re");
        if (!f) {
                r = -errno;
                if (ret_error && asprintf(ret_error, "%s: %s", path, strerror(-r)) < 0)
                        *ret_error = NULL;
                return r;
        }
        /* open_memstream grows as needed; a MOF file is small, but not trusted to be. */
        FILE *mem = open_memstream(&text, &len);
        char buf[8192];
        size_t n;

        if (!mem) {
                fclose(f);
                return -ENOMEM;
        }
        while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
                if (fwrite(buf, 1, n, mem) != n)
                        break;
        r = ferror(f) ? -EIO : 0;
        fclose(f);
        if (fclose(mem) != 0 && r == 0)
                r = -ENOMEM;
        if (r == 0 && memchr(text, '\0', len))
                r = -ENOEXEC;
        if (r < 0) {
                if (ret_error && asprintf(ret_error, "%s: %s", path,
                                          r == -ENOEXEC ? "contains a NUL byte" : strerror(-r)) < 0)
                        *ret_error = NULL;
                free(text);
                return r;
        }
        r = glue_context_load_mof(ctx, path, text, ret_error);
        free(text);
        return r;
}

GLUE_EXPORT int glue_context_find_class(const struct glue_context *ctx, const char *name_space,
                                        const char *name, const struct glue_class **ret)
{
        const struct glue_class *cls;

        if (!ctx || !name || !ret)
                return -EINVAL;
        cls = context_find_class(ctx, name_space, name);
        if (!cls)
                return context_has_namespace(ctx, name_space ? name_space
                                                             : GLUE_DEFAULT_NAMESPACE)
                               ? -ESRCH
                               : -ENXIO;
        *ret = cls;
        return 0;
}

GLUE_EXPORT size_t glue_context_get_class_count(const struct glue_context *ctx)
{
        return ctx ? ctx->n_classes : 0;
}

GLUE_EXPORT const struct glue_class *glue_context_get_class(const struct glue_context *ctx,
                                                            size_t index)
{
        return ctx && index < ctx->n_classes ? ctx->classes[index] : NULL;
}

/* ---- providers -------------------------------------------------------------------------- */

struct provider_entry *context_find_provider(const struct glue_context *ctx, const char *name)
{
        if (!name)
                return NULL;
        for (struct provider_entry *p = atomic_load(&ctx->providers); p; p = p->next)
                if (strcasecmp(p->ops->name, name) == 0)
                        return p;
        return NULL;
}

/* The table of the first release: everything up to get_instance. */
#define PROVIDER_OPS_FIRST_SIZE                                                            \
        (offsetof(struct glue_provider_ops, get_instance) +                               \
         sizeof(((struct glue_provider_ops *)0)->get_instance))

GLUE_EXPORT int glue_context_register_provider(struct glue_context *ctx,
                                               const struct glue_provider_ops *ops)
{
        struct provider_entry *p;

        if (!ctx || !ops || ops->size < PROVIDER_OPS_FIRST_SIZE || !ops->name || !*ops->name ||
            !ops->enumerate)
                return -EINVAL;
        if (context_find_provider(ctx, ops->name))
                return -EEXIST;
        p = calloc(1, sizeof(*p));
        if (!p)
                return -ENOMEM;
        memcpy(&p->table, ops, ops->size < sizeof(p->table) ? ops->size : sizeof(p->table));
        p->table.size = sizeof(p->table);
        p->ops = &p->table;
        p->registered = ops;
        pthread_mutex_init(&p->start_lock, NULL);
        /* Nothing to start without an init: ready at once. */
        atomic_init(&p->started, p->table.init ? 0 : 1);
        atomic_init(&p->abandoned_workers, 0);
        /* The lock orders registrations (one name once); readers see the entry whole once it is
         * at the head of the list. */
        pthread_mutex_lock(&ctx->lock);
        if (context_find_provider(ctx, ops->name)) {
                pthread_mutex_unlock(&ctx->lock);
                pthread_mutex_destroy(&p->start_lock);
                free(p);
                return -EEXIST;
        }
        p->next = atomic_load(&ctx->providers);
        atomic_store(&ctx->providers, p);
        pthread_mutex_unlock(&ctx->lock);
        return 0;
}

int provider_start(struct glue_context *ctx, struct provider_entry *p)
{
        int r = atomic_load_explicit(&p->started, memory_order_acquire);

        if (r != 0)
                return r > 0 ? 0 : r;
        /* The first use: init once, whoever else waits for it meanwhile. */
        pthread_mutex_lock(&p->start_lock);
        r = atomic_load_explicit(&p->started, memory_order_relaxed);
        if (r == 0) {
                void *data = NULL;

                /* A failure is logged and told by each job that meets it (enumerate.c). */
                r = p->ops->init(ctx, p->registered, &data);
                if (r >= 0)
                        p->data = data;
                /* Published after data: a reader that sees 1 sees data. */
                atomic_store_explicit(&p->started, r < 0 ? r : 1, memory_order_release);
        }
        pthread_mutex_unlock(&p->start_lock);
        return r > 0 ? 0 : r;
}
