/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * This machine's /sys against lspci, run now: the same functions, and field by field what
 * `lspci -vmm -nn -k -D` (IDs, names, driver, NUMA node, IOMMU group, slot) and `lspci -vvv -nn
 * -D` (BARs, ROM, bridge windows, capabilities, link) show. Nothing is hard-coded: whatever the
 * machine has, both must agree on it. As root, lspci reads all of config space and so do the
 * capability properties; as another user both see 64 bytes of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci-test.h"
#include "pci-truth.h"

static char *run_lspci(const char *options)
{
        char command[256];
        char *text = NULL;
        size_t len = 0;
        FILE *pipe, *out = open_memstream(&text, &len);
        char buf[4096];
        size_t n;

        /* The same back end and no hwdb, as the shared oracles were made. */
        snprintf(command, sizeof(command), "lspci -A linux-sysfs -O hwdb.disable=1 %s -D 2>/dev/null",
                 options);
        pipe = popen(command, "r");
        if (!pipe || !out) {
                if (pipe)
                        pclose(pipe);
                if (out)
                        fclose(out);
                free(text);
                return NULL;
        }
        while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0)
                fwrite(buf, 1, n, out);
        if (pclose(pipe) != 0) {
                fclose(out);
                free(text);
                return NULL;
        }
        fclose(out);
        return text;
}

static void test_same_functions_as_lspci(void)
{
        struct glue_instance **list = NULL;
        struct vmm_record *records = NULL;
        size_t record_count, count = 0;
        struct glue_context *ctx;
        char *text = run_lspci("-vmm -n");

        /* pciutils is a build dependency of this project: lspci is there in CI. */
        check(text != NULL);
        if (!text)
                return;
        record_count = vmm_parse(text, &records);
        free(text);

        ctx = pci_test_context(NULL, NULL);
        check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", 0, NULL, 0, &list, &count), 0);
        check_int_eq(count, record_count);
        check_int_eq(count, pci_test_count_devices(""));
        printf("# /sys: %zu functions, lspci %zu\n", count, record_count);

        for (size_t i = 0; i < record_count; i++) {
                const char *slot = vmm_get(&records[i], "Slot");
                struct glue_instance *inst = slot ? pci_test_find(list, count, slot) : NULL;
                uint64_t class_code = 0, subclass_code = 0;

                check(inst != NULL);
                if (!inst)
                        continue;
                pci_test_check_hex(inst, "VendorID", vmm_get(&records[i], "Vendor"), 0, slot);
                pci_test_check_hex(inst, "PCIDeviceID", vmm_get(&records[i], "Device"), 0, slot);
                pci_test_check_hex(inst, "SubsystemVendorID", vmm_get(&records[i], "SVendor"),
                                   UINT64_MAX, slot);
                pci_test_check_hex(inst, "SubsystemID", vmm_get(&records[i], "SDevice"),
                                   UINT64_MAX, slot);
                pci_test_check_hex(inst, "RevisionID", vmm_get(&records[i], "Rev"), 0, slot);
                pci_test_check_hex(inst, "ProgrammingInterface", vmm_get(&records[i], "ProgIf"),
                                   0, slot);
                check_int_eq(glue_instance_get_uint(inst, "ClassCode", &class_code), 0);
                check_int_eq(glue_instance_get_uint(inst, "SubclassCode", &subclass_code), 0);
                check_int_eq(class_code << 8 | subclass_code,
                             strtoull(vmm_get(&records[i], "Class"), NULL, 16));
        }
        glue_instance_list_free(list, count);
        glue_context_unref(ctx);
        vmm_free(records, record_count);
}

static void test_get_each_function_by_key(void)
{
        struct glue_instance **list = NULL;
        struct glue_request *req = NULL;
        size_t count = 0;
        struct glue_context *ctx = pci_test_context(NULL, NULL);

        check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", GLUE_REQUEST_KEYS_ONLY, NULL, 0,
                                      &list, &count), 0);
        check_int_eq(glue_request_new(ctx, &req), 0);
        for (size_t i = 0; i < count; i++) {
                struct glue_instance *got = NULL;
                char *path = NULL;

                check_int_eq(glue_instance_get_path(list[i], &path), 0);
                check_int_eq(glue_request_get(req, path, &got), 0);
                check(got && glue_instance_get_class(got) == glue_instance_get_class(list[i]));
                glue_instance_unref(got);
                free(path);
        }
        glue_request_unref(req);
        glue_instance_list_free(list, count);
        glue_context_unref(ctx);
}

/* No difference is expected on a live system: the list stays empty unless one is found and
 * explained. */
static const struct truth_exception exceptions[] = {
        { NULL, NULL, NULL, NULL },
};

static void test_every_field_as_lspci(void)
{
        char *vmm_text = run_lspci("-vmm -nn -k"), *vvv_text = run_lspci("-vvv -nn");
        struct vmm_record *records = NULL;
        struct vvv_function *functions = NULL;
        struct truth_tally vmm_tally = { .tree = "/sys", .exceptions = exceptions };
        struct truth_tally vvv_tally = { .tree = "/sys", .exceptions = exceptions };
        struct glue_instance **list = NULL;
        size_t record_count, function_count, count = 0;
        struct glue_context *ctx;

        check(vmm_text && vvv_text);
        if (!vmm_text || !vvv_text) {
                free(vmm_text);
                free(vvv_text);
                return;
        }
        record_count = vmm_parse(vmm_text, &records);
        function_count = vvv_parse(vvv_text, &functions);
        ctx = pci_test_context(NULL, NULL);
        check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", 0, NULL, 0, &list, &count), 0);
        check_int_eq(function_count, record_count);
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
                truth_record(&vvv_tally, slot, "-vvv record", fn != NULL, "listed", "missing");
                if (fn)
                        truth_compare_vvv(&vvv_tally, inst, fn);
        }
        check(truth_report(&vmm_tally, "/sys, lspci -vmm -nn -k"));
        check(truth_report(&vvv_tally, "/sys, lspci -vvv -nn"));
        /* At least the IDs of every function were compared. */
        check(vmm_tally.compared >= 8 * record_count);
        glue_instance_list_free(list, count);
        glue_context_unref(ctx);
        vmm_free(records, record_count);
        vvv_free(functions, function_count);
        free(vmm_text);
        free(vvv_text);
}

TEST_MAIN(test_same_functions_as_lspci, test_every_field_as_lspci, test_get_each_function_by_key)
