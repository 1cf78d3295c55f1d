/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replace a file atomically. node_exporter reads the textfile directory at any moment: it must
 * see either the old file or the new one, whole. rename(2) within one file system gives that;
 * fsync before it keeps a crash from leaving an empty file under the real name.
 *
 * The temporary file is named ".<name>.tmp-<pid>-XXXXXX": node_exporter reads only *.prom, and
 * the pid tells a later run which leftovers belong to writers that were killed (SIGKILL leaves
 * no chance to clean up) and which to a writer still at work (two exporters at once, a timer's
 * and a manual one, each finish their own file; the last rename wins, and both are whole).
 *
 * Errors are the kernel's: a stream over the descriptor keeps the first errno a write met, since
 * stdio keeps only a flag and errno is gone by the time the caller looks (ENOSPC used to come
 * out as "Input/output error").
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"

/* "<pid>-XXXXXX" after the prefix: a pid has at most 10 digits. */
#define TEMPORARY_SUFFIX_MAX (10 + 1 + 6)

struct fd_stream {
        int fd;
        int error;               /* the first write's errno, 0 if none failed */
};

static ssize_t fd_stream_write(void *cookie, const char *buf, size_t size)
{
        struct fd_stream *stream = cookie;
        size_t done = 0;

        while (done < size) {
                ssize_t n = write(stream->fd, buf + done, size - done);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        if (stream->error == 0)
                                stream->error = n < 0 ? errno : EIO;
                        /* stdio takes a short count as an error and keeps the flag. */
                        return done > 0 ? (ssize_t)done : -1;
                }
                done += (size_t)n;
        }
        return (ssize_t)size;
}

int export_write_stream(int fd, export_fill_fn fill, void *userdata)
{
        struct fd_stream stream = { .fd = fd };
        const cookie_io_functions_t functions = { .write = fd_stream_write };
        FILE *f = fopencookie(&stream, "w", functions);
        int r;

        if (!f)
                return -errno;
        setvbuf(f, NULL, _IOFBF, 64 * 1024);
        r = fill(f, userdata);
        if (fflush(f) != 0 && r >= 0)
                r = -EIO;
        if (ferror(f) && r >= 0)
                r = -EIO;
        fclose(f);
        /* The kernel's word beats stdio's -EIO. */
        if (stream.error != 0 && (r >= 0 || r == -EIO))
                r = -stream.error;
        return r;
}

/* Split path into an owned directory and a borrowed base name. */
static int split_path(const char *path, char **ret_dir, const char **ret_base)
{
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        char *dir;

        if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
                return -EISDIR;
        if (strlen(base) > NAME_MAX)
                return -ENAMETOOLONG;
        if (!slash)
                dir = strdup(".");
        else if (slash == path)
                dir = strdup("/");
        else
                dir = strndup(path, (size_t)(slash - path));
        if (!dir)
                return -ENOMEM;
        *ret_dir = dir;
        *ret_base = base;
        return 0;
}

char *export_temporary_prefix(const char *path)
{
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        size_t room = NAME_MAX - TEMPORARY_SUFFIX_MAX - strlen("..tmp-");
        size_t len = strlen(base);
        char *prefix = NULL;

        /* A name near NAME_MAX would give a temporary name past it, and the write would fail
         * with "File name too long" for a name the file system takes. */
        if (len > room)
                len = room;
        if (asprintf(&prefix, ".%.*s.tmp-", (int)len, base) < 0)
                return NULL;
        return prefix;
}

/* Remove "<prefix><pid>-*" files whose writer no longer runs. Best effort. */
static void remove_stale(const char *dir, const char *prefix)
{
        size_t prefix_len = strlen(prefix);
        DIR *d = opendir(dir);
        struct dirent *entry;

        if (!d)
                return;
        while ((entry = readdir(d))) {
                const char *name = entry->d_name;
                char *end;
                long pid;

                if (strncmp(name, prefix, prefix_len) != 0)
                        continue;
                errno = 0;
                pid = strtol(name + prefix_len, &end, 10);
                if (errno != 0 || pid <= 0 || pid > INT32_MAX || *end != '-' || pid == getpid())
                        continue;
                /* EPERM means it runs, under another user. */
                if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
                        continue;
                (void)unlinkat(dirfd(d), name, 0);
        }
        closedir(d);
}

int export_check_file_name(const char *path)
{
        char *dir = NULL;
        const char *base;
        int r = split_path(path, &dir, &base);

        if (r < 0 && r != -ENOMEM)
                export_warn("cannot write %s: %s", path,
                            r == -EISDIR ? "not a file name" : strerror(-r));
        free(dir);
        return r;
}

void export_remove_stale_temporaries(const char *path)
{
        char *dir = NULL, *prefix = export_temporary_prefix(path);
        const char *base;

        if (prefix && split_path(path, &dir, &base) >= 0)
                remove_stale(dir, prefix);
        free(prefix);
        free(dir);
}

/* Make the rename itself durable; the data already is. Best effort: some file systems refuse
 * fsync on a directory. */
static void sync_directory(const char *dir)
{
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0)
                return;
        (void)fsync(fd);
        close(fd);
}

int export_write_file_atomic(const char *path, export_fill_fn fill, void *userdata)
{
        char *dir = NULL, *tmp = NULL, *prefix = NULL;
        const char *base;
        int fd, r;

        r = split_path(path, &dir, &base);
        if (r < 0) {
                export_warn("cannot write %s: %s", path,
                            r == -EISDIR ? "not a file name" : strerror(-r));
                return r;
        }
        prefix = export_temporary_prefix(path);
        if (!prefix || asprintf(&tmp, "%s/%s%d-XXXXXX", dir, prefix, (int)getpid()) < 0) {
                free(prefix);
                free(dir);
                return -ENOMEM;
        }
        remove_stale(dir, prefix);
        free(prefix);
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0) {
                r = -errno;
                export_warn("cannot create a temporary file in %s: %s", dir, strerror(-r));
                free(tmp);
                free(dir);
                return r;
        }
        r = export_write_stream(fd, fill, userdata);
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        /* mkstemp made it 0600; node_exporter may run as another user. */
        if (r >= 0 && fchmod(fd, 0644) < 0)
                r = -errno;
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        if (r < 0) {
                export_warn("cannot write %s: %s", tmp, strerror(-r));
                goto fail;
        }
        if (rename(tmp, path) < 0) {
                r = -errno;
                export_warn("cannot rename %s to %s: %s", tmp, path, strerror(-r));
                goto fail;
        }
        sync_directory(dir);
        free(tmp);
        free(dir);
        return 0;
fail:
        (void)unlink(tmp);
        free(tmp);
        free(dir);
        return r;
}
