/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allowed-files.h"

int allowed_files_init(struct allowed_files *allowed, const char *sysroot, const char *program,
                       bool umockdev)
{
        const char *build_dir = getenv("HWGLUE_BUILD_DIR");
        char *build = build_dir ? realpath(build_dir, NULL) : NULL;

        *allowed = (struct allowed_files){
                .sysroot = sysroot ? realpath(sysroot, NULL) : NULL,
                .program = realpath(program, NULL),
                .cwd = getcwd(NULL, 0),
                .umockdev = umockdev,
        };
        if (build && asprintf(&allowed->glue_dir, "%s/glue", build) < 0)
                allowed->glue_dir = NULL;
        free(build);
        if ((sysroot && !allowed->sysroot) || !allowed->program || !allowed->glue_dir ||
            !allowed->cwd) {
                fprintf(stderr, "cannot resolve the sysroot, %s or HWGLUE_BUILD_DIR\n", program);
                allowed_files_done(allowed);
                return -ENOENT;
        }
        return 0;
}

void allowed_files_done(struct allowed_files *allowed)
{
        free(allowed->sysroot);
        free(allowed->program);
        free(allowed->glue_dir);
        free(allowed->cwd);
        *allowed = (struct allowed_files){ 0 };
}

/* /proc/<pid> or /proc/<pid>/mountinfo: /proc/self as umockdev's preload resolves it. */
static bool is_proc_pid_path(const char *path)
{
        const char *p = path + strlen("/proc/");
        size_t digits = 0;

        if (strncmp(path, "/proc/", strlen("/proc/")) != 0)
                return false;
        while (p[digits] >= '0' && p[digits] <= '9')
                digits++;
        return digits > 0 && (p[digits] == '\0' || strcmp(p + digits, "/mountinfo") == 0);
}

