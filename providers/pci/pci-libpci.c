/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <pci/pci.h>

#include "pci-libpci.h"

/*
 * The guard. libpci's hooks get no user data, so the innermost guard of the calling thread is
 * a thread-local. A guard is pushed right before a run of libpci calls and popped right after;
 * the error hook pops it itself and longjmps to it. libpci holds no lock and no half-written
 * global when it calls error(): what it allocated for the access stays owned by the access.
 */
struct pci_guard {
        jmp_buf env;
        struct glue_call *call;
        struct pci_guard *outer;
};

static __thread struct pci_guard *innermost_guard;

static void guard_push(struct pci_guard *guard, struct glue_call *call)
{
        guard->call = call;
        guard->outer = innermost_guard;
        innermost_guard = guard;
}

static void guard_pop(struct pci_guard *guard)
{
        innermost_guard = guard->outer;
}

/* setjmp must run in the frame that stays live while libpci runs: a macro, not a function. */
#define guard_enter(guard, call) (guard_push((guard), (call)), setjmp((guard)->env) == 0)

static void log_libpci(int priority, const char *format, va_list args)
{
        struct pci_guard *guard = innermost_guard;
        char text[512];
        size_t len;

        if (!guard || !guard->call)
                return;
        vsnprintf(text, sizeof(text), format, args);
        len = strlen(text);
        while (len > 0 && text[len - 1] == '\n')
                text[--len] = '\0';
        glue_call_log(guard->call, priority, "libpci: %s", text);
}

static void PCI_NONRET hook_error(char *format, ...)
{
        struct pci_guard *guard = innermost_guard;
        va_list args;

        va_start(args, format);
        log_libpci(LOG_WARNING, format, args);
        va_end(args);
        /* Every libpci call of this file runs under a guard (the accesses are private to it),
         * so there is always one to go back to; abort() only marks a broken invariant here. */
        if (!guard)
                abort();
        guard_pop(guard);
        longjmp(guard->env, 1);
}

static void hook_warning(char *format, ...)
{
        va_list args;

        /* "Cannot open .../config" and the like: expected on partial trees, so debug only. */
        va_start(args, format);
        log_libpci(LOG_DEBUG, format, args);
        va_end(args);
}

static void hook_debug(char *format, ...)
{
}

static void install_hooks(struct pci_access *access)
{
        access->error = hook_error;
        access->warning = hook_warning;
        access->debug = hook_debug;
        access->debugging = 0;
}

/* ------------------------------------------------------------------------------------------ */

struct pci_libpci_names {
        char *ids_path;            /* NULL: libpci's default */
        struct pci_access *access; /* NULL until the first lookup */
        bool failed;               /* libpci failed once: no names from then on */
};

int pci_libpci_names_new(const char *ids_path, struct pci_libpci_names **ret)
{
        struct pci_libpci_names *names = calloc(1, sizeof(*names));

        if (!names)
                return -ENOMEM;
        if (ids_path && !(names->ids_path = strdup(ids_path))) {
                free(names);
                return -ENOMEM;
        }
        *ret = names;
        return 0;
}

void pci_libpci_names_free(struct pci_libpci_names *names)
{
        struct pci_guard guard;

        if (!names)
                return;
        /* Even after a failure: libpci raises its errors before or after it changes its
         * lists (a parse error once the file is closed, an allocation failure before the
         * insertion), so the access is whole and pci_cleanup() frees all of it. */
        if (names->access && guard_enter(&guard, NULL)) {
                pci_cleanup(names->access);
                guard_pop(&guard);
        }
        free(names->ids_path);
        free(names);
}

int pci_libpci_default_ids_path(char **ret)
{
        struct pci_access *access;
        char *path;

        /* pci_alloc() sets the compiled-in path and reads nothing. */
        access = pci_alloc();
        path = access->id_file_name ? strdup(access->id_file_name) : NULL;
        pci_cleanup(access);
        if (!path)
                return -ENOMEM;
        *ret = path;
        return 0;
}

/* Called with a guard entered. */
static void names_open(struct pci_libpci_names *names)
{
        struct pci_access *access;

        /* pci_alloc() itself reports an allocation failure through libpci's default hook,
         * which exits: there is no way to install ours before it. */
        access = pci_alloc();
        install_hooks(access);
        names->access = access;
        if (names->ids_path) {
                char *copy = strdup(names->ids_path);

                if (copy)
                        pci_set_name_list_path(access, copy, 1);
        }
        /* Names come from pci.ids only: udev's PCI hwdb is a copy of pci.ids from another
         * date, and libpci asks it (an fnmatch walk) for every ID pci.ids lacks. */
        pci_set_param(access, (char *)"hwdb.disable", (char *)"1");
        /* libpci built with DNS lookups also consults a per-user cache of names fetched from
         * the network (~/.pciids-cache, which costs a getpwuid() and reads /etc/passwd): a
         * file outside sysfs and pci.ids that any user can write. */
        access->id_lookup_mode &= ~PCI_LOOKUP_CACHE;
}

