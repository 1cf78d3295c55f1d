/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a device's place in sysfs says about it: the devices it hangs off (its ancestry,
 * sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda), their
 * subsystems (lsblk's SUBSYSTEMS, block:scsi:pci), whether one of them is a hot-plug bus
 * (HOTPLUG), and the PCI function of the storage controller (the nearest ancestor named by a
 * PCI address: the AHCI, NVMe, virtio, SCSI HBA or USB host function).
 *
 * Every component's subsystem link is read once per call (bc->subsystems): disks on one
 * controller share their upper ancestors, and a partition's chain is its disk's.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block.h"
#include "common/sysfs-read.h"

/* The subsystem of the directory dir[0..len) (relative to the sysroot): the name its subsystem
 * link points to, "" for none. Borrowed from the cache; NULL only when out of memory. */
/* The subsystem link of the device's ancestor `up` levels above it (0: the device), whose path
 * is dir[0..len), read now into name; "" for none.
 *
 * Under a sysroot the link is read relative to the device's own directory handle,
 * "../../subsystem" (sysfs device directories are real ones, so ".." is the parent the path
 * names): no open. At the sysroot "/" the ancestor is opened by its path and its link read
 * through it: umockdev's preload redirects that open into its testbed, where it neither
 * redirects a readlinkat by path nor resolves a relative "../" against the handle (it looks
 * the name up from the working directory). */
static void read_subsystem(struct block_call *bc, int dev_fd, unsigned up, const char *dir,
                           size_t len, char *name, size_t size)
{
        char rel[4096];
        int fd = -1, r;

        name[0] = '\0';
        if (bc->sysroot_is_root) {
                if (len + 1 > sizeof(rel))
                        return;
                memcpy(rel, dir, len);
                rel[len] = '\0';
                fd = openat(bc->sysroot_fd, rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
                r = fd < 0 ? -errno : sysfs_read_link_name(fd, "subsystem", name, size);
                if (fd >= 0)
                        close(fd);
        } else {
                size_t n = 0;

                if (up >= 64)
                        return;
                for (unsigned i = 0; i < up; i++) {
                        memcpy(rel + n, "../", 3);
                        n += 3;
                }
                memcpy(rel + n, "subsystem", sizeof("subsystem"));
                r = sysfs_read_link_name(dev_fd, rel, name, size);
        }
        if (r < 0) {
                name[0] = '\0';
                if (r != -ENOENT && r != -EINVAL && r != -ENOTDIR) {
                        /* unreadable, not absent */
                        char full[4096 + 256];

                        snprintf(full, sizeof(full), "%s/%.*s/subsystem",
                                 bc->sysroot_is_root ? "" : bc->sysroot, (int)len, dir);
                        glue_call_note_read_error(bc->call, full, r);
                }
        }
}

/* The same through the call's map: an ancestor is shared by every device below it. Borrowed
 * until the next call; NULL when out of memory. */
static const char *dir_subsystem(struct block_call *bc, int dev_fd, unsigned up,
                                 const char *dir, size_t len)
{
        const char *found = block_map_get(&bc->subsystems, dir, len);
        char name[256], *copy;

        if (found)
                return found;
        read_subsystem(bc, dev_fd, up, dir, len, name, sizeof(name));
        copy = strdup(name);
        if (!copy || block_map_put(&bc->subsystems, dir, len, copy) < 0) {
                free(copy);
                return NULL;
        }
        return copy;
}

/* ---- the resolved path -------------------------------------------------------------------- */

int block_resolve_path(struct block_call *bc, const struct block_entry *entry, char *buf,
                       size_t size)
{
        const char *devices = entry->devpath ? strstr(entry->devpath, "devices/") : NULL;
        char fd_path[64], real[4096];
        ssize_t n;

        /* The class link's target, "../../devices/pci0000:00/...": sysfs device directories
         * are real directories below it, so the text is the resolved path. */
        if (devices && (devices == entry->devpath || devices[-1] == '/')) {
                if ((size_t)snprintf(buf, size, "sys/%s", devices) >= size)
                        return -ENAMETOOLONG;
                return 0;
        }
        /* A plain directory (a partition in its disk's directory, a recorded tree): the
         * handle's own name, from the sys/devices/ it is under. */
        snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", entry->dir_fd);
        n = readlink(fd_path, real, sizeof(real) - 1);
        if (n <= 0)
                return -ENOENT;
        real[n] = '\0';
        devices = strstr(real, "/sys/devices/");
        if (!devices)
                return -ENOENT;
        if ((size_t)snprintf(buf, size, "%s", devices + 1) >= size)
                return -ENAMETOOLONG;
        return 0;
}

/* ---- subsystems and hot-plug ----------------------------------------------------------------- */

int block_subsystems(struct block_call *bc, const char *path, int dev_fd, char *buf,
                     size_t size)
{
        size_t len = strlen(path), out = 0, last = 0;
        unsigned up = 0;
        const size_t top = strlen("sys/devices");

        buf[0] = '\0';
        if (strncmp(path, "sys/devices/", top + 1) != 0)
                return -EINVAL;
        /* From the device up to (not including) sys/devices, as lsblk walks its devchain;
         * a subsystem repeated by the next ancestor (scsi, scsi) is named once. */
        while (len > top) {
                char own[256];
                const char *sub;
                size_t sublen;

                /* The device's own directory is nobody else's ancestor (a disk's is its
                 * partitions', found as theirs): read, not kept. */
                if (up == 0) {
                        read_subsystem(bc, dev_fd, 0, path, len, own, sizeof(own));
                        sub = own;
                } else {
                        sub = dir_subsystem(bc, dev_fd, up, path, len);
                }
                if (!sub)
                        return -ENOMEM;
                sublen = strlen(sub);
                if (sublen > 0 && !(out > 0 && strcmp(buf + last, sub) == 0)) {
                        if (out + sublen + 2 > size)
                                return -ENAMETOOLONG;
                        if (out > 0)
                                buf[out++] = ':';
                        last = out;
                        memcpy(buf + out, sub, sublen + 1);
                        out += sublen;
                }
                while (len > top && path[len - 1] != '/')
                        len--;
                if (len > top)
                        len--; /* the '/' */
                up++;
        }
        return (int)out;
}

bool block_subsystems_hotplug(const char *subsystems)
{
        static const char *const hotplug[] = { "usb", "ieee1394", "pcmcia", "mmc", "ccw" };
        const char *p = subsystems;

        while (p && *p) {
                const char *end = strchr(p, ':');
                size_t len = end ? (size_t)(end - p) : strlen(p);

                for (size_t i = 0; i < sizeof(hotplug) / sizeof(hotplug[0]); i++)
                        if (strlen(hotplug[i]) == len && strncmp(p, hotplug[i], len) == 0)
                                return true;
                p = end ? end + 1 : NULL;
        }
        return false;
}

/* ---- the storage controller ---------------------------------------------------------------- */

/* "dddd:bb:dd.f", the name the kernel gives a PCI function's directory (the domain can have up
 * to 8 hex digits, as behind Intel VMD). */
static bool is_pci_function_name(const char *s, size_t len)
{
        size_t domain = 0;

        while (domain < len && isxdigit((unsigned char)s[domain]))
                domain++;
        if (domain < 4 || domain > 8 || len != domain + 8)
                return false;
        s += domain;
        return s[0] == ':' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]) &&
               s[3] == ':' && isxdigit((unsigned char)s[4]) && isxdigit((unsigned char)s[5]) &&
               s[6] == '.' && s[7] >= '0' && s[7] <= '7';
}