static const char *reason_for_path(const struct allowed_files *allowed, const char *path)
{
        /* Each entry says who reads it and why that is not an escape. */
        static const struct {
                const char *path;
                bool subtree;
                const char *reason;
        } fixed[] = {
                /* The dynamic loader: its cache and preload list. */
                { "/etc/ld.so.cache", false, "the dynamic loader's cache" },
                { "/etc/ld.so.preload", false, "the dynamic loader's preload list" },
                /* System libraries (libc, libudev, libpci, libsensors, libsmartcols, libasan)
                 * and what glibc loads with them: locale archives and the iconv modules that
                 * setlocale() and libsmartcols' wide-character output need. */
                { "/lib", true, "a system library" },
                { "/lib64", true, "a system library" },
                { "/usr/lib", true, "a system library, locale or gconv data" },
                { "/usr/lib64", true, "a system library" },
                /* setlocale() reads the alias table (a link to /etc/locale.alias on Debian). */
                { "/usr/share/locale/locale.alias", false, "glibc's locale aliases" },
                { "/etc/locale.alias", false, "glibc's locale aliases" },
                /* pci.ids, the names of PCI vendors and devices (libpci tries .gz first). */
                { "/usr/share/misc/pci.ids", false, "pci.ids" },
                { "/usr/share/misc/pci.ids.gz", false, "pci.ids" },
                { "/usr/share/hwdata/pci.ids", false, "pci.ids" },
                { "/usr/share/hwdata/pci.ids.gz", false, "pci.ids" },
                /* libsensors' configuration, the system one and its drop-in directory. */
                { "/etc/sensors3.conf", false, "sensors.conf" },
                { "/etc/sensors.conf", false, "sensors.conf" },
                { "/etc/sensors.d", true, "sensors.conf" },
                /* The empty libsensors configuration ("sensors.config" set to ""). */
                { "/dev/null", false, "the empty sensors configuration" },
                /* The process itself: the sanitizers read /proc/self/maps and friends, the
                 * tests find themselves through /proc/self/exe. */
                { "/proc/self", true, "the process's own /proc entries" },
                { "/proc/thread-self", true, "the process's own /proc entries" },
                /* glibc's malloc reads it when it trims a thread's arena. */
                { "/proc/sys/vm/overcommit_memory", false, "glibc's malloc" },
                /* The sensors provider stats /sys (nothing more) to tell whether libsensors,
                 * which reads only /sys, would read the sysroot's tree. */
                { "/sys", false, "the sensors provider's check of what libsensors reads" },
                /* The user database, for the names of the owner and group of a device node
                 * that the block provider found (lsblk's OWNER, GROUP). */
                { "/etc/nsswitch.conf", false, "the user database, for a node's owner" },
                { "/etc/passwd", false, "the user database, for a node's owner" },
                { "/etc/group", false, "the user database, for a node's group" },
                /* libselinux, which libmount brings when the filesystem provider loads it to
                 * read a mount table, looks at load whether SELinux is mounted and set up. */
                { "/sys/fs/selinux", false, "libselinux's load-time check (with libmount)" },
                { "/selinux", false, "libselinux's load-time check (with libmount)" },
                { "/proc/filesystems", false, "libselinux's load-time check (with libmount)" },
                { "/etc/selinux/config", false, "libselinux's load-time check (with libmount)" },
        };

        if (allowed->sysroot && path_is_under(path, allowed->sysroot))
                return "sysroot";
        if (strcmp(path, allowed->program) == 0)
                return "the program itself";
        /* libglue.so, found through the RUNPATH of the build tree (the loader probes its
         * glibc-hwcaps/ and tls/ subdirectories first). */
        if (allowed->glue_dir && path_is_under(path, allowed->glue_dir))
                return "libglue.so in the build tree";
        if (allowed->umockdev) {
                /* The block provider opens its sysroot, here "/", as a directory handle; what
                 * it opens through it, umockdev redirects into the tree. */
                if (strcmp(path, "/") == 0)
                        return "the sysroot \"/\" itself";
                /* With the sysroot "/", block devices' udev properties come from libudev,
                 * which reads the machine's own udev database: umockdev does not redirect
                 * it (shared/fixtures/README.md). */
                if (path_is_under(path, "/run/udev/data"))
                        return "libudev's database";
                /* The sysroot "/" holds /sys: what umockdev does not redirect (0.17.16 does
                 * not wrap faccessat2) reaches the machine's sysfs, never anything else. */
                if (path_is_under(path, "/sys"))
                        return "sysfs of the sysroot \"/\", not redirected by umockdev";
                /* The sysroot "/" holds /dev: the block provider stats a device's node (lsblk's
                 * PATH, OWNER, GROUP, MODE) and the filesystem provider probes it with
                 * libblkid where udev has no entry; umockdev redirects /dev only where the
                 * testbed has one. */
                if (path_is_under(path, "/dev"))
                        return "a device node of the sysroot \"/\", not redirected by umockdev";
                /* ... and the mount table and swap areas of the sysroot "/", which are this
                 * process's: the filesystem provider reads /proc/self/mountinfo (umockdev's
                 * preload resolves /proc/self to /proc/<pid> first) and /proc/swaps. */
                if (strcmp(path, "/proc") == 0 || strcmp(path, "/proc/swaps") == 0 ||
                    is_proc_pid_path(path))
                        return "the mount table of the sysroot \"/\" (this process's)";
                /* The preload resolves UMOCKDEV_DIR, one directory above the other. */
                if (allowed->sysroot && path_is_under(allowed->sysroot, path))
                        return "umockdev's preload, resolving UMOCKDEV_DIR";
                /* umockdev's preload asks where the working directory is and whether a
                 * relative name resolves into /sys there, before each *at() call. */
                if (allowed->cwd && (strcmp(path, allowed->cwd) == 0 ||
                                     (path_is_under(path, allowed->cwd) &&
                                      !strchr(path + strlen(allowed->cwd) + 1, '/'))))
                        return "umockdev's preload, resolving a relative name";
        }
        for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
                if (fixed[i].subtree ? path_is_under(path, fixed[i].path)
                                     : strcmp(path, fixed[i].path) == 0)
                        return fixed[i].reason;
        return NULL;
}

const char *allowed_files_reason(const struct allowed_files *allowed,
                                 const struct file_access *access)
{
        const char *reason = NULL;

        if (access->path) {
                reason = reason_for_path(allowed, access->path);
                if (!reason)
                        return NULL;
        }
        /* /proc/self/maps opens as /proc/<pid>/maps. */
        if (access->path && access->opened &&
            (path_is_under(access->path, "/proc/self") ||
             path_is_under(access->path, "/proc/thread-self")) &&
            path_is_under(access->opened, "/proc"))
                return reason;
        if (access->opened && access->opened[0] == '/') {
                reason = reason_for_path(allowed, access->opened);
                if (!reason)
                        return NULL;
        }
        return reason ? reason : "no file";
}

unsigned allowed_files_check(const struct allowed_files *allowed, const struct file_trace *trace,
                             size_t from, size_t to, const char *context)
{
        unsigned bad = 0;

        for (size_t i = from; i < to && i < trace->n; i++) {
                const struct file_access *a = &trace->accesses[i];

                if (allowed_files_reason(allowed, a))
                        continue;
                if (bad++ < 20)
                        fprintf(stderr, "%s: %s(\"%s\") -> %s%s%s: outside the sysroot and the "
                                "allowed files\n", context, a->syscall,
                                a->argument ? a->argument : "", a->path ? a->path : "",
                                a->opened ? ", opened " : "", a->opened ? a->opened : "");
        }
        return bad;
}
