/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A consumer of the public header alone, compiled by test-header.sh as strict C99 and as C++
 * (libinput's test-build-*): libglue.h must stand on its own (it comes first), build without a
 * warning under -pedantic, and give C++ callers C linkage (linking fails otherwise). It runs
 * too, so that the calls it makes are the real ones.
 */
#include <libglue.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char mof[] =
        "[Description(\"A test class.\")]\n"
        "class Test_Thing\n"
        "{\n"
        "        [Key] string Name;\n"
        "        uint32 Count;\n"
        "};\n";

static int failures;

static void check(int condition, const char *what)
{
        printf("%s - %s\n", condition ? "ok" : "not ok", what);
        if (!condition)
                failures++;
}

int main(void)
{
        struct glue_context *ctx = NULL;
        struct glue_instance *inst = NULL;
        const struct glue_class *cls = NULL;
        char *error = NULL, *path = NULL;
        uint64_t count = 0;

        check(strcmp(glue_wbem_name(-ENOENT), "WBEM_E_NOT_FOUND") == 0, "glue_wbem_name");
        check(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx) == 0, "an empty context");
        check(glue_context_load_mof(ctx, "consumer.mof", mof, &error) == 0, "MOF loads");
        free(error);
        check(glue_context_find_class(ctx, NULL, "test_thing", &cls) == 0, "the class is found");
        check(cls && glue_instance_new(cls, &inst) == 0, "an instance");
        check(glue_instance_set_string(inst, "Name", "a \"quoted\" name") == 0, "a key is set");
        check(glue_instance_set_uint(inst, "Count", 3) == 0, "a uint32 is set");
        check(glue_instance_set_uint(inst, "Count", UINT64_MAX) == -ERANGE, "out of range");
        check(glue_instance_get_uint(inst, "Count", &count) == 0 && count == 3, "read back");
        check(glue_instance_get_path(inst, &path) == 0 && path &&
              strcmp(path, "Test_Thing.Name=\"a \\\"quoted\\\" name\"") == 0, "its path");
        free(path);
        check(glue_instance_unref(inst) == NULL, "unref returns NULL");
        check(glue_context_unref(ctx) == NULL, "the context goes");
        return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
