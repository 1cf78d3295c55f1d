/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The provider against lsblk on every recorded tree of ../shared/fixtures: for each device that
 * lsblk -J -O -b -a --sysroot listed in the tree's oracle/, the same size, sector sizes, RO,
 * RM, ROTA, model, serial, WWN, type, parent and transport (deliberate differences are listed
 * in block-test.c where they are allowed).
 *
 * lsblk --sysroot reads no udev database: the util-linux dumps give it a properties file per
 * device in dev/ instead. So that both tools read the same data, the provider runs on a sysroot
 * made of the tree's sys/ and a run/udev/data database written from those files (E:KEY=value
 * lines, the database's own format); the tree's own run/udev/data, which lsblk never read, is
 * tested on its own below.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block-test.h"

static const char *const archives[] = {
        "systemd.tar.xz",
        "node_exporter.tar.xz",
        "procfs.tar.xz",
        "util-linux-simple-nvme.tar.xz",
        "util-linux-simple-lvm.tar.xz",
        "util-linux-multi-devs-bcachefs.tar.xz",
        "hwloc-32em64t-2n8c-1mic.tar.xz",
};

/* A sysroot holding a link to the tree's sys/ and a udev database from its dev/ files. */
static char *make_sysroot(const char *tree, bool *ret_has_udev)
{
        char *root = tree_new(), path[4096];
        struct dirent *de;
        DIR *dir;

        snprintf(path, sizeof(path), "%s/sys", tree);
        tree_link(root, "sys", path);
        *ret_has_udev = false;
        snprintf(path, sizeof(path), "%s/dev", tree);
        dir = opendir(path);
        if (!dir)
                return root;
        while ((de = readdir(dir))) {
                char file[8192], db[64], *text, *out, *line;
                unsigned major = 0, minor = 0;
                size_t len, pos = 0;

                if (de->d_name[0] == '.')
                        continue;
                snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
                text = test_read_file(file, &len);
                if (!text)
                        continue;
                out = malloc(len * 2 + 16);
                for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
                        sscanf(line, "MAJOR=%u", &major);
                        sscanf(line, "MINOR=%u", &minor);
                        pos += (size_t)sprintf(out + pos, "E:%s\n", line);
                }
                snprintf(db, sizeof(db), "run/udev/data/b%u:%u", major, minor);
                tree_write_len(root, db, out, pos);
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

        for (size_t i = 0; i < sizeof(archives) / sizeof(archives[0]); i++) {
                char *tree = test_shared_fixture_dir(archives[i]);
                char json[4096], udev_dir[4096];
                struct lsblk_row *rows = NULL;
                struct devlist list;
                struct glue_context *ctx;
                bool has_udev;
                char *root;
                int n, r, compared;

                check(tree != NULL);
                if (!tree)
                        continue;
                root = make_sysroot(tree, &has_udev);
                ctx = block_test_context(root);
                r = block_collect(ctx, "Linux_BlockDevice", 0, &list);
                check_int_eq(r, 0);

                snprintf(json, sizeof(json), "%s/oracle/lsblk-all.json", tree);
                n = lsblk_rows(json, &rows);
                check(n >= 0);
                snprintf(udev_dir, sizeof(udev_dir), "%s/dev", tree);
                compared = compare_with_lsblk(&list, rows, n > 0 ? n : 0,
                                              &(struct compare_opts){
                                                      .tree = root,
                                                      .udev_file_dir = has_udev ? udev_dir : NULL,
                                              });
                printf("# %s: %zu instances, %d lsblk rows compared\n", archives[i], list.count,
                       compared);
                check_int_eq(compared, n);
                /* Deliberate: lsblk skips devices without a dev file (node_exporter's and
                 * procfs's hand-merged trees have none); the provider posts every directory
                 * with a size or stat file, its device number NULL. */
                check(list.count >= (size_t)(n > 0 ? 1 : 0));
                if (n > 0)
                        trees_with_disks++;
                else
                        check(list.count > 0);

                lsblk_rows_free(rows, n);
                devlist_free(&list);
                glue_context_unref(ctx);
                tree_remove(root);
                free(root);
                free(tree);
        }
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
