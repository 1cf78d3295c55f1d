/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The filesystem provider: the filesystem (or other signature: swap, LVM member, LUKS) on each
 * block device, as Linux_FileSystem (schema/filesystem.mof), with lsblk -f's columns: the
 * identity from the udev database or libblkid, the mount points from the mount table (libmount),
 * the space from statvfs() of a mount point. Operations keep all their state in a struct
 * fs_call on their own stack, so any number of them run at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/sysfs-name.h"
#include "filesystem.h"
#include "providers.h"

const char *const fs_prop_names[_FP_MAX] = {
        [FP_NAME] = "Name",
        [FP_CS_NAME] = "CSName",
        [FP_CREATION_CLASS_NAME] = "CreationClassName",
        [FP_ROOT] = "Root",
        [FP_BLOCK_SIZE] = "BlockSize",
        [FP_FILE_SYSTEM_SIZE] = "FileSystemSize",
        [FP_AVAILABLE_SPACE] = "AvailableSpace",
        [FP_READ_ONLY] = "ReadOnly",
        [FP_FILE_SYSTEM_TYPE] = "FileSystemType",
        [FP_NUMBER_OF_FILES] = "NumberOfFiles",
        [FP_VERSION] = "Version",
        [FP_UUID] = "UUID",
        [FP_LABEL] = "Label",
        [FP_USAGE] = "Usage",
        [FP_USED_SPACE] = "UsedSpace",
        [FP_PERCENT_USED] = "PercentUsed",
        [FP_MOUNT_POINTS] = "MountPoints",
        [FP_FILE_SYSTEM_ROOTS] = "FileSystemRoots",
        [FP_SWAP_ACTIVE] = "SwapActive",
        [FP_IDENTIFIED_BY] = "IdentifiedBy",
};

static void log_set_failure(struct fs_call *fc, enum fs_prop prop, int r)
{
        if (r < 0)
                glue_call_log(fc->call, LOG_DEBUG, "cannot set %s: %s", fs_prop_names[prop],
                              strerror(-r));
}

void fs_set_string(struct fs_call *fc, struct glue_instance *inst, enum fs_prop prop,
                   const char *value)
{
        if (fc->wants[prop] && value)
                log_set_failure(fc, prop,
                                glue_instance_set_string(inst, fs_prop_names[prop], value));
}

void fs_set_uint(struct fs_call *fc, struct glue_instance *inst, enum fs_prop prop,
                 uint64_t value)
{
        if (fc->wants[prop])
                log_set_failure(fc, prop, glue_instance_set_uint(inst, fs_prop_names[prop], value));
}

void fs_set_bool(struct fs_call *fc, struct glue_instance *inst, enum fs_prop prop, bool value)
{
        if (fc->wants[prop])
                log_set_failure(fc, prop, glue_instance_set_bool(inst, fs_prop_names[prop], value));
}

void fs_full_path(const struct fs_call *fc, const char *rel, char *buf, size_t size)
{
        snprintf(buf, size, "%s/%s", fc->sysroot_is_root ? "" : fc->sysroot, rel);
}

int fs_call_init(struct fs_call *fc, struct glue_call *call, const struct glue_class *cls)
{
        const char *sysroot = glue_call_get_option(call, "sysroot");

        *fc = (struct fs_call){ .call = call, .cls = cls, .sysroot_fd = -1 };
        if (!sysroot || !*sysroot)
                sysroot = "/";
        fc->sysroot = sysroot;
        fc->sysroot_is_root = strcmp(sysroot, "/") == 0;
        fc->sysroot_fd = open(sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fc->sysroot_fd < 0) {
                int r = -errno;

                glue_call_log(call, LOG_ERR, "cannot open sysroot %s: %s", sysroot,
                              strerror(-r));
                return r;
        }
        udev_db_init(&fc->udev, fc->sysroot_fd, fc->sysroot_is_root);
        for (int p = 0; p < _FP_MAX; p++)
                fc->wants[p] = !glue_call_is_keys_only(call) &&
                               glue_call_wants(call, fs_prop_names[p]);
        if (fc->wants[FP_CS_NAME] && gethostname(fc->host_name, sizeof(fc->host_name)) < 0)
                fc->host_name[0] = '\0';
        fc->host_name[sizeof(fc->host_name) - 1] = '\0';
        return 0;
}

void fs_call_done(struct fs_call *fc)
{
        fs_mounts_free(fc);
        udev_db_done(&fc->udev);
        if (fc->sysroot_fd >= 0)
                close(fc->sysroot_fd);
        fc->sysroot_fd = -1;
}

static int fs_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        struct fs_call fc;
        int r;

        r = fs_call_init(&fc, call, cls);
        if (r < 0)
                return r;
        r = fs_walk(&fc);
        fs_call_done(&fc);
        /* The caller stopping is not a failure of the provider. */
        return r == -ECANCELED ? 0 : r < 0 ? r : 0;
}

static int fs_get_instance(struct glue_call *call, const struct glue_class *cls,
                           const struct glue_path *path, void *data)
{
        const char *key = glue_path_get_key(path, "DeviceID");
        struct fs_call fc;
        int r;

        /* Before anything is opened: the key must be one entry of sys/class/block. */
        if (!key || !sysfs_name_is_safe(key, 64, SYSFS_NAME_PUNCTUATION)) {
                glue_call_log(call, LOG_DEBUG, "a DeviceID that is no kernel block device name "
                              "names no filesystem");
                return -ENOENT;
        }
        r = fs_call_init(&fc, call, cls);
        if (r < 0)
                return r;
        r = fs_get(&fc, key);
        fs_call_done(&fc);
        return r;
}

const struct glue_provider_ops glue_provider_filesystem = {
        .size = sizeof(struct glue_provider_ops),
        .name = "filesystem",
        .enumerate = fs_enumerate,
        .get_instance = fs_get_instance,
};
