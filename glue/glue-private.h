/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libglue internals, shared by the files of glue/ only. */
#pragma once

#include <pthread.h>
#include <stdatomic.h>
#include <syslog.h>

#include "libglue.h"
#include "name-index.h"

#define GLUE_EXPORT __attribute__((visibility("default")))

/* ---- logging ---------------------------------------------------------------------------- */

void glue_log(const struct glue_context *ctx, int priority, const char *file, int line,
              const char *fn, const char *format, ...) __attribute__((format(printf, 6, 7)));
#define glue_log_cond(ctx, prio, ...)                                                    \
        do {                                                                              \
                if ((ctx) && glue_context_get_log_priority(ctx) >= (prio))                \
                        glue_log((ctx), (prio), __FILE__, __LINE__, __func__, __VA_ARGS__); \
        } while (0)
#define log_debug(ctx, ...) glue_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
#define log_info(ctx, ...) glue_log_cond(ctx, LOG_INFO, __VA_ARGS__)
#define log_warn(ctx, ...) glue_log_cond(ctx, LOG_WARNING, __VA_ARGS__)
#define log_err(ctx, ...) glue_log_cond(ctx, LOG_ERR, __VA_ARGS__)

/* ---- values ----------------------------------------------------------------------------- */

/* Deep copy of src into dst (dst's previous content is not freed). */
int value_copy(struct glue_value *dst, const struct glue_value *src);
void value_clear(struct glue_value *v);
/* Convert src to the given type (scalar or array) into dst, lossless only: -EPROTO, -ERANGE. */
int value_convert(struct glue_value *dst, const struct glue_value *src, enum glue_type type,
                  bool is_array);
/* A copy of s (len bytes) with NULs ending it and invalid UTF-8 replaced by U+FFFD. */
char *utf8_sanitize(const char *s, size_t len);
bool datetime_is_valid(const char *s);
/* A non-string scalar as text ("42", "TRUE"), into buf; -ENOBUFS if it does not fit. */
int value_format_scalar(const struct glue_value *v, char *buf, size_t size);
/* Key text of a scalar value as it appears in paths (unquoted), into an owned string. */
int value_to_key_text(const struct glue_value *v, char **ret);

/* ---- schema ----------------------------------------------------------------------------- */

struct glue_qualifier {
        char *name;
        struct glue_value value;
};

struct qualifier_list {
        struct glue_qualifier *items;
        size_t count;
};

int qualifier_list_set(struct qualifier_list *list, const char *name, const struct glue_value *v);
const struct glue_qualifier *qualifier_list_find(const struct qualifier_list *list,
                                                 const char *name);
int qualifier_list_copy(struct qualifier_list *dst, const struct qualifier_list *src);
void qualifier_list_clear(struct qualifier_list *list);

struct glue_property {
        char *name;
        enum glue_type type;
        bool is_array;
        bool is_key;
        bool is_expensive;
        const struct glue_class *origin;
        struct glue_value *default_value; /* owned, or NULL */
        struct qualifier_list qualifiers;
        /* REF properties (GLUE_TYPE_REFERENCE): the class the values name objects of. */
        const struct glue_class *reference_class;
};

struct glue_class {
        char *name;
        char *name_space;
        char *full_name; /* "namespace:name", the class index's key */
        struct glue_class *superclass;
        bool is_abstract;
        bool is_association; /* own or inherited Association qualifier */
        char *provider; /* own or inherited Provider qualifier (owned copy), NULL if static */
        struct qualifier_list qualifiers;
        struct glue_property **properties; /* flattened; own ones have origin == this class */
        size_t n_properties;
        struct name_index property_index;
        size_t *key_indexes;
        size_t n_keys;
        struct glue_class **subclasses;
        size_t n_subclasses;
        struct glue_instance **static_instances; /* declared with `instance of` in MOF */
        size_t n_static_instances;
};

struct glue_class *class_new(const char *name_space, const char *name, struct glue_class *super);
void class_free(struct glue_class *cls);
/* Adds a property declared by cls (an override if override_name is set). */
int class_add_property(struct glue_class *cls, struct glue_property *prop, const char *override_name,
                       char **ret_error);
/* Finalises the class after its properties: key list and name index. */
int class_seal(struct glue_class *cls);
void property_free(struct glue_property *prop);
bool class_has_static_key(const struct glue_class *cls, const struct glue_instance *inst);

/* ---- context ---------------------------------------------------------------------------- */

/* Registered providers form an append-only list: an entry never moves or goes away before the
 * context does, so a worker left running by an abandoned request may keep pointing at it, and
 * lookups need no lock while another thread registers. */
