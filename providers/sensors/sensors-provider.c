/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The "sensors" provider: every hwmon chip and feature that libsensors lists, posted chip by
 * chip as it is read, under any sysroot.
 *
 * The chips are walked as libsensors walks them (sensors-walk.h), their features listed as it
 * lists them (sensors-listing.h), their values and labels read as it reads them, and the
 * statements of sensors.conf applied as it applies them where the configuration is read
 * exactly (sensors-config.h), which is every configuration without errors: libsensors' own
 * state is not needed, so nothing waits for its walk of every chip (the first chip comes as
 * soon as it is read), nothing blocks in it, and a sysroot is read like /sys. libsensors is
 * initialised only for a configuration with errors, and asked only about chips that its
 * statements may touch; under a sysroot, where libsensors cannot look, those chips are named
 * and not served.
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
#include "sensors-walk.h"

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

/* What to post of a chip: all it has (that the request wants), the chip alone, or one feature. */
struct post_what {
        bool chip_only;
        const char *feature;
};

/* Post the chip (when wanted) and then each of its features; or only the chip, and return 1
 * if it was posted; or only the feature named, and return 1 if it was posted, 0 if there is
 * none. */
static int post_chip(const struct sensors_request *req, struct sensors_chip_info *info,
                     const struct post_what *what)
{
        const char *only_feature = what->feature;
        int r = 0;

        if (what->chip_only) {
                r = sensors_chip_post(req, info);
                return r == 0 ? 1 : r == -ENODEV ? 0 : r;
        }
        if (req->chip_class && !only_feature) {
                r = sensors_chip_post(req, info);
                if (r == -ECANCELED)
                        return r;
                if (r == -ENODEV)
                        goto vanished;
                if (r < 0)
                        glue_call_log(req->call, LOG_DEBUG, "%s: not posted: %s", info->name,
                                      strerror(-r));
                r = 0;
        }
        for (size_t i = 0; i < info->layout->n_features; i++) {
                const sensors_feature *feature = info->layout->features[i];

                if (only_feature && strcmp(feature->name, only_feature) != 0)
                        continue;
                /* Between features, not only between chips: a slow driver can take hundreds of
                 * milliseconds per attribute. */
                if (glue_call_is_cancelled(req->call))
                        return -ECANCELED;
                r = sensors_feature_post(req, info, i);
                if (r == -ECANCELED)
                        return r;
                if (r == -ENODEV)
                        goto vanished;
                if (r < 0)
                        glue_call_log(req->call, LOG_DEBUG, "%s/%s: not posted: %s", info->name,
                                      feature->name, strerror(-r));
                if (only_feature)
                        return r == 0 ? 1 : 0;
                r = 0;
        }
        return only_feature ? 0 : r;
vanished:
        glue_call_log(req->call, LOG_NOTICE, "%s: vanished while it was read, the rest of it "
                      "not posted", info->name);
        return 0;
}

/* Can libsensors read the call's sysroot, as /sys? "/", or a sysroot whose sys is /sys
 * (umockdev's preload redirects /sys to a tree). */
static bool libsensors_reads_sysroot(struct glue_call *call)
{
        const char *sysroot = glue_call_get_option(call, "sysroot");
        struct stat wanted, read_by_libsensors;
        char path[PATH_MAX];
        int n;

        if (!sysroot || !*sysroot || strcmp(sysroot, "/") == 0)
                return true;
        n = snprintf(path, sizeof(path), "%s/sys", sysroot);
        return n > 0 && (size_t)n < sizeof(path) && stat(path, &wanted) == 0 &&
               stat("/sys", &read_by_libsensors) == 0 &&
               wanted.st_dev == read_by_libsensors.st_dev &&
               wanted.st_ino == read_by_libsensors.st_ino;
}

/* The chips that only libsensors can read (an inexact configuration's statements may touch
 * them) and that it could not: counted, the first named. */
struct unserved {
        unsigned count;
        char first[256];
        char lib_why[PATH_MAX + 256];   /* why libsensors could not start, or "" */
};

/* libsensors' own entry for the chip that the walk found: the one of that name whose path
 * leads to the same directory. */
