/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * This machine's block devices against what `lsblk -b -J -O -a` prints now: the same devices,
 * with the same size, sector sizes, flags, model, serial, WWN, type, parent and transport.
 * Nothing is hard-coded: the expectations come from running lsblk at test time.
 */
#include <stdlib.h>

#include "block-test.h"

static void test_live_system_against_lsblk(void)
{
        struct glue_context *ctx = block_test_context(NULL);
        struct lsblk_row *rows = NULL;
        struct devlist list;
        int n, compared;

        check_int_eq(block_collect(ctx, "Linux_BlockDevice", 0, &list), 0);
        n = lsblk_rows(NULL, &rows);
        check(n >= 0);
        compared = compare_with_lsblk(&list, rows, n > 0 ? n : 0,
                                      &(struct compare_opts){ .tree = "" });
        printf("# %zu instances, %d lsblk rows compared\n", list.count, compared);
        check_int_eq(compared, n);
        /* lsblk -a lists every device of sys/block and their partitions; the provider has
         * them all, and nothing twice */
        for (size_t i = 0; i < list.count; i++)
                check_int_eq(devlist_count_id(&list, prop_str(list.items[i], "DeviceID")), 1);
        lsblk_rows_free(rows, n);
        devlist_free(&list);
        glue_context_unref(ctx);
}

TEST_MAIN(test_live_system_against_lsblk)
