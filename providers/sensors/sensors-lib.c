/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <sensors/error.h>

#include "sensors-config.h"
#include "sensors-lib.h"
#include "sensors-sysfs-check.h"

/* A sensors.conf larger than this is refused (they are a few kB). */

struct sensors_lib_state {
        pthread_mutex_t lock;
        pthread_cond_t idle;    /* broadcast when readers drops to 0 */
        unsigned users;         /* contexts that registered the provider */
        unsigned readers;       /* calls between acquire and release */
        bool hooks_installed;
        bool loaded;
        bool config_is_default; /* the option was unset: libsensors' own search */
        char *config;           /* the option's value otherwise (owned; "" = none) */
        char *config_error;     /* why the configuration was replaced by an empty one (owned) */
        char *parse_error;      /* first message of the parse-error hook in this init (owned) */
        unsigned parse_error_count;
        const char *config_name; /* the file being parsed, for the parse-error hook */
        struct sensors_config *statements; /* what the loaded configuration may change */
        unsigned chip_count;
        double init_msec;
};

static struct sensors_lib_state state = {
        .lock = PTHREAD_MUTEX_INITIALIZER,
        .idle = PTHREAD_COND_INITIALIZER,
};

/* The guard of the libsensors call running on this thread, if any. */
static __thread jmp_buf *fatal_jump;

/* libsensors calls this on an allocation failure and then goes on as if it had not returned
 * (its header: "Never let it return!"). Jumping back to the guard abandons the call; what it
 * had allocated leaks, which beats ending the caller's process. */
static void hook_fatal_error(const char *proc, const char *err)
{
        if (fatal_jump)
                longjmp(*fatal_jump, 1);
        /* An unguarded libsensors call (none of ours allocate): returning is all that is left
         * that does not end the process. */
}

/* Parse errors arrive only from sensors_init(), which runs under state.lock. */
static void hook_parse_error_wfn(const char *err, const char *filename, int lineno)
{
        state.parse_error_count++;
        if (state.parse_error)
                return;
        /* libsensors knows no name for a configuration given as a FILE *. */
        if (!filename)
                filename = state.config_name ? state.config_name : "sensors.conf";
        if (asprintf(&state.parse_error, "%s:%d: %s", filename, lineno,
                     err ? err : "parse error") < 0)
                state.parse_error = NULL;
}

static void hook_parse_error(const char *err, int lineno)
{
        hook_parse_error_wfn(err, NULL, lineno);
}

void sensors_lib_ref(void)
{
        pthread_mutex_lock(&state.lock);
        /* Global function pointers: installed once and kept, so that a libsensors call still in
         * flight in an abandoned worker thread never meets the exiting default. */
        if (!state.hooks_installed) {
                sensors_fatal_error = hook_fatal_error;
                sensors_parse_error_wfn = hook_parse_error_wfn;
                sensors_parse_error = hook_parse_error;
                state.hooks_installed = true;
        }
        state.users++;
        pthread_mutex_unlock(&state.lock);
}

/* Under state.lock, with no reader. */
static void lib_unload(void)
{
        if (state.loaded)
                sensors_cleanup();
        state.loaded = false;
        sensors_config_free(state.statements);
        state.statements = NULL;
        free(state.config);
        state.config = NULL;
        free(state.config_error);
        state.config_error = NULL;
}

void sensors_lib_unref(void)
{
        pthread_mutex_lock(&state.lock);
        if (state.users > 0)
                state.users--;
        /* A reader stuck in a blocking read keeps the data alive; the last release frees it. */
        if (state.users == 0 && state.readers == 0)
                lib_unload();
        pthread_mutex_unlock(&state.lock);
}

int sensors_lib_run_guarded(void (*fn)(void *userdata), void *userdata)
{
        jmp_buf env;

        if (setjmp(env)) {
                fatal_jump = NULL;
                return -ENOMEM;
        }
        fatal_jump = &env;
        fn(userdata);
        fatal_jump = NULL;
        return 0;
}

struct init_args {
        FILE *config;
        int result;
};

static void call_sensors_init(void *userdata)
{
        struct init_args *args = userdata;

        args->result = sensors_init(args->config);
}

static void call_sensors_cleanup(void *userdata)
{
        sensors_cleanup();
}

/* sensors_init() with the fatal hook armed; a fatal error drops whatever it had built. Returns
 * libsensors' result (0 or -SENSORS_ERR_*), or -ENOMEM. */
static int lib_init_guarded(FILE *config, int *ret_sensors_error)
{
        struct init_args args = { .config = config };
        int r;

        state.parse_error_count = 0;
        free(state.parse_error);
        state.parse_error = NULL;
        r = sensors_lib_run_guarded(call_sensors_init, &args);
        if (r < 0) {
                (void)sensors_lib_run_guarded(call_sensors_cleanup, NULL);
                return r;
        }
        *ret_sensors_error = args.result;
        return 0;
}

