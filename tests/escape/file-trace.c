/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file-trace.h"
#include "test-util.h"

#define MARK_DIR "/hwglue-trace-mark/"

bool path_is_under(const char *path, const char *dir)
{
        size_t len = strlen(dir);

        while (len > 1 && dir[len - 1] == '/')
                len--;
        return path && strncmp(path, dir, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

void file_trace_mark(const char *name)
{
        char path[256];

        snprintf(path, sizeof(path), MARK_DIR "%s", name);
        (void)access(path, F_OK);
}

size_t file_trace_find_mark(const struct file_trace *trace, const char *name)
{
        char path[256];

        snprintf(path, sizeof(path), MARK_DIR "%s", name);
        for (size_t i = 0; i < trace->n; i++)
                if (trace->accesses[i].path && strcmp(trace->accesses[i].path, path) == 0)
                        return i + 1;
        return trace->n;
}

/* "/a/./b/../c//d" -> "/a/c/d"; the input must be absolute. Owned. */
static char *normalise(const char *absolute)
{
        char *out = malloc(strlen(absolute) + 2);
        size_t len = 0;

        if (!out)
                return NULL;
        for (const char *p = absolute; *p;) {
                const char *end;
                size_t n;

                while (*p == '/')
                        p++;
                end = strchrnul(p, '/');
                n = (size_t)(end - p);
                if (n == 0 || (n == 1 && p[0] == '.')) {
                        /* nothing */
                } else if (n == 2 && p[0] == '.' && p[1] == '.') {
                        while (len > 0 && out[len - 1] != '/')
                                len--;
                        if (len > 0)
                                len--;
                } else {
                        out[len++] = '/';
                        memcpy(out + len, p, n);
                        len += n;
                }
                p = end;
        }
        if (len == 0)
                out[len++] = '/';
        out[len] = '\0';
        return out;
}

static int hex_value(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* A string as strace quotes it, at *p (on the opening quote); *p moves past the closing one. */
static char *unquote(const char **p)
{
        const char *s = *p + 1;
        char *out = malloc(strlen(s) + 1);
        size_t len = 0;

        if (!out)
                return NULL;
        for (; *s && *s != '"'; s++) {
                if (*s != '\\') {
                        out[len++] = *s;
                        continue;
                }
                s++;
                switch (*s) {
                case 'n': out[len++] = '\n'; break;
                case 't': out[len++] = '\t'; break;
                case 'r': out[len++] = '\r'; break;
                case 'v': out[len++] = '\v'; break;
                case 'f': out[len++] = '\f'; break;
                case 'x': {
                        int value = 0;

                        for (int i = 0; i < 2 && hex_value(s[1]) >= 0; i++)
                                value = value * 16 + hex_value(*++s);
                        out[len++] = (char)value;
                        break;
                }
                default:
                        if (*s >= '0' && *s <= '7') {
                                int value = *s - '0';

                                for (int i = 0; i < 2 && s[1] >= '0' && s[1] <= '7'; i++)
                                        value = value * 8 + (*++s - '0');
                                out[len++] = (char)value;
                        } else if (*s) {
                                out[len++] = *s;
                        } else {
                                s--;
                        }
                }
        }
        out[len] = '\0';
        *p = *s ? s + 1 : s;
        return out;
}

/* The path inside "<...>" that strace -y puts after a descriptor, ending before `end`. */
static char *decorated_path(const char *start, const char *end)
{
        const char *open = memchr(start, '<', (size_t)(end - start));
        const char *close = end;

        if (!open)
                return NULL;
        while (close > open && close[-1] != '>')
                close--;
        if (close <= open + 1)
                return NULL;
        return strndup(open + 1, (size_t)(close - 1 - (open + 1)));
}

static int add_access(struct file_trace *trace, const struct file_access *access)
{
        struct file_access *grown;

        grown = realloc(trace->accesses, (trace->n + 1) * sizeof(*grown));
        if (!grown)
                return -ENOMEM;
        trace->accesses = grown;
        grown[trace->n++] = *access;
        return 0;
}

/* One line of strace -f -y output. Lines that name no file are skipped. */
static int parse_line(struct file_trace *trace, const char *line, const char *cwd)
{
        struct file_access access = { 0 };
        char name[64], *dir = NULL;
        const char *p, *result;
        int pid, consumed = 0;

        if (sscanf(line, "%d <... %63[a-z0-9_] resumed>%n", &pid, name, &consumed) == 2 &&
            consumed > 0) {
                p = line + consumed;
        } else if (sscanf(line, "%d %63[a-z0-9_](%n", &pid, name, &consumed) == 2 &&
                   consumed > 0) {
                p = line + consumed;
                if (*p != '"') {
                        /* A directory descriptor first: AT_FDCWD</cwd>, 3</dir>. */
                        const char *comma = strstr(p, ", ");

                        if (!comma)
                                return 0;
                        dir = decorated_path(p, comma);
                        p = comma + 2;
                }
                if (*p == '"') {
                        access.argument = unquote(&p);
                        if (!access.argument) {
                                free(dir);
                                return -ENOMEM;
                        }
                }
        } else {
                return 0; /* signals, exit notes */
        }
        access.pid = pid;
        access.syscall = strdup(name);
        if (access.argument) {
                const char *base = dir && dir[0] == '/' ? dir : cwd;
                char *joined = NULL;

                /* "" with AT_EMPTY_PATH works on the descriptor itself: opened (and traced)
                 * before, or given to the program by its parent (stdout). */
                if (access.argument[0] == '\0') {
                        free(access.argument);
                        free(access.syscall);
                        free(dir);
                        return 0;
                }
                if (access.argument[0] == '/')
                        joined = strdup(access.argument);
                else if (asprintf(&joined, "%s/%s", base, access.argument) < 0)
                        joined = NULL;
                access.path = joined ? normalise(joined) : NULL;
                free(joined);
        }
        free(dir);
        result = strstr(p, ") = ");
        if (result) {
                const char *end = result + strlen(result);

                while (end > result && (end[-1] == '\n' || end[-1] == ' '))
                        end--;
                if (result[4] >= '0' && result[4] <= '9' && end > result && end[-1] == '>')
                        access.opened = decorated_path(result + 4, end);
        }
        if (!access.syscall || (!access.argument && !access.opened)) {
                free(access.syscall);
                free(access.argument);
                free(access.path);
                free(access.opened);
                return access.syscall ? 0 : -ENOMEM;
        }
        return add_access(trace, &access);
}

static bool strace_is_installed(void)
{
        const char *path = getenv("PATH");
        char candidate[PATH_MAX];

        for (const char *dir = path ? path : "/usr/bin:/bin"; *dir;) {
                const char *end = strchrnul(dir, ':');

                snprintf(candidate, sizeof(candidate), "%.*s/strace", (int)(end - dir), dir);
                if (access(candidate, X_OK) == 0)
                        return true;
                dir = *end ? end + 1 : end;
        }
        return false;
}

static int redirect(int fd, const char *path)
{
        int file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

        if (file < 0 || dup2(file, fd) < 0)
                return -1;
        close(file);
        return 0;
}

int file_trace_run(char *const argv[], char *const env[], struct file_trace *ret)
{
        char dir[] = "/tmp/hwglue-trace-XXXXXX", log[64], out[64], err[64], cwd[PATH_MAX];
        size_t argc = 0, envc = 0, n = 0;
        char **args, *text, *line, *save = NULL;
        int status, r = 0;
        pid_t pid;

        *ret = (struct file_trace){ 0 };
        if (!strace_is_installed()) {
                fprintf(stderr, "strace is not installed (tools/quickstart installs it)\n");
                return -ENOENT;
        }
        if (!getcwd(cwd, sizeof(cwd)) || !mkdtemp(dir))
                return -errno;
        snprintf(log, sizeof(log), "%s/log", dir);
        snprintf(out, sizeof(out), "%s/out", dir);
        snprintf(err, sizeof(err), "%s/err", dir);
        while (argv[argc])
                argc++;
        while (env && env[envc])
                envc++;
        args = calloc(argc + 2 * envc + 16, sizeof(*args));
        if (!args)
                return -ENOMEM;
        /* -f: the providers' worker threads; -y: descriptors with their paths; -s: whole
         * names, however long; -qq: no attach/exit notes. */
        args[n++] = (char *)"strace";
        args[n++] = (char *)"-f";
        args[n++] = (char *)"-y";
        args[n++] = (char *)"-qq";
        args[n++] = (char *)"-s";
        args[n++] = (char *)"65536";
        args[n++] = (char *)"-e";
        args[n++] = (char *)"trace=%file";
        args[n++] = (char *)"-o";
        args[n++] = log;
        for (size_t i = 0; i < envc; i++) {
                args[n++] = (char *)"-E";
                args[n++] = env[i];
        }
        args[n++] = (char *)"--";
        for (size_t i = 0; i < argc; i++)
                args[n++] = argv[i];
        fflush(NULL);
        pid = fork();
        if (pid < 0) {
                free(args);
                return -errno;
        }
        if (pid == 0) {
                if (redirect(STDOUT_FILENO, out) < 0 || redirect(STDERR_FILENO, err) < 0)
                        _exit(127);
                execvp("strace", args);
                _exit(127);
        }
        free(args);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        ret->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        ret->out = test_read_file(out, NULL);
        ret->err = test_read_file(err, NULL);
        text = test_read_file(log, NULL);
        if (!text || !ret->out || !ret->err)
                r = -EIO;
        for (line = text ? strtok_r(text, "\n", &save) : NULL; line && r == 0;
             line = strtok_r(NULL, "\n", &save))
                r = parse_line(ret, line, cwd);
        free(text);
        unlink(log);
        unlink(out);
        unlink(err);
        rmdir(dir);
        return r;
}

void file_trace_done(struct file_trace *trace)
{
        for (size_t i = 0; i < trace->n; i++) {
                free(trace->accesses[i].syscall);
                free(trace->accesses[i].argument);
                free(trace->accesses[i].path);
                free(trace->accesses[i].opened);
        }
        free(trace->accesses);
        free(trace->out);
        free(trace->err);
        *trace = (struct file_trace){ 0 };
}
