/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <syslog.h>
#include <unistd.h>

#include "sensors-walk.h"

/* libsensors reads a link into a NAME_MAX buffer, less one byte for the NUL. */
#define LINK_MAX (NAME_MAX - 1)
/* libsensors reads an attribute with fgets() into 128 bytes. */
#define ATTR_LINE_MAX 128
/* More `device` links than any tree has: libsensors would follow a loop of them for ever. */
#define DEVICE_DEPTH_MAX 16
/* libsensors' bus number of the legacy ISA adapter */
#define LEGACY_ISA_BUS 9191

struct i2c_adapter {
        short nr;
        char *name;
};

struct bus_kind {
        short nr;
        bool isa;
};

struct seen_chip {
        uint64_t hash;          /* 0: a free slot */
        sensors_chip_name name; /* prefix owned; path: the attribute directory, relative to sys */
};

/* ---- reading as libsensors reads ---------------------------------------------------------- */

int sensors_read_attr_line(int dirfd, const char *name, char *buf, size_t size)
{
        char line[ATTR_LINE_MAX];
        struct stat st;
        ssize_t n;
        size_t len;
        char *nl;
        int fd, r = 0;

        fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        /* fgets() stops after ATTR_LINE_MAX - 1 bytes; sysfs hands the whole attribute out in
         * one read, a regular file short-reads only at its end */
        do
                n = read(fd, line, sizeof(line) - 1);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                r = -errno;
        else if (n == 0)
                /* libsensors' fopen() would block on a FIFO until a writer comes */
                r = fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) ? -EAGAIN : -ENODATA;
        close(fd);
        if (r < 0)
                return r;
        len = (size_t)n;
        nl = memchr(line, '\n', len);
        if (nl)
                len = (size_t)(nl - line) + 1;
        /* strndup(buf, strlen(buf) - 1): up to a NUL, less the last byte (the newline) */
        len = strnlen(line, len);
        if (len > 0)
                len--;
        if (len >= size)
                return -ENAMETOOLONG;
        memcpy(buf, line, len);
        buf[len] = '\0';
        return (int)len;
}

/* ---- paths under the tree ----------------------------------------------------------------- */

/* base (a directory, relative to sys, canonical) joined with a link target, "." and ".." taken
 * as they come; NULL if it leaves sys (or the target is absolute: the kernel would follow it
 * out of the tree) or on ENOMEM. */
static char *join_lexically(const char *base, const char *target)
{
        size_t cap = strlen(base) + strlen(target) + 2, len;
        char *out = malloc(cap);
        const char *p = target;

        if (!out || target[0] == '/') {
                free(out);
                return NULL;
        }
        len = strlen(base);
        memcpy(out, base, len + 1);
        while (*p) {
                const char *end = strchrnul(p, '/');
                size_t n = (size_t)(end - p);

                if (n == 0 || (n == 1 && p[0] == '.')) {
                        /* nothing */
                } else if (n == 2 && p[0] == '.' && p[1] == '.') {
                        char *slash = strrchr(out, '/');

                        if (len == 0) {
                                free(out);
                                return NULL;
                        }
                        len = slash ? (size_t)(slash - out) : 0;
                        out[len] = '\0';
                } else {
                        if (len > 0)
                                out[len++] = '/';
                        memcpy(out + len, p, n);
                        len += n;
                        out[len] = '\0';
                }
                p = *end ? end + 1 : end;
        }
        return out;
}

/* Is rel (relative to sys) the directory of fd itself, its last component no link? Then rel is
 * a path to it and ends with its name: a directory has one. */
