/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libblkid and libmount, loaded on first use (common/dlopen-lib.h says why). The provider
 * calls them through these pointers, sym_<name>, set by fs_load_libblkid()/fs_load_libmount().
 */
#pragma once

#include <blkid.h>
#include <libmount.h>

#define FS_SYM(name) extern __typeof__(name) *sym_##name
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
#undef FS_SYM

/* 0 once the library is loaded (the first call loads it), or -ELIBACC; *ret_error then says
 * why (borrowed, static). */
int fs_load_libblkid(const char **ret_error);
int fs_load_libmount(const char **ret_error);
