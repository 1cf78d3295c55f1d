/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The providers against lsblk on every recorded tree of ../shared/fixtures that has an
 * oracle/lsblk-all.json (lsblk -J -O -b -a --sysroot, util-linux 2.38.1): each of its 64
 * columns, row by row, against the property that carries it (lsblk-truth.c, with the
 * deliberate differences and their reasons). The share of agreeing fields is printed; any
 * field that disagrees without a listed reason fails the test.
 *
 * lsblk --sysroot reads no udev database: the util-linux dumps give it a properties file per
 * device in dev/ instead, and read OWNER, GROUP and MODE from it too. So that both tools read
 * the same data, the providers run on a sysroot made of the tree's sys/, a run/udev/data
 * database written from those files (E:KEY=value lines, the database's own format), device
 * nodes with the owner, group and mode the files give, and copies of the tree's
 * proc/self/mountinfo and proc/swaps; the tree's own run/udev/data, which lsblk never read, is
 * tested on its own below.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "block-test.h"
#include "lsblk-truth.h"

static const char *const archives[] = {
        "systemd.tar.xz",
        "node_exporter.tar.xz",
        "procfs.tar.xz",
        "util-linux-simple-nvme.tar.xz",
        "util-linux-simple-lvm.tar.xz",
        "util-linux-multi-devs-bcachefs.tar.xz",
        "hwloc-32em64t-2n8c-1mic.tar.xz",
};

/* "brw-rw----" -> 0660 */
static mode_t parse_mode(const char *text)
{
        mode_t mode = 0;

        for (int i = 0; i < 9 && text[1 + i]; i++)
                if (text[1 + i] != '-')
                        mode |= 0400 >> i;
        return mode;
}

/* The node lsblk's properties file describes: its number, owner, group and mode. */
static void make_node(const char *root, const char *name, unsigned major, unsigned minor,
                      const char *owner, const char *group, const char *mode)
{
        struct passwd *pw = getpwnam(owner);
        struct group *gr = getgrnam(group);
        char path[4096];

        if (!pw || !gr) {
                fprintf(stderr, "%s: no user %s or group %s here: its node is not made\n", name,
                        owner, group);
                test_failures++;
                return;
        }
        snprintf(path, sizeof(path), "%s/dev", root);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/dev/%s", root, name);
        if (mknod(path, S_IFBLK | parse_mode(mode), makedev(major, minor)) < 0 ||
            chown(path, pw->pw_uid, gr->gr_gid) < 0 || chmod(path, parse_mode(mode)) < 0) {
                fprintf(stderr, "cannot make the node %s: %s\n", path, strerror(errno));
                test_failures++;
        }
}

static void copy_file(const char *from, const char *root, const char *path)
{
        size_t len;
        char *text = test_read_file(from, &len);

        if (text)
                tree_write_len(root, path, text, len);
        free(text);
}

/* A sysroot holding a link to the tree's sys/, a udev database and nodes from its dev/ files,
 * and its mount table and swap areas. */
static char *make_sysroot(const char *tree, bool *ret_has_udev)
{
        char *root = tree_new(), path[4096];
        struct dirent *de;
        DIR *dir;

        snprintf(path, sizeof(path), "%s/sys", tree);
        tree_link(root, "sys", path);
        snprintf(path, sizeof(path), "%s/proc/self/mountinfo", tree);
        copy_file(path, root, "proc/self/mountinfo");
        snprintf(path, sizeof(path), "%s/proc/swaps", tree);
        copy_file(path, root, "proc/swaps");
        *ret_has_udev = false;
        snprintf(path, sizeof(path), "%s/dev", tree);
        dir = opendir(path);
        if (!dir)
                return root;
        while ((de = readdir(dir))) {
                char file[8192], db[64], *text, *out, *line, *save = NULL;
                char owner[64] = "", group[64] = "", mode[16] = "";
                unsigned major = 0, minor = 0;
                size_t len, pos = 0;

                if (de->d_name[0] == '.')
                        continue;
                snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
                text = test_read_file(file, &len);
                if (!text)
                        continue;
                out = malloc(len * 2 + 16);
                for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                        sscanf(line, "MAJOR=%u", &major);
                        sscanf(line, "MINOR=%u", &minor);
                        sscanf(line, "OWNER=%63s", owner);
                        sscanf(line, "GROUP=%63s", group);
                        sscanf(line, "MODE=%15s", mode);
                        pos += (size_t)sprintf(out + pos, "E:%s\n", line);
                }
                snprintf(db, sizeof(db), "run/udev/data/b%u:%u", major, minor);
                tree_write_len(root, db, out, pos);
                if (owner[0] && group[0] && mode[0])
                        make_node(root, de->d_name, major, minor, owner, group, mode);
                *ret_has_udev = true;
                free(out);
                free(text);
        }
        closedir(dir);
        return root;
}

