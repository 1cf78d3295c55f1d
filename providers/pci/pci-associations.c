/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Linux_PCIDeviceControlledBy: each PCI function and the bridge upstream of it, the bus tree
 * that lspci -t draws.
 *
 * The kernel puts a function's directory in the directory of the bridge whose secondary bus
 * it is on (/sys/devices/pci0000:00/0000:00:1c.0/0000:02:00.0), and a function on a root bus
 * in the root bus's own (pci0000:00). So the upstream bridge is the component of the
 * function's devices/ link before its name, when that parses as a PCI address. A function on
 * a root bus has none: the host bridge function (0000:00:00.0, class 0x0600) is its sibling
 * on the root bus, as lspci -t draws it ("[0000:00]-+-00.0" beside "+-1c.0"), not its parent.
 * The parent counts only if devices/ lists a function by that name and that function is the
 * very directory above (compared by inode): a recorded tree may hold a bridge's directory
 * without the function, and then the relation is unknown, not guessed (lspci -t shows such a
 * function on a root bus of its own).
 *
 * One predicate, find_upstream(), decides every association, whichever operation asks: the
 * enumeration applies it to each listed function; the associations of one function apply it
 * to the function itself (as Dependent) and to the PCI-address subdirectories of its own
 * directory (as Antecedent), so they read that function's directory, its parent's and its
 * children's, never the bus. Each end is named by the class its instance is posted as, from
 * its class file as pci-function.c picks it (the Antecedent as Linux_PCIBridge, or as
 * Linux_PCIDevice for a bridge of another class code, since the REF names Linux_PCIBridge);
 * an unreadable class file names the end by Linux_PCIDevice, the same object by its base
 * class. The glue resolves the paths: this file never reads the other end's instance.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/sysfs-read.h"
#include "pci-associations.h"
#include "pci-scan.h"

#define ASSOCIATION_CLASS "Linux_PCIDeviceControlledBy"

/* A file under devices/ that could not be read for a reason other than its absence. */
static void note_read_error(struct pci_scan *scan, const char *relative, int r)
{
        char path[sizeof(scan->sysfs_bus_pci) + 64];
        int n;

        if (r >= 0 || r == -ENOENT)
                return;
        n = snprintf(path, sizeof(path), "%s/devices/%s", scan->sysfs_bus_pci, relative);
        if (n > 0 && (size_t)n < sizeof(path))
                glue_call_note_read_error(scan->call, path, r);
}

/* The association class, if the call asks for it (a deep call for it or a superclass, a
 * shallow one for it alone), else NULL: a caller's own subclass gets nothing from here. */
static const struct glue_class *association_class(struct glue_call *call,
                                                  const struct glue_class *cls)
{
        const struct glue_class *assoc;

        if (glue_context_find_class(glue_call_get_context(call), glue_class_get_namespace(cls),
                                    ASSOCIATION_CLASS, &assoc) < 0)
                return NULL;
        if (glue_call_is_shallow(call) ? assoc != cls : !glue_class_is_a(assoc, cls))
                return NULL;
        return assoc;
}

/* A scan of the sysroot's PCI bus for this call (pci-scan.c): -ENOENT when there is none. */
static int scan_open(struct glue_call *call, const struct glue_class *cls,
                     struct pci_names *names, struct pci_scan **ret)
{
        struct pci_scan *scan = malloc(sizeof(*scan));
        int r;

        if (!scan)
                return -ENOMEM;
        r = pci_scan_init(scan, call, cls, names);
        if (r < 0) {
                pci_scan_done(scan);
                free(scan);
                return r == -ENOTDIR ? -ENOENT : r;
        }
        *ret = scan;
        return 0;
}

static void scan_close(struct pci_scan *scan)
{
        pci_scan_done(scan);
        free(scan);
}

/*
 * The bridge upstream of the function listed in devices/ as `name` (canonical): 1 with its
 * address, 0 if it has none (a root bus's function, a parent that is no listed function, an
 * entry that is a directory rather than the kernel's link), -ENOENT if nothing is listed so.
 */
static int find_upstream(struct pci_scan *scan, const char *name, struct pci_address *ret)
{
        char target[PATH_MAX], above[PCI_ADDRESS_MAX], up[PCI_ADDRESS_MAX + 4];
        struct stat listed, parent;
        struct pci_address address;
        const char *last, *before;
        ssize_t n;

        n = readlinkat(scan->devices_fd, name, target, sizeof(target) - 1);
        if (n < 0) {
                int r = -errno;

                if (r == -ENOENT)
                        return r;
                if (r != -EINVAL) /* EINVAL: a directory, not a link: nothing above it */
                        note_read_error(scan, name, r);
                return 0;
        }
        target[n] = '\0';
        while (n > 1 && target[n - 1] == '/')
                target[--n] = '\0';
        last = strrchr(target, '/');
        if (!last || strcmp(last + 1, name) != 0)
                return 0;
        before = last;
        while (before > target && before[-1] != '/')
                before--;
        if (pci_address_parse_len(before, (size_t)(last - before), &address) < 0)
                return 0;
        pci_address_format(&address, above);
        snprintf(up, sizeof(up), "%s/..", name);
        if (fstatat(scan->devices_fd, above, &listed, 0) < 0 ||
            fstatat(scan->devices_fd, up, &parent, 0) < 0 || listed.st_dev != parent.st_dev ||
            listed.st_ino != parent.st_ino)
                return 0;
        *ret = address;
        return 1;
}

