/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One PCI function, read from its /sys/bus/pci/devices entry and posted as an instance.
 *
 * What is read depends on what the call wants and on the tree. The class always comes from the
 * `class` file (it picks the instance's class; the kernel's quirks fix broken class codes there,
 * and lspci shows the fixed one). The rest of the identity comes, on the kernel's own sysfs,
 * from the attribute files (the kernel's copies: no hardware access, where a config read traps
 * to the hypervisor on a VM), and on a recorded or generated tree from one read of `config`
 * (one file instead of five). Config space is read only when the function is not
 * runtime-suspended: reading it resumes the parent bridge, and the device itself from D3cold.
 * Non-root users read 64 bytes of config; what lies beyond (the capabilities) is then NULL,
 * not an error. Property groups with files of their own: pci-link.c, pci-resources.c,
 * pci-aer.c, pci-capabilities.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/sysfs-read.h"
#include "pci-function.h"

/* ---- reading ------------------------------------------------------------------------------ */

void pci_function_note_read_error(struct pci_function *f, const char *attribute, int r)
{
        char path[sizeof(f->scan->sysfs_bus_pci) + 128];
        int n;

        if (r >= 0 || r == -ENOENT)
                return;
        n = snprintf(path, sizeof(path), "%s/devices/%s/%.64s", f->scan->sysfs_bus_pci, f->name,
                     attribute);
        if (n > 0 && (size_t)n < sizeof(path))
                glue_call_note_read_error(f->scan->call, path, r);
}

static void read_power(struct pci_function *f)
{
        int r;

        if (f->power_read)
                return;
        f->power_read = true;
        r = sysfs_read_attr(f->fd, "power/runtime_status", f->runtime_status,
                            sizeof(f->runtime_status));
        if (r < 0) {
                f->runtime_status[0] = '\0';
                pci_function_note_read_error(f, "power/runtime_status", r);
        }
        r = sysfs_read_attr(f->fd, "power_state", f->power_state, sizeof(f->power_state));
        if (r < 0) {
                f->power_state[0] = '\0';
                pci_function_note_read_error(f, "power_state", r);
        }
}

/* The kernel resumes the parent for every config access and the device itself from D3cold; an
 * active device keeps its parent active, so "active" (or no runtime PM at all) is safe. */
bool pci_function_is_asleep(struct pci_function *f)
{
        read_power(f);
        if (f->runtime_status[0])
                return strcmp(f->runtime_status, "suspended") == 0 ||
                       strcmp(f->runtime_status, "suspending") == 0;
        return strcmp(f->power_state, "D3cold") == 0;
}

