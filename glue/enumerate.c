/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The enumeration engine behind enumerate, get and query.
 *
 * A request on class Root becomes jobs: one per (provider, topmost class of that provider in
 * Root's subtree). Each job runs in its own worker thread and posts instances into a small
 * bounded queue; the caller's thread takes them out and calls the caller's function. So the
 * first instance reaches the caller as soon as any provider posts it, a slow provider does not
 * hold back the others, memory stays bounded (producers wait while the queue is full), and a
 * deadline or a stop returns at once even if a provider is stuck in a read: the stuck worker
 * finishes on its own and frees what it holds (the run is reference counted).
 *
 * The WMI override rules are decided per instance, at post time, in the worker:
 *  - rule 1/4: an instance must exist (same key) in each non-abstract superclass served by
 *    another provider: asked with that provider's get_instance (keys only), or, for a provider
 *    that can only enumerate, from a key set built once per run (the buffering fallback);
 *  - rule 2/3: an instance that a non-abstract subclass of another provider also has is dropped:
 *    the subclass instance is delivered instead (deep), or nothing (shallow);
 *  - rule 5: static (MOF) instances are never overridden: a dynamic instance whose key a static
 *    superclass instance in the enumerated subtree has is dropped.
 * Instances of one provider are trusted to come as their most derived class already.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "glue-private.h"

/* Half of what may be in flight: the batch the caller is being given, and a full queue behind it. */
#define QUEUE_CAPACITY 32
/* A provider with this many workers still stuck in requests that returned at their deadline is
 * not run again until one of them comes back: a hung driver then costs at most this many
 * threads, however often an agent asks. One is tolerated, so a transient hang is retried. A
 * new worker first waits this long for them, as a worker left by a deadline is often just
 * about to end (it notices the cancellation at its next post). */
#define MAX_ABANDONED_WORKERS 2
#define ABANDONED_WAIT_USEC 20000
/* How often a nested consumer looks whether its parent request was stopped. */
#define PARENT_POLL_USEC 20000

struct run;

enum call_mode {
        CALL_DELIVER, /* a job's call: instances go through the rules into the queue */
        CALL_PROBE,   /* an existence check: note whether the key is there */
        CALL_KEYSET,  /* building a key set: collect every key */
};

struct keyset {
        const struct provider_entry *provider;
        const struct glue_class *cls;
        char **keys; /* sorted */
        size_t n, cap;
        struct keyset *next;
};

struct glue_call {
        struct run *run;
        struct job *job;               /* CALL_DELIVER only */
        const struct glue_class *cls;  /* the class the operation was called for */
        const char *provider_name;     /* the provider whose operation this is */
        enum call_mode mode;
        const struct glue_path *probe_key;
        bool found;
        struct keyset *keyset;
};

struct job {
        struct run *run;
        struct provider_entry *provider; /* NULL: no such provider registered */
        const char *provider_name;
        const struct glue_class *cls;
        int error;
        bool finished;
        bool abandoned; /* the request returned at its deadline while this job still ran */
        uint64_t delivered;
        uint64_t start, end;
        char *message;
        struct glue_call call;
};

struct queue_item {
        struct glue_instance *inst;
        struct job *job;
};

struct run {
        atomic_int refcount;
        struct glue_context *ctx;
        struct run *parent;
        const struct glue_class *root;
        unsigned flags;
        char **properties;
        size_t n_properties;
        uint64_t deadline;
        struct glue_path *key;
        /* Association mode (run_options.object): owned copies, as a stuck worker may still
         * filter with them after the caller returned. */
        struct glue_path *object;
        const struct glue_class *object_class;
        char *role;
        atomic_bool cancelled;
        atomic_bool stopped_by_caller; /* the caller's function said stop (not a deadline) */

        pthread_mutex_t lock;
        pthread_cond_t consumer_wake;
        pthread_cond_t producer_wake;
        struct queue_item queue[QUEUE_CAPACITY];
        size_t q_head, q_len;
        size_t n_jobs, n_done;
        struct job *jobs;

        pthread_mutex_t keyset_lock;
        struct keyset *keysets;

        struct read_error_list read_errors; /* under lock; a nested run adds to its root's */
};

/* ---- run lifetime ----------------------------------------------------------------------- */

static void run_unref(struct run *run)
{
        if (!run || atomic_fetch_sub(&run->refcount, 1) != 1)
                return;
        for (size_t i = 0; i < run->q_len; i++)
                glue_instance_unref(run->queue[(run->q_head + i) % QUEUE_CAPACITY].inst);
        for (size_t i = 0; i < run->n_jobs; i++)
                free(run->jobs[i].message);
        free(run->jobs);
        for (struct keyset *k = run->keysets, *next; k; k = next) {
                next = k->next;
                for (size_t i = 0; i < k->n; i++)
                        free(k->keys[i]);
                free(k->keys);
                free(k);
        }
        for (size_t i = 0; i < run->n_properties; i++)
                free(run->properties[i]);
        free(run->properties);
        glue_path_free(run->key);
        glue_path_free(run->object);
        free(run->role);
        read_error_list_clear(&run->read_errors);
        pthread_mutex_destroy(&run->lock);
        pthread_mutex_destroy(&run->keyset_lock);
        pthread_cond_destroy(&run->consumer_wake);
        pthread_cond_destroy(&run->producer_wake);
        run_unref(run->parent);
        glue_context_unref(run->ctx);
        free(run);
}

static bool run_is_cancelled(const struct run *run)
{
        for (; run; run = run->parent) {
                if (atomic_load(&run->cancelled))
                        return true;
                if (run->deadline && now_usec() >= run->deadline)
                        return true;
        }
        return false;
}

static bool run_deadline_passed(const struct run *run)
{
        uint64_t now = now_usec();

        for (; run; run = run->parent)
                if (run->deadline && now >= run->deadline)
                        return true;
        return false;
}

static void run_cancel(struct run *run)
{
        atomic_store(&run->cancelled, true);
        pthread_mutex_lock(&run->lock);
        pthread_cond_broadcast(&run->producer_wake);
        pthread_cond_broadcast(&run->consumer_wake);
        pthread_mutex_unlock(&run->lock);
}

static int path_copy(const struct glue_path *src, struct glue_path **ret)
{
        char *text;
        int r = glue_path_to_string(src, &text);

        if (r < 0)
                return r;
        r = glue_path_parse(text, ret);
        free(text);
        return r;
}

static struct run *run_new(struct glue_context *ctx, const struct run_options *opts)
{
        struct run *run = calloc(1, sizeof(*run));
        pthread_condattr_t attr;

        if (!run)
                return NULL;
        atomic_init(&run->refcount, 1);
        atomic_init(&run->cancelled, false);
        atomic_init(&run->stopped_by_caller, false);
        run->ctx = glue_context_ref(ctx);
        run->root = opts->root;
        run->flags = opts->flags;
        run->deadline = opts->deadline;
        pthread_mutex_init(&run->lock, NULL);
        pthread_mutex_init(&run->keyset_lock, NULL);
        pthread_condattr_init(&attr);
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        pthread_cond_init(&run->consumer_wake, &attr);
        pthread_cond_init(&run->producer_wake, &attr);
        pthread_condattr_destroy(&attr);
        if (opts->parent) {
                run->parent = opts->parent->run;
                atomic_fetch_add(&run->parent->refcount, 1);
                if (run->parent->deadline && (!run->deadline || run->parent->deadline < run->deadline))
                        run->deadline = run->parent->deadline;
        }
        /* The run may outlive the caller's request (a stuck worker): it owns copies. */
        if (opts->n_properties) {
                run->properties = calloc(opts->n_properties, sizeof(char *));
                if (!run->properties)
                        goto fail;
                for (size_t i = 0; i < opts->n_properties; i++) {
                        run->properties[i] = strdup(opts->properties[i]);
                        if (!run->properties[i])
                                goto fail;
                        run->n_properties = i + 1;
                }
        }
        if (opts->key && path_copy(opts->key, &run->key) < 0)
                goto fail;
        if (opts->object) {
                run->object_class = opts->object_class;
                if (path_copy(opts->object, &run->object) < 0 ||
                    (opts->role && !(run->role = strdup(opts->role))))
                        goto fail;
        }
        return run;
fail:
        run_unref(run);
        return NULL;
}

/* ---- planning --------------------------------------------------------------------------- */

static bool same_provider(const char *a, const char *b)
{
        return a && b && strcasecmp(a, b) == 0;
}

/* The classes in root's subtree where a provider's share begins. */
static int plan_add_jobs(struct run *run, const struct glue_class *cls, size_t *cap)
{
        bool top = cls->provider &&
                   (cls == run->root || !same_provider(cls->provider, cls->superclass->provider));

        /* Association mode: a class that cannot refer to the object, nor its subclasses. */
        if (run->object && !association_may_refer(cls, run->object_class, run->role))
                return 0;
        if (top) {
                if (run->n_jobs == *cap) {
                        size_t ncap = *cap ? *cap * 2 : 4;
                        struct job *jobs = realloc(run->jobs, ncap * sizeof(*jobs));
                        if (!jobs)
                                return -ENOMEM;
                        run->jobs = jobs;
                        *cap = ncap;
                }
                struct job *job = &run->jobs[run->n_jobs++];
                memset(job, 0, sizeof(*job));
                job->run = run;
                job->cls = cls;
                job->provider_name = cls->provider;
                job->provider = context_find_provider(run->ctx, cls->provider);
        }
        if (run->flags & GLUE_REQUEST_SHALLOW)
                return 0;
        for (size_t i = 0; i < cls->n_subclasses; i++) {
                int r = plan_add_jobs(run, cls->subclasses[i], cap);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- what the caller wants ---------------------------------------------------------------- */

static bool run_wants(const struct run *run, const struct glue_property *prop)
{
        if (prop->is_key)
                return true;
        if (run->flags & GLUE_REQUEST_KEYS_ONLY)
                return false;
        if (!run->n_properties)
                return true;
        for (size_t i = 0; i < run->n_properties; i++)
                if (strcasecmp(run->properties[i], prop->name) == 0)
                        return true;
        return false;
}

GLUE_EXPORT bool glue_call_wants(const struct glue_call *call, const char *property)
{
        const struct glue_property *prop;

        if (!call || !property)
                return false;
        if (glue_class_find_property(call->cls, property, &prop, NULL) < 0) {
                /* A subclass property asked of a call for its superclass: look it up by name. */
                if (call->mode != CALL_DELIVER)
                        return false;
                if (call->run->flags & GLUE_REQUEST_KEYS_ONLY)
                        return false;
                if (!call->run->n_properties)
                        return true;
                for (size_t i = 0; i < call->run->n_properties; i++)
                        if (strcasecmp(call->run->properties[i], property) == 0)
                                return true;
                return false;
        }
        if (call->mode != CALL_DELIVER)
                return prop->is_key; /* existence checks need keys only */
        return run_wants(call->run, prop);
}

GLUE_EXPORT bool glue_call_is_shallow(const struct glue_call *call)
{
        return call && (call->run->flags & GLUE_REQUEST_SHALLOW);
}

GLUE_EXPORT bool glue_call_is_keys_only(const struct glue_call *call)
{
        return call && (call->mode != CALL_DELIVER || (call->run->flags & GLUE_REQUEST_KEYS_ONLY));
}

GLUE_EXPORT bool glue_call_is_cancelled(const struct glue_call *call)
{
        return !call || run_is_cancelled(call->run);
}

GLUE_EXPORT uint64_t glue_call_get_time_left(const struct glue_call *call)
{
        uint64_t deadline = 0, now;

        if (!call)
                return 0;
        for (const struct run *run = call->run; run; run = run->parent)
                if (run->deadline && (!deadline || run->deadline < deadline))
                        deadline = run->deadline;
        if (!deadline)
                return UINT64_MAX;
        now = now_usec();
        return now >= deadline ? 0 : deadline - now;
}

GLUE_EXPORT struct glue_context *glue_call_get_context(const struct glue_call *call)
{
        return call ? call->run->ctx : NULL;
}

GLUE_EXPORT const char *glue_call_get_option(const struct glue_call *call, const char *key)
{
        return call ? glue_context_get_option(call->run->ctx, key) : NULL;
}

GLUE_EXPORT int glue_call_new_instance(struct glue_call *call, const char *class_name,
                                       struct glue_instance **ret)
{
        const struct glue_class *cls;

        if (!call || !ret)
                return -EINVAL;
        if (!class_name)
                cls = call->cls;
        else {
                cls = context_find_class(call->run->ctx, call->cls->name_space, class_name);
                if (!cls)
                        return -ESRCH;
        }
        return glue_instance_new(cls, ret);
}

GLUE_EXPORT void glue_call_log(struct glue_call *call, int priority, const char *format, ...)
{
        va_list args;
        char *msg;

        if (!call || !format)
                return;
        va_start(args, format);
        if (vasprintf(&msg, format, args) < 0)
                msg = NULL;
        va_end(args);
        if (!msg)
                return;
        glue_log_cond(call->run->ctx, priority, "%s: %s", call->provider_name, msg);
        /* Warnings and worse reach the caller's provider status; debug chatter does not. */
        if (call->job && priority <= LOG_WARNING) {
                pthread_mutex_lock(&call->run->lock);
                free(call->job->message);
                call->job->message = msg;
                pthread_mutex_unlock(&call->run->lock);
        } else
                free(msg);
}

GLUE_EXPORT void glue_call_note_read_error(struct glue_call *call, const char *path, int err)
{
        struct run *root;

        if (!call || err >= 0)
                return;
        for (root = call->run; root->parent; root = root->parent)
                ;
        log_debug(root->ctx, "%s: cannot read %s: %s", call->provider_name, path ? path : "?",
                  glue_strerror(err));
        pthread_mutex_lock(&root->lock);
        read_error_list_add(&root->read_errors, err, 1, path, call->provider_name);
        pthread_mutex_unlock(&root->lock);
}

/* ---- existence checks ------------------------------------------------------------------- */

/* The keys of an instance as one string, in class key order, for key sets. */
static char *instance_key_string(const struct glue_instance *inst)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        if (!f)
                return NULL;
        for (size_t k = 0; k < inst->cls->n_keys; k++) {
                char *text;
                if (value_to_key_text(&inst->slots[inst->cls->key_indexes[k]].value, &text) < 0) {
                        fclose(f);
                        free(out);
                        return NULL;
                }
                fprintf(f, "%s%s", k ? "\x1f" : "", text);
                free(text);
        }
        if (fclose(f) != 0) {
                free(out);
                return NULL;
        }
        return out;
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* For providers with no get_instance: enumerate the class once per run, keep its keys. */
static int keyset_get(struct run *run, const struct provider_entry *provider,
                      const struct glue_class *cls, struct keyset **ret)
{
        struct keyset *k;
        int r = 0;

        pthread_mutex_lock(&run->keyset_lock);
        for (k = run->keysets; k; k = k->next)
                if (k->provider == provider && k->cls == cls)
                        goto out;
        k = calloc(1, sizeof(*k));
        if (!k) {
                r = -ENOMEM;
                goto out;
        }
        k->provider = provider;
        k->cls = cls;
        struct glue_call call = { .run = run, .cls = cls, .provider_name = provider->ops->name,
                                  .mode = CALL_KEYSET, .keyset = k };
        r = provider->ops->enumerate(&call, cls, provider->data);
        if (r < 0 && r != -ECANCELED) {
                log_debug(run->ctx, "%s: enumerating %s for an existence check: %s",
                          provider->ops->name, cls->name, glue_strerror(r));
        }
        if (k->n)
                qsort(k->keys, k->n, sizeof(char *), compare_strings);
        k->next = run->keysets;
        run->keysets = k;
        r = 0;
out:
        pthread_mutex_unlock(&run->keyset_lock);
        *ret = k;
        return r;
}

/* Does `provider` have an instance of `cls` (or a subclass) with inst's keys? 1, 0 or -errno. */
static int provider_has_instance(struct run *run, const struct glue_class *cls,
                                 const struct glue_instance *inst)
{
        struct provider_entry *provider = context_find_provider(run->ctx, cls->provider);
        struct glue_path *path;
        int r;

        /* No provider registered, or one that could not start: the class has no instances. */
        if (!provider || provider_start(run->ctx, provider) < 0)
                return 0;
        r = instance_to_path(inst, &path);
        if (r < 0)
                return r;
        if (provider->ops->get_instance) {
                struct glue_call call = { .run = run, .cls = cls,
                                          .provider_name = provider->ops->name,
                                          .mode = CALL_PROBE, .probe_key = path };

                free(path->class_name);
                path->class_name = strdup(cls->name);
                r = path->class_name ? provider->ops->get_instance(&call, cls, path, provider->data)
                                     : -ENOMEM;
                if (r != -EOPNOTSUPP) {
                        glue_path_free(path);
                        if (r < 0 && r != -ENOENT && r != -ECANCELED)
                                log_debug(run->ctx, "%s: get %s: %s", provider->ops->name,
                                          cls->name, glue_strerror(r));
                        return r == -ENOMEM ? r : call.found;
                }
        }
        glue_path_free(path);

        struct keyset *k;
        char *key;
        r = keyset_get(run, provider, cls, &k);
        if (r < 0)
                return r;
        key = instance_key_string(inst);
        if (!key)
                return -ENOMEM;
        r = k->n && bsearch(&key, k->keys, k->n, sizeof(char *), compare_strings) != NULL;
        free(key);
        return r;
}

static int probe_post(struct glue_call *call, struct glue_instance *inst)
{
        if (call->mode == CALL_PROBE) {
                if (glue_class_is_a(inst->cls, call->cls) &&
                    instance_matches_path(inst, call->probe_key))
                        call->found = true;
        } else if (glue_class_is_a(inst->cls, call->cls) && instance_keys_set(inst)) {
                struct keyset *k = call->keyset;
                char *key = instance_key_string(inst);

                if (!key)
                        goto nomem;
                if (k->n == k->cap) {
                        size_t cap = k->cap ? k->cap * 2 : 64;
                        char **keys = realloc(k->keys, cap * sizeof(*keys));
                        if (!keys) {
                                free(key);
                                goto nomem;
                        }
                        k->keys = keys;
                        k->cap = cap;
                }
                k->keys[k->n++] = key;
        }
        glue_instance_unref(inst);
        return run_is_cancelled(call->run) ? -ECANCELED : 0;
nomem:
        glue_instance_unref(inst);
        return -ENOMEM;
}

enum verdict {
        KEEP,
        DROP,
};

/* Rules 1, 4 and 5: the instance must exist in every non-abstract superclass of another
 * provider; a static superclass instance inside the enumerated subtree wins over it. */
static int check_superclasses(struct run *run, const char *own,
                              const struct glue_instance *inst)
{
        const char *checked = own;

        for (const struct glue_class *a = inst->cls->superclass; a; a = a->superclass) {
                if (a->is_abstract || same_provider(a->provider, checked))
                        continue;
                if (!a->provider) {
                        if (!class_has_static_key(a, inst))
                                return DROP;
                        if (glue_class_is_a(a, run->root))
                                return DROP;
                        continue;
                }
                int r = provider_has_instance(run, a, inst);
                if (r < 0)
                        return r;
                if (r == 0)
                        return DROP;
                checked = a->provider;
        }
        return KEEP;
}

/* Rules 2 and 3: a subclass of another provider that has the same key overrides us. */
static int check_subclasses(struct run *run, const char *own, const struct glue_class *cls,
                            const struct glue_instance *inst)
{
        for (size_t i = 0; i < cls->n_subclasses; i++) {
                const struct glue_class *d = cls->subclasses[i];
                int r;

                if (d->provider && !same_provider(d->provider, own) && !d->is_abstract) {
                        r = provider_has_instance(run, d, inst);
                        if (r != 0)
                                return r < 0 ? r : DROP;
                        continue; /* d's own subclasses must have it in d first (rule 1) */
                }
                r = check_subclasses(run, own, d, inst);
                if (r != KEEP)
                        return r;
        }
        return KEEP;
}

/* ---- posting ---------------------------------------------------------------------------- */

/* What was wanted and not set was looked for and not found: NULL, not "not fetched". Runs for
 * every instance, so it visits only what was wanted: all properties, or the named ones found
 * through the class's name index (keys are set already: post checked them). */
static void mark_wanted_unset_null(const struct run *run, struct glue_instance *inst)
{
        size_t i;

        if (run->flags & GLUE_REQUEST_KEYS_ONLY)
                return;
        if (!run->n_properties) {
                for (i = 0; i < inst->cls->n_properties; i++)
                        if (inst->slots[i].state == SLOT_NOT_FETCHED)
                                inst->slots[i].state = SLOT_NULL;
                return;
        }
        for (size_t k = 0; k < run->n_properties; k++)
                if (glue_class_find_property(inst->cls, run->properties[k], NULL, &i) == 0 &&
                    inst->slots[i].state == SLOT_NOT_FETCHED)
                        inst->slots[i].state = SLOT_NULL;
}

static int enqueue(struct run *run, struct job *job, struct glue_instance *inst)
{
        pthread_mutex_lock(&run->lock);
        while (run->q_len == QUEUE_CAPACITY && !run_is_cancelled(run))
                pthread_cond_wait(&run->producer_wake, &run->lock);
        if (run_is_cancelled(run)) {
                pthread_mutex_unlock(&run->lock);
                glue_instance_unref(inst);
                return -ECANCELED;
        }
        run->queue[(run->q_head + run->q_len) % QUEUE_CAPACITY] =
                (struct queue_item){ .inst = inst, .job = job };
        run->q_len++;
        pthread_cond_signal(&run->consumer_wake);
        pthread_mutex_unlock(&run->lock);
        return 0;
}

GLUE_EXPORT int glue_call_post(struct glue_call *call, struct glue_instance *inst)
{
        struct run *run;
        struct job *job;
        int r;

        if (!call || !inst) {
                glue_instance_unref(inst);
                return -EINVAL;
        }
        if (call->mode != CALL_DELIVER)
                return probe_post(call, inst);
        run = call->run;
        job = call->job;
        if (run_is_cancelled(run)) {
                glue_instance_unref(inst);
                return -ECANCELED;
        }
        if (!instance_keys_set(inst) || !same_provider(inst->cls->provider, job->provider_name)) {
                log_err(run->ctx, "provider %s posted an instance of %s %s", job->provider_name,
                        inst->cls->name,
                        instance_keys_set(inst) ? "which it does not serve" : "without its keys");
                glue_instance_unref(inst);
                return -EINVAL;
        }
        /* Outside what was asked: a provider may post its whole family and let us filter. */
        if (!glue_class_is_a(inst->cls, run->root) ||
            ((run->flags & GLUE_REQUEST_SHALLOW) && inst->cls != run->root) ||
            (run->key && !instance_matches_path(inst, run->key)) ||
            (run->object &&
             !association_refers_to(inst, run->object_class, run->object, run->role))) {
                glue_instance_unref(inst);
                return 0;
        }
        mark_wanted_unset_null(run, inst);

        r = check_superclasses(run, job->provider_name, inst);
        if (r == KEEP)
                r = check_subclasses(run, job->provider_name, inst->cls, inst);
        if (r != KEEP) {
                glue_instance_unref(inst);
                return r < 0 ? r : 0;
        }
        return enqueue(run, job, inst);
}

/* ---- workers ---------------------------------------------------------------------------- */

static int job_execute(struct job *job)
{
        const struct glue_provider_ops *ops = job->provider->ops;
        struct run *run = job->run;
        /* The provider's init, on its first use (context.c): its failure is this job's. */
        int r = provider_start(run->ctx, job->provider);

        if (r < 0) {
                glue_call_log(&job->call, LOG_WARNING, "failed to initialise: %s",
                              glue_strerror(r));
                return r;
        }
        if (run->key && ops->get_instance) {
                r = ops->get_instance(&job->call, job->cls, run->key, job->provider->data);
                if (r != -EOPNOTSUPP)
                        return r == -ENOENT ? 0 : r;
        }
        /* Association mode: the associations of one object, from its links alone. */
        if (run->object && ops->references) {
                r = ops->references(&job->call, job->cls, run->object, job->provider->data);
                if (r != -EOPNOTSUPP)
                        return r == -ENOENT ? 0 : r;
        }
        return ops->enumerate(&job->call, job->cls, job->provider->data);
}

/* 0 when the provider may run, -EBUSY when earlier workers stay stuck in it (this worker then
 * ends at once, so waiting workers are few and short-lived), -ECANCELED if this request ended
 * while it waited. */
static int wait_for_stuck_workers(struct job *job)
{
        uint64_t until = now_usec() + ABANDONED_WAIT_USEC;
        unsigned stuck;

        while ((stuck = atomic_load(&job->provider->abandoned_workers)) >= MAX_ABANDONED_WORKERS) {
                bool cancelled = run_is_cancelled(job->run);

                if (now_usec() >= until || cancelled) {
                        char *msg;

                        if (asprintf(&msg, "not run: %u workers of earlier requests are still "
                                     "stuck in it past their deadline", stuck) < 0)
                                msg = NULL;
                        pthread_mutex_lock(&job->run->lock);
                        free(job->message);
                        job->message = msg;
                        pthread_mutex_unlock(&job->run->lock);
                        /* Cut short by this request's own deadline or stop: that is what
                         * ended it (job_thread tells which). */
                        return cancelled ? -ECANCELED : -EBUSY;
                }
                usleep(1000);
        }
        return 0;
}

static void *job_thread(void *arg)
{
        struct job *job = arg;
        struct run *run = job->run;
        int r;

        /* So that `ps -T` (and the tests) tell the engine's workers from the caller's threads. */
        pthread_setname_np(pthread_self(), "glue-worker");
        r = wait_for_stuck_workers(job);
        if (r == 0)
                r = job_execute(job);

        /* A provider that stops because the caller told it to has not failed. One that ends
         * after the deadline did not finish in time, even if it noticed before we did, and
         * whatever it returns: its posts were refused from the deadline on. */
        if (!atomic_load(&run->stopped_by_caller) && run_deadline_passed(run) &&
            (r >= 0 || r == -ECANCELED))
                r = -ETIMEDOUT;
        else if (r == -ECANCELED && run_is_cancelled(run))
                r = 0;
        pthread_mutex_lock(&run->lock);
        job->error = r > 0 ? 0 : r;
        job->finished = true;
        job->end = now_usec();
        if (job->abandoned)
                atomic_fetch_sub(&job->provider->abandoned_workers, 1);
        run->n_done++;
        pthread_cond_broadcast(&run->consumer_wake);
        pthread_mutex_unlock(&run->lock);
        run_unref(run);
        return NULL;
}

static int job_start(struct job *job)
{
        pthread_attr_t attr;
        pthread_t thread;
        int r;

        job->start = now_usec();
        job->call = (struct glue_call){ .run = job->run, .job = job, .cls = job->cls,
                                        .provider_name = job->provider_name,
                                        .mode = CALL_DELIVER };
        if (!job->provider) {
                job->error = -ENOPKG;
                job->finished = true;
                job->end = job->start;
                job->run->n_done++;
                return 0;
        }
        atomic_fetch_add(&job->run->refcount, 1);
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        r = -pthread_create(&thread, &attr, job_thread, job);
        pthread_attr_destroy(&attr);
        if (r < 0) {
                atomic_fetch_sub(&job->run->refcount, 1);
                job->error = r;
                job->finished = true;
                job->end = job->start;
                job->run->n_done++;
        }
        return 0;
}

/* ---- the caller's side ------------------------------------------------------------------ */

/* Static instances of the classes in the request's scope, delivered by the glue itself. */
static int deliver_static(struct run *run, const struct glue_class *cls, glue_instance_fn fn,
                          void *userdata)
{
        for (size_t i = 0; i < cls->n_static_instances; i++) {
                struct glue_instance *inst = cls->static_instances[i];

                if (run->key && !instance_matches_path(inst, run->key))
                        continue;
                if (run->object &&
                    !association_refers_to(inst, run->object_class, run->object, run->role))
                        continue;
                if (fn(inst, userdata) != 0)
                        return -ECANCELED;
        }
        if (run->flags & GLUE_REQUEST_SHALLOW)
                return 0;
        for (size_t i = 0; i < cls->n_subclasses; i++) {
                int r = deliver_static(run, cls->subclasses[i], fn, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

static void save_status(struct run *run, struct glue_request *req, bool timed_out)
{
        uint64_t now = now_usec();

        request_clear_status(req);
        req->status = calloc(run->n_jobs ? run->n_jobs : 1, sizeof(*req->status));
        if (!req->status)
                return;
        for (size_t i = 0; i < run->n_jobs; i++) {
                const struct job *job = &run->jobs[i];
                struct status_entry *s = &req->status[i];

                s->provider = strdup(job->provider_name);
                s->class_name = strdup(job->cls->name);
                s->message = job->message ? strdup(job->message) : NULL;
                /* A provider that returned after the deadline did not finish its work either. */
                s->finished = job->finished && job->error != -ETIMEDOUT;
                s->error = job->finished ? job->error : timed_out ? -ETIMEDOUT : -ECANCELED;
                s->instances = job->delivered;
                s->usec = (job->finished ? job->end : now) - job->start;
                req->n_status = i + 1;
        }
        for (size_t i = 0; i < run->read_errors.count; i++) {
                const struct read_error_entry *e = &run->read_errors.items[i];
                read_error_list_add(&req->read_errors, e->error, e->count, e->example,
                                    e->provider);
        }
}

static void wait_for_work(struct run *run)
{
        uint64_t until = run->deadline;

        if (run->parent) {
                uint64_t poll = now_usec() + PARENT_POLL_USEC;
                if (!until || poll < until)
                        until = poll;
        }
        if (!until) {
                pthread_cond_wait(&run->consumer_wake, &run->lock);
                return;
        }
        struct timespec ts = { .tv_sec = (time_t)(until / 1000000u),
                               .tv_nsec = (long)(until % 1000000u) * 1000 };
        pthread_cond_timedwait(&run->consumer_wake, &run->lock, &ts);
}

/* Only a deadline counts: a worker that a stop leaves behind was delivering, not stuck, and
 * ends at its next post. */
static void abandon_unfinished_jobs(struct run *run)
{
        pthread_mutex_lock(&run->lock);
        for (size_t i = 0; i < run->n_jobs; i++) {
                struct job *job = &run->jobs[i];

                if (!job->finished && job->provider) {
                        job->abandoned = true;
                        atomic_fetch_add(&job->provider->abandoned_workers, 1);
                }
        }
        pthread_mutex_unlock(&run->lock);
}

/* Give a batch to the caller's function; true if it said stop (the rest is dropped). */
static bool deliver_batch(struct queue_item *batch, size_t n, glue_instance_fn fn, void *userdata)
{
        bool stopped = false;

        for (size_t i = 0; i < n; i++) {
                if (!stopped) {
                        if (fn(batch[i].inst, userdata) != 0)
                                stopped = true;
                        batch[i].job->delivered++;
                }
                glue_instance_unref(batch[i].inst);
        }
        return stopped;
}

int engine_run(struct glue_context *ctx, struct glue_request *req, const struct run_options *opts,
               glue_instance_fn fn, void *userdata)
{
        struct run *run;
        size_t cap = 0;
        bool stopped = false, timed_out = false, idle_told = false;
        int r;

        run = run_new(ctx, opts);
        if (!run)
                return -ENOMEM;
        r = plan_add_jobs(run, run->root, &cap);
        if (r < 0) {
                run_unref(run);
                return r;
        }
        pthread_mutex_lock(&run->lock);
        for (size_t i = 0; i < run->n_jobs; i++)
                job_start(&run->jobs[i]);
        pthread_mutex_unlock(&run->lock);

        r = deliver_static(run, run->root, fn, userdata);
        if (r < 0)
                stopped = true;

        pthread_mutex_lock(&run->lock);
        while (!stopped) {
                if (run->q_len > 0) {
                        /* Take everything queued in one hand-off: one lock round and one
                         * producer wake-up per batch, not per instance. */
                        struct queue_item batch[QUEUE_CAPACITY];
                        size_t n = run->q_len;

                        for (size_t i = 0; i < n; i++)
                                batch[i] = run->queue[(run->q_head + i) % QUEUE_CAPACITY];
                        run->q_head = (run->q_head + n) % QUEUE_CAPACITY;
                        run->q_len = 0;
                        pthread_cond_broadcast(&run->producer_wake);
                        pthread_mutex_unlock(&run->lock);
                        /* The caller's function runs without our lock: it may re-enter. */
                        stopped = deliver_batch(batch, n, fn, userdata);
                        pthread_mutex_lock(&run->lock);
                        continue;
                }
                if (run->n_done == run->n_jobs)
                        break;
                if (run_is_cancelled(run)) {
                        /* Our deadline (or a parent's stop): what was queued is delivered
                         * above; the providers still running are reported as unfinished. */
                        timed_out = true;
                        break;
                }
                if (opts->idle_fn && !idle_told) {
                        /* Everything that came is delivered and we are about to wait. */
                        pthread_mutex_unlock(&run->lock);
                        opts->idle_fn(opts->idle_data);
                        pthread_mutex_lock(&run->lock);
                        idle_told = true;
                        continue;
                }
                wait_for_work(run);
                idle_told = false;
        }
        pthread_mutex_unlock(&run->lock);

        if (stopped)
                atomic_store(&run->stopped_by_caller, true);
        if (stopped || timed_out)
                run_cancel(run);
        if (timed_out)
                abandon_unfinished_jobs(run);
        for (size_t i = 0; !stopped && !timed_out && i < run->n_jobs; i++)
                if (run->jobs[i].error == -ETIMEDOUT)
                        timed_out = true;
        if (req) {
                pthread_mutex_lock(&run->lock); /* workers of a timed-out run still write */
                save_status(run, req, timed_out);
                pthread_mutex_unlock(&run->lock);
        }
        if (stopped)
                r = -ECANCELED;
        else if (timed_out)
                r = (run->parent && atomic_load(&run->parent->cancelled)) ? -ECANCELED : -ETIMEDOUT;
        else {
                r = 0;
                for (size_t i = 0; i < run->n_jobs; i++)
                        if (run->jobs[i].error < 0)
                                r++;
        }
        if (req && r == -ETIMEDOUT) {
                for (size_t i = 0; i < run->n_jobs; i++)
                        if (!req->status || !req->status[i].finished) {
                                request_set_error(req, "provider %s did not finish %s in time",
                                                  run->jobs[i].provider_name, run->jobs[i].cls->name);
                                break;
                        }
        }
        run_unref(run);
        return r;
}

GLUE_EXPORT int glue_call_enumerate(struct glue_call *call, const char *class_name, unsigned flags,
                                    glue_instance_fn fn, void *userdata)
{
        const struct glue_class *root;
        struct run_options opts;

        if (!call || !class_name || !fn)
                return -EINVAL;
        root = context_find_class(call->run->ctx, call->cls->name_space, class_name);
        if (!root)
                return -ESRCH;
        opts = (struct run_options){
                .root = root,
                .flags = flags,
                .properties = (const char *const *)call->run->properties,
                .n_properties = call->run->n_properties,
                .parent = call,
        };
        return engine_run(call->run->ctx, NULL, &opts, fn, userdata);
}
