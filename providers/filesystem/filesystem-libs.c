/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <pthread.h>

#include "common/dlopen-lib.h"
#include "filesystem-libs.h"

#define FS_SYM(name) __typeof__(name) *sym_##name
#define FS_SLOT(name) { #name, (void **)&sym_##name }

FS_SYM(blkid_new_probe);
FS_SYM(blkid_free_probe);
FS_SYM(blkid_probe_set_device);
FS_SYM(blkid_probe_enable_superblocks);
FS_SYM(blkid_probe_set_superblocks_flags);
FS_SYM(blkid_probe_enable_partitions);
FS_SYM(blkid_do_safeprobe);
FS_SYM(blkid_probe_lookup_value);

FS_SYM(mnt_new_table);
FS_SYM(mnt_unref_table);
FS_SYM(mnt_table_set_userdata);
FS_SYM(mnt_table_get_userdata);
FS_SYM(mnt_table_set_parser_errcb);
FS_SYM(mnt_table_parse_stream);
FS_SYM(mnt_table_next_fs);
FS_SYM(mnt_new_iter);
FS_SYM(mnt_free_iter);
FS_SYM(mnt_fs_get_devno);
FS_SYM(mnt_fs_streq_srcpath);
FS_SYM(mnt_fs_get_root);
FS_SYM(mnt_fs_get_target);
FS_SYM(mnt_fs_get_fstype);
FS_SYM(mnt_fs_get_vfs_options);
FS_SYM(mnt_optstr_get_option);

static const struct dlopen_symbol blkid_symbols[] = {
        FS_SLOT(blkid_new_probe),
        FS_SLOT(blkid_free_probe),
        FS_SLOT(blkid_probe_set_device),
        FS_SLOT(blkid_probe_enable_superblocks),
        FS_SLOT(blkid_probe_set_superblocks_flags),
        FS_SLOT(blkid_probe_enable_partitions),
        FS_SLOT(blkid_do_safeprobe),
        FS_SLOT(blkid_probe_lookup_value),
};

static const struct dlopen_symbol mount_symbols[] = {
        FS_SLOT(mnt_new_table),
        FS_SLOT(mnt_unref_table),
        FS_SLOT(mnt_table_set_userdata),
        FS_SLOT(mnt_table_get_userdata),
        FS_SLOT(mnt_table_set_parser_errcb),
        FS_SLOT(mnt_table_parse_stream),
        FS_SLOT(mnt_table_next_fs),
        FS_SLOT(mnt_new_iter),
        FS_SLOT(mnt_free_iter),
        FS_SLOT(mnt_fs_get_devno),
        FS_SLOT(mnt_fs_streq_srcpath),
        FS_SLOT(mnt_fs_get_root),
        FS_SLOT(mnt_fs_get_target),
        FS_SLOT(mnt_fs_get_fstype),
        FS_SLOT(mnt_fs_get_vfs_options),
        FS_SLOT(mnt_optstr_get_option),
};

static pthread_once_t blkid_once = PTHREAD_ONCE_INIT, mount_once = PTHREAD_ONCE_INIT;
static int blkid_result, mount_result;
static char blkid_error[256], mount_error[256];

static void load_blkid(void)
{
        blkid_result = dlopen_lib("libblkid.so.1", blkid_symbols,
                                  sizeof(blkid_symbols) / sizeof(blkid_symbols[0]),
                                  blkid_error, sizeof(blkid_error));
}

static void load_mount(void)
{
        mount_result = dlopen_lib("libmount.so.1", mount_symbols,
                                  sizeof(mount_symbols) / sizeof(mount_symbols[0]),
                                  mount_error, sizeof(mount_error));
}

int fs_load_libblkid(const char **ret_error)
{
        pthread_once(&blkid_once, load_blkid);
        *ret_error = blkid_error;
        return blkid_result;
}

int fs_load_libmount(const char **ret_error)
{
        pthread_once(&mount_once, load_mount);
        *ret_error = mount_error;
        return mount_result;
}
