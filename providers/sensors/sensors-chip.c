/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sensors-chip.h"
#include "sensors-lib.h"
#include "sensors-value.h"
#include "common/sysfs-read.h"

int sensors_chip_info_init(struct sensors_chip_info *info, const sensors_chip_name *chip,
                           struct sensors_layout_cache *cache)
{
        int r;

        *info = (struct sensors_chip_info){ .chip = chip, .dirfd = -1 };
        r = sensors_snprintf_chip_name(info->name, sizeof(info->name), chip);
        if (r < 0 || (size_t)r >= sizeof(info->name))
                return -EINVAL;
        info->adapter = sensors_get_adapter_name(&chip->bus);
        sensors_config_view_init(&info->config, sensors_lib_get_statements(), chip);
        if (cache && !sensors_config_view_may(&info->config, SENSORS_STATEMENT_IGNORE, NULL)) {
                int fd = sensors_chip_info_dirfd(info);

                r = fd < 0 ? -ENOENT : sensors_layout_cache_get(cache, chip, info->name, fd,
                                                                 &info->layout,
                                                                 &info->layout_shared);
                if (r == 0)
                        return 0;
                if (r != -ENOENT)
                        goto fail;
        }
        r = sensors_layout_list(&info->own, chip, false);
        if (r < 0)
                goto fail;
        info->layout = &info->own;
        return 0;
fail:
        sensors_chip_info_done(info);
        return r;
}

void sensors_chip_info_done(struct sensors_chip_info *info)
{
        free(info->hwmon_path);
        free(info->device_path);
        sensors_layout_clear(&info->own);
        if (info->dirfd >= 0)
                close(info->dirfd);
        info->hwmon_path = info->device_path = NULL;
        info->layout = NULL;
        info->dirfd = -1;
}

size_t sensors_chip_info_subfeatures(const struct sensors_chip_info *info, size_t index,
                                     const sensors_subfeature **subs, size_t max)
{
        const struct sensors_layout *layout = info->layout;
        const sensors_subfeature *sub;
        size_t n = 0;
        int nr = 0;

        if (layout->first) {
                for (size_t i = layout->first[index]; i < layout->first[index + 1] && n < max; i++)
                        subs[n++] = layout->subs[i];
                return n;
        }
        while (n < max &&
               (sub = sensors_get_all_subfeatures(info->chip, layout->features[index], &nr)))
                subs[n++] = sub;
        return n;
}

