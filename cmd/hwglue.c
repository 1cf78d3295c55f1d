/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hwglue: options, subcommand dispatch and help. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hwglue-version.h"
#include "hwglue.h"
#include "output.h"

enum {
        ARG_JSONL = 0x100,
        ARG_SYSROOT,
        ARG_TIMEOUT,
        ARG_SHALLOW,
        ARG_KEYS_ONLY,
        ARG_TREE,
        ARG_NAMESPACE,
        ARG_NO_NULLS,
        ARG_STRICT,
        ARG_OUTPUT_FILE,
};

/* Options that only some subcommands take. */
enum {
        ALLOW_SHALLOW = 1u << 0,
        ALLOW_PROPERTIES = 1u << 1, /* -o, -p */
        ALLOW_KEYS_ONLY = 1u << 2,
        ALLOW_TREE = 1u << 3,
        ALLOW_ALL_COLUMNS = 1u << 4,
        ALLOW_LIST_COLUMNS = 1u << 5,
        ALLOW_INSTANCES = 1u << 6,  /* --no-nulls, --strict: commands that ask providers */
};

struct subcommand {
        const char *name;
        int (*run)(struct glue_context *ctx, const struct options *opts, struct output *out);
        size_t min_args, max_args;
        unsigned allowed;
        const char *usage;
        const char *help;
};

#define COMMON_HELP                                                                           \
        "\nOutput:\n"                                                                         \
        "  -J, --json             one JSON document (typed values, format version, messages)\n" \
        "      --jsonl            JSON Lines: one instance per line, written as it arrives\n"  \
        "  -P, --pairs            KEY=\"value\" pairs, one instance per line, for shells\n"    \
        "  -n, --noheadings       no table heading\n"                                         \
        "  -r, --raw              raw table: one blank between columns, unsafe bytes \\xHH\n" \
        "  -w, --width N          fit the table into N columns (default: the terminal's)\n"   \
        "  -b, --bytes            sizes in bytes in the table (machine formats always are)\n" \
        "      --no-nulls         machine formats leave out the properties that are NULL\n"   \
        "      --output-file FILE write FILE (atomically replaced) instead of stdout\n"       \
        "\nCommon options:\n"                                                                 \
        "      --sysroot DIR      read DIR/sys instead of /sys\n"                             \
        "      --timeout MS       one deadline for the whole run (default 30000; 0: none):\n" \
        "                         what came by then is shown, the rest named, exit 2\n"       \
        "      --strict           attributes that could not be read make the run partial\n"   \
        "      --namespace NS     the CIM namespace (default root/cimv2)\n"                   \
        "  -v, --verbose          show provider notes; twice: the library's debug log\n"      \
        "  -V, --version          the version of hwglue\n"                                    \
        "  -h, --help             this help\n"                                                \
        "\nExit status: 0 found, 1 none found, 2 partial (a provider failed or timed out),\n"   \
        "3 usage error (bad option, query, class or property), 4 other failure.\n"

#define COLUMNS_HELP                                                                          \
        "  -o, --output LIST      these columns (properties), comma-separated; +LIST adds\n"  \
        "                         them to the class's default columns; repeatable\n"          \
        "  -p, --properties LIST  the same as --output\n"                                     \
        "  -O, --all-columns      every property\n"                                           \
        "  -H, --list-columns     the columns CLASS has, its default ones marked\n"

