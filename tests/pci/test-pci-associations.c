/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Linux_PCIDeviceControlledBy against lspci -t, run now on the same tree: on every tree of
 * ../shared/fixtures with PCI functions, on a generated 1,000-function tree and on this
 * machine's /sys, each function's upstream bridge is the parent lspci draws it under, or none
 * when lspci draws it on a root bus; pair by pair, and each REF names its end as the class that
 * end is listed as. ASSOCIATORS OF and REFERENCES OF each function (the provider's references
 * operation) give what the enumeration gives for it. Then a tree made here holds the cases the
 * recorded trees have only by chance.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "pci-assoc-test.h"

#define ASSOC "Linux_PCIDeviceControlledBy"

/* Trees lspci cannot read: their functions are compared with nothing, and said so. */
static const struct {
        const char *tree, *reason;
} lspci_fails_on[] = {
        { "amd-rx6900xt", "its vendor file is NUL-padded: lspci says \"Value ... too long\" and "
                          "lists nothing" },
};

static size_t trees_checked, pairs_compared, associators_compared;

struct function {
        char id[PCI_SLOT_TEXT];
        char cls[64];
};

static size_t list_functions(struct glue_context *ctx, struct function **ret)
{
        struct glue_instance **list = NULL;
        size_t count = 0;

        check_int_eq(pci_test_collect(ctx, "Linux_PCIDevice", GLUE_REQUEST_KEYS_ONLY, NULL, 0,
                                      &list, &count),
                     0);
        *ret = calloc(count + 1, sizeof(**ret));
        for (size_t i = 0; *ret && i < count; i++) {
                const char *id = NULL;

                check_int_eq(glue_instance_get_string(list[i], "DeviceID", &id), 0);
                snprintf((*ret)[i].id, PCI_SLOT_TEXT, "%s", id ? id : "");
                snprintf((*ret)[i].cls, sizeof((*ret)[i].cls), "%s",
                         glue_class_get_name(glue_instance_get_class(list[i])));
        }
        glue_instance_list_free(list, count);
        return count;
}

static const struct function *find_function(const struct function *functions, size_t count,
                                            const char *id)
{
        for (size_t i = 0; i < count; i++)
                if (strcmp(functions[i].id, id) == 0)
                        return &functions[i];
        return NULL;
}

#define ID_TEXT 128

/* DeviceIDs, or in the made tree's test whole pairs. */
struct id_list {
        char ids[64][ID_TEXT];
        size_t n;
        bool overflow;
};

static void id_list_add(struct id_list *list, const char *id)
{
        if (list->n == sizeof(list->ids) / sizeof(list->ids[0])) {
                list->overflow = true;
                return;
        }
        if ((size_t)snprintf(list->ids[list->n++], ID_TEXT, "%s", id) >= ID_TEXT)
                list->overflow = true;
}

static int compare_ids(const void *a, const void *b)
{
        return strcmp(a, b);
}

/* The list sorted and joined by spaces into buf. */
static const char *id_list_text(struct id_list *list, char *buf, size_t size)
{
        size_t len = 0;

        qsort(list->ids, list->n, sizeof(list->ids[0]), compare_ids);
        buf[0] = '\0';
        for (size_t i = 0; i < list->n && len < size; i++)
                len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "",
                                        list->ids[i]);
        return buf;
}

static int collect_device_id(struct glue_instance *inst, void *userdata)
{
        const char *id = NULL;

        check_int_eq(glue_instance_get_string(inst, "DeviceID", &id), 0);
        id_list_add(userdata, id ? id : "?");
        return 0;
}

struct references {
        struct assoc_pair pairs[64];
        size_t n;
};

static int collect_reference(struct glue_instance *inst, void *userdata)
{
        struct references *refs = userdata;

        if (refs->n < sizeof(refs->pairs) / sizeof(refs->pairs[0]) &&
            assoc_pair_from_instance(inst, &refs->pairs[refs->n]))
                refs->n++;
        return 0;
}

/*
 * The associations of one function, asked of it alone (the references operation): ASSOCIATORS
 * OF gives the bridge above it and the functions below it, exactly; REFERENCES OF with each
 * role gives the very associations the enumeration posted, spelled the same.
 */
