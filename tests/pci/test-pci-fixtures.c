/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every PCI-bearing tree of ../shared/fixtures against what lspci (pciutils 3.9) printed for it,
 * field by field: of oracle/lspci-vmm-nn-k.txt the IDs and names, class, prog-if, revision,
 * driver, module, NUMA node, IOMMU group and physical slot; of oracle/lspci-vvv-nn.txt the BARs,
 * expansion ROM, bridge windows, capabilities, link and prog-if name. It prints the share of
 * agreeing fields and fails below 100%, but for the differences listed below with their
 * reasons.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci-test.h"
#include "pci-truth.h"

static size_t trees_checked, functions_checked;
static struct truth_tally vmm_tally, vvv_tally;

/*
 * Where hwglue and lspci differ on purpose. Each entry names the tree, the function and the
 * field (as the tally prints them) and says why.
 */
static const struct truth_exception exceptions[] = {
        { "systemd", "0000:00:1f.1", "Region 1 address",
          "the legacy IDE control port is 0x3f6 (the kernel's resource); lspci rounds an I/O "
          "address down to 4 bytes, as a BAR register would hold it" },
        { "systemd", "0000:00:1f.1", "Region 3 address", "the same for port 0x376" },
        { "systemd", "0000:00:1f.1", "Region 1 size",
          "0x3f6-0x3f6 is one port; libpci takes a resource whose end equals its start for "
          "no size" },
        { "systemd", "0000:00:1f.1", "Region 3 size", "the same for port 0x376" },
        { "systemd", "0000:15:00.0", "Capabilities count",
          "a CardBus bridge keeps its capability pointer at 0x14; libpci 3.9 reads it at "
          "0x34 (lspci walks the list itself)" },
        { "32em64t-2n8c+1mic", "0000:82:00.0", "Expansion ROM",
          "the kernel lists no ROM (its resource line is zero); lspci shows the address left "
          "in the ROM register as <ignored>" },
        { "32em64t-2n8c+1mic", "0000:82:00.0", "Expansion ROM size", "the same ROM" },
        { NULL, NULL, NULL, NULL },
};

/*
 * What lspci's stderr says about the -vvv oracle: "pcilib: Cannot open .../SLOT/config" (that
 * function's capabilities are unknown to lspci, not absent), and whether the command exited
 * non-zero (COMMANDS.tsv): then lspci stopped inside its last function (these trees lack files
 * it takes for fatal: resource), whose lines after the first are missing, not empty.
 */
static void read_oracle_notes(const char *dir, struct vvv_function *functions, size_t count)
{
        char path[4096], *commands, *stderr_text, *line, *save = NULL;
        const char *rc;

        snprintf(path, sizeof(path), "%s/oracle/lspci-vvv-nn.txt.stderr", dir);
        stderr_text = test_read_file(path, NULL);
        snprintf(path, sizeof(path), "%s/oracle/COMMANDS.tsv", dir);
        commands = test_read_file(path, NULL);
        rc = commands ? strstr(commands, "lspci-vvv-nn.txt\trc=") : NULL;
        if (rc && strncmp(rc + strlen("lspci-vvv-nn.txt\trc="), "0\t", 2) != 0 && count > 0) {
                functions[count - 1].cut_short = true;
                printf("# %s: lspci -vvv exited early; only the first line of %s is compared\n",
                       dir, functions[count - 1].slot);
        }
        for (line = stderr_text ? strtok_r(stderr_text, "\n", &save) : NULL; line;
             line = strtok_r(NULL, "\n", &save)) {
                const char *end = strstr(line, "/config");

                printf("# %s: lspci said: %s\n", dir, line);
                for (size_t i = 0; end && i < count; i++) {
                        size_t len = strlen(functions[i].slot);

                        if ((size_t)(end - line) > len &&
                            strncmp(end - len, functions[i].slot, len) == 0)
                                functions[i].no_config = true;
                }
        }
        free(stderr_text);
        free(commands);
}

