/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Allocation failure: libglue's allocations are routed through wrappers (linker --wrap, against
 * the static build of the library) and the Nth one fails, for every N until a whole scenario
 * runs through. Each call must return -ENOMEM (or succeed, or report the failing provider),
 * never crash; under ASan/LSan nothing may leak. Both with a schema parsed here and with
 * compiled ones (the built-in schema, compiled-fixture.mof) grown by a later MOF.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "glue-private.h"
#include "schema-compiled.h"
#include "test-util.h"

extern const struct compiled_schema test_compiled_fixture;

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static atomic_long countdown = -1; /* -1: never fail */
static atomic_long failures;

static bool should_fail(void)
{
        long left = atomic_load(&countdown);

        while (left > 0 && !atomic_compare_exchange_weak(&countdown, &left, left - 1))
                ;
        if (left == 1) {
                atomic_fetch_add(&failures, 1);
                return true;
        }
        return false;
}

void *__wrap_malloc(size_t size) { return should_fail() ? NULL : __real_malloc(size); }
void *__wrap_calloc(size_t n, size_t size) { return should_fail() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t size) { return should_fail() ? NULL : __real_realloc(p, size); }
char *__wrap_strdup(const char *s) { return should_fail() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return should_fail() ? NULL : __real_strndup(s, n); }

static const char schema[] =
        "[Abstract] class Base { [Key] string Name; string Extra = \"d\"; uint32 Nums[] = {1, 2}; };\n"
        "[Provider(\"one\")] class One : Base { };\n"
        "[Provider(\"two\")] class Two : One { };\n"
        "class Static { [Key] uint32 N; };\n"
        "instance of Static { N = 1; };\n";

static int post_named(struct glue_call *call, const char *cls, const char *name)
{
        struct glue_instance *inst;
        int r = glue_call_new_instance(call, cls, &inst);

        if (r < 0)
                return r;
        r = glue_instance_set_string(inst, "Name", name);
        if (r < 0) {
                glue_instance_unref(inst);
                return r;
        }
        return glue_call_post(call, inst);
}

static int one_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        for (int i = 0; i < 3; i++) {
                char name[8];
                snprintf(name, sizeof(name), "n%d", i);
                int r = post_named(call, "One", name);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* two has no get_instance: the glue builds a key set of it (the fallback path) */
static int two_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        return post_named(call, "Two", "n1");
}

static int one_get(struct glue_call *call, const struct glue_class *cls, const struct glue_path *path,
                   void *data)
{
        const char *name = glue_path_get_key(path, "Name");
        return name && name[0] == 'n' ? post_named(call, "One", name) : -ENOENT;
}

static const struct glue_provider_ops one_ops = { .size = sizeof(struct glue_provider_ops), .name = "one", .enumerate = one_enumerate,
                                                  .get_instance = one_get };
static const struct glue_provider_ops two_ops = { .size = sizeof(struct glue_provider_ops), .name = "two", .enumerate = two_enumerate };

static int count(struct glue_instance *inst, void *userdata)
{
        (*(int *)userdata)++;
        return 0;
}

