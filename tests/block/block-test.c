/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block-test.h"

static char log_text[1 << 16];
static size_t log_len;

static void log_to_buffer(void *userdata, int priority, const char *file, int line,
                          const char *fn, const char *format, va_list args)
{
        int n;

        if (log_len >= sizeof(log_text) - 1)
                return;
        n = vsnprintf(log_text + log_len, sizeof(log_text) - log_len - 1, format, args);
        if (n > 0)
                log_len += (size_t)n < sizeof(log_text) - log_len - 1 ? (size_t)n
                                                                      : sizeof(log_text) - log_len - 1;
        log_text[log_len++] = '\n';
        log_text[log_len] = '\0';
}

const char *test_log_text(void)
{
        return log_text;
}

void test_log_clear(void)
{
        log_len = 0;
        log_text[0] = '\0';
}

struct glue_context *block_test_context(const char *sysroot)
{
        struct glue_context *ctx = NULL;

        if (glue_context_new(0, &ctx) < 0) {
                fprintf(stderr, "glue_context_new failed\n");
                exit(1);
        }
        glue_context_set_log_fn(ctx, log_to_buffer, NULL);
        glue_context_set_log_priority(ctx, 7);
        if (sysroot)
                glue_context_set_option(ctx, "sysroot", sysroot);
        return ctx;
}

int block_collect(struct glue_context *ctx, const char *cls, unsigned flags,
                  struct devlist *ret)
{
        struct glue_request *req = NULL;
        int r;

        *ret = (struct devlist){ 0 };
        r = glue_request_new(ctx, &req);
        if (r < 0)
                return r;
        glue_request_set_flags(req, flags);
        r = glue_request_collect(req, cls, &ret->items, &ret->count);
        glue_request_unref(req);
        return r;
}

int block_collect_request(struct glue_context *ctx, const char *cls, unsigned flags,
                          struct devlist *ret, struct glue_request **ret_req)
{
        struct glue_request *req = NULL;
        int r;

        *ret = (struct devlist){ 0 };
        *ret_req = NULL;
        r = glue_request_new(ctx, &req);
        if (r < 0)
                return r;
        glue_request_set_flags(req, flags);
        r = glue_request_collect(req, cls, &ret->items, &ret->count);
        *ret_req = req;
        return r;
}

uint64_t read_error_count(const struct glue_request *req, int err)
{
        struct glue_read_error e;

        for (size_t i = 0; i < glue_request_get_read_error_count(req); i++)
                if (glue_request_get_read_error(req, i, &e) == 0 && e.error == err)
                        return e.count;
        return 0;
}

bool read_error_logged(const char *path_end, int err)
{
        char want[1024];

        /* the glue's line: "<provider>: cannot read <path>: <glue_strerror>" */
        snprintf(want, sizeof(want), "%s: %s\n", path_end, glue_strerror(err));
        for (const char *p = strstr(test_log_text(), want); p; p = strstr(p + 1, want))
                if (p > test_log_text() && (p[-1] == '/' || p[-1] == ' '))
                        return true;
        return false;
}

void devlist_free(struct devlist *list)
{
        glue_instance_list_free(list->items, list->count);
        *list = (struct devlist){ 0 };
}

struct glue_instance *devlist_find(const struct devlist *list, const char *device_id)
{
        for (size_t i = 0; i < list->count; i++) {
                const char *id = prop_str(list->items[i], "DeviceID");

                if (id && strcmp(id, device_id) == 0)
                        return list->items[i];
        }
        return NULL;
}

size_t devlist_count_id(const struct devlist *list, const char *device_id)
{
        size_t n = 0;

        for (size_t i = 0; i < list->count; i++) {
                const char *id = prop_str(list->items[i], "DeviceID");

                if (id && strcmp(id, device_id) == 0)
                        n++;
        }
        return n;
}

const char *prop_str(const struct glue_instance *inst, const char *name)
{
        const char *s = NULL;

        if (!inst || glue_instance_get_string(inst, name, &s) < 0)
                return NULL;
        return s;
}

bool prop_uint(const struct glue_instance *inst, const char *name, uint64_t *ret)
{
        return inst && glue_instance_get_uint(inst, name, ret) == 0;
}

int prop_bool(const struct glue_instance *inst, const char *name)
{
        bool b;

        if (!inst || glue_instance_get_bool(inst, name, &b) < 0)
                return -1;
        return b;
}

const char *class_of(const struct glue_instance *inst)
{
        return glue_class_get_name(glue_instance_get_class(inst));
}

/* ---- lsblk through jq ---------------------------------------------------------------------- */

