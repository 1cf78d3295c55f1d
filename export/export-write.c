/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replace a file atomically. node_exporter reads the textfile directory at any moment: it must
 * see either the old file or the new one, whole. rename(2) within one file system gives that;
 * fsync before it keeps a crash from leaving an empty file under the real name.
 *
 * The temporary file is named ".<name>.tmp-<pid>-XXXXXX": node_exporter reads only *.prom, and
 * the pid tells a later run which leftovers belong to writers that were killed (SIGKILL leaves
 * no chance to clean up) and which to a writer still at work.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"

/* Split path into an owned directory and a borrowed base name. */
static int split_path(const char *path, char **ret_dir, const char **ret_base)
{
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        char *dir;

        if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
                return -EISDIR;
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

/* Remove ".<base>.tmp-<pid>-*" files whose writer no longer runs. Best effort. */
static void remove_stale_temporaries(const char *dir, const char *base)
{
        size_t base_len = strlen(base);
        DIR *d = opendir(dir);
        struct dirent *entry;

        if (!d)
                return;
        while ((entry = readdir(d))) {
                const char *name = entry->d_name;
                char *end;
                long pid;

                if (name[0] != '.' || strncmp(name + 1, base, base_len) != 0 ||
                    strncmp(name + 1 + base_len, ".tmp-", 5) != 0)
                        continue;
                errno = 0;
                pid = strtol(name + 1 + base_len + 5, &end, 10);
                if (errno != 0 || pid <= 0 || pid > INT32_MAX || *end != '-' || pid == getpid())
                        continue;
                /* EPERM means it runs, under another user. */
                if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
                        continue;
                (void)unlinkat(dirfd(d), name, 0);
        }
        closedir(d);
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

/* Everything up to, not including, the rename: fill, flush, fsync, chmod, close. */
static int write_temporary(FILE *f, export_fill_fn fill, void *userdata)
{
        int fd = fileno(f), r;

        r = fill(f, userdata);
        if (r < 0)
                return r;
        if (fflush(f) != 0)
                return errno > 0 ? -errno : -EIO;
        if (ferror(f))
                return -EIO;
        if (fsync(fd) < 0)
                return -errno;
        /* mkstemp made it 0600; node_exporter may run as another user. */
        if (fchmod(fd, 0644) < 0)
                return -errno;
        return 0;
}

int export_write_file_atomic(const char *path, export_fill_fn fill, void *userdata)
{
        char *dir = NULL, *tmp = NULL;
        const char *base;
        FILE *f = NULL;
        int fd, r;

        r = split_path(path, &dir, &base);
        if (r < 0)
                return r;
        remove_stale_temporaries(dir, base);
        if (asprintf(&tmp, "%s/.%s.tmp-%d-XXXXXX", dir, base, (int)getpid()) < 0) {
                free(dir);
                return -ENOMEM;
        }
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0) {
                r = -errno;
                fprintf(stderr, "hwglue-export: cannot create a temporary file in %s: %s\n", dir,
                        strerror(-r));
                free(tmp);
                free(dir);
                return r;
        }
        f = fdopen(fd, "w");
        if (!f) {
                r = -errno;
                close(fd);
                goto fail;
        }
        r = write_temporary(f, fill, userdata);
        if (fclose(f) != 0 && r >= 0)
                r = errno > 0 ? -errno : -EIO;
        if (r < 0) {
                fprintf(stderr, "hwglue-export: cannot write %s: %s\n", tmp, strerror(-r));
                goto fail;
        }
        if (rename(tmp, path) < 0) {
                r = -errno;
                fprintf(stderr, "hwglue-export: cannot rename %s to %s: %s\n", tmp, path,
                        strerror(-r));
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
