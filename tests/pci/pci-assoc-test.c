/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>

#include "pci-assoc-test.h"

/* ---- lspci -t ------------------------------------------------------------------------------- */

static bool is_hex(char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int tree_record(struct lspci_tree *tree, const char *slot, const char *parent)
{
        struct lspci_tree_node *nodes;
        const struct lspci_tree_node *seen = lspci_tree_find(tree, slot);

        /* A line repeats its ancestors: the same function must have the same parent. */
        if (seen)
                return strcmp(seen->parent, parent) == 0 ? 0 : -EBADMSG;
        nodes = realloc(tree->nodes, (tree->count + 1) * sizeof(*nodes));
        if (!nodes)
                return -ENOMEM;
        tree->nodes = nodes;
        snprintf(nodes[tree->count].slot, PCI_SLOT_TEXT, "%s", slot);
        snprintf(nodes[tree->count].parent, PCI_SLOT_TEXT, "%s", parent);
        tree->count++;
        return 0;
}

/* One whole line, from a root bus to a function. */
static int parse_path(const char *line, struct lspci_tree *tree)
{
        char parent[PCI_SLOT_TEXT] = "", last[PCI_SLOT_TEXT] = "";
        unsigned domain = 0, bus = 0;
        bool have_bus = false, need_bus = false;

        for (const char *s = line; *s;) {
                if (*s == '[') {
                        const char *close = strchr(s, ']');
                        unsigned a, b;
                        int n = 0;

                        if (!close)
                                return -EBADMSG;
                        if (memchr(s, ':', (size_t)(close - s))) {
                                /* A root bus: what follows hangs from no bridge. */
                                if (sscanf(s, "[%x:%x]%n", &a, &b, &n) != 2 || s + n != close + 1)
                                        return -EBADMSG;
                                domain = a;
                                bus = b;
                                parent[0] = '\0';
                                have_bus = true;
                        } else {
                                /* The secondary bus of the function just drawn. */
                                if (!last[0] || sscanf(s, "[%x", &a) != 1)
                                        return -EBADMSG;
                                bus = a;
                                snprintf(parent, sizeof(parent), "%s", last);
                        }
                        need_bus = false;
                        s = close + 1;
                        continue;
                }
                if (is_hex(s[0]) && is_hex(s[1]) && s[2] == '.' && s[3] >= '0' && s[3] <= '7' &&
                    !is_hex(s[4]) && s[4] != '.') {
                        int r;

                        /* Two functions in a row on one path: a bus between them is missing. */
                        if (!have_bus || need_bus)
                                return -EBADMSG;
                        snprintf(last, sizeof(last), "%04x:%02x:%c%c.%c", domain, bus, s[0], s[1],
                                 s[3]);
                        r = tree_record(tree, last, parent);
                        if (r < 0)
                                return r;
                        need_bus = true;
                        s += 4;
                        continue;
                }
                if (!strchr("-+\\| ", *s))
                        return -EBADMSG;
                s++;
        }
        return 0;
}

int lspci_tree_parse(const char *text, struct lspci_tree *ret)
{
        char logical[4096] = "";
        int r = 0;

        for (const char *p = text; *p && r == 0;) {
                const char *end = strchrnul(p, '\n');
                size_t len = (size_t)(end - p), keep;

                /* The blanks and bars at the start stand for the line before's text. */
                keep = strspn(p, " |");
                if (keep > len)
                        keep = len;
                if (keep > strlen(logical) || keep + (len - keep) >= sizeof(logical)) {
                        r = -EBADMSG;
                        break;
                }
                memcpy(logical + keep, p + keep, len - keep);
                logical[len] = '\0';
                if (len > 0)
                        r = parse_path(logical, ret);
                p = *end ? end + 1 : end;
        }
        return r;
}

int lspci_tree_run(const char *root, struct lspci_tree *ret)
{
        char command[4096 + 256], buf[4096];
        size_t len = 0, cap = 0;
        char *text = NULL;
        FILE *pipe;
        int status, r;

        *ret = (struct lspci_tree){ 0 };
        snprintf(command, sizeof(command),
                 "lspci -A linux-sysfs -O 'sysfs.path=%s/sys/bus/pci' -O hwdb.disable=1 -t -D",
                 strcmp(root, "/") == 0 ? "" : root);
        pipe = popen(command, "re");
        if (!pipe)
                return -errno;
        for (size_t n; (n = fread(buf, 1, sizeof(buf), pipe)) > 0; len += n) {
                if (len + n + 1 > cap) {
                        char *grown = realloc(text, cap = (len + n + 1) * 2);

                        if (!grown) {
                                free(text);
                                pclose(pipe);
                                return -ENOMEM;
                        }
                        text = grown;
                }
                memcpy(text + len, buf, n);
        }
        status = pclose(pipe);
        ret->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        if (text)
                text[len] = '\0';
        r = lspci_tree_parse(text ? text : "", ret);
        if (r < 0)
                fprintf(stderr, "%s: cannot read its output:\n%s\n", command, text ? text : "");
        free(text);
        return r;
}

void lspci_tree_free(struct lspci_tree *tree)
{
        free(tree->nodes);
        *tree = (struct lspci_tree){ 0 };
}

const struct lspci_tree_node *lspci_tree_find(const struct lspci_tree *tree, const char *slot)
{
        for (size_t i = 0; i < tree->count; i++)
                if (strcmp(tree->nodes[i].slot, slot) == 0)
                        return &tree->nodes[i];
        return NULL;
}

/* ---- the associations --------------------------------------------------------------------- */

static bool split_end(const struct glue_instance *inst, const char *role, char *id,
                      char *cls, size_t cls_size)
{
        struct glue_path *path = NULL;
        const char *text = NULL, *key;
        bool ok;

        check_int_eq(glue_instance_get_reference(inst, role, &text), 0);
        if (!text || glue_path_parse(text, &path) < 0) {
                fprintf(stderr, "%s: not an object path: %s\n", role, text ? text : "(none)");
                test_failures++;
                return false;
        }
        key = glue_path_get_key(path, "DeviceID");
        ok = key && glue_path_get_key_count(path) == 1 && strlen(key) < PCI_SLOT_TEXT;
        check(ok);
        if (ok) {
                snprintf(id, PCI_SLOT_TEXT, "%s", key);
                snprintf(cls, cls_size, "%s", glue_path_get_class(path));
        }
        glue_path_free(path);
        return ok;
}

bool assoc_pair_from_instance(const struct glue_instance *inst, struct assoc_pair *ret)
{
        *ret = (struct assoc_pair){ 0 };
        check_str_eq(glue_class_get_name(glue_instance_get_class(inst)),
                     "Linux_PCIDeviceControlledBy");
        if (!split_end(inst, "Dependent", ret->dependent, ret->dependent_class,
                       sizeof(ret->dependent_class)) ||
            !split_end(inst, "Antecedent", ret->antecedent, ret->antecedent_class,
                       sizeof(ret->antecedent_class)))
                return false;
        check_int_eq(glue_instance_get_path(inst, &ret->path), 0);
        return ret->path != NULL;
}

int assoc_pairs_collect(struct glue_context *ctx, struct assoc_pair **ret, size_t *ret_count)
{
        struct glue_instance **list = NULL;
        size_t count = 0, n = 0;
        int r;

        *ret = NULL;
        *ret_count = 0;
        r = pci_test_collect(ctx, "Linux_PCIDeviceControlledBy", 0, NULL, 0, &list, &count);
        if (count > 0) {
                *ret = calloc(count, sizeof(**ret));
                check(*ret != NULL);
        }
        for (size_t i = 0; *ret && i < count; i++)
                if (assoc_pair_from_instance(list[i], &(*ret)[n]))
                        n++;
        *ret_count = n;
        glue_instance_list_free(list, count);
        return r;
}

void assoc_pairs_free(struct assoc_pair *pairs, size_t count)
{
        for (size_t i = 0; i < count; i++)
                free(pairs[i].path);
        free(pairs);
}

const struct assoc_pair *assoc_pairs_find(const struct assoc_pair *pairs, size_t count,
                                          const char *slot)
{
        const struct assoc_pair *found = NULL;

        for (size_t i = 0; i < count; i++)
                if (strcmp(pairs[i].dependent, slot) == 0) {
                        if (found) {
                                fprintf(stderr, "%s: two upstream bridges, %s and %s\n", slot,
                                        found->antecedent, pairs[i].antecedent);
                                test_failures++;
                        }
                        found = &pairs[i];
                }
        return found;
}

/* ---- generated trees ---------------------------------------------------------------------- */

static int run_program(char *const argv[])
{
        int status;
        pid_t pid;

        fflush(NULL);
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                execv(argv[0], argv);
                _exit(127);
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

char *pci_assoc_generate_tree(unsigned functions)
{
        const char *build = getenv("HWGLUE_BUILD_DIR");
        char gen[4096], dir[64], count[16], *tree = NULL;
        struct statfs fs;
        int r;

        if (!build) {
                fprintf(stderr, "HWGLUE_BUILD_DIR is not set (meson test sets it)\n");
                return NULL;
        }
        snprintf(gen, sizeof(gen), "%s/bench/sysfs-gen", build);
        /* tmpfs: the tree is made in a second, not in a minute of a loaded disk. */
        snprintf(dir, sizeof(dir), "%s/hwglue-pci-assoc-XXXXXX",
                 statfs("/dev/shm", &fs) == 0 && fs.f_type == TMPFS_MAGIC &&
                                 access("/dev/shm", W_OK) == 0
                         ? "/dev/shm"
                         : "/tmp");
        if (!mkdtemp(dir)) {
                fprintf(stderr, "%s: %s\n", dir, strerror(errno));
                return NULL;
        }
        snprintf(count, sizeof(count), "%u", functions);
        if (asprintf(&tree, "%s/root", dir) < 0)
                return NULL;
        char *argv[] = { gen, (char *)"--seed", (char *)"1", (char *)"pci", count, tree, NULL };
        r = run_program(argv);
        if (r != 0) {
                fprintf(stderr, "%s pci %u %s: exit %d\n", gen, functions, tree, r);
                pci_assoc_remove_tree(tree);
                return NULL;
        }
        return tree;
}

void pci_assoc_remove_tree(char *tree)
{
        char *slash;

        if (!tree)
                return;
        /* The tree sits alone in the directory made for it. */
        slash = strrchr(tree, '/');
        if (slash && (strncmp(tree, "/dev/shm/hwglue-pci-assoc-", 26) == 0 ||
                      strncmp(tree, "/tmp/hwglue-pci-assoc-", 22) == 0)) {
                *slash = '\0';
                char *argv[] = { (char *)"/bin/rm", (char *)"-rf", tree, NULL };
                check_int_eq(run_program(argv), 0);
        }
        free(tree);
}
