/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command line of hwglue-export, and its --interval loop. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "export.h"
#include "hwglue-version.h"

/* The deadline of a whole export, every provider together: long enough for a slow disk to
 * answer, short enough that a hung provider does not make a timer-driven export (every 30 s)
 * pile up. */
#define DEFAULT_TIMEOUT_MS 10000

struct arguments {
        const char *textfile;
        double interval;         /* seconds; 0: once */
        const char *sysroot;
        uint64_t timeout_ms;
        char **options;          /* KEY=VALUE, borrowed from argv */
        size_t n_options;
        bool verbose;
        bool list_metrics;
};

struct export_job {
        struct glue_context *ctx;
        const struct export_plan *plan;
        uint64_t timeout_usec;
        struct export_collection *collection; /* of the export under way */
};

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
        stop_requested = 1;
}

static void usage(FILE *out)
{
        fputs("Usage: hwglue-export --textfile FILE [OPTIONS]\n"
              "Write the hardware metrics of hwglue's schema as a Prometheus text file, for\n"
              "node_exporter's textfile collector.\n\n"
              "  -t, --textfile FILE      the .prom file to replace atomically; - for stdout\n"
              "  -i, --interval SECONDS   export again every SECONDS until SIGTERM (default: once)\n"
              "  -s, --sysroot DIR        read DIR/sys instead of /sys\n"
              "  -T, --timeout MS         deadline of each export, all providers together;\n"
              "                           a provider still running then is abandoned and\n"
              "                           reported (default 10000, 0 for none)\n"
              "  -o, --option KEY=VALUE   a libglue option (sensors.config, pci.ids, ...)\n"
              "  -v, --verbose            log libglue's debug messages to stderr\n"
              "  -L, --list-metrics       list the metric families the schema defines (name,\n"
              "                           type, labels) and exit\n"
              "  -V, --version            show the version\n"
              "  -h, --help               show this help\n\n"
              "Exit status: 0 written, 2 written but a provider failed or ran out of time\n"
              "(its self-metrics say which), 3 usage error, 4 not written (the old file is\n"
              "kept). See hwglue-export(1).\n", out);
}

/* libglue logs from its worker threads: each message one whole line. */
static void log_to_stderr(void *userdata, int priority, const char *file, int line,
                          const char *fn, const char *format, va_list args)
{
        char *text;

        if (vasprintf(&text, format, args) < 0)
                return;
        export_warn_text("", text, "");
        free(text);
}

