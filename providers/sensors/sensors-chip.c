/* SPDX-License-Identifier: LGPL-2.1-or-later */
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
#include "common/pci-address.h"
#include "common/sysfs-read.h"


static void info_start(struct sensors_chip_info *info, struct glue_call *call,
                       const struct sensors_walk *walk, const struct sensors_walk_chip *walked)
{
        *info = (struct sensors_chip_info){
                .call = call,
                .walk = walk,
                .walked = walked,
                .chip = &walked->name,
                .adapter = walked->adapter,
                .dirfd = walked->dirfd,
        };
        snprintf(info->name, sizeof(info->name), "%s", walked->printed);
}

/* The walk's listing less the features that ignore statements drop, in info->own. */
static int drop_ignored(struct sensors_chip_info *info, const struct sensors_layout *all)
{
        struct sensors_layout *own = &info->own;
        size_t n = 0, n_subs = 0;

        own->features = malloc((all->n_features + 1) * sizeof(*own->features));
        own->first = malloc((all->n_features + 1) * sizeof(*own->first));
        own->subs = malloc((all->first[all->n_features] + 1) * sizeof(*own->subs));
        if (!own->features || !own->first || !own->subs) {
                sensors_layout_clear(own);
                return -ENOMEM;
        }
        for (size_t i = 0; i < all->n_features; i++) {
                if (sensors_config_view_ignores(&info->config, all->features[i]->name))
                        continue;
                own->features[n] = all->features[i];
                own->first[n++] = n_subs;
                for (size_t j = all->first[i]; j < all->first[i + 1]; j++)
                        own->subs[n_subs++] = all->subs[j];
        }
        own->first[n] = n_subs;
        own->n_features = n;
        info->layout = own;
        return 0;
}

int sensors_chip_info_init(struct sensors_chip_info *info, struct glue_call *call,
                           const struct sensors_walk *walk,
                           const struct sensors_walk_chip *walked,
                           const struct sensors_listing *listing)
{
        info_start(info, call, walk, walked);
        info->listing = listing;
        info->layout = &listing->layout;
        /* libsensors' mode check: the open's own on sysfs, each file's mode elsewhere */
        info->modes_from_files = !walked->on_sysfs;
        /* a chip named like an earlier one has that one's listing, not its own files' */
        info->labels_listed = !walked->named_like_earlier;
        sensors_config_view_init(&info->config, sensors_lib_get_statements(), info->chip);
        if (info->config.exact &&
            sensors_config_view_may(&info->config, SENSORS_STATEMENT_IGNORE, NULL))
                return drop_ignored(info, &listing->layout);
        return 0;
}

int sensors_chip_info_init_libsensors(struct sensors_chip_info *info, struct glue_call *call,
                                      const struct sensors_walk *walk,
                                      const struct sensors_walk_chip *walked,
                                      const sensors_chip_name *lib_chip)
{
        int r;

        info_start(info, call, walk, walked);
        info->chip = lib_chip;
        info->through_libsensors = true;
        sensors_config_view_init(&info->config, sensors_lib_get_statements(), lib_chip);
        /* its features after ignore statements, its modes from libsensors' walk */
        r = sensors_layout_list(&info->own, lib_chip, true);
        if (r < 0)
                return r;
        info->layout = &info->own;
        return 0;
}

void sensors_chip_info_done(struct sensors_chip_info *info)
{
        sensors_layout_clear(&info->own);
        info->layout = NULL;
}

size_t sensors_chip_info_subfeatures(const struct sensors_chip_info *info, size_t index,
                                     const sensors_subfeature **subs, size_t max)
{
        const struct sensors_layout *layout = info->layout;
        size_t n = 0;

        for (size_t i = layout->first[index]; i < layout->first[index + 1] && n < max; i++)
                subs[n++] = layout->subs[i];
        return n;
}

