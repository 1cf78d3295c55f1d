/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The "pci" provider: every function of /sys/bus/pci/devices (under the "sysroot" option) as a
 * Linux_PCIDevice or one of its subclasses (schema/pci.mof), posted as soon as it is read.
 * Files: pci-function.c reads and posts one function; pci-scan.c holds the state of one
 * operation; pci-class.c maps class codes to classes; pci-libpci.c wraps libpci (names from
 * pci.ids, capability walks) so that its exit()-ing error path never ends the caller.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "pci-associations.h"
#include "pci-scan.h"
#include "providers.h"

static int pci_provider_init(struct glue_context *ctx, const struct glue_provider_ops *ops,
                             void **ret_data)
{
        struct pci_names *names;
        int r = pci_names_new(&names);

        if (r < 0)
                return r;
        *ret_data = names;
        return 0;
}

static void pci_provider_cleanup(void *data)
{
        pci_names_free(data);
}

static int pci_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        struct pci_scan *scan;
        struct dirent *entry;
        DIR *dir;
        int fd, r;

        if (glue_class_is_association(cls))
                return pci_associations_enumerate(call, cls, data);
        /* The scan holds a 4 KiB config buffer: keep it off the worker's stack. */
        scan = malloc(sizeof(*scan));
        if (!scan)
                return -ENOMEM;
        r = pci_scan_init(scan, call, cls, data);
        if (r < 0) {
                /* No PCI bus under the sysroot (a container, a tree without one): no
                 * instances, which is not a failure. */
                if (r == -ENOENT || r == -ENOTDIR) {
                        glue_call_log(call, LOG_WARNING, "no PCI bus under %s", scan->sysfs_bus_pci);
                        r = 0;
                }
                goto out;
        }
        fd = dup(scan->devices_fd);
        dir = fd >= 0 ? fdopendir(fd) : NULL;
        if (!dir) {
                r = -errno;
                if (fd >= 0)
                        close(fd);
                goto out;
        }
        /* readdir order, as lspci's sysfs back end: each function is posted as soon as it is
         * read, never after reading them all. */
        while ((entry = readdir(dir))) {
                struct pci_address address;
                char canonical[PCI_ADDRESS_MAX];

                if (entry->d_name[0] == '.')
                        continue;
                if (pci_address_parse(entry->d_name, &address) < 0) {
                        glue_call_log(call, LOG_DEBUG, "devices/%s: not a PCI address, skipped",
                                      entry->d_name);
                        continue;
                }
                /* The function is read by its canonical name: another spelling of the same
                 * address ("00000:00:02.0", "0000:00:0B.0") would post it a second time. The
                 * kernel writes only the canonical one. */
                pci_address_format(&address, canonical);
                if (strcmp(canonical, entry->d_name) != 0) {
                        glue_call_log(call, LOG_DEBUG, "devices/%s: not the kernel's spelling "
                                      "of %s, skipped", entry->d_name, canonical);
                        continue;
                }
                r = pci_function_post(scan, &address);
                if (r == -ENOENT)
                        glue_call_log(call, LOG_DEBUG, "devices/%s: listed, but cannot be "
                                      "opened: a dangling link, or it went away", entry->d_name);
                if (r == -ENODEV)
                        glue_call_log(call, LOG_NOTICE, "%s: vanished while it was read, "
                                      "not posted", entry->d_name);
                if (r == -ECANCELED)
                        break;
                if (r == -ENOMEM)
                        break;
                r = 0;
        }
        closedir(dir);
out:
        pci_scan_done(scan);
        free(scan);
        return r == -ECANCELED ? 0 : r;
}

static int pci_get_instance(struct glue_call *call, const struct glue_class *cls,
                            const struct glue_path *path, void *data)
{
        const char *key = glue_path_get_key(path, "DeviceID");
        struct pci_address address;
        struct pci_scan *scan;
        int r;

        if (glue_class_is_association(cls))
                return pci_associations_get(call, cls, path, data);
        /* Validate the key's shape before anything is opened: no '/', no "..", no 4 KiB
         * names; only dddd:bb:dd.f. */
        if (!key || pci_address_parse(key, &address) < 0)
                return -ENOENT;
        scan = malloc(sizeof(*scan));
        if (!scan)
                return -ENOMEM;
        r = pci_scan_init(scan, call, cls, data);
        if (r >= 0) {
                r = pci_function_post(scan, &address);
                /* 0: there, but not of the class asked for (or unreadable). */
                if (r == 0 || r == -ENODEV)
                        r = -ENOENT;
                else if (r > 0)
                        r = 0;
        } else if (r == -ENOTDIR) {
                r = -ENOENT;
        }
        pci_scan_done(scan);
        free(scan);
        return r;
}

const struct glue_provider_ops glue_provider_pci = {
        .size = sizeof(struct glue_provider_ops),
        .name = "pci",
        .init = pci_provider_init,
        .cleanup = pci_provider_cleanup,
        .enumerate = pci_enumerate,
        .get_instance = pci_get_instance,
        .references = pci_associations_references,
};