struct provider_entry {
        /* Points at `table`: the registered table copied up to its size, the rest zero, so
         * that the glue reads every operation of the current table safely. */
        const struct glue_provider_ops *ops;
        struct glue_provider_ops table;
        const struct glue_provider_ops *registered; /* the caller's table, for init */
        /* The provider's init runs on its first use (provider_start), not at registration: a
         * request that never reaches it does not pay for its libraries' set-up. `started` is 0
         * until then, 1 once init succeeded (data is then set), or init's negative errno. */
        pthread_mutex_t start_lock;
        atomic_int started;
        void *data;
        /* Workers of requests that returned (deadline, stop) before the provider did: they are
         * stuck somewhere in it. Bounds how many more a new request may start (enumerate.c). */
        atomic_uint abandoned_workers;
        struct provider_entry *next;
};

struct option_entry {
        char *key;
        char *value;
};

struct glue_context {
        atomic_int refcount;
        glue_log_fn log_fn;
        void *log_data;
        int log_priority;
        pthread_mutex_t lock; /* schema loading and provider registration */

        struct option_entry *options;
        size_t n_options;

        struct glue_class **classes;
        size_t n_classes;
        struct name_index class_index; /* "namespace:name" folded */
        /* The context's copy of a compiled schema's image (schema-compiled.h), or NULL: the
         * classes in it are not class_free'd but released with it. */
        char *compiled_image;
        size_t compiled_image_size;

        _Atomic(struct provider_entry *) providers; /* newest first */
};

const struct glue_class *context_find_class(const struct glue_context *ctx, const char *name_space,
                                            const char *name);
struct provider_entry *context_find_provider(const struct glue_context *ctx, const char *name);
/* Run the provider's init if it has not run yet (once, whichever thread comes first, the others
 * waiting for it): 0 when the provider may be called, else init's error (for good). */
int provider_start(struct glue_context *ctx, struct provider_entry *p);
/* Add classes made by the MOF parser (all or nothing). */
int context_add_classes(struct glue_context *ctx, struct glue_class **classes, size_t n);
bool context_has_namespace(const struct glue_context *ctx, const char *name_space);

/* ---- MOF -------------------------------------------------------------------------------- */

/* Parse MOF text against the classes already in ctx; on success the new classes (with their
 * static instances) are added to ctx. On error *ret_error gets "name:line:col: message". */
int mof_parse(struct glue_context *ctx, const char *name, const char *text, char **ret_error);

/* ---- instances and paths ---------------------------------------------------------------- */

enum slot_state {
        SLOT_NOT_FETCHED = 0,
        SLOT_NULL,
        SLOT_SET,
};

struct instance_slot {
        unsigned char state;
        struct glue_value value;
};

struct glue_instance {
        atomic_int refcount;
        const struct glue_class *cls;
        struct instance_slot slots[];
};

bool instance_keys_set(const struct glue_instance *inst);
/* Do the instance's keys equal the path's keys (by name, value text)? */
bool instance_matches_path(const struct glue_instance *inst, const struct glue_path *path);
/* Do two instances have the same key values? (classes may differ) */
bool instance_same_keys(const struct glue_instance *a, const struct glue_instance *b);
/* The path built from an instance's keys (owned). */
int instance_to_path(const struct glue_instance *inst, struct glue_path **ret);
/* Store a reference already in canonical form (owned, taken on success) into REF property
 * name, unchecked: for the MOF parser, which checks it against the classes of its text. */
int instance_store_reference(struct glue_instance *inst, const char *name, char *canonical);

/* The longest object path text glue_path_parse() takes: paths come from command lines and
 * remote callers, and a reference must read back. */
#define OBJECT_PATH_MAX_LENGTH 4096

struct path_key {
        char *name;
        char *value;
        bool is_string;
};

struct glue_path {
        char *name_space;
        char *class_name;
        struct path_key *keys;
        size_t n_keys;
        bool singleton;
};

/* ---- references (reference.c) ----------------------------------------------------------- */

/* The class named `name` in cls's hierarchy: cls, one of its ancestors or descendants; NULL. */
const struct glue_class *class_find_related(const struct glue_class *cls, const char *name);
/* Are a and b the same class or one derived from the other? */
bool classes_related(const struct glue_class *a, const struct glue_class *b);
/*
 * The canonical form of `path` as a path to an instance of cls (see libglue.h, "References"),
 * owned in *ret: the keys of cls, each once, in key order, as the schema names them, values
 * normalised. -EILSEQ if its keys are not cls's, -ENOMEM. The namespace is left out.
 */
