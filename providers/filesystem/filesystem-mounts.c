/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where filesystems are mounted: the mount table, parsed by libmount, and the active swap
 * areas. At the sysroot "/" they are this process's /proc/self/mountinfo and /proc/swaps;
 * under another sysroot the tree's own <sysroot>/proc/self/mountinfo and <sysroot>/proc/swaps
 * when it has them (recorded trees may; util-linux's lsblk dumps do), opened inside the tree
 * (a link in it cannot lead out), and none when it has not. Read once per call, when the first
 * device is looked up.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/sysroot-open.h"
#include "filesystem-libs.h"
#include "filesystem.h"

/* A file of the tree (every link resolved inside it), or this process's at "/". */
static int open_in_sysroot(struct fs_call *fc, const char *rel)
{
        int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;

        if (fc->sysroot_is_root) {
                char path[4096];

                snprintf(path, sizeof(path), "/%s", rel);
                return open(path, flags);
        }
        return sysroot_open(fc->sysroot_fd, rel, flags);
}

/* A FILE for the file, or NULL: absent is silent, the rest reported. */
static FILE *open_table(struct fs_call *fc, const char *rel, char *path, size_t size)
{
        struct stat st;
        FILE *f;
        int fd;

        fs_full_path(fc, rel, path, size);
        fd = open_in_sysroot(fc, rel);
        if (fd < 0) {
                if (errno != ENOENT && errno != ENOTDIR)
                        glue_call_note_read_error(fc->call, path, -errno);
                return NULL;
        }
        /* A FIFO planted in a tree would block the parser's read. */
        if (fstat(fd, &st) < 0 || S_ISFIFO(st.st_mode) || S_ISDIR(st.st_mode)) {
                glue_call_note_read_error(fc->call, path, S_ISDIR(st.st_mode) ? -EISDIR : -EAGAIN);
                close(fd);
                return NULL;
        }
        f = fdopen(fd, "re");
        if (!f) {
                glue_call_note_read_error(fc->call, path, -errno);
                close(fd);
        }
        return f;
}

/* libmount's callback for a line it cannot parse: skip it (return 1), and say so once. */
static int parser_error(struct libmnt_table *tb, const char *filename, int line)
{
        struct fs_call *fc = sym_mnt_table_get_userdata(tb);

        if (fc) {
                glue_call_log(fc->call, LOG_DEBUG, "%s:%d: not a mount table line, skipped",
                              filename ? filename : "?", line);
                glue_call_note_read_error(fc->call, filename, -EINVAL);
                /* one report per table: the rest of its lines are skipped quietly */
                sym_mnt_table_set_userdata(tb, NULL);
        }
        return 1;
}

struct libmnt_table *fs_mounts(struct fs_call *fc)
{
        const char *error;
        char path[4096];
        FILE *f;

        if (fc->mounts_read)
                return fc->mounts;
        fc->mounts_read = true;
        /* the table first: a tree without one needs no libmount */
        f = open_table(fc, "proc/self/mountinfo", path, sizeof(path));
        if (!f)
                return NULL;
        if (fs_load_libmount(&error) < 0) {
                glue_call_log(fc->call, LOG_WARNING, "%s not read: %s", path, error);
                fclose(f);
                return NULL;
        }
        fc->mounts = sym_mnt_new_table();
        if (!fc->mounts) {
                fclose(f);
                return NULL;
        }
        sym_mnt_table_set_userdata(fc->mounts, fc);
        sym_mnt_table_set_parser_errcb(fc->mounts, parser_error);
        if (sym_mnt_table_parse_stream(fc->mounts, f, path) < 0)
                glue_call_log(fc->call, LOG_DEBUG, "%s: cannot be parsed", path);
        sym_mnt_table_set_userdata(fc->mounts, NULL);
        fclose(f);
        return fc->mounts;
}

/* The kernel writes a swap file's path with blanks, tabs, newlines and backslashes as \ooo. */
static void unescape_octal(char *s)
{
        char *out = s;

        for (; *s; s++) {
                if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
                    s[3] >= '0' && s[3] <= '7') {
                        *out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
                        s += 3;
                } else {
                        *out++ = *s;
                }
        }
        *out = '\0';
}

static void read_swaps(struct fs_call *fc)
{
        char path[4096], line[4096];
        size_t n = 0;
        FILE *f;

        fc->swaps_read = true;
        f = open_table(fc, "proc/swaps", path, sizeof(path));
        if (!f)
                return;
        /* "Filename  Type  Size  Used  Priority", then one line per area */
        while (fgets(line, sizeof(line), f)) {
                char *end = line + strcspn(line, " \t\n"), **grown;

                if (line[0] != '/' || end == line)
                        continue;
                *end = '\0';
                unescape_octal(line);
                grown = realloc(fc->swaps, (n + 2) * sizeof(*grown));
                if (!grown)
                        break;
                fc->swaps = grown;
                fc->swaps[n] = strdup(line);
                if (!fc->swaps[n])
                        break;
                fc->swaps[++n] = NULL;
        }
        fclose(f);
}

bool fs_is_active_swap(struct fs_call *fc, const struct fs_device *dev)
{
        char node[300];

        if (!fc->swaps_read)
                read_swaps(fc);
        snprintf(node, sizeof(node), "/dev/%s", dev->name);
        for (char **s = fc->swaps; s && *s; s++) {
                struct stat st;

                if (strcmp(*s, dev->path) == 0 || strcmp(*s, node) == 0)
                        return true;
                /* On this machine the kernel's path may name another link to the node. */
                if (fc->sysroot_is_root && stat(*s, &st) == 0 && S_ISBLK(st.st_mode) &&
                    st.st_rdev == makedev(dev->major, dev->minor))
                        return true;
        }
        return false;
}

void fs_mounts_free(struct fs_call *fc)
{
        if (fc->mounts)
                sym_mnt_unref_table(fc->mounts);
        fc->mounts = NULL;
        for (char **s = fc->swaps; s && *s; s++)
                free(*s);
        free(fc->swaps);
        fc->swaps = NULL;
}