/* The last component of path that names a PCI function, into buf; -ENOENT if none. */
static int nearest_pci_function(const char *path, char *buf, size_t size)
{
        const char *end = path + strlen(path);

        while (end > path) {
                const char *start = end;

                while (start > path && start[-1] != '/')
                        start--;
                if (is_pci_function_name(start, (size_t)(end - start))) {
                        if ((size_t)(end - start) >= size)
                                return -ENAMETOOLONG;
                        memcpy(buf, start, (size_t)(end - start));
                        buf[end - start] = '\0';
                        return 0;
                }
                end = start > path ? start - 1 : path;
        }
        return -ENOENT;
}

/* A namespace of native NVMe multipath hangs off its subsystem
 * (sys/devices/virtual/nvme-subsystem/nvme-subsys0/nvme0n1), whose entries nvme0, nvme1 link
 * to the controllers. One controller, or several on one PCI function: that function. Paths
 * through several functions: no one controller, unknown. */
static int nvme_subsystem_controller(struct block_call *bc, const char *path, char *buf,
                                     size_t size)
{
        const char *marker = strstr(path, "/nvme-subsystem/");
        char subsys[4096], target[4096], found[64] = "", addr[64];
        const char *end;
        struct dirent *de;
        DIR *dir;
        int fd, r = -ENOENT;

        if (!marker)
                return -ENOENT;
        end = strchr(marker + strlen("/nvme-subsystem/"), '/');
        if (!end || (size_t)(end - path) >= sizeof(subsys))
                return -ENOENT;
        memcpy(subsys, path, (size_t)(end - path));
        subsys[end - path] = '\0';
        fd = openat(bc->sysroot_fd, subsys, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -ENOENT;
        dir = fdopendir(fd);
        if (!dir) {
                close(fd);
                return -ENOENT;
        }
        while ((de = readdir(dir))) {
                ssize_t n;

                if (strncmp(de->d_name, "nvme", 4) != 0 || !isdigit((unsigned char)de->d_name[4]))
                        continue;
                n = readlinkat(dirfd(dir), de->d_name, target, sizeof(target) - 1);
                if (n <= 0)
                        continue; /* the namespaces (nvme0n1) are directories */
                target[n] = '\0';
                if (nearest_pci_function(target, addr, sizeof(addr)) < 0)
                        continue;
                if (!found[0]) {
                        snprintf(found, sizeof(found), "%s", addr);
                        r = 0;
                } else if (strcmp(found, addr) != 0) {
                        r = -ENOENT;
                        break;
                }
        }
        closedir(dir);
        if (r == 0 && (size_t)snprintf(buf, size, "%s", found) >= size)
                return -ENAMETOOLONG;
        return r;
}

int block_controller_pci_address(struct block_call *bc, const char *path, char *buf,
                                 size_t size)
{
        int r = nearest_pci_function(path, buf, size);

        if (r == -ENOENT)
                r = nvme_subsystem_controller(bc, path, buf, size);
        return r;
}