static const sensors_chip_name *find_in_libsensors(const struct sensors_walk_chip *walked)
{
        const sensors_chip_name *chip;
        struct stat dir, lib_dir;
        int nr = 0;

        if (fstat(walked->dirfd, &dir) < 0)
                return NULL;
        while ((chip = sensors_get_detected_chips(&walked->name, &nr)))
                if (stat(chip->path, &lib_dir) == 0 && lib_dir.st_dev == dir.st_dev &&
                    lib_dir.st_ino == dir.st_ino)
                        return chip;
        return NULL;
}

static bool needs_libsensors(const struct sensors_walk_chip *walked)
{
        struct sensors_config_view view;

        sensors_config_view_init(&view, sensors_lib_get_statements(), &walked->name);
        return !view.exact && (sensors_config_view_may(&view, SENSORS_STATEMENT_COMPUTE, NULL) ||
                               sensors_config_view_may(&view, SENSORS_STATEMENT_LABEL, NULL) ||
                               sensors_config_view_may(&view, SENSORS_STATEMENT_IGNORE, NULL));
}

/* Post a chip of the walk: read by the provider, or by libsensors where only it can say what
 * the configuration makes of it. Returns as post_chip(), or 0 for a chip not served. */
static int post_walked(const struct sensors_request *req, const struct sensors_walk *walk,
                       const struct sensors_walk_chip *walked,
                       const struct sensors_listing *listing, const struct post_what *what,
                       struct unserved *unserved)
{
        struct sensors_chip_info info;
        int r;

        if (!walked->printed[0]) {
                glue_call_log(req->call, LOG_DEBUG, "%s: chip name does not print, skipped",
                              walked->name.path);
                return 0;
        }
        if (!needs_libsensors(walked)) {
                r = sensors_chip_info_init(&info, req->call, walk, walked, listing);
        } else {
                const sensors_chip_name *lib_chip =
                        sensors_lib_is_loaded() ? find_in_libsensors(walked) : NULL;

                if (!lib_chip) {
                        if (unserved->count++ == 0)
                                snprintf(unserved->first, sizeof(unserved->first), "%s",
                                         walked->printed);
                        return 0;
                }
                r = sensors_chip_info_init_libsensors(&info, req->call, walk, walked, lib_chip);
        }
        if (r < 0)
                return r;
        r = post_chip(req, &info, what);
        sensors_chip_info_done(&info);
        return r;
}

/* Say why chips were not served; the call fails then (its caller is told it is partial). */
static int report_unserved(const struct sensors_request *req, const struct unserved *unserved,
                           int lib_error)
{
        const char *where = sensors_config_inexact_where(sensors_lib_get_statements());

        if (unserved->count == 0)
                return 0;
        if (lib_error < 0 && lib_error != -EOPNOTSUPP) {
                glue_call_log(req->call, LOG_ERR, "%u chip%s not read (%s%s): libsensors, which "
                              "reads what the configuration (%s) makes of %s, could not start: "
                              "%s", unserved->count, unserved->count == 1 ? "" : "s",
                              unserved->first, unserved->count == 1 ? "" : ", ...",
                              where ? where : "?", unserved->count == 1 ? "it" : "them",
                              unserved->lib_why[0] ? unserved->lib_why : strerror(-lib_error));
                return lib_error;
        }
        glue_call_log(req->call, LOG_ERR, "%u chip%s not read under this sysroot (%s%s): the "
                      "sensors configuration has a statement read only by libsensors (%s), "
                      "and libsensors reads /sys alone", unserved->count,
                      unserved->count == 1 ? "" : "s", unserved->first,
                      unserved->count == 1 ? "" : ", ...", where ? where : "?");
        return -EOPNOTSUPP;
}

/* The walk of the call's sysroot, with the configuration held. Returns 0 (*ret_lib_error: why
 * libsensors is not there, or 0), 1 if there are no chips at all, or a negative errno. */
static int start(struct glue_call *call, struct sensors_walk *walk, int *ret_lib_error,
                 struct unserved *unserved)
{
        bool with_libsensors = libsensors_reads_sysroot(call);
        int r;

        r = sensors_lib_acquire(call, with_libsensors, unserved->lib_why,
                                sizeof(unserved->lib_why));
        if (r == -ETIMEDOUT || r == -ENOMEM)
                return r;
        *ret_lib_error = with_libsensors ? r : -EOPNOTSUPP;
        r = sensors_walk_open(walk, call, glue_call_get_option(call, "sysroot"));
        if (r < 0) {
                sensors_lib_release();
                return r == -ENOENT ? 1 : r;
        }
        return 0;
}