static int parse_arguments(int argc, char **argv, struct arguments *args)
{
        static const struct option long_options[] = {
                { "textfile", required_argument, NULL, 't' },
                { "interval", required_argument, NULL, 'i' },
                { "sysroot", required_argument, NULL, 's' },
                { "timeout", required_argument, NULL, 'T' },
                { "option", required_argument, NULL, 'o' },
                { "verbose", no_argument, NULL, 'v' },
                { "version", no_argument, NULL, 'V' },
                { "list-metrics", no_argument, NULL, 'L' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        char *end;
        int c;

        *args = (struct arguments) { .timeout_ms = DEFAULT_TIMEOUT_MS };
        args->options = calloc((size_t)argc, sizeof(*args->options));
        if (!args->options)
                return -ENOMEM;
        optind = 1;
        while ((c = getopt_long(argc, argv, "t:i:s:T:o:vVLh", long_options, NULL)) >= 0) {
                switch (c) {
                case 't':
                        args->textfile = optarg;
                        break;
                case 'i':
                        errno = 0;
                        args->interval = strtod(optarg, &end);
                        if (errno != 0 || end == optarg || *end != '\0' ||
                            !isfinite(args->interval) || args->interval <= 0 ||
                            args->interval > 1e6) {
                                fprintf(stderr, "hwglue-export: --interval wants a number of "
                                        "seconds above 0, not \"%s\"\n", optarg);
                                return -EINVAL;
                        }
                        break;
                case 's':
                        args->sysroot = optarg;
                        break;
                case 'T':
                        errno = 0;
                        args->timeout_ms = strtoull(optarg, &end, 10);
                        if (errno != 0 || end == optarg || *end != '\0' || optarg[0] == '-' ||
                            args->timeout_ms > UINT64_MAX / 1000) {
                                fprintf(stderr, "hwglue-export: --timeout wants milliseconds, "
                                        "not \"%s\"\n", optarg);
                                return -EINVAL;
                        }
                        break;
                case 'o':
                        if (!strchr(optarg, '=') || optarg[0] == '=') {
                                fprintf(stderr, "hwglue-export: --option wants KEY=VALUE, not "
                                        "\"%s\"\n", optarg);
                                return -EINVAL;
                        }
                        args->options[args->n_options++] = optarg;
                        break;
                case 'v':
                        args->verbose = true;
                        break;
                case 'L':
                        args->list_metrics = true;
                        break;
                case 'V':
                        printf("hwglue-export %s\n", HWGLUE_VERSION);
                        exit(EXIT_SUCCESS);
                case 'h':
                        usage(stdout);
                        exit(EXIT_SUCCESS);
                default:
                        usage(stderr);
                        return -EINVAL;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "hwglue-export: unexpected argument \"%s\"\n", argv[optind]);
                return -EINVAL;
        }
        if (!args->textfile && !args->list_metrics) {
                fprintf(stderr, "hwglue-export: --textfile FILE is required\n");
                usage(stderr);
                return -EINVAL;
        }
        return 0;
}

static int apply_options(struct glue_context *ctx, const struct arguments *args)
{
        int r;

        glue_context_set_log_fn(ctx, log_to_stderr, NULL);
        glue_context_set_log_priority(ctx, args->verbose ? LOG_DEBUG : LOG_ERR);
        if (args->sysroot) {
                r = glue_context_set_option(ctx, "sysroot", args->sysroot);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < args->n_options; i++) {
                char *key = strndup(args->options[i], strcspn(args->options[i], "="));

                if (!key)
                        return -ENOMEM;
                r = glue_context_set_option(ctx, key, strchr(args->options[i], '=') + 1);
                free(key);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int fill_textfile(FILE *out, void *userdata)
{
        const struct export_job *job = userdata;

        return export_format_collection(job->plan, job->collection, out);
}

/*
 * One export: enumerate everything into temporary files beside the target (so that a full or
 * read-only file system shows before any work is lost, and the target's own file system holds
 * the text), then replace the target whole. 0 written, 1 written but partial, or a negative
 * errno: nothing written.
 */
static int export_once(struct export_job *job, const char *textfile)
{
        bool to_stdout = strcmp(textfile, "-") == 0;
        struct export_options options = { .timeout_usec = job->timeout_usec };
        char *dir = NULL, *prefix = NULL;
        const char *slash = strrchr(textfile, '/');
        int r;

        if (!to_stdout) {
                r = export_check_file_name(textfile);
                if (r < 0)
                        return r;
                dir = slash == textfile ? strdup("/") :
                      slash ? strndup(textfile, (size_t)(slash - textfile)) : strdup(".");
                prefix = export_temporary_prefix(textfile);
                if (!dir || !prefix) {
                        r = -ENOMEM;
                        goto out;
                }
                /* A writer killed earlier left its temporary: ours to clean. */
                export_remove_stale_temporaries(textfile);
                options.spill_dir = dir;
                options.spill_prefix = prefix;
        }
        r = export_collect(job->ctx, job->plan, &options, &job->collection);
        if (r < 0)
                goto out;
        if (to_stdout)
                r = export_write_stream(STDOUT_FILENO, fill_textfile, job);
        else
                r = export_write_file_atomic(textfile, fill_textfile, job);
        if (r >= 0 && export_collection_is_partial(job->collection))
                r = 1;
        export_collection_free(job->collection);
        job->collection = NULL;
out:
        free(dir);
        free(prefix);
        return r;
}

static int exit_status(int r)
{
        return r < 0 ? EXPORT_EXIT_FAILURE : r > 0 ? EXPORT_EXIT_PARTIAL : EXPORT_EXIT_OK;
}

static void timespec_add_seconds(struct timespec *ts, double seconds)
{
        double whole = floor(seconds);

        ts->tv_sec += (time_t)whole;
        ts->tv_nsec += (long)((seconds - whole) * 1e9);
        if (ts->tv_nsec >= 1000000000) {
                ts->tv_sec++;
                ts->tv_nsec -= 1000000000;
        }
}

static bool timespec_before(const struct timespec *a, const struct timespec *b)
{
        return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Export every interval seconds, counted from each start, until SIGTERM or SIGINT; the write
 * under way when the signal comes is finished first. */
static int export_loop(struct export_job *job, const char *textfile, double interval)
{
        struct sigaction action = { .sa_handler = on_stop_signal };
        struct timespec next, now;
        int r = 0;

        /* No SA_RESTART: the signal must end the sleep. */
        sigemptyset(&action.sa_mask);
        sigaction(SIGTERM, &action, NULL);
        sigaction(SIGINT, &action, NULL);
        clock_gettime(CLOCK_MONOTONIC, &next);
        while (!stop_requested) {
                r = export_once(job, textfile);
                if (r < 0)
                        export_warn("export failed, %s kept as it was: %s", textfile,
                                    strerror(-r));
                /* An export slower than the interval skips the ticks it overran. */
                clock_gettime(CLOCK_MONOTONIC, &now);
                do
                        timespec_add_seconds(&next, interval);
                while (!timespec_before(&now, &next));
                while (!stop_requested &&
                       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
                        ;
        }
        return r;
}

int export_main(int argc, char **argv, export_context_fn new_context)
{
        struct arguments args;
        struct export_job job = { 0 };
        struct export_plan *plan = NULL;
        int r;

        r = parse_arguments(argc, argv, &args);
        if (r < 0) {
                free(args.options);
                return EXPORT_EXIT_USAGE;
        }
        r = new_context(&job.ctx);
        if (r < 0) {
                fprintf(stderr, "hwglue-export: cannot load the schema: %s\n", glue_strerror(r));
                goto out;
        }
        r = apply_options(job.ctx, &args);
        if (r < 0) {
                fprintf(stderr, "hwglue-export: cannot set the options: %s\n", glue_strerror(r));
                export_plan_free(plan);
                glue_context_unref(job.ctx);
                free(args.options);
                /* An option libglue does not know, or a value it refuses: the caller's to fix. */
                return r == -ENOMEM ? EXPORT_EXIT_FAILURE : EXPORT_EXIT_USAGE;
        }
        r = export_plan_new(job.ctx, &plan);
        if (r < 0) {
                fprintf(stderr, "hwglue-export: cannot plan the export: %s\n", glue_strerror(r));
                goto out;
        }
        job.plan = plan;
        if (args.list_metrics) {
                export_plan_list(plan, stdout);
                r = fflush(stdout) == 0 ? 0 : -errno;
                goto out;
        }
        job.timeout_usec = args.timeout_ms * 1000;

        if (args.interval > 0)
                r = export_loop(&job, args.textfile, args.interval);
        else {
                r = export_once(&job, args.textfile);
                if (r < 0)
                        export_warn("export failed, %s kept as it was: %s",
                                    strcmp(args.textfile, "-") == 0 ? "nothing" : args.textfile,
                                    strerror(-r));
        }
out:
        export_plan_free(plan);
        /* A provider abandoned at the deadline holds its own reference: the context goes when
         * it returns, or with the process. */
        glue_context_unref(job.ctx);
        free(args.options);
        return exit_status(r);
}