#define JQ_PROGRAM                                                                           \
        "'.. | objects | select(has(\"kname\")) | [.kname, .size, .\"log-sec\", .\"phy-sec\", " \
        ".ro, .rm, .rota, .model, .serial, .wwn, .type, .pkname, .tran] | "                   \
        "map(if . == null then \"<null>\" else tostring end) | @tsv'"

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

int lsblk_rows(const char *json_path, struct lsblk_row **ret)
{
        char cmd[4096], line[8192];
        struct lsblk_row *rows = NULL;
        int n = 0, status;
        FILE *p;

        if (json_path)
                snprintf(cmd, sizeof(cmd), "jq -r " JQ_PROGRAM " '%s'", json_path);
        else
                snprintf(cmd, sizeof(cmd), "lsblk -b -J -O -a | jq -r " JQ_PROGRAM);
        p = popen(cmd, "r");
        if (!p)
                return -1;
        while (fgets(line, sizeof(line), p)) {
                struct lsblk_row row = { 0 };
                char *field = line;
                int c = 0;

                line[strcspn(line, "\n")] = '\0';
                /* strtok would merge empty fields; split by hand */
                while (field && c < _L_MAX) {
                        char *tab = strchr(field, '\t');

                        if (tab)
                                *tab = '\0';
                        tsv_unescape(field);
                        row.col[c++] = strcmp(field, "<null>") == 0 ? NULL : strdup(field);
                        field = tab ? tab + 1 : NULL;
                }
                if (c != _L_MAX) {
                        fprintf(stderr, "jq printed a short row: %d columns\n", c);
                        for (int i = 0; i < c; i++)
                                free(row.col[i]);
                        continue;
                }
                rows = realloc(rows, sizeof(*rows) * (size_t)(n + 1));
                rows[n++] = row;
        }
        status = pclose(p);
        if (status != 0) {
                fprintf(stderr, "%s: exit status %d\n", cmd, status);
                lsblk_rows_free(rows, n);
                return -1;
        }
        *ret = rows;
        return n;
}

void lsblk_rows_free(struct lsblk_row *rows, int n)
{
        for (int i = 0; i < n; i++)
                for (int c = 0; c < _L_MAX; c++)
                        free(rows[i].col[c]);
        free(rows);
}

/* ---- comparison ---------------------------------------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
        return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Trailing padding removed and what udev allows in ID_MODEL kept, the rest spelt '_'
 * (udev's replace_chars: ASCII letters, digits and #+-.:=@_). */
static void normalize(const char *in, char *out, size_t size)
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

/* KEY=value from lsblk's properties file of a device (util-linux dumps). */
static char *udev_file_value(const struct compare_opts *opts, const char *kname, const char *key)
{
        char path[4096], *text, *line, *value = NULL;
        size_t klen = strlen(key);

        if (!opts->udev_file_dir)
                return NULL;
        snprintf(path, sizeof(path), "%s/%s", opts->udev_file_dir, kname);
        text = test_read_file(path, NULL);
        if (!text)
                return NULL;
        for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
                if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
                        value = strdup(line + klen + 1);
                        break;
                }
        free(text);
        return value;
}

/* A sysfs attribute of the device as the test reads it itself, trimmed. */
static char *sysfs_value(const struct compare_opts *opts, const char *kname, const char *attr)
{
        char path[4096], *text;
        size_t len;

        snprintf(path, sizeof(path), "%s/sys/class/block/%s/%s", opts->tree, kname, attr);
        text = test_read_file(path, &len);
        if (!text) {
                snprintf(path, sizeof(path), "%s/sys/block/%s/%s", opts->tree, kname, attr);
                text = test_read_file(path, &len);
        }
        if (!text)
                return NULL;
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
                text[--len] = '\0';
        return text;
}

static bool is_partition(const struct glue_instance *inst)
{
        return strcmp(class_of(inst), "Linux_DiskPartition") == 0;
}

/* Every disk class derives from Linux_DiskDrive, the class that declares Model. */
static bool is_disk(const struct glue_instance *inst)
{
        return glue_class_find_property(glue_instance_get_class(inst), "Model", NULL, NULL) == 0;
}

static void check_uint(const struct lsblk_row *row, const struct glue_instance *inst,
                       enum lsblk_col col, const char *prop)
{
        const char *want = row->col[col];
        uint64_t value;
        bool have = prop_uint(inst, prop, &value);
        char ours[32] = "(null)";

