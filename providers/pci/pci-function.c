/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One PCI function, read from its /sys/bus/pci/devices entry and posted as an instance.
 *
 * The identity comes from the first 64 bytes of `config` (one read instead of five attribute
 * files; see function_read_identity) and the `class` file, which carries the kernel's quirk
 * fixes of broken class codes, as lspci shows them. The config space is read only when the
 * function is not runtime-suspended: reading `config` resumes the parent bridge, and the device
 * itself from D3cold; the attribute files (filled from the kernel's struct pci_dev, never
 * touching the hardware) serve then, and for VFs and recorded trees with holes. Non-root users
 * read 64 bytes of config; what lies beyond (the capabilities) is then NULL, not an error.
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
#include "pci-scan.h"

struct function {
        struct pci_scan *scan;
        struct pci_address address;
        char name[PCI_ADDRESS_MAX];
        int fd; /* the function's sysfs folder */

        uint16_t vendor, device, subsystem_vendor, subsystem;
        uint8_t class_code, subclass_code, prog_if, revision;
        bool has_revision, has_subsystem;
        bool header_trusted; /* the 64-byte config header gave the identity */

        int config_len;     /* bytes of scan->config read, or a negative errno */
        size_t config_asked; /* how many were asked for */
        bool caps_read;
        bool has_caps;
        struct pci_caps caps;

        char runtime_status[32]; /* "" until read */
        char power_state[16];
        bool power_read;
};

static void function_read_power(struct function *f)
{
        if (f->power_read)
                return;
        f->power_read = true;
        if (sysfs_read_attr(f->fd, "power/runtime_status", f->runtime_status,
                            sizeof(f->runtime_status)) < 0)
                f->runtime_status[0] = '\0';
        if (sysfs_read_attr(f->fd, "power_state", f->power_state, sizeof(f->power_state)) < 0)
                f->power_state[0] = '\0';
}

/* Would a config read wake the function (or its parent bridge)? The kernel resumes the parent
 * for every config access and the device itself from D3cold; an active device keeps its
 * parent active, so "active" (or no runtime PM at all) is safe. */
static bool function_is_asleep(struct function *f)
{
        function_read_power(f);
        if (f->runtime_status[0])
                return strcmp(f->runtime_status, "suspended") == 0 ||
                       strcmp(f->runtime_status, "suspending") == 0;
        return strcmp(f->power_state, "D3cold") == 0;
}

/* Read the first `size` bytes of config space into scan->config, once. Returns how many were
 * read (non-root: at most 64; a recorded tree: what was recorded), or a negative errno. */