int pci_libpci_names_lookup(struct pci_libpci_names *names, struct glue_call *call,
                            enum pci_name_kind kind, const struct pci_name_ids *ids, char *buf,
                            size_t size)
{
        const int flags = PCI_LOOKUP_NO_NUMBERS;
        const int class16 = ids->class_code << 8 | ids->subclass_code;
        struct pci_guard guard;
        char *volatile name = NULL;
        size_t len;

        if (size == 0 || size > 4096)
                return -EINVAL;
        if (names->failed)
                return -EIO;
        if (!guard_enter(&guard, call)) {
                names->failed = true;
                return -EIO;
        }
        if (!names->access)
                names_open(names);
        switch (kind) {
        case PCI_NAME_VENDOR:
                name = pci_lookup_name(names->access, buf, (int)size, flags | PCI_LOOKUP_VENDOR,
                                       ids->vendor);
                break;
        case PCI_NAME_DEVICE:
                name = pci_lookup_name(names->access, buf, (int)size, flags | PCI_LOOKUP_DEVICE,
                                       ids->vendor, ids->device);
                break;
        case PCI_NAME_SUBSYSTEM_VENDOR:
                name = pci_lookup_name(names->access, buf, (int)size,
                                       flags | PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_VENDOR,
                                       ids->subsystem_vendor);
                break;
        case PCI_NAME_SUBSYSTEM:
                name = pci_lookup_name(names->access, buf, (int)size,
                                       flags | PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_DEVICE,
                                       ids->vendor, ids->device, ids->subsystem_vendor,
                                       ids->subsystem);
                break;
        case PCI_NAME_CLASS:
                name = pci_lookup_name(names->access, buf, (int)size, flags | PCI_LOOKUP_CLASS,
                                       class16);
                break;
        case PCI_NAME_PROG_IF:
                name = pci_lookup_name(names->access, buf, (int)size, flags | PCI_LOOKUP_PROGIF,
                                       class16, ids->prog_if);
                break;
        }
        guard_pop(&guard);
        /* libpci returns buf, NULL for an unknown ID, or a static message when buf is short. */
        if (name != buf)
                return -ENOENT;
        len = strnlen(buf, size);
        return len ? (int)len : -ENOENT;
}

/* ------------------------------------------------------------------------------------------ */

struct pci_caps_reader {
        struct pci_access *access;
        uint8_t config[4096]; /* the bytes libpci sees: ours, then 0xff */
};

int pci_caps_reader_new(struct glue_call *call, const char *sysfs_bus_pci,
                        struct pci_caps_reader **ret)
{
        struct pci_caps_reader *reader = calloc(1, sizeof(*reader));
        struct pci_access *volatile access = NULL;
        struct pci_guard guard;

        if (!reader)
                return -ENOMEM;
        if (!guard_enter(&guard, call)) {
                struct pci_guard cleanup_guard;

                if (access && guard_enter(&cleanup_guard, call)) {
                        pci_cleanup(access);
                        guard_pop(&cleanup_guard);
                }
                free(reader);
                return -EIO;
        }
        access = pci_alloc();
        install_hooks(access);
        /* sysfs only, under the sysroot: never the auto-probe, which may try raw I/O ports. */
        access->method = PCI_ACCESS_SYS_BUS_PCI;
        pci_set_param(access, (char *)"sysfs.path", (char *)sysfs_bus_pci);
        pci_init(access);
        guard_pop(&guard);
        reader->access = access;
        *ret = reader;
        return 0;
}

void pci_caps_reader_free(struct pci_caps_reader *reader, struct glue_call *call)
{
        struct pci_guard guard;

        if (!reader)
                return;
        if (reader->access && guard_enter(&guard, call)) {
                pci_cleanup(reader->access);
                guard_pop(&guard);
        }
        free(reader);
}

