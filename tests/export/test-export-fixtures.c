/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The real hwglue-export, with the built-in schema and providers, on every shared real-world
 * tree: the file is well formed, promtool accepts it, every provider succeeds, and each PCI
 * function lspci listed for the tree has its _info series.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "export-test-context.h"
#include "export-test-process.h"
#include "test-util.h"

/* Did lspci -vmm -n read the tree (rc=0 in COMMANDS.tsv)? Its output then, owned. */
static char *lspci_oracle(const char *root)
{
        char *path = NULL, *commands, *text = NULL;

        if (asprintf(&path, "%s/oracle/COMMANDS.tsv", root) < 0)
                return NULL;
        commands = test_read_file(path, NULL);
        free(path);
        if (commands && strstr(commands, "\nlspci-vmm-n.txt\trc=0\t") &&
            asprintf(&path, "%s/oracle/lspci-vmm-n.txt", root) >= 0) {
                text = test_read_file(path, NULL);
                free(path);
        }
        free(commands);
        return text;
}

/* Every function lspci lists ("Slot:\t0000:00:1c.2") is a device_id of some _info series, and
 * the pci provider delivered as many as lspci listed. */
static void check_pci_against_lspci(const char *root, const char *text)
{
        char *oracle = lspci_oracle(root), *expected = NULL;
        size_t functions = 0;

        if (!oracle)
                return;
        for (const char *p = oracle; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
                char slot[64], needle[96];

                /* Only "Slot:" at the start of a line: "PhySlot:" is another field. */
                if (strncmp(p, "Slot:\t", 6) != 0 || sscanf(p + 6, "%63s", slot) != 1)
                        continue;
                functions++;
                snprintf(needle, sizeof(needle), "_info{device_id=\"%s\"", slot);
                if (!strstr(text, needle)) {
                        fprintf(stderr, "%s: no _info series for PCI function %s\n", root, slot);
                        test_failures++;
                }
        }
        check(asprintf(&expected, "hwglue_collector_instances{provider=\"pci\"} %zu", functions) > 0);
        if (expected && !export_test_has_line(text, expected)) {
                fprintf(stderr, "%s: lspci lists %zu functions, but not: %s\n", root, functions,
                        expected);
                test_failures++;
        }
        free(expected);
        free(oracle);
}

static void check_fixture(const char *program, const char *archive, const char *out_dir)
{
        char *root = test_shared_fixture_dir(archive), *out = NULL, *umockdev = NULL, *output = NULL;
        char *text;
        const char *problem;

        check(root != NULL);
        if (!root)
                return;
        check(asprintf(&out, "%s/hwglue.prom", out_dir) > 0);
        check(asprintf(&umockdev, "UMOCKDEV_DIR=%s", root) > 0);
        {
                /* libudev and libsensors read /sys itself: umockdev's preload shows them the tree. */
                const char *const environment[] = { umockdev,
                                                    "LD_PRELOAD=libumockdev-preload.so.0", NULL };
                const struct export_test_spawn spawn = { .environment = environment };
                char *argv[] = { (char *)program, (char *)"--sysroot", root, (char *)"--option",
                                 (char *)"sensors.config=", (char *)"--timeout", (char *)"60000",
                                 (char *)"--textfile", out, NULL };
                int r = export_test_run(argv, &spawn, 120000, &output);

                if (r != 0)
                        fprintf(stderr, "%s: hwglue-export: status %d\n%s", archive, r, output);
                check_int_eq(r, 0);
        }
        text = test_read_file(out, NULL);
        problem = text ? export_test_check_exposition(text) : "no file";
        if (problem) {
                fprintf(stderr, "%s: %s\n", archive, problem);
                test_failures++;
        }
        check_int_eq(export_test_promtool_check(out), 0);
        if (text) {
                /* A real tree, odd parts and all, is no reason for a provider to fail. */
                for (const char *p = text; (p = strstr(p, "\nhwglue_collector_success{")); p++) {
                        const char *eol = strchr(p + 1, '\n');

                        if (eol && eol[-1] != '1') {
                                fprintf(stderr, "%s: %.*s\n%s", archive, (int)(eol - p - 1), p + 1,
                                        output ? output : "");
                                test_failures++;
                        }
                }
                check(strstr(text, "\nhwglue_collector_success{provider=\"pci\"} 1\n") != NULL);
                check_pci_against_lspci(root, text);
        }
        printf("# %s: %zu series\n", archive, text ? export_test_count(text, "\nhwglue_") : 0);
        free(text);
        free(output);
        free(umockdev);
        free(out);
        free(root);
}

