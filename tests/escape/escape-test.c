/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape-test.h"
#include "test-util.h"

const char *escape_test_hwglue(void)
{
        const char *hwglue = getenv("HWGLUE");

        if (!hwglue || access(hwglue, X_OK) < 0) {
                fprintf(stderr, "HWGLUE does not name the hwglue program\n");
                test_failures++;
                return NULL;
        }
        return hwglue;
}

static int run_program(char *const argv[])
{
        int status;
        pid_t pid;

        fflush(NULL);
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                execv(argv[0], argv);
                _exit(127);
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

char *escape_test_generate_tree(const char *kind, unsigned n)
{
        const char *gen = getenv("HWGLUE_SYSFS_GEN");
        char dir[] = "/tmp/hwglue-escape-XXXXXX", count[16], *tree = NULL;
        int r;

        if (!gen || !mkdtemp(dir)) {
                fprintf(stderr, "HWGLUE_SYSFS_GEN unset, or no temporary directory\n");
                return NULL;
        }
        snprintf(count, sizeof(count), "%u", n);
        if (asprintf(&tree, "%s/root", dir) < 0)
                return NULL;
        char *argv[] = { (char *)gen, (char *)"--seed", (char *)"1", (char *)kind, count, tree,
                         NULL };
        r = run_program(argv);
        if (r != 0) {
                fprintf(stderr, "%s %s %u %s: exit %d\n", gen, kind, n, tree, r);
                escape_test_remove_tree(tree);
                free(tree);
                return NULL;
        }
        return tree;
}

void escape_test_remove_tree(const char *tree)
{
        char *parent = strdup(tree), *slash;

        if (!parent)
                return;
        /* The tree sits alone in the directory made for it: remove that. */
        slash = strrchr(parent, '/');
        if (slash && slash != parent && strncmp(parent, "/tmp/hwglue-", 12) == 0) {
                *slash = '\0';
                char *argv[] = { (char *)"/bin/rm", (char *)"-rf", parent, NULL };
                (void)run_program(argv);
        }
        free(parent);
}

char **escape_test_env(const char *tree)
{
        char **env = calloc(4, sizeof(*env));
        size_t n = 0;

        if (!env)
                return NULL;
        env[n++] = strdup("ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0");
        if (tree) {
                env[n++] = strdup("LD_PRELOAD=libumockdev-preload.so.0");
                if (asprintf(&env[n++], "UMOCKDEV_DIR=%s", tree) < 0)
                        env[n - 1] = NULL;
        }
        for (size_t i = 0; i < n; i++)
                if (!env[i]) {
                        escape_test_env_free(env);
                        return NULL;
                }
        return env;
}

void escape_test_env_free(char **env)
{
        for (size_t i = 0; env && env[i]; i++)
                free(env[i]);
        free(env);
}
