/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsmartcols, loaded the first time a table is drawn rather than when hwglue starts. Linked,
 * it costs every run about 0.2 ms of a start-up that the schema commands, JSON, JSON Lines and
 * pairs never need it for (bench/README.md, "Start-up"): `hwglue classes` writes its table
 * itself (schema-commands.c), and with the library linked its start was 1.26x that of a
 * program linking libc alone.
 *
 * hwglue is linked without the library (its header only), and the functions it calls are
 * defined here, by libsmartcols' own names and prototypes (libsmartcols.h checks both): each
 * loads the library once (pthread_once; it stays loaded) and passes the call on. An executable
 * exports none of them, so nothing else that loads libsmartcols meets these. If the library
 * cannot be loaded, hwglue says so on stderr and the functions fail as they do out of memory
 * (NULL, -ENOMEM).
 */
#include <dlfcn.h>
#include <errno.h>
#include <libsmartcols.h>
#include <locale.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SMARTCOLS_SONAME "libsmartcols.so.1"

/* X(return type, name, (parameters), (arguments)) for each function hwglue calls. */
#define SMARTCOLS_FUNCTIONS(X)                                                               \
        X(const char *, scols_cell_get_data, (const struct libscols_cell *ce), (ce))         \
        X(int, scols_column_get_flags, (const struct libscols_column *cl), (cl))             \
        X(struct libscols_cell *, scols_line_get_cell, (struct libscols_line *ln, size_t n), \
          (ln, n))                                                                           \
        X(int, scols_line_refer_data, (struct libscols_line *ln, size_t n, char *data),      \
          (ln, n, data))                                                                     \
        X(int, scols_line_set_data, (struct libscols_line *ln, size_t n, const char *data),  \
          (ln, n, data))                                                                     \
        X(struct libscols_table *, scols_new_table, (void), ())                              \
        X(int, scols_print_table, (struct libscols_table *tb), (tb))                         \
        X(int, scols_print_table_to_string, (struct libscols_table *tb, char **data),        \
          (tb, data))                                                                        \
        X(int, scols_table_enable_minout, (struct libscols_table *tb, int enable),           \
          (tb, enable))                                                                      \
        X(int, scols_table_enable_noheadings, (struct libscols_table *tb, int enable),       \
          (tb, enable))                                                                      \
        X(int, scols_table_enable_raw, (struct libscols_table *tb, int enable), (tb, enable)) \
        X(struct libscols_column *, scols_table_get_column,                                  \
          (struct libscols_table *tb, size_t n), (tb, n))                                    \
        X(struct libscols_line *, scols_table_get_line, (struct libscols_table *tb, size_t n), \
          (tb, n))                                                                           \
        X(struct libscols_column *, scols_table_new_column,                                  \
          (struct libscols_table *tb, const char *name, double whint, int flags),            \
          (tb, name, whint, flags))                                                          \
        X(struct libscols_line *, scols_table_new_line,                                      \
          (struct libscols_table *tb, struct libscols_line *parent), (tb, parent))           \
        X(int, scols_table_set_stream, (struct libscols_table *tb, FILE *stream), (tb, stream)) \
        X(int, scols_table_set_termforce, (struct libscols_table *tb, int force), (tb, force)) \
        X(int, scols_table_set_termwidth, (struct libscols_table *tb, size_t width),         \
          (tb, width))

#define SLOT(type, name, params, args) type(*name) params;
static struct {
        SMARTCOLS_FUNCTIONS(SLOT)
        void (*scols_unref_table)(struct libscols_table *tb);
} sym;
#undef SLOT

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static bool loaded;

static void load(void)
{
        locale_t ctype = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
        void *handle;
        bool all;

        /* libsmartcols measures and escapes text, and draws trees, by LC_CTYPE: the user's,
         * for UTF-8. Set here, before it loads, for this thread only (uselocale): the tables
         * are drawn on it, and a provider's thread may be running. A run that draws no table
         * does not load the locale either. */
        if (ctype)
                uselocale(ctype);
        handle = dlopen(SMARTCOLS_SONAME, RTLD_NOW | RTLD_LOCAL);
        all = handle != NULL;

        /* dlsym's void * to a function pointer: through memcpy, as ISO C has no such cast */
#define LOOKUP(type, name, params, args)                                                     \
        if (all) {                                                                           \
                void *p = dlsym(handle, #name);                                              \
                all = p != NULL;                                                             \
                memcpy(&sym.name, &p, sizeof(p));                                            \
        }
        SMARTCOLS_FUNCTIONS(LOOKUP)
        LOOKUP(void, scols_unref_table, , )
#undef LOOKUP
        if (!all)
                fprintf(stderr, "hwglue: cannot use %s: %s\n", SMARTCOLS_SONAME, dlerror());
        loaded = all;
}

static bool smartcols(void)
{
        pthread_once(&load_once, load);
        return loaded;
}

/* What a call returns when the library is not there: its own out-of-memory answers. */
#define FAILED(type) ((type)_Generic((type)0, int: -ENOMEM, default: 0))

#define WRAPPER(type, name, params, args)                                                    \
        type name params                                                                     \
        {                                                                                    \
                return smartcols() ? sym.name args : FAILED(type);                     \
        }
SMARTCOLS_FUNCTIONS(WRAPPER)
#undef WRAPPER

void scols_unref_table(struct libscols_table *tb)
{
        /* nothing to free without the library: no table was made */
        if (tb && smartcols())
                sym.scols_unref_table(tb);
}
