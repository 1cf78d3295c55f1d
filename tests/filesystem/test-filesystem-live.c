/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Real filesystems on this machine: two ext4 images on loop devices this test makes, one
 * mounted twice (the filesystem and a bind mount of a subdirectory), one not mounted. No udevd
 * runs here, so identity comes from libblkid. Compared with lsblk run on the same devices
 * (every column, lsblk-truth.c), with blkid -p for what lsblk does not probe, and with
 * statvfs(); then as an unprivileged user, for whom probing is refused: said, not fatal.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs-test.h"
#include "lsblk-truth.h"

#define UUID_A "1f0d6c8a-8a0c-4f4e-b1e4-3a9c2f1d7e01"
#define UUID_B "1f0d6c8a-8a0c-4f4e-b1e4-3a9c2f1d7e02"

static const char *array_at(const struct glue_instance *inst, const char *name, size_t i)
{
        const struct glue_value *v;

        if (!inst || glue_instance_get_value(inst, name, &v) < 0 || !v->is_array || i >= v->count)
                return NULL;
        return v->v.str_array[i];
}

static int get(struct glue_context *ctx, const char *name, struct glue_instance **ret,
               struct glue_request **ret_req)
{
        struct glue_request *req = NULL;
        char path[128];
        int r;

        *ret = NULL;
        snprintf(path, sizeof(path), "Linux_FileSystem.DeviceID=\"%s\"", name);
        r = glue_request_new(ctx, &req);
        if (r == 0)
                r = glue_request_get(req, path, ret);
        if (ret_req)
                *ret_req = req;
        else
                glue_request_unref(req);
        return r;
}

static void test_loop_filesystems(void)
{
        struct loop_fs a, b;
        const char *m1, *m2;
        struct glue_context *ctx = block_test_context(NULL);
        struct devlist blocks[2], filesystems[2];
        struct lsblk_table *table = NULL;
        struct truth_report rep;
        struct glue_instance *i;
        struct statvfs st;
        uint64_t size = 0, avail = 0;
        char args[128];

        loop_fs_make(&a, "hwglue-a", UUID_A);
        loop_fs_make(&b, "hwglue-b", UUID_B);
        m1 = loop_fs_mount(&a, NULL);
        m2 = m1 ? loop_fs_mount(&a, "sub") : NULL;
        check(m1 && m2);
        if (!m1 || !m2)
                return;

        check_int_eq(block_collect(ctx, "Linux_BlockDevice", 0, &blocks[0]), 0);
        check_int_eq(block_collect(ctx, "Linux_FileSystem", 0, &filesystems[0]), 0);
        snprintf(args, sizeof(args), "'%s' '%s'", a.node, b.node);
        check_int_eq(lsblk_table_run(args, &table), 2);
        check_int_eq(block_collect(ctx, "Linux_BlockDevice", 0, &blocks[1]), 0);
        check_int_eq(block_collect(ctx, "Linux_FileSystem", 0, &filesystems[1]), 0);
        truth_compare("loop devices", table,
                      &(struct truth_instances){
                              .blocks = &blocks[0],
                              .filesystems = &filesystems[0],
                              .blocks_after = &blocks[1],
                              .filesystems_after = &filesystems[1],
                      },
                      &(struct truth_opts){ .tree = "", .live = true }, &rep);
        check_int_eq(rep.rows, 2);
        check_int_eq(rep.disagreeing, 0);

        /* what lsblk shows apart, and what it does not probe */
        i = devlist_find(&filesystems[0], a.name);
        check_str_eq(prop_str(i, "FileSystemType"), "ext4");
        check_str_eq(prop_str(i, "UUID"), UUID_A);
        check_str_eq(prop_str(i, "Label"), "hwglue-a");
        check_str_eq(prop_str(i, "IdentifiedBy"), "libblkid");
        check_str_eq(prop_str(i, "Name"), a.node);
        check_str_eq(array_at(i, "MountPoints", 0), m2);
        check_str_eq(array_at(i, "MountPoints", 1), m1);
        check_str_eq(array_at(i, "FileSystemRoots", 0), "/sub");
        check_str_eq(array_at(i, "FileSystemRoots", 1), "/");
        check_str_eq(prop_str(i, "Root"), m1);
        /* nothing writes to it: statvfs now says what the provider read */
        check(statvfs(m1, &st) == 0);
        check(prop_uint(i, "FileSystemSize", &size) && size == (uint64_t)st.f_blocks * st.f_frsize);
        check(prop_uint(i, "AvailableSpace", &avail) && avail == (uint64_t)st.f_bavail * st.f_frsize);
        i = devlist_find(&filesystems[0], b.name);
        check_str_eq(prop_str(i, "UUID"), UUID_B);
        check(array_at(i, "MountPoints", 0) == NULL);
        check(!prop_uint(i, "FileSystemSize", &size));

        lsblk_table_free(table);
        for (int s = 0; s < 2; s++) {
                devlist_free(&blocks[s]);
                devlist_free(&filesystems[s]);
        }

        /* As nobody the nodes (brw------- root) cannot be opened: the probe is refused and
         * said with the node's path; the mounted one keeps its mount table type. */
        chmod(m1, 0755);
        chmod(m2, 0755);
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
                struct glue_context *user_ctx;
                struct glue_request *req = NULL;
                char want[64];

                if (setgid(65534) < 0 || setuid(65534) < 0)
                        _exit(2);
                user_ctx = block_test_context(NULL);
                test_log_clear();
                check_int_eq(get(user_ctx, a.name, &i, &req), 0);
                check_str_eq(prop_str(i, "FileSystemType"), "ext4");
                check_str_eq(prop_str(i, "IdentifiedBy"), "mountinfo");
                check(prop_str(i, "UUID") == NULL);
                check_str_eq(array_at(i, "MountPoints", 1), m1);
                snprintf(want, sizeof(want), "%s", a.node);
                check(read_error_logged(want, -EACCES));
                check_int_eq(read_error_count(req, -EACCES), 1);
                glue_instance_unref(i);
                glue_request_unref(req);
                /* unmounted and unreadable: no filesystem known, and the refusal said */
                check_int_eq(get(user_ctx, b.name, &i, &req), -ENOENT);
                check_int_eq(read_error_count(req, -EACCES), 1);
                check(strstr(test_log_text(), "probing the filesystem needs read access") != NULL);
                glue_request_unref(req);
                glue_context_unref(user_ctx);
                _exit(test_failures ? 1 : 0);
        }
        int status = 0;

        check(pid > 0 && waitpid(pid, &status, 0) == pid);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                fprintf(stderr, "the unprivileged child ended with status 0x%x\n", status);
        check(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        glue_context_unref(ctx);
        loop_fs_remove(&b);
        loop_fs_remove(&a);
}

TEST_MAIN(test_loop_filesystems)
