/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading one attribute of a device and setting the property that carries it. A file the
 * device does not have is normal (not every device has every file) and says nothing; any other
 * failure (EACCES, EIO from a driver, a FIFO, a huge file, garbage where a number belongs) is
 * reported to the caller with the path, through glue_call_note_read_error(), and the property
 * stays NULL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block.h"
#include "common/sysfs-read.h"

bool block_wants(const struct block_call *bc, enum block_prop prop)
{
        return bc->wants[prop];
}

#define N_FD_NAMES (sizeof(((struct block_call *)0)->fd_names) / \
                    sizeof(((struct block_call *)0)->fd_names[0]))
#define N_FD_PARTS (sizeof(((struct block_call *)0)->fd_names[0].parts) / \
                    sizeof(((struct block_call *)0)->fd_names[0].parts[0]))

/* The strings are kept, not copied or formatted: this runs for every device, a message rarely. */
void block_name_fd(struct block_call *bc, int fd, const char *dir, const char *name)
{
        size_t i;

        for (i = 0; i < N_FD_NAMES && bc->fd_names[i].fd >= 0 && bc->fd_names[i].fd != fd; i++)
                ;
        if (i == N_FD_NAMES || fd < 0)
                return;
        bc->fd_names[i].fd = fd;
        memset(bc->fd_names[i].parts, 0, sizeof(bc->fd_names[i].parts));
        bc->fd_names[i].parts[0] = dir;
        bc->fd_names[i].parts[1] = name;
}

void block_name_child_fd(struct block_call *bc, int fd, int parent_fd, const char *child)
{
        for (size_t i = 0; i < N_FD_NAMES; i++)
                if (bc->fd_names[i].fd == parent_fd && parent_fd >= 0) {
                        const char *parts[N_FD_PARTS];
                        size_t n = 0, j;

                        memcpy(parts, bc->fd_names[i].parts, sizeof(parts));
                        while (n < N_FD_PARTS && parts[n])
                                n++;
                        if (n == N_FD_PARTS)
                                return;
                        parts[n] = child;
                        for (j = 0; j < N_FD_NAMES && bc->fd_names[j].fd >= 0 &&
                                    bc->fd_names[j].fd != fd;
                             j++)
                                ;
                        if (j == N_FD_NAMES)
                                return;
                        bc->fd_names[j].fd = fd;
                        memcpy(bc->fd_names[j].parts, parts, sizeof(parts));
                        return;
                }
}

void block_forget_fd(struct block_call *bc, int fd)
{
        for (size_t i = 0; i < sizeof(bc->fd_names) / sizeof(bc->fd_names[0]); i++)
                if (bc->fd_names[i].fd == fd && fd >= 0)
                        bc->fd_names[i].fd = -1;
}

void block_note_read_error(struct block_call *bc, int dir_fd, const char *attr, int err)
{
        const char *root = bc->sysroot_is_root ? "" : bc->sysroot;
        char fd_path[64], dir[4096], path[4096 + 768];
        ssize_t n;

        if (err >= 0 || err == -ENOENT)
                return;
        /* The path as opened: the name the directory was opened by; only on this rare path
         * are strings built. */
        for (size_t i = 0; i < N_FD_NAMES; i++)
                if (bc->fd_names[i].fd == dir_fd && dir_fd >= 0) {
                        size_t len = (size_t)snprintf(path, sizeof(path), "%s", root);

                        for (size_t j = 0; j < N_FD_PARTS && bc->fd_names[i].parts[j] &&
                                           len < sizeof(path);
                             j++)
                                len += (size_t)snprintf(path + len, sizeof(path) - len, "/%s",
                                                        bc->fd_names[i].parts[j]);
                        if (len < sizeof(path))
                                snprintf(path + len, sizeof(path) - len, "/%s", attr);
                        glue_call_note_read_error(bc->call, path, err);
                        return;
                }
        /* A directory opened elsewhere: its own name, as the kernel knows it. */
        snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", dir_fd);
        n = readlink(fd_path, dir, sizeof(dir) - 1);
        if (n <= 0)
                snprintf(dir, sizeof(dir), "(directory %d)", dir_fd);
        else
                dir[n] = '\0';
        snprintf(path, sizeof(path), "%s/%s", dir, attr);
        glue_call_note_read_error(bc->call, path, err);
}

static void log_set_failure(struct block_call *bc, enum block_prop prop, int r)
{
        if (r < 0)
                glue_call_log(bc->call, LOG_DEBUG, "cannot set %s: %s",
                              block_prop_names[prop], strerror(-r));
}

void block_set_string(struct block_call *bc, struct glue_instance *inst, enum block_prop prop,
                      const char *value)
{
        if (bc->wants[prop] && value)
                log_set_failure(bc, prop,
                                glue_instance_set_string(inst, block_prop_names[prop], value));
}