static void read_caps(struct pci_dev *dev, unsigned what, struct pci_caps *caps)
{
        struct pci_cap *cap;

        pci_fill_info(dev, PCI_FILL_CAPS | PCI_FILL_EXT_CAPS);
        for (cap = dev->first_cap; cap && caps->count < PCI_CAPS_MAX; cap = cap->next)
                caps->list[caps->count++] = (struct pci_cap_entry){
                        .id = cap->id,
                        .offset = (uint16_t)cap->addr,
                        .extended = cap->type == PCI_CAP_EXTENDED,
                };
        cap = (what & (PCI_CAPS_LINK | PCI_CAPS_PORT_TYPE))
                      ? pci_find_cap(dev, PCI_CAP_ID_EXP, PCI_CAP_NORMAL)
                      : NULL;
        if (cap && (what & PCI_CAPS_PORT_TYPE)) {
                uint16_t flags = pci_read_word(dev, (int)cap->addr + PCI_EXP_FLAGS);

                if (flags != 0xffff) {
                        caps->has_port_type = true;
                        caps->port_type = (flags & PCI_EXP_FLAGS_TYPE) >> 4;
                }
        }
        if (cap && (what & PCI_CAPS_LINK)) {
                uint32_t link_caps = pci_read_long(dev, (int)cap->addr + PCI_EXP_LNKCAP);
                uint16_t link_status = pci_read_word(dev, (int)cap->addr + PCI_EXP_LNKSTA);

                /* A root port, an endpoint or a switch port: all have the link registers. An
                 * all-ones read means the bytes were not there (non-root beyond 64 bytes). */
                if (link_caps != 0xffffffff && link_status != 0xffff) {
                        caps->has_express = true;
                        caps->max_speed = link_caps & PCI_EXP_LNKCAP_SPEED;
                        caps->max_width = (link_caps & PCI_EXP_LNKCAP_WIDTH) >> 4;
                        caps->current_speed = link_status & PCI_EXP_LNKSTA_SPEED;
                        caps->current_width = (link_status & PCI_EXP_LNKSTA_WIDTH) >> 4;
                }
        }
        cap = (what & PCI_CAPS_POWER) ? pci_find_cap(dev, PCI_CAP_ID_PM, PCI_CAP_NORMAL) : NULL;
        if (cap) {
                uint16_t control = pci_read_word(dev, (int)cap->addr + PCI_PM_CTRL);

                if (control != 0xffff) {
                        caps->has_power_management = true;
                        caps->power_state = control & PCI_PM_CTRL_STATE_MASK;
                }
        }
        cap = (what & PCI_CAPS_SRIOV) ? pci_find_cap(dev, PCI_EXT_CAP_ID_SRIOV, PCI_CAP_EXTENDED)
                                      : NULL;
        if (cap) {
                caps->has_sriov = true;
                caps->sriov_total_vfs = pci_read_word(dev, (int)cap->addr + PCI_IOV_TOTALVF);
                caps->sriov_num_vfs = pci_read_word(dev, (int)cap->addr + PCI_IOV_NUMVF);
        }
}

int pci_caps_read(struct pci_caps_reader *reader, struct glue_call *call,
                  const struct pci_address *address, const uint8_t *config, size_t len,
                  size_t device_size, unsigned what, struct pci_caps *ret)
{
        struct pci_dev *volatile dev = NULL;
        struct pci_guard guard;
        const bool read_device = device_size > len;

        if (len > sizeof(reader->config))
                len = sizeof(reader->config);
        memcpy(reader->config, config, len);
        if (!read_device)
                memset(reader->config + len, 0xff, sizeof(reader->config) - len);
        memset(ret, 0, sizeof(*ret));
        if (!guard_enter(&guard, call)) {
                struct pci_guard cleanup_guard;

                /* pci_get_dev() does not link the device into the access: free it here. */
                if (dev && guard_enter(&cleanup_guard, call)) {
                        pci_free_dev(dev);
                        guard_pop(&cleanup_guard);
                }
                return -EIO;
        }
        dev = pci_get_dev(reader->access, (int)address->domain, address->bus, address->device,
                          address->function);
        /* libpci serves a read from the cache when the cache holds it, and otherwise from the
         * device's config file (its sysfs back end, under the sysroot: the same file we read).
         * With the whole buffer as cache it never opens a file; on a live sysfs it reads only
         * the registers its walk and our properties need, none of them twice. That file is
         * opened (without O_NONBLOCK: a live sysfs config never blocks) and closed again by
         * pci_free_dev(). */
        pci_setup_cache(dev, reader->config, read_device ? (int)len : (int)sizeof(reader->config));
        read_caps(dev, what, ret);
        pci_free_dev(dev);
        guard_pop(&guard);
        return 0;
}
