/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every column of lsblk -J -O -b against the property that carries it (README's table). The
 * deliberate differences are the rules below, each with its reason and a check of what hwglue
 * shows instead: a rule never excuses a field without looking at it.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lsblk-truth.h"

/* ---- the columns ---------------------------------------------------------------------------- */

enum col {
        C_ALIGNMENT, C_DISC_ALN, C_DAX, C_DISC_GRAN, C_DISC_MAX, C_DISC_ZERO, C_FSAVAIL,
        C_FSROOTS, C_FSSIZE, C_FSTYPE, C_FSUSED, C_FSUSE_PCT, C_FSVER, C_GROUP, C_HCTL,
        C_HOTPLUG, C_KNAME, C_LABEL, C_LOG_SEC, C_MAJ_MIN, C_MIN_IO, C_MODE, C_MODEL, C_NAME,
        C_OPT_IO, C_OWNER, C_PARTFLAGS, C_PARTLABEL, C_PARTTYPE, C_PARTTYPENAME, C_PARTUUID,
        C_PATH, C_PHY_SEC, C_PKNAME, C_PTTYPE, C_PTUUID, C_RA, C_RAND, C_REV, C_RM, C_RO,
        C_ROTA, C_RQ_SIZE, C_SCHED, C_SERIAL, C_SIZE, C_START, C_STATE, C_SUBSYSTEMS,
        C_MOUNTPOINT, C_MOUNTPOINTS, C_TRAN, C_TYPE, C_UUID, C_VENDOR, C_WSAME, C_WWN, C_ZONED,
        C_ZONE_SZ, C_ZONE_WGRAN, C_ZONE_APP, C_ZONE_NR, C_ZONE_OMAX, C_ZONE_AMAX, _C_MAX,
};

enum kind {
        K_TEXT,    /* the property's text, exactly */
        K_NUMBER,  /* a number, lsblk's decimal */
        K_FLAG,    /* a boolean: lsblk's false is also a missing attribute */
        K_TIMES,   /* a number scaled: lsblk's value times `scale` is the property */
        K_LIST,    /* a string array; lsblk's [null] is empty */
        K_SPECIAL, /* a function of its own */
};

enum where { W_BLOCK, W_FS };

static const struct column {
        const char *key;      /* lsblk's JSON key */
        const char *property; /* the hwglue property (README's table) */
        enum where where;
        enum kind kind;
        uint64_t scale;
} columns[_C_MAX] = {
        [C_ALIGNMENT] = { "alignment", "AlignmentOffset", W_BLOCK, K_NUMBER },
        [C_DISC_ALN] = { "disc-aln", "DiscardAlignment", W_BLOCK, K_NUMBER },
        [C_DAX] = { "dax", "DAX", W_BLOCK, K_FLAG },
        [C_DISC_GRAN] = { "disc-gran", "DiscardGranularity", W_BLOCK, K_NUMBER },
        [C_DISC_MAX] = { "disc-max", "DiscardMaxBytes", W_BLOCK, K_NUMBER },
        [C_DISC_ZERO] = { "disc-zero", "DiscardZeroesData", W_BLOCK, K_FLAG },
        [C_FSAVAIL] = { "fsavail", "AvailableSpace", W_FS, K_NUMBER },
        [C_FSROOTS] = { "fsroots", "FileSystemRoots", W_FS, K_LIST },
        [C_FSSIZE] = { "fssize", "FileSystemSize", W_FS, K_NUMBER },
        [C_FSTYPE] = { "fstype", "FileSystemType", W_FS, K_TEXT },
        [C_FSUSED] = { "fsused", "UsedSpace", W_FS, K_NUMBER },
        [C_FSUSE_PCT] = { "fsuse%", "PercentUsed", W_FS, K_SPECIAL },
        [C_FSVER] = { "fsver", "Version", W_FS, K_TEXT },
        [C_GROUP] = { "group", "GroupName", W_BLOCK, K_TEXT },
        [C_HCTL] = { "hctl", "SCSIAddress", W_BLOCK, K_TEXT },
        [C_HOTPLUG] = { "hotplug", "Hotplug", W_BLOCK, K_FLAG },
        [C_KNAME] = { "kname", "DeviceID", W_BLOCK, K_SPECIAL },
        [C_LABEL] = { "label", "Label", W_FS, K_TEXT },
        [C_LOG_SEC] = { "log-sec", "BlockSize", W_BLOCK, K_NUMBER },
        [C_MAJ_MIN] = { "maj:min", "Major, Minor", W_BLOCK, K_SPECIAL },
        [C_MIN_IO] = { "min-io", "MinimumIOSize", W_BLOCK, K_NUMBER },
        [C_MODE] = { "mode", "Mode", W_BLOCK, K_TEXT },
        [C_MODEL] = { "model", "Model", W_BLOCK, K_SPECIAL },
        [C_NAME] = { "name", "Name", W_BLOCK, K_TEXT },
        [C_OPT_IO] = { "opt-io", "OptimalIOSize", W_BLOCK, K_NUMBER },
        [C_OWNER] = { "owner", "OwnerName", W_BLOCK, K_TEXT },
        [C_PARTFLAGS] = { "partflags", "PartitionFlags", W_BLOCK, K_TEXT },
        [C_PARTLABEL] = { "partlabel", "PartitionLabel", W_BLOCK, K_TEXT },
        [C_PARTTYPE] = { "parttype", "PartitionTypeID", W_BLOCK, K_TEXT },
        [C_PARTTYPENAME] = { "parttypename", "PartitionTypeName", W_BLOCK, K_TEXT },
        [C_PARTUUID] = { "partuuid", "PartitionUUID", W_BLOCK, K_TEXT },
        [C_PATH] = { "path", "Path", W_BLOCK, K_TEXT },
        [C_PHY_SEC] = { "phy-sec", "PhysicalBlockSize", W_BLOCK, K_NUMBER },
        [C_PKNAME] = { "pkname", "ParentDevice, Slaves", W_BLOCK, K_SPECIAL },
        [C_PTTYPE] = { "pttype", "PartitionTableType", W_BLOCK, K_TEXT },
        [C_PTUUID] = { "ptuuid", "PartitionTableUUID", W_BLOCK, K_TEXT },
        [C_RA] = { "ra", "ReadAhead", W_BLOCK, K_TIMES, 1024 },
        [C_RAND] = { "rand", "AddRandom", W_BLOCK, K_FLAG },
        [C_REV] = { "rev", "FirmwareRevision", W_BLOCK, K_SPECIAL },
        [C_RM] = { "rm", "Removable", W_BLOCK, K_FLAG },
        [C_RO] = { "ro", "ReadOnly", W_BLOCK, K_FLAG },
        [C_ROTA] = { "rota", "Rotational", W_BLOCK, K_FLAG },
        [C_RQ_SIZE] = { "rq-size", "RequestQueueSize", W_BLOCK, K_NUMBER },
        [C_SCHED] = { "sched", "Scheduler", W_BLOCK, K_TEXT },
        [C_SERIAL] = { "serial", "SerialNumber", W_BLOCK, K_SPECIAL },
        [C_SIZE] = { "size", "Size", W_BLOCK, K_NUMBER },
        [C_START] = { "start", "StartingOffset", W_BLOCK, K_TIMES, 512 },
        [C_STATE] = { "state", "State", W_BLOCK, K_TEXT },
        [C_SUBSYSTEMS] = { "subsystems", "Subsystems", W_BLOCK, K_TEXT },
        [C_MOUNTPOINT] = { "mountpoint", "Root", W_FS, K_TEXT },
        [C_MOUNTPOINTS] = { "mountpoints", "MountPoints", W_FS, K_SPECIAL },
        [C_TRAN] = { "tran", "Transport", W_BLOCK, K_SPECIAL },
        [C_TYPE] = { "type", "Type", W_BLOCK, K_TEXT },
        [C_UUID] = { "uuid", "UUID", W_FS, K_TEXT },
        [C_VENDOR] = { "vendor", "Vendor", W_BLOCK, K_SPECIAL },
        [C_WSAME] = { "wsame", "WriteSameMaxBytes", W_BLOCK, K_NUMBER },
        [C_WWN] = { "wwn", "WWN", W_BLOCK, K_SPECIAL },
        [C_ZONED] = { "zoned", "Zoned", W_BLOCK, K_TEXT },
        [C_ZONE_SZ] = { "zone-sz", "ZoneSize", W_BLOCK, K_NUMBER },
        [C_ZONE_WGRAN] = { "zone-wgran", "ZoneWriteGranularity", W_BLOCK, K_NUMBER },
        [C_ZONE_APP] = { "zone-app", "ZoneAppendMaxBytes", W_BLOCK, K_NUMBER },
        [C_ZONE_NR] = { "zone-nr", "NumberOfZones", W_BLOCK, K_NUMBER },
        [C_ZONE_OMAX] = { "zone-omax", "MaxOpenZones", W_BLOCK, K_NUMBER },
        [C_ZONE_AMAX] = { "zone-amax", "MaxActiveZones", W_BLOCK, K_NUMBER },
};

/* ---- the deliberate differences ------------------------------------------------------------- */

enum rule {
        R_NONE,
        R_FLAG_NULL,
        R_NO_QUEUE,
        R_MODEL_SPELLING,
        R_SERIAL_FILE_ORDER,
        R_SERIAL_ATTRIBUTE,
        R_WWN_ON_DISK,
        R_WWN_KERNEL,
        R_REV_FULL,
        R_PADDING,
        R_VENDOR_UDEV,
        R_SCHED_NONE,
        R_TRAN_VIRTIO,
        R_TRAN_PARTITION,
        R_NODE_OF_HOST,
        R_SPACE_OF_HOST,
        R_SPACE_MOVES,
        R_FS_PROBED,
        R_FS_MOUNT_TABLE,
        R_SWAP,
        _R_MAX,
};

static const char *const rule_reasons[_R_MAX] = {
        [R_FLAG_NULL] = "lsblk prints false for a flag whose attribute is missing; hwglue says "
                        "NULL (nothing was read)",
        [R_NO_QUEUE] = "lsblk prints 0 where the device has no queue/ directory at all (a "
                       "partial recorded tree); hwglue says NULL (nothing was read)",
        [R_MODEL_SPELLING] = "hwglue gives the model as the drive spells it, padding removed "
                             "(ID_MODEL_ENC decoded); lsblk --sysroot prints ID_MODEL (blanks "
                             "as '_'): equal in ID_MODEL's spelling",
        [R_SERIAL_FILE_ORDER] = "lsblk --sysroot takes the first serial-like key of its "
                                "properties file (often ID_SERIAL, model_serial); hwglue takes "
                                "ID_SCSI_SERIAL, else ID_SERIAL_SHORT, as lsblk does with libudev",
        [R_SERIAL_ATTRIBUTE] = "lsblk reads no serial attribute of the block device itself; "
                               "hwglue falls back to it (virtio-blk's serial)",
        [R_WWN_ON_DISK] = "udev copies the disk's WWN to its partitions and lsblk shows it "
                          "there; hwglue keeps WWN on the disk: the parent's is compared",
        [R_WWN_KERNEL] = "lsblk reads the WWN from udev only; without udev data hwglue takes "
                         "the kernel's wwid",
        [R_REV_FULL] = "lsblk prints device/rev only (4 characters of the drive's revision "
                       "as the SCSI layer keeps it, none for NVMe); hwglue prefers udev's full "
                       "ID_REVISION, which holds them, then the controller's firmware_rev",
        [R_PADDING] = "lsblk prints device/vendor and device/rev with the inquiry's padding; "
                      "hwglue trims it",
        [R_VENDOR_UDEV] = "lsblk prints device/vendor only; hwglue falls back to udev's "
                          "ID_VENDOR",
        [R_SCHED_NONE] = "a queue without a choice of scheduler (bio-based device-mapper) "
                         "reads none without brackets: lsblk prints nothing, hwglue none",
        [R_TRAN_VIRTIO] = "lsblk 2.38 names no transport for virtio-blk (later lsblk: virtio)",
        [R_TRAN_PARTITION] = "lsblk 2.38 names a partition's transport by its name, nvme* "
                             "only; hwglue gives every partition its disk's",
        [R_NODE_OF_HOST] = "lsblk --sysroot stats the node of this machine's /dev with the "
                           "device's name, another device; hwglue reads the tree's own nodes "
                           "(none here): NULL",
        [R_SPACE_OF_HOST] = "lsblk --sysroot statvfs()s the mount point's path on this "
                            "machine, another filesystem (the recording machine's / for every "
                            "row); hwglue reads no host path for a tree: NULL",
        [R_SPACE_MOVES] = "this machine's filesystems change between lsblk's statvfs and "
                          "hwglue's: equal within 1% of the size (1 point of FSUSE%)",
        [R_FS_PROBED] = "without udevd lsblk takes libudev's empty answer as final and probes "
                        "nothing; hwglue probes with libblkid: equal to blkid -p",
        [R_FS_MOUNT_TABLE] = "lsblk reads FSTYPE from udev or libblkid only; where neither "
                             "could say (no udev entry, probing refused), hwglue takes the "
                             "mount table's type: equal to findmnt's",
        [R_SWAP] = "lsblk writes [SWAP] as the mount point of an active swap area; hwglue "
                   "says SwapActive",
};

/* ---- the table ------------------------------------------------------------------------------ */

struct lsblk_row {
        char *col[_C_MAX];
};

struct lsblk_table {
        struct lsblk_row *rows;
        int n;
};

/* Arrays joined by \x1f; JSON null and [null] as "<null>"; @tsv escapes \t \n \r \\. */
static char *jq_program(void)
{
        char *prog = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&prog, &len);

        fputs("'.. | objects | select(has(\"kname\")) | [", f);
        for (int c = 0; c < _C_MAX; c++)
                fprintf(f, "%s.[\"%s\"]", c ? ", " : "", columns[c].key);
        fputs("] | map(if . == null then \"<null>\" elif type == \"array\" then "
              "(if all(. == null) then \"<null>\" else map(. // \"\") | join(\"\\u001f\") end) "
              "else tostring end) | @tsv'", f);
        fclose(f);
        return prog;
}