static int function_read_config(struct function *f, size_t size)
{
        struct pci_scan *scan = f->scan;
        size_t len = 0;
        int fd;

        if (size > sizeof(scan->config))
                size = sizeof(scan->config);
        if (f->config_asked >= size)
                return f->config_len;
        f->config_asked = size;
        if (function_is_asleep(f)) {
                glue_call_log(scan->call, LOG_DEBUG,
                              "%s: runtime-suspended, config space left unread", f->name);
                return f->config_len = -EAGAIN;
        }
        fd = openat(f->fd, "config", O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
                f->config_len = -errno;
                glue_call_log(scan->call, LOG_DEBUG, "%s/config: %s", f->name, strerror(errno));
                return f->config_len;
        }
        while (len < size) {
                ssize_t n = pread(fd, scan->config + len, size - len, (off_t)len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                len += (size_t)n;
        }
        close(fd);
        return f->config_len = (int)len;
}

static int read_id(struct function *f, const char *attribute, uint64_t max, uint64_t *ret)
{
        int r = sysfs_read_uint64(f->fd, attribute, ret);

        if (r >= 0 && *ret > max)
                r = -ERANGE;
        if (r < 0 && r != -ENOENT)
                glue_call_log(f->scan->call, LOG_DEBUG, "%s/%s: %s", f->name, attribute,
                              strerror(-r));
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
static bool function_is_still_there(const struct function *f)
{
        struct stat read_dir, named;

        return fstat(f->fd, &read_dir) == 0 &&
               fstatat(f->scan->devices_fd, f->name, &named, 0) == 0 &&
               read_dir.st_dev == named.st_dev && read_dir.st_ino == named.st_ino;
}

/* Is the 64-byte header in scan->config whole and the function's own? A VF's reads vendor
 * 0xffff (the kernel takes its IDs from the PF), an absent function all ones. */
static bool config_header_usable(const struct function *f, int len)
{
        const uint8_t *config = f->scan->config;

        return len >= 0x30 && config_word(config, 0x00) != 0xffff && config_word(config, 0x00) &&
               config_word(config, 0x02) != 0xffff;
}

/*
 * Vendor, device, revision and subsystem come from one 64-byte read of the configuration
 * header: the same values as five attribute files, for the cost of one. The class comes from
 * the `class` file (the kernel's quirks fix broken class codes there, and lspci shows the fixed
 * one). The attribute files stand in where the header cannot: a function asleep (reading config
 * would wake it), an SR-IOV VF, a short or unreadable config (recorded trees).
 */
static int function_read_identity(struct function *f)
{
        uint64_t vendor = 0, device = 0, class_code = 0, revision = 0, subsystem_vendor = 0,
                 subsystem = 0;
        bool has_vendor, has_device, has_class, has_subsystem = false;
        const uint8_t *config = f->scan->config;
        int len = function_read_config(f, 64);

        has_class = read_id(f, "class", 0xffffff, &class_code) >= 0;
        /* The header is trusted where its class agrees with the kernel's: a recorded config
         * can be garbage, and a quirk-fixed class may come with other fixes; both take the
         * files. */
        if (config_header_usable(f, len) &&
            (!has_class || class_code == config_class_code(config))) {
                f->header_trusted = true;
                vendor = config_word(config, 0x00);
                device = config_word(config, 0x02);
                revision = config[0x08];
                has_vendor = has_device = f->has_revision = true;
                if (!has_class) {
                        class_code = config_class_code(config);
                        has_class = true;
                }
                /* Subsystem IDs sit at 0x2c in a type 0 header only; a bridge's are in a
                 * capability, which the kernel has read into the files. */
                if ((config[0x0e] & 0x7f) == 0) {
                        subsystem_vendor = config_word(config, 0x2c);
                        subsystem = config_word(config, 0x2e);
                        has_subsystem = true;
                }
        } else {
                has_vendor = read_id(f, "vendor", 0xffff, &vendor) >= 0;
                has_device = read_id(f, "device", 0xffff, &device) >= 0;
                f->has_revision = read_id(f, "revision", 0xff, &revision) >= 0;
                /* What the files lack, a partial header may still give (IDs 0x00-0x0b). */
                if (len >= 0x0c && config_word(config, 0) != 0xffff && config_word(config, 0)) {
                        if (!has_vendor)
                                vendor = config_word(config, 0x00);
                        if (!has_device)
                                device = config_word(config, 0x02);
                        if (!has_class)
                                class_code = config_class_code(config);
                        if (!f->has_revision)
                                revision = config[0x08];
                        has_vendor = has_device = has_class = f->has_revision = true;
                }
        }
        if (!has_subsystem)
                has_subsystem = read_id(f, "subsystem_vendor", 0xffff, &subsystem_vendor) >= 0 &&
                                read_id(f, "subsystem_device", 0xffff, &subsystem) >= 0;
        if (!has_vendor || !has_device || !has_class) {
                if (!function_is_still_there(f))
                        return -ENODEV;
                glue_call_log(f->scan->call, LOG_WARNING,
                              "%s: no vendor, device or class, neither in sysfs nor in config "
                              "space; skipped", f->name);
                return -ENODATA;
        }
        f->vendor = (uint16_t)vendor;
        f->device = (uint16_t)device;
        f->class_code = (uint8_t)(class_code >> 16);
        f->subclass_code = (uint8_t)(class_code >> 8);
        f->prog_if = (uint8_t)class_code;
        if (f->has_revision)
                f->revision = (uint8_t)revision;
        /* No subsystem: 0x0000, or 0xffff (lspci shows neither). */
        f->has_subsystem = has_subsystem && subsystem_vendor != 0 && subsystem_vendor != 0xffff;
        if (f->has_subsystem) {
                f->subsystem_vendor = (uint16_t)subsystem_vendor;
                f->subsystem = (uint16_t)subsystem;
        }
        return 0;
}

/* The capabilities, through libpci, for properties whose sysfs files are missing. */
static const struct pci_caps *function_caps(struct function *f)
{
        struct pci_scan *scan = f->scan;
        int len;

        if (f->caps_read)
                return f->has_caps ? &f->caps : NULL;
        f->caps_read = true;
        if (scan->caps_failed)
                return NULL;
        len = function_read_config(f, sizeof(scan->config));
        if (len < 64)
                return NULL;
        if (!scan->caps && pci_caps_reader_new(scan->call, scan->sysfs_bus_pci, &scan->caps) < 0) {
                scan->caps_failed = true;
                return NULL;
        }
        if (pci_caps_read(scan->caps, scan->call, &f->address, scan->config, (size_t)len,
                          &f->caps) < 0) {
                /* libpci failed inside its access: do not use that access again. */
                scan->caps_failed = true;
                return NULL;
        }
        f->has_caps = true;
        return &f->caps;
}

/* ---- setting properties ------------------------------------------------------------------ */

static void log_set_failure(struct function *f, enum pci_property prop, int r)
{
        if (r < 0)
                glue_call_log(f->scan->call, LOG_DEBUG, "%s: cannot set %s: %s", f->name,
                              pci_property_names[prop], strerror(-r));
}

static void set_uint(struct function *f, struct glue_instance *inst, enum pci_property prop,
                     uint64_t value)
{
        if (f->scan->want[prop])
                log_set_failure(f, prop, glue_instance_set_uint(inst, pci_property_names[prop],
                                                                value));
}

static void set_sint(struct function *f, struct glue_instance *inst, enum pci_property prop,
                     int64_t value)
{
        if (f->scan->want[prop])
                log_set_failure(f, prop, glue_instance_set_sint(inst, pci_property_names[prop],
                                                                value));
}

static void set_string(struct function *f, struct glue_instance *inst, enum pci_property prop,
                       const char *value)
{
        if (f->scan->want[prop])
                log_set_failure(f, prop, glue_instance_set_string(inst,
                                                                  pci_property_names[prop],
                                                                  value));
}

/* A numeric attribute into a property: missing or garbage leave it unset (NULL). */
static bool set_uint_attribute(struct function *f, struct glue_instance *inst,
                               enum pci_property prop, const char *attribute, uint64_t max)
{
        uint64_t value;

        if (!f->scan->want[prop] || read_id(f, attribute, max, &value) < 0)
                return false;
        set_uint(f, inst, prop, value);
        return true;
}

/* The last component of a link's target, if the target exists: a dangling link (a recorded
 * tree without /sys/kernel/iommu_groups or /sys/bus/pci/drivers) says nothing reliable. */
static int read_live_link_name(struct function *f, const char *link, char *buf, size_t size)
{
        if (faccessat(f->fd, link, F_OK, 0) < 0) {
                if (errno != ENOENT || faccessat(f->fd, link, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
                        glue_call_log(f->scan->call, LOG_DEBUG, "%s/%s: dangling link",
                                      f->name, link);
                return -ENOENT;
        }
        return sysfs_read_link_name(f->fd, link, buf, size);
}

static void set_link_name(struct function *f, struct glue_instance *inst, enum pci_property prop,
                          const char *link)
{
        char name[256];

        if (f->scan->want[prop] && read_live_link_name(f, link, name, sizeof(name)) >= 0)
                set_string(f, inst, prop, name);
}

static void set_names(struct function *f, struct glue_instance *inst)
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
                        set_string(f, inst, lookups[i].prop, name);
        }
}

/* The devices/ entry links to ../../../devices/pci0000:00/0000:00:1c.0/0000:02:00.0: that is
 * the SysfsPath, and the component before the last is the upstream bridge (ParentBridge), or
 * the root bus "pci0000:00". */
static void set_sysfs_links(struct function *f, struct glue_instance *inst)
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
                set_string(f, inst, PCI_PROP_PARENT_BRIDGE, canonical);
        }
}