        if (have)
                snprintf(ours, sizeof(ours), "%llu", (unsigned long long)value);
        if ((!want && !have) || (want && have && strcmp(want, ours) == 0))
                return;
        fprintf(stderr, "%s: %s: lsblk %s, provider %s\n", row->col[L_KNAME], prop,
                want ? want : "null", ours);
        test_failures++;
}

/* lsblk prints false for a flag whose attribute is missing; the provider says NULL. */
static void check_flag(const struct lsblk_row *row, const struct glue_instance *inst,
                       enum lsblk_col col, const char *prop)
{
        int ours = prop_bool(inst, prop);
        bool want = row->col[col] && strcmp(row->col[col], "true") == 0;

        if ((ours == 1) == want)
                return;
        fprintf(stderr, "%s: %s: lsblk %s, provider %d\n", row->col[L_KNAME], prop,
                row->col[col] ? row->col[col] : "null", ours);
        test_failures++;
}

static void report(const struct lsblk_row *row, const char *field, const char *want,
                   const char *ours)
{
        fprintf(stderr, "%s: %s: lsblk \"%s\", provider \"%s\"\n", row->col[L_KNAME], field,
                want ? want : "(null)", ours ? ours : "(null)");
        test_failures++;
}

static void check_model(const struct lsblk_row *row, const struct glue_instance *inst)
{
        const char *ours = is_disk(inst) ? prop_str(inst, "Model") : NULL;
        char a[512], b[512];

        /* Deliberate: the provider reports the model as the drive spells it, padding removed
         * (ID_MODEL_ENC decoded, or the sysfs model trimmed); lsblk prints udev's ID_MODEL
         * (blanks turned '_') or the padded sysfs text. Compared in ID_MODEL's spelling. */
        normalize(row->col[L_MODEL], a, sizeof(a));
        normalize(ours, b, sizeof(b));
        if (!str_eq(row->col[L_MODEL] ? a : NULL, ours ? b : NULL))
                report(row, "Model", row->col[L_MODEL], ours);
}

static void check_serial(const struct lsblk_row *row, const struct glue_instance *inst,
                         const struct compare_opts *opts)
{
        const char *kname = row->col[L_KNAME];
        const char *ours = is_disk(inst) ? prop_str(inst, "SerialNumber") : NULL;
        char want[512];
        bool ok;

        trim(row->col[L_SERIAL], want, sizeof(want));
        if (row->col[L_SERIAL]) {
                ok = ours && strcmp(want, ours) == 0;
                if (!ok) {
                        /* Deliberate: lsblk --sysroot takes the first serial-like key of its
                         * properties file, often ID_SERIAL (model_serial); the provider
                         * takes ID_SCSI_SERIAL, else ID_SERIAL_SHORT, as lsblk does with
                         * libudev on a live system. */
                        char *full = udev_file_value(opts, kname, "ID_SERIAL");
                        char *scsi = udev_file_value(opts, kname, "ID_SCSI_SERIAL");
                        char *shrt = udev_file_value(opts, kname, "ID_SERIAL_SHORT");

                        ok = full && strcmp(full, row->col[L_SERIAL]) == 0 && ours &&
                             str_eq(ours, scsi ? scsi : shrt);
                        free(full);
                        free(scsi);
                        free(shrt);
                }
        } else {
                /* Deliberate: lsblk reads no serial attribute of the block device itself;
                 * the provider falls back to it (virtio-blk's serial). */
                char *attr = ours ? sysfs_value(opts, kname, "serial") : NULL;

                ok = !ours || (attr && strcmp(attr, ours) == 0);
                free(attr);
        }
        if (!ok)
                report(row, "SerialNumber", row->col[L_SERIAL], ours);
}

static void check_wwn(const struct lsblk_row *row, const struct glue_instance *inst,
                      const struct devlist *list, const struct compare_opts *opts)
{
        const char *want = row->col[L_WWN], *ours;
        bool ok;

        if (is_partition(inst)) {
                /* Deliberate: udev copies the disk's WWN to its partitions and lsblk shows
                 * it there; the provider keeps WWN on the disk: compare with the parent's. */
                const char *parent = prop_str(inst, "ParentDevice");

                ours = parent ? prop_str(devlist_find(list, parent), "WWN") : NULL;
                if (want && !str_eq(want, ours))
                        report(row, "WWN (of the parent)", want, ours);
                return;
        }
        ours = is_disk(inst) ? prop_str(inst, "WWN") : NULL;
        if (want) {
                ok = str_eq(want, ours);
        } else {
                /* Deliberate: lsblk reads the WWN from udev only; without udev data the
                 * provider takes the kernel's wwid. */
                char *wwid = ours ? sysfs_value(opts, row->col[L_KNAME], "wwid") : NULL;

                if (ours && !wwid)
                        wwid = sysfs_value(opts, row->col[L_KNAME], "device/wwid");
                ok = !ours || (wwid && strlen(wwid) > 4 && strlen(ours) > 2 &&
                               strcasecmp(wwid + 4, ours + (ours[1] == 'x' ? 2 : 4)) == 0);
                free(wwid);
        }
        if (!ok)
                report(row, "WWN", want, ours);
}

