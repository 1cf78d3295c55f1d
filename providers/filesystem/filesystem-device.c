/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The filesystem on one block device, as one Linux_FileSystem instance: its identity, where it
 * is mounted (one device, many mount points: bind mounts and subvolumes each have their own
 * root in the filesystem) and, for a mounted one on this machine, its space. A device gets an
 * instance when it holds a signature (udev or libblkid), is mounted, or is an active swap area.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include "filesystem-libs.h"
#include "filesystem.h"

#define MAX_MOUNTS 256

struct fs_mounts_of {
        struct libmnt_fs *fs[MAX_MOUNTS]; /* last mounted first, as lsblk lists them */
        size_t count;
        struct libmnt_fs *best;           /* lsblk's MOUNTPOINT */
};

/* The mounts of the device: by device number, or by source path (a btrfs mount shows an
 * anonymous device number, its source names the device), as lsblk matches them. */
static void find_mounts(struct fs_call *fc, const struct fs_device *dev, struct fs_mounts_of *m)
{
        struct libmnt_table *tb = fs_mounts(fc);
        struct libmnt_iter *itr;
        struct libmnt_fs *fs;
        dev_t devno = makedev(dev->major, dev->minor);

        m->count = 0;
        m->best = NULL;
        if (!tb)
                return;
        itr = sym_mnt_new_iter(MNT_ITER_BACKWARD);
        if (!itr)
                return;
        while (m->count < MAX_MOUNTS && sym_mnt_table_next_fs(tb, itr, &fs) == 0)
                if (sym_mnt_fs_get_devno(fs) == devno || sym_mnt_fs_streq_srcpath(fs, dev->path))
                        m->fs[m->count++] = fs;
        sym_mnt_free_iter(itr);
        if (m->count == 0)
                return;
        /* The last one mounted, unless it shows a subdirectory (a bind mount, a subvolume)
         * and another shows the whole filesystem. */
        m->best = m->fs[0];
        for (size_t i = 0; i < m->count; i++) {
                const char *root = sym_mnt_fs_get_root(m->fs[i]);

                if (!root || strcmp(root, "/") == 0) {
                        if (i > 0)
                                m->best = m->fs[i];
                        break;
                }
        }
}

static void set_mounts(struct fs_call *fc, struct glue_instance *inst,
                       const struct fs_mounts_of *m)
{
        const char *targets[MAX_MOUNTS], *roots[MAX_MOUNTS];
        const char *options;
        int r;

        for (size_t i = 0; i < m->count; i++) {
                const char *root = sym_mnt_fs_get_root(m->fs[i]);

                targets[i] = sym_mnt_fs_get_target(m->fs[i]);
                if (!targets[i])
                        targets[i] = "";
                roots[i] = root ? root : "/";
        }
        if (fc->wants[FP_MOUNT_POINTS]) {
                r = glue_instance_set_string_array(inst, fs_prop_names[FP_MOUNT_POINTS],
                                                   targets, m->count);
                if (r < 0)
                        glue_call_log(fc->call, LOG_DEBUG, "cannot set MountPoints");
        }
        if (fc->wants[FP_FILE_SYSTEM_ROOTS]) {
                r = glue_instance_set_string_array(inst, fs_prop_names[FP_FILE_SYSTEM_ROOTS],
                                                   roots, m->count);
                if (r < 0)
                        glue_call_log(fc->call, LOG_DEBUG, "cannot set FileSystemRoots");
        }
        if (!m->best)
                return;
        fs_set_string(fc, inst, FP_ROOT, sym_mnt_fs_get_target(m->best));
        options = sym_mnt_fs_get_vfs_options(m->best);
        if (options)
                fs_set_bool(fc, inst, FP_READ_ONLY,
                            sym_mnt_optstr_get_option(options, "ro", NULL, NULL) == 0);
}

/* Space from statvfs() of the mount point, as df and lsblk's FSSIZE, FSUSED, FSAVAIL and
 * FSUSE% compute it. Only on this machine: under a sysroot the mount point is a path of the
 * recorded machine, and the same path here is another filesystem (lsblk --sysroot reports
 * this machine's / for every mounted row of a tree). */