/* The class that names the listed function `name` (see the top of the file); upstream: as the
 * Antecedent, whose REF is Linux_PCIBridge. */
static const struct glue_class *end_class(struct pci_scan *scan, const char *name, bool upstream)
{
        enum pci_class_kind kind = PCI_KIND_DEVICE;
        char file[PCI_ADDRESS_MAX + sizeof("/class")];
        uint64_t code;
        int r;

        snprintf(file, sizeof(file), "%s/class", name);
        r = sysfs_read_uint64(scan->devices_fd, file, &code);
        if (r >= 0 && code > 0xffffff)
                r = -ERANGE;
        if (r >= 0)
                kind = pci_class_kind_of((uint8_t)(code >> 16), (uint8_t)(code >> 8));
        else
                note_read_error(scan, file, r);
        if (upstream && kind != PCI_KIND_BRIDGE)
                kind = PCI_KIND_DEVICE;
        return scan->classes[kind];
}

static int set_end(struct glue_instance *inst, const char *role, const struct glue_class *cls,
                   const char *device_id)
{
        char path[256];
        int n = snprintf(path, sizeof(path), "%s.DeviceID=\"%s\"", glue_class_get_name(cls),
                         device_id);

        if (n < 0 || (size_t)n >= sizeof(path))
                return -ENAMETOOLONG;
        return glue_instance_set_reference(inst, role, path);
}

/* Post one association; returns as glue_call_post(). */
static int post_association(struct pci_scan *scan, const struct glue_class *assoc,
                            const struct glue_class *up_class, const char *up,
                            const struct glue_class *down_class, const char *down)
{
        struct glue_instance *inst;
        int r;

        r = glue_call_new_instance(scan->call, glue_class_get_name(assoc), &inst);
        if (r < 0)
                return r;
        r = set_end(inst, "Antecedent", up_class, up);
        if (r >= 0)
                r = set_end(inst, "Dependent", down_class, down);
        if (r < 0) {
                /* A schema whose classes do not fit these references: every post would fail. */
                glue_call_log(scan->call, LOG_ERR, "%s -> %s: the references cannot be set: %s",
                              down, up, strerror(-r));
                glue_instance_unref(inst);
                return r;
        }
        return glue_call_post(scan->call, inst);
}

/* Enumeration: the classes of the bridges met, kept since many functions share one. */
#define UPSTREAM_CACHE_SIZE 32

struct upstream_cache {
        struct pci_address address[UPSTREAM_CACHE_SIZE];
        const struct glue_class *cls[UPSTREAM_CACHE_SIZE];
        size_t count, next;
};

static const struct glue_class *upstream_class(struct pci_scan *scan,
                                               struct upstream_cache *cache,
                                               const struct pci_address *address,
                                               const char *name)
{
        const struct glue_class *cls;

        for (size_t i = 0; i < cache->count; i++)
                if (pci_address_equal(&cache->address[i], address))
                        return cache->cls[i];
        cls = end_class(scan, name, true);
        cache->address[cache->next] = *address;
        cache->cls[cache->next] = cls;
        cache->next = (cache->next + 1) % UPSTREAM_CACHE_SIZE;
        if (cache->count < UPSTREAM_CACHE_SIZE)
                cache->count++;
        return cls;
}

int pci_associations_enumerate(struct glue_call *call, const struct glue_class *cls,
                               struct pci_names *names)
{
        const struct glue_class *assoc = association_class(call, cls);
        struct upstream_cache cache = { .count = 0 };
        struct pci_scan *scan;
        struct dirent *entry;
        DIR *dir;
        int fd, r;

        if (!assoc)
                return 0;
        r = scan_open(call, cls, names, &scan);
        if (r == -ENOENT)
                glue_call_log(call, LOG_WARNING, "no PCI bus under the sysroot");
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        fd = dup(scan->devices_fd);
        dir = fd >= 0 ? fdopendir(fd) : NULL;
        if (!dir) {
                r = -errno;
                if (fd >= 0)
                        close(fd);
                scan_close(scan);
                return r;
        }
        /* readdir order, each association posted as soon as it is read (as pci.c's functions). */
        while ((entry = readdir(dir))) {
                struct pci_address address, up;
                char name[PCI_ADDRESS_MAX], up_name[PCI_ADDRESS_MAX];

                /* The kernel's spelling only, as pci.c lists the functions. */
                if (pci_address_parse(entry->d_name, &address) < 0)
                        continue;
                pci_address_format(&address, name);
                if (strcmp(name, entry->d_name) != 0 || find_upstream(scan, name, &up) <= 0)
                        continue;
                pci_address_format(&up, up_name);
                r = post_association(scan, assoc, upstream_class(scan, &cache, &up, up_name),
                                     up_name, end_class(scan, name, false), name);
                if (r == -ECANCELED || r == -ENOMEM)
                        break;
                r = 0;
        }
        closedir(dir);
        scan_close(scan);
        return r == -ECANCELED ? 0 : r;
}

