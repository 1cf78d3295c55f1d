/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The device node: the path lsblk shows (PATH), and its owner, group and mode (OWNER, GROUP,
 * MODE) from a stat of that node.
 *
 * Under a sysroot the node is looked up in the tree (<sysroot>/dev/...), not on this machine:
 * lsblk --sysroot stats the host's /dev node of the same name, which belongs to another device.
 * A tree without device nodes gives NULL. The names of the owner and group come from this
 * machine's user database, as lsblk's do.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "block.h"
#include "common/sysroot-open.h"

/* ls -l's mode string: the type, then rwx for owner, group and others, with the setuid, setgid
 * and sticky bits as s/S and t/T. */
static void format_mode(mode_t mode, char buf[static 11])
{
        static const char rwx[] = "rwxrwxrwx";

        buf[0] = S_ISBLK(mode) ? 'b' : S_ISCHR(mode) ? 'c' : S_ISDIR(mode) ? 'd' :
                 S_ISLNK(mode) ? 'l' : S_ISFIFO(mode) ? 'p' : S_ISSOCK(mode) ? 's' : '-';
        for (int i = 0; i < 9; i++)
                buf[1 + i] = mode & (0400 >> i) ? rwx[i] : '-';
        if (mode & S_ISUID)
                buf[3] = buf[3] == 'x' ? 's' : 'S';
        if (mode & S_ISGID)
                buf[6] = buf[6] == 'x' ? 's' : 'S';
        if (mode & S_ISVTX)
                buf[9] = buf[9] == 'x' ? 't' : 'T';
        buf[10] = '\0';
}

/* A node of the tree under the sysroot, every link resolved inside the tree (the
 * /dev/mapper/NAME -> ../dm-0 that udev makes; an absolute /dev link stays in the tree). */
static int stat_in_sysroot(struct block_call *bc, const char *path, struct stat *st)
{
        int fd = sysroot_open(bc->sysroot_fd, path + 1, O_PATH | O_CLOEXEC);
        int r = 0;

        if (fd < 0)
                return -errno;
        if (fstat(fd, st) < 0)
                r = -errno;
        close(fd);
        return r;
}

static const char *user_name(struct block_call *bc, uid_t uid)
{
        struct passwd pw, *found = NULL;
        char buf[4096];

        if (bc->owner_cached && bc->owner_uid == uid)
                return bc->owner_name[0] ? bc->owner_name : NULL;
        bc->owner_cached = true;
        bc->owner_uid = uid;
        bc->owner_name[0] = '\0';
        if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) == 0 && found)
                snprintf(bc->owner_name, sizeof(bc->owner_name), "%s", found->pw_name);
        return bc->owner_name[0] ? bc->owner_name : NULL;
}

static const char *group_name(struct block_call *bc, gid_t gid)
{
        struct group gr, *found = NULL;
        char buf[4096];

        if (bc->group_cached && bc->group_gid == gid)
                return bc->group_name[0] ? bc->group_name : NULL;
        bc->group_cached = true;
        bc->group_gid = gid;
        bc->group_name[0] = '\0';
        if (getgrgid_r(gid, &gr, buf, sizeof(buf), &found) == 0 && found)
                snprintf(bc->group_name, sizeof(bc->group_name), "%s", found->gr_name);
        return bc->group_name[0] ? bc->group_name : NULL;
}

void block_node_set(struct block_call *bc, struct glue_instance *inst, const char *name,
                    const char *dm_name, const uint32_t *major, const uint32_t *minor)
{
        char path[300], mode[11], full[4096];
        bool mapper = false;
        struct stat st;
        int r;

        if (!bc->wants[P_PATH] && !bc->wants[P_OWNER_NAME] && !bc->wants[P_GROUP_NAME] &&
            !bc->wants[P_MODE])
                return;
        /* lsblk's PATH: the mapper name for device-mapper devices (on this machine only when
         * udev made that link; else the kernel's node), /dev/NAME otherwise, with the '!' the
         * kernel writes for '/' in names such as cciss!c0d0 turned back. */
        if (dm_name) {
                snprintf(path, sizeof(path), "/dev/mapper/%s", dm_name);
                mapper = !bc->sysroot_is_root || access(path, F_OK) == 0;
        }
        if (!mapper) {
                snprintf(path, sizeof(path), "/dev/%s", name);
                for (char *p = path; *p; p++)
                        if (*p == '!')
                                *p = '/';
        }
        block_set_string(bc, inst, P_PATH, path);
        if (!bc->wants[P_OWNER_NAME] && !bc->wants[P_GROUP_NAME] && !bc->wants[P_MODE])
                return;

        r = bc->sysroot_is_root ? (stat(path, &st) < 0 ? -errno : 0)
                                : stat_in_sysroot(bc, path, &st);
        if (r < 0) {
                /* No node (a tree without /dev, a container) is absence; the rest is said. */
                if (r != -ENOENT && r != -ENOTDIR) {
                        snprintf(full, sizeof(full), "%s%s",
                                 bc->sysroot_is_root ? "" : bc->sysroot, path);
                        glue_call_note_read_error(bc->call, full, r);
                }
                return;
        }
        /* A node of another device (a stale /dev, a tree's node for a number it reused) says
         * nothing about this one. */
        if (!S_ISBLK(st.st_mode) || !major || !minor || st.st_rdev != makedev(*major, *minor)) {
                glue_call_log(bc->call, LOG_DEBUG, "%s: %s is not its device node", name, path);
                return;
        }
        if (bc->wants[P_OWNER_NAME])
                block_set_string(bc, inst, P_OWNER_NAME, user_name(bc, st.st_uid));
        if (bc->wants[P_GROUP_NAME])
                block_set_string(bc, inst, P_GROUP_NAME, group_name(bc, st.st_gid));
        format_mode(st.st_mode, mode);
        block_set_string(bc, inst, P_MODE, mode);
}
