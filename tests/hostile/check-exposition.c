/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check-exposition FILE: the exporter tests' strict reader of the exposition text, for the
 * shell tests. promtool lets a series that appears twice pass; node_exporter's textfile
 * collector then fails the whole scrape. Exit 0 if FILE is well formed, 1 with the reason.
 */
#include <stdio.h>
#include <stdlib.h>

#include "export-test-context.h"
#include "test-util.h"

int main(int argc, char **argv)
{
        const char *problem;
        char *text;

        if (argc != 2) {
                fprintf(stderr, "Usage: check-exposition FILE\n");
                return 2;
        }
        text = test_read_file(argv[1], NULL);
        if (!text) {
                fprintf(stderr, "check-exposition: cannot read %s\n", argv[1]);
                return 2;
        }
        problem = export_test_check_exposition(text);
        if (problem)
                fprintf(stderr, "check-exposition: %s\n", problem);
        free(text);
        return problem ? 1 : 0;
}
