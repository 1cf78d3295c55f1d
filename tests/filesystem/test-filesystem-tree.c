/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The filesystem provider on sysroots made here: identity from a udev database, mount points
 * from the tree's own mount table (bind mounts, a filesystem known by its source path, the
 * "best" mount point lsblk shows), swap areas, no space for a tree, get by key; a mount table
 * reached through a link that points out of the tree (read inside it), one with garbage, one
 * that is a FIFO; device nodes in the tree: a text file is not probed, a real node is probed
 * with libblkid, a node of another device is not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fs-test.h"

#define SDA "sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda"

/* A disk or partition in sys/devices, linked from sys/dev/block by number. */
static void add_device(const char *root, const char *dir, unsigned major, unsigned minor,
                       const char *size)
{
        char path[1024], link[1024];

        snprintf(path, sizeof(path), "%s/size", dir);
        tree_write(root, path, size);
        snprintf(path, sizeof(path), "%s/dev", dir);
        snprintf(link, sizeof(link), "%u:%u\n", major, minor);
        tree_write(root, path, link);
        snprintf(path, sizeof(path), "sys/dev/block/%u:%u", major, minor);
        snprintf(link, sizeof(link), "../../../%s", dir);
        tree_link(root, path, link);
}

static const char mountinfo[] =
        "20 1 0:4 / /proc rw - proc proc rw\n"
        "21 1 8:1 / /mnt/a rw,relatime - ext4 /dev/sda1 rw\n"
        "22 1 8:1 /sub /mnt/b ro,relatime - ext4 /dev/sda1 rw\n"
        /* btrfs shows an anonymous device number: known by its source */
        "23 1 0:45 /@home /home rw - btrfs /dev/sda2 rw,subvol=/@home\n"
        "24 1 0:45 / /mnt/pool rw - btrfs /dev/sda2 rw,subvol=/\n"
        /* no udev entry, no node: the type is the mount table's */
        "25 1 8:16 / /data rw - xfs /dev/sdb rw\n";

static char *make_tree(void)
{
        char *root = tree_new();

        add_device(root, SDA, 8, 0, "2000000\n");
        add_device(root, SDA "/sda1", 8, 1, "1000\n");
        add_device(root, SDA "/sda2", 8, 2, "1000\n");
        add_device(root, SDA "/sda3", 8, 3, "1000\n");
        add_device(root, SDA "/sda4", 8, 4, "1000\n");
        add_device(root, "sys/devices/virtual/block/sdb", 8, 16, "1000\n");
        add_device(root, "sys/devices/virtual/block/zram0", 252, 0, "0\n");
        tree_write(root, "run/udev/data/b8:0", "E:ID_PART_TABLE_TYPE=gpt\n");
        tree_write(root, "run/udev/data/b8:1",
                   "E:ID_FS_TYPE=ext4\nE:ID_FS_VERSION=1.0\nE:ID_FS_USAGE=filesystem\n"
                   "E:ID_FS_UUID=0123-plain\nE:ID_FS_UUID_ENC=0123-enc\n"
                   "E:ID_FS_LABEL=my_disk\nE:ID_FS_LABEL_ENC=my\\x20disk\\x20\n");
        tree_write(root, "run/udev/data/b8:2", "E:ID_FS_TYPE=btrfs\nE:ID_FS_UUID_ENC=pool\n");
        tree_write(root, "run/udev/data/b8:3", "E:ID_FS_TYPE=swap\nE:ID_FS_USAGE=other\n");
        /* udevd has seen sda4 and found nothing on it */
        tree_write(root, "run/udev/data/b8:4", "E:ID_PART_ENTRY_NUMBER=4\n");
        tree_write(root, "proc/self/mountinfo", mountinfo);
        tree_write(root, "proc/swaps",
                   "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
                   "/dev/sda3                               partition\t1000\t\t0\t\t-2\n");
        /* a recorded tree's dev/ holds text, not nodes: not probed */
        tree_write(root, "dev/sda4", "DEVNAME=/dev/sda4\n");
        return root;
}

