/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Hostile keys and object paths are refused before any file is opened. Each key ("../../etc/
 * passwd", "..", 5,000 bytes, a control byte, a PCI address with a tail, a libsensors wildcard)
 * is asked for through glue_request_get and a WQL query (WHERE DeviceID = '...'), and
 * through `hwglue get` and `hwglue query`, on a sysfs-gen tree that has block devices, PCI
 * functions and hwmon chips, read two ways: as --sysroot (the sysroot option), and as "/"
 * through umockdev's preload (libudev, libsensors). Each must be refused with the documented
 * result (glue_request_get: -ENOENT, or -EILSEQ for a malformed path; a query: no instances;
 * hwglue: exit 1 "no instance", or 3 for a malformed path) and, under strace:
 *  - nothing in the device tree is looked at for it: no name under the tree, under /sys, or the
 *    sysroot "/" itself;
 *  - no name looked up anywhere contains the hostile text;
 *  - everything looked up is in allowed-files.c's list.
 * Keys that could be one entry's name ("sda%2F..%2Fetc", 'sda"', "...") may be looked up by the
 * block provider, as that one entry of sys/class/block and nothing else.
 * A control of each kind (a well-formed key of a device that is not there) must reach the tree,
 * which shows that the trace sees the lookups it is there to catch.
 *
 * The library's cases run in one traced child (this program again, with --child), a marker
 * lookup before each; they also run in this process, untraced, where LeakSanitizer can look.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allowed-files.h"
#include "escape-test.h"
#include "file-trace.h"
#include "test-util.h"

enum mode {
        MODE_SYSROOT,  /* the tree given as the sysroot option (--sysroot) */
        MODE_UMOCKDEV, /* the tree read as "/" through umockdev's preload */
};

static const char *const mode_names[] = { "sysroot", "umockdev" };

struct key_case {
        char *text;          /* the object path or the WQL query */
        bool query;
        int expected;        /* glue_request_get's or glue_request_query's result */
        int expected_exit;   /* hwglue's */
        const char *stderr_has; /* what hwglue must say, or NULL */
        char *hostile;       /* text that no name looked up may contain, or NULL */
        char *one_entry;     /* a key that may be looked up as one entry of a tree directory */
        bool control;        /* a sound key of an absent device: must reach the tree */
        bool via_hwglue;     /* also run through the command */
};

struct case_list {
        struct key_case *items;
        size_t n;
};

/* Keys that no provider may look up at all. */
static const char *const hostile_keys[] = {
        "../../etc/passwd",
        "/etc/passwd",
        "sda/../../x",
        "..",
        ".",
        "./sda",
        "sda/",
        "sd\xc3\xa9", /* past ASCII */
        /* PCI-shaped: a real address with a tail, a relative prefix */
        "0000:00:01.0/../../../../etc/passwd",
        "0000:00:01.0/config",
        "../0000:00:01.0",
        /* sensors-shaped: traversal in the feature, two slashes, wildcards */
        "coretemp-isa-0000/../../../../etc/passwd",
        "coretemp-isa-0000/temp1/input",
        "coretemp-isa-0000/temp1_input%2F..",
        "coretemp-isa-0000/.",
        "nct6779-isa-*/temp1",
};

/* Keys that a tree may hold as the name of one entry of sys/class/block (tests/hostile has a
 * disk named 'sd"q\'): the block provider looks each up as that one entry, as it is (no %2F
 * decoding, no backslash as a separator), and nothing else; the other providers refuse them. */
static const char *const one_entry_keys[] = {
        "sda%2F..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2f%2e%2e",
        "..\\..\\etc\\passwd",
        "sda name",
        "sda\"",
        "...",
        "0000:00:01.8",
        "*-isa-*",
};

/* "coretemp" could be a disk's name (a sound key for the block provider, looked up there); as a
 * chip name it is a libsensors wildcard, which the sensors provider must refuse unread. */
static const char *const sensors_only_keys[] = { "coretemp", "coretemp/temp1" };

/* Classes whose get_instance each key goes to; CIM_LogicalDevice asks all three providers. */
static const char *const get_classes[] = {
        "Linux_BlockDevice", "Linux_PCIDevice", "Linux_Sensor", "Linux_SensorChip",
        "CIM_LogicalDevice",
};

/* Whole object paths that are malformed (-EILSEQ) or name no class (-ESRCH). */
static const struct {
        const char *path;
        int expected;
} malformed_paths[] = {
        { "Linux_BlockDevice.DeviceID=\"a\\0b\"", -EILSEQ }, /* an escaped NUL */
        { "Linux_BlockDevice.DeviceID=\"a\\x2f..\\x2fetc\"", -EILSEQ },
        { "Linux_BlockDevice.DeviceID=../../etc/passwd", -EILSEQ },
        { "Linux_BlockDevice.DeviceID=\"../../etc/passwd", -EILSEQ },
        { "Linux_BlockDevice.DeviceID=\"sda\"/../../etc/passwd", -EILSEQ },
        { "Linux_BlockDevice.DeviceID=\"sda\",DeviceID=\"../../etc/passwd\"", -EILSEQ },
        { "Linux_BlockDevice.Name=\"../../etc/passwd\"", -EILSEQ },
        { "root/../../etc:Linux_BlockDevice.DeviceID=\"sda\"", -EILSEQ },
        { "\\\\host\\..\\..\\etc:Linux_BlockDevice.DeviceID=\"sda\"", -EILSEQ },
        { "../../etc/passwd", -EILSEQ },
        { "Linux_BlockDevice/../../etc/passwd.DeviceID=\"sda\"", -EILSEQ },
        { "etc_passwd.DeviceID=\"../../etc/passwd\"", -ESRCH },
};

/* WQL string literals that only a query can spell: \n and \t escapes. */
static const char *const wql_only_literals[] = { "sda\\n", "sda\\t../../etc/passwd" };

static char *long_key(size_t len, const char *prefix)
{
        char *key = malloc(len + 1);

        if (!key)
                return NULL;
        memset(key, 'A', len);
        memcpy(key, prefix, strlen(prefix));
        key[len] = '\0';
        return key;
}

/* The key as a quoted object path value or WQL literal: backslashes and quotes escaped. */
static char *quote(const char *key, char quote_char)
{
        char *out = malloc(2 * strlen(key) + 1), *o = out;

        if (!out)
                return NULL;
        for (const char *k = key; *k; k++) {
                if (*k == '\\' || *k == quote_char)
                        *o++ = '\\';
                *o++ = *k;
        }
        *o = '\0';
        return out;
}

static void add_case(struct case_list *list, struct key_case c)
{
        struct key_case *grown = realloc(list->items, (list->n + 1) * sizeof(*grown));

        if (!grown || !c.text) {
                fprintf(stderr, "out of memory\n");
                exit(1);
        }
        list->items = grown;
        grown[list->n++] = c;
}

/* What no name may contain: the key, when it is long enough to be told apart from ordinary
 * names ("." and ".." are caught by the tree check), cut to its first 64 bytes. */
static char *hostile_text(const char *key)
{
        if (strlen(key) < 4)
                return NULL;
        return strndup(key, 64);
}

static void add_key_cases(struct case_list *list, const char *key, bool sensors_only,
                          bool one_entry)
{
        char *quoted_path = quote(key, '"'), *quoted_wql = quote(key, '\'');

        for (size_t i = 0; i < sizeof(get_classes) / sizeof(get_classes[0]); i++) {
                struct key_case c = { 0 };

                if (sensors_only && !strstr(get_classes[i], "Sensor"))
                        continue;
                c.hostile = hostile_text(key);
                c.one_entry = one_entry ? strdup(key) : NULL;

                if (asprintf(&c.text, "%s.DeviceID=\"%s\"", get_classes[i], quoted_path) < 0)
                        c.text = NULL;
                /* An object path has at most 4096 bytes: longer is malformed. */
                c.expected = c.text && strlen(c.text) > 4096 ? -EILSEQ : -ENOENT;
                c.expected_exit = c.expected == -EILSEQ ? 3 : 1;
                c.stderr_has = c.expected == -EILSEQ ? "is no object path" : "no instance";
                c.via_hwglue = strcmp(get_classes[i], sensors_only ? "Linux_Sensor"
                                                                   : "CIM_LogicalDevice") == 0;
                add_case(list, c);
        }
        for (size_t i = 0; i < 2; i++) {
                const char *from = sensors_only ? (i == 0 ? "Linux_Sensor" : "Linux_SensorChip")
                                                : (i == 0 ? "CIM_LogicalDevice" : "Linux_BlockDevice");
                struct key_case c = { .query = true, .hostile = hostile_text(key),
                                      .one_entry = one_entry ? strdup(key) : NULL,
                                      .expected = 0, .expected_exit = 1 };

                if (asprintf(&c.text, "SELECT * FROM %s WHERE DeviceID = '%s'", from,
                             quoted_wql) < 0)
                        c.text = NULL;
                c.via_hwglue = i == 0;
                add_case(list, c);
        }
        free(quoted_path);
        free(quoted_wql);
}

static struct case_list make_cases(void)
{
        struct case_list list = { 0 };
        char *key;

        for (size_t i = 0; i < sizeof(hostile_keys) / sizeof(hostile_keys[0]); i++)
                add_key_cases(&list, hostile_keys[i], false, false);
        for (size_t i = 0; i < sizeof(one_entry_keys) / sizeof(one_entry_keys[0]); i++)
                add_key_cases(&list, one_entry_keys[i], false, true);
        for (size_t i = 0; i < sizeof(sensors_only_keys) / sizeof(sensors_only_keys[0]); i++)
                add_key_cases(&list, sensors_only_keys[i], true, false);
        /* Absurd lengths: one that still fits an object path, one that does not. */
        key = long_key(300, "sd");
        add_key_cases(&list, key, false, false);
        free(key);
        key = long_key(5000, "../");
        add_key_cases(&list, key, false, false);
        free(key);
        for (size_t i = 0; i < sizeof(malformed_paths) / sizeof(malformed_paths[0]); i++)
                add_case(&list, (struct key_case){
                        .text = strdup(malformed_paths[i].path),
                        .expected = malformed_paths[i].expected,
                        .expected_exit = 3,
                        .hostile = strstr(malformed_paths[i].path, "passwd")
                                           ? strdup("etc/passwd") : NULL,
                        .via_hwglue = true,
                });
        /* The 5,000-byte path, whole. */
        key = long_key(5000, "Linux_BlockDevice.DeviceID=\"");
        add_case(&list, (struct key_case){ .text = key, .expected = -EILSEQ, .expected_exit = 3,
                                           .stderr_has = "is no object path",
                                           .hostile = strndup(key + 100, 64),
                                           .via_hwglue = true });
        for (size_t i = 0; i < sizeof(wql_only_literals) / sizeof(wql_only_literals[0]); i++) {
                struct key_case c = { .query = true, .expected = 0, .expected_exit = 1,
                                      .hostile = strdup("sda\n"), .via_hwglue = true };

                if (asprintf(&c.text, "SELECT * FROM CIM_LogicalDevice WHERE DeviceID = '%s'",
                             wql_only_literals[i]) < 0)
                        c.text = NULL;
                add_case(&list, c);
        }
        /* Controls: sound keys of devices the tree does not have. */
        static const char *const controls[] = {
                "Linux_BlockDevice.DeviceID=\"sdzz\"",
                "Linux_PCIDevice.DeviceID=\"0000:7f:1f.7\"",
                "Linux_Sensor.DeviceID=\"nosuch-isa-0000/temp1\"",
        };
        for (size_t i = 0; i < sizeof(controls) / sizeof(controls[0]); i++)
                add_case(&list, (struct key_case){ .text = strdup(controls[i]),
                                                   .expected = -ENOENT, .expected_exit = 1,
                                                   .stderr_has = "no instance",
                                                   .control = true, .via_hwglue = true });
        return list;
}

static void free_cases(struct case_list *list)
{
        for (size_t i = 0; i < list->n; i++) {
                free(list->items[i].text);
                free(list->items[i].hostile);
                free(list->items[i].one_entry);
        }
        free(list->items);
        *list = (struct case_list){ 0 };
}

/* ---- the library's side ------------------------------------------------------------------ */

static int count_instance(struct glue_instance *inst, void *userdata)
{
        (*(unsigned *)userdata)++;
        return 0;
}

static struct glue_context *new_context(enum mode mode, const char *tree)
{
        struct glue_context *ctx = NULL;

        if (glue_context_new(0, &ctx) < 0)
                return NULL;
        if (mode == MODE_SYSROOT)
                glue_context_set_option(ctx, "sysroot", tree);
        /* No sensors.conf: the empty one (/dev/null). */
        glue_context_set_option(ctx, "sensors.config", "");
        return ctx;
}

/* Run one case; returns the result, *ret_count the instances delivered. */
static int run_case(struct glue_context *ctx, const struct key_case *c, unsigned *ret_count)
{
        struct glue_request *req = NULL;
        struct glue_instance *inst = NULL;
        int r;

        *ret_count = 0;
        r = glue_request_new(ctx, &req);
        if (r < 0)
                return r;
        if (c->query) {
                r = glue_request_query(req, c->text, count_instance, ret_count);
        } else {
                r = glue_request_get(req, c->text, &inst);
                if (inst)
                        (*ret_count)++;
                glue_instance_unref(inst);
        }
        glue_request_unref(req);
        return r;
}

static bool check_result(const struct key_case *c, int r, unsigned count, const char *where)
{
        if (r == c->expected && count == 0)
                return true;
        fprintf(stderr, "%s: %.200s: returned %d (%s) with %u instances, expected %d\n", where,
                c->text, r, glue_strerror(r), count, c->expected);
        test_failures++;
        return false;
}

/* The traced child: every case in order, a marker before each, results on stdout. */
static int child_main(const char *mode_name, const char *tree)
{
        enum mode mode = strcmp(mode_name, "umockdev") == 0 ? MODE_UMOCKDEV : MODE_SYSROOT;
        struct case_list cases = make_cases();
        struct glue_context *ctx = new_context(mode, tree);
        char mark[32];

        if (!ctx)
                return 1;
        for (size_t i = 0; i < cases.n; i++) {
                unsigned count;
                int r;

                snprintf(mark, sizeof(mark), "case-%zu", i);
                file_trace_mark(mark);
                r = run_case(ctx, &cases.items[i], &count);
                printf("case %zu %d %u\n", i, r, count);
        }
        file_trace_mark("end");
        glue_context_unref(ctx);
        free_cases(&cases);
        return 0;
}

/* ---- checking a trace -------------------------------------------------------------------- */

/* Is the name part of the device tree: the tree, the machine's /sys, the sysroot "/" itself? */
static bool reaches_device_tree(const struct file_access *a, const char *tree)
{
        const char *names[] = { a->path, a->opened };

        for (size_t i = 0; i < 2; i++) {
                const char *name = names[i];

                if (!name)
                        continue;
                if (path_is_under(name, tree) || path_is_under(name, "/sys") ||
                    strcmp(name, "/") == 0 || path_is_under(name, "/run/udev"))
                        return true;
        }
        return false;
}

/* Is the access the lookup of key as one entry of a directory in the tree: the argument is the
 * key itself, relative to a directory descriptor there? */
static bool is_one_entry_lookup(const struct file_access *a, const char *key, const char *tree)
{
        size_t dir_len;

        if (!a->argument || strcmp(a->argument, key) != 0 || !a->path)
                return false;
        dir_len = strlen(a->path) - strlen(key);
        return dir_len > 1 && strcmp(a->path + dir_len, key) == 0 && a->path[dir_len - 1] == '/' &&
               path_is_under(a->path, tree);
}

/* Check the accesses [from, to) that one case made. Returns whether it reached the tree. */
static bool check_accesses(const struct key_case *c, const struct file_trace *trace, size_t from,
                           size_t to, const struct allowed_files *allowed, const char *where)
{
        bool reached = false;
        unsigned shown = 0;

        for (size_t i = from; i < to && i < trace->n; i++) {
                const struct file_access *a = &trace->accesses[i];
                bool tree = reaches_device_tree(a, allowed->sysroot);
                bool has_text = c->hostile &&
                                ((a->argument && strstr(a->argument, c->hostile)) ||
                                 (a->path && strstr(a->path, c->hostile)) ||
                                 (a->opened && strstr(a->opened, c->hostile)));

                reached |= tree;
                if (c->control || (!tree && !has_text))
                        continue;
                /* A key that may name one entry: the tree may be read, the key looked up as
                 * that entry, nothing more made of it. */
                if (c->one_entry && tree && (!has_text || is_one_entry_lookup(a, c->one_entry,
                                                                              allowed->sysroot)))
                        continue;
                if (shown++ < 5)
                        fprintf(stderr, "%s: %.120s: %s(\"%.200s\") -> %.200s: %s\n", where,
                                c->text, a->syscall, a->argument ? a->argument : "",
                                a->path ? a->path : a->opened,
                                has_text ? "names the hostile key" : "looks into the tree");
                test_failures++;
        }
        if (allowed_files_check(allowed, trace, from, to, where) > 0)
                test_failures++;
        return reached;
}

/* ---- the tests --------------------------------------------------------------------------- */

static const char *self_path;

static void run_library_cases_traced(const char *tree, enum mode mode)
{
        struct case_list cases = make_cases();
        char *argv[] = { (char *)self_path, (char *)"--child", (char *)mode_names[mode],
                         (char *)tree, NULL };
        char **env = escape_test_env(mode == MODE_UMOCKDEV ? tree : NULL);
        struct allowed_files allowed;
        struct file_trace trace;
        char where[64], mark[32];
        const char *line;
        int r;

        snprintf(where, sizeof(where), "library, %s", mode_names[mode]);
        r = allowed_files_init(&allowed, tree, self_path, mode == MODE_UMOCKDEV);
        check_int_eq(r, 0);
        r = r < 0 ? r : file_trace_run(argv, env, &trace);
        check_int_eq(r, 0);
        if (r < 0)
                goto out;
        check_int_eq(trace.exit_status, 0);
        line = trace.out;
        for (size_t i = 0; i < cases.n; i++) {
                const struct key_case *c = &cases.items[i];
                size_t from, to, index;
                unsigned count;
                int result, consumed = 0;
                bool reached;

                if (!line || sscanf(line, "case %zu %d %u\n%n", &index, &result, &count,
                                    &consumed) != 3 || index != i) {
                        fprintf(stderr, "%s: no result for case %zu (%.200s)\n", where, i,
                                c->text);
                        test_failures++;
                        break;
                }
                line += consumed;
                check_result(c, result, count, where);
                snprintf(mark, sizeof(mark), "case-%zu", i);
                from = file_trace_find_mark(&trace, mark);
                snprintf(mark, sizeof(mark), i + 1 < cases.n ? "case-%zu" : "end", i + 1);
                to = file_trace_find_mark(&trace, mark);
                if (from >= trace.n || to > trace.n || to == 0) {
                        fprintf(stderr, "%s: markers of case %zu missing\n", where, i);
                        test_failures++;
                        continue;
                }
                reached = check_accesses(c, &trace, from, to - 1, &allowed, where);
                if (c->control && !reached) {
                        fprintf(stderr, "%s: control %s never reached the tree\n", where,
                                c->text);
                        test_failures++;
                }
        }
        printf("# %s: %zu cases, %zu file accesses traced\n", where, cases.n, trace.n);
        file_trace_done(&trace);
out:
        allowed_files_done(&allowed);
        escape_test_env_free(env);
        free_cases(&cases);
}

static void run_library_cases_here(const char *tree)
{
        struct case_list cases = make_cases();
        struct glue_context *ctx = new_context(MODE_SYSROOT, tree);

        check(ctx != NULL);
        for (size_t i = 0; ctx && i < cases.n; i++) {
                unsigned count;
                int r = run_case(ctx, &cases.items[i], &count);

                check_result(&cases.items[i], r, count, "library, untraced");
        }
        glue_context_unref(ctx);
        free_cases(&cases);
}

static void run_hwglue_cases(const char *tree, enum mode mode)
{
        struct case_list cases = make_cases();
        const char *hwglue = escape_test_hwglue();
        char **env = escape_test_env(mode == MODE_UMOCKDEV ? tree : NULL);
        struct allowed_files allowed;
        char where[64];
        unsigned runs = 0;
        int r;

        snprintf(where, sizeof(where), "hwglue, %s", mode_names[mode]);
        r = hwglue ? allowed_files_init(&allowed, tree, hwglue, mode == MODE_UMOCKDEV) : -ENOENT;
        check_int_eq(r, 0);
        for (size_t i = 0; r == 0 && i < cases.n; i++) {
                const struct key_case *c = &cases.items[i];
                char *argv[8];
                struct file_trace trace;
                size_t n = 0;

                if (!c->via_hwglue)
                        continue;
                argv[n++] = (char *)hwglue;
                if (mode == MODE_SYSROOT) {
                        argv[n++] = (char *)"--sysroot";
                        argv[n++] = (char *)tree;
                }
                argv[n++] = (char *)(c->query ? "query" : "get");
                argv[n++] = c->text;
                argv[n] = NULL;
                if (file_trace_run(argv, env, &trace) < 0) {
                        test_failures++;
                        break;
                }
                runs++;
                if (trace.exit_status != c->expected_exit ||
                    (c->stderr_has && !strstr(trace.err, c->stderr_has)) ||
                    (trace.out && trace.out[0])) {
                        fprintf(stderr, "%s: %.200s: exit %d, expected %d; stdout \"%.100s\", "
                                "stderr \"%.300s\"\n", where, c->text, trace.exit_status,
                                c->expected_exit, trace.out, trace.err);
                        test_failures++;
                }
                if (!check_accesses(c, &trace, 0, trace.n, &allowed, where) && c->control) {
                        fprintf(stderr, "%s: control %s never reached the tree\n", where,
                                c->text);
                        test_failures++;
                }
                file_trace_done(&trace);
        }
        printf("# %s: %u runs\n", where, runs);
        if (r == 0)
                allowed_files_done(&allowed);
        escape_test_env_free(env);
        free_cases(&cases);
}

int main(int argc, char **argv)
{
        char *tree;

        if (argc == 4 && strcmp(argv[1], "--child") == 0)
                return child_main(argv[2], argv[3]);
        self_path = argv[0];
        /* Block devices, PCI functions and hwmon chips, four of each. */
        tree = escape_test_generate_tree("all", 4);
        if (!tree) {
                printf("not ok: no tree\n");
                return 1;
        }
        run_library_cases_here(tree);
        printf("%s library, untraced\n", test_failures ? "not ok" : "ok");
        for (enum mode mode = MODE_SYSROOT; mode <= MODE_UMOCKDEV; mode++) {
                int before = test_failures;

                run_library_cases_traced(tree, mode);
                printf("%s library, %s, under strace\n", test_failures > before ? "not ok" : "ok",
                       mode_names[mode]);
                before = test_failures;
                run_hwglue_cases(tree, mode);
                printf("%s hwglue, %s, under strace\n", test_failures > before ? "not ok" : "ok",
                       mode_names[mode]);
        }
        escape_test_remove_tree(tree);
        free(tree);
        return test_failures ? 1 : 0;
}
