/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pci-test.h"

size_t vmm_parse(const char *text, struct vmm_record **ret)
{
        struct vmm_record *records = NULL;
        size_t count = 0;
        bool in_record = false;
        const char *line = text;

        while (line && *line) {
                const char *eol = strchr(line, '\n');
                size_t len = eol ? (size_t)(eol - line) : strlen(line);
                const char *tab = memchr(line, '\t', len);

                if (len == 0) {
                        in_record = false;
                } else if (tab && tab > line && tab[-1] == ':') {
                        struct vmm_record *r;

                        if (!in_record) {
                                records = realloc(records, (count + 1) * sizeof(*records));
                                memset(&records[count], 0, sizeof(*records));
                                count++;
                                in_record = true;
                        }
                        r = &records[count - 1];
                        if (r->count < VMM_MAX_FIELDS) {
                                r->names[r->count] = strndup(line, (size_t)(tab - 1 - line));
                                r->values[r->count] = strndup(tab + 1,
                                                              len - (size_t)(tab + 1 - line));
                                r->count++;
                        }
                }
                line = eol ? eol + 1 : NULL;
        }
        *ret = records;
        return count;
}

void vmm_free(struct vmm_record *records, size_t count)
{
        for (size_t i = 0; i < count; i++)
                for (size_t j = 0; j < records[i].count; j++) {
                        free(records[i].names[j]);
                        free(records[i].values[j]);
                }
        free(records);
}

const char *vmm_get(const struct vmm_record *record, const char *name)
{
        for (size_t i = 0; i < record->count; i++)
                if (strcmp(record->names[i], name) == 0)
                        return record->values[i];
        return NULL;
}

const struct vmm_record *vmm_find(const struct vmm_record *records, size_t count,
                                  const char *slot)
{
        for (size_t i = 0; i < count; i++) {
                const char *s = vmm_get(&records[i], "Slot");

                if (s && strcmp(s, slot) == 0)
                        return &records[i];
        }
        return NULL;
}

struct glue_context *pci_test_context(const char *sysroot, const char *pci_ids)
{
        struct glue_context *ctx = NULL;
        int r = glue_context_new(0, &ctx);

        check_int_eq(r, 0);
        if (r < 0)
                return NULL;
        if (getenv("HWGLUE_TEST_DEBUG")) {
                glue_context_set_log_fn(ctx, test_log_stderr, NULL);
                glue_context_set_log_priority(ctx, 7);
        }
        if (sysroot)
                check_int_eq(glue_context_set_option(ctx, "sysroot", sysroot), 0);
        if (pci_ids)
                check_int_eq(glue_context_set_option(ctx, "pci.ids", pci_ids), 0);
        return ctx;
}

int pci_test_collect(struct glue_context *ctx, const char *class_name, unsigned flags,
                     const char *const *properties, size_t property_count,
                     struct glue_instance ***ret_list, size_t *ret_count)
{
        struct glue_request *req = NULL;
        int r;

        *ret_list = NULL;
        *ret_count = 0;
        r = glue_request_new(ctx, &req);
        if (r < 0)
                return r;
        glue_request_set_flags(req, flags);
        if (properties)
                check_int_eq(glue_request_set_properties(req, properties, property_count), 0);
        r = glue_request_collect(req, class_name, ret_list, ret_count);
        glue_request_unref(req);
        return r;
}

struct glue_instance *pci_test_find(struct glue_instance **list, size_t count,
                                    const char *device_id)
{
        for (size_t i = 0; i < count; i++) {
                const char *id = NULL;

                if (glue_instance_get_string(list[i], "DeviceID", &id) == 0 &&
                    strcmp(id, device_id) == 0)
                        return list[i];
        }
        return NULL;
}

bool pci_test_check_hex(const struct glue_instance *inst, const char *property,
                        const char *hex_text, uint64_t absent_value, const char *where)
{
        uint64_t value = 0, expected;
        int r = glue_instance_get_uint(inst, property, &value);

        if (!hex_text) {
                if (r == -ENODATA || (r == 0 && value == absent_value))
                        return true;
                fprintf(stderr, "%s: %s: lspci shows none, hwglue has %" PRIu64 " (r=%d)\n",
                        where, property, value, r);
                test_failures++;
                return false;
        }
        expected = strtoull(hex_text, NULL, 16);
        if (r != 0 || value != expected) {
                fprintf(stderr, "%s: %s: lspci %s, hwglue %#" PRIx64 " (r=%d)\n", where,
                        property, hex_text, value, r);
                test_failures++;
                return false;
        }
        return true;
}

size_t pci_test_count_devices(const char *root)
{
        char path[4096];
        struct dirent *entry;
        size_t count = 0;
        DIR *dir;

        snprintf(path, sizeof(path), "%s/sys/bus/pci/devices", root);
        dir = opendir(path);
        if (!dir)
                return 0;
        while ((entry = readdir(dir)))
                if (entry->d_name[0] != '.')
                        count++;
        closedir(dir);
        return count;
}

static void make_parents(const char *path, size_t keep)
{
        char buf[4096];

        snprintf(buf, sizeof(buf), "%s", path);
        for (char *p = buf + keep + 1; *p; p++)
                if (*p == '/') {
                        *p = '\0';
                        mkdir(buf, 0755);
                        *p = '/';
                }
}

void pci_test_write(const char *root, const char *relative, const void *data, size_t len)
{
        char path[4096];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", root, relative);
        make_parents(path, strlen(root));
        f = fopen(path, "we");
        check(f != NULL);
        if (!f)
                return;
        check_int_eq(fwrite(data, 1, len, f), len);
        fclose(f);
}

void pci_test_write_text(const char *root, const char *relative, const char *text)
{
        pci_test_write(root, relative, text, strlen(text));
}

void pci_test_link(const char *root, const char *relative, const char *target)
{
        char path[4096];

        snprintf(path, sizeof(path), "%s/%s", root, relative);
        make_parents(path, strlen(root));
        check_int_eq(symlink(target, path), 0);
}