int pci_associations_get(struct glue_call *call, const struct glue_class *cls,
                         const struct glue_path *path, struct pci_names *names)
{
        const struct glue_class *assoc = association_class(call, cls);
        const char *dependent = glue_path_get_key(path, "Dependent"), *key;
        char name[PCI_ADDRESS_MAX], up_name[PCI_ADDRESS_MAX];
        struct pci_address address, up;
        struct glue_path *end = NULL;
        struct pci_scan *scan;
        int r;

        /* The Dependent names the function whose link tells; the glue compares the
         * Antecedent with what is posted. */
        if (!assoc || !dependent || glue_path_parse(dependent, &end) < 0)
                return -ENOENT;
        key = glue_path_get_key(end, "DeviceID");
        r = key && pci_address_parse(key, &address) == 0 ? 0 : -ENOENT;
        glue_path_free(end);
        if (r < 0)
                return r;
        pci_address_format(&address, name);
        r = scan_open(call, cls, names, &scan);
        if (r < 0)
                return r;
        r = find_upstream(scan, name, &up);
        if (r > 0) {
                pci_address_format(&up, up_name);
                r = post_association(scan, assoc, end_class(scan, up_name, true), up_name,
                                     end_class(scan, name, false), name);
                if (r == -ECANCELED)
                        r = 0;
        } else if (r == 0) {
                r = -ENOENT;
        }
        scan_close(scan);
        return r;
}

/* The associations in which the function `name` is the Antecedent: its subdirectories that
 * are listed functions with it as their upstream bridge. 0, or as glue_call_post(). */
static int post_downstream(struct pci_scan *scan, const struct glue_class *assoc,
                           const struct pci_address *address, const char *name)
{
        const struct glue_class *up_class = NULL;
        struct dirent *entry;
        DIR *dir;
        int fd, r = 0;

        fd = openat(scan->devices_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                note_read_error(scan, name, -errno);
                return 0;
        }
        dir = fdopendir(fd);
        if (!dir) {
                close(fd);
                return -ENOMEM;
        }
        while ((entry = readdir(dir))) {
                struct pci_address child, up;
                char child_name[PCI_ADDRESS_MAX];

                if (pci_address_parse(entry->d_name, &child) < 0)
                        continue;
                pci_address_format(&child, child_name);
                if (strcmp(child_name, entry->d_name) != 0 ||
                    find_upstream(scan, child_name, &up) <= 0 || !pci_address_equal(&up, address))
                        continue;
                if (!up_class)
                        up_class = end_class(scan, name, true);
                r = post_association(scan, assoc, up_class, name,
                                     end_class(scan, child_name, false), child_name);
                if (r == -ECANCELED || r == -ENOMEM)
                        break;
                r = 0;
        }
        closedir(dir);
        return r;
}

int pci_associations_references(struct glue_call *call, const struct glue_class *cls,
                                const struct glue_path *object, void *data)
{
        const struct glue_class *assoc = association_class(call, cls), *object_class;
        const char *key = glue_path_get_key(object, "DeviceID");
        char name[PCI_ADDRESS_MAX], up_name[PCI_ADDRESS_MAX];
        struct pci_address address, up;
        struct pci_scan *scan;
        int r;

        if (!assoc || !key || pci_address_parse(key, &address) < 0 ||
            glue_context_find_class(glue_call_get_context(call), glue_class_get_namespace(cls),
                                    glue_path_get_class(object), &object_class) < 0)
                return 0;
        /* Another spelling of the address names no instance (the provider posts the
         * kernel's). */
        pci_address_format(&address, name);
        if (strcmp(name, key) != 0)
                return 0;
        r = scan_open(call, cls, data, &scan);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        /* Not a PCI function (a class of another provider with a key of that shape). */
        if (!glue_class_is_a(object_class, scan->classes[PCI_KIND_DEVICE])) {
                scan_close(scan);
                return 0;
        }
        /* As the Dependent: the function's parent directory. */
        r = find_upstream(scan, name, &up);
        if (r > 0) {
                pci_address_format(&up, up_name);
                r = post_association(scan, assoc, end_class(scan, up_name, true), up_name,
                                     end_class(scan, name, false), name);
        }
        /* As the Antecedent: its own subdirectories (none if it is not listed). */
        if (r >= 0)
                r = post_downstream(scan, assoc, &address, name);
        else if (r == -ENOENT)
                r = 0;
        scan_close(scan);
        return r == -ECANCELED ? 0 : r;
}