/* "8.0 GT/s PCIe" (or "8 GT/s" from kernels before 5.2) -> "8.0 GT/s"; "Unknown" -> NULL. */
static bool normalize_link_speed(const char *text, char *buf, size_t size)
{
        char *end;
        double speed = strtod(text, &end);

        if (end == text || speed <= 0 || speed > 1000 || strncmp(end, " GT/s", 5) != 0)
                return false;
        snprintf(buf, size, "%.1f GT/s", speed);
        return true;
}

static const char *link_speed_of_code(uint8_t code)
{
        /* PCIe Link Capabilities / Status speed encodings. */
        static const char *const speeds[] = { NULL, "2.5 GT/s", "5.0 GT/s", "8.0 GT/s",
                                              "16.0 GT/s", "32.0 GT/s", "64.0 GT/s" };

        return code < sizeof(speeds) / sizeof(speeds[0]) ? speeds[code] : NULL;
}

static void set_link_speed(struct function *f, struct glue_instance *inst, enum pci_property prop,
                           const char *attribute, bool current)
{
        char text[64], speed[32];
        const struct pci_caps *caps;
        int r;

        if (!f->scan->want[prop])
                return;
        r = sysfs_read_attr(f->fd, attribute, text, sizeof(text));
        if (r >= 0) {
                if (normalize_link_speed(text, speed, sizeof(speed)))
                        set_string(f, inst, prop, speed);
                return;
        }
        if (r == -ENOENT && (caps = function_caps(f)) && caps->has_express)
                set_string(f, inst, prop,
                           link_speed_of_code(current ? caps->current_speed : caps->max_speed));
}

