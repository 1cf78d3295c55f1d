/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "pci-ids.h"
#include "pci-libpci.h"
#include "pci-names.h"

struct pci_names {
        pthread_mutex_t lock;
        bool opened;                     /* the first lookup chose a reader */
        struct pci_ids *ids;             /* pci.ids read in place, or */
        struct pci_libpci_names *libpci; /* libpci's database, for a compressed file */
};

int pci_names_new(struct pci_names **ret)
{
        struct pci_names *names = calloc(1, sizeof(*names));

        if (!names)
                return -ENOMEM;
        pthread_mutex_init(&names->lock, NULL);
        *ret = names;
        return 0;
}

void pci_names_free(struct pci_names *names)
{
        if (!names)
                return;
        pci_ids_free(names->ids);
        pci_libpci_names_free(names->libpci);
        pthread_mutex_destroy(&names->lock);
        free(names);
}

/* Called with the lock held, once per context. */
static void names_open(struct pci_names *names, struct glue_call *call)
{
        const char *option = glue_call_get_option(call, "pci.ids");
        char *default_path = NULL;
        const char *path = option;
        int r;

        names->opened = true;
        if (!path || !*path) {
                r = pci_libpci_default_ids_path(&default_path);
                if (r < 0) {
                        glue_call_log(call, LOG_WARNING, "pci.ids: %s; no names", strerror(-r));
                        return;
                }
                path = default_path;
        }
        r = pci_ids_open(path, &names->ids);
        if (r == -ENOENT && strlen(path) > 3 && strcmp(path + strlen(path) - 3, ".gz") == 0) {
                /* libpci with zlib looks for "pci.ids.gz", then for "pci.ids" (Debian's). */
                char *plain = strndup(path, strlen(path) - 3);

                if (plain) {
                        free(default_path);
                        path = default_path = plain;
                        r = pci_ids_open(path, &names->ids);
                }
        }
        if (r == -EMEDIUMTYPE) {
                glue_call_log(call, LOG_DEBUG, "%s: compressed, read by libpci", path);
                r = pci_libpci_names_new(option && *option ? option : NULL, &names->libpci);
        } else if (r >= 0 && pci_ids_get_bad_lines(names->ids) > 0) {
                glue_call_log(call, LOG_WARNING, "%s: %zu malformed lines skipped", path,
                              pci_ids_get_bad_lines(names->ids));
        }
        if (r < 0) {
                glue_call_log(call, LOG_WARNING, "%s: %s; no names", path, strerror(-r));
                if (r != -ENOENT)
                        glue_call_note_read_error(call, path, r);
        }
        free(default_path);
}

int pci_names_lookup(struct pci_names *names, struct glue_call *call, enum pci_name_kind kind,
                     const struct pci_name_ids *ids, char *buf, size_t size)
{
        int r = -EIO;

        if (size == 0 || size > 4096)
                return -EINVAL;
        pthread_mutex_lock(&names->lock);
        if (!names->opened)
                names_open(names, call);
        if (names->ids)
                r = pci_ids_lookup(names->ids, kind, ids, buf, size);
        else if (names->libpci)
                r = pci_libpci_names_lookup(names->libpci, call, kind, ids, buf, size);
        pthread_mutex_unlock(&names->lock);
        /* An empty name (an IDE interface with no flags) is no name. */
        return r == 0 ? -ENOENT : r;
}
