/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "umockdev-rerun.h"

#define CHILD_MARK "HWGLUE_TEST_UNDER_UMOCKDEV"

int umockdev_rerun(char **argv, const char *tree, const char *umockdev_file)
{
        char self[PATH_MAX], preload[4096];
        const char *old;
        ssize_t n;
        pid_t pid;
        int status;

        if (getenv(CHILD_MARK))
                return -1;
        n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        if (n < 0) {
                perror("readlink /proc/self/exe");
                return 1;
        }
        self[n] = '\0';
        /* The ASan runtime wants to come first among the loaded libraries; the preload cannot
         * (shared/fixtures/README.md), so let ASan accept the order. */
        old = getenv("ASAN_OPTIONS");
        if (!old || !strstr(old, "verify_asan_link_order")) {
                char opts[4096];

                snprintf(opts, sizeof(opts), "%s%sverify_asan_link_order=0", old ? old : "",
                         old && *old ? ":" : "");
                setenv("ASAN_OPTIONS", opts, 1);
        }
        setenv(CHILD_MARK, "1", 1);
        fflush(NULL);
        pid = fork();
        if (pid < 0) {
                perror("fork");
                return 1;
        }
        if (pid == 0) {
                if (tree) {
                        old = getenv("LD_PRELOAD");
                        snprintf(preload, sizeof(preload), "%s%slibumockdev-preload.so.0",
                                 old ? old : "", old && *old ? " " : "");
                        setenv("LD_PRELOAD", preload, 1);
                        setenv("UMOCKDEV_DIR", tree, 1);
                        argv[0] = self;
                        execv(self, argv);
                        perror("execv");
                } else {
                        size_t argc = 0;
                        char **args;

                        while (argv[argc])
                                argc++;
                        args = calloc(argc + 5, sizeof(char *));
                        if (!args)
                                _exit(1);
                        args[0] = (char *)"umockdev-run";
                        args[1] = (char *)"-d";
                        args[2] = (char *)umockdev_file;
                        args[3] = (char *)"--";
                        args[4] = self;
                        for (size_t i = 1; i < argc; i++)
                                args[4 + i] = argv[i];
                        execvp("umockdev-run", args);
                        perror("execvp umockdev-run");
                }
                _exit(1);
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        perror("waitpid");
                        return 1;
                }
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        fprintf(stderr, "test child died of signal %d\n", WTERMSIG(status));
        return 1;
}
