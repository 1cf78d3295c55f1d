/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Devices removed from a bench/gen/sysfs-gen tree (24 of each: block devices, PCI functions,
 * hwmon chips of 8 sensors) while CIM_LogicalDevice is enumerated through the sysroot option,
 * the --sysroot path. Run under umockdev-wrapper with UMOCKDEV_DIR set to the same tree, so
 * that libsensors (which reads only /sys) reads it too. A third of the devices go in each round,
 * after the first 1, 10, 40 and 100 instances, the way the kernel removes them: every class,
 * bus and block link into the device (and its children) first, then its directory. The tree is
 * generated again for each round; vanish-round.c checks what came.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-util.h"
#include "vanish-round.h"

#define N_EACH "24"

struct tree {
        char *root; /* the tree, absolute: root/sys */
        unsigned round;
};

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static void remove_all(const char *path)
{
        if (nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
                fprintf(stderr, "removing %s: %m\n", path);
}

static bool generate(const struct tree *t)
{
        const char *gen = getenv("HWGLUE_SYSFS_GEN");
        int status;
        pid_t pid;

        if (!gen) {
                fprintf(stderr, "HWGLUE_SYSFS_GEN is not set\n");
                return false;
        }
        remove_all(t->root);
        fflush(NULL);
        pid = fork();
        if (pid == 0) {
                execl(gen, gen, "--seed", "1", "all", N_EACH, t->root, (char *)NULL);
                _exit(127);
        }
        return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
               WEXITSTATUS(status) == 0;
}

static void choose(struct glue_instance *const *baseline, size_t n, struct removal *removal,
                   void *userdata)
{
        const struct tree *t = userdata;
        size_t devices = 0;

        /* Devices (chips, disks, partitions, PCI functions), not the sensors of a chip. */
        for (size_t i = 0; i < n; i++) {
                const char *id = NULL, *dir = vanish_instance_dir(baseline[i]);

                if (glue_instance_get_string(baseline[i], "DeviceID", &id) < 0 || !dir ||
                    strchr(id, '/'))
                        continue;
                if ((devices++ + t->round) % 3 == 0)
                        removal_add(removal, dir);
        }
}

/* What the link unlinker looks for: links into this directory or below. */
static const char *unlinking_into;

static int unlink_if_into(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        char target[PATH_MAX];
        size_t len = strlen(unlinking_into);

        if (flag == FTW_SL && realpath(path, target) && strncmp(target, unlinking_into, len) == 0 &&
            (target[len] == '\0' || target[len] == '/'))
                unlink(path);
        return 0;
}

static void remove_chosen(const struct removal *removal, void *userdata)
{
        const struct tree *t = userdata;
        static const char *const link_dirs[] = { "sys/class", "sys/bus", "sys/block", "sys/dev" };

        for (size_t i = 0; i < removal->n; i++) {
                char path[PATH_MAX], real[PATH_MAX];

                /* "/sys/devices/..." as the program sees it is root/sys/devices/... */
                snprintf(path, sizeof(path), "%s%s", t->root, removal->dirs[i]);
                if (!realpath(path, real))
                        continue; /* inside one removed before */
                unlinking_into = real;
                for (size_t k = 0; k < sizeof(link_dirs) / sizeof(link_dirs[0]); k++) {
                        char links[PATH_MAX];

                        snprintf(links, sizeof(links), "%s/%s", t->root, link_dirs[k]);
                        nftw(links, unlink_if_into, 32, FTW_PHYS);
                }
                remove_all(real);
        }
}

int main(void)
{
        static const size_t triggers[] = { 1, 10, 40, 100 };
        char dir[] = "/tmp/hwglue-vanish-XXXXXX";
        struct tree t = { 0 };
        struct glue_context *ctx = NULL;

        if (!getenv("LD_PRELOAD") || !strstr(getenv("LD_PRELOAD"), "umockdev")) {
                fprintf(stderr, "run me under umockdev-wrapper\n");
                return 1;
        }
        if (!mkdtemp(dir) || asprintf(&t.root, "%s/root", dir) < 0) {
                fprintf(stderr, "no temporary directory: %m\n");
                return 1;
        }
        /* libsensors reads /sys: through the preload, the same tree as the sysroot. */
        setenv("UMOCKDEV_DIR", t.root, 1);
        ctx = vanish_context_new(t.root);
        check(ctx != NULL);
        for (unsigned round = 0; ctx && round < sizeof(triggers) / sizeof(triggers[0]); round++) {
                struct vanish_round r = {
                        .ctx = ctx,
                        .trigger_after = triggers[round],
                        .choose = choose,
                        .remove = remove_chosen,
                        .userdata = &t,
                };
                char what[64];

                t.round = round;
                if (!generate(&t)) {
                        fprintf(stderr, "sysfs-gen failed\n");
                        test_failures++;
                        break;
                }
                snprintf(what, sizeof(what), "sysroot, round %u", round);
                vanish_round_run(&r, what);
        }
        glue_context_unref(ctx);
        remove_all(dir);
        free(t.root);
        printf("%s vanish-sysroot\n", test_failures ? "not ok" : "ok");
        return test_failures ? 1 : 0;
}