int sensors_chip_info_dirfd(struct sensors_chip_info *info)
{
        if (info->dirfd < 0) {
                info->dirfd = open(info->chip->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (info->dirfd < 0)
                        return -errno;
        }
        return info->dirfd;
}

bool sensors_chip_info_is_still_there(struct sensors_chip_info *info)
{
        struct stat read_dir, named;

        /* libsensors reads each value by path: a removed chip's reads fail one by one, and the
         * kernel (device_del) takes the class link away before the files. When the path still
         * leads here after the last read, every read came before the removal began. */
        return info->dirfd >= 0 && fstat(info->dirfd, &read_dir) == 0 &&
               stat(info->chip->path, &named) == 0 && read_dir.st_dev == named.st_dev &&
               read_dir.st_ino == named.st_ino;
}

/* "dddd:bb:dd.f": a PCI function's sysfs name (domains can be wider than 4 digits, VMD). */
static bool is_pci_address(const char *s, size_t len)
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

/* The last component of the path that names a PCI function: the device itself, or the PCI
 * function it sits on (an NVMe controller, a USB host, a DRM card). */
static void find_pci_address(const char *path, char *buf, size_t size)
{
        const char *end = path + strlen(path);

        buf[0] = '\0';
        while (end > path) {
                const char *start = end;

                while (start > path && start[-1] != '/')
                        start--;
                if (is_pci_address(start, (size_t)(end - start)) &&
                    (size_t)(end - start) < size) {
                        memcpy(buf, start, (size_t)(end - start));
                        buf[end - start] = '\0';
                        return;
                }
                end = start > path ? start - 1 : path;
        }
}

static bool is_hwmon_class_dir(const char *path)
{
        const char *base = strrchr(path, '/');
        unsigned n;
        char c;

        base = base ? base + 1 : path;
        return sscanf(base, "hwmon%u%c", &n, &c) == 1;
}

void sensors_chip_info_look_up_device(struct sensors_chip_info *info)
{
        char link[PATH_MAX];
        int fd;

        if (info->device_looked_up)
                return;
        info->device_looked_up = true;
        /* libsensors' path is /sys/class/hwmon/hwmonN, or the device's own directory for the
         * old drivers that put their attributes there (thinkpad_hwmon). */
        info->hwmon_path = realpath(info->chip->path, NULL);
        if (!info->hwmon_path)
                return;
        if (is_hwmon_class_dir(info->hwmon_path)) {
                /* No device link: a virtual chip (acpitz on old kernels, hand-made trees). */
                snprintf(link, sizeof(link), "%s/device", info->hwmon_path);
                info->device_path = realpath(link, NULL);
        } else {
                info->device_path = strdup(info->hwmon_path);
        }
        if (!info->device_path)
                return;
        find_pci_address(info->device_path, info->pci_address, sizeof(info->pci_address));
        fd = open(info->device_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return;
        if (sysfs_read_link_name(fd, "subsystem", info->subsystem, sizeof(info->subsystem)) < 0)
                info->subsystem[0] = '\0';
        if (sysfs_read_link_name(fd, "driver", info->driver, sizeof(info->driver)) < 0)
                info->driver[0] = '\0';
        close(fd);
}

static void set_string_if(struct glue_call *call, struct glue_instance *inst, const char *name,
                          const char *value)
{
        /* A class without the property answers -EINVAL: nothing to set there. */
        if (glue_call_wants(call, name))
                (void)glue_instance_set_string(inst, name, value && *value ? value : NULL);
}

void sensors_chip_set_common(const struct sensors_request *req, struct sensors_chip_info *info,
                             struct glue_instance *inst)
{
        struct glue_call *call = req->call;

        set_string_if(call, inst, "ChipName", info->name);
        set_string_if(call, inst, "Adapter", info->adapter);
        if (!req->want_device)
                return;
        sensors_chip_info_look_up_device(info);
        set_string_if(call, inst, "SysfsPath", info->device_path);
        set_string_if(call, inst, "PCIAddress", info->pci_address);
        set_string_if(call, inst, "HwmonPath", info->hwmon_path);
        set_string_if(call, inst, "DeviceSubsystem", info->subsystem);
        set_string_if(call, inst, "Driver", info->driver);
}

static const char *bus_type_name(short type)
{
        switch (type) {
        case SENSORS_BUS_TYPE_I2C: return "I2C";
        case SENSORS_BUS_TYPE_ISA: return "ISA";
        case SENSORS_BUS_TYPE_PCI: return "PCI";
        case SENSORS_BUS_TYPE_SPI: return "SPI";
        case SENSORS_BUS_TYPE_VIRTUAL: return "Virtual";
        case SENSORS_BUS_TYPE_ACPI: return "ACPI";
        case SENSORS_BUS_TYPE_HID: return "HID";
        case SENSORS_BUS_TYPE_MDIO: return "MDIO";
        case SENSORS_BUS_TYPE_SCSI: return "SCSI";
        default: return NULL;
        }
}

/* The chip-wide beep_enable attribute, which libsensors lists as a feature of its own. */
static void set_chip_features(struct glue_call *call, struct sensors_chip_info *info,
                              struct glue_instance *inst)
{
        unsigned sensors = 0;

        for (size_t i = 0; i < info->layout->n_features; i++) {
                const sensors_feature *feature = info->layout->features[i];

                if (feature->type != SENSORS_FEATURE_BEEP_ENABLE) {
                        sensors++;
                        continue;
                }
                if (glue_call_wants(call, "BeepEnabled")) {
                        const sensors_subfeature *subs[4];
                        size_t n = sensors_chip_info_subfeatures(info, i, subs, 4);
                        bool may_compute = sensors_config_view_may(&info->config,
                                                                   SENSORS_STATEMENT_COMPUTE,
                                                                   feature->name);
                        double value;

                        for (size_t j = 0; j < n; j++)
                                if (subs[j]->type == SENSORS_SUBFEATURE_BEEP_ENABLE &&
                                    sensors_value_read(info, subs[j], may_compute, &value) == 0)
                                        (void)glue_instance_set_bool(inst, "BeepEnabled",
                                                                     value != 0);
                }
        }
        if (glue_call_wants(call, "SensorCount"))
                (void)glue_instance_set_uint(inst, "SensorCount", sensors);
}

int sensors_chip_post(const struct sensors_request *req, struct sensors_chip_info *info)
{
        struct glue_call *call = req->call;
        const sensors_chip_name *chip = info->chip;
        struct glue_instance *inst;
        int r;

        r = glue_call_new_instance(call, glue_class_get_name(req->chip_class), &inst);
        if (r < 0)
                return r;
        r = glue_instance_set_string(inst, "DeviceID", info->name);
        if (r < 0) {
                glue_instance_unref(inst);
                return r;
        }
        if (glue_call_is_keys_only(call))
                return glue_call_post(call, inst);

        sensors_chip_set_common(req, info, inst);
        set_string_if(call, inst, "Name", info->name);
        set_string_if(call, inst, "ElementName", info->name);
        set_string_if(call, inst, "CreationClassName", glue_class_get_name(req->chip_class));
        set_string_if(call, inst, "Prefix", chip->prefix);
        set_string_if(call, inst, "BusType", bus_type_name(chip->bus.type));
        if (glue_call_wants(call, "BusNumber") && chip->bus.nr >= 0)
                (void)glue_instance_set_sint(inst, "BusNumber", chip->bus.nr);
        if (glue_call_wants(call, "Address") && chip->addr >= 0)
                (void)glue_instance_set_sint(inst, "Address", chip->addr);
        set_chip_features(call, info, inst);
        if (!sensors_chip_info_is_still_there(info)) {
                glue_instance_unref(inst);
                return -ENODEV;
        }
        return glue_call_post(call, inst);
}