static void set_link_width(struct function *f, struct glue_instance *inst, enum pci_property prop,
                           const char *attribute, bool current)
{
        const struct pci_caps *caps;
        uint64_t width;
        int r;

        if (!f->scan->want[prop])
                return;
        r = sysfs_read_uint64(f->fd, attribute, &width);
        if (r >= 0) {
                if (width <= 32)
                        set_uint(f, inst, prop, width);
                return;
        }
        if (r == -ENOENT && (caps = function_caps(f)) && caps->has_express)
                set_uint(f, inst, prop, current ? caps->current_width : caps->max_width);
}

static void set_power(struct function *f, struct glue_instance *inst)
{
        static const char *const states[] = { "D0", "D1", "D2", "D3hot" };
        const struct pci_caps *caps;

        if (!f->scan->want[PCI_PROP_POWER_STATE] && !f->scan->want[PCI_PROP_RUNTIME_STATUS])
                return;
        function_read_power(f);
        if (f->runtime_status[0])
                set_string(f, inst, PCI_PROP_RUNTIME_STATUS, f->runtime_status);
        if (!f->scan->want[PCI_PROP_POWER_STATE])
                return;
        if (f->power_state[0] == 'D')
                set_string(f, inst, PCI_PROP_POWER_STATE, f->power_state);
        else if (!f->power_state[0] && (caps = function_caps(f)) && caps->has_power_management)
                set_string(f, inst, PCI_PROP_POWER_STATE, states[caps->power_state & 3]);
}

