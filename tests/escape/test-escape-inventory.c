/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A whole inventory reads nothing outside its sysfs tree: `hwglue --sysroot TREE --jsonl` runs
 * under strace, and every file it names (found or not, opened or only looked up) must lie in
 * TREE or be one of the few files allowed-files.c lists with its reason.
 *
 *   test-escape-inventory generated         a sysfs-gen tree, through --sysroot and through
 *                                           umockdev's preload (the "/" code paths: libudev,
 *                                           libsensors)
 *   test-escape-inventory shared ARCHIVE    a tree of ../shared/fixtures through --sysroot
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "allowed-files.h"
#include "escape-test.h"
#include "file-trace.h"
#include "test-util.h"

/* Run an inventory of tree under strace and check what it touched. preload: read the tree as
 * "/" through umockdev instead of --sysroot. */
static void check_inventory(const char *tree, bool preload, const char *what)
{
        const char *hwglue = escape_test_hwglue();
        char *argv_sysroot[] = { (char *)hwglue, (char *)"--sysroot", (char *)tree,
                                 (char *)"--jsonl", NULL };
        char *argv_root[] = { (char *)hwglue, (char *)"--jsonl", NULL };
        char **env = escape_test_env(preload ? tree : NULL);
        struct allowed_files allowed;
        struct file_trace trace;
        size_t in_tree = 0, lines = 0;
        unsigned bad;
        int r;

        r = allowed_files_init(&allowed, tree, hwglue, preload);
        check_int_eq(r, 0);
        if (r < 0)
                return;
        r = file_trace_run(preload ? argv_root : argv_sysroot, env, &trace);
        check_int_eq(r, 0);
        if (r < 0) {
                allowed_files_done(&allowed);
                escape_test_env_free(env);
                return;
        }
        if (trace.exit_status != 0 && trace.exit_status != 2)
                fprintf(stderr, "%s: hwglue exited %d:\n%s\n", what, trace.exit_status, trace.err);
        /* 2: partial, which odd recorded trees give (a provider reports what it could not
         * read); never a usage error or a crash. */
        check(trace.exit_status == 0 || trace.exit_status == 2);
        for (const char *p = trace.out; p && *p; p++)
                lines += *p == '\n';
        for (size_t i = 0; i < trace.n; i++)
                if (trace.accesses[i].path && path_is_under(trace.accesses[i].path, allowed.sysroot))
                        in_tree++;
        /* The checks below mean something only if the tree was read at all. */
        check(lines > 0);
        check(in_tree > 0);
        bad = allowed_files_check(&allowed, &trace, 0, trace.n, what);
        check_int_eq(bad, 0);
        printf("# %s: %zu instances, %zu file accesses, %zu in the tree, %u outside\n", what,
               lines, trace.n, in_tree, bad);
        file_trace_done(&trace);
        allowed_files_done(&allowed);
        escape_test_env_free(env);
}

static void test_generated(void)
{
        char *tree = escape_test_generate_tree("all", 6);

        check(tree != NULL);
        if (!tree)
                return;
        check_inventory(tree, false, "generated tree, --sysroot");
        check_inventory(tree, true, "generated tree, umockdev preload");
        escape_test_remove_tree(tree);
        free(tree);
}

static void test_shared(const char *archive)
{
        char *tree = test_shared_fixture_dir(archive);
        char what[256];

        if (!tree) {
                fprintf(stderr, "%s is not unpacked\n", archive);
                test_failures++;
                return;
        }
        snprintf(what, sizeof(what), "%s, --sysroot", archive);
        check_inventory(tree, false, what);
        free(tree);
}

int main(int argc, char **argv)
{
        if (argc == 2 && strcmp(argv[1], "generated") == 0)
                test_generated();
        else if (argc == 3 && strcmp(argv[1], "shared") == 0)
                test_shared(argv[2]);
        else {
                fprintf(stderr, "usage: %s generated | shared ARCHIVE\n", argv[0]);
                return 2;
        }
        printf("%s %s\n", test_failures ? "not ok" : "ok", argv[argc - 1]);
        return test_failures ? 1 : 0;
}
