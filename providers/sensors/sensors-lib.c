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

struct sensors_lib_state {
        pthread_mutex_t lock;
        pthread_cond_t idle;    /* broadcast when readers drops to 0 */
        unsigned users;         /* contexts that registered the provider */
        unsigned readers;       /* calls between acquire and release */
        bool hooks_installed;
        bool loaded;            /* the configuration below is read */
        bool config_is_default; /* the option was unset: libsensors' own search */
        char *config;           /* the option's value otherwise (owned; "" = none) */
        char *config_text;      /* that file's bytes, for libsensors to parse (owned), or NULL */
        size_t config_len;
        char *config_error;     /* why the configuration was replaced by an empty one (owned) */
        struct sensors_config *statements; /* what the configuration changes */
        bool lib_loaded;        /* libsensors is initialised with it */
        char *parse_error;      /* first message of the parse-error hook in this init (owned) */
        unsigned parse_error_count;
        const char *config_name; /* the file being parsed, for the parse-error hook */
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
        if (state.lib_loaded)
                sensors_cleanup();
        state.lib_loaded = false;
        state.loaded = false;
        sensors_config_free(state.statements);
        state.statements = NULL;
        free(state.config);
        state.config = NULL;
        free(state.config_text);
        state.config_text = NULL;
        state.config_len = 0;
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

/* Under state.lock, with nothing loaded and no reader: read the configuration (the option's
 * file, or the files libsensors reads by default) into statements, without libsensors. */
static int config_load(bool is_default, const char *config)
{
        struct sensors_config *statements = NULL;
        char *text = NULL;
        size_t len = 0;
        int r;

        r = sensors_config_new(&statements);
        if (r < 0)
                return r;
        if (is_default) {
                r = sensors_config_add_default_files(statements);
        } else if (config[0] != '\0') {
                r = read_config_text(config, &text, &len);
                if (r == -ENOMEM)
                        goto out;
                if (r < 0)
                        note_config_error(config, strerror(-r)); /* none is in use then */
                r = r < 0 ? 0 : sensors_config_add_text(statements, config, text, len);
        }
        if (r < 0)
                goto out;
        state.config = config ? strdup(config) : NULL;
        if (config && !state.config) {
                r = -ENOMEM;
                goto out;
        }
        state.config_is_default = is_default;
        state.config_text = text;
        state.config_len = len;
        text = NULL;
        state.statements = statements;
        statements = NULL;
        state.loaded = true;
out:
        sensors_config_free(statements);
        free(text);
        return r;
}

/* Under state.lock, the configuration read, libsensors not initialised: no reader uses
 * libsensors' state now (only its pure calls), so initialising it is safe beside them. The
 * first call pays for libsensors' walk of every chip. Returns 0, -EIO when there is no sysfs
 * at /sys, -ENOMEM, or what libsensors said. */
static int lib_init(void)
{
        struct timespec start, end;
        FILE *file = NULL;
        int r, sensors_error = 0;

        clock_gettime(CLOCK_MONOTONIC, &start);
        /* libsensors parses the very bytes that were read for the statements */
        if (!state.config_is_default) {
                file = state.config_len > 0 ? fmemopen(state.config_text, state.config_len, "r")
                                            : fopen("/dev/null", "re");
                if (!file)
                        return -errno;
        }
        state.config_name = state.config_is_default ? NULL : state.config;
        r = lib_init_guarded(file, &sensors_error);
        state.config_name = NULL;
        if (file)
                fclose(file);
        if (r < 0)
                return r;
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
                struct sensors_config *none = NULL;
                char why[512];

                snprintf(why, sizeof(why), "%s (%u parse errors)",
                         state.parse_error ? state.parse_error : "parse error",
                         state.parse_error_count);
                note_config_error(state.config_is_default ? NULL : state.config, why);
                /* nothing of it is in use now */
                r = sensors_config_new(&none);
                if (r < 0)
                        return r;
                sensors_config_free(state.statements);
                state.statements = none;
                file = fopen("/dev/null", "re");
                if (!file)
                        return -errno;
                r = lib_init_guarded(file, &sensors_error);
                fclose(file);
                if (r < 0)
                        return r;
        }
        if (sensors_error == -SENSORS_ERR_KERNEL)
                return -EIO; /* no sysfs at /sys: libsensors checks the filesystem's magic */
        if (sensors_error < 0)
                return sensors_lib_errno(sensors_error);
        clock_gettime(CLOCK_MONOTONIC, &end);
        state.lib_loaded = true;
        state.chip_count = (unsigned)count_chips();
        state.init_msec = (double)(end.tv_sec - start.tv_sec) * 1e3 +
                          (double)(end.tv_nsec - start.tv_nsec) / 1e6;
        return 0;
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

/* state.lock, waiting no longer than the call may: a libsensors call that never returns
 * (sensors_init() on a file that blocks, which sensors_sysfs_check() is there to prevent)
 * holds it, and must not hold the next calls past their deadlines too. */
static int lock_within_deadline(struct glue_call *call)
{
        for (;;) {
                uint64_t left = glue_call_get_time_left(call), slice = 100000;
                struct timespec until;
                int r;

                if (glue_call_is_cancelled(call) || left == 0)
                        return -ETIMEDOUT;
                if (left < slice)
                        slice = left;
                clock_gettime(CLOCK_REALTIME, &until);
                until.tv_nsec += (long)(slice * 1000);
                until.tv_sec += until.tv_nsec / 1000000000L;
                until.tv_nsec %= 1000000000L;
                r = pthread_mutex_timedlock(&state.lock, &until);
                if (r == 0)
                        return 0;
                if (r != ETIMEDOUT)
                        return -r;
        }
}

int sensors_lib_acquire(struct glue_call *call, bool with_libsensors, char *why, size_t size)
{
        const char *config = glue_call_get_option(call, "sensors.config");
        bool is_default = !config, did_init = false;
        char unwalkable[PATH_MAX + 256] = "";
        int r = 0, lib_r = 0;

        if (size > 0)
                why[0] = '\0';
        r = lock_within_deadline(call);
        if (r < 0) {
                glue_call_log(call, LOG_ERR, "libsensors is held by a call that does not return");
                return r;
        }
        for (;;) {
                if (state.loaded && lib_has_config(is_default, config)) {
                        /* libsensors only for a configuration that is not read exactly */
                        if (!with_libsensors || state.lib_loaded ||
                            sensors_config_is_exact(state.statements))
                                break;
                        /* as for a change of configuration: its parse errors may replace the
                         * statements that readers hold */
                        if (state.readers > 0) {
                                r = wait_for_idle(call);
                                if (r < 0)
                                        goto out;
                                continue;
                        }
                        lib_r = sensors_sysfs_check(state.config_is_default, unwalkable,
                                                    sizeof(unwalkable));
                        if (lib_r == 0) {
                                lib_r = lib_init();
                                did_init = lib_r == 0;
                        }
                        break;
                }
                if (state.readers > 0) {
                        r = wait_for_idle(call);
                        if (r < 0)
                                goto out;
                        continue;
                }
                lib_unload();
                r = config_load(is_default, config);
                if (r < 0)
                        goto out;
        }
        state.readers++;
out:
        pthread_mutex_unlock(&state.lock);
        if (r < 0)
                return r;
        if (unwalkable[0])
                glue_call_log(call, LOG_ERR, "libsensors: %s", unwalkable);
        if (lib_r == -EIO)
                snprintf(unwalkable, sizeof(unwalkable), "no sysfs at /sys");
        if (lib_r < 0 && size > 0)
                snprintf(why, size, "%s", unwalkable[0] ? unwalkable : strerror(-lib_r));
        /* Held as a reader: nobody changes the configuration until we release it. */
        if (state.config_error)
                glue_call_log(call, LOG_ERR, "%s", state.config_error);
        if (did_init)
                glue_call_log(call, LOG_DEBUG, "libsensors: sensors_init() found %u chips in %.3f ms",
                              state.chip_count, state.init_msec);
        return lib_r < 0 ? lib_r : 0;
}

bool sensors_lib_is_loaded(void)
{
        return state.lib_loaded;
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