static void check_one_function(struct glue_context *ctx, const char *tree_name,
                               const struct lspci_tree *tree, const struct assoc_pair *pairs,
                               size_t pair_count, const char *id)
{
        char path[128], expected_text[64 * ID_TEXT], got_text[64 * ID_TEXT];
        const struct lspci_tree_node *node = lspci_tree_find(tree, id);
        struct id_list expected = { .n = 0 }, got = { .n = 0 };
        struct references as_dependent = { .n = 0 }, as_antecedent = { .n = 0 };
        struct glue_request *req = NULL;
        size_t children = 0;

        if (node && node->parent[0])
                id_list_add(&expected, node->parent);
        for (size_t i = 0; i < tree->count; i++)
                if (strcmp(tree->nodes[i].parent, id) == 0) {
                        id_list_add(&expected, tree->nodes[i].slot);
                        children++;
                }
        snprintf(path, sizeof(path), "Linux_PCIDevice.DeviceID=\"%s\"", id);
        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_associators(req, path, ASSOC, NULL, NULL, NULL,
                                              collect_device_id, &got),
                     0);
        id_list_text(&expected, expected_text, sizeof(expected_text));
        id_list_text(&got, got_text, sizeof(got_text));
        if (strcmp(expected_text, got_text) != 0 || got.overflow) {
                fprintf(stderr, "%s: ASSOCIATORS OF {%s}: lspci -t [%s], hwglue [%s]\n",
                        tree_name, path, expected_text, got_text);
                test_failures++;
        }
        check_int_eq(glue_request_references(req, path, ASSOC, "Dependent", collect_reference,
                                             &as_dependent),
                     0);
        check_int_eq(glue_request_references(req, path, ASSOC, "Antecedent", collect_reference,
                                             &as_antecedent),
                     0);
        check_int_eq(as_dependent.n, node && node->parent[0] ? 1 : 0);
        check_int_eq(as_antecedent.n, children);
        for (size_t i = 0; i < as_dependent.n + as_antecedent.n; i++) {
                const struct assoc_pair *p = i < as_dependent.n
                                                     ? &as_dependent.pairs[i]
                                                     : &as_antecedent.pairs[i - as_dependent.n];
                const struct assoc_pair *listed =
                        assoc_pairs_find(pairs, pair_count, p->dependent);

                check_str_eq(i < as_dependent.n ? p->dependent : p->antecedent, id);
                /* The same association, named the same, whichever operation posted it. */
                check(listed != NULL);
                if (listed)
                        check_str_eq(p->path, listed->path);
                free(p->path);
        }
        glue_request_unref(req);
        associators_compared++;
}

/*
 * Compare hwglue's associations on a tree with lspci -t on it. every: ask ASSOCIATORS OF and
 * REFERENCES OF of each function, else of every 25th (a large tree).
 */