static void tsv_unescape(char *s)
{
        char *out = s;

        for (; *s; s++) {
                if (s[0] == '\\' && s[1]) {
                        s++;
                        *out++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
                } else {
                        *out++ = *s;
                }
        }
        *out = '\0';
}

static int load(const char *json_path, const char *lsblk_args, struct lsblk_table **ret)
{
        struct lsblk_table *t = calloc(1, sizeof(*t));
        char *prog = jq_program(), *line = NULL, *cmd = NULL;
        size_t size = 0;
        int status;
        FILE *p;

        if (json_path)
                status = asprintf(&cmd, "jq -r %s '%s'", prog, json_path);
        else
                status = asprintf(&cmd, "lsblk -J -O -b %s | jq -r %s", lsblk_args, prog);
        free(prog);
        if (status < 0 || !(p = popen(cmd, "r"))) {
                free(cmd);
                free(t);
                return -1;
        }
        while (getline(&line, &size, p) > 0) {
                struct lsblk_row row = { 0 };
                char *field = line;
                int c = 0;

                line[strcspn(line, "\n")] = '\0';
                while (field && c < _C_MAX) {
                        char *tab = strchr(field, '\t');

                        if (tab)
                                *tab = '\0';
                        tsv_unescape(field);
                        row.col[c++] = strcmp(field, "<null>") == 0 ? NULL : strdup(field);
                        field = tab ? tab + 1 : NULL;
                }
                if (c != _C_MAX) {
                        fprintf(stderr, "jq printed a short row: %d columns\n", c);
                        for (int i = 0; i < c; i++)
                                free(row.col[i]);
                        continue;
                }
                t->rows = realloc(t->rows, sizeof(*t->rows) * (size_t)(t->n + 1));
                t->rows[t->n++] = row;
        }
        free(line);
        status = pclose(p);
        if (status != 0) {
                fprintf(stderr, "%s: exit status %d\n", cmd, status);
                free(cmd);
                lsblk_table_free(t);
                return -1;
        }
        free(cmd);
        *ret = t;
        return t->n;
}

