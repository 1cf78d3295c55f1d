/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of the filesystem provider's tests: a real filesystem on a loop device of their own. */
#pragma once

#include <stdbool.h>

#include "block-test.h"

struct loop_fs {
        char image[64];   /* the backing file */
        char node[32];    /* /dev/loopN */
        char name[16];    /* loopN, the DeviceID */
        unsigned major, minor;
        char mounts[2][64]; /* mounted here, "" if not */
};

/* An ext4 image of 32 MiB with that label and UUID on a free loop device (losetup -f). Skips
 * the program (77, said why) where that cannot be done: not root, no loop support, no
 * mkfs.ext4. */
void loop_fs_make(struct loop_fs *fs, const char *label, const char *uuid);
/* Mount it at a new directory; with subdir, bind-mount that directory of the first mount
 * instead. Returns the mount point (borrowed from fs), or NULL. */
const char *loop_fs_mount(struct loop_fs *fs, const char *subdir);
/* Unmount, detach, remove the image and mount points; also run at exit for what is left. */
void loop_fs_remove(struct loop_fs *fs);

/* A shell command's exit status (0 success); its output goes to the test's stderr. */
int run_command(const char *format, ...) __attribute__((format(printf, 1, 2)));
