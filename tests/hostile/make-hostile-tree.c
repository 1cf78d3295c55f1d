/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * make-hostile-tree [--unwalkable-hwmon] OUT
 *
 * Writes OUT/sys (block devices, PCI functions, hwmon chips) and OUT/run/udev/data. With
 * --unwalkable-hwmon the tree also holds a hwmon chip whose links libsensors' own walk cannot
 * survive, which takes every sensor with it: a tree of its own, so that the main one still
 * shows what the sensors provider makes of the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostile-tree.h"

void hostile_raw_link(struct gen *g, const char *dir, const char *name, const char *target)
{
        char path[4096];

        gen_format(path, sizeof(path), "%s/%s", dir, name);
        if (symlinkat(target, g->sys_fd, path) < 0 && g->error == 0) {
                fprintf(stderr, "make-hostile-tree: symlink %s: %s\n", path, strerror(errno));
                g->error = -errno;
        }
}

void hostile_huge_attr(struct gen *g, const char *dir, const char *name, const char *head,
                       char fill)
{
        size_t head_len = strlen(head);
        char *data = malloc(HOSTILE_HUGE_SIZE);

        if (!data) {
                g->error = -ENOMEM;
                return;
        }
        memset(data, fill, HOSTILE_HUGE_SIZE);
        memcpy(data, head, head_len < HOSTILE_HUGE_SIZE ? head_len : HOSTILE_HUGE_SIZE);
        gen_attr_bytes(g, dir, name, data, HOSTILE_HUGE_SIZE);
        free(data);
}

void hostile_binary_attr(struct gen *g, const char *dir, const char *name)
{
        /* A control byte first (not NUL, so that a reader that stops at NUL still sees
         * something), then NUL, bytes that start no UTF-8 sequence, a cut sequence, an escape
         * sequence for terminals and a UTF-16 surrogate. */
        static const unsigned char bytes[] = {
                0x01, 0x02, 0xff, 0xfe, 0x00, 0x7f, 0x80, 0xc3, 0x28, '\n', 0x1b, '[', '3', '1',
                'm', 0xed, 0xa0, 0x80, 0x00,
        };

        gen_attr_bytes(g, dir, name, bytes, sizeof(bytes));
}

static int make_udev_data(const char *out)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/run", out);
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -errno;
        snprintf(path, sizeof(path), "%s/run/udev", out);
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -errno;
        snprintf(path, sizeof(path), "%s/run/udev/data", out);
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -errno;
        return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int main(int argc, char **argv)
{
        bool unwalkable = false;
        const char *out;
        struct gen g;
        int udev_fd, r;

        if (argc == 3 && strcmp(argv[1], "--unwalkable-hwmon") == 0)
                unwalkable = true;
        else if (argc != 2 || argv[1][0] == '-') {
                fprintf(stderr, "Usage: make-hostile-tree [--unwalkable-hwmon] OUT\n");
                return 2;
        }
        out = argv[argc - 1];
        r = gen_open(&g, out, 1);
        if (r < 0) {
                fprintf(stderr, "make-hostile-tree: %s: %s\n", out, strerror(-r));
                return 1;
        }
        udev_fd = make_udev_data(out);
        if (udev_fd < 0) {
                fprintf(stderr, "make-hostile-tree: %s/run/udev/data: %s\n", out,
                        strerror(-udev_fd));
                gen_close(&g);
                return 1;
        }
        hostile_pci(&g);
        hostile_block(&g, udev_fd);
        hostile_hwmon(&g);
        if (unwalkable)
                hostile_hwmon_unwalkable(&g);
        close(udev_fd);
        r = g.error;
        gen_close(&g);
        return r < 0 ? 1 : 0;
}
