/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "generated-tree.h"

char *generated_tree_new(const char *kind, unsigned count, unsigned seed)
{
        const char *gen = getenv("SYSFS_GEN");
        char *root = NULL, count_text[16], seed_text[16];
        int status;
        pid_t pid;

        if (!gen || !*gen) {
                fprintf(stderr, "SYSFS_GEN is not set: the path of bench/gen/sysfs-gen\n");
                return NULL;
        }
        if (asprintf(&root, "%s/hwglue-generated.XXXXXX", getenv("TMPDIR") ?: "/tmp") < 0)
                return NULL;
        if (!mkdtemp(root)) {
                perror("mkdtemp");
                free(root);
                return NULL;
        }
        snprintf(count_text, sizeof(count_text), "%u", count);
        snprintf(seed_text, sizeof(seed_text), "%u", seed);
        fflush(NULL);
        pid = fork();
        if (pid < 0) {
                perror("fork");
                generated_tree_remove(root);
                return NULL;
        }
        if (pid == 0) {
                execl(gen, gen, "--seed", seed_text, kind, count_text, root, (char *)NULL);
                perror(gen);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "%s %s %s %s failed\n", gen, kind, count_text, root);
                generated_tree_remove(root);
                return NULL;
        }
        return root;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        remove(path);
        return 0;
}

void generated_tree_remove(char *root)
{
        if (!root)
                return;
        nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(root);
}