int pci_function_read_config(struct pci_function *f)
{
        struct pci_scan *scan = f->scan;
        /* The header is what the identity needs. On a live sysfs every dword costs a hardware
         * access, so that is all; a file costs the same whole, so take it all at once. */
        const size_t size = scan->live_sysfs ? 64 : sizeof(scan->config);
        struct stat st;
        size_t len = 0;
        int fd, r = 0;

        if (f->config_tried)
                return f->config_len;
        f->config_tried = true;
        if (pci_function_is_asleep(f)) {
                glue_call_log(scan->call, LOG_DEBUG,
                              "%s: runtime-suspended, config space left unread", f->name);
                return f->config_len = -EAGAIN;
        }
        fd = openat(f->fd, "config", O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
                r = -errno;
                glue_call_log(scan->call, LOG_DEBUG, "%s/config: %s", f->name, strerror(-r));
                pci_function_note_read_error(f, "config", r);
                return f->config_len = r;
        }
        /* sysfs gives config the size of the function's config space (256 or 4,096): how far
         * libpci may read it. (A file is read whole below.) */
        if (scan->live_sysfs && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
                f->config_size = st.st_size > 4096 ? 4096 : (uint32_t)st.st_size;
        while (len < size) {
                ssize_t n = pread(fd, scan->config + len, size - len, (off_t)len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        r = -errno;
                if (n <= 0)
                        break;
                len += (size_t)n;
                /* sysfs hands config out whole, a file short-reads only at its end. */
                if ((size_t)n < size - (len - (size_t)n))
                        break;
        }
        close(fd);
        if (r < 0 && len == 0) {
                pci_function_note_read_error(f, "config", r);
                return f->config_len = r;
        }
        return f->config_len = (int)len;
}

int pci_function_read_uint(struct pci_function *f, const char *attribute, uint64_t max,
                           uint64_t *ret)
{
        int r = sysfs_read_uint64(f->fd, attribute, ret);

        if (r >= 0 && *ret > max)
                r = -ERANGE;
        if (r < 0 && r != -ENOENT) {
                glue_call_log(f->scan->call, LOG_DEBUG, "%s/%s: %s", f->name, attribute,
                              strerror(-r));
                pci_function_note_read_error(f, attribute, r);
        }
        return r;
}

static uint16_t config_word(const uint8_t *config, size_t offset)
{
        return (uint16_t)(config[offset] | config[offset + 1] << 8);
}

/* Class, subclass and programming interface, as the kernel's class file spells them. */
static uint64_t config_class_code(const uint8_t *config)
{
        return (uint64_t)config[0x0b] << 16 | config[0x0a] << 8 | config[0x09];
}

/* Does the function's name in devices/ still lead to the directory that was read? The kernel
 * (device_del) and umockdev take the bus link away before the files, so when this holds after
 * the last read, every read came before the removal began. */
static bool function_is_still_there(const struct pci_function *f)
{
        struct stat read_dir, named;

        return fstat(f->fd, &read_dir) == 0 &&
               fstatat(f->scan->devices_fd, f->name, &named, 0) == 0 &&
               read_dir.st_dev == named.st_dev && read_dir.st_ino == named.st_ino;
}

/* Is the 64-byte header in scan->config whole and the function's own? A VF's reads vendor
 * 0xffff (the kernel takes its IDs from the PF), an absent function all ones. */
static bool config_header_usable(const struct pci_function *f, int len)
{
        const uint8_t *config = f->scan->config;

        return len >= 0x30 && config_word(config, 0x00) != 0xffff && config_word(config, 0x00) &&
               config_word(config, 0x02) != 0xffff;
}

/* The IDs from the header, where it is trusted: its class agrees with the kernel's (a recorded
 * config can be garbage, and a quirk-fixed class may come with other fixes). */
static bool identity_from_header(struct pci_function *f, bool has_class, uint64_t *class_code)
{
        const uint8_t *config = f->scan->config;
        int len = pci_function_read_config(f);

        if (!config_header_usable(f, len) || (has_class && *class_code != config_class_code(config)))
                return false;
        f->header_trusted = true;
        f->vendor = config_word(config, 0x00);
        f->device = config_word(config, 0x02);
        f->revision = config[0x08];
        f->has_revision = true;
        *class_code = config_class_code(config);
        /* Subsystem IDs sit at 0x2c in a type 0 header only; a bridge's are in a capability,
         * which the kernel has read into the files. */
        if ((config[0x0e] & 0x7f) == 0) {
                f->subsystem_vendor = config_word(config, 0x2c);
                f->subsystem = config_word(config, 0x2e);
                f->has_subsystem = true;
        }
        return true;
}

/*
 * The IDs from the attribute files: on a live sysfs always, elsewhere where the header cannot
 * serve (a function asleep, an SR-IOV VF, a short or unreadable config in a recorded tree).
 * What the files lack, a partial header may still give (IDs 0x00-0x0b).
 */
static bool identity_from_files(struct pci_function *f, bool *has_class, uint64_t *class_code)
{
        uint64_t vendor = 0, device = 0, revision = 0;
        bool has_vendor = pci_function_read_uint(f, "vendor", 0xffff, &vendor) >= 0;
        bool has_device = pci_function_read_uint(f, "device", 0xffff, &device) >= 0;

        f->has_revision = pci_function_read_uint(f, "revision", 0xff, &revision) >= 0;
        if (!has_vendor || !has_device || !*has_class || !f->has_revision) {
                const uint8_t *config = f->scan->config;
                int len = pci_function_read_config(f);

                if (len >= 0x0c && config_word(config, 0) != 0xffff && config_word(config, 0)) {
                        if (!has_vendor)
                                vendor = config_word(config, 0x00);
                        if (!has_device)
                                device = config_word(config, 0x02);
                        if (!*has_class)
                                *class_code = config_class_code(config);
                        if (!f->has_revision)
                                revision = config[0x08];
                        has_vendor = has_device = *has_class = f->has_revision = true;
                }
        }
        f->vendor = (uint16_t)vendor;
        f->device = (uint16_t)device;
        f->revision = (uint8_t)revision;
        return has_vendor && has_device;
}

/* Subsystem IDs from the files, or from a type 0 header that is in hand when they are
 * unreadable (a bridge's are in a capability, which only the kernel's files give). */
static bool subsystem_from_files(struct pci_function *f, uint64_t *vendor, uint64_t *device)
{
        const uint8_t *config = f->scan->config;
        int r = pci_function_read_uint(f, "subsystem_vendor", 0xffff, vendor);

        if (r >= 0)
                return pci_function_read_uint(f, "subsystem_device", 0xffff, device) >= 0;
        if (r == -ENOENT || !f->config_tried || !config_header_usable(f, f->config_len) ||
            (config[0x0e] & 0x7f) != 0)
                return false;
        *vendor = config_word(config, 0x2c);
        *device = config_word(config, 0x2e);
        return true;
}

static int function_read_identity(struct pci_function *f)
{
        struct pci_scan *scan = f->scan;
        uint64_t class_code = 0, subsystem_vendor = 0, subsystem = 0;
        bool has_class, has_ids;

        has_class = pci_function_read_uint(f, "class", 0xffffff, &class_code) >= 0;
        if (!scan->want_identity && has_class) {
                /* Keys only: the class picks the instance's class, nothing else is asked. */
                has_ids = true;
        } else if (!scan->live_sysfs && identity_from_header(f, has_class, &class_code)) {
                has_class = has_ids = true;
        } else {
                has_ids = identity_from_files(f, &has_class, &class_code);
        }
        if (!has_ids || !has_class) {
                if (!function_is_still_there(f))
                        return -ENODEV;
                glue_call_log(scan->call, LOG_WARNING,
                              "%s: no vendor, device or class, neither in sysfs nor in config "
                              "space; skipped", f->name);
                return -ENODATA;
        }
        f->class_code = (uint8_t)(class_code >> 16);
        f->subclass_code = (uint8_t)(class_code >> 8);
        f->prog_if = (uint8_t)class_code;
        if (scan->want_identity && !f->has_subsystem)
                f->has_subsystem = subsystem_from_files(f, &subsystem_vendor, &subsystem);
        else {
                subsystem_vendor = f->subsystem_vendor;
                subsystem = f->subsystem;
        }
        /* No subsystem: 0x0000, or 0xffff (lspci shows neither). */
        f->has_subsystem = f->has_subsystem && subsystem_vendor != 0 && subsystem_vendor != 0xffff;
        f->subsystem_vendor = f->has_subsystem ? (uint16_t)subsystem_vendor : 0;
        f->subsystem = f->has_subsystem ? (uint16_t)subsystem : 0;
        return 0;
}

/* The capabilities, through libpci, for the properties that need them. */
const struct pci_caps *pci_function_caps(struct pci_function *f)
{
        struct pci_scan *scan = f->scan;
        size_t len, device_size;
        unsigned what = 0;

        if (f->caps_read)
                return f->has_caps ? &f->caps : NULL;
        f->caps_read = true;
        if (scan->caps_failed)
                return NULL;
        /* Capabilities start at 0x40 at the earliest: past the 64 bytes of config that
         * non-root users can read, and past a recorded header alone. */
        if (scan->live_sysfs) {
                /* libpci reads what the walk needs from the config file itself; the header,
                 * if it was read, is its cache. */
                if (geteuid() != 0 || pci_function_is_asleep(f))
                        return NULL;
                len = f->config_tried && f->config_len > 0 ? (size_t)f->config_len : 0;
                device_size = f->config_size ? f->config_size : 4096;
        } else {
                int r = pci_function_read_config(f);

                if (r <= 64)
                        return NULL;
                len = device_size = (size_t)r;
        }
        if (!scan->caps && pci_caps_reader_new(scan->call, scan->sysfs_bus_pci, &scan->caps) < 0) {
                scan->caps_failed = true;
                return NULL;
        }
        if (scan->want[PCI_PROP_CURRENT_LINK_SPEED] || scan->want[PCI_PROP_MAX_LINK_SPEED] ||
            scan->want[PCI_PROP_CURRENT_LINK_WIDTH] || scan->want[PCI_PROP_MAX_LINK_WIDTH] ||
            scan->want[PCI_PROP_LINK_DEGRADED])
                what |= PCI_CAPS_LINK;
        /* Whether a narrower link is the port's fault depends on which end it is. */
        if (scan->want[PCI_PROP_LINK_DEGRADED] && f->class_code == 0x06 && f->subclass_code == 0x04)
                what |= PCI_CAPS_PORT_TYPE;
        if (scan->want[PCI_PROP_POWER_STATE])
                what |= PCI_CAPS_POWER;
        if (scan->want[PCI_PROP_SRIOV_TOTAL_VFS] || scan->want[PCI_PROP_SRIOV_NUM_VFS])
                what |= PCI_CAPS_SRIOV;
        if (pci_caps_read(scan->caps, scan->call, &f->address, scan->config, len, device_size,
                          what, &f->caps) < 0) {
                /* libpci failed inside its access: do not use that access again. */
                scan->caps_failed = true;
                return NULL;
        }
        f->has_caps = true;
        return &f->caps;
}

/* ---- setting properties ------------------------------------------------------------------ */

static void log_set_failure(struct pci_function *f, enum pci_property prop, int r)
{
        if (r < 0)
                glue_call_log(f->scan->call, LOG_DEBUG, "%s: cannot set %s: %s", f->name,
                              pci_property_names[prop], strerror(-r));
}

bool pci_function_wants(const struct pci_function *f, enum pci_property prop)
{
        return f->scan->want[prop];
}

void pci_function_set_uint(struct pci_function *f, struct glue_instance *inst,
                           enum pci_property prop, uint64_t value)
{
        if (f->scan->want[prop])
                log_set_failure(f, prop, glue_instance_set_uint(inst, pci_property_names[prop],
                                                                value));
}

static void set_sint(struct pci_function *f, struct glue_instance *inst, enum pci_property prop,
                     int64_t value)
{
        if (f->scan->want[prop])
                log_set_failure(f, prop, glue_instance_set_sint(inst, pci_property_names[prop],
                                                                value));
}

void pci_function_set_bool(struct pci_function *f, struct glue_instance *inst,
                           enum pci_property prop, bool value)
{
        if (f->scan->want[prop])
                log_set_failure(f, prop, glue_instance_set_bool(inst, pci_property_names[prop],
                                                                value));
}

void pci_function_set_string(struct pci_function *f, struct glue_instance *inst,
                             enum pci_property prop, const char *value)
{
        if (f->scan->want[prop])
                log_set_failure(f, prop, glue_instance_set_string(inst,
                                                                  pci_property_names[prop],
                                                                  value));
}

void pci_function_set_uint_array(struct pci_function *f, struct glue_instance *inst,
                                 enum pci_property prop, const uint64_t *values, size_t count)
{
        if (f->scan->want[prop])
                log_set_failure(f, prop, glue_instance_set_uint_array(
                                                 inst, pci_property_names[prop], values, count));
}

void pci_function_set_string_array(struct pci_function *f, struct glue_instance *inst,
                                   enum pci_property prop, const char *const *values,
                                   size_t count)
{
        if (f->scan->want[prop])
                log_set_failure(f, prop, glue_instance_set_string_array(
                                                 inst, pci_property_names[prop], values, count));
}

void pci_function_set_bool_array(struct pci_function *f, struct glue_instance *inst,
                                 enum pci_property prop, const bool *values, size_t count)
{
        const struct glue_value value = {
                .type = GLUE_TYPE_BOOLEAN,
                .is_array = true,
                .count = count,
                .v.b_array = values,
        };

        if (f->scan->want[prop])
                log_set_failure(f, prop, glue_instance_set_value(inst, pci_property_names[prop],
                                                                 &value));
}

/* A numeric attribute into a property: missing or garbage leave it unset (NULL). */
static bool set_uint_attribute(struct pci_function *f, struct glue_instance *inst,
                               enum pci_property prop, const char *attribute, uint64_t max)
{
        uint64_t value;

        if (!f->scan->want[prop] || pci_function_read_uint(f, attribute, max, &value) < 0)
                return false;
        pci_function_set_uint(f, inst, prop, value);
        return true;
}

/* The last component of a link's target, if the target exists: a dangling link (a recorded
 * tree without /sys/kernel/iommu_groups or /sys/bus/pci/drivers) says nothing reliable. */
static int read_live_link_name(struct pci_function *f, const char *link, char *buf, size_t size)
{
        int r;

        /* The kernel's links lead somewhere; a recorded tree's may not. */
        if (!f->scan->live_sysfs && faccessat(f->fd, link, F_OK, 0) < 0) {
                if (errno != ENOENT || faccessat(f->fd, link, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
                        glue_call_log(f->scan->call, LOG_DEBUG, "%s/%s: dangling link",
                                      f->name, link);
                return -ENOENT;
        }
        r = sysfs_read_link_name(f->fd, link, buf, size);
        pci_function_note_read_error(f, link, r);
        return r;
}

/* What the driver link says, read once per driver and operation: its name, whether it leads
 * somewhere, and its module (three system calls a function, saved after the first). */
static void read_driver(struct pci_function *f, const char *target, struct pci_driver_seen *ret)
{
        const char *base = strrchr(target, '/');

        memset(ret, 0, sizeof(*ret));
        snprintf(ret->target, sizeof(ret->target), "%s", target);
        base = base ? base + 1 : target;
        /* A name too long for a driver's is no driver's. */
        if (strlen(base) < sizeof(ret->name))
                memcpy(ret->name, base, strlen(base) + 1);
        ret->live = f->scan->live_sysfs || faccessat(f->fd, "driver", F_OK, 0) == 0;
        if (!ret->live) {
                glue_call_log(f->scan->call, LOG_DEBUG, "%s/driver: dangling link", f->name);
                return;
        }
        if (f->scan->want[PCI_PROP_KERNEL_MODULE] &&
            read_live_link_name(f, "driver/module", ret->module, sizeof(ret->module)) < 0)
                ret->module[0] = '\0';
}

static void set_driver(struct pci_function *f, struct glue_instance *inst)
{
        struct pci_scan *scan = f->scan;
        struct pci_driver_seen uncached, *seen = NULL;
        char target[sizeof(uncached.target)];
        ssize_t n;

        if (!scan->want[PCI_PROP_DRIVER] && !scan->want[PCI_PROP_KERNEL_MODULE])
                return;
        n = readlinkat(f->fd, "driver", target, sizeof(target) - 1);
        if (n < 0) {
                /* No driver bound (ENOENT); a file where the link belongs (EINVAL). */
                pci_function_note_read_error(f, "driver", errno == ENOENT ? -ENOENT : -errno);
                return;
        }
        if (n == 0 || (size_t)n >= sizeof(target) - 1)
                return;
        target[n] = '\0';
        while (n > 1 && target[n - 1] == '/')
                target[--n] = '\0';
        for (size_t i = 0; i < scan->driver_count && !seen; i++)
                if (strcmp(scan->drivers[i].target, target) == 0)
                        seen = &scan->drivers[i];
        if (!seen) {
                seen = scan->driver_count < PCI_DRIVERS_SEEN_MAX
                               ? &scan->drivers[scan->driver_count++]
                               : &uncached;
                read_driver(f, target, seen);
        }
        if (!seen->live || !seen->name[0])
                return;
        pci_function_set_string(f, inst, PCI_PROP_DRIVER, seen->name);
        if (seen->module[0])
                pci_function_set_string(f, inst, PCI_PROP_KERNEL_MODULE, seen->module);
}

static void set_names(struct pci_function *f, struct glue_instance *inst)
{
        static const struct {
                enum pci_property prop;
                enum pci_name_kind kind;
                bool needs_subsystem;
        } lookups[] = {
                { PCI_PROP_VENDOR_NAME, PCI_NAME_VENDOR, false },
                { PCI_PROP_DEVICE_NAME, PCI_NAME_DEVICE, false },
                { PCI_PROP_SUBSYSTEM_VENDOR_NAME, PCI_NAME_SUBSYSTEM_VENDOR, true },
                { PCI_PROP_SUBSYSTEM_NAME, PCI_NAME_SUBSYSTEM, true },
                { PCI_PROP_CLASS_NAME, PCI_NAME_CLASS, false },
                { PCI_PROP_PROGRAMMING_INTERFACE_NAME, PCI_NAME_PROG_IF, false },
        };
        const struct pci_name_ids ids = {
                .vendor = f->vendor,
                .device = f->device,
                .subsystem_vendor = f->subsystem_vendor,
                .subsystem = f->subsystem,
                .class_code = f->class_code,
                .subclass_code = f->subclass_code,
                .prog_if = f->prog_if,
        };
        char name[256];

        for (size_t i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
                if (!f->scan->want[lookups[i].prop] ||
                    (lookups[i].needs_subsystem && !f->has_subsystem))
                        continue;
                int r = pci_names_lookup(f->scan->names, f->scan->call, lookups[i].kind, &ids,
                                         name, sizeof(name));
                if (r == -EIO)
                        return;
                if (r > 0)
                        pci_function_set_string(f, inst, lookups[i].prop, name);
        }
}

/* The devices/ entry links to ../../../devices/pci0000:00/0000:00:1c.0/0000:02:00.0: that is
 * the SysfsPath, and the component before the last is the upstream bridge (ParentBridge), or
 * the root bus "pci0000:00". */
static void set_sysfs_links(struct pci_function *f, struct glue_instance *inst)
{
        struct pci_address parent;
        char target[4096], *devices, *last, *before;
        ssize_t n;

        if (!f->scan->want[PCI_PROP_PARENT_BRIDGE] && !f->scan->want[PCI_PROP_SYSFS_PATH])
                return;
        n = readlinkat(f->scan->devices_fd, f->name, target, sizeof(target) - 1);
        if (n <= 0)
                return;
        target[n] = '\0';
        devices = strstr(target, "devices/");
        if (devices && f->scan->want[PCI_PROP_SYSFS_PATH])
                log_set_failure(f, PCI_PROP_SYSFS_PATH,
                                glue_instance_set_stringf(inst, "SysfsPath", "/sys/%s", devices));
        last = strrchr(target, '/');
        if (!last)
                return;
        *last = '\0';
        before = strrchr(target, '/');
        before = before ? before + 1 : target;
        if (pci_address_parse(before, &parent) == 0) {
                char canonical[PCI_ADDRESS_MAX];

                pci_address_format(&parent, canonical);
                pci_function_set_string(f, inst, PCI_PROP_PARENT_BRIDGE, canonical);
        }
}

static void set_power(struct pci_function *f, struct glue_instance *inst)
{
        static const char *const states[] = { "D0", "D1", "D2", "D3hot" };
        const struct pci_caps *caps;

        if (!f->scan->want[PCI_PROP_POWER_STATE] && !f->scan->want[PCI_PROP_RUNTIME_STATUS])
                return;
        read_power(f);
        if (f->runtime_status[0])
                pci_function_set_string(f, inst, PCI_PROP_RUNTIME_STATUS, f->runtime_status);
        if (!f->scan->want[PCI_PROP_POWER_STATE])
                return;
        if (f->power_state[0] == 'D')
                pci_function_set_string(f, inst, PCI_PROP_POWER_STATE, f->power_state);
        else if (!f->power_state[0] && (caps = pci_function_caps(f)) && caps->has_power_management)
                pci_function_set_string(f, inst, PCI_PROP_POWER_STATE,
                                        states[caps->power_state & 3]);
}

static void set_sriov(struct pci_function *f, struct glue_instance *inst)
{
        const struct pci_caps *caps;
        uint64_t total = 0, num = 0;
        int total_r, num_r;

        if (!f->scan->want[PCI_PROP_SRIOV_TOTAL_VFS] && !f->scan->want[PCI_PROP_SRIOV_NUM_VFS])
                return;
        /* One attribute group: without sriov_totalvfs there is no sriov_numvfs either. */
        total_r = pci_function_read_uint(f, "sriov_totalvfs", 0xffff, &total);
        num_r = total_r == -ENOENT ? -ENOENT
                                   : pci_function_read_uint(f, "sriov_numvfs", 0xffff, &num);
        if (total_r >= 0)
                pci_function_set_uint(f, inst, PCI_PROP_SRIOV_TOTAL_VFS, total);
        if (num_r >= 0)
                pci_function_set_uint(f, inst, PCI_PROP_SRIOV_NUM_VFS, num);
        /* The kernel shows these files for every SR-IOV physical function: on its own sysfs,
         * their absence means none. A recorded tree may have left them out. */
        if (total_r != -ENOENT || num_r != -ENOENT || f->scan->live_sysfs)
                return;
        if ((caps = pci_function_caps(f)) && caps->has_sriov) {
                pci_function_set_uint(f, inst, PCI_PROP_SRIOV_TOTAL_VFS, caps->sriov_total_vfs);
                pci_function_set_uint(f, inst, PCI_PROP_SRIOV_NUM_VFS, caps->sriov_num_vfs);
        }
}

static void set_bridge_buses(struct pci_function *f, struct glue_instance *inst)
{
        const uint8_t *config = f->scan->config;

        if (!f->scan->want[PCI_PROP_SECONDARY_BUS_NUMBER] &&
            !f->scan->want[PCI_PROP_SUBORDINATE_BUS_NUMBER])
                return;
        /* Bus numbers sit at 0x19 and 0x1a of a type 1 (PCI-to-PCI) or type 2 (CardBus)
         * header, which the identity read of a recorded tree already holds; the files (kernels
         * from 5.x on) serve on a live sysfs and where the header could not be read. */
        if (f->header_trusted && (config[0x0e] & 0x7f) != 0) {
                pci_function_set_uint(f, inst, PCI_PROP_SECONDARY_BUS_NUMBER, config[0x19]);
                pci_function_set_uint(f, inst, PCI_PROP_SUBORDINATE_BUS_NUMBER, config[0x1a]);
                return;
        }
        if (set_uint_attribute(f, inst, PCI_PROP_SECONDARY_BUS_NUMBER, "secondary_bus_number",
                               0xff) |
            set_uint_attribute(f, inst, PCI_PROP_SUBORDINATE_BUS_NUMBER,
                               "subordinate_bus_number", 0xff))
                return;
        /* The kernel shows them for every bridge with a secondary bus (since 4.19): on its
         * own sysfs, no files means a host or other bridge without one. */
        if (f->scan->live_sysfs)
                return;
        if (pci_function_read_config(f) >= 0x1b && config_header_usable(f, f->config_len) &&
            (config[0x0e] & 0x7f) != 0) {
                pci_function_set_uint(f, inst, PCI_PROP_SECONDARY_BUS_NUMBER, config[0x19]);
                pci_function_set_uint(f, inst, PCI_PROP_SUBORDINATE_BUS_NUMBER, config[0x1a]);
        }
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void set_network_interfaces(struct pci_function *f, struct glue_instance *inst)
{
        char *names[64];
        size_t count = 0;
        struct dirent *entry;
        DIR *dir;
        int fd;

        if (!f->scan->want[PCI_PROP_NETWORK_INTERFACES])
                return;
        fd = openat(f->fd, "net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                pci_function_note_read_error(f, "net", errno == ENOTDIR ? -ENOENT : -errno);
                return;
        }
        dir = fdopendir(fd);
        if (!dir) {
                close(fd);
                return;
        }
        while ((entry = readdir(dir)) && count < sizeof(names) / sizeof(names[0]))
                if (entry->d_name[0] != '.' && (names[count] = strdup(entry->d_name)))
                        count++;
        closedir(dir);
        qsort(names, count, sizeof(names[0]), compare_strings);
        pci_function_set_string_array(f, inst, PCI_PROP_NETWORK_INTERFACES,
                                      (const char *const *)names, count);
        while (count > 0)
                free(names[--count]);
}

static void set_boot_vga(struct pci_function *f, struct glue_instance *inst)
{
        uint64_t boot_vga;

        if (f->scan->want[PCI_PROP_BOOT_VGA] &&
            pci_function_read_uint(f, "boot_vga", 1, &boot_vga) >= 0)
                pci_function_set_bool(f, inst, PCI_PROP_BOOT_VGA, boot_vga == 1);
}

static void function_fill(struct pci_function *f, struct glue_instance *inst)
{
        struct pci_scan *scan = f->scan;
        int64_t numa_node;
        uint64_t irq;
        const char *slot;
        char group[32];
        int r;

        pci_function_set_string(f, inst, PCI_PROP_NAME, f->name);
        pci_function_set_string(f, inst, PCI_PROP_CREATION_CLASS_NAME,
                                glue_class_get_name(scan->classes[f->kind]));
        if (scan->host_name[0])
                pci_function_set_string(f, inst, PCI_PROP_SYSTEM_NAME, scan->host_name);
        pci_function_set_uint(f, inst, PCI_PROP_VENDOR_ID, f->vendor);
        pci_function_set_uint(f, inst, PCI_PROP_PCI_DEVICE_ID, f->device);
        if (f->has_subsystem) {
                pci_function_set_uint(f, inst, PCI_PROP_SUBSYSTEM_VENDOR_ID, f->subsystem_vendor);
                pci_function_set_uint(f, inst, PCI_PROP_SUBSYSTEM_ID, f->subsystem);
        }
        if (f->has_revision)
                pci_function_set_uint(f, inst, PCI_PROP_REVISION_ID, f->revision);
        pci_function_set_uint(f, inst, PCI_PROP_CLASS_CODE, f->class_code);
        pci_function_set_uint(f, inst, PCI_PROP_SUBCLASS_CODE, f->subclass_code);
        pci_function_set_uint(f, inst, PCI_PROP_PROGRAMMING_INTERFACE, f->prog_if);
        pci_function_set_uint(f, inst, PCI_PROP_DOMAIN_NUMBER, f->address.domain);
        pci_function_set_uint(f, inst, PCI_PROP_BUS_NUMBER, f->address.bus);
        pci_function_set_uint(f, inst, PCI_PROP_DEVICE_NUMBER, f->address.device);
        pci_function_set_uint(f, inst, PCI_PROP_FUNCTION_NUMBER, f->address.function);

        set_names(f, inst);

        set_driver(f, inst);
        /* -1: the platform gave no NUMA affinity. */
        if (scan->want[PCI_PROP_NUMA_NODE]) {
                r = sysfs_read_int64(f->fd, "numa_node", &numa_node);
                if (r >= 0 && numa_node >= 0 && numa_node <= INT32_MAX)
                        set_sint(f, inst, PCI_PROP_NUMA_NODE, numa_node);
                pci_function_note_read_error(f, "numa_node", r);
        }
        if (scan->want[PCI_PROP_IOMMU_GROUP] &&
            read_live_link_name(f, "iommu_group", group, sizeof(group)) >= 0) {
                uint64_t number;

                if (sysfs_parse_uint64(group, &number) >= 0 && number <= UINT32_MAX)
                        pci_function_set_uint(f, inst, PCI_PROP_IOMMU_GROUP, number);
        }
        /* 0: no interrupt line. */
        if (scan->want[PCI_PROP_IRQ] && pci_function_read_uint(f, "irq", UINT32_MAX, &irq) >= 0 &&
            irq > 0)
                pci_function_set_uint(f, inst, PCI_PROP_IRQ, irq);
        if (scan->want[PCI_PROP_PHYSICAL_SLOT] && (slot = pci_scan_find_slot(scan, &f->address)))
                pci_function_set_string(f, inst, PCI_PROP_PHYSICAL_SLOT, slot);
        set_sysfs_links(f, inst);

        pci_function_set_link(f, inst);
        set_power(f, inst);
        set_sriov(f, inst);
        pci_function_set_resources(f, inst);
        pci_function_set_aer(f, inst);
        pci_function_set_capabilities(f, inst);

        switch (f->kind) {
        case PCI_KIND_BRIDGE:
                set_bridge_buses(f, inst);
                pci_function_set_bridge_windows(f, inst);
                break;
        case PCI_KIND_NETWORK:
                set_network_interfaces(f, inst);
                break;
        case PCI_KIND_DISPLAY:
                set_boot_vga(f, inst);
                break;
        default:
                break;
        }
}

static bool scan_accepts(const struct pci_scan *scan, const struct glue_class *cls)
{
        if (scan->shallow)
                return cls == scan->requested;
        return glue_class_is_a(cls, scan->requested);
}

int pci_function_post(struct pci_scan *scan, const struct pci_address *address)
{
        struct pci_function f = {
                .scan = scan,
                .address = *address,
        };
        struct glue_instance *inst = NULL;
        int r;

        pci_address_format(address, f.name);
        f.fd = openat(scan->devices_fd, f.name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (f.fd < 0) {
                r = -errno;
                if (r != -ENOENT)
                        glue_call_log(scan->call, LOG_DEBUG, "%s: %s", f.name, strerror(-r));
                /* A dangling link or a vanished device is as good as absent. */
                return r == -ENOENT || r == -ENOTDIR ? -ENOENT : 0;
        }
        r = function_read_identity(&f);
        if (r < 0) {
                r = r == -ENODEV ? r : 0;
                goto out;
        }
        f.kind = pci_class_kind_of(f.class_code, f.subclass_code);
        if (!scan_accepts(scan, scan->classes[f.kind])) {
                r = 0;
                goto out;
        }
        r = glue_call_new_instance(scan->call, glue_class_get_name(scan->classes[f.kind]), &inst);
        if (r < 0)
                goto out;
        r = glue_instance_set_string(inst, "DeviceID", f.name);
        if (r < 0) {
                glue_instance_unref(inst);
                goto out;
        }
        if (!scan->keys_only)
                function_fill(&f, inst);
        if (!function_is_still_there(&f)) {
                glue_instance_unref(inst);
                r = -ENODEV;
                goto out;
        }
        r = glue_call_post(scan->call, inst);
        if (r >= 0)
                r = 1;
out:
        close(f.fd);
        return r;
}