int path_canonicalize(const struct glue_class *cls, const struct glue_path *path,
                      struct glue_path **ret);
/* A reference value for a REF property to ref_class: the canonical text, owned, and the class
 * it names (borrowed, may be NULL). -EILSEQ, -EPROTO as glue_instance_set_reference. */
int reference_canonical_text(const struct glue_class *ref_class, const char *text, char **ret,
                             const struct glue_class **ret_class);
int reference_canonical_path(const struct glue_class *ref_class, const struct glue_path *path,
                             char **ret, const struct glue_class **ret_class);
/* The same for a path whose class cls the caller found (the MOF parser, in its own classes). */
int reference_canonical_in(const struct glue_class *cls, const struct glue_path *path, char **ret);
/* Do two canonical references to ref_class name the same object (libglue.h)? Never fails: an
 * unparsable text (not canonical, so not from an instance) names nothing. */
bool reference_values_equal(const struct glue_class *ref_class, const char *a, const char *b);
/* Do two canonical paths have the same keys (names case-insensitively, values exactly)? */
bool path_keys_equal(const struct glue_path *a, const struct glue_path *b);

/* ---- associations (associators.c) ------------------------------------------------------- */

/* Can an instance of assoc (or of a subclass) refer to an object of class object_class, through
 * its REF property `role` (NULL: any)? Subclasses only narrow their references, so a class that
 * cannot has no subclass that can. */
bool association_may_refer(const struct glue_class *assoc, const struct glue_class *object_class,
                           const char *role);
/* Does the association instance refer to the object (canonical path `object` of most derived
 * class object_class) through `role` (NULL: any of its references)? Pure: any thread. */
bool association_refers_to(const struct glue_instance *inst, const struct glue_class *object_class,
                           const struct glue_path *object, const char *role);
/* Run a parsed ASSOCIATORS OF / REFERENCES OF query (glue_request_query). */
struct wql_association;
int association_query(struct glue_request *req, const struct wql_association *a,
                      glue_instance_fn fn, void *userdata);

/* ---- requests and the enumeration engine ------------------------------------------------ */

struct status_entry {
        char *provider;
        char *class_name;
        int error;
        bool finished;
        uint64_t instances;
        uint64_t usec;
        char *message;
};

/* Files that could not be read, one entry per cause (glue_call_note_read_error). */
struct read_error_entry {
        int error;
        uint64_t count;
        char *example;
        char *provider;
};

struct read_error_list {
        struct read_error_entry *items;
        size_t count;
};

void read_error_list_add(struct read_error_list *list, int error, uint64_t count,
                         const char *example, const char *provider);
void read_error_list_clear(struct read_error_list *list);

struct glue_request {
        atomic_int refcount;
        struct glue_context *ctx;
        char *name_space;
        unsigned flags;
        char **properties;
        size_t n_properties;
        uint64_t timeout_usec;
        glue_idle_fn idle_fn;
        void *idle_data;
        char *error;
        struct status_entry *status;
        size_t n_status;
        struct read_error_list read_errors;
};

void request_set_error(struct glue_request *req, const char *format, ...)
        __attribute__((format(printf, 2, 3)));
void request_clear_status(struct glue_request *req);

uint64_t now_usec(void);

/*
 * The engine behind enumerate, get and query. `key` (may be NULL) restricts delivery to
 * instances with those keys and turns on get-by-key in the providers that have it.
 */
struct run_options {
        const struct glue_class *root;
        unsigned flags;                  /* GLUE_REQUEST_* */
        const char *const *properties;   /* NULL: all */
        size_t n_properties;
        uint64_t deadline;               /* absolute now_usec() time, 0: none */
        const struct glue_path *key;     /* get-by-key, or NULL */
        const struct glue_call *parent;  /* for re-entrant calls, or NULL */
        glue_idle_fn idle_fn;            /* may be NULL */
        void *idle_data;
        /* Association mode (associators.c): the associations, instances of root's subtree, that
         * refer to `object` (canonical path of an instance of object_class) through `role`
         * (NULL: any). Providers are asked with their references operation, else enumerate;
         * jobs for classes that cannot refer to it are not planned; what does not refer to it
         * is dropped at post. NULL: an ordinary run. */
        const struct glue_path *object;
        const struct glue_class *object_class;
        const char *role;
};

int engine_run(struct glue_context *ctx, struct glue_request *req, const struct run_options *opts,
               glue_instance_fn fn, void *userdata);

/* The built-in schema and providers (schema-compiled.c, builtin-providers.c). */
int context_load_builtin(struct glue_context *ctx);
