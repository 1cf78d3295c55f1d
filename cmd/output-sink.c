/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output-sink.h"

struct sink {
        FILE *f;
        int fd;
        int error;       /* errno of the first failed write */
        char *path;      /* --output-file, or NULL */
        char *temporary; /* the file being written, renamed to path at the end */
        bool committed;
};

/* The temporary of this process, for the signal handler: ^C leaves no stray file behind. */
static volatile sig_atomic_t have_temporary;
static char temporary_for_signal[4096];

static void remove_temporary_and_die(int sig)
{
        if (have_temporary)
                unlink(temporary_for_signal);
        signal(sig, SIG_DFL);
        raise(sig);
}

static ssize_t sink_write(void *cookie, const char *buf, size_t size)
{
        struct sink *sink = cookie;
        size_t done = 0;

        if (sink->error) {
                errno = sink->error;
                return 0;
        }
        while (done < size) {
                ssize_t n = write(sink->fd, buf + done, size - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        /* a regular file that takes no byte is full (write(2) gives 0 only
                         * for a size of 0, but be sure the cause is never "Success") */
                        sink->error = n < 0 ? errno : ENOSPC;
                        errno = sink->error;
                        return (ssize_t)done;
                }
                done += (size_t)n;
        }
        return (ssize_t)size;
}

static int make_temporary(struct sink *sink)
{
        char *dir_copy = strdup(sink->path), *base_copy = strdup(sink->path);
        const char *dir, *base;
        long name_max;
        int fd = -1, r = 0;

        if (!dir_copy || !base_copy) {
                r = -ENOMEM;
                goto out;
        }
        dir = dirname(dir_copy);
        base = basename(base_copy);
        /* a name the directory cannot hold fails now, before any work, not at the rename */
        errno = 0;
        name_max = pathconf(dir, _PC_NAME_MAX);
        if (name_max < 0 && errno) {
                r = -errno;
                goto out;
        }
        if (name_max > 0 && strlen(base) > (size_t)name_max) {
                r = -ENAMETOOLONG;
                goto out;
        }
        /* beside the file (rename(2) works within one file system), hidden, and unique */
        if (asprintf(&sink->temporary, "%s/.hwglue.XXXXXX", dir) < 0) {
                sink->temporary = NULL;
                r = -ENOMEM;
                goto out;
        }
        fd = mkostemp(sink->temporary, O_CLOEXEC);
        if (fd < 0) {
                r = -errno;
                free(sink->temporary);
                sink->temporary = NULL;
                goto out;
        }
        sink->fd = fd;
        if (strlen(sink->temporary) < sizeof(temporary_for_signal)) {
                strcpy(temporary_for_signal, sink->temporary);
                have_temporary = 1;
                signal(SIGINT, remove_temporary_and_die);
                signal(SIGTERM, remove_temporary_and_die);
                signal(SIGHUP, remove_temporary_and_die);
        }
out:
        free(dir_copy);
        free(base_copy);
        return r;
}

int sink_open(const char *path, struct sink **ret, FILE **ret_f)
{
        static const cookie_io_functions_t functions = { .write = sink_write };
        struct sink *sink = calloc(1, sizeof(*sink));
        int r;

        if (!sink)
                return -ENOMEM;
        sink->fd = STDOUT_FILENO;
        if (path) {
                sink->path = strdup(path);
                if (!sink->path) {
                        free(sink);
                        return -ENOMEM;
                }
                r = make_temporary(sink);
                if (r < 0) {
                        sink_free(sink);
                        return r;
                }
        }
        sink->f = fopencookie(sink, "w", functions);
        if (!sink->f) {
                sink_free(sink);
                return -ENOMEM;
        }
        /* Only this thread writes the output (libglue never prints; its workers hand instances
         * to us): skip stdio's per-call lock, a tenth of the time of a JSON Lines run. */
        __fsetlocking(sink->f, FSETLOCKING_BYCALLER);
        *ret = sink;
        *ret_f = sink->f;
        return 0;
}

int sink_get_error(const struct sink *sink)
{
        return sink->error;
}

bool sink_is_terminal(const struct sink *sink)
{
        return !sink->path && isatty(STDOUT_FILENO);
}

const char *sink_get_name(const struct sink *sink)
{
        return sink->path ? sink->path : "the output";
}

static int finish_file(struct sink *sink)
{
        mode_t mask = umask(0);

        umask(mask);
        /* mkostemp made it 0600; an output file gets what a shell redirection would give */
        if (fchmod(sink->fd, 0666 & ~mask) < 0 || fsync(sink->fd) < 0)
                return -errno;
        if (close(sink->fd) < 0) {
                sink->fd = -1;
                return -errno; /* NFS and quotas may report ENOSPC or EDQUOT only here */
        }
        sink->fd = -1;
        if (rename(sink->temporary, sink->path) < 0)
                return -errno;
        have_temporary = 0;
        free(sink->temporary);
        sink->temporary = NULL;
        return 0;
}

int sink_commit(struct sink *sink, bool keep)
{
        int r = 0;

        if (fflush(sink->f) != 0 || sink->error)
                r = -(sink->error ? sink->error : EIO);
        sink->committed = true;
        if (!sink->path || !keep || r < 0)
                return r;
        r = finish_file(sink);
        if (r < 0 && !sink->error)
                sink->error = -r;
        return r;
}

void sink_free(struct sink *sink)
{
        if (!sink)
                return;
        if (sink->f)
                fclose(sink->f); /* the cookie has no close function: the fd stays ours */
        if (sink->path && sink->fd >= 0)
                close(sink->fd);
        if (sink->temporary) {
                unlink(sink->temporary);
                have_temporary = 0;
        }
        free(sink->temporary);
        free(sink->path);
        free(sink);
}
