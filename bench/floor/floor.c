/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 *   sysfs-floor [--check] [--repeat N] block|pci|hwmon|all ROOT
 *
 * Reads ROOT/sys and prints one line per block device, PCI function or hwmon feature. With
 * --check, exits 1 if what it read disagrees with itself (see floor.h). With --repeat, reads
 * it all N times in one process: the floor of an agent's cycle, without a process start.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floor.h"

static char out_buf[1 << 16];
static size_t out_len;
static bool out_first_done;

int floor_read(int dirfd, const char *name, char *buf, size_t size)
{
        int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        ssize_t n;

        if (fd < 0)
                return -1;
        n = read(fd, buf, size - 1);
        close(fd);
        if (n < 0)
                return -1;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
                n--;
        buf[n] = '\0';
        return (int)n;
}

void floor_link_name(int dirfd, const char *name, char *buf, size_t size)
{
        char target[512];
        ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
        const char *slash;

        buf[0] = '\0';
        if (n <= 0)
                return;
        target[n] = '\0';
        slash = strrchr(target, '/');
        snprintf(buf, size, "%s", slash ? slash + 1 : target);
}

void floor_flush(void)
{
        size_t done = 0;

        while (done < out_len) {
                ssize_t n = write(STDOUT_FILENO, out_buf + done, out_len - done);

                if (n <= 0)
                        break;
                done += (size_t)n;
        }
        out_len = 0;
}

void floor_record(const char *format, ...)
{
        va_list args;
        int n;

        if (sizeof(out_buf) - out_len < 1024)
                floor_flush();
        va_start(args, format);
        n = vsnprintf(out_buf + out_len, sizeof(out_buf) - out_len - 1, format, args);
        va_end(args);
        if (n < 0)
                return;
        if ((size_t)n > sizeof(out_buf) - out_len - 2)
                n = (int)(sizeof(out_buf) - out_len - 2);
        out_len += (size_t)n;
        out_buf[out_len++] = '\n';
        if (!out_first_done) {
                out_first_done = true;
                floor_flush();
        }
}

int main(int argc, char **argv)
{
        bool check = argc > 1 && !strcmp(argv[1], "--check");
        unsigned long repeat = 1;
        int args = 1 + check, sys_fd, bad = 0, r;
        const char *kind, *root;
        char path[4096];

        if (argc > args + 1 && !strcmp(argv[args], "--repeat")) {
                repeat = strtoul(argv[args + 1], NULL, 10);
                args += 2;
        }
        if (argc != args + 2 || repeat == 0) {
                fputs("usage: sysfs-floor [--check] [--repeat N] block|pci|hwmon|all ROOT\n",
                      stderr);
                return 2;
        }
        kind = argv[args];
        root = argv[args + 1];
        snprintf(path, sizeof(path), "%s/sys", root);
        sys_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (sys_fd < 0) {
                perror(path);
                return 1;
        }
        for (unsigned long i = 0; i < repeat; i++) {
                if (!strcmp(kind, "block") || !strcmp(kind, "all")) {
                        r = floor_block(sys_fd, check);
                        bad += r < 0 ? 1 : r;
                }
                if (!strcmp(kind, "pci") || !strcmp(kind, "all")) {
                        r = floor_pci(sys_fd, check);
                        bad += r < 0 ? 1 : r;
                }
                if (!strcmp(kind, "hwmon") || !strcmp(kind, "all")) {
                        r = floor_hwmon(sys_fd, check);
                        bad += r < 0 ? 1 : r;
                }
                floor_flush();
        }
        close(sys_fd);
        if (bad)
                fprintf(stderr, "sysfs-floor: %d disagreements\n", bad);
        return bad ? 1 : 0;
}

int floor_walk(int sys_fd, const char *dir_path, int (*read_one)(int dir_fd, const char *name, bool check),
               bool check)
{
        int dir_fd = openat(sys_fd, dir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *dir;
        struct dirent *de;
        int bad = 0;

        if (dir_fd < 0)
                return -1;
        dir = fdopendir(dir_fd);
        if (!dir) {
                close(dir_fd);
                return -1;
        }
        while ((de = readdir(dir))) {
                if (de->d_name[0] == '.')
                        continue;
                bad += read_one(dir_fd, de->d_name, check);
        }
        closedir(dir);
        return bad;
}