static void check_parent(const struct lsblk_row *row, const struct glue_instance *inst)
{
        const char *want = row->col[L_PKNAME];
        const struct glue_value *slaves;

        if (!want)
                return;
        if (is_partition(inst)) {
                if (!str_eq(want, prop_str(inst, "ParentDevice")))
                        report(row, "ParentDevice", want, prop_str(inst, "ParentDevice"));
                return;
        }
        /* lsblk lists a stacked device under each device it is built on. */
        if (glue_instance_get_value(inst, "Slaves", &slaves) == 0)
                for (size_t i = 0; i < slaves->count; i++)
                        if (strcmp(slaves->v.str_array[i], want) == 0)
                                return;
        report(row, "Slaves (holds the parent)", want, NULL);
}

int compare_with_lsblk(const struct devlist *list, const struct lsblk_row *rows, int n,
                       const struct compare_opts *opts)
{
        int compared = 0;

        for (int i = 0; i < n; i++) {
                const struct lsblk_row *row = &rows[i];
                const struct glue_instance *inst = devlist_find(list, row->col[L_KNAME]);

                if (!inst) {
                        report(row, "instance", row->col[L_KNAME], NULL);
                        continue;
                }
                compared++;
                check_uint(row, inst, L_SIZE, "Size");
                check_uint(row, inst, L_LOG_SEC, "BlockSize");
                check_uint(row, inst, L_PHY_SEC, "PhysicalBlockSize");
                check_flag(row, inst, L_RO, "ReadOnly");
                check_flag(row, inst, L_RM, "Removable");
                check_flag(row, inst, L_ROTA, "Rotational");
                if (!str_eq(row->col[L_TYPE], prop_str(inst, "Type")))
                        report(row, "Type", row->col[L_TYPE], prop_str(inst, "Type"));
                check_model(row, inst);
                check_serial(row, inst, opts);
                check_wwn(row, inst, list, opts);
                check_parent(row, inst);
                /* TRAN of partitions is lsblk's guess from the name; disks only. */
                if (!is_partition(inst)) {
                        const char *ours = is_disk(inst) ? prop_str(inst, "Transport") : NULL;

                        /* Deliberate: lsblk 2.38 names no transport for virtio-blk. */
                        bool virtio = !row->col[L_TRAN] && str_eq(ours, "virtio");

                        if (!str_eq(row->col[L_TRAN], ours) && !virtio)
                                report(row, "Transport", row->col[L_TRAN], ours);
                }
        }
        return compared;
}

/* ---- trees --------------------------------------------------------------------------------- */

static void make_parents(const char *path)
{
        char buf[4096];

        snprintf(buf, sizeof(buf), "%s", path);
        for (char *p = buf + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                mkdir(buf, 0755);
                *p = '/';
        }
}

void tree_write_len(const char *root, const char *path, const char *content, size_t len)
{
        char full[4096];
        int fd;

        snprintf(full, sizeof(full), "%s/%s", root, path);
        make_parents(full);
        fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, content, len) != (ssize_t)len) {
                fprintf(stderr, "cannot write %s: %s\n", full, strerror(errno));
                exit(1);
        }
        close(fd);
}

void tree_write(const char *root, const char *path, const char *content)
{
        tree_write_len(root, path, content, strlen(content));
}

void tree_link(const char *root, const char *path, const char *target)
{
        char full[4096];

        snprintf(full, sizeof(full), "%s/%s", root, path);
        make_parents(full);
        if (symlink(target, full) < 0) {
                fprintf(stderr, "cannot link %s: %s\n", full, strerror(errno));
                exit(1);
        }
}

char *tree_new(void)
{
        char tmpl[] = "/tmp/hwglue-block-XXXXXX";

        if (!mkdtemp(tmpl)) {
                perror("mkdtemp");
                exit(1);
        }
        return strdup(tmpl);
}

void tree_remove(const char *root)
{
        char cmd[4200];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
        if (system(cmd) != 0)
                fprintf(stderr, "cannot remove %s\n", root);
}