static void set_sriov(struct function *f, struct glue_instance *inst)
{
        const struct pci_caps *caps;
        bool total, num;

        if (!f->scan->want[PCI_PROP_SRIOV_TOTAL_VFS] && !f->scan->want[PCI_PROP_SRIOV_NUM_VFS])
                return;
        total = set_uint_attribute(f, inst, PCI_PROP_SRIOV_TOTAL_VFS, "sriov_totalvfs", 0xffff);
        num = set_uint_attribute(f, inst, PCI_PROP_SRIOV_NUM_VFS, "sriov_numvfs", 0xffff);
        /* The kernel shows these files only for SR-IOV capable functions with a driver. */
        if (total || num || faccessat(f->fd, "sriov_totalvfs", F_OK, 0) == 0)
                return;
        if ((caps = function_caps(f)) && caps->has_sriov) {
                set_uint(f, inst, PCI_PROP_SRIOV_TOTAL_VFS, caps->sriov_total_vfs);
                set_uint(f, inst, PCI_PROP_SRIOV_NUM_VFS, caps->sriov_num_vfs);
        }
}

static void set_bridge(struct function *f, struct glue_instance *inst)
{
        const uint8_t *config = f->scan->config;

        if (!f->scan->want[PCI_PROP_SECONDARY_BUS_NUMBER] &&
            !f->scan->want[PCI_PROP_SUBORDINATE_BUS_NUMBER])
                return;
        /* Bus numbers sit at 0x19 and 0x1a of a type 1 (PCI-to-PCI) or type 2 (CardBus)
         * header, which the identity read already holds; the files (kernels from 5.x on) stand
         * in where it could not be read. */
        if (f->header_trusted && (config[0x0e] & 0x7f) != 0) {
                set_uint(f, inst, PCI_PROP_SECONDARY_BUS_NUMBER, config[0x19]);
                set_uint(f, inst, PCI_PROP_SUBORDINATE_BUS_NUMBER, config[0x1a]);
                return;
        }
        set_uint_attribute(f, inst, PCI_PROP_SECONDARY_BUS_NUMBER, "secondary_bus_number", 0xff);
        set_uint_attribute(f, inst, PCI_PROP_SUBORDINATE_BUS_NUMBER, "subordinate_bus_number",
                           0xff);
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void set_network_interfaces(struct function *f, struct glue_instance *inst)
{
        char *names[64];
        size_t count = 0;
        struct dirent *entry;
        DIR *dir;
        int fd;

        if (!f->scan->want[PCI_PROP_NETWORK_INTERFACES])
                return;
        fd = openat(f->fd, "net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return;
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
        log_set_failure(f, PCI_PROP_NETWORK_INTERFACES,
                        glue_instance_set_string_array(inst, "NetworkInterfaces",
                                                       (const char *const *)names, count));
        while (count > 0)
                free(names[--count]);
}

static void set_boot_vga(struct function *f, struct glue_instance *inst)
{
        uint64_t boot_vga;

        if (f->scan->want[PCI_PROP_BOOT_VGA] && sysfs_read_uint64(f->fd, "boot_vga", &boot_vga) >= 0 &&
            boot_vga <= 1)
                log_set_failure(f, PCI_PROP_BOOT_VGA,
                                glue_instance_set_bool(inst, "BootVGA", boot_vga == 1));
}

static void function_fill(struct function *f, struct glue_instance *inst, enum pci_class_kind kind)
{
        struct pci_scan *scan = f->scan;
        int64_t numa_node;
        uint64_t irq;
        const char *slot;
        char group[32];

        set_string(f, inst, PCI_PROP_NAME, f->name);
        set_string(f, inst, PCI_PROP_CREATION_CLASS_NAME,
                   glue_class_get_name(scan->classes[kind]));
        if (scan->host_name[0])
                set_string(f, inst, PCI_PROP_SYSTEM_NAME, scan->host_name);
        set_uint(f, inst, PCI_PROP_VENDOR_ID, f->vendor);
        set_uint(f, inst, PCI_PROP_PCI_DEVICE_ID, f->device);
        if (f->has_subsystem) {
                set_uint(f, inst, PCI_PROP_SUBSYSTEM_VENDOR_ID, f->subsystem_vendor);
                set_uint(f, inst, PCI_PROP_SUBSYSTEM_ID, f->subsystem);
        }
        if (f->has_revision)
                set_uint(f, inst, PCI_PROP_REVISION_ID, f->revision);
        set_uint(f, inst, PCI_PROP_CLASS_CODE, f->class_code);
        set_uint(f, inst, PCI_PROP_SUBCLASS_CODE, f->subclass_code);
        set_uint(f, inst, PCI_PROP_PROGRAMMING_INTERFACE, f->prog_if);
        set_uint(f, inst, PCI_PROP_DOMAIN_NUMBER, f->address.domain);
        set_uint(f, inst, PCI_PROP_BUS_NUMBER, f->address.bus);
        set_uint(f, inst, PCI_PROP_DEVICE_NUMBER, f->address.device);
        set_uint(f, inst, PCI_PROP_FUNCTION_NUMBER, f->address.function);

        set_names(f, inst);

        set_link_name(f, inst, PCI_PROP_DRIVER, "driver");
        set_link_name(f, inst, PCI_PROP_KERNEL_MODULE, "driver/module");
        /* -1: the platform gave no NUMA affinity. */
        if (scan->want[PCI_PROP_NUMA_NODE] && sysfs_read_int64(f->fd, "numa_node", &numa_node) >= 0 &&
            numa_node >= 0 && numa_node <= INT32_MAX)
                set_sint(f, inst, PCI_PROP_NUMA_NODE, numa_node);
        if (scan->want[PCI_PROP_IOMMU_GROUP] &&
            read_live_link_name(f, "iommu_group", group, sizeof(group)) >= 0) {
                uint64_t number;

                if (sysfs_parse_uint64(group, &number) >= 0 && number <= UINT32_MAX)
                        set_uint(f, inst, PCI_PROP_IOMMU_GROUP, number);
        }
        /* 0: no interrupt line. */
        if (scan->want[PCI_PROP_IRQ] && sysfs_read_uint64(f->fd, "irq", &irq) >= 0 && irq > 0 &&
            irq <= UINT32_MAX)
                set_uint(f, inst, PCI_PROP_IRQ, irq);
        if (scan->want[PCI_PROP_PHYSICAL_SLOT] && (slot = pci_scan_find_slot(scan, &f->address)))
                set_string(f, inst, PCI_PROP_PHYSICAL_SLOT, slot);
        set_sysfs_links(f, inst);

        set_link_speed(f, inst, PCI_PROP_CURRENT_LINK_SPEED, "current_link_speed", true);
        set_link_speed(f, inst, PCI_PROP_MAX_LINK_SPEED, "max_link_speed", false);
        set_link_width(f, inst, PCI_PROP_CURRENT_LINK_WIDTH, "current_link_width", true);
        set_link_width(f, inst, PCI_PROP_MAX_LINK_WIDTH, "max_link_width", false);
        set_power(f, inst);
        set_sriov(f, inst);

        switch (kind) {
        case PCI_KIND_BRIDGE:
                set_bridge(f, inst);
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
        struct function f = {
                .scan = scan,
                .address = *address,
        };
        struct glue_instance *inst = NULL;
        enum pci_class_kind kind;
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
        kind = pci_class_kind_of(f.class_code, f.subclass_code);
        if (!scan_accepts(scan, scan->classes[kind])) {
                r = 0;
                goto out;
        }
        r = glue_call_new_instance(scan->call, glue_class_get_name(scan->classes[kind]), &inst);
        if (r < 0)
                goto out;
        r = glue_instance_set_string(inst, "DeviceID", f.name);
        if (r < 0) {
                glue_instance_unref(inst);
                goto out;
        }
        if (!scan->keys_only)
                function_fill(&f, inst, kind);
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