static void test_fixtures_against_lsblk(void)
{
        int trees_with_disks = 0;
        unsigned fields = 0, agreeing = 0;

        for (size_t i = 0; i < sizeof(archives) / sizeof(archives[0]); i++) {
                char *tree = test_shared_fixture_dir(archives[i]);
                char json[4096], udev_dir[4096], mountinfo[4096];
                struct lsblk_table *table = NULL;
                struct devlist blocks, filesystems;
                struct truth_report rep;
                struct glue_context *ctx;
                struct stat st;
                bool has_udev;
                char *root;
                int n;

                check(tree != NULL);
                if (!tree)
                        continue;
                snprintf(json, sizeof(json), "%s/oracle/lsblk-all.json", tree);
                root = make_sysroot(tree, &has_udev);
                ctx = block_test_context(root);
                check_int_eq(block_collect(ctx, "Linux_BlockDevice", 0, &blocks), 0);
                check_int_eq(block_collect(ctx, "Linux_FileSystem", 0, &filesystems), 0);
                n = lsblk_table_load(json, &table);
                check(n >= 0);
                snprintf(udev_dir, sizeof(udev_dir), "%s/dev", tree);
                snprintf(mountinfo, sizeof(mountinfo), "%s/proc/self/mountinfo", tree);
                truth_compare(archives[i], table,
                              &(struct truth_instances){ .blocks = &blocks,
                                                         .filesystems = &filesystems },
                              &(struct truth_opts){
                                      .tree = root,
                                      .udev_file_dir = has_udev ? udev_dir : NULL,
                                      .mountinfo = stat(mountinfo, &st) == 0 ? mountinfo : NULL,
                              },
                              &rep);
                printf("# %s: %zu block devices, %zu filesystems, %d lsblk rows\n", archives[i],
                       blocks.count, filesystems.count, n);
                check_int_eq(rep.rows, n > 0 ? n : 0);
                check_int_eq(rep.disagreeing, 0);
                fields += rep.fields;
                agreeing += rep.agreeing + rep.deliberate;
                /* Deliberate: lsblk skips devices without a dev file (node_exporter's and
                 * procfs's hand-merged trees have none); the provider posts every directory
                 * with a size or stat file, its device number NULL. */
                if (n > 0)
                        trees_with_disks++;
                else
                        check(blocks.count > 0);

                lsblk_table_free(table);
                devlist_free(&blocks);
                devlist_free(&filesystems);
                glue_context_unref(ctx);
                tree_remove(root);
                free(root);
                free(tree);
        }
        printf("# every tree: %u fields, %u agreeing or differing for a listed reason: %.1f%%\n",
               fields, agreeing, fields ? 100.0 * agreeing / fields : 0.0);
        check(fields > 0 && agreeing == fields);
        check(trees_with_disks >= 5);
}

/* The hwloc tree has a udev database of its own (lsblk --sysroot ignores it): read directly
 * under a sysroot, it gives the disk's model, serial, WWN and partition table. */
static void test_fixture_udev_database(void)
{
        char *tree = test_shared_fixture_dir("hwloc-32em64t-2n8c-1mic.tar.xz");
        struct glue_context *ctx;
        struct devlist list;
        struct glue_instance *sda;

        check(tree != NULL);
        if (!tree)
                return;
        ctx = block_test_context(tree);
        check_int_eq(block_collect(ctx, "Linux_DiskDrive", 0, &list), 0);
        sda = devlist_find(&list, "sda");
        check(sda != NULL);
        /* run/udev/data/b8:0: ID_MODEL_ENC=MTFDDAK256MAM-1K12\x20..., ID_SERIAL_SHORT,
         * ID_WWN_WITH_EXTENSION, ID_PART_TABLE_TYPE */
        check_str_eq(prop_str(sda, "Model"), "MTFDDAK256MAM-1K12");
        check_str_eq(prop_str(sda, "SerialNumber"), "14090C05022B");
        check_str_eq(prop_str(sda, "WWN"), "0x500a07510c05022b");
        check_str_eq(prop_str(sda, "FirmwareRevision"), "08TH");
        check_str_eq(prop_str(sda, "PartitionTableType"), "dos");
        check_str_eq(prop_str(sda, "PartitionTableUUID"), "3490708a");
        devlist_free(&list);
        glue_context_unref(ctx);
        free(tree);
}

TEST_MAIN(test_fixtures_against_lsblk, test_fixture_udev_database)