static const struct subcommand subcommands[] = {
        { "inventory", command_inventory, 0, 0,
          ALLOW_ALL_COLUMNS | ALLOW_LIST_COLUMNS | ALLOW_INSTANCES,
          "hwglue [inventory] [OPTIONS]",
          "The inventory of this machine: every device the providers see (disks, PCI\n"
          "functions, sensors...), grouped by the class that each provider serves, in each\n"
          "class's default columns.\n"
          "\n  -O, --all-columns      every property\n"
          "  -H, --list-columns     the columns of each group, the default ones marked\n" },
        { "classes", command_classes, 0, 0, ALLOW_TREE, "hwglue classes [--tree] [OPTIONS]",
          "List the classes of the schema, or show them as a tree of subclasses.\n"
          "\n      --tree             the class hierarchy as a tree\n" },
        { "describe", command_describe, 1, 1, 0, "hwglue describe CLASS [OPTIONS]",
          "Describe a class as a reference page: its superclasses, provider, default\n"
          "columns, and each property's type, units and description (keys and\n"
          "references marked).\n" },
        { "enum", command_enum, 1, 1,
          ALLOW_SHALLOW | ALLOW_PROPERTIES | ALLOW_KEYS_ONLY | ALLOW_ALL_COLUMNS |
                  ALLOW_LIST_COLUMNS | ALLOW_INSTANCES,
          "hwglue enum CLASS [--shallow] [-o COL,...] [--keys-only] [OPTIONS]",
          "Enumerate the instances of CLASS and of the classes derived from it.\n"
          "\n      --shallow          only instances of CLASS itself, not of subclasses\n"
          COLUMNS_HELP
          "                         (the providers skip the work the others need)\n"
          "      --keys-only        only the key properties\n" },
        { "get", command_get, 1, 1, ALLOW_PROPERTIES | ALLOW_ALL_COLUMNS | ALLOW_INSTANCES,
          "hwglue get 'CLASS.KEY=\"value\"' [-o COL,...] [OPTIONS]",
          "Get one instance by its object path, e.g. hwglue get 'Linux_DiskDrive.DeviceID=\"sda\"'.\n"
          "\n  -o, --output LIST      these columns (+LIST: added to the default ones)\n"
          "  -p, --properties LIST  the same as --output\n"
          "  -O, --all-columns      every property\n" },
        { "query", command_query, 1, 1, ALLOW_SHALLOW | ALLOW_ALL_COLUMNS | ALLOW_INSTANCES,
          "hwglue query 'SELECT ... FROM ... [WHERE ...]' [OPTIONS]",
          "Run a WQL query: SELECT a, b | * FROM Class [WHERE condition], with = <> < <= > >=,\n"
          "LIKE ('%' any text, '_' one character, [a-z]), IS [NOT] NULL, AND, OR, NOT, ( ),\n"
          "ISA and __CLASS. Conditions on keys are answered by reading just that device.\n"
          "The table shows SELECT *'s instances in the class's default columns.\n"
          "\n      --shallow          only instances of the FROM class itself\n"
          "  -O, --all-columns      SELECT * in the table: every property\n" },
};

static const struct subcommand *find_subcommand(const char *name)
{
        for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
                if (strcmp(subcommands[i].name, name) == 0)
                        return &subcommands[i];
        return NULL;
}

static void print_help(const struct subcommand *sub)
{
        if (sub) {
                printf("Usage: %s\n\n%s%s", sub->usage, sub->help, COMMON_HELP);
                return;
        }
        printf("Usage: hwglue [COMMAND] [OPTIONS]\n\n"
               "Hardware inventory through libglue's CIM classes and providers.\n\n"
               "Commands:\n"
               "  (none), inventory      every device of this machine, grouped\n"
               "  classes [--tree]       the classes of the schema\n"
               "  describe CLASS         a class's properties, keys, units and provider\n"
               "  enum CLASS             the instances of a class (deep)\n"
               "  get PATH               one instance by object path\n"
               "  query WQL              a WQL query\n"
               "  help [COMMAND]         this help, or a command's\n"
               "\nColumns (enum, get; -O and -H also for the inventory):\n"
               COLUMNS_HELP
               "%s\nSee hwglue(1) and 'hwglue COMMAND --help'.\n",
               COMMON_HELP);
}

static int usage_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *format, ...)
{
        va_list ap;

        fputs("hwglue: ", stderr);
        va_start(ap, format);
        vfprintf(stderr, format, ap);
        va_end(ap);
        fputs("\nTry 'hwglue --help'.\n", stderr);
        return EXIT_USAGE;
}

/* -o/-p LIST: the names, in order; a '+' before the first list keeps the default columns. */
static int add_properties(struct options *opts, const char *list)
{
        char *copy, *save = NULL;

        if (*list == '+') {
                if (opts->n_properties == 0)
                        opts->columns_add = true;
                list++;
        }
        copy = strdup(list);
        if (!copy)
                return -ENOMEM;
        for (char *name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
                while (*name == ' ')
                        name++;
                if (!*name)
                        continue;
                char **grown = realloc(opts->properties,
                                       (opts->n_properties + 1) * sizeof(*grown));
                if (!grown || !(name = strdup(name))) {
                        free(copy);
                        return -ENOMEM;
                }
                opts->properties = grown;
                opts->properties[opts->n_properties++] = name;
        }
        free(copy);
        return 0;
}

/* A number of milliseconds (0 allowed when zero_ok) into microseconds. */
static int parse_milliseconds(const char *arg, bool zero_ok, uint64_t *ret)
{
        char *end;
        uint64_t ms;

        errno = 0;
        ms = strtoull(arg, &end, 10);
        if (errno || end == arg || *end || arg[0] == '-' || (ms == 0 && !zero_ok) ||
            ms > UINT64_MAX / 1000)
                return -EINVAL;
        *ret = ms * 1000;
        return 0;
}

static int parse_width(const char *arg, size_t *ret)
{
        char *end;
        unsigned long n;

        errno = 0;
        n = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || arg[0] == '-' || n == 0 || n > 100000)
                return -EINVAL;
        *ret = n;
        return 0;
}