void block_set_uint(struct block_call *bc, struct glue_instance *inst, enum block_prop prop,
                    uint64_t value)
{
        if (bc->wants[prop])
                log_set_failure(bc, prop,
                                glue_instance_set_uint(inst, block_prop_names[prop], value));
}

void block_set_sint(struct block_call *bc, struct glue_instance *inst, enum block_prop prop,
                   int64_t value)
{
        if (bc->wants[prop])
                log_set_failure(bc, prop,
                                glue_instance_set_sint(inst, block_prop_names[prop], value));
}

void block_set_real(struct block_call *bc, struct glue_instance *inst, enum block_prop prop,
                    double value)
{
        if (bc->wants[prop])
                log_set_failure(bc, prop,
                                glue_instance_set_real(inst, block_prop_names[prop], value));
}

void block_set_bool(struct block_call *bc, struct glue_instance *inst, enum block_prop prop,
                    bool value)
{
        if (bc->wants[prop])
                log_set_failure(bc, prop,
                                glue_instance_set_bool(inst, block_prop_names[prop], value));
}

int block_read_text(struct block_call *bc, int dir_fd, const char *dev, const char *attr,
                    char *buf, size_t size)
{
        int r = sysfs_read_attr(dir_fd, attr, buf, size);
        struct stat st;

        /* A FIFO without a writer reads as empty at once (O_NONBLOCK): that is no value but
         * a file that cannot be read, and says so. Only empty reads pay for the check. */
        if (r == 0 && fstatat(dir_fd, attr, &st, 0) == 0 && S_ISFIFO(st.st_mode))
                r = -EAGAIN;
        if (r < 0) {
                block_note_read_error(bc, dir_fd, attr, r);
                buf[0] = '\0';
        }
        return r;
}

int block_read_uint(struct block_call *bc, int dir_fd, const char *dev, const char *attr,
                    uint64_t *ret)
{
        char buf[64];
        int r;

        r = block_read_text(bc, dir_fd, dev, attr, buf, sizeof(buf));
        if (r < 0)
                return r;
        r = sysfs_parse_uint64(buf, ret);
        if (r < 0) {
                /* Not what the kernel writes there: -EINVAL, or -ERANGE past 64 bits. */
                glue_call_log(bc->call, LOG_DEBUG, "%s: %s is not a number", dev, attr);
                block_note_read_error(bc, dir_fd, attr, r);
        }
        return r;
}

int block_read_int(struct block_call *bc, int dir_fd, const char *dev, const char *attr,
                   int64_t *ret)
{
        char buf[64];
        int r;

        r = block_read_text(bc, dir_fd, dev, attr, buf, sizeof(buf));
        if (r < 0)
                return r;
        r = sysfs_parse_int64(buf, ret);
        if (r < 0) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: %s is not a number", dev, attr);
                block_note_read_error(bc, dir_fd, attr, r);
        }
        return r;
}

int block_read_link_name(struct block_call *bc, int dir_fd, const char *attr, char *buf,
                         size_t size)
{
        int r = sysfs_read_link_name(dir_fd, attr, buf, size);

        /* EINVAL: a plain file or directory where the kernel puts a link, as recorded trees
         * have; the caller treats it as absent. The rest (ELOOP, EACCES, a name too long)
         * is reported. */
        if (r < 0 && r != -EINVAL)
                block_note_read_error(bc, dir_fd, attr, r);
        return r;
}

void block_set_attr_uint(struct block_call *bc, struct glue_instance *inst,
                         enum block_prop prop, int dir_fd, const char *dev, const char *attr)
{
        uint64_t value;

        if (bc->wants[prop] && dir_fd >= 0 && block_read_uint(bc, dir_fd, dev, attr, &value) == 0)
                block_set_uint(bc, inst, prop, value);
}

void block_set_attr_string(struct block_call *bc, struct glue_instance *inst,
                           enum block_prop prop, int dir_fd, const char *dev, const char *attr)
{
        char buf[256];

        if (bc->wants[prop] && dir_fd >= 0 &&
            block_read_text(bc, dir_fd, dev, attr, buf, sizeof(buf)) > 0)
                block_set_string(bc, inst, prop, buf);
}

int block_read_flag(struct block_call *bc, int dir_fd, const char *dev, const char *attr,
                    bool *ret)
{
        uint64_t value;
        int r = block_read_uint(bc, dir_fd, dev, attr, &value);

        if (r < 0)
                return r;
        if (value > 1) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: %s is neither 0 nor 1", dev, attr);
                block_note_read_error(bc, dir_fd, attr, -EINVAL);
                return -EINVAL;
        }
        *ret = value == 1;
        return 0;
}

void block_set_attr_bool(struct block_call *bc, struct glue_instance *inst,
                         enum block_prop prop, int dir_fd, const char *dev, const char *attr)
{
        bool value;

        if (bc->wants[prop] && dir_fd >= 0 && block_read_flag(bc, dir_fd, dev, attr, &value) == 0)
                block_set_bool(bc, inst, prop, value);
}