static int count_chips(void)
{
        int nr = 0;
        unsigned n = 0;

        while (sensors_get_detected_chips(NULL, &nr))
                n++;
        return n;
}

/* Note why the requested configuration is not in use; the empty one replaces it. */
static void note_config_error(const char *config, const char *why)
{
        const char *name = config ? config : "the system sensors.conf";

        free(state.config_error);
        if (asprintf(&state.config_error, "libsensors: %s: %s; going on with no configuration",
                     name, why) < 0)
                state.config_error = NULL;
}

/* The whole file, as libsensors' scanner would read it through fopen(): blocking, so that a pipe
 * (a shell's <(...)) works. Returns 0 or a negative errno. */
static int read_config_text(const char *path, char **ret_text, size_t *ret_len)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), r;

        if (fd < 0)
                return -errno;
        r = sensors_config_read_fd(fd, SENSORS_CONFIG_TEXT_MAX, ret_text, ret_len);
        close(fd);
        return r;
}

/* Under state.lock, with nothing loaded and no reader. */
static int lib_load(bool is_default, const char *config)
{
        struct timespec start, end;
        struct sensors_config *statements = NULL;
        FILE *file = NULL;
        char *text = NULL;
        size_t len = 0;
        int r, sensors_error = 0;

        clock_gettime(CLOCK_MONOTONIC, &start);
        r = sensors_config_new(&statements);
        if (r < 0)
                return r;
        /* libsensors parses the very bytes that are scanned here for compute and label
         * statements (sensors-config.h). */
        if (!is_default && config[0] != '\0') {
                r = read_config_text(config, &text, &len);
                if (r == -ENOMEM) {
                        sensors_config_free(statements);
                        return r;
                }
                if (r < 0) {
                        note_config_error(config, strerror(-r));
                } else if (len > 0) {
                        file = fmemopen(text, len, "r");
                        if (!file) {
                                r = -errno;
                                goto out;
                        }
                }
                r = 0;
        }
        /* "", or an empty file: no configuration at all, which libsensors spells as an empty
         * file (NULL would mean the system's). */
        if (!is_default && !file) {
                file = fopen("/dev/null", "re");
                if (!file) {
                        r = -errno;
                        goto out;
                }
        } else if (file) {
                r = sensors_config_add_text(statements, text, len);
                if (r < 0)
                        goto out;
        }
        state.config_name = is_default ? NULL : config;
        r = lib_init_guarded(file, &sensors_error);
        state.config_name = NULL;
        if (file)
                fclose(file);
        file = NULL;
        if (r < 0)
                goto out;
        /* libsensors recovers from most syntax errors and keeps what did parse, as `sensors`
         * does; say so on every call that uses it. */
        if (sensors_error == 0 && state.parse_error_count > 0) {
                free(state.config_error);
                if (asprintf(&state.config_error,
                             "libsensors: %u errors in the configuration, the first: %s; "
                             "going on with what parsed", state.parse_error_count,
                             state.parse_error ? state.parse_error : "?") < 0)
                        state.config_error = NULL;
        }

        if (sensors_error == -SENSORS_ERR_PARSE) {
                char why[512];

                snprintf(why, sizeof(why), "%s (%u parse errors)",
                         state.parse_error ? state.parse_error : "parse error",
                         state.parse_error_count);
                note_config_error(is_default ? NULL : config, why);
                /* nothing of it is in use now */
                sensors_config_free(statements);
                statements = NULL;
                r = sensors_config_new(&statements);
                if (r < 0)
                        goto out;
                file = fopen("/dev/null", "re");
                if (!file) {
                        r = -errno;
                        goto out;
                }
                r = lib_init_guarded(file, &sensors_error);
                fclose(file);
                file = NULL;
                if (r < 0)
                        goto out;
        } else if (is_default && sensors_error == 0) {
                /* libsensors found and read the files itself; read them again here */
                r = sensors_config_add_default_files(statements);
                if (r < 0) {
                        sensors_cleanup();
                        goto out;
                }
        }
        if (sensors_error == -SENSORS_ERR_KERNEL) {
                r = -EIO; /* no sysfs at /sys: libsensors checks the filesystem's magic */
                goto out;
        }
        if (sensors_error < 0) {
                r = sensors_lib_errno(sensors_error);
                goto out;
        }

        clock_gettime(CLOCK_MONOTONIC, &end);
        state.loaded = true;
        state.statements = statements;
        statements = NULL;
        state.config_is_default = !config;
        state.config = config ? strdup(config) : NULL;
        if (config && !state.config) {
                lib_unload();
                r = -ENOMEM;
                goto out;
        }
        state.chip_count = (unsigned)count_chips();
        state.init_msec = (double)(end.tv_sec - start.tv_sec) * 1e3 +
                          (double)(end.tv_nsec - start.tv_nsec) / 1e6;
out:
        sensors_config_free(statements);
        free(text);
        return r;
}

static bool lib_has_config(bool is_default, const char *config)
{
        if (is_default || state.config_is_default)
                return is_default == state.config_is_default;
        return strcmp(config, state.config) == 0;
}

