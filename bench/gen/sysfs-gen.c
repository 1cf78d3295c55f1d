/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysfs-gen: make a synthetic sysfs tree for the benchmarks.
 *
 *   sysfs-gen [--seed S] KIND N OUT
 *
 * KIND is block (N block devices: disks, partitions, loops), pci (N PCI functions), hwmon (N chips
 * of 8 features) or all (N of each). OUT gets OUT/sys and nothing else, so that it serves both as
 * a sysroot and as UMOCKDEV_DIR. OUT must not hold an older tree: the counts would be off.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysfs-gen.h"

static void usage(FILE *out)
{
        fputs("usage: sysfs-gen [--seed S] block|pci|hwmon|all N OUT\n", out);
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "seed", required_argument, NULL, 's' },
                { "help", no_argument, NULL, 'h' },
                {},
        };
        unsigned long long seed = 1;
        unsigned long count;
        const char *kind;
        struct gen g;
        char *end;
        int c, r;

        while ((c = getopt_long(argc, argv, "s:h", options, NULL)) >= 0) {
                switch (c) {
                case 's':
                        seed = strtoull(optarg, &end, 0);
                        if (*end) {
                                fprintf(stderr, "sysfs-gen: bad seed '%s'\n", optarg);
                                return 2;
                        }
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (argc - optind != 3) {
                usage(stderr);
                return 2;
        }
        kind = argv[optind];
        errno = 0;
        count = strtoul(argv[optind + 1], &end, 10);
        if (errno || *end || count == 0 || count > 30000) {
                fprintf(stderr, "sysfs-gen: N must be 1 to 30000, not '%s'\n", argv[optind + 1]);
                return 2;
        }
        if (strcmp(kind, "block") && strcmp(kind, "pci") && strcmp(kind, "hwmon") &&
            strcmp(kind, "all")) {
                usage(stderr);
                return 2;
        }
        r = gen_open(&g, argv[optind + 2], seed);
        if (r < 0) {
                fprintf(stderr, "sysfs-gen: %s: %s\n", argv[optind + 2], strerror(-r));
                return 1;
        }
        if (!strcmp(kind, "pci") || !strcmp(kind, "all"))
                gen_pci(&g, (unsigned)count);
        if (!strcmp(kind, "block") || !strcmp(kind, "all"))
                gen_block(&g, (unsigned)count);
        if (!strcmp(kind, "hwmon") || !strcmp(kind, "all"))
                gen_hwmon(&g, (unsigned)count);
        r = g.error;
        gen_close(&g);
        return r < 0 ? 1 : 0;
}
