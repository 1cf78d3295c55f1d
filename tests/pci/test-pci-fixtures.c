/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every PCI-bearing tree of ../shared/fixtures against what lspci (pciutils 3.9) printed for it:
 * for every function of oracle/lspci-vmm-n.txt the IDs, class, prog-if, revision, NUMA node,
 * IOMMU group and physical slot, and the driver of oracle/lspci-vmm-nn-k.txt, field by field.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci-test.h"

static size_t trees_checked, functions_checked;

static void check_string_field(const struct glue_instance *inst, const char *property,
                               const char *expected, const char *where)
{
        const char *value = NULL;
        int r = glue_instance_get_string(inst, property, &value);

        if (!expected) {
                if (r != -ENODATA) {
                        fprintf(stderr, "%s: %s: lspci shows none, hwglue \"%s\"\n", where,
                                property, r == 0 ? value : "?");
                        test_failures++;
                }
                return;
        }
        if (r != 0 || strcmp(value, expected) != 0) {
                fprintf(stderr, "%s: %s: lspci \"%s\", hwglue \"%s\"\n", where, property,
                        expected, r == 0 ? value : "(null)");
                test_failures++;
        }
}

static void check_function(const struct glue_instance *inst, const struct vmm_record *ids,
                           const struct vmm_record *with_driver, const char *where)
{
        const char *class_text = vmm_get(ids, "Class");
        uint64_t class_code = 0, subclass_code = 0;
        int64_t numa_node = -1;

        pci_test_check_hex(inst, "VendorID", vmm_get(ids, "Vendor"), 0, where);
        pci_test_check_hex(inst, "PCIDeviceID", vmm_get(ids, "Device"), 0, where);
        /* lspci omits SVendor/SDevice for 0000 and ffff, and Rev for 00. */
        pci_test_check_hex(inst, "SubsystemVendorID", vmm_get(ids, "SVendor"), UINT64_MAX, where);
        pci_test_check_hex(inst, "SubsystemID", vmm_get(ids, "SDevice"), UINT64_MAX, where);
        pci_test_check_hex(inst, "RevisionID", vmm_get(ids, "Rev"), 0, where);
        pci_test_check_hex(inst, "ProgrammingInterface", vmm_get(ids, "ProgIf"), 0, where);
        check(class_text != NULL);
        check_int_eq(glue_instance_get_uint(inst, "ClassCode", &class_code), 0);
        check_int_eq(glue_instance_get_uint(inst, "SubclassCode", &subclass_code), 0);
        if (class_text && (class_code << 8 | subclass_code) != strtoull(class_text, NULL, 16)) {
                fprintf(stderr, "%s: Class: lspci %s, hwglue %02x%02x\n", where, class_text,
                        (unsigned)class_code, (unsigned)subclass_code);
                test_failures++;
        }
        if (vmm_get(ids, "NUMANode")) {
                check_int_eq(glue_instance_get_sint(inst, "NUMANode", &numa_node), 0);
                check_int_eq(numa_node, strtoll(vmm_get(ids, "NUMANode"), NULL, 10));
        } else {
                check_int_eq(glue_instance_get_sint(inst, "NUMANode", &numa_node), -ENODATA);
        }
        if (vmm_get(ids, "IOMMUGroup")) {
                uint64_t group = 0;

                check_int_eq(glue_instance_get_uint(inst, "IOMMUGroup", &group), 0);
                check_int_eq(group, strtoull(vmm_get(ids, "IOMMUGroup"), NULL, 10));
        } else {
                uint64_t group;

                check_int_eq(glue_instance_get_uint(inst, "IOMMUGroup", &group), -ENODATA);
        }
        check_string_field(inst, "PhysicalSlot", vmm_get(ids, "PhySlot"), where);
        if (with_driver)
                check_string_field(inst, "Driver", vmm_get(with_driver, "Driver"), where);
}

static void check_tree(const char *dir)
{
        struct vmm_record *ids = NULL, *drivers = NULL;
        size_t id_count, driver_count, count = 0;
        struct glue_instance **list = NULL;
        struct glue_context *ctx;
        char path[4096], *text;
        int r;

        snprintf(path, sizeof(path), "%s/oracle/lspci-vmm-n.txt", dir);
        text = test_read_file(path, NULL);
        if (!text)
                return; /* no PCI in this tree */
        id_count = vmm_parse(text, &ids);
        free(text);
        snprintf(path, sizeof(path), "%s/oracle/lspci-vmm-nn-k.txt", dir);
        text = test_read_file(path, NULL);
        driver_count = text ? vmm_parse(text, &drivers) : 0;
        free(text);

        ctx = pci_test_context(dir, NULL);
        r = pci_test_collect(ctx, "Linux_PCIDevice", 0, NULL, 0, &list, &count);
        check_int_eq(r, 0);
        /* Every entry of devices/ is a readable function in these trees, including the one
         * lspci gives up on (lact-amd-rx6900xt: NUL-padded attributes, read from config). */
        check_int_eq(count, pci_test_count_devices(dir));
        printf("# %s: %zu functions, lspci %zu\n", dir, count, id_count);

        for (size_t i = 0; i < id_count; i++) {
                const char *slot = vmm_get(&ids[i], "Slot");
                struct glue_instance *inst = slot ? pci_test_find(list, count, slot) : NULL;
                char where[4200];

                snprintf(where, sizeof(where), "%s %s", dir, slot ? slot : "?");
                if (!inst) {
                        fprintf(stderr, "%s: missing\n", where);
                        test_failures++;
                        continue;
                }
                check_function(inst, &ids[i], vmm_find(drivers, driver_count, slot), where);
                functions_checked++;
        }
        glue_instance_list_free(list, count);
        glue_context_unref(ctx);
        vmm_free(ids, id_count);
        vmm_free(drivers, driver_count);
        trees_checked++;
}

static void test_every_shared_tree(void)
{
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
}

TEST_MAIN(test_every_shared_tree)