static void check_tree(const char *tree_name, const char *root, bool every)
{
        struct glue_context *ctx = pci_test_context(strcmp(root, "/") == 0 ? NULL : root, NULL);
        struct assoc_pair *pairs = NULL;
        struct function *functions = NULL;
        struct lspci_tree tree;
        size_t pair_count = 0, count, agreed = 0, bridges = 0;

        check_int_eq(lspci_tree_run(root, &tree), 0);
        count = list_functions(ctx, &functions);
        check_int_eq(assoc_pairs_collect(ctx, &pairs, &pair_count), 0);
        if (tree.exit_status != 0) {
                bool known = false;

                for (size_t i = 0; i < sizeof(lspci_fails_on) / sizeof(lspci_fails_on[0]); i++)
                        if (strcmp(tree_name, lspci_fails_on[i].tree) == 0) {
                                printf("# %s: lspci -t exits %d, not compared: %s\n", tree_name,
                                       tree.exit_status, lspci_fails_on[i].reason);
                                known = true;
                        }
                check(known);
                goto out;
        }
        check_int_eq(tree.exit_status, 0);
        /* lspci draws every function hwglue lists, and no other. */
        check_int_eq(tree.count, count);
        check_int_eq(count, pci_test_count_devices(strcmp(root, "/") == 0 ? "" : root));
        for (size_t i = 0; i < tree.count; i++) {
                const struct lspci_tree_node *node = &tree.nodes[i];
                const struct assoc_pair *pair = assoc_pairs_find(pairs, pair_count, node->slot);
                const char *hwglue = pair ? pair->antecedent : "";

                pairs_compared++;
                if (strcmp(node->parent, hwglue) == 0) {
                        agreed++;
                } else {
                        fprintf(stderr, "%s: %s: lspci -t draws it under %s, hwglue's bridge "
                                "is %s\n", tree_name, node->slot,
                                node->parent[0] ? node->parent : "a root bus",
                                hwglue[0] ? hwglue : "none");
                        test_failures++;
                }
                bridges += node->parent[0] != '\0';
                check(find_function(functions, count, node->slot) != NULL);
        }
        /* No association lspci does not draw, and each names its ends as they are listed. */
        check_int_eq(pair_count, bridges);
        for (size_t i = 0; i < pair_count; i++) {
                const struct function *down = find_function(functions, count, pairs[i].dependent);
                const struct function *up = find_function(functions, count, pairs[i].antecedent);

                check(down && up);
                if (down)
                        check_str_eq(pairs[i].dependent_class, down->cls);
                if (up)
                        check_str_eq(pairs[i].antecedent_class,
                                     strcmp(up->cls, "Linux_PCIBridge") == 0 ? "Linux_PCIBridge"
                                                                            : "Linux_PCIDevice");
        }
        for (size_t i = 0; i < count; i++)
                if (every || i % 25 == 0)
                        check_one_function(ctx, tree_name, &tree, pairs, pair_count,
                                           functions[i].id);
        printf("# %s: %zu functions, %zu below a bridge, %zu agree with lspci -t\n", tree_name,
               count, bridges, agreed);
        trees_checked++;
out:
        assoc_pairs_free(pairs, pair_count);
        free(functions);
        lspci_tree_free(&tree);
        glue_context_unref(ctx);
}

static void test_every_shared_tree(void)
{
        const char *root = test_shared_fixtures();
        struct dirent *entry;
        size_t before = pairs_compared;
        DIR *dir = opendir(root);

        check(dir != NULL);
        while (dir && (entry = readdir(dir))) {
                size_t len = strlen(entry->d_name);
                char archive[256], *tree;

                /* Each archive left a ".NAME.tar.xz.stamp" naming the folder it made. */
                if (entry->d_name[0] != '.' || len < 7 || len - 7 >= sizeof(archive) ||
                    strcmp(entry->d_name + len - 6, ".stamp") != 0)
                        continue;
                memcpy(archive, entry->d_name + 1, len - 7);
                archive[len - 7] = '\0';
                tree = test_shared_fixture_dir(archive);
                if (tree && pci_test_count_devices(tree) > 0)
                        check_tree(strrchr(tree, '/') + 1, tree, true);
                free(tree);
        }
        if (dir)
                closedir(dir);
        /* systemd, node_exporter, procfs, hwloc and three lact trees lspci can read. */
        check(trees_checked >= 7);
        check(pairs_compared - before >= 160);
        printf("# shared trees: %zu functions compared with lspci -t\n", pairs_compared - before);
}

static void test_generated_tree(void)
{
        char *tree = pci_assoc_generate_tree(1000);
        size_t before = pairs_compared;

        check(tree != NULL);
        if (!tree)
                return;
        check_tree("generated-1000", tree, false);
        check_int_eq(pairs_compared - before, 1000);
        pci_assoc_remove_tree(tree);
}

static void test_this_machine(void)
{
        size_t before = pairs_compared;

        check_tree("/sys", "/", true);
        check_int_eq(pairs_compared - before, pci_test_count_devices(""));
        check(associators_compared > 0);
}

/* ---- a tree made here ------------------------------------------------------------------------ */

static char made_root[] = "/tmp/hwglue-pci-assoc-made-XXXXXX";

/* A function at sys/devices/DIR (its name the last component), listed in bus/pci/devices
 * unless listed is false. */
static void add_function(const char *dir, const char *class_code, bool listed)
{
        const char *name = strrchr(dir, '/') + 1;
        char file[512], target[512];

        snprintf(file, sizeof(file), "sys/devices/%s/vendor", dir);
        pci_test_write_text(made_root, file, "0x8086\n");
        snprintf(file, sizeof(file), "sys/devices/%s/device", dir);
        pci_test_write_text(made_root, file, "0x1234\n");
        snprintf(file, sizeof(file), "sys/devices/%s/revision", dir);
        pci_test_write_text(made_root, file, "0x01\n");
        snprintf(file, sizeof(file), "sys/devices/%s/class", dir);
        pci_test_write_text(made_root, file, class_code);
        if (!listed)
                return;
        snprintf(file, sizeof(file), "sys/bus/pci/devices/%s", name);
        snprintf(target, sizeof(target), "../../../devices/%s", dir);
        pci_test_link(made_root, file, target);
}