/* Parses argv into opts; *ret_sub is the subcommand (NULL: inventory), *ret_help for --help,
 * *ret_version for --version. */
static int parse_args(int argc, char **argv, struct options *opts,
                      const struct subcommand **ret_sub, bool *ret_help, bool *ret_version)
{
        static const struct option long_options[] = {
                { "json", no_argument, NULL, 'J' },
                { "jsonl", no_argument, NULL, ARG_JSONL },
                { "pairs", no_argument, NULL, 'P' },
                { "output", required_argument, NULL, 'o' },
                { "properties", required_argument, NULL, 'p' },
                { "all-columns", no_argument, NULL, 'O' },
                { "list-columns", no_argument, NULL, 'H' },
                { "noheadings", no_argument, NULL, 'n' },
                { "raw", no_argument, NULL, 'r' },
                { "width", required_argument, NULL, 'w' },
                { "bytes", no_argument, NULL, 'b' },
                { "no-nulls", no_argument, NULL, ARG_NO_NULLS },
                { "output-file", required_argument, NULL, ARG_OUTPUT_FILE },
                { "sysroot", required_argument, NULL, ARG_SYSROOT },
                { "timeout", required_argument, NULL, ARG_TIMEOUT },
                { "strict", no_argument, NULL, ARG_STRICT },
                { "namespace", required_argument, NULL, ARG_NAMESPACE },
                { "shallow", no_argument, NULL, ARG_SHALLOW },
                { "keys-only", no_argument, NULL, ARG_KEYS_ONLY },
                { "tree", no_argument, NULL, ARG_TREE },
                { "verbose", no_argument, NULL, 'v' },
                { "version", no_argument, NULL, 'V' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        const struct subcommand *sub = NULL;
        unsigned used = 0;
        int c, modes = 0;

        opts->timeout_usec = DEFAULT_TIMEOUT_USEC;
        while ((c = getopt_long(argc, argv, "JPo:p:OHnrw:bvVh", long_options, NULL)) >= 0) {
                switch (c) {
                case 'J': opts->mode = OUTPUT_JSON; modes++; break;
                case ARG_JSONL: opts->mode = OUTPUT_JSONL; modes++; break;
                case 'P': opts->mode = OUTPUT_PAIRS; modes++; break;
                case 'o':
                case 'p':
                        if (add_properties(opts, optarg) < 0)
                                return EXIT_ERROR;
                        used |= ALLOW_PROPERTIES;
                        break;
                case 'O': opts->all_columns = true; used |= ALLOW_ALL_COLUMNS; break;
                case 'H': opts->list_columns = true; used |= ALLOW_LIST_COLUMNS; break;
                case 'n': opts->noheadings = true; break;
                case 'r': opts->raw = true; break;
                case 'w':
                        if (parse_width(optarg, &opts->width) < 0)
                                return usage_error("--width wants a positive number of columns, not '%s'",
                                                   optarg);
                        break;
                case 'b': opts->bytes = true; break;
                case ARG_NO_NULLS: opts->no_nulls = true; used |= ALLOW_INSTANCES; break;
                case ARG_OUTPUT_FILE:
                        if (!*optarg)
                                return usage_error("--output-file wants a file name");
                        opts->output_file = optarg;
                        break;
                case ARG_SYSROOT: opts->sysroot = optarg; break;
                case ARG_NAMESPACE: opts->name_space = optarg; break;
                case ARG_TIMEOUT:
                        if (parse_milliseconds(optarg, true, &opts->timeout_usec) < 0)
                                return usage_error("--timeout wants a number of milliseconds (0: none), not '%s'",
                                                   optarg);
                        break;
                case ARG_STRICT: opts->strict = true; used |= ALLOW_INSTANCES; break;
                case ARG_SHALLOW: opts->shallow = true; used |= ALLOW_SHALLOW; break;
                case ARG_KEYS_ONLY: opts->keys_only = true; used |= ALLOW_KEYS_ONLY; break;
                case ARG_TREE: opts->tree = true; used |= ALLOW_TREE; break;
                case 'v': opts->verbose++; break;
                case 'V': *ret_version = true; break;
                case 'h': *ret_help = true; break;
                default:
                        fputs("Try 'hwglue --help'.\n", stderr);
                        return EXIT_USAGE;
                }
        }
        if (modes > 1)
                return usage_error("choose one of --json, --jsonl and --pairs");

        char **rest = argv + optind;
        size_t n_rest = (size_t)(argc - optind);
        if (n_rest > 0 && strcmp(rest[0], "help") == 0) {
                *ret_help = true;
                rest++;
                n_rest--;
        }
        if (n_rest > 0) {
                sub = find_subcommand(rest[0]);
                if (!sub)
                        return usage_error("unknown command '%s'", rest[0]);
                rest++;
                n_rest--;
        }
        *ret_sub = sub;
        if (*ret_help || *ret_version)
                return EXIT_FOUND;
        if (!sub)
                sub = find_subcommand("inventory");
        if (used & ~sub->allowed)
                return usage_error("an option given does not apply to '%s' (see its --help)",
                                   sub->name);
        if (n_rest < sub->min_args)
                return usage_error("'%s' needs an argument (see its --help)", sub->name);
        if (n_rest > sub->max_args)
                return usage_error("too many arguments for '%s'", sub->name);
        if (opts->keys_only + (opts->n_properties > 0) + opts->all_columns > 1)
                return usage_error("--keys-only, --output and --all-columns exclude each other");
        opts->args = rest;
        opts->n_args = n_rest;
        return EXIT_FOUND;
}

static void log_to_stderr(void *userdata, int priority, const char *file, int line,
                          const char *fn, const char *format, va_list args)
{
        char *text;

        if (vasprintf(&text, format, args) < 0)
                return;
        fprintf(stderr, "hwglue: libglue<%d>: ", priority);
        write_log_text(stderr, text);
        fputc('\n', stderr);
        free(text);
}

uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int default_context(struct glue_context **ret)
{
        return glue_context_new(0, ret);
}

static void free_options(struct options *opts)
{
        for (size_t i = 0; i < opts->n_properties; i++)
                free(opts->properties[i]);
        free(opts->properties);
        free(opts->argv);
}

int hwglue_main(int argc, char **argv, const struct hwglue_setup *setup)
{
        struct options opts = { 0 };
        const struct subcommand *sub = NULL;
        struct glue_context *ctx = NULL;
        struct output *out = NULL;
        bool help = false, version = false;
        int r, code;

        /* A reader that goes away (| head -1) is normal: see EPIPE and stop, without a signal. */
        signal(SIGPIPE, SIG_IGN);
        /* The locale (LC_CTYPE, for UTF-8 in table cells) is set where libsmartcols is loaded,
         * the one part that reads it (smartcols-lazy.c); LC_NUMERIC stays "C" so that JSON
         * numbers keep their dot. */

        /* getopt_long reorders argv: the JSON header records the command line as given */
        opts.argc = argc;
        opts.argv = calloc((size_t)argc + 1, sizeof(char *));
        if (!opts.argv) {
                fputs("hwglue: out of memory\n", stderr);
                return EXIT_ERROR;
        }
        memcpy(opts.argv, argv, (size_t)argc * sizeof(char *));

        code = parse_args(argc, argv, &opts, &sub, &help, &version);
        if (code != EXIT_FOUND || help || version) {
                if (version)
                        printf("hwglue %s\n", HWGLUE_VERSION);
                else if (help)
                        print_help(sub);
                free_options(&opts);
                return code;
        }
        if (!sub)
                sub = find_subcommand("inventory");

        r = (setup && setup->make_context ? setup->make_context : default_context)(&ctx);
        if (r < 0) {
                fprintf(stderr, "hwglue: cannot set up libglue: %s\n", glue_strerror(r));
                free_options(&opts);
                return EXIT_ERROR;
        }
        if (opts.verbose > 0) {
                glue_context_set_log_fn(ctx, log_to_stderr, NULL);
                glue_context_set_log_priority(ctx, opts.verbose > 1 ? 7 : 4);
        }
        if (opts.sysroot && (r = glue_context_set_option(ctx, "sysroot", opts.sysroot)) < 0) {
                fprintf(stderr, "hwglue: --sysroot: %s\n", glue_strerror(r));
                code = EXIT_USAGE;
                goto out;
        }
        if (output_new(&opts, &out) < 0) {
                code = EXIT_ERROR; /* output_new said why */
                goto out;
        }
        /* one deadline for everything the command asks of the providers */
        if (opts.timeout_usec)
                opts.deadline_usec = now_usec() + opts.timeout_usec;
        code = sub->run(ctx, &opts, out);
        code = output_finish(out, code);
        if (output_left_workers(out)) {
                /* A provider did not finish by the deadline: its worker may be stuck in a read,
                 * holding what the providers' cleanup at the context's teardown waits for (the
                 * sensors provider's lock, held across libsensors' init). The output is complete
                 * and flushed: end now, as the deadline promises, and let the kernel reclaim
                 * the rest. */
                fflush(stderr);
                _exit(code);
        }
out:
        output_free(out);
        glue_context_unref(ctx);
        free_options(&opts);
        return code;
}
