/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * run-timed: run a command with its stdout on a pipe and say when the first byte came, when the
 * command ended, and its peak memory: the same stopwatch for hwglue, the floor and the peers.
 *
 *   run-timed [--timeout S] [--output FILE] -- COMMAND [ARG...]
 *
 * Prints one line to stdout:
 *   first_us=T total_us=T cpu_us=T maxrss_kib=K bytes=B lines=L status=exit:N|signal:N|timeout
 * first_us is -1 when the command printed nothing. Times count from just before fork();
 * total_us ends when wait4() returns. cpu_us is wait4's user and system time, the command's
 * and its waited-for descendants'. maxrss_kib is wait4's ru_maxrss, the largest of the
 * command and the descendants it waited for (for `sh -c 'a; b'`, the larger of a and b).
 * The command's stdout is counted and dropped, or copied to FILE.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void usage(FILE *out)
{
        fputs("usage: run-timed [--timeout S] [--output FILE] -- COMMAND [ARG...]\n", out);
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "timeout", required_argument, NULL, 't' },
                { "output", required_argument, NULL, 'o' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        static char buf[1 << 16];
        double timeout_s = 0;
        const char *output = NULL;
        int pipe_fds[2], out_fd = -1, c, status = 0;
        int64_t start, first = -1, deadline, end;
        uint64_t bytes = 0, lines = 0;
        bool timed_out = false;
        struct rusage ru = { 0 };
        pid_t pid;

        while ((c = getopt_long(argc, argv, "+t:o:h", options, NULL)) >= 0) {
                switch (c) {
                case 't':
                        timeout_s = strtod(optarg, NULL);
                        break;
                case 'o':
                        output = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (optind >= argc) {
                usage(stderr);
                return 2;
        }
        if (output) {
                out_fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                if (out_fd < 0) {
                        fprintf(stderr, "run-timed: %s: %s\n", output, strerror(errno));
                        return 2;
                }
        }
        if (pipe2(pipe_fds, O_CLOEXEC) < 0) {
                perror("run-timed: pipe");
                return 2;
        }
        fflush(NULL);
        start = now_us();
        pid = fork();
        if (pid < 0) {
                perror("run-timed: fork");
                return 2;
        }
        if (pid == 0) {
                /* Its own process group, so that a timeout ends a whole `sh -c` pipeline. */
                setpgid(0, 0);
                if (dup2(pipe_fds[1], STDOUT_FILENO) < 0)
                        _exit(127);
                execvp(argv[optind], argv + optind);
                fprintf(stderr, "run-timed: %s: %s\n", argv[optind], strerror(errno));
                _exit(127);
        }
        setpgid(pid, pid);
        close(pipe_fds[1]);
        deadline = timeout_s > 0 ? start + (int64_t)(timeout_s * 1e6) : INT64_MAX;
        for (;;) {
                struct pollfd pfd = { .fd = pipe_fds[0], .events = POLLIN };
                int64_t left = deadline - now_us();
                ssize_t n;

                if (left <= 0) {
                        timed_out = true;
                        kill(-pid, SIGKILL);
                        break;
                }
                if (poll(&pfd, 1, left > INT32_MAX / 1000 ? -1 : (int)(left / 1000) + 1) < 0) {
                        if (errno == EINTR)
                                continue;
                        perror("run-timed: poll");
                        break;
                }
                if (pfd.revents == 0)
                        continue;
                n = read(pipe_fds[0], buf, sizeof(buf));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                if (first < 0)
                        first = now_us() - start;
                bytes += (uint64_t)n;
                for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + n - p))); p++)
                        lines++;
                if (out_fd >= 0 && write(out_fd, buf, (size_t)n) != n) {
                        perror("run-timed: write");
                        out_fd = -1;
                }
        }
        while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
                ;
        end = now_us();
        printf("first_us=%lld total_us=%lld cpu_us=%lld maxrss_kib=%ld bytes=%llu lines=%llu "
               "status=", (long long)first, (long long)(end - start),
               (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
                       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec,
               ru.ru_maxrss, (unsigned long long)bytes, (unsigned long long)lines);
        if (timed_out)
                printf("timeout\n");
        else if (WIFSIGNALED(status))
                printf("signal:%d\n", WTERMSIG(status));
        else
                printf("exit:%d\n", WEXITSTATUS(status));
        return 0;
}