static bool names_directory(const struct sensors_walk *walk, const char *rel, int fd)
{
        struct stat a, b;

        return rel && fstat(fd, &a) == 0 &&
               fstatat(walk->sys_fd, *rel ? rel : ".", &b, AT_SYMLINK_NOFOLLOW) == 0 &&
               S_ISDIR(b.st_mode) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

char *sensors_walk_path(const struct sensors_walk *walk, const char *relative)
{
        char *path;

        if (asprintf(&path, "/sys%s%s", relative && *relative ? "/" : "",
                     relative ? relative : "") < 0)
                return NULL;
        return path;
}

/* The path, relative to sys, of the directory that the link `name` in dir (whose own such path
 * is dir_rel, NULL if not known) leads to, opened as *ret_fd (O_PATH). Returns 0 with *ret_rel
 * owned or NULL (not known), -ENOENT if there is nothing there (missing, dangling, a loop, out
 * of the tree), -ENOTDIR if it is no directory, -ENOMEM. name may be a real directory too.
 *
 * A target that starts with /sys/ is taken in the tree's own /sys, as libsensors takes it under
 * umockdev's preload (which redirects the path that realpath() gives); other absolute targets
 * lead out of the tree, to nothing. */
static int follow(const struct sensors_walk *walk, int dir, const char *dir_rel,
                  const char *name, int *ret_fd, char **ret_rel)
{
        char target[PATH_MAX];
        char *rel = NULL;
        ssize_t n;
        int fd;

        n = readlinkat(dir, name, target, sizeof(target) - 1);
        if (n >= 0) {
                target[n] = '\0';
                if (target[0] == '/') {
                        if (strncmp(target, "/sys/", 5) != 0)
                                return -ENOENT;
                        rel = join_lexically("", target + 5);
                        if (!rel)
                                return -ENOENT;
                        fd = openat(walk->sys_fd, *rel ? rel : ".",
                                    O_PATH | O_DIRECTORY | O_CLOEXEC);
                } else {
                        rel = dir_rel ? join_lexically(dir_rel, target) : NULL;
                        fd = openat(dir, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
                }
        } else {
                if (errno != EINVAL)
                        return -ENOENT; /* missing */
                rel = dir_rel ? join_lexically(dir_rel, name) : NULL; /* a directory, not a link */
                fd = openat(dir, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
        }
        if (fd < 0) {
                int r = errno == ENOTDIR ? -ENOTDIR : -ENOENT;

                free(rel);
                return r;
        }
        if (rel && !names_directory(walk, rel, fd)) {
                free(rel);
                rel = NULL;
        }
        *ret_fd = fd;
        *ret_rel = rel;
        return 0;
}

/* The last component of the directory of fd, by the kernel's own name for it: for a tree whose
 * links the lexical join cannot follow. */
static int name_of_fd(int fd, char *buf, size_t size)
{
        char proc[64], path[PATH_MAX];
        const char *base;
        ssize_t n;

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        n = readlink(proc, path, sizeof(path) - 1);
        if (n <= 0)
                return -ENOENT;
        path[n] = '\0';
        base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (strlen(base) >= size)
                return -ENAMETOOLONG;
        strcpy(buf, base);
        return 0;
}

static const char *base_name(const char *rel)
{
        const char *slash = strrchr(rel, '/');

        return slash ? slash + 1 : rel;
}

/* ---- i2c adapters ------------------------------------------------------------------------- */

static void list_adapters_in(struct sensors_walk *walk, const char *dir_rel)
{
        struct dirent *ent;
        DIR *dir;
        int fd;

        fd = openat(walk->sys_fd, dir_rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return;
        dir = fdopendir(fd);
        if (!dir) {
                close(fd);
                return;
        }
        while ((ent = readdir(dir))) {
                char name[ATTR_LINE_MAX];
                struct i2c_adapter *more;
                short nr;
                int adapter_fd, r;

                if (ent->d_name[0] == '.' || sscanf(ent->d_name, "i2c-%hd", &nr) != 1 ||
                    nr == LEGACY_ISA_BUS)
                        continue;
                adapter_fd = openat(dirfd(dir), ent->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (adapter_fd < 0)
                        continue;
                /* the class device's name (Linux 2.6.20 on), else the device's */
                r = sensors_read_attr_line(adapter_fd, "name", name, sizeof(name));
                if (r < 0)
                        r = sensors_read_attr_line(adapter_fd, "device/name", name, sizeof(name));
                close(adapter_fd);
                if (r < 0)
                        continue;
                more = realloc(walk->adapters, (walk->n_adapters + 1) * sizeof(*more));
                if (!more)
                        break;
                walk->adapters = more;
                more[walk->n_adapters].nr = nr;
                more[walk->n_adapters].name = strdup(name);
                if (more[walk->n_adapters].name)
                        walk->n_adapters++;
        }
        closedir(dir);
}

static const char *adapter_name(struct sensors_walk *walk, const sensors_bus_id *bus)
{
        if (bus->type != SENSORS_BUS_TYPE_I2C)
                return sensors_get_adapter_name(bus); /* a constant for these: no state read */
        if (!walk->adapters_listed) {
                struct stat st;

                walk->adapters_listed = true;
                if (fstatat(walk->sys_fd, "class/i2c-adapter", &st, 0) == 0 || errno != ENOENT)
                        list_adapters_in(walk, "class/i2c-adapter");
                else
                        list_adapters_in(walk, "bus/i2c/devices");
        }
        for (size_t i = 0; i < walk->n_adapters; i++)
                if (walk->adapters[i].nr == bus->nr)
                        return walk->adapters[i].name;
        return NULL;
}

/* ---- the bus a chip is on ----------------------------------------------------------------- */

/* Is I2C bus nr an ISA bridge's (old kernels): its adapter's device named "ISA ..."? Looked
 * at once per bus of the walk, where libsensors looks once per chip. */
static bool bus_is_isa(struct sensors_walk *walk, short nr)
{
        char path[64], name[ATTR_LINE_MAX];
        struct bus_kind *more;

        for (size_t i = 0; i < walk->n_buses; i++)
                if (walk->buses[i].nr == nr)
                        return walk->buses[i].isa;
        snprintf(path, sizeof(path), "class/i2c-adapter/i2c-%d/device/name", nr);
        more = realloc(walk->buses, (walk->n_buses + 1) * sizeof(*more));
        if (!more)
                return false;
        walk->buses = more;
        more[walk->n_buses].nr = nr;
        more[walk->n_buses].isa = sensors_read_attr_line(walk->sys_fd, path, name,
                                                         sizeof(name)) >= 0 &&
                                  strncmp(name, "ISA ", 4) == 0;
        return more[walk->n_buses++].isa;
}

/* From the device's name and its subsystem's: 1 if it classifies, else 0. */
static int classify(struct sensors_walk *walk, const char *dev_name, const char *subsys,
                    sensors_chip_name *chip)
{
        unsigned domain, bus, slot, fn, vendor, product, id, addr;
        int iaddr, idomain, ibus, islot;
        short nr;

        if ((!subsys || strcmp(subsys, "i2c") == 0) &&
            sscanf(dev_name, "%hd-%x", &nr, &addr) == 2) {
                chip->addr = (int)addr;
                if (nr == LEGACY_ISA_BUS) {
                        chip->bus.type = SENSORS_BUS_TYPE_ISA;
                        chip->bus.nr = 0;
                } else {
                        chip->bus.type = SENSORS_BUS_TYPE_I2C;
                        chip->bus.nr = nr;
                        if (bus_is_isa(walk, nr)) {
                                chip->bus.type = SENSORS_BUS_TYPE_ISA;
                                chip->bus.nr = 0;
                        }
                }
                return 1;
        }
        if ((!subsys || strcmp(subsys, "spi") == 0) &&
            sscanf(dev_name, "spi%hd.%d", &nr, &iaddr) == 2) {
                chip->bus = (sensors_bus_id){ .type = SENSORS_BUS_TYPE_SPI, .nr = nr };
                chip->addr = iaddr;
                return 1;
        }
        if ((!subsys || strcmp(subsys, "pci") == 0) &&
            sscanf(dev_name, "%x:%x:%x.%x", &domain, &bus, &slot, &fn) == 4) {
                chip->addr = (int)((domain << 16) + (bus << 8) + (slot << 3) + fn);
                chip->bus = (sensors_bus_id){ .type = SENSORS_BUS_TYPE_PCI, .nr = 0 };
                return 1;
        }
        if (!subsys || strcmp(subsys, "platform") == 0 || strcmp(subsys, "of_platform") == 0) {
                /* the new ISA: platform drivers ("nct6775.656" is at 656) */
                if (sscanf(dev_name, "%*[a-zA-Z0-9_]%*1[.:]%d", &iaddr) != 1)
                        iaddr = 0;
                chip->addr = iaddr;
                chip->bus = (sensors_bus_id){ .type = SENSORS_BUS_TYPE_ISA, .nr = 0 };
                return 1;
        }
        if (strcmp(subsys, "acpi") == 0) {
                chip->bus = (sensors_bus_id){ .type = SENSORS_BUS_TYPE_ACPI, .nr = 0 };
                chip->addr = 0;
                return 1;
        }
        if (strcmp(subsys, "hid") == 0 &&
            sscanf(dev_name, "%x:%x:%x.%x", &bus, &vendor, &product, &id) == 4) {
                chip->bus = (sensors_bus_id){ .type = SENSORS_BUS_TYPE_HID, .nr = (short)bus };
                chip->addr = (int)id;
                return 1;
        }
        if (strcmp(subsys, "mdio_bus") == 0) {
                if (sscanf(dev_name, "%*[^:]:%d", &iaddr) != 1)
                        iaddr = 0;
                chip->addr = iaddr;
                chip->bus = (sensors_bus_id){ .type = SENSORS_BUS_TYPE_MDIO, .nr = 0 };
                return 1;
        }
        if (strcmp(subsys, "scsi") == 0 &&
            sscanf(dev_name, "%d:%d:%d:%x", &idomain, &ibus, &islot, &fn) == 4) {
                /* host, channel, target, lun */
                chip->addr = (ibus << 8) + (islot << 4) + (int)fn;
                chip->bus = (sensors_bus_id){ .type = SENSORS_BUS_TYPE_SCSI, .nr = (short)idomain };
                return 1;
        }
        return 0;
}

/* The last component of the target of dev's subsystem link (bus on old kernels) into buf, or
 * "" when it has neither. Returns 0, or -EUCLEAN when libsensors would fail on it (not a link,
 * not readable). A target without '/', on which libsensors would crash, is its own name. */
static int read_subsystem(int dev, char *buf, size_t size)
{
        char target[LINK_MAX + 1];
        const char *slash;
        ssize_t n;

        n = readlinkat(dev, "subsystem", target, LINK_MAX);
        if (n < 0 && errno == ENOENT)
                n = readlinkat(dev, "bus", target, LINK_MAX);
        if (n < 0) {
                if (errno != ENOENT)
                        return -EUCLEAN;
                buf[0] = '\0';
                return 0;
        }
        target[n] = '\0';
        slash = strrchr(target, '/');
        snprintf(buf, size, "%s", slash ? slash + 1 : target);
        return 0;
}

/* libsensors' find_bus_type(): classify the device, else its device, and so on; a virtual chip
 * when none classifies. dev is borrowed, dev_rel may be NULL. Returns 0 or -EUCLEAN. */
static int find_bus(struct sensors_walk *walk, int dev, const char *dev_rel, const char *dev_name,
                    sensors_chip_name *chip)
{
        char subsys[NAME_MAX + 1], name[NAME_MAX + 1];
        char *rel = dev_rel ? strdup(dev_rel) : NULL;
        int fd = -1, r = 0;

        snprintf(name, sizeof(name), "%s", dev_name);
        for (int depth = 0;; depth++) {
                int next_fd;
                char *next_rel;

                r = read_subsystem(fd >= 0 ? fd : dev, subsys, sizeof(subsys));
                if (r < 0)
                        break;
                if (classify(walk, name, subsys[0] ? subsys : NULL, chip))
                        break;
                if (depth == DEVICE_DEPTH_MAX ||
                    follow(walk, fd >= 0 ? fd : dev, rel, "device", &next_fd, &next_rel) < 0) {
                        chip->bus = (sensors_bus_id){ .type = SENSORS_BUS_TYPE_VIRTUAL, .nr = 0 };
                        chip->addr = 0;
                        break;
                }
                if (fd >= 0)
                        close(fd);
                free(rel);
                fd = next_fd;
                rel = next_rel;
                if (rel)
                        snprintf(name, sizeof(name), "%s", base_name(rel));
                else if (name_of_fd(fd, name, sizeof(name)) < 0)
                        name[0] = '\0';
        }
        if (fd >= 0)
                close(fd);
        free(rel);
        return r;
}

/* ---- which directories are sysfs's --------------------------------------------------------- */

/* The device numbers of the sysfs mounts, from /proc/self/mountinfo ("36 25 0:21 / /sys rw -
 * sysfs sysfs rw"): statfs() cannot tell, as umockdev's preload makes every tree look like
 * sysfs to it. Without /proc, none: every file's mode is then looked at. */
static void find_sysfs_mounts(struct sensors_walk *walk)
{
        char line[4096];
        FILE *f = fopen("/proc/self/mountinfo", "re");

        if (!f)
                return;
        while (fgets(line, sizeof(line), f)) {
                const char *sep = strstr(line, " - ");
                unsigned major, minor;
                dev_t *more;

                if (!sep || strncmp(sep + 3, "sysfs ", 6) != 0 ||
                    sscanf(line, "%*u %*u %u:%u", &major, &minor) != 2)
                        continue;
                more = realloc(walk->sysfs_devs, (walk->n_sysfs_devs + 1) * sizeof(*more));
                if (!more)
                        break;
                walk->sysfs_devs = more;
                more[walk->n_sysfs_devs++] = makedev(major, minor);
        }
        fclose(f);
}

static bool is_on_sysfs(const struct sensors_walk *walk, int fd)
{
        struct stat st;

        if (walk->n_sysfs_devs == 0 || fstat(fd, &st) < 0)
                return false;
        for (size_t i = 0; i < walk->n_sysfs_devs; i++)
                if (walk->sysfs_devs[i] == st.st_dev)
                        return true;
        return false;
}

/* ---- the chips ----------------------------------------------------------------------------- */

int sensors_walk_open(struct sensors_walk *walk, struct glue_call *call, const char *sysroot)
{
        size_t len;
        int fd;

        *walk = (struct sensors_walk){ .call = call, .sys_fd = -1 };
        if (!sysroot || !*sysroot)
                sysroot = "/";
        len = strlen(sysroot);
        while (len > 1 && sysroot[len - 1] == '/')
                len--;
        if (asprintf(&walk->sys_path, "%.*s/sys", (int)(len == 1 && sysroot[0] == '/' ? 0 : len),
                     sysroot) < 0) {
                walk->sys_path = NULL;
                return -ENOMEM;
        }
        walk->sys_fd = open(walk->sys_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (walk->sys_fd < 0) {
                int r = -errno;

                if (call && r != -ENOENT)
                        glue_call_log(call, LOG_ERR, "%s: %s", walk->sys_path, strerror(-r));
                sensors_walk_close(walk);
                return r;
        }
        fd = openat(walk->sys_fd, "class/hwmon", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
                walk->compat = true;
                fd = openat(walk->sys_fd, "bus/i2c/devices", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
        if (fd >= 0 && !(walk->dir = fdopendir(fd)))
                close(fd);
        if (walk->dir)
                find_sysfs_mounts(walk);
        if (!walk->dir) {
                int r = errno == ENOENT || errno == ENOTDIR ? -ENOENT : -errno;

                if (call && r != -ENOENT)
                        glue_call_log(call, LOG_ERR, "%s/%s: %s", walk->sys_path,
                                      walk->compat ? "bus/i2c/devices" : "class/hwmon",
                                      strerror(-r));
                sensors_walk_close(walk);
                return r;
        }
        return 0;
}

void sensors_walk_close(struct sensors_walk *walk)
{
        if (walk->dir)
                closedir(walk->dir);
        if (walk->sys_fd >= 0)
                close(walk->sys_fd);
        for (size_t i = 0; i < walk->n_adapters; i++)
                free(walk->adapters[i].name);
        free(walk->adapters);
        for (size_t i = 0; i < walk->seen_allocated; i++)
                if (walk->seen[i].hash) {
                        free(walk->seen[i].name.prefix);
                        free(walk->seen[i].name.path);
                }
        free(walk->seen);
        free(walk->buses);
        free(walk->sysfs_devs);
        free(walk->sys_path);
        *walk = (struct sensors_walk){ .sys_fd = -1 };
}

void sensors_walk_chip_clear(struct sensors_walk_chip *chip)
{
        free(chip->name.prefix);
        free(chip->name.path);
        free(chip->hwmon_path);
        free(chip->device_path);
        if (chip->dirfd >= 0)
                close(chip->dirfd);
        *chip = (struct sensors_walk_chip){ .dirfd = -1 };
}

/* A file libsensors would have blocked on or could not read: say which. */
static void note_unreadable(struct sensors_walk *walk, const char *rel, const char *name, int r)
{
        char *path;

        if (!walk->call || asprintf(&path, "%s/%s/%s", walk->sys_path, rel, name) < 0)
                return;
        glue_call_note_read_error(walk->call, path, r);
        /* a FIFO is planted; an empty name is the kernel's, and libsensors passes over it */
        glue_call_log(walk->call, r == -EAGAIN ? LOG_WARNING : LOG_NOTICE,
                      "%s: %s; that chip is skipped", path,
                      r == -EAGAIN ? "a FIFO, on which libsensors would block" : strerror(-r));
        free(path);
}

static void skip_chip(struct sensors_walk *walk, const char *rel, const char *why)
{
        if (walk->call)
                glue_call_log(walk->call, LOG_WARNING, "%s/%s: %s; that chip is skipped (libsensors "
                              "would refuse every chip)", walk->sys_path, rel, why);
}

struct file_note {
        struct sensors_walk *walk;
        const char *dir_rel;
};

static void note_passed_over(void *userdata, const char *name, int error)
{
        const struct file_note *n = userdata;
        char *path;

        if (!n->walk->call || asprintf(&path, "%s/%s/%s", n->walk->sys_path, n->dir_rel, name) < 0)
                return;
        glue_call_note_read_error(n->walk->call, path, error);
        free(path);
}

/* libsensors' sensors_read_one_sysfs_chip(): the chip whose attributes are in dir, on device
 * dev (-1: a virtual chip). 1 if it is one, 0 if not (no name, no subfeature), or -ENOMEM. */
static int try_chip(struct sensors_walk *walk, int dir, const char *dir_rel, const char *path,
                    int dev, const char *dev_rel, const char *dev_name,
                    struct sensors_walk_chip *chip, struct sensors_listing *listing)
{
        char prefix[ATTR_LINE_MAX];
        int r;

        r = sensors_read_attr_line(dir, "name", prefix, sizeof(prefix));
        if (r < 0 && r != -ENOENT)
                note_unreadable(walk, dir_rel, "name", r);
        if (r < 0)
                return 0;
        chip->name = (sensors_chip_name){ .bus.type = SENSORS_BUS_TYPE_VIRTUAL };
        if (dev >= 0) {
                r = find_bus(walk, dev, dev_rel, dev_name, &chip->name);
                if (r < 0) {
                        skip_chip(walk, dir_rel, "its device's subsystem link is not one "
                                  "libsensors can read");
                        return 0;
                }
        }
        r = sensors_listing_read(listing, dir, note_passed_over,
                                 &(struct file_note){ .walk = walk, .dir_rel = dir_rel });
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                skip_chip(walk, dir_rel, strerror(-r));
                return 0;
        }
        if (r == 0)
                return 0; /* no subfeature: no chip */
        chip->name.prefix = strdup(prefix);
        chip->name.path = strdup(path);
        if (!chip->name.prefix || !chip->name.path)
                return -ENOMEM;
        return 1;
}

/* Give chip the attribute directory *fd and the paths of the directory and of the device. */
static void adopt(struct sensors_walk *walk, struct sensors_walk_chip *chip, int *fd,
                  const char *dir_rel, const char *dev_rel)
{
        chip->dirfd = *fd;
        *fd = -1;
        chip->on_sysfs = is_on_sysfs(walk, chip->dirfd);
        chip->hwmon_path = dir_rel ? sensors_walk_path(walk, dir_rel) : NULL;
        chip->device_path = dev_rel ? sensors_walk_path(walk, dev_rel) : NULL;
}

/* One entry of the walked directory: 1 with a chip, 0 if it is none, -ENOMEM. */
static int read_entry(struct sensors_walk *walk, const char *entry, struct sensors_walk_chip *chip,
                      struct sensors_listing *listing)
{
        const char *list_rel = walk->compat ? "bus/i2c/devices" : "class/hwmon";
        char entry_rel[NAME_MAX + 32], dev_name[NAME_MAX + 1] = "";
        char *dir_rel = NULL, *dev_rel = NULL, *path = NULL;
        int entry_fd = -1, dir = -1, dev = -1, dev_dir = -1, r = 0;

        snprintf(entry_rel, sizeof(entry_rel), "%s/%s", list_rel, entry);
        if (follow(walk, dirfd(walk->dir), list_rel, entry, &entry_fd, &dir_rel) < 0)
                goto out; /* dangling, looping or no directory: libsensors finds no name there */
        dir = openat(entry_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        path = sensors_walk_path(walk, entry_rel);
        if (dir < 0 || !path) {
                r = dir < 0 ? 0 : -ENOMEM;
                goto out;
        }
        if (walk->compat) {
                /* the i2c device is its own chip, named after the entry */
                r = try_chip(walk, dir, dir_rel ? dir_rel : entry_rel, path, entry_fd, dir_rel,
                             entry, chip, listing);
                if (r == 1)
                        adopt(walk, chip, &dir, dir_rel, dir_rel);
                goto out;
        }
        r = follow(walk, dir, dir_rel, "device", &dev, &dev_rel);
        if (r == -ENOTDIR) {
                skip_chip(walk, entry_rel, "its device link leads to no directory");
                r = 0;
                goto out;
        }
        if (r == 0) {
                if (dev_rel)
                        snprintf(dev_name, sizeof(dev_name), "%s", base_name(dev_rel));
                else
                        (void)name_of_fd(dev, dev_name, sizeof(dev_name));
        } else {
                dev = -1; /* no device: a virtual chip */
        }
        /* the attributes are the class device's, or the device's own (old drivers) */
        r = try_chip(walk, dir, dir_rel ? dir_rel : entry_rel, path, dev, dev_rel, dev_name, chip,
                     listing);
        if (r == 1) {
                adopt(walk, chip, &dir, dir_rel, dev_rel);
                goto out;
        }
        if (r < 0 || dev < 0 || !dev_rel)
                goto out;
        sensors_walk_chip_clear(chip);
        free(path);
        path = sensors_walk_path(walk, dev_rel);
        dev_dir = openat(dev, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (!path || dev_dir < 0) {
                r = path ? 0 : -ENOMEM;
                goto out;
        }
        r = try_chip(walk, dev_dir, dev_rel, path, dev, dev_rel, dev_name, chip, listing);
        if (r == 1)
                adopt(walk, chip, &dev_dir, dev_rel, dev_rel);
out:
        if (r != 1)
                sensors_walk_chip_clear(chip);
        if (dev_dir >= 0)
                close(dev_dir);
        if (dir >= 0)
                close(dir);
        if (entry_fd >= 0)
                close(entry_fd);
        if (dev >= 0)
                close(dev);
        free(dir_rel);
        free(dev_rel);
        free(path);
        return r;
}

/* ---- chips named alike ---------------------------------------------------------------------- */

static uint64_t hash_name(const sensors_chip_name *name)
{
        uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
        const int fields[3] = { name->bus.type, name->bus.nr, name->addr };

        for (const char *p = name->prefix; *p; p++)
                h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
        for (size_t i = 0; i < 3; i++)
                h = (h ^ (uint64_t)(unsigned)fields[i]) * 0x100000001b3ULL;
        return h | 1;
}

static bool same_name(const sensors_chip_name *a, const sensors_chip_name *b)
{
        return strcmp(a->prefix, b->prefix) == 0 && a->bus.type == b->bus.type &&
               a->bus.nr == b->bus.nr && a->addr == b->addr;
}

/* Note the chip's name; if an earlier chip had it, return that chip's. */
static int note_name(struct sensors_walk *walk, const sensors_chip_name *name, const char *rel,
                     const struct seen_chip **ret_earlier)
{
        uint64_t h = hash_name(name);
        size_t mask, i;

        *ret_earlier = NULL;
        if (2 * (walk->n_seen + 1) > walk->seen_allocated) {
                size_t n = walk->seen_allocated ? walk->seen_allocated * 2 : 64;
                struct seen_chip *more = calloc(n, sizeof(*more));

                if (!more)
                        return -ENOMEM;
                for (size_t j = 0; j < walk->seen_allocated; j++) {
                        if (!walk->seen[j].hash)
                                continue;
                        for (i = walk->seen[j].hash & (n - 1); more[i].hash; i = (i + 1) & (n - 1))
                                ;
                        more[i] = walk->seen[j];
                }
                free(walk->seen);
                walk->seen = more;
                walk->seen_allocated = n;
        }
        mask = walk->seen_allocated - 1;
        for (i = h & mask; walk->seen[i].hash; i = (i + 1) & mask)
                if (walk->seen[i].hash == h && same_name(&walk->seen[i].name, name)) {
                        *ret_earlier = &walk->seen[i];
                        return 0;
                }
        walk->seen[i].name = *name;
        walk->seen[i].name.prefix = strdup(name->prefix);
        walk->seen[i].name.path = rel ? strdup(rel) : NULL;
        if (!walk->seen[i].name.prefix) {
                free(walk->seen[i].name.path);
                walk->seen[i].name.path = NULL;
                return -ENOMEM;
        }
        walk->seen[i].hash = h;
        walk->n_seen++;
        return 0;
}

/* The features of the earlier chip of that name, as libsensors gives them for this one. */
static int list_earlier(struct sensors_walk *walk, const struct seen_chip *earlier,
                        struct sensors_listing *listing)
{
        int fd, r;

        if (!earlier->name.path)
                return -ENOENT;
        fd = openat(walk->sys_fd, earlier->name.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = sensors_listing_read(listing, fd, NULL, NULL);
        close(fd);
        return r;
}

int sensors_walk_next(struct sensors_walk *walk, struct sensors_walk_chip *chip,
                      struct sensors_listing *listing)
{
        struct dirent *ent;

        *chip = (struct sensors_walk_chip){ .dirfd = -1 };
        while ((ent = readdir(walk->dir))) {
                const struct seen_chip *earlier;
                int r;

                if (ent->d_name[0] == '.')
                        continue;
                r = read_entry(walk, ent->d_name, chip, listing);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                if (sensors_snprintf_chip_name(chip->printed, sizeof(chip->printed),
                                               &chip->name) < 0)
                        chip->printed[0] = '\0';
                chip->adapter = adapter_name(walk, &chip->name.bus);
                /* its path is "/sys/" and the entry, or the device's directory */
                r = note_name(walk, &chip->name, chip->name.path + 5, &earlier);
                if (r == 0 && earlier) {
                        chip->named_like_earlier = true;
                        r = list_earlier(walk, earlier, listing);
                        if (r == -ENOMEM)
                                return r;
                        if (r <= 0) {
                                /* gone since: nothing to list for it */
                                sensors_walk_chip_clear(chip);
                                continue;
                        }
                        r = 0;
                }
                if (r < 0) {
                        sensors_walk_chip_clear(chip);
                        return r;
                }
                return 1;
        }
        return 0;
}