/* Under state.lock: wait until no call holds the other configuration, checking the caller's
 * deadline and cancellation every 100 ms. */
static int wait_for_idle(struct glue_call *call)
{
        while (state.readers > 0) {
                uint64_t left = glue_call_get_time_left(call), slice = 100000;
                struct timespec until;

                if (glue_call_is_cancelled(call) || left == 0)
                        return -ETIMEDOUT;
                if (left < slice)
                        slice = left;
                clock_gettime(CLOCK_REALTIME, &until);
                until.tv_nsec += (long)(slice * 1000);
                until.tv_sec += until.tv_nsec / 1000000000L;
                until.tv_nsec %= 1000000000L;
                pthread_cond_timedwait(&state.idle, &state.lock, &until);
        }
        return 0;
}

int sensors_lib_acquire(struct glue_call *call)
{
        const char *config = glue_call_get_option(call, "sensors.config");
        bool is_default = !config, did_load = false;
        char unwalkable[512] = "";
        unsigned chips = 0;
        double msec = 0;
        int r = 0;

        pthread_mutex_lock(&state.lock);
        for (;;) {
                if (state.loaded && lib_has_config(is_default, config))
                        break;
                if (state.readers > 0) {
                        r = wait_for_idle(call);
                        if (r < 0)
                                goto out;
                        continue;
                }
                lib_unload();
                r = sensors_sysfs_check(unwalkable, sizeof(unwalkable));
                if (r < 0)
                        goto out;
                r = lib_load(is_default, config);
                if (r < 0)
                        goto out;
                did_load = true;
                chips = state.chip_count;
                msec = state.init_msec;
        }
        state.readers++;
out:
        pthread_mutex_unlock(&state.lock);
        if (unwalkable[0])
                glue_call_log(call, LOG_ERR, "libsensors: %s", unwalkable);
        if (r == -EIO)
                glue_call_log(call, LOG_ERR, "libsensors: no sysfs at /sys, no sensors to read");
        if (r < 0)
                return r;
        /* Held as a reader: nobody changes the configuration until we release it. */
        if (state.config_error)
                glue_call_log(call, LOG_ERR, "%s", state.config_error);
        if (did_load)
                glue_call_log(call, LOG_DEBUG, "libsensors: sensors_init() found %u chips in %.3f ms",
                              chips, msec);
        return 0;
}

const struct sensors_config *sensors_lib_get_statements(void)
{
        return state.statements;
}

void sensors_lib_release(void)
{
        pthread_mutex_lock(&state.lock);
        if (state.readers > 0)
                state.readers--;
        if (state.readers == 0) {
                if (state.users == 0)
                        lib_unload();
                pthread_cond_broadcast(&state.idle);
        }
        pthread_mutex_unlock(&state.lock);
}

struct label_args {
        const sensors_chip_name *chip;
        const sensors_feature *feature;
        char *label;
};

static void call_get_label(void *userdata)
{
        struct label_args *args = userdata;

        args->label = sensors_get_label(args->chip, args->feature);
}

int sensors_lib_get_label(const sensors_chip_name *chip, const sensors_feature *feature,
                          char **ret)
{
        struct label_args args = { .chip = chip, .feature = feature };
        int r;

        r = sensors_lib_run_guarded(call_get_label, &args);
        if (r < 0)
                return r;
        if (!args.label)
                return -ENOMEM;
        *ret = args.label;
        return 0;
}

struct parse_args {
        const char *text;
        sensors_chip_name *name;
        int result;
};

static void call_parse_chip_name(void *userdata)
{
        struct parse_args *args = userdata;

        args->result = sensors_parse_chip_name(args->text, args->name);
}

int sensors_lib_parse_chip_name(const char *text, sensors_chip_name *ret)
{
        struct parse_args args = { .text = text, .name = ret };
        int r;

        r = sensors_lib_run_guarded(call_parse_chip_name, &args);
        if (r < 0)
                return r;
        return args.result < 0 ? sensors_lib_errno(args.result) : 0;
}

int sensors_lib_errno(int sensors_error)
{
        switch (-sensors_error) {
        case 0:
                return 0;
        case SENSORS_ERR_WILDCARDS:
        case SENSORS_ERR_CHIP_NAME:
        case SENSORS_ERR_BUS_NAME:
                return -EINVAL;
        case SENSORS_ERR_NO_ENTRY:
        case SENSORS_ERR_KERNEL: /* the attribute could not be opened */
                return -ENOENT;
        case SENSORS_ERR_ACCESS_W:
                return -EACCES;
        case SENSORS_ERR_DIV_ZERO:
                return -EDOM;
        case SENSORS_ERR_PARSE:
                return -EBADMSG;
        case SENSORS_ERR_RECURSION:
                return -ELOOP;
        case SENSORS_ERR_ACCESS_R: /* empty or not a number */
        case SENSORS_ERR_IO:
        default:
                return -EIO;
        }
}