int lsblk_table_load(const char *json_path, struct lsblk_table **ret)
{
        return load(json_path, "-a", ret);
}

int lsblk_table_run(const char *args, struct lsblk_table **ret)
{
        return load(NULL, args, ret);
}

void lsblk_table_free(struct lsblk_table *t)
{
        if (!t)
                return;
        for (int i = 0; i < t->n; i++)
                for (int c = 0; c < _C_MAX; c++)
                        free(t->rows[i].col[c]);
        free(t->rows);
        free(t);
}

int lsblk_table_rows(const struct lsblk_table *t)
{
        return t ? t->n : 0;
}

/* ---- reading the instances ------------------------------------------------------------------ */

/* A property as lsblk would print it: text, decimal, true/false, an array joined by \x1f;
 * NULL when NULL, unset or an empty array. Owned. */
static char *prop_text(const struct glue_instance *inst, const char *name)
{
        const struct glue_value *v;
        char *out = NULL;
        size_t len = 0;
        FILE *f;

        if (!inst || glue_instance_get_value(inst, name, &v) < 0)
                return NULL;
        if (v->is_array && v->count == 0)
                return NULL;
        f = open_memstream(&out, &len);
        for (size_t i = 0; i < (v->is_array ? v->count : 1); i++) {
                if (i)
                        fputc('\x1f', f);
                if (glue_type_is_string(v->type))
                        fputs(v->is_array ? v->v.str_array[i] : v->v.str, f);
                else if (v->type == GLUE_TYPE_BOOLEAN)
                        fputs((v->is_array ? v->v.b_array[i] : v->v.b) ? "true" : "false", f);
                else if (glue_type_is_signed(v->type))
                        fprintf(f, "%" PRId64, v->is_array ? v->v.s_array[i] : v->v.s);
                else if (glue_type_is_unsigned(v->type))
                        fprintf(f, "%" PRIu64, v->is_array ? v->v.u_array[i] : v->v.u);
                else
                        fprintf(f, "%g", v->is_array ? v->v.r_array[i] : v->v.r);
        }
        fclose(f);
        return out;
}