static void test_every_shared_fixture(void)
{
        const char *program = getenv("HWGLUE_EXPORT_PROGRAM");
        const char *fixtures = test_shared_fixtures();
        char *out_dir = export_test_make_directory();
        DIR *d = opendir(fixtures);
        struct dirent *entry;
        size_t n = 0;

        check(program != NULL && d != NULL);
        while (program && d && (entry = readdir(d))) {
                size_t len = strlen(entry->d_name);
                char archive[256];

                /* The unpacker leaves ".<archive>.stamp" beside each tree. */
                if (entry->d_name[0] != '.' || len < 8 || len - 7 >= sizeof(archive) ||
                    strcmp(entry->d_name + len - 6, ".stamp") != 0)
                        continue;
                memcpy(archive, entry->d_name + 1, len - 7);
                archive[len - 7] = '\0';
                check_fixture(program, archive, out_dir);
                n++;
        }
        if (d)
                closedir(d);
        check(n > 0);
        export_test_remove_directory(out_dir);
        free(out_dir);
}

/* Write text into a file of the tree (an attribute as a hostile driver would fill it). */
static void plant(const char *root, const char *relative, const char *text)
{
        char *path = NULL;
        FILE *f;

        check(asprintf(&path, "%s/%s", root, relative) > 0);
        f = path ? fopen(path, "w") : NULL;
        check(f != NULL);
        if (f) {
                fputs(text, f);
                check(fclose(f) == 0);
        }
        free(path);
}

/*
 * Control bytes in what a device says about itself (an ESC sequence, a BEL and a C1 CSI in a
 * dm name), planted in a copy of a real tree: the file holds them as the text \xHH, never as
 * bytes, so that `cat hwglue.prom` cannot drive the terminal; `hwglue get` still shows the raw
 * value. (libsensors itself turns control bytes in sensor labels into blanks.)
 */
static void test_control_bytes(void)
{
        const char *program = getenv("HWGLUE_EXPORT_PROGRAM"), *hwglue = getenv("HWGLUE_PROGRAM");
        char *fixture = test_shared_fixture_dir("node_exporter.tar.xz");
        char *dir = export_test_make_directory(), *root = NULL, *out = NULL, *umockdev = NULL;
        char *text = NULL, *output = NULL;
        char *cp[] = { (char *)"cp", (char *)"-a", fixture, NULL, NULL };

        check(program && hwglue && fixture);
        if (!program || !hwglue || !fixture)
                goto out;
        check(asprintf(&root, "%s/tree", dir) > 0 && asprintf(&out, "%s/hwglue.prom", dir) > 0 &&
              asprintf(&umockdev, "UMOCKDEV_DIR=%s", root) > 0);
        cp[3] = root;
        check_int_eq(export_test_run(cp, NULL, 60000, NULL), 0);
        plant(root, "sys/block/dm-7/dm/name", "vg0\x1b[31m-root\x07\xc2\x9b" "2J\n");
        {
                const char *const environment[] = { umockdev, "LD_PRELOAD=libumockdev-preload.so.0",
                                                    NULL };
                const struct export_test_spawn spawn = { .environment = environment };
                char *argv[] = { (char *)program, (char *)"--sysroot", root, (char *)"--option",
                                 (char *)"sensors.config=", (char *)"--textfile", out, NULL };
                char *get[] = { (char *)hwglue, (char *)"--sysroot", root, (char *)"get",
                                (char *)"--json", (char *)"Linux_BlockDevice.DeviceID=\"dm-7\"", NULL };

                check_int_eq(export_test_run(argv, &spawn, 120000, NULL), 0);
                text = test_read_file(out, NULL);
                check_int_eq(export_test_run(get, NULL, 120000, &output), 0);
        }
        check(text != NULL);
        if (!text)
                goto out;
        for (const unsigned char *p = (const unsigned char *)text; *p; p++)
                if ((*p < 0x20 && *p != '\n') || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 &&
                                                                  p[1] <= 0x9f)) {
                        fprintf(stderr, "a control character in the file at byte %zu\n",
                                (size_t)(p - (const unsigned char *)text));
                        test_failures++;
                        break;
                }
        check(strstr(text, "{name=\"vg0\\\\x1b[31m-root\\\\x07\\\\x9b2J\",device_id=\"dm-7\"") != NULL);
        check(export_test_check_exposition(text) == NULL);
        check_int_eq(export_test_promtool_check(out), 0);
        /* The raw name, as JSON escapes it. */
        check(output && strstr(output, "\"vg0\\u001b[31m-root\\u0007"));
        if (output && !strstr(output, "\"vg0\\u001b[31m-root\\u0007"))
                fprintf(stderr, "%s", output);
out:
        if (root) {
                char *rm[] = { (char *)"rm", (char *)"-rf", root, NULL };

                check_int_eq(export_test_run(rm, NULL, 60000, NULL), 0);
        }
        free(output);
        free(text);
        free(umockdev);
        free(out);
        free(root);
        free(fixture);
        export_test_remove_directory(dir);
        free(dir);
}

TEST_MAIN(test_every_shared_fixture, test_control_bytes)
