/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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