static void build_made_tree(void)
{
        check(mkdtemp(made_root) != NULL);
        /* The root bus: the host bridge is the others' sibling, not their parent. */
        add_function("pci0000:00/0000:00:00.0", "0x060000\n", true);
        /* A root port with a two-function card. */
        add_function("pci0000:00/0000:00:1c.0", "0x060400\n", true);
        add_function("pci0000:00/0000:00:1c.0/0000:02:00.0", "0x020000\n", true);
        add_function("pci0000:00/0000:00:1c.0/0000:02:00.1", "0x020000\n", true);
        /* A function below a parent whose class code is not a bridge's. */
        add_function("pci0000:00/0000:00:1d.0", "0x088000\n", true);
        add_function("pci0000:00/0000:00:1d.0/0000:05:00.0", "0x010802\n", true);
        /* A parent directory that is no listed function (a recorded tree's leftover). */
        add_function("pci0000:00/0000:00:1e.0/0000:06:00.0", "0x030000\n", true);
        pci_test_write_text(made_root, "sys/devices/pci0000:00/0000:00:1e.0/class", "0x060400\n");
        /* A parent of the bridge's name that is not the bridge listed by it. */
        add_function("pci0000:00/0000:00:1f.0", "0x060400\n", true);
        add_function("pci0000:00/other/0000:00:1f.0/0000:07:00.0", "0x030000\n", true);
        /* An entry of devices/ that is a directory, not the kernel's link. */
        pci_test_write_text(made_root, "sys/bus/pci/devices/0000:08:00.0/vendor", "0x8086\n");
        pci_test_write_text(made_root, "sys/bus/pci/devices/0000:08:00.0/device", "0x1234\n");
        pci_test_write_text(made_root, "sys/bus/pci/devices/0000:08:00.0/class", "0x020000\n");
}

static void remove_made_tree(void)
{
        char command[256];

        snprintf(command, sizeof(command), "rm -rf '%s'", made_root);
        check_int_eq(system(command), 0);
}

static const char *associators_text(struct glue_context *ctx, const char *path,
                                    const char *role, const char *result_role, char *buf,
                                    size_t size)
{
        struct glue_request *req = NULL;
        struct id_list got = { .n = 0 };

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_associators(req, path, ASSOC, NULL, role, result_role,
                                              collect_device_id, &got),
                     0);
        glue_request_unref(req);
        return id_list_text(&got, buf, size);
}

static int get_status(struct glue_context *ctx, const char *path)
{
        struct glue_request *req = NULL;
        struct glue_instance *inst = NULL;
        int r;

        check_int_eq(glue_request_new(ctx, &req), 0);
        r = glue_request_get(req, path, &inst);
        if (r == 0) {
                struct assoc_pair pair;

                check(assoc_pair_from_instance(inst, &pair));
                free(pair.path);
        }
        glue_instance_unref(inst);
        glue_request_unref(req);
        return r;
}

