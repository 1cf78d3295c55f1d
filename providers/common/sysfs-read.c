/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs-read.h"

int sysfs_read_fd(int fd, char *buf, size_t size)
{
        ssize_t n;
        size_t len = 0;
        int r = 0;

        if (!buf || size == 0)
                return -EINVAL;
        while (len < size - 1) {
                n = read(fd, buf + len, size - 1 - len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        r = -errno;
                        break;
                }
                if (n == 0)
                        break;
                len += (size_t)n;
                /* A short read is the end: sysfs hands out an attribute whole in one read, and a
                 * regular file (a recorded tree) short-reads only at its end. This saves the
                 * second read(2) that would only see the end of file: a third of the calls. */
                if ((size_t)n < size - 1 - (len - (size_t)n))
                        break;
        }
        if (r == 0 && len == size - 1) {
                char probe;

                if (read(fd, &probe, 1) == 1)
                        r = -EFBIG;
        }
        if (r < 0 && r != -EFBIG)
                return r;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' ' || buf[len - 1] == '\t'))
                len--;
        buf[len] = '\0';
        return r < 0 ? r : (int)len;
}

int sysfs_read_attr(int dirfd, const char *name, char *buf, size_t size)
{
        int fd, r;

        if (!buf || size == 0)
                return -EINVAL;
        /* O_NONBLOCK: a FIFO planted in a tree (or a driver that never answers open) must not
         * block us here; sysfs regular files ignore the flag. */
        fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        r = sysfs_read_fd(fd, buf, size);
        close(fd);
        return r;
}

int sysfs_read_bytes(int dirfd, const char *name, void *buf, size_t size)
{
        size_t len = 0;
        int fd, r = 0;

        if (size > INT_MAX)
                return -EINVAL;
        fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        while (len < size) {
                ssize_t n = read(fd, (char *)buf + len, size - len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        r = -errno;
                if (n <= 0)
                        break;
                len += (size_t)n;
        }
        close(fd);
        return r < 0 ? r : (int)len;
}

/* Decimal, or hex after 0x as the kernel writes some attributes; never octal: "010" is 10. */
static int number_base(const char *digits)
{
        return digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') ? 16 : 10;
}

int sysfs_parse_uint64(const char *text, uint64_t *ret)
{
        unsigned long long v;
        char *end;

        /* A digit first: strtoull would skip any white space, then take a sign ("\t-1"). */
        if (!text || !isdigit((unsigned char)*text))
                return -EINVAL;
        errno = 0;
        v = strtoull(text, &end, number_base(text));
        if (errno == ERANGE)
                return -ERANGE;
        if (end == text || *end != '\0')
                return -EINVAL;
        *ret = v;
        return 0;
}

int sysfs_parse_int64(const char *text, int64_t *ret)
{
        long long v;
        char *end;

        /* An optional sign, then a digit: strtoll would skip white space first ("\t-1"). */
        if (!text || !isdigit((unsigned char)text[*text == '-' || *text == '+']))
                return -EINVAL;
        errno = 0;
        v = strtoll(text, &end, number_base(text + (*text == '-' || *text == '+')));
        if (errno == ERANGE)
                return -ERANGE;
        if (end == text || *end != '\0')
                return -EINVAL;
        *ret = v;
        return 0;
}

int sysfs_hex_digit(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int sysfs_read_uint64(int dirfd, const char *name, uint64_t *ret)
{
        char buf[64];
        int r = sysfs_read_attr(dirfd, name, buf, sizeof(buf));

        if (r < 0)
                return r == -EFBIG ? -EINVAL : r;
        return sysfs_parse_uint64(buf, ret);
}

int sysfs_read_int64(int dirfd, const char *name, int64_t *ret)
{
        char buf[64];
        int r = sysfs_read_attr(dirfd, name, buf, sizeof(buf));

        if (r < 0)
                return r == -EFBIG ? -EINVAL : r;
        return sysfs_parse_int64(buf, ret);
}

int sysfs_read_link_name(int dirfd, const char *name, char *buf, size_t size)
{
        char target[4096];
        const char *base;
        ssize_t n;
        size_t len;

        n = readlinkat(dirfd, name, target, sizeof(target) - 1);
        if (n < 0)
                return -errno;
        target[n] = '\0';
        while (n > 1 && target[n - 1] == '/')
                target[--n] = '\0';
        base = strrchr(target, '/');
        base = base ? base + 1 : target;
        len = strlen(base);
        if (len == 0 || len >= size)
                return -ENAMETOOLONG;
        memcpy(buf, base, len + 1);
        return (int)len;
}

const char *sysfs_uevent_get(const char *buf, const char *key, size_t *ret_len)
{
        size_t klen = strlen(key);
        const char *line = buf;

        while (line && *line) {
                const char *eol = strchr(line, '\n');
                size_t llen = eol ? (size_t)(eol - line) : strlen(line);

                if (llen > klen && strncmp(line, key, klen) == 0 && line[klen] == '=') {
                        *ret_len = llen - klen - 1;
                        return line + klen + 1;
                }
                line = eol ? eol + 1 : NULL;
        }
        return NULL;
}
