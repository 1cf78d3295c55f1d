/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * This machine's block devices against what `lsblk -J -O -b -a` prints now: every column of
 * every row against the property that carries it (lsblk-truth.c). Nothing is hard-coded: the
 * expectations come from running lsblk at test time. Other programs add and remove loop and
 * zram devices meanwhile, so the providers enumerate before and after lsblk runs: a field
 * agrees if it matches either, and a device gone by the end is counted as vanished.
 */
#include <stdlib.h>

#include "block-test.h"
#include "lsblk-truth.h"

static void test_live_system_against_lsblk(void)
{
        struct glue_context *ctx = block_test_context(NULL);
        struct devlist blocks[2], filesystems[2];
        struct lsblk_table *table = NULL;
        struct truth_report rep;
        int n;

        check_int_eq(block_collect(ctx, "Linux_BlockDevice", 0, &blocks[0]), 0);
        check_int_eq(block_collect(ctx, "Linux_FileSystem", 0, &filesystems[0]), 0);
        n = lsblk_table_load(NULL, &table);
        check(n >= 0);
        check_int_eq(block_collect(ctx, "Linux_BlockDevice", 0, &blocks[1]), 0);
        check_int_eq(block_collect(ctx, "Linux_FileSystem", 0, &filesystems[1]), 0);
        truth_compare("this machine", table,
                      &(struct truth_instances){
                              .blocks = &blocks[0],
                              .filesystems = &filesystems[0],
                              .blocks_after = &blocks[1],
                              .filesystems_after = &filesystems[1],
                      },
                      &(struct truth_opts){ .tree = "", .live = true }, &rep);
        check_int_eq(rep.rows + rep.rows_vanished, n > 0 ? n : 0);
        check(rep.rows > 0);
        check_int_eq(rep.disagreeing, 0);
        /* lsblk -a lists every device of sys/block and their partitions; the provider has
         * them all, and nothing twice */
        for (size_t i = 0; i < blocks[0].count; i++)
                check_int_eq(devlist_count_id(&blocks[0], prop_str(blocks[0].items[i], "DeviceID")),
                             1);
        lsblk_table_free(table);
        for (int s = 0; s < 2; s++) {
                devlist_free(&blocks[s]);
                devlist_free(&filesystems[s]);
        }
        glue_context_unref(ctx);
}

TEST_MAIN(test_live_system_against_lsblk)