static bool str_eq(const char *a, const char *b)
{
        return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool is_partition(const struct glue_instance *inst)
{
        return inst && strcmp(class_of(inst), "Linux_DiskPartition") == 0;
}

/* Every disk class derives from Linux_DiskDrive, the class that declares Model. */
static bool is_disk(const struct glue_instance *inst)
{
        return inst && glue_class_find_property(glue_instance_get_class(inst), "Model", NULL,
                                                NULL) == 0;
}

/* KEY=value from lsblk's properties file of a device (util-linux dumps). Owned. */
static char *udev_file_value(const struct truth_opts *opts, const char *kname, const char *key)
{
        char path[4096], *text, *line, *save = NULL, *value = NULL;
        size_t klen = strlen(key);

        if (!opts->udev_file_dir)
                return NULL;
        snprintf(path, sizeof(path), "%s/%s", opts->udev_file_dir, kname);
        text = test_read_file(path, NULL);
        if (!text)
                return NULL;
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
                if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
                        value = strdup(line + klen + 1);
                        break;
                }
        free(text);
        return value;
}

/* The device's sysfs directory in the tree (or this machine). */
static void sysfs_dir(const struct truth_opts *opts, const char *kname, char *buf, size_t size)
{
        struct stat st;

        snprintf(buf, size, "%s/sys/class/block/%s", opts->tree, kname);
        if (stat(buf, &st) == 0)
                return;
        snprintf(buf, size, "%s/sys/block/%s", opts->tree, kname);
}

/* A sysfs attribute of the device as the test reads it itself, trimmed. Owned. */
static char *sysfs_value(const struct truth_opts *opts, const char *kname, const char *attr)
{
        char dir[4096], path[8192], *text;
        size_t len;

        sysfs_dir(opts, kname, dir, sizeof(dir));
        snprintf(path, sizeof(path), "%s/%s", dir, attr);
        text = test_read_file(path, &len);
        if (!text)
                return NULL;
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
                text[--len] = '\0';
        return text;
}