/* Say why a request found nothing: no hwmon chips in the tree. sys_path NULL: the tree has no
 * hwmon class directory at all. */
static void no_chips(struct glue_call *call, const char *sys_path)
{
        const char *sysroot = glue_call_get_option(call, "sysroot");

        if (sys_path)
                glue_call_log(call, LOG_WARNING, "no hwmon chips under %s/class/hwmon", sys_path);
        else
                glue_call_log(call, LOG_WARNING, "no hwmon chips: no %s/sys/class/hwmon",
                              sysroot && strcmp(sysroot, "/") != 0 ? sysroot : "");
}

static int sensors_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        struct sensors_listing listing = { 0 };
        struct sensors_walk_chip walked;
        struct unserved unserved = { 0 };
        const struct post_what all = { 0 };
        struct sensors_request req;
        struct sensors_walk walk;
        unsigned chips = 0;
        int r, lib_error = 0;

        r = sensors_request_init(&req, call, cls);
        if (r < 0)
                return r;
        if (!req.chip_class && !sensors_request_wants_sensors(&req))
                return 0;
        r = start(call, &walk, &lib_error, &unserved);
        if (r > 0)
                no_chips(call, NULL);
        if (r != 0)
                return r > 0 ? 0 : r;
        while ((r = sensors_walk_next(&walk, &walked, &listing)) > 0) {
                chips++;
                if (glue_call_is_cancelled(call))
                        r = -ECANCELED;
                else
                        r = post_walked(&req, &walk, &walked, &listing, &all, &unserved);
                sensors_walk_chip_clear(&walked);
                if (r < 0)
                        break;
        }
        if (r == 0 && chips == 0)
                no_chips(call, walk.sys_path);
        if (r == 0)
                r = report_unserved(&req, &unserved, lib_error);
        sensors_listing_free(&listing);
        sensors_walk_close(&walk);
        sensors_lib_release();
        return r < 0 ? r : 0;
}

/* Keys are what sensors_snprintf_chip_name() prints ("coretemp-isa-0000"), then '/' and the
 * feature name for a sensor. Anything else is no instance of ours: refuse it before any file
 * is opened. */
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
        struct sensors_listing listing = { 0 };
        struct sensors_walk_chip walked;
        struct unserved unserved = { 0 };
        struct sensors_request req;
        struct sensors_walk walk;
        sensors_chip_name match;
        char chip_part[301];
        const char *slash, *feature = NULL;
        bool wildcards;
        int r, lib_error = 0;

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
        /* All of the key is checked before the tree is: a feature name ("temp1",
         * "beep_enable"), and a chip name as libsensors parses it, without wildcards (a bus
         * number is "any" for the buses that have none: isa, pci, virtual). */
        if (feature && !sysfs_name_is_safe(feature, 32, "_"))
                return -ENOENT;
        r = sensors_lib_parse_chip_name(chip_part, &match);
        if (r < 0)
                return r == -ENOMEM ? r : -ENOENT;
        wildcards = match.prefix == SENSORS_CHIP_NAME_PREFIX_ANY ||
                    match.bus.type == SENSORS_BUS_TYPE_ANY ||
                    match.addr == SENSORS_CHIP_NAME_ADDR_ANY;
        sensors_free_chip_name(&match);
        if (wildcards)
                return -ENOENT;
        r = sensors_request_init(&req, call, cls);
        if (r < 0)
                return r;
        if (feature ? !sensors_request_wants_sensors(&req) : !req.chip_class)
                return -ENOENT;
        r = start(call, &walk, &lib_error, &unserved);
        if (r != 0)
                return r > 0 ? -ENOENT : r;
        r = -ENOENT;
        while (sensors_walk_next(&walk, &walked, &listing) > 0) {
                const struct post_what what = { .chip_only = !feature, .feature = feature };

                if (strcmp(walked.printed, chip_part) == 0)
                        r = post_walked(&req, &walk, &walked, &listing, &what, &unserved);
                sensors_walk_chip_clear(&walked);
                r = r == 1 ? 0 : r == 0 ? -ENOENT : r;
                /* none, or vanished: the same name may come again (hand-merged trees) */
                if (r != -ENOENT)
                        break;
        }
        if (r == -ENOENT && unserved.count > 0)
                r = report_unserved(&req, &unserved, lib_error);
        sensors_listing_free(&listing);
        sensors_walk_close(&walk);
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