/* One pass; returns true if it ran with no injected failure. */
static bool scenario(long fail_at)
{
        struct glue_context *ctx = NULL;
        struct glue_request *req = NULL;
        struct glue_instance *inst = NULL, **list = NULL;
        size_t n_list = 0;
        long before = atomic_load(&failures);
        int r, n = 0;

        atomic_store(&countdown, fail_at);
        r = glue_context_new(GLUE_CONTEXT_EMPTY, &ctx);
        check(r == 0 || r == -ENOMEM);
        if (r < 0)
                goto out;
        r = glue_context_load_mof(ctx, "s.mof", schema, NULL);
        check(r == 0 || r == -ENOMEM);
        if (r < 0)
                goto out;
        r = glue_context_register_provider(ctx, &one_ops);
        check(r == 0 || r == -ENOMEM);
        r = glue_context_register_provider(ctx, &two_ops);
        check(r == 0 || r == -ENOMEM);
        r = glue_context_set_option(ctx, "sysroot", "/tmp");
        check(r == 0 || r == -ENOMEM);
        r = glue_request_new(ctx, &req);
        check(r == 0 || r == -ENOMEM);
        if (r < 0)
                goto out;
        r = glue_request_set_properties(req, (const char *[]){ "Extra" }, 1);
        check(r == 0 || r == -ENOMEM);
        r = glue_request_enumerate(req, "Base", count, &n);
        /* >0: a provider failed on the injected -ENOMEM and the others went on */
        check(r >= 0 || r == -ENOMEM);
        r = glue_request_collect(req, "One", &list, &n_list);
        check(r >= 0 || r == -ENOMEM);
        if (r >= 0)
                glue_instance_list_free(list, n_list);
        r = glue_request_get(req, "One.Name=\"n2\"", &inst);
        if (!(r == 0 || r == -ENOMEM || r == -ENOENT))
                fprintf(stderr, "get One failed with %d at allocation %ld\n", r, fail_at);
        check(r == 0 || r == -ENOMEM || r == -ENOENT);
        glue_instance_unref(inst);
        inst = NULL;
        r = glue_request_get(req, "Static.N=1", &inst);
        if (!(r == 0 || r == -ENOMEM))
                fprintf(stderr, "get Static failed with %d at allocation %ld\n", r, fail_at);
        check(r == 0 || r == -ENOMEM);
        glue_instance_unref(inst);
out:
        atomic_store(&countdown, -1);
        glue_request_unref(req);
        glue_context_unref(ctx);
        return atomic_load(&failures) == before;
}

/* The built-in schema, adopted (glue/schema-compiled.h), and classes and instances added to
 * compiled classes: their lists are copied out of the image the first time they grow. */
static bool scenario_compiled(long fail_at)
{
        static const char more[] = "class T_Local : CIM_LogicalDevice { };\n"
                                   "instance of T_Local { DeviceID = \"local0\"; };\n";
        static const char fixture_more[] = "class T_More : T_Keyed { };\n"
                                           "instance of T_Keyed { N = 2; };\n";
        struct glue_context *ctx = NULL, *fixture = NULL;
        struct glue_request *req = NULL;
        long before = atomic_load(&failures);
        int r, n = 0;

        atomic_store(&countdown, fail_at);
        r = glue_context_new(0, &ctx);
        check(r == 0 || r == -ENOMEM);
        if (r < 0)
                goto out;
        r = glue_context_load_mof(ctx, "more.mof", more, NULL);
        check(r == 0 || r == -ENOMEM);
        r = glue_context_new(GLUE_CONTEXT_EMPTY, &fixture);
        check(r == 0 || r == -ENOMEM);
        if (r < 0)
                goto out;
        r = context_adopt_compiled(fixture, &test_compiled_fixture);
        check(r == 0 || r == -ENOMEM);
        if (r < 0)
                goto out;
        r = glue_context_load_mof(fixture, "more.mof", fixture_more, NULL);
        check(r == 0 || r == -ENOMEM);
        r = glue_request_new(fixture, &req);
        check(r == 0 || r == -ENOMEM);
        if (r < 0)
                goto out;
        r = glue_request_enumerate(req, "T_Keyed", count, &n);
        check(r >= 0 || r == -ENOMEM);
out:
        atomic_store(&countdown, -1);
        glue_request_unref(req);
        glue_context_unref(fixture);
        glue_context_unref(ctx);
        return atomic_load(&failures) == before;
}

static void test_compiled_schema_allocations_fail_once(void)
{
        long n;

        check(scenario_compiled(-1));
        for (n = 1; n < 20000; n++)
                if (scenario_compiled(n))
                        break;
        check(n > 10 && n < 20000);
        printf("# %ld allocations failed in turn\n", n - 1);
}

static void test_every_allocation_fails_once(void)
{
        long n;

        check(scenario(-1)); /* the scenario itself works */
        for (n = 1; n < 20000; n++)
                if (scenario(n))
                        break;
        check(n > 50 && n < 20000);
        printf("# %ld allocations failed in turn\n", n - 1);
}

TEST_MAIN(test_every_allocation_fails_once, test_compiled_schema_allocations_fail_once)
