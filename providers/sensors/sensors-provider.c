/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The "sensors" provider: every hwmon chip and feature that libsensors knows, posted chip by
 * chip as it is read. libsensors' initialisation (the walk over all chips) is the only cost paid
 * before the first instance; values are read per feature, as each instance is posted.
 *
 * libsensors finds a chip's data by a scan from the first chip on each call, so a client that
 * lists and reads every chip through it takes time in the square of the chips. Here each chip
 * costs the same however many there are: its features and subfeatures are listed through
 * libsensors once per shape of chip (sensors-layout.h), values and labels are read from the
 * chip's files where no sensors.conf statement may change them (sensors-config.h,
 * sensors-value.h), and libsensors is asked only where one may.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include "common/sysfs-name.h"
#include "providers.h"
#include "sensors-chip.h"
#include "sensors-feature.h"
#include "sensors-lib.h"
#include "sensors-request.h"

static int sensors_provider_init(struct glue_context *ctx, const struct glue_provider_ops *ops,
                                 void **ret_data)
{
        sensors_lib_ref();
        *ret_data = NULL;
        return 0;
}

static void sensors_provider_cleanup(void *data)
{
        sensors_lib_unref();
}

/* Post the chip (when wanted) and then each of its features; or only the feature named, and
 * then return 1 if it was posted, 0 if there is none. */
static int post_chip(const struct sensors_request *req, struct sensors_layout_cache *cache,
                     const sensors_chip_name *chip, const char *only_feature)
{
        struct sensors_chip_info info;
        int r;

        r = sensors_chip_info_init(&info, chip, cache);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                glue_call_log(req->call, LOG_DEBUG, "%s: chip name does not print, skipped",
                              chip->path);
                return 0;
        }
        /* libsensors lists the chips of its (process-wide, lasting) sensors_init(): one may be
         * gone since. The handle is what the reads are checked against before each post. */
        r = sensors_chip_info_dirfd(&info);
        if (r < 0) {
                glue_call_log(req->call, r == -ENOENT ? LOG_NOTICE : LOG_DEBUG,
                              "%s: %s, skipped", info.name,
                              r == -ENOENT ? "vanished before it was read" : strerror(-r));
                r = 0;
                goto out;
        }
        if (req->chip_class && !only_feature) {
                r = sensors_chip_post(req, &info);
                if (r == -ECANCELED)
                        goto out;
                if (r == -ENODEV)
                        goto vanished;
                if (r < 0)
                        glue_call_log(req->call, LOG_DEBUG, "%s: not posted: %s", info.name,
                                      strerror(-r));
                r = 0;
        }
        for (size_t i = 0; i < info.layout->n_features; i++) {
                const sensors_feature *feature = info.layout->features[i];

                if (only_feature && strcmp(feature->name, only_feature) != 0)
                        continue;
                /* Between features, not only between chips: a slow driver can take hundreds of
                 * milliseconds per attribute. */
                if (glue_call_is_cancelled(req->call)) {
                        r = -ECANCELED;
                        break;
                }
                r = sensors_feature_post(req, &info, i);
                if (r == -ECANCELED)
                        break;
                if (r == -ENODEV)
                        goto vanished;
                if (r < 0)
                        glue_call_log(req->call, LOG_DEBUG, "%s/%s: not posted: %s", info.name,
                                      feature->name, strerror(-r));
                if (only_feature) {
                        r = r == 0 ? 1 : 0;
                        break;
                }
                r = 0;
        }
out:
        sensors_chip_info_done(&info);
        return r;
vanished:
        glue_call_log(req->call, LOG_NOTICE, "%s: vanished while it was read, the rest of it "
                      "not posted", info.name);
        r = 0;
        goto out;
}

/* libsensors reads /sys and nothing else. Under a sysroot option other than "/" its chips are
 * those of the machine we run on, not of the tree the caller asked about, unless /sys is that
 * tree's sys (umockdev's preload redirects /sys to it): then say so, and report no sensors rather
 * than another machine's. */
static bool libsensors_reads_sysroot(struct glue_call *call, bool log)
{
        const char *sysroot = glue_call_get_option(call, "sysroot");
        struct stat wanted, read_by_libsensors;
        char path[PATH_MAX];
        int n;

        if (!sysroot || !*sysroot || strcmp(sysroot, "/") == 0)
                return true;
        n = snprintf(path, sizeof(path), "%s/sys", sysroot);
        if (n > 0 && (size_t)n < sizeof(path) && stat(path, &wanted) == 0 &&
            stat("/sys", &read_by_libsensors) == 0 && wanted.st_dev == read_by_libsensors.st_dev &&
            wanted.st_ino == read_by_libsensors.st_ino)
                return true;
        if (log)
                glue_call_log(call, LOG_WARNING, "libsensors reads /sys, not %s: no sensors "
                              "for this sysroot", path);
        return false;
}

