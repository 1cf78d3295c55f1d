/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Block devices from class/block: uevent (major, minor, name, type) and size, ro, stat for all;
 * for disks removable, the queue limits and the identity (model, vendor, serial, WWID, firmware)
 * from the device and its parent; for partitions their number and start.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floor.h"

static void uevent_value(const char *uevent, const char *key, char *buf, size_t size)
{
        size_t key_len = strlen(key);

        buf[0] = '\0';
        for (const char *line = uevent; line && *line;) {
                if (strncmp(line, key, key_len) == 0 && line[key_len] == '=') {
                        const char *end = strchr(line, '\n');
                        size_t len = end ? (size_t)(end - line) - key_len - 1
                                         : strlen(line + key_len + 1);

                        if (len >= size)
                                len = size - 1;
                        memcpy(buf, line + key_len + 1, len);
                        buf[len] = '\0';
                        return;
                }
                line = strchr(line, '\n');
                if (line)
                        line++;
        }
}

/* Try the device's own attribute, then its parent's (virtio serial vs NVMe controller serial). */
static void read_either(int fd, int parent_fd, const char *name, char *buf, size_t size)
{
        if (floor_read(fd, name, buf, size) < 0 &&
            (parent_fd < 0 || floor_read(parent_fd, name, buf, size) < 0))
                buf[0] = '\0';
}

static unsigned count_entries(int fd, const char *name)
{
        int dir_fd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *dir = dir_fd >= 0 ? fdopendir(dir_fd) : NULL;
        unsigned count = 0;

        if (!dir) {
                if (dir_fd >= 0)
                        close(dir_fd);
                return 0;
        }
        for (struct dirent *de; (de = readdir(dir));)
                count += de->d_name[0] != '.';
        closedir(dir);
        return count;
}

static int read_block_device(int class_fd, const char *name, bool check)
{
        char uevent[512], major[16], minor[16], devname[64], devtype[16], size[32], ro[8];
        char stat[256];
        char removable[8] = "", lbs[16] = "", pbs[16] = "", rota[8] = "", sched[64] = "";
        char nr[16] = "";
        char gran[16] = "", model[64] = "", vendor[64] = "", serial[64] = "", wwid[128] = "";
        char rev[32] = "", partition[16] = "", start[32] = "", min_io[16] = "", opt_io[16] = "";
        char discard_max[32] = "", diskseq[16] = "";
        unsigned holders = 0, slaves = 0;
        int fd = openat(class_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC), bad = 0;

        if (fd < 0)
                return check;
        if (floor_read(fd, "uevent", uevent, sizeof(uevent)) < 0)
                uevent[0] = '\0';
        uevent_value(uevent, "MAJOR", major, sizeof(major));
        uevent_value(uevent, "MINOR", minor, sizeof(minor));
        uevent_value(uevent, "DEVNAME", devname, sizeof(devname));
        uevent_value(uevent, "DEVTYPE", devtype, sizeof(devtype));
        floor_read(fd, "size", size, sizeof(size));
        floor_read(fd, "ro", ro, sizeof(ro));
        floor_read(fd, "stat", stat, sizeof(stat));
        if (!strcmp(devtype, "partition")) {
                /* A partition has no queue of its own: its limits are its disk's. */
                int queue_fd = openat(fd, "../queue", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

                floor_read(fd, "partition", partition, sizeof(partition));
                floor_read(fd, "start", start, sizeof(start));
                if (queue_fd >= 0) {
                        floor_read(queue_fd, "logical_block_size", lbs, sizeof(lbs));
                        floor_read(queue_fd, "physical_block_size", pbs, sizeof(pbs));
                        floor_read(queue_fd, "rotational", rota, sizeof(rota));
                        floor_read(queue_fd, "scheduler", sched, sizeof(sched));
                        close(queue_fd);
                }
        } else {
                int queue_fd = openat(fd, "queue", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                int device_fd = openat(fd, "device", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

                floor_read(fd, "removable", removable, sizeof(removable));
                floor_read(fd, "diskseq", diskseq, sizeof(diskseq));
                holders = count_entries(fd, "holders");
                slaves = count_entries(fd, "slaves");
                if (queue_fd >= 0) {
                        floor_read(queue_fd, "minimum_io_size", min_io, sizeof(min_io));
                        floor_read(queue_fd, "optimal_io_size", opt_io, sizeof(opt_io));
                        floor_read(queue_fd, "discard_max_bytes", discard_max, sizeof(discard_max));
                        floor_read(queue_fd, "logical_block_size", lbs, sizeof(lbs));
                        floor_read(queue_fd, "physical_block_size", pbs, sizeof(pbs));
                        floor_read(queue_fd, "rotational", rota, sizeof(rota));
                        floor_read(queue_fd, "scheduler", sched, sizeof(sched));
                        floor_read(queue_fd, "nr_requests", nr, sizeof(nr));
                        floor_read(queue_fd, "discard_granularity", gran, sizeof(gran));
                        close(queue_fd);
                }
                if (device_fd >= 0) {
                        floor_read(device_fd, "model", model, sizeof(model));
                        floor_read(device_fd, "vendor", vendor, sizeof(vendor));
                        if (floor_read(device_fd, "rev", rev, sizeof(rev)) < 0)
                                floor_read(device_fd, "firmware_rev", rev, sizeof(rev));
                }
                read_either(fd, device_fd, "serial", serial, sizeof(serial));
                read_either(fd, device_fd, "wwid", wwid, sizeof(wwid));
                if (device_fd >= 0)
                        close(device_fd);
        }
        if (check) {
                char dev[32], expected[40];

                snprintf(expected, sizeof(expected), "%s:%s", major, minor);
                floor_read(fd, "dev", dev, sizeof(dev));
                bad += strcmp(dev, expected) != 0 || strcmp(devname, name) != 0 || !*size ||
                       strspn(size, "0123456789") != strlen(size) ||
                       (strcmp(devtype, "disk") && strcmp(devtype, "partition")) ||
                       (!strcmp(devtype, "disk") && (!*lbs || !*sched));
                if (bad)
                        fprintf(stderr, "sysfs-floor: block %s: dev %s, uevent %s\n", name, dev,
                                expected);
        }
        close(fd);
        floor_record("%s %s:%s %s size=%s ro=%s rm=%s lbs=%s pbs=%s rota=%s sched=%s nr=%s gran=%s "
                     "min_io=%s opt_io=%s discard_max=%s diskseq=%s holders=%u slaves=%u "
                     "model=%s vendor=%s serial=%s wwid=%s rev=%s part=%s start=%s stat=%s",
                     name, major, minor, devtype, size, ro, removable, lbs, pbs, rota, sched, nr,
                     gran, min_io, opt_io, discard_max, diskseq, holders, slaves, model, vendor,
                     serial, wwid, rev, partition, start, stat);
        return bad;
}

int floor_block(int sys_fd, bool check)
{
        return floor_walk(sys_fd, "class/block", read_block_device, check);
}
