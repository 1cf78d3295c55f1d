/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fs-test.h"

#define MAX_LOOPS 4
static struct loop_fs *made[MAX_LOOPS];

int run_command(const char *format, ...)
{
        char *cmd = NULL;
        va_list args;
        int status;

        va_start(args, format);
        status = vasprintf(&cmd, format, args);
        va_end(args);
        if (status < 0)
                return -1;
        status = system(cmd);
        free(cmd);
        return status;
}

static void remove_all(void)
{
        for (int i = 0; i < MAX_LOOPS; i++)
                if (made[i])
                        loop_fs_remove(made[i]);
}

void loop_fs_make(struct loop_fs *fs, const char *label, const char *uuid)
{
        static bool registered;
        char line[64] = "";
        struct stat st;
        FILE *p;
        int fd;

        *fs = (struct loop_fs){ 0 };
        if (geteuid() != 0)
                test_skip("needs root: makes a loop device with a filesystem on it");
        if (access("/dev/loop-control", F_OK) < 0)
                test_skip("no /dev/loop-control: the loop driver is not loaded");
        snprintf(fs->image, sizeof(fs->image), "/tmp/hwglue-fs-XXXXXX");
        fd = mkstemp(fs->image);
        if (fd < 0 || ftruncate(fd, 32 << 20) < 0) {
                perror("image");
                exit(1);
        }
        close(fd);
        if (run_command("mkfs.ext4 -q -F -L '%s' -U '%s' '%s' >&2", label, uuid, fs->image) != 0)
                test_skip("mkfs.ext4 (e2fsprogs) failed or is missing");
        char cmd[128];

        snprintf(cmd, sizeof(cmd), "losetup -f --show '%s'", fs->image);
        p = popen(cmd, "r");
        line[0] = '\0';
        if (!p || !fgets(line, sizeof(line), p)) {
                if (p)
                        pclose(p);
                unlink(fs->image);
                test_skip("losetup could not set up a loop device");
        }
        pclose(p);
        line[strcspn(line, "\n")] = '\0';
        snprintf(fs->node, sizeof(fs->node), "%s", line);
        snprintf(fs->name, sizeof(fs->name), "%s", strrchr(fs->node, '/') + 1);
        if (stat(fs->node, &st) < 0 || !S_ISBLK(st.st_mode)) {
                fprintf(stderr, "%s: not a block device\n", fs->node);
                exit(1);
        }
        fs->major = major(st.st_rdev);
        fs->minor = minor(st.st_rdev);
        for (int i = 0; i < MAX_LOOPS; i++)
                if (!made[i]) {
                        made[i] = fs;
                        break;
                }
        if (!registered)
                atexit(remove_all);
        registered = true;
}

const char *loop_fs_mount(struct loop_fs *fs, const char *subdir)
{
        int slot = fs->mounts[0][0] ? 1 : 0;
        char *dir = fs->mounts[slot], source[128];

        snprintf(dir, sizeof(fs->mounts[slot]), "/tmp/hwglue-mnt-XXXXXX");
        if (!mkdtemp(dir)) {
                dir[0] = '\0';
                return NULL;
        }
        if (!subdir) {
                if (mount(fs->node, dir, "ext4", 0, NULL) == 0)
                        return dir;
        } else {
                snprintf(source, sizeof(source), "%s/%s", fs->mounts[0], subdir);
                mkdir(source, 0755);
                if (mount(source, dir, NULL, MS_BIND, NULL) == 0)
                        return dir;
        }
        fprintf(stderr, "mount %s on %s: %s\n", subdir ? subdir : fs->node, dir, strerror(errno));
        rmdir(dir);
        dir[0] = '\0';
        return NULL;
}

void loop_fs_remove(struct loop_fs *fs)
{
        for (int i = 1; i >= 0; i--)
                if (fs->mounts[i][0]) {
                        if (umount2(fs->mounts[i], MNT_DETACH) < 0)
                                fprintf(stderr, "umount %s: %s\n", fs->mounts[i], strerror(errno));
                        rmdir(fs->mounts[i]);
                        fs->mounts[i][0] = '\0';
                }
        if (fs->node[0] && run_command("losetup -d '%s'", fs->node) != 0)
                fprintf(stderr, "losetup -d %s failed\n", fs->node);
        fs->node[0] = '\0';
        if (fs->image[0])
                unlink(fs->image);
        fs->image[0] = '\0';
        for (int i = 0; i < MAX_LOOPS; i++)
                if (made[i] == fs)
                        made[i] = NULL;
}
