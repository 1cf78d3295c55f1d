/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "export-test-process.h"
#include "test-util.h"

static void redirect(int target, const char *path, int flags)
{
        int fd = open(path ? path : "/dev/null", flags, 0644);

        if (fd < 0 || dup2(fd, target) < 0)
                _exit(126);
        if (fd != target)
                close(fd);
}

pid_t export_test_start(char *const argv[], const struct export_test_spawn *spawn)
{
        static const struct export_test_spawn none;
        pid_t pid;

        if (!spawn)
                spawn = &none;
        fflush(stdout);
        fflush(stderr);
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid > 0)
                return pid;

        redirect(STDIN_FILENO, spawn->stdin_path, O_RDONLY);
        redirect(STDOUT_FILENO, spawn->output_path, O_WRONLY | O_CREAT | O_TRUNC);
        if (dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
                _exit(126);
        for (const char *const *e = spawn->environment; e && *e; e++)
                putenv(strdup(*e));
        if (spawn->child_setup)
                spawn->child_setup();
        execvp(argv[0], argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
}

static int decode_status(int status)
{
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
}

int export_test_wait(pid_t pid, unsigned timeout_ms)
{
        for (unsigned waited = 0;; waited += 10) {
                struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
                int status;
                pid_t r = waitpid(pid, &status, WNOHANG);

                if (r == pid)
                        return decode_status(status);
                if (r < 0)
                        return -errno;
                if (waited >= timeout_ms)
                        return -ETIMEDOUT;
                nanosleep(&ts, NULL);
        }
}

int export_test_stop(pid_t pid)
{
        int r;

        kill(pid, SIGTERM);
        r = export_test_wait(pid, 5000);
        if (r != -ETIMEDOUT)
                return r;
        kill(pid, SIGKILL);
        return export_test_wait(pid, 5000);
}

int export_test_run(char *const argv[], const struct export_test_spawn *spawn,
                    unsigned timeout_ms, char **ret_output)
{
        struct export_test_spawn with_output = spawn ? *spawn : (struct export_test_spawn) { 0 };
        char output[] = "/tmp/hwglue-export-test-output-XXXXXX";
        int fd = mkstemp(output), r;
        pid_t pid;

        if (fd < 0)
                return -errno;
        close(fd);
        with_output.output_path = output;
        pid = export_test_start(argv, &with_output);
        if (pid < 0) {
                unlink(output);
                return pid;
        }
        r = export_test_wait(pid, timeout_ms);
        if (r == -ETIMEDOUT) {
                fprintf(stderr, "%s ran past %u ms: killed\n", argv[0], timeout_ms);
                kill(pid, SIGKILL);
                export_test_wait(pid, 5000);
        }
        if (ret_output) {
                *ret_output = test_read_file(output, NULL);
                if (!*ret_output)
                        *ret_output = strdup("");
        }
        unlink(output);
        return r;
}

char *export_test_make_directory(void)
{
        const char *tmp = getenv("TMPDIR");
        char *dir;

        if (asprintf(&dir, "%s/hwglue-export-test-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0 ||
            !mkdtemp(dir)) {
                fprintf(stderr, "cannot make a temporary directory: %s\n", strerror(errno));
                exit(EXIT_FAILURE);
        }
        return dir;
}

void export_test_remove_directory(const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *entry;

        if (d) {
                while ((entry = readdir(d)))
                        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
                                unlinkat(dirfd(d), entry->d_name, 0);
                closedir(d);
        }
        rmdir(dir);
}

size_t export_test_count_entries(const char *dir, const char *prefix)
{
        DIR *d = opendir(dir);
        struct dirent *entry;
        size_t n = 0;

        if (!d)
                return 0;
        while ((entry = readdir(d)))
                if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0 &&
                    strncmp(entry->d_name, prefix, strlen(prefix)) == 0)
                        n++;
        closedir(d);
        return n;
}

int export_test_promtool_check(const char *path)
{
        char *argv[] = { (char *)"promtool", (char *)"check", (char *)"metrics", NULL };
        const struct export_test_spawn spawn = { .stdin_path = path };
        char *output = NULL;
        int r = export_test_run(argv, &spawn, 60000, &output);

        if (r == 127)
                fprintf(stderr, "promtool is missing: install the Debian package prometheus\n");
        if (r != 0)
                fprintf(stderr, "promtool check metrics < %s: status %d\n%s", path, r,
                        output ? output : "");
        free(output);
        return r;
}
