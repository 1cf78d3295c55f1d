/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The filesystem provider's internals, shared by the files of providers/filesystem/ only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>
#include <sys/types.h>

#include "common/udev-db.h"
#include "libglue.h"

struct libmnt_table;

/* Every property the provider sets, so that glue_call_wants() is asked once per call. */
enum fs_prop {
        FP_NAME,
        FP_CS_NAME,
        FP_CREATION_CLASS_NAME,
        FP_ROOT,
        FP_BLOCK_SIZE,
        FP_FILE_SYSTEM_SIZE,
        FP_AVAILABLE_SPACE,
        FP_READ_ONLY,
        FP_FILE_SYSTEM_TYPE,
        FP_NUMBER_OF_FILES,
        FP_VERSION,
        FP_UUID,
        FP_LABEL,
        FP_USAGE,
        FP_USED_SPACE,
        FP_PERCENT_USED,
        FP_MOUNT_POINTS,
        FP_FILE_SYSTEM_ROOTS,
        FP_SWAP_ACTIVE,
        FP_IDENTIFIED_BY,
        _FP_MAX,
};

extern const char *const fs_prop_names[_FP_MAX];

/* The state of one provider operation: nothing is shared between calls. */
struct fs_call {
        struct glue_call *call;
        const struct glue_class *cls;
        bool wants[_FP_MAX];
        const char *sysroot;    /* borrowed for the call */
        bool sysroot_is_root;
        int sysroot_fd;         /* O_PATH */
        struct udev_db udev;
        struct libmnt_table *mounts; /* parsed on first use; NULL: none or not yet */
        bool mounts_read;
        char **swaps;           /* the active swap areas' paths, NULL-terminated */
        bool swaps_read;
        char host_name[256];
};

/* One block device, as the walk found it. */
struct fs_device {
        const char *name;       /* kernel name, the key */
        uint32_t major, minor;
        char path[300];         /* lsblk's PATH: /dev/NAME, /dev/mapper/NAME for dm */
};

/* What identifies the filesystem on a device: from udev, libblkid or the mount table. */
struct fs_identity {
        char type[64], version[64], uuid[128], label[256], usage[32];
        const char *source;     /* "udev", "libblkid", "mountinfo", or NULL: nothing found */
};

int fs_call_init(struct fs_call *fc, struct glue_call *call, const struct glue_class *cls);
void fs_call_done(struct fs_call *fc);

/* filesystem-walk.c: every block device (or the one named), each given to fs_device_post.
 * Returns 0, -ECANCELED when the caller stopped, or a negative errno; fs_get: -ENOENT when the
 * device does not exist or holds no filesystem. */
int fs_walk(struct fs_call *fc);
int fs_get(struct fs_call *fc, const char *name);

/* filesystem-device.c: post the filesystem on one device, if it has one. 1 posted, 0 none,
 * or a negative errno (-ECANCELED). */
int fs_device_post(struct fs_call *fc, struct fs_device *dev);

/* filesystem-probe.c: the identity of the filesystem on the device, from the udev database
 * where udevd wrote an entry for it, else by probing the node with libblkid (which needs read
 * access to it: refused is reported, not fatal). id->source NULL: no filesystem signature. */
void fs_identify(struct fs_call *fc, const struct fs_device *dev, struct fs_identity *id);

/* filesystem-mounts.c */
/* The mount table: <sysroot>/proc/self/mountinfo (this process's own at "/"); NULL if none. */
struct libmnt_table *fs_mounts(struct fs_call *fc);
/* Is the device an active swap area (<sysroot>/proc/swaps)? */
bool fs_is_active_swap(struct fs_call *fc, const struct fs_device *dev);
void fs_mounts_free(struct fs_call *fc);

/* Helpers. */
void fs_set_string(struct fs_call *fc, struct glue_instance *inst, enum fs_prop prop,
                   const char *value);
void fs_set_uint(struct fs_call *fc, struct glue_instance *inst, enum fs_prop prop,
                 uint64_t value);
void fs_set_bool(struct fs_call *fc, struct glue_instance *inst, enum fs_prop prop, bool value);
/* A path under the sysroot as it is reported: "<sysroot>/<rel>" (rel without a leading '/'). */
void fs_full_path(const struct fs_call *fc, const char *rel, char *buf, size_t size);