bool sensors_chip_info_is_still_there(struct sensors_chip_info *info)
{
        struct stat read_dir, named;
        const char *path = info->walked->name.path;

        /* The kernel (device_del) takes the class link away before the files. When the path
         * still leads here after the last read, every read came before the removal began. */
        return fstat(info->dirfd, &read_dir) == 0 && strncmp(path, "/sys/", 5) == 0 &&
               fstatat(info->walk->sys_fd, path + 5, &named, 0) == 0 &&
               read_dir.st_dev == named.st_dev && read_dir.st_ino == named.st_ino;
}

bool sensors_chip_info_read_whole(struct sensors_chip_info *info, unsigned failed_before)
{
        return info->failed_reads == failed_before || sensors_chip_info_is_still_there(info);
}

char *sensors_chip_info_file_path(const struct sensors_chip_info *info, const char *name)
{
        const char *path = info->walked->name.path;
        char *file;

        /* the chip's path is /sys/... in the tree; the walk opened <sysroot>/sys */
        if (asprintf(&file, "%s%s/%s", info->walk->sys_path, path + 4, name) < 0)
                return NULL;
        return file;
}

void sensors_chip_info_note_unreadable(const struct sensors_chip_info *info, const char *name,
                                       int error)
{
        char *path;

        if (!info->call || error == -ENOENT)
                return;
        path = sensors_chip_info_file_path(info, name);
        glue_call_note_read_error(info->call, path ? path : name, error);
        free(path);
}

void sensors_chip_info_look_up_device(struct sensors_chip_info *info)
{
        const char *device = info->walked->device_path;
        struct pci_address address;
        char link[PATH_MAX];

        if (info->device_looked_up)
                return;
        info->device_looked_up = true;
        /* the walk's path is /sys/... and always absolute; none for a virtual chip */
        if (!device || strncmp(device, "/sys/", 5) != 0)
                return;
        /* the device itself, or the PCI function it sits on (an NVMe controller, a DRM card) */
        if (pci_address_from_path(device, &address) == 0)
                pci_address_format(&address, info->pci_address);
        snprintf(link, sizeof(link), "%s/subsystem", device + 5);
        if (sysfs_read_link_name(info->walk->sys_fd, link, info->subsystem,
                                 sizeof(info->subsystem)) < 0)
                info->subsystem[0] = '\0';
        snprintf(link, sizeof(link), "%s/driver", device + 5);
        if (sysfs_read_link_name(info->walk->sys_fd, link, info->driver, sizeof(info->driver)) < 0)
                info->driver[0] = '\0';
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
        /* which of these the request wants was looked up once, in sensors_request_init() */
        for (size_t i = 0; i < SENSORS_COMMON_COUNT; i++) {
                const char *value = NULL;

                if (!req->want_common[i])
                        continue;
                if (i >= SENSORS_COMMON_SYSFS_PATH)
                        sensors_chip_info_look_up_device(info);
                switch ((enum sensors_common)i) {
                case SENSORS_COMMON_CHIP_NAME: value = info->name; break;
                case SENSORS_COMMON_ADAPTER: value = info->adapter; break;
                case SENSORS_COMMON_SYSFS_PATH: value = info->walked->device_path; break;
                case SENSORS_COMMON_PCI_ADDRESS: value = info->pci_address; break;
                case SENSORS_COMMON_HWMON_PATH: value = info->walked->hwmon_path; break;
                case SENSORS_COMMON_DEVICE_SUBSYSTEM: value = info->subsystem; break;
                case SENSORS_COMMON_DRIVER: value = info->driver; break;
                case SENSORS_COMMON_COUNT: break;
                }
                (void)glue_instance_set_string(inst, sensors_common_property(i),
                                               value && *value ? value : NULL);
        }
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
                        double value;

                        for (size_t j = 0; j < n; j++)
                                if (subs[j]->type == SENSORS_SUBFEATURE_BEEP_ENABLE &&
                                    sensors_value_read(info, feature, subs[j], &value) == 0)
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
        unsigned failed_before = info->failed_reads;
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
        if (!sensors_chip_info_read_whole(info, failed_before)) {
                glue_instance_unref(inst);
                return -ENODEV;
        }
        return glue_call_post(call, inst);
}