static const char *array_at(const struct glue_instance *inst, const char *name, size_t i)
{
        const struct glue_value *v;

        if (!inst || glue_instance_get_value(inst, name, &v) < 0 || !v->is_array || i >= v->count)
                return NULL;
        return v->v.str_array[i];
}

static size_t array_count(const struct glue_instance *inst, const char *name)
{
        const struct glue_value *v;

        if (!inst || glue_instance_get_value(inst, name, &v) < 0 || !v->is_array)
                return (size_t)-1;
        return v->count;
}

static void test_identity_mounts_and_swap(void)
{
        char *root = make_tree();
        struct glue_context *ctx = block_test_context(root);
        struct glue_request *req = NULL;
        struct glue_instance *i;
        struct devlist list;

        test_log_clear();
        check_int_eq(block_collect_request(ctx, "Linux_FileSystem", 0, &list, &req), 0);
        /* sda: a partition table, no filesystem; sda4: udev found nothing; zram0: empty */
        check_int_eq(list.count, 4);
        check(!devlist_find(&list, "sda") && !devlist_find(&list, "sda4") &&
              !devlist_find(&list, "zram0"));

        i = devlist_find(&list, "sda1");
        check_str_eq(prop_str(i, "FileSystemType"), "ext4");
        check_str_eq(prop_str(i, "Version"), "1.0");
        check_str_eq(prop_str(i, "Usage"), "filesystem");
        /* the _ENC forms, decoded, blanks kept */
        check_str_eq(prop_str(i, "UUID"), "0123-enc");
        check_str_eq(prop_str(i, "Label"), "my disk ");
        check_str_eq(prop_str(i, "IdentifiedBy"), "udev");
        check_str_eq(prop_str(i, "Name"), "/dev/sda1");
        /* last mounted first, each with its root; MOUNTPOINT is the whole filesystem's */
        check_int_eq(array_count(i, "MountPoints"), 2);
        check_str_eq(array_at(i, "MountPoints", 0), "/mnt/b");
        check_str_eq(array_at(i, "MountPoints", 1), "/mnt/a");
        check_str_eq(array_at(i, "FileSystemRoots", 0), "/sub");
        check_str_eq(array_at(i, "FileSystemRoots", 1), "/");
        check_str_eq(prop_str(i, "Root"), "/mnt/a");
        check_int_eq(prop_bool(i, "ReadOnly"), 0);
        check_int_eq(prop_bool(i, "SwapActive"), 0);
        /* a tree's mount points are another machine's paths: no statvfs */
        check(!prop_uint(i, "FileSystemSize", &(uint64_t){ 0 }));
        check(!prop_uint(i, "AvailableSpace", &(uint64_t){ 0 }));

        i = devlist_find(&list, "sda2");
        check_int_eq(array_count(i, "MountPoints"), 2);
        check_str_eq(prop_str(i, "Root"), "/mnt/pool");
        check_str_eq(array_at(i, "FileSystemRoots", 1), "/@home");

        i = devlist_find(&list, "sda3");
        check_str_eq(prop_str(i, "FileSystemType"), "swap");
        check_int_eq(prop_bool(i, "SwapActive"), 1);
        check_int_eq(array_count(i, "MountPoints"), 0);
        check(prop_str(i, "Root") == NULL);

        i = devlist_find(&list, "sdb");
        check_str_eq(prop_str(i, "FileSystemType"), "xfs");
        check_str_eq(prop_str(i, "IdentifiedBy"), "mountinfo");
        check(prop_str(i, "UUID") == NULL);

        /* nothing unreadable here: a text file in dev/ is no node, not an error */
        check_int_eq(glue_request_get_read_error_count(req), 0);
        glue_request_unref(req);
        devlist_free(&list);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

static int get(struct glue_context *ctx, const char *path, struct glue_instance **ret)
{
        struct glue_request *req = NULL;
        int r;

        *ret = NULL;
        r = glue_request_new(ctx, &req);
        if (r == 0)
                r = glue_request_get(req, path, ret);
        glue_request_unref(req);
        return r;
}

static void test_get_by_key(void)
{
        char *root = make_tree();
        struct glue_context *ctx = block_test_context(root);
        struct glue_instance *inst = NULL;

        check_int_eq(get(ctx, "Linux_FileSystem.DeviceID=\"sda1\"", &inst), 0);
        check_str_eq(prop_str(inst, "FileSystemType"), "ext4");
        glue_instance_unref(inst);
        check_int_eq(get(ctx, "Linux_FileSystem.DeviceID=\"sdb\"", &inst), 0);
        check_str_eq(prop_str(inst, "Root"), "/data");
        glue_instance_unref(inst);
        /* a device without a filesystem, no device, and keys that would leave the tree */
        check_int_eq(get(ctx, "Linux_FileSystem.DeviceID=\"sda\"", &inst), -ENOENT);
        check_int_eq(get(ctx, "Linux_FileSystem.DeviceID=\"nosuch\"", &inst), -ENOENT);
        check_int_eq(get(ctx, "Linux_FileSystem.DeviceID=\"../../etc\"", &inst), -ENOENT);
        check_int_eq(get(ctx, "Linux_FileSystem.DeviceID=\"\"", &inst), -ENOENT);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

/* Links are resolved inside the tree: an absolute proc/self leads to the tree's own copy. */
static void test_mount_table_link_stays_in_tree(void)
{
        char *root = make_tree(), path[4096];
        struct glue_context *ctx = block_test_context(root);
        struct glue_instance *inst = NULL;

        snprintf(path, sizeof(path), "%s/proc/self/mountinfo", root);
        unlink(path);
        snprintf(path, sizeof(path), "%s/proc/self", root);
        rmdir(path);
        /* on this machine /proc/self is this process: the link would leave the tree */
        tree_link(root, "proc/self", "/proc/self-in-tree");
        tree_write(root, "proc/self-in-tree/mountinfo",
                   "30 1 8:1 / /inside rw - ext4 /dev/sda1 rw\n");
        check_int_eq(get(ctx, "Linux_FileSystem.DeviceID=\"sda1\"", &inst), 0);
        check_int_eq(array_count(inst, "MountPoints"), 1);
        check_str_eq(array_at(inst, "MountPoints", 0), "/inside");
        glue_instance_unref(inst);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

static void test_hostile_mount_tables(void)
{
        char *root = make_tree(), path[4096];
        struct glue_context *ctx = block_test_context(root);
        struct glue_request *req = NULL;
        struct devlist list;
        struct glue_instance *i;

        /* garbage between good lines: the good ones count, the file is reported */
        tree_write(root, "proc/self/mountinfo",
                   "21 1 8:1 / /mnt/a rw - ext4 /dev/sda1 rw\n"
                   "this is not a mount\n"
                   "25 1 8:16 / /data rw - xfs /dev/sdb rw\n");
        test_log_clear();
        check_int_eq(block_collect_request(ctx, "Linux_FileSystem", 0, &list, &req), 0);
        i = devlist_find(&list, "sda1");
        check_str_eq(array_at(i, "MountPoints", 0), "/mnt/a");
        check_str_eq(prop_str(devlist_find(&list, "sdb"), "Root"), "/data");
        check(read_error_logged("proc/self/mountinfo", -EINVAL));
        check_int_eq(read_error_count(req, -EINVAL), 1);
        glue_request_unref(req);
        devlist_free(&list);

        /* a FIFO: not read (it would block), reported */
        snprintf(path, sizeof(path), "%s/proc/self/mountinfo", root);
        unlink(path);
        check_int_eq(mkfifo(path, 0600), 0);
        snprintf(path, sizeof(path), "%s/proc/swaps", root);
        unlink(path);
        check_int_eq(mkfifo(path, 0600), 0);
        test_log_clear();
        check_int_eq(block_collect_request(ctx, "Linux_FileSystem", 0, &list, &req), 0);
        /* the udev identities stand without mount points */
        check_str_eq(prop_str(devlist_find(&list, "sda1"), "FileSystemType"), "ext4");
        check_int_eq(array_count(devlist_find(&list, "sda1"), "MountPoints"), 0);
        check(devlist_find(&list, "sdb") == NULL);
        check(read_error_logged("proc/self/mountinfo", -EAGAIN));
        check(read_error_logged("proc/swaps", -EAGAIN));
        glue_request_unref(req);
        devlist_free(&list);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
}

/* A node in the tree is probed with libblkid where udev has no entry: the node of the loop
 * device this test made, under the name and number of a device of the tree. */
static void test_probe_a_node_of_the_tree(void)
{
        struct loop_fs fs;
        char *root, path[4096], link[256];
        struct glue_context *ctx;
        struct glue_instance *inst = NULL;

        loop_fs_make(&fs, "in-tree", "6b8f1c9e-55d1-4a59-9a4e-2bd4b1d8f001");
        root = tree_new();
        snprintf(path, sizeof(path), "sys/devices/virtual/block/%s", fs.name);
        add_device(root, path, fs.major, fs.minor, "65536\n");
        snprintf(path, sizeof(path), "sys/class/block/%s", fs.name);
        snprintf(link, sizeof(link), "../../devices/virtual/block/%s", fs.name);
        tree_link(root, path, link);
        snprintf(path, sizeof(path), "%s/dev", root);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/dev/%s", root, fs.name);
        check_int_eq(mknod(path, S_IFBLK | 0600, makedev(fs.major, fs.minor)), 0);
        ctx = block_test_context(root);
        snprintf(path, sizeof(path), "Linux_FileSystem.DeviceID=\"%s\"", fs.name);
        check_int_eq(get(ctx, path, &inst), 0);
        check_str_eq(prop_str(inst, "FileSystemType"), "ext4");
        check_str_eq(prop_str(inst, "Label"), "in-tree");
        check_str_eq(prop_str(inst, "UUID"), "6b8f1c9e-55d1-4a59-9a4e-2bd4b1d8f001");
        check_str_eq(prop_str(inst, "IdentifiedBy"), "libblkid");
        glue_instance_unref(inst);

        /* a tree whose dev/ links to this machine's /dev: the link is resolved inside the
         * tree, where there is no node, so nothing of this machine is probed or stated */
        snprintf(path, sizeof(path), "%s/dev/%s", root, fs.name);
        unlink(path);
        snprintf(path, sizeof(path), "%s/dev", root);
        check_int_eq(rmdir(path), 0);
        tree_link(root, "dev", "/dev");
        snprintf(path, sizeof(path), "Linux_FileSystem.DeviceID=\"%s\"", fs.name);
        check_int_eq(get(ctx, path, &inst), -ENOENT);
        snprintf(path, sizeof(path), "Linux_BlockDevice.DeviceID=\"%s\"", fs.name);
        check_int_eq(get(ctx, path, &inst), 0);
        check(prop_str(inst, "Mode") == NULL);
        check(prop_str(inst, "OwnerName") == NULL);
        glue_instance_unref(inst);
        snprintf(path, sizeof(path), "%s/dev", root);
        unlink(path);
        mkdir(path, 0755);

        /* the node of another device under that name: not probed */
        snprintf(path, sizeof(path), "%s/dev/%s", root, fs.name);
        unlink(path);
        check_int_eq(mknod(path, S_IFBLK | 0600, makedev(fs.major, fs.minor + 1000)), 0);
        snprintf(path, sizeof(path), "Linux_FileSystem.DeviceID=\"%s\"", fs.name);
        check_int_eq(get(ctx, path, &inst), -ENOENT);
        glue_context_unref(ctx);
        tree_remove(root);
        free(root);
        loop_fs_remove(&fs);
}

TEST_MAIN(test_identity_mounts_and_swap, test_get_by_key, test_mount_table_link_stays_in_tree,
          test_hostile_mount_tables, test_probe_a_node_of_the_tree)
