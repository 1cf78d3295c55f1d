/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfs-gen.h"

static void gen_fail(struct gen *g, int err, const char *what, const char *path)
{
        if (g->error == 0)
                fprintf(stderr, "sysfs-gen: %s %s: %s\n", what, path, strerror(err));
        if (g->error == 0)
                g->error = -err;
}

void gen_format(char *buf, size_t size, const char *format, ...)
{
        va_list args;
        int len;

        va_start(args, format);
        len = vsnprintf(buf, size, format, args);
        va_end(args);
        if (len < 0 || (size_t)len >= size) {
                fprintf(stderr, "sysfs-gen: path too long: %s...\n", buf);
                exit(1);
        }
}

int gen_open(struct gen *g, const char *out_dir, uint64_t seed)
{
        char path[PATH_MAX];

        *g = (struct gen){ .sys_fd = -1, .rng = seed ? seed : 0x9e3779b97f4a7c15ull };
        if (mkdir(out_dir, 0755) < 0 && errno != EEXIST)
                return -errno;
        snprintf(path, sizeof(path), "%s/sys", out_dir);
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -errno;
        g->sys_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return g->sys_fd < 0 ? -errno : 0;
}

void gen_close(struct gen *g)
{
        if (g->sys_fd >= 0)
                close(g->sys_fd);
        g->sys_fd = -1;
}

uint64_t gen_random(struct gen *g)
{
        g->rng ^= g->rng >> 12;
        g->rng ^= g->rng << 25;
        g->rng ^= g->rng >> 27;
        return g->rng * 0x2545f4914f6cdd1dull;
}

uint64_t gen_random_range(struct gen *g, uint64_t lo, uint64_t hi)
{
        return lo + gen_random(g) % (hi - lo + 1);
}

void gen_mkdir(struct gen *g, const char *path)
{
        char buf[PATH_MAX];
        size_t len = strlen(path);

        if (len >= sizeof(buf))
                return gen_fail(g, ENAMETOOLONG, "mkdir", path);
        memcpy(buf, path, len + 1);
        /* Try the whole path first: most calls add one level below an existing directory. */
        if (mkdirat(g->sys_fd, buf, 0755) == 0 || errno == EEXIST)
                return;
        for (char *p = buf + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdirat(g->sys_fd, buf, 0755) < 0 && errno != EEXIST)
                        return gen_fail(g, errno, "mkdir", buf);
                *p = '/';
        }
        if (mkdirat(g->sys_fd, buf, 0755) < 0 && errno != EEXIST)
                gen_fail(g, errno, "mkdir", buf);
}

void gen_attr_bytes(struct gen *g, const char *dir, const char *name, const void *data, size_t len)
{
        char path[PATH_MAX];
        int fd;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        fd = openat(g->sys_fd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return gen_fail(g, errno, "create", path);
        if (write(fd, data, len) != (ssize_t)len)
                gen_fail(g, errno ? errno : EIO, "write", path);
        close(fd);
}

void gen_attr(struct gen *g, const char *dir, const char *name, const char *format, ...)
{
        char text[4096];
        va_list args;
        int len;

        va_start(args, format);
        len = vsnprintf(text, sizeof(text), format, args);
        va_end(args);
        if (len < 0 || (size_t)len >= sizeof(text))
                return gen_fail(g, EOVERFLOW, "format", name);
        gen_attr_bytes(g, dir, name, text, (size_t)len);
}

void gen_link(struct gen *g, const char *dir, const char *name, const char *target)
{
        char path[PATH_MAX], rel[PATH_MAX];
        size_t common = 0, pos = 0;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        /* The longest common run of whole components of dir and target. */
        for (size_t i = 0;; i++) {
                bool dir_end = dir[i] == '\0' || dir[i] == '/';
                bool target_end = target[i] == '\0' || target[i] == '/';

                if (dir_end && target_end)
                        common = i;
                if (dir[i] == '\0' || target[i] == '\0' || dir[i] != target[i])
                        break;
        }
        /* Like the kernel, climb at least to the target's parent, so that readlink ends in the
         * target's own name (libsensors and libudev take the device name from it). */
        const char *last_slash = strrchr(target, '/');
        size_t parent_len = last_slash ? (size_t)(last_slash - target) : 0;

        if (common > parent_len)
                common = parent_len;
        /* One ".." per component of dir past the common part. */
        for (const char *p = dir + common; *p; p++)
                if ((p == dir + common && *p != '/') || (*p == '/' && p[1] && p[1] != '/'))
                        pos += (size_t)snprintf(rel + pos, sizeof(rel) - pos, "../");
        snprintf(rel + pos, sizeof(rel) - pos, "%s",
                 target + common + (target[common] == '/' ? 1 : 0));
        if (symlinkat(rel, g->sys_fd, path) < 0 && errno != EEXIST)
                gen_fail(g, errno, "symlink", path);
}

void gen_link_here(struct gen *g, const char *dir, const char *target)
{
        const char *slash = strrchr(target, '/');

        gen_link(g, dir, slash ? slash + 1 : target, target);
}

void gen_disk_letters(unsigned index, char *buf, size_t size)
{
        char tmp[16];
        char *p = tmp + sizeof(tmp) - 1;
        long i = index;

        *p = '\0';
        do {
                *--p = (char)('a' + i % 26);
                i = i / 26 - 1;
        } while (i >= 0 && p > tmp);
        snprintf(buf, size, "%s", p);
}

void gen_bare_pci_function(struct gen *g, unsigned vendor, unsigned device, unsigned class_code,
                           const char *driver, char *buf, size_t size)
{
        unsigned index = g->bare_pci_next++;
        unsigned bus = 0x80 + index / 256, slot = index % 256 / 8, function = index % 8;
        char root[64];

        if (bus > 0xff) {
                gen_fail(g, ENOSPC, "allocate", "controller PCI function");
                bus = 0xff;
        }
        snprintf(root, sizeof(root), "devices/pci0000:%02x", bus);
        snprintf(buf, size, "%s/0000:%02x:%02x.%x", root, bus, slot, function);
        gen_mkdir(g, buf);
        gen_attr(g, buf, "vendor", "0x%04x\n", vendor);
        gen_attr(g, buf, "device", "0x%04x\n", device);
        gen_attr(g, buf, "class", "0x%06x\n", class_code);
        gen_attr(g, buf, "uevent", "DRIVER=%s\nPCI_CLASS=%X\nPCI_ID=%04X:%04X\n"
                 "PCI_SLOT_NAME=0000:%02x:%02x.%x\n", driver, class_code, vendor, device, bus, slot,
                 function);
        gen_link(g, buf, "subsystem", "bus/pci");
}