static void set_space(struct fs_call *fc, struct glue_instance *inst, const char *target)
{
        struct statvfs st;
        uint64_t frsize, used_blocks;

        if (!fc->sysroot_is_root || !target ||
            !(fc->wants[FP_FILE_SYSTEM_SIZE] || fc->wants[FP_AVAILABLE_SPACE] ||
              fc->wants[FP_USED_SPACE] || fc->wants[FP_PERCENT_USED] ||
              fc->wants[FP_BLOCK_SIZE] || fc->wants[FP_NUMBER_OF_FILES]))
                return;
        if (statvfs(target, &st) < 0) {
                glue_call_note_read_error(fc->call, target, -errno);
                return;
        }
        frsize = st.f_frsize ? st.f_frsize : st.f_bsize;
        used_blocks = st.f_blocks >= st.f_bfree ? st.f_blocks - st.f_bfree : 0;
        fs_set_uint(fc, inst, FP_BLOCK_SIZE, st.f_bsize);
        fs_set_uint(fc, inst, FP_FILE_SYSTEM_SIZE, (uint64_t)st.f_blocks * frsize);
        fs_set_uint(fc, inst, FP_AVAILABLE_SPACE, (uint64_t)st.f_bavail * frsize);
        fs_set_uint(fc, inst, FP_USED_SPACE, used_blocks * frsize);
        /* lsblk's FSUSE%: used over size, the blocks reserved for root counted as used,
         * rounded to the nearest (printf's %.0f) */
        if (st.f_blocks > 0)
                fs_set_uint(fc, inst, FP_PERCENT_USED,
                            (uint64_t)rint((double)used_blocks / (double)st.f_blocks * 100.0));
        if (st.f_files >= st.f_ffree)
                fs_set_uint(fc, inst, FP_NUMBER_OF_FILES, (uint64_t)(st.f_files - st.f_ffree));
}

int fs_device_post(struct fs_call *fc, struct fs_device *dev)
{
        struct fs_identity id;
        struct fs_mounts_of *m;
        struct glue_instance *inst = NULL;
        bool swap;
        int r;

        if (glue_call_is_cancelled(fc->call))
                return -ECANCELED;
        m = malloc(sizeof(*m));
        if (!m)
                return -ENOMEM;
        fs_identify(fc, dev, &id);
        find_mounts(fc, dev, m);
        swap = fs_is_active_swap(fc, dev);
        if (!id.source && m->count == 0 && !swap) {
                free(m);
                return 0;
        }
        /* Mounted, but neither udev nor libblkid could say what it is (probing refused): the
         * mount table's word for it. */
        if (!id.source && m->best && sym_mnt_fs_get_fstype(m->best)) {
                snprintf(id.type, sizeof(id.type), "%s", sym_mnt_fs_get_fstype(m->best));
                id.source = "mountinfo";
        }

        r = glue_call_new_instance(fc->call, NULL, &inst);
        if (r < 0)
                goto out;
        r = glue_instance_set_string(inst, "DeviceID", dev->name);
        if (r < 0)
                goto out;
        fs_set_string(fc, inst, FP_CREATION_CLASS_NAME, glue_class_get_name(fc->cls));
        if (glue_call_is_keys_only(fc->call))
                goto post;
        if (fc->host_name[0])
                fs_set_string(fc, inst, FP_CS_NAME, fc->host_name);
        /* df's "Filesystem" column: the device it is on. */
        fs_set_string(fc, inst, FP_NAME, dev->path);
        fs_set_string(fc, inst, FP_FILE_SYSTEM_TYPE, id.type[0] ? id.type : NULL);
        fs_set_string(fc, inst, FP_VERSION, id.version[0] ? id.version : NULL);
        fs_set_string(fc, inst, FP_UUID, id.uuid[0] ? id.uuid : NULL);
        fs_set_string(fc, inst, FP_LABEL, id.label[0] ? id.label : NULL);
        fs_set_string(fc, inst, FP_USAGE, id.usage[0] ? id.usage : NULL);
        fs_set_string(fc, inst, FP_IDENTIFIED_BY, id.source);
        fs_set_bool(fc, inst, FP_SWAP_ACTIVE, swap);
        set_mounts(fc, inst, m);
        set_space(fc, inst, m->best ? sym_mnt_fs_get_target(m->best) : NULL);
post:
        r = glue_call_post(fc->call, inst);
        inst = NULL;
        if (r == 0)
                r = 1;
out:
        glue_instance_unref(inst);
        free(m);
        return r;
}
