/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The hwglue command itself, over the test schema and providers instead of the built-in ones.
 * With $HWGLUE_TEST_COUNTS set it writes the test provider's call counts there at exit, so
 * that tests can see whether a query read one device or enumerated them all.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hwglue.h"
#include "test-providers.h"

static void write_counts(void)
{
        const char *path = getenv("HWGLUE_TEST_COUNTS");
        FILE *f;

        if (!path || !(f = fopen(path, "we")))
                return;
        fprintf(f, "enumerate=%u get=%u serial=%u\n", test_counters.enumerate_calls,
                test_counters.get_calls, test_counters.serial_reads);
        fclose(f);
}

int main(int argc, char **argv)
{
        const struct hwglue_setup setup = { .make_context = test_context_new };
        int code = hwglue_main(argc, argv, &setup);

        write_counts();
        return code;
}