static void check_tree(const char *dir)
{
        struct vmm_record *records = NULL;
        struct vvv_function *functions = NULL;
        size_t record_count, function_count = 0, count = 0;
        struct glue_instance **list = NULL;
        struct glue_context *ctx;
        const char *tree = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
        char path[4096], *text;
        int r;

        snprintf(path, sizeof(path), "%s/oracle/lspci-vmm-nn-k.txt", dir);
        text = test_read_file(path, NULL);
        if (!text)
                return; /* no PCI in this tree */
        record_count = vmm_parse(text, &records);
        free(text);
        snprintf(path, sizeof(path), "%s/oracle/lspci-vvv-nn.txt", dir);
        text = test_read_file(path, NULL);
        function_count = text ? vvv_parse(text, &functions) : 0;
        free(text);
        read_oracle_notes(dir, functions, function_count);

        /* The names: the oracles were made with the pci.ids of this project's CI image. */
        ctx = pci_test_context(dir, NULL);
        r = pci_test_collect(ctx, "Linux_PCIDevice", 0, NULL, 0, &list, &count);
        check_int_eq(r, 0);
        /* Every entry of devices/ is a readable function in these trees, including the one
         * lspci gives up on (lact-amd-rx6900xt: NUL-padded attributes, read from config). */
        check_int_eq(count, pci_test_count_devices(dir));
        printf("# %s: %zu functions, lspci -vmm %zu, -vvv %zu\n", tree, count, record_count,
               function_count);
        vmm_tally.tree = vvv_tally.tree = tree;
        for (size_t i = 0; i < record_count; i++) {
                const char *slot = vmm_get(&records[i], "Slot");
                struct glue_instance *inst = slot ? pci_test_find(list, count, slot) : NULL;
                const struct vvv_function *fn = slot ? vvv_find(functions, function_count, slot)
                                                     : NULL;

                truth_record(&vmm_tally, slot ? slot : "?", "Slot", inst != NULL, "listed",
                             "missing");
                if (!inst)
                        continue;
                truth_compare_vmm(&vmm_tally, inst, &records[i], true);
                if (fn)
                        truth_compare_vvv(&vvv_tally, inst, fn);
                functions_checked++;
        }
        glue_instance_list_free(list, count);
        glue_context_unref(ctx);
        vmm_free(records, record_count);
        vvv_free(functions, function_count);
        trees_checked++;
}

static void test_every_shared_tree(void)
{
        vmm_tally.exceptions = vvv_tally.exceptions = exceptions;
        const char *root = test_shared_fixtures();
        struct dirent *entry;
        DIR *dir = opendir(root);

        check(dir != NULL);
        if (!dir)
                return;
        /* Each archive left a ".NAME.tar.xz.stamp" naming the folder it made. */
        while ((entry = readdir(dir))) {
                size_t len = strlen(entry->d_name);
                char archive[256];
                char *tree;

                if (entry->d_name[0] != '.' || len < 7 || len - 7 >= sizeof(archive) ||
                    strcmp(entry->d_name + len - 6, ".stamp") != 0)
                        continue;
                memcpy(archive, entry->d_name + 1, len - 7);
                archive[len - 7] = '\0';
                tree = test_shared_fixture_dir(archive);
                if (tree)
                        check_tree(tree);
                free(tree);
        }
        closedir(dir);
        /* systemd, node_exporter, procfs, hwloc and the four lact trees hold PCI functions. */
        check(trees_checked >= 8);
        check(functions_checked >= 160);
        printf("# %zu trees, %zu functions compared with lspci\n", trees_checked,
               functions_checked);
        check(truth_report(&vmm_tally, "lspci -vmm -nn -k"));
        check(truth_report(&vvv_tally, "lspci -vvv -nn"));
        /* The fields that the trees have: a comparison that stopped finding them would pass
         * vacuously. */
        check(vmm_tally.compared >= 2500);
        check(vvv_tally.compared >= 800);
}

TEST_MAIN(test_every_shared_tree)
