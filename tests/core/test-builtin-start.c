/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a context of the built-in schema starts, and when: nothing of a provider before a request
 * needs it (glue_context_register_provider defers init to the first use), so that `hwglue
 * classes` and `describe` never set up libpci or libsensors, and a request for block devices
 * sets up neither.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glue-private.h"
#include "test-util.h"

/* Has the named built-in provider been started (its init run)? */
static bool started(const struct glue_context *ctx, const char *name)
{
        struct provider_entry *p = context_find_provider(ctx, name);

        check(p != NULL);
        /* A provider without init is ready from registration: only one with init tells. */
        check(p && p->ops->init != NULL);
        return p && atomic_load(&p->started) != 0;
}

static int count_instance(struct glue_instance *inst, void *userdata)
{
        (*(size_t *)userdata)++;
        return 0;
}

static void test_nothing_started_before_a_request(void)
{
        struct glue_context *ctx;
        size_t properties = 0;

        check_int_eq(glue_context_new(0, &ctx), 0);
        check(!started(ctx, "pci"));
        check(!started(ctx, "sensors"));
        /* What `hwglue classes` and `describe` read. */
        for (size_t i = 0; i < glue_context_get_class_count(ctx); i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);
                for (size_t k = 0; k < glue_class_get_property_count(cls); k++)
                        properties += glue_property_get_qualifier_count(
                                glue_class_get_property(cls, k)) > 0;
        }
        check(properties > 100);
        check(!started(ctx, "pci"));
        check(!started(ctx, "sensors"));
        glue_context_unref(ctx);
}

static void test_a_request_starts_only_its_providers(void)
{
        char root[] = "/tmp/test-builtin-start-XXXXXX";
        struct glue_request *req;
        struct glue_context *ctx;
        size_t n = 0;

        check(mkdtemp(root) != NULL);
        check_int_eq(glue_context_new(0, &ctx), 0);
        check_int_eq(glue_context_set_option(ctx, "sysroot", root), 0);
        check_int_eq(glue_request_new(ctx, &req), 0);
        /* An empty sysroot: no devices, and not a failure. */
        check_int_eq(glue_request_enumerate(req, "Linux_BlockDevice", count_instance, &n), 0);
        check_int_eq(n, 0);
        check(!started(ctx, "pci"));
        check(!started(ctx, "sensors"));
        check_int_eq(glue_request_enumerate(req, "Linux_PCIDevice", count_instance, &n), 0);
        check(started(ctx, "pci"));
        check(!started(ctx, "sensors"));
        glue_request_unref(req);
        glue_context_unref(ctx);
        check_int_eq(test_settle_engine_workers(0), 0);
        rmdir(root);
}

TEST_MAIN(test_nothing_started_before_a_request, test_a_request_starts_only_its_providers)