/* Does the device (or, for a partition, its disk) have a queue/ directory in the tree? */
static bool has_queue(const struct truth_opts *opts, const char *kname,
                      const struct glue_instance *inst)
{
        const char *parent = is_partition(inst) ? prop_str(inst, "ParentDevice") : NULL;
        char dir[4096], path[8192];
        struct stat st;

        sysfs_dir(opts, parent ? parent : kname, dir, sizeof(dir));
        snprintf(path, sizeof(path), "%s/queue", dir);
        return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The first line of a command's output, trimmed, or NULL. Owned. */
static char *command_line(const char *format, ...)
{
        char *cmd = NULL, *line = NULL;
        size_t size = 0;
        va_list args;
        FILE *p;

        va_start(args, format);
        if (vasprintf(&cmd, format, args) < 0)
                cmd = NULL;
        va_end(args);
        if (!cmd || !(p = popen(cmd, "r"))) {
                free(cmd);
                return NULL;
        }
        if (getline(&line, &size, p) <= 0) {
                free(line);
                line = NULL;
        } else {
                line[strcspn(line, "\n")] = '\0';
                for (size_t n = strlen(line); n > 0 && line[n - 1] == ' '; n--)
                        line[n - 1] = '\0';
        }
        pclose(p);
        free(cmd);
        return line;
}

/* ---- one field ---------------------------------------------------------------------------- */

struct field {
        const struct lsblk_row *row;
        enum col col;
        const char *want;                    /* lsblk's text, NULL for null */
        const char *kname;
        const struct glue_instance *inst[2]; /* the block device, before and after lsblk */
        const struct glue_instance *fs[2];   /* its filesystem, likewise */
        const struct truth_instances *all;
        const struct truth_opts *opts;
};

/* The property's text in the snapshot s (0 before, 1 after). Owned. */
static char *ours(const struct field *f, int s, const char *property)
{
        const struct glue_instance *i = columns[f->col].where == W_FS ? f->fs[s] : f->inst[s];

        return prop_text(i, property);
}

static int snapshots(const struct field *f)
{
        return f->inst[1] || f->fs[1] ? 2 : 1;
}

/* Does any snapshot's value of the property equal text? */
static bool any_equals(const struct field *f, const char *property, const char *text)
{
        for (int s = 0; s < snapshots(f); s++) {
                char *v = ours(f, s, property);
                bool eq = str_eq(v, text);

                free(v);
                if (eq)
                        return true;
        }
        return false;
}

static bool any_null(const struct field *f, const char *property)
{
        return any_equals(f, property, NULL);
}

/* A rule that holds only when the field's own comparison failed. */
static enum rule verdict(bool agrees, enum rule rule, bool rule_holds)
{
        if (agrees)
                return R_NONE;
        return rule_holds ? rule : _R_MAX;
}

/* lsblk's 0 (or false) for a missing attribute of a device without any queue/. */
static bool no_queue_zero(const struct field *f)
{
        return (str_eq(f->want, "0") || str_eq(f->want, "false")) &&
               any_null(f, columns[f->col].property) &&
               !has_queue(f->opts, f->kname, f->inst[0]);
}

/* This machine's space moved between lsblk's statvfs and hwglue's: within 1% of the size. */
static bool space_within(const struct field *f, const char *property, const char *want)
{
        uint64_t lsblk_value, size;

        if (!want || sscanf(want, "%" SCNu64, &lsblk_value) != 1)
                return false;
        for (int s = 0; s < snapshots(f); s++) {
                uint64_t v;

                if (prop_uint(f->fs[s], property, &v) && prop_uint(f->fs[s], "FileSystemSize", &size) &&
                    (v > lsblk_value ? v - lsblk_value : lsblk_value - v) <= size / 100)
                        return true;
        }
        return false;
}

static enum rule check_number(const struct field *f)
{
        const char *prop = columns[f->col].property;
        char scaled[32];
        const char *want = f->want;
        uint64_t v;

        if (columns[f->col].kind == K_TIMES && want) {
                if (sscanf(want, "%" SCNu64, &v) != 1)
                        return _R_MAX;
                snprintf(scaled, sizeof(scaled), "%" PRIu64, v * columns[f->col].scale);
                want = scaled;
        }
        if (any_equals(f, prop, want))
                return R_NONE;
        if (no_queue_zero(f))
                return R_NO_QUEUE;
        /* The space of a mounted filesystem. */
        if (f->col == C_FSAVAIL || f->col == C_FSSIZE || f->col == C_FSUSED) {
                if (!f->opts->live)
                        return any_null(f, prop) && f->row->col[C_MOUNTPOINT] ? R_SPACE_OF_HOST
                                                                               : _R_MAX;
                return space_within(f, prop, want) ? R_SPACE_MOVES : _R_MAX;
        }
        return _R_MAX;
}

static enum rule check_flag(const struct field *f)
{
        const char *prop = columns[f->col].property;
        const char *want = f->want ? f->want : "false";

        if (any_equals(f, prop, want))
                return R_NONE;
        if (strcmp(want, "false") == 0 && any_null(f, prop))
                return R_FLAG_NULL;
        return _R_MAX;
}

static enum rule check_list(const struct field *f)
{
        return any_equals(f, columns[f->col].property, f->want) ? R_NONE : _R_MAX;
}

/* The node's path the filesystem provider probed: its Name. */
static char *blkid_value(const struct field *f, const char *tag)
{
        const char *node = prop_str(f->fs[0], "Name");

        if (!node || strchr(node, '\''))
                return NULL;
        return command_line("blkid -p -o value -s %s '%s' 2>/dev/null", tag, node);
}

/* The mount table's type of a mounted filesystem, as findmnt reads it. */
static char *findmnt_type(const struct field *f)
{
        const char *node = prop_str(f->fs[0], "Name");

        if (!node || strchr(node, '\'') || (f->opts->mountinfo && strchr(f->opts->mountinfo, '\'')))
                return NULL;
        if (f->opts->mountinfo)
                return command_line("findmnt -F '%s' -n -o FSTYPE --source '%s' | head -n 1",
                                    f->opts->mountinfo, node);
        return command_line("findmnt -n -o FSTYPE --source '%s' | head -n 1", node);
}

/* lsblk has no identity where hwglue has one: probed with libblkid, or the mount table's. */
static enum rule check_identity(const struct field *f)
{
        static const char *const blkid_tags[_C_MAX] = {
                [C_FSTYPE] = "TYPE", [C_FSVER] = "VERSION", [C_UUID] = "UUID",
                [C_LABEL] = "LABEL",
        };
        const char *prop = columns[f->col].property;
        const char *source = prop_str(f->fs[0], "IdentifiedBy");
        char *value = ours(f, 0, prop), *oracle = NULL;
        enum rule r = _R_MAX;

        if (f->want || !value || !source || !blkid_tags[f->col]) {
                free(value);
                return _R_MAX;
        }
        if (strcmp(source, "libblkid") == 0) {
                oracle = blkid_value(f, blkid_tags[f->col]);
                if (str_eq(oracle, value))
                        r = R_FS_PROBED;
        } else if (strcmp(source, "mountinfo") == 0 && f->col == C_FSTYPE) {
                oracle = findmnt_type(f);
                if (str_eq(oracle, value))
                        r = R_FS_MOUNT_TABLE;
        }
        if (r == _R_MAX)
                fprintf(stderr, "%s: %s: lsblk null, hwglue %s from %s, the oracle says %s\n",
                        f->kname, columns[f->col].key, value, source, oracle ? oracle : "(null)");
        free(value);
        free(oracle);
        return r;
}

static enum rule check_text(const struct field *f)
{
        const char *prop = columns[f->col].property;

        if (any_equals(f, prop, f->want))
                return R_NONE;
        switch (f->col) {
        case C_OWNER:
        case C_GROUP:
        case C_MODE: {
                static const char *const keys[_C_MAX] = {
                        [C_OWNER] = "OWNER", [C_GROUP] = "GROUP", [C_MODE] = "MODE",
                };
                char *from_file = udev_file_value(f->opts, f->kname, keys[f->col]);
                bool of_host = !f->opts->live && !from_file && any_null(f, prop);

                free(from_file);
                return of_host ? R_NODE_OF_HOST : _R_MAX;
        }
        case C_FSTYPE:
        case C_FSVER:
        case C_UUID:
        case C_LABEL:
                return check_identity(f);
        case C_SCHED: {
                char *text = sysfs_value(f->opts, f->kname, "queue/scheduler");
                bool none = !f->want && str_eq(text, "none") && any_equals(f, prop, "none");

                free(text);
                return none ? R_SCHED_NONE : _R_MAX;
        }
        case C_MOUNTPOINT:
                return str_eq(f->want, "[SWAP]") && any_null(f, prop) &&
                                       prop_bool(f->fs[0], "SwapActive") == 1
                               ? R_SWAP
                               : _R_MAX;
        default:
                return _R_MAX;
        }
}

/* ---- the special columns -------------------------------------------------------------------- */

static enum rule check_kname(const struct field *f)
{
        char *id = prop_text(f->inst[0], "DeviceID");
        bool eq;

        /* DeviceID keeps the kernel's '!' (cciss!c0d0), lsblk's KNAME writes '/' */
        for (char *p = id; p && *p; p++)
                if (*p == '!')
                        *p = '/';
        eq = str_eq(id, f->want);
        free(id);
        return eq ? R_NONE : _R_MAX;
}

static enum rule check_maj_min(const struct field *f)
{
        for (int s = 0; s < snapshots(f); s++) {
                uint64_t major, minor;
                char text[48];

                if (prop_uint(f->inst[s], "Major", &major) && prop_uint(f->inst[s], "Minor", &minor)) {
                        snprintf(text, sizeof(text), "%" PRIu64 ":%" PRIu64, major, minor);
                        if (str_eq(text, f->want))
                                return R_NONE;
                }
        }
        return _R_MAX;
}

/* Trailing padding removed and what udev allows in ID_MODEL kept, the rest spelt '_'
 * (udev's replace_chars: ASCII letters, digits and #+-.:=@_). */
static void udev_spelling(const char *in, char *out, size_t size)
{
        size_t len = in ? strlen(in) : 0;

        while (len > 0 && in[len - 1] == ' ')
                len--;
        if (len >= size)
                len = size - 1;
        for (size_t i = 0; i < len; i++)
                out[i] = isalnum((unsigned char)in[i]) || strchr("#+-.:=@_", in[i]) ? in[i] : '_';
        out[len] = '\0';
}

static void trim(const char *in, char *out, size_t size)
{
        size_t len = in ? strlen(in) : 0;

        while (len > 0 && in[len - 1] == ' ')
                len--;
        if (len >= size)
                len = size - 1;
        memcpy(out, in ? in : "", len);
        out[len] = '\0';
}

static enum rule check_model(const struct field *f)
{
        const char *mine = is_disk(f->inst[0]) ? prop_str(f->inst[0], "Model") : NULL;
        char a[512], b[512];

        if (str_eq(mine, f->want))
                return R_NONE;
        udev_spelling(f->want, a, sizeof(a));
        udev_spelling(mine, b, sizeof(b));
        return verdict(false, R_MODEL_SPELLING, f->want && mine && strcmp(a, b) == 0);
}

static enum rule check_serial(const struct field *f)
{
        const char *mine = is_disk(f->inst[0]) ? prop_str(f->inst[0], "SerialNumber") : NULL;
        char want[512];
        bool ok;

        trim(f->want, want, sizeof(want));
        if (f->want && mine && strcmp(want, mine) == 0)
                return R_NONE;
        if (!f->want && !mine)
                return R_NONE;
        if (f->want) {
                char *full = udev_file_value(f->opts, f->kname, "ID_SERIAL");
                char *scsi = udev_file_value(f->opts, f->kname, "ID_SCSI_SERIAL");
                char *shrt = udev_file_value(f->opts, f->kname, "ID_SERIAL_SHORT");

                ok = full && strcmp(full, f->want) == 0 && mine && str_eq(mine, scsi ? scsi : shrt);
                free(full);
                free(scsi);
                free(shrt);
                return ok ? R_SERIAL_FILE_ORDER : _R_MAX;
        }
        {
                char *attr = sysfs_value(f->opts, f->kname, "serial");

                ok = attr && strcmp(attr, mine) == 0;
                free(attr);
                return ok ? R_SERIAL_ATTRIBUTE : _R_MAX;
        }
}

static enum rule check_wwn(const struct field *f)
{
        const char *mine;
        char *wwid;
        bool ok;

        if (is_partition(f->inst[0])) {
                const char *parent = prop_str(f->inst[0], "ParentDevice");

                mine = parent ? prop_str(devlist_find(f->all->blocks, parent), "WWN") : NULL;
                if (!f->want)
                        return R_NONE;
                return str_eq(f->want, mine) ? R_WWN_ON_DISK : _R_MAX;
        }
        mine = is_disk(f->inst[0]) ? prop_str(f->inst[0], "WWN") : NULL;
        if (str_eq(f->want, mine))
                return R_NONE;
        if (f->want || !mine)
                return _R_MAX;
        wwid = sysfs_value(f->opts, f->kname, "wwid");
        if (!wwid)
                wwid = sysfs_value(f->opts, f->kname, "device/wwid");
        ok = wwid && strlen(wwid) > 4 && strlen(mine) > 2 &&
             strcasecmp(wwid + 4, mine + (mine[1] == 'x' ? 2 : 4)) == 0;
        free(wwid);
        return ok ? R_WWN_KERNEL : _R_MAX;
}

static enum rule check_pkname(const struct field *f)
{
        const struct glue_value *slaves;

        if (!f->want)
                return R_NONE;
        if (is_partition(f->inst[0]))
                return str_eq(f->want, prop_str(f->inst[0], "ParentDevice")) ? R_NONE : _R_MAX;
        /* lsblk lists a stacked device under each device it is built on. */
        if (glue_instance_get_value(f->inst[0], "Slaves", &slaves) == 0)
                for (size_t i = 0; i < slaves->count; i++)
                        if (strcmp(slaves->v.str_array[i], f->want) == 0)
                                return R_NONE;
        return _R_MAX;
}

static enum rule check_tran(const struct field *f)
{
        const char *mine = prop_str(f->inst[0], "Transport");

        if (str_eq(f->want, mine))
                return R_NONE;
        if (!f->want && str_eq(mine, "virtio"))
                return R_TRAN_VIRTIO;
        if (is_partition(f->inst[0])) {
                const char *parent = prop_str(f->inst[0], "ParentDevice");
                const char *disk = parent ? prop_str(devlist_find(f->all->blocks, parent),
                                                     "Transport")
                                          : NULL;

                return !f->want && mine && str_eq(mine, disk) ? R_TRAN_PARTITION : _R_MAX;
        }
        return _R_MAX;
}

static enum rule check_rev(const struct field *f)
{
        const char *mine = is_disk(f->inst[0]) ? prop_str(f->inst[0], "FirmwareRevision") : NULL;
        char want[256];
        char *udev, *firmware;
        bool full;

        if (str_eq(f->want, mine))
                return R_NONE;
        trim(f->want, want, sizeof(want));
        if (f->want && mine && strcmp(want, mine) == 0)
                return R_PADDING;
        if (!mine)
                return _R_MAX;
        udev = udev_file_value(f->opts, f->kname, "ID_REVISION");
        firmware = sysfs_value(f->opts, f->kname, "device/firmware_rev");
        full = (str_eq(mine, udev) || str_eq(mine, firmware)) && (!f->want || strstr(mine, want));
        free(udev);
        free(firmware);
        return full ? R_REV_FULL : _R_MAX;
}

static enum rule check_vendor(const struct field *f)
{
        const char *mine = is_disk(f->inst[0]) ? prop_str(f->inst[0], "Vendor") : NULL;
        char want[256];
        char *udev;
        bool ok;

        if (str_eq(f->want, mine))
                return R_NONE;
        trim(f->want, want, sizeof(want));
        if (f->want && mine && strcmp(want, mine) == 0)
                return R_PADDING;
        if (f->want || !mine)
                return _R_MAX;
        udev = udev_file_value(f->opts, f->kname, "ID_VENDOR");
        ok = str_eq(udev, mine);
        free(udev);
        return ok ? R_VENDOR_UDEV : _R_MAX;
}

static enum rule check_use_percent(const struct field *f)
{
        int want;

        if (!f->want)
                return any_null(f, "PercentUsed") ? R_NONE : _R_MAX;
        if (sscanf(f->want, "%d%%", &want) != 1)
                return _R_MAX;
        for (int s = 0; s < snapshots(f); s++) {
                uint64_t v;

                if (!prop_uint(f->fs[s], "PercentUsed", &v))
                        continue;
                if ((int)v == want)
                        return R_NONE;
                if (f->opts->live && ((int)v - want <= 1 && want - (int)v <= 1))
                        return R_SPACE_MOVES;
        }
        return !f->opts->live && any_null(f, "PercentUsed") && f->row->col[C_MOUNTPOINT]
                       ? R_SPACE_OF_HOST
                       : _R_MAX;
}

static enum rule check_mountpoints(const struct field *f)
{
        if (any_equals(f, "MountPoints", f->want))
                return R_NONE;
        return str_eq(f->want, "[SWAP]") && any_null(f, "MountPoints") &&
                               prop_bool(f->fs[0], "SwapActive") == 1
                       ? R_SWAP
                       : _R_MAX;
}

static enum rule check_field(const struct field *f)
{
        switch (f->col) {
        case C_KNAME:
                return check_kname(f);
        case C_MAJ_MIN:
                return check_maj_min(f);
        case C_MODEL:
                return check_model(f);
        case C_SERIAL:
                return check_serial(f);
        case C_WWN:
                return check_wwn(f);
        case C_PKNAME:
                return check_pkname(f);
        case C_TRAN:
                return check_tran(f);
        case C_REV:
                return check_rev(f);
        case C_VENDOR:
                return check_vendor(f);
        case C_FSUSE_PCT:
                return check_use_percent(f);
        case C_MOUNTPOINTS:
                return check_mountpoints(f);
        default:
                break;
        }
        switch (columns[f->col].kind) {
        case K_NUMBER:
        case K_TIMES:
                return check_number(f);
        case K_FLAG:
                return check_flag(f);
        case K_LIST:
                return check_list(f);
        default:
                return check_text(f);
        }
}

/* ---- the comparison ------------------------------------------------------------------------- */

static bool vanished(const struct truth_opts *opts, const char *kname)
{
        char path[4096];
        struct stat st;

        if (!opts->live)
                return false;
        snprintf(path, sizeof(path), "/sys/class/block/%s", kname);
        for (char *p = path + strlen("/sys/class/block/"); *p; p++)
                if (*p == '/')
                        *p = '!';
        return stat(path, &st) < 0;
}

static void printable(const char *in, char *out, size_t size)
{
        size_t n = 0;

        for (; in && *in && n + 5 < size; in++)
                n += (size_t)snprintf(out + n, size - n, *in == '\x1f' ? ", " : "%c", *in);
        out[n] = '\0';
        if (!in)
                snprintf(out, size, "null");
}

void truth_compare(const char *what, const struct lsblk_table *table,
                   const struct truth_instances *all, const struct truth_opts *opts,
                   struct truth_report *ret)
{
        unsigned agree[_C_MAX] = { 0 }, deliberate[_C_MAX] = { 0 }, disagree[_C_MAX] = { 0 };
        unsigned by_rule[_R_MAX] = { 0 };
        struct truth_report rep = { 0 };

        for (int i = 0; i < table->n; i++) {
                const struct lsblk_row *row = &table->rows[i];
                char kname[256];
                struct field f = { .row = row, .all = all, .opts = opts };

                snprintf(kname, sizeof(kname), "%s", row->col[C_KNAME] ? row->col[C_KNAME] : "");
                for (char *p = kname; *p; p++)
                        if (*p == '/')
                                *p = '!';
                f.kname = row->col[C_KNAME];
                f.inst[0] = devlist_find(all->blocks, kname);
                f.fs[0] = all->filesystems ? devlist_find(all->filesystems, kname) : NULL;
                if (all->blocks_after) {
                        f.inst[1] = devlist_find(all->blocks_after, kname);
                        f.fs[1] = all->filesystems_after
                                          ? devlist_find(all->filesystems_after, kname)
                                          : NULL;
                }
                if (!f.inst[0] || (all->blocks_after && !f.inst[1])) {
                        if (vanished(opts, kname)) {
                                rep.rows_vanished++;
                                continue;
                        }
                        fprintf(stderr, "%s: %s: no instance of Linux_BlockDevice\n", what,
                                row->col[C_KNAME]);
                        test_failures++;
                        continue;
                }
                if (!f.inst[0])
                        f.inst[0] = f.inst[1];
                rep.rows++;
                for (int c = 0; c < _C_MAX; c++) {
                        enum rule r;

                        f.col = (enum col)c;
                        f.want = row->col[c];
                        r = check_field(&f);
                        rep.fields++;
                        if (r == R_NONE) {
                                agree[c]++;
                                rep.agreeing++;
                        } else if (r < _R_MAX) {
                                deliberate[c]++;
                                by_rule[r]++;
                                rep.deliberate++;
                        } else {
                                char want[512], mine[512];
                                char *v = ours(&f, 0, strchr(columns[c].property, ',')
                                                              ? "DeviceID"
                                                              : columns[c].property);

                                printable(f.want, want, sizeof(want));
                                printable(v, mine, sizeof(mine));
                                fprintf(stderr, "%s: %s: %s: lsblk \"%s\", hwglue %s \"%s\"\n",
                                        what, row->col[C_KNAME], columns[c].key, want,
                                        columns[c].property, mine);
                                free(v);
                                disagree[c]++;
                                rep.disagreeing++;
                                test_failures++;
                        }
                }
        }
        for (int c = 0; c < _C_MAX; c++)
                if (deliberate[c] || disagree[c])
                        printf("# %s: %-12s -> %-22s %u agree, %u deliberate, %u disagree\n",
                               what, columns[c].key, columns[c].property, agree[c],
                               deliberate[c], disagree[c]);
        for (int r = 1; r < _R_MAX; r++)
                if (by_rule[r])
                        printf("# %s: deliberate (%u fields): %s\n", what, by_rule[r],
                               rule_reasons[r]);
        printf("# %s: %u rows (%u vanished while read), %u fields: %u agree, %u differ "
               "deliberately, %u disagree: %.1f%% agreeing\n",
               what, rep.rows, rep.rows_vanished, rep.fields, rep.agreeing, rep.deliberate,
               rep.disagreeing,
               rep.fields ? 100.0 * (rep.agreeing + rep.deliberate) / rep.fields : 100.0);
        if (ret)
                *ret = rep;
}
