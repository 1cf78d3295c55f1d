/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hwglue-export's command line over the test schema: what the tests run, kill and starve.
 *   HWGLUE_EXPORT_TEST_DISKS=N     test-disks posts N disks (a big file takes long to write)
 *   HWGLUE_EXPORT_TEST_SLOW_MS=MS  test-sensors waits MS before posting (a write in progress)
 */
#include <stdlib.h>

#include "export-test-context.h"
#include "export.h"

int main(int argc, char **argv)
{
        const char *disks = getenv("HWGLUE_EXPORT_TEST_DISKS");
        const char *slow = getenv("HWGLUE_EXPORT_TEST_SLOW_MS");

        if (disks)
                export_test_disk_count = (unsigned)strtoul(disks, NULL, 10);
        if (slow)
                export_test_sensors_delay_ms = (unsigned)strtoul(slow, NULL, 10);
        return export_main(argc, argv, export_test_context_new);
}
