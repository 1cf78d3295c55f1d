/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Push-down: ASSOCIATORS OF one PCI function reads that function's files, its parent's and its
 * children's, never the bus. On generated trees of 1,000 and 10,000 functions, tests/pci's
 * pci-assoc-request runs the request under strace (tests/escape/file-trace.c); every file it
 * names or opens between its markers, inside the tree, must be under the function's directory
 * (its children's are inside it), under its parent's (but for the directories of the parent's
 * other functions), or one of the bus directories the provider opens as handles; outside the
 * tree, only what tests/escape/allowed-files.c allows (libraries, pci.ids). The same function
 * reads as many files in either tree. With AssocClass = Linux_PCIDeviceControlledBy that holds
 * for every access; without it the other families' association providers are asked too, and
 * there it holds for the PCI part of the tree (sys/bus/pci, sys/devices), while what they read
 * of their own families' trees is shown, not judged here.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allowed-files.h"
#include "file-trace.h"
#include "pci-assoc-test.h"
#include "common/pci-address.h"

#define ASSOC "Linux_PCIDeviceControlledBy"
#define MAX_NAMES 16

/* What one function may read in a tree: its devices/ name, its parent's and its children's,
 * and their directories as the links resolve. */
struct allowed_tree {
        char *root; /* realpath'ed */
        char bus[PATH_MAX], devices[PATH_MAX], slots[PATH_MAX];
        char names[MAX_NAMES][PCI_SLOT_TEXT];
        size_t n_names;
        char own[PATH_MAX];    /* the function's directory */
        char parent[PATH_MAX]; /* its parent's: a bridge's, or the root bus's ("" for none) */
        char expected[MAX_NAMES][PCI_SLOT_TEXT]; /* the endpoints: parent bridge, children */
        size_t n_expected;
};

static void allow_name(struct allowed_tree *t, const char *name, bool endpoint)
{
        if (strlen(name) >= PCI_SLOT_TEXT)
                return;
        if (t->n_names < MAX_NAMES)
                strcpy(t->names[t->n_names++], name);
        if (endpoint && t->n_expected < MAX_NAMES)
                strcpy(t->expected[t->n_expected++], name);
}

/* From the tree itself (read here, untraced): where the function and its relatives are. */
static bool allowed_tree_init(struct allowed_tree *t, const char *root, const char *name)
{
        char link[PATH_MAX], *real, *slash;
        struct pci_address address;
        struct dirent *entry;
        DIR *dir;

        *t = (struct allowed_tree){ .root = realpath(root, NULL) };
        if (!t->root)
                return false;
        if ((size_t)snprintf(t->bus, sizeof(t->bus), "%s/sys/bus/pci", t->root) >=
                    sizeof(t->bus) - 64)
                return false;
        snprintf(t->devices, sizeof(t->devices), "%.*s/devices", PATH_MAX - 64, t->bus);
        snprintf(t->slots, sizeof(t->slots), "%.*s/slots", PATH_MAX - 64, t->bus);
        snprintf(link, sizeof(link), "%.*s/%.24s", PATH_MAX - 64, t->devices, name);
        real = realpath(link, NULL);
        if (!real)
                return false;
        snprintf(t->own, sizeof(t->own), "%s", real);
        allow_name(t, name, false);
        slash = strrchr(real, '/');
        *slash = '\0';
        snprintf(t->parent, sizeof(t->parent), "%s", real);
        slash = strrchr(real, '/');
        if (pci_address_parse(slash + 1, &address) == 0)
                allow_name(t, slash + 1, true);
        free(real);
        dir = opendir(t->own);
        while (dir && (entry = readdir(dir)))
                if (pci_address_parse(entry->d_name, &address) == 0)
                        allow_name(t, entry->d_name, true);
        if (dir)
                closedir(dir);
        return t->n_names < MAX_NAMES;
}

/* Why a path inside the tree may be read by this request, or NULL. */
static const char *tree_reason(const struct allowed_tree *t, const char *path)
{
        if (strcmp(path, t->bus) == 0 || strcmp(path, t->devices) == 0)
                return "the bus directories, opened as handles";
        if (path_is_under(path, t->slots))
                return "the slot list (PhysicalSlot of an endpoint)";
        for (size_t i = 0; i < t->n_names; i++) {
                char entry[PATH_MAX + PCI_SLOT_TEXT];

                snprintf(entry, sizeof(entry), "%s/%s", t->devices, t->names[i]);
                if (path_is_under(path, entry))
                        return "a devices/ entry of the function or a relative";
        }
        if (path_is_under(path, t->own))
                return "the function's directory";
        if (t->parent[0] && path_is_under(path, t->parent)) {
                const char *rest = path + strlen(t->parent);
                char component[256];
                struct pci_address address;
                size_t len;

                /* Not into another function below the same parent: a sibling. */
                rest += *rest == '/';
                len = strcspn(rest, "/");
                snprintf(component, sizeof(component), "%.*s", (int)len, rest);
                if (pci_address_parse(component, &address) == 0)
                        return NULL;
                return "the parent's directory";
        }
        return NULL;
}

/* Every access between the markers: 0 when all are allowed; *ret_files: the distinct names
 * looked up inside the tree. pci_only: judge inside the tree only sys/bus/pci and sys/devices. */
static unsigned check_accesses(const struct file_trace *trace, const struct allowed_files *allowed,
                               const struct allowed_tree *t, bool pci_only, const char *context,
                               size_t *ret_files)
{
        size_t from = file_trace_find_mark(trace, "request");
        size_t to = file_trace_find_mark(trace, "done");
        char pci_part[2][PATH_MAX];
        char **seen = NULL;
        size_t n_seen = 0, other = 0;
        unsigned bad = 0;

        snprintf(pci_part[0], sizeof(pci_part[0]), "%s/sys/bus/pci", t->root);
        snprintf(pci_part[1], sizeof(pci_part[1]), "%s/sys/devices", t->root);
        check(from < to && to <= trace->n);
        for (size_t i = from; i + 1 < to; i++) {
                const struct file_access *a = &trace->accesses[i];
                const char *names[2] = { a->path, a->opened };

                for (size_t k = 0; k < 2; k++) {
                        const char *p = names[k];
                        bool known = false;

                        if (!p || p[0] != '/')
                                continue;
                        if (!path_is_under(p, t->root)) {
                                struct file_access alone = { .path = (char *)p };

                                if (!allowed_files_reason(allowed, &alone) && bad++ < 20)
                                        fprintf(stderr, "%s: %s(\"%s\") -> %s: outside the tree "
                                                "and the allowed files\n", context, a->syscall,
                                                a->argument ? a->argument : "", p);
                                continue;
                        }
                        if (pci_only && !path_is_under(p, pci_part[0]) &&
                            !path_is_under(p, pci_part[1])) {
                                if (other++ < 5)
                                        printf("# %s: another family's provider: %s(%s)\n",
                                               context, a->syscall,
                                               p[strlen(t->root)] ? p + strlen(t->root) : "/");
                                continue;
                        }
                        if (!tree_reason(t, p)) {
                                if (bad++ < 20)
                                        fprintf(stderr, "%s: %s(\"%s\") -> %s: not the "
                                                "function's, its parent's or its children's\n",
                                                context, a->syscall,
                                                a->argument ? a->argument : "", p);
                                continue;
                        }
                        /* Counted by the names looked up: where a descriptor points shows
                         * only when strace did not split the call in two. */
                        if (k == 1)
                                continue;
                        for (size_t j = 0; j < n_seen && !known; j++)
                                known = strcmp(seen[j], p) == 0;
                        if (!known) {
                                char **grown = realloc(seen, (n_seen + 1) * sizeof(*seen));

                                check(grown != NULL);
                                if (grown) {
                                        seen = grown;
                                        seen[n_seen++] = strdup(p);
                                }
                        }
                }
        }
        if (other)
                printf("# %s: %zu accesses by other families' providers\n", context, other);
        for (size_t j = 0; j < n_seen; j++) {
                if (getenv("HWGLUE_TEST_DEBUG"))
                        printf("# %s: read %s\n", context, seen[j] + strlen(t->root));
                free(seen[j]);
        }
        free(seen);
        *ret_files = n_seen;
        return bad;
}

/* The endpoints printed, against the tree: the parent bridge and the children. */
static void check_endpoints(const char *out, const struct allowed_tree *t, const char *context)
{
        size_t lines = 0;

        for (const char *p = out; *p; p = strchrnul(p, '\n'), p += *p == '\n')
                lines += *p != '\n';
        check_int_eq(lines, t->n_expected);
        for (size_t i = 0; i < t->n_expected; i++) {
                char key[64];

                snprintf(key, sizeof(key), ".DeviceID=\"%s\"\n", t->expected[i]);
                if (!strstr(out, key)) {
                        fprintf(stderr, "%s: %s is not among the endpoints:\n%s", context,
                                t->expected[i], out);
                        test_failures++;
                }
        }
}

/* ASSOCIATORS OF the function `name` of the tree, traced: the files inside the tree it read
 * (with AssocClass), or 0 after a failed check. */
static size_t trace_one(const char *root, const char *name, size_t functions)
{
        const char *build = getenv("HWGLUE_BUILD_DIR");
        char program[PATH_MAX], path[128], context[256];
        char *env[] = { (char *)"ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0", NULL };
        struct allowed_files allowed;
        struct allowed_tree t;
        size_t files = 0, all_files = 0;

        check(build != NULL);
        if (!build)
                return 0;
        snprintf(program, sizeof(program), "%s/tests/pci/pci-assoc-request", build);
        snprintf(path, sizeof(path), "Linux_PCIDevice.DeviceID=\"%s\"", name);
        check(allowed_tree_init(&t, root, name));
        check_int_eq(allowed_files_init(&allowed, root, program, false), 0);
        for (int with_class = 1; with_class >= 0; with_class--) {
                char *argv[] = { program, (char *)root, path, with_class ? (char *)ASSOC : NULL,
                                 NULL };
                struct file_trace trace;
                unsigned bad;

                snprintf(context, sizeof(context), "%zu functions, ASSOCIATORS OF {%s}%s",
                         functions, path, with_class ? " WHERE AssocClass = " ASSOC : "");
                check_int_eq(file_trace_run(argv, env, &trace), 0);
                check_int_eq(trace.exit_status, 0);
                if (trace.exit_status != 0)
                        fprintf(stderr, "%s: %s", context, trace.err ? trace.err : "");
                check_endpoints(trace.out ? trace.out : "", &t, context);
                bad = check_accesses(&trace, &allowed, &t, !with_class, context,
                                     with_class ? &files : &all_files);
                check_int_eq(bad, 0);
                printf("# %s: %zu names looked up in the tree, %zu endpoints\n", context,
                       with_class ? files : all_files, t.n_expected);
                file_trace_done(&trace);
        }
        allowed_files_done(&allowed);
        free(t.root);
        return files;
}

/* A card's first function, its root port, the host bridge: the same files in either tree. */
static const char *const sources[] = { "0000:01:00.0", "0000:00:01.0", "0000:00:00.0" };
#define SOURCE_COUNT (sizeof(sources) / sizeof(sources[0]))

static size_t files_at_1000[SOURCE_COUNT];

static void test_1000_functions(void)
{
        char *tree = pci_assoc_generate_tree(1000);

        check(tree != NULL);
        if (!tree)
                return;
        for (size_t i = 0; i < SOURCE_COUNT; i++) {
                files_at_1000[i] = trace_one(tree, sources[i], 1000);
                check(files_at_1000[i] > 0);
        }
        pci_assoc_remove_tree(tree);
}

static void test_10000_functions(void)
{
        char *tree = pci_assoc_generate_tree(10000);
        char last[PCI_SLOT_TEXT] = "", devices[PATH_MAX];
        struct dirent *entry;
        DIR *dir;

        check(tree != NULL);
        if (!tree)
                return;
        for (size_t i = 0; i < SOURCE_COUNT; i++)
                check_int_eq(trace_one(tree, sources[i], 10000), files_at_1000[i]);
        /* And a function of the last domain, at the far end of devices/. */
        snprintf(devices, sizeof(devices), "%s/sys/bus/pci/devices", tree);
        dir = opendir(devices);
        while (dir && (entry = readdir(dir)))
                if (entry->d_name[0] != '.' && strlen(entry->d_name) < sizeof(last) &&
                    strcmp(entry->d_name, last) > 0)
                        strcpy(last, entry->d_name);
        if (dir)
                closedir(dir);
        check(strncmp(last, "0000:", 5) > 0);
        check(trace_one(tree, last, 10000) > 0);
        pci_assoc_remove_tree(tree);
}

TEST_MAIN(test_1000_functions, test_10000_functions)