static int sensors_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        struct sensors_layout_cache *cache = NULL;
        struct sensors_request req;
        const sensors_chip_name *chip;
        int r, nr = 0;

        r = sensors_request_init(&req, call, cls);
        if (r < 0)
                return r;
        if (!req.chip_class && !sensors_request_wants_sensors(&req))
                return 0;
        if (!libsensors_reads_sysroot(call, true))
                return 0;
        r = sensors_layout_cache_new(&cache);
        if (r < 0)
                return r;
        r = sensors_lib_acquire(call);
        if (r < 0) {
                sensors_layout_cache_free(cache);
                return r;
        }
        while ((chip = sensors_get_detected_chips(NULL, &nr))) {
                if (glue_call_is_cancelled(call)) {
                        r = -ECANCELED;
                        break;
                }
                r = post_chip(&req, cache, chip, NULL);
                if (r < 0)
                        break;
        }
        if (nr == 0)
                glue_call_log(call, LOG_WARNING, "no hwmon chips under /sys/class/hwmon");
        /* the cache borrows from libsensors: freed while it is held */
        sensors_layout_cache_free(cache);
        sensors_lib_release();
        return r < 0 ? r : 0;
}

/* Keys are what sensors_snprintf_chip_name() prints ("coretemp-isa-0000"), then '/' and the
 * feature name for a sensor. Anything else is no instance of ours: refuse it before libsensors
 * parses it (its parser takes wildcards). */
static bool key_is_sane(const char *key)
{
        size_t len = strnlen(key, 301), slashes = 0;

        if (len == 0 || len > 300 || strstr(key, ".."))
                return false;
        for (const char *p = key; *p; p++) {
                unsigned char c = (unsigned char)*p;

                if (c == '/')
                        slashes++;
                else if (c <= ' ' || c >= 0x7f || c == '*' || c == '"' || c == '\\')
                        return false;
        }
        return slashes <= 1 && key[0] != '/' && key[len - 1] != '/';
}

static int sensors_get_instance(struct glue_call *call, const struct glue_class *cls,
                                const struct glue_path *path, void *data)
{
        const char *key = glue_path_get_key(path, "DeviceID");
        struct sensors_request req;
        sensors_chip_name match;
        const sensors_chip_name *chip;
        char chip_part[301];
        const char *slash, *feature = NULL;
        int r, nr = 0;

        if (!key || !key_is_sane(key))
                return -ENOENT;
        slash = strchr(key, '/');
        if (slash) {
                memcpy(chip_part, key, (size_t)(slash - key));
                chip_part[slash - key] = '\0';
                feature = slash + 1;
        } else {
                strcpy(chip_part, key);
        }
        /* All of the key is checked before libsensors' first walk of the chips: a feature
         * name ("temp1", "beep_enable"), and a chip name without wildcards. */
        if (feature && !sysfs_name_is_safe(feature, 32, "_"))
                return -ENOENT;
        r = sensors_lib_parse_chip_name(chip_part, &match);
        if (r < 0)
                return r == -ENOMEM ? r : -ENOENT;
        /* (A bus number is "any" for buses that have none: isa, pci, virtual.) */
        if (match.prefix == SENSORS_CHIP_NAME_PREFIX_ANY || match.bus.type == SENSORS_BUS_TYPE_ANY ||
            match.addr == SENSORS_CHIP_NAME_ADDR_ANY) {
                sensors_free_chip_name(&match);
                return -ENOENT;
        }
        r = sensors_request_init(&req, call, cls);
        if (r >= 0 && ((feature ? !sensors_request_wants_sensors(&req) : !req.chip_class) ||
                       !libsensors_reads_sysroot(call, false)))
                r = -ENOENT;
        if (r >= 0)
                r = sensors_lib_acquire(call);
        if (r < 0) {
                sensors_free_chip_name(&match);
                return r;
        }
        r = -ENOENT;
        /* libsensors matches on prefix, bus and address: only that chip's data is looked at. */
        while ((chip = sensors_get_detected_chips(&match, &nr))) {
                char name[256];

                if (sensors_snprintf_chip_name(name, sizeof(name), chip) < 0 ||
                    strcmp(name, chip_part) != 0)
                        continue;
                if (!feature) {
                        struct sensors_chip_info info;

                        r = sensors_chip_info_init(&info, chip, NULL);
                        if (r == -ENOMEM)
                                break;
                        if (r < 0) {
                                r = -ENOENT;
                                continue;
                        }
                        /* No directory: it vanished since libsensors listed it. */
                        r = sensors_chip_info_dirfd(&info) < 0 ? -ENOENT
                                                               : sensors_chip_post(&req, &info);
                        sensors_chip_info_done(&info);
                        if (r == -ENODEV)
                                r = -ENOENT; /* vanished while it was read */
                        if (r == -ENOENT)
                                continue;
                        break;
                }
                r = post_chip(&req, NULL, chip, feature);
                r = r == 1 ? 0 : r == 0 ? -ENOENT : r;
                if (r == -ENOENT)
                        continue; /* the same name twice (hand-merged trees): try the next */
                break;
        }
        sensors_free_chip_name(&match);
        sensors_lib_release();
        return r;
}

const struct glue_provider_ops glue_provider_sensors = {
        .size = sizeof(struct glue_provider_ops),
        .name = "sensors",
        .init = sensors_provider_init,
        .cleanup = sensors_provider_cleanup,
        .enumerate = sensors_enumerate,
        .get_instance = sensors_get_instance,
};