static void test_made_tree(void)
{
        struct glue_context *ctx;
        struct assoc_pair *pairs = NULL;
        struct id_list all = { .n = 0 };
        size_t count = 0;
        char buf[1024], pair[256];

        build_made_tree();
        ctx = pci_test_context(made_root, NULL);
        check_int_eq(assoc_pairs_collect(ctx, &pairs, &count), 0);
        for (size_t i = 0; i < count; i++) {
                snprintf(pair, sizeof(pair), "%s:%s<-%s:%s", pairs[i].antecedent_class,
                         pairs[i].antecedent, pairs[i].dependent_class, pairs[i].dependent);
                id_list_add(&all, pair);
        }
        /* The NICs below their port; the NVMe drive below a parent of another class code,
         * named by the base class; nothing for the host bridge's siblings, below a parent
         * that is not listed, or that is not the one listed. */
        check_str_eq(id_list_text(&all, buf, sizeof(buf)),
                     "Linux_PCIBridge:0000:00:1c.0<-Linux_PCINetworkController:0000:02:00.0 "
                     "Linux_PCIBridge:0000:00:1c.0<-Linux_PCINetworkController:0000:02:00.1 "
                     "Linux_PCIDevice:0000:00:1d.0<-Linux_PCIStorageController:0000:05:00.0");
        assoc_pairs_free(pairs, count);

        check_str_eq(associators_text(ctx, "Linux_PCIBridge.DeviceID=\"0000:00:1c.0\"", NULL,
                                      NULL, buf, sizeof(buf)),
                     "0000:02:00.0 0000:02:00.1");
        /* The port is on the root bus: nothing above it. */
        check_str_eq(associators_text(ctx, "Linux_PCIDevice.DeviceID=\"0000:00:1c.0\"",
                                      "Dependent", NULL, buf, sizeof(buf)),
                     "");
        check_str_eq(associators_text(ctx, "Linux_PCIDevice.DeviceID=\"0000:02:00.1\"", NULL,
                                      "Antecedent", buf, sizeof(buf)),
                     "0000:00:1c.0");
        check_str_eq(associators_text(ctx, "Linux_PCIDevice.DeviceID=\"0000:00:1d.0\"", NULL,
                                      NULL, buf, sizeof(buf)),
                     "0000:05:00.0");
        check_str_eq(associators_text(ctx, "Linux_PCIDevice.DeviceID=\"0000:05:00.0\"", NULL,
                                      NULL, buf, sizeof(buf)),
                     "0000:00:1d.0");
        for (size_t i = 0; i < 5; i++) {
                static const char *const alone[] = { "0000:00:00.0", "0000:06:00.0",
                                                     "0000:00:1f.0", "0000:07:00.0",
                                                     "0000:08:00.0" };
                char path[128];

                snprintf(path, sizeof(path), "Linux_PCIDevice.DeviceID=\"%s\"", alone[i]);
                check_str_eq(associators_text(ctx, path, NULL, NULL, buf, sizeof(buf)), "");
        }

        /* GetObject of an association, by its keys, whichever class spells an end. */
        check_int_eq(get_status(ctx, ASSOC ".Antecedent=\"Linux_PCIBridge.DeviceID=\\\"0000:00:1c.0"
                                     "\\\"\",Dependent=\"Linux_PCINetworkController.DeviceID="
                                     "\\\"0000:02:00.0\\\"\""),
                     0);
        check_int_eq(get_status(ctx, ASSOC ".Antecedent=\"Linux_PCIDevice.DeviceID=\\\"0000:00:1c.0"
                                     "\\\"\",Dependent=\"Linux_PCIDevice.DeviceID="
                                     "\\\"0000:02:00.1\\\"\""),
                     0);
        check_int_eq(get_status(ctx, ASSOC ".Antecedent=\"Linux_PCIDevice.DeviceID=\\\"0000:00:1d.0"
                                     "\\\"\",Dependent=\"Linux_PCIDevice.DeviceID="
                                     "\\\"0000:02:00.0\\\"\""),
                     -ENOENT);
        check_int_eq(get_status(ctx, ASSOC ".Antecedent=\"Linux_PCIDevice.DeviceID=\\\"0000:00:1e.0"
                                     "\\\"\",Dependent=\"Linux_PCIDevice.DeviceID="
                                     "\\\"0000:06:00.0\\\"\""),
                     -ENOENT);
        glue_context_unref(ctx);
        remove_made_tree();
}

/* A sysroot without a PCI bus: no associations, and that is no failure. */
static void test_no_pci_bus(void)
{
        char root[] = "/tmp/hwglue-pci-assoc-none-XXXXXX", command[128];
        struct glue_context *ctx;
        struct assoc_pair *pairs = NULL;
        size_t count = 0;

        check(mkdtemp(root) != NULL);
        ctx = pci_test_context(root, NULL);
        check_int_eq(assoc_pairs_collect(ctx, &pairs, &count), 0);
        check_int_eq(count, 0);
        assoc_pairs_free(pairs, count);
        glue_context_unref(ctx);
        snprintf(command, sizeof(command), "rm -rf '%s'", root);
        check_int_eq(system(command), 0);
}

TEST_MAIN(test_every_shared_tree, test_generated_tree, test_this_machine, test_made_tree,
          test_no_pci_bus)
