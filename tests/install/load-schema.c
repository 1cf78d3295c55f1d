/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * load-schema MOF...: the installed MOF files are the schema libglue has built in. Loads them
 * into an empty context, each once its superclasses are there (so no order need be known), and
 * compares every class (namespace, name, superclass, properties with their types) with those
 * of glue_context_new(0). Built by test-install.sh against the installed library alone.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <libglue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line per class: namespace:Name : Super (type name, ...) */
static char *describe(const struct glue_class *cls)
{
        const struct glue_class *super = glue_class_get_superclass(cls);
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);

        if (!f)
                return NULL;
        fprintf(f, "%s:%s : %s (", glue_class_get_namespace(cls), glue_class_get_name(cls),
                super ? glue_class_get_name(super) : "-");
        for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                const struct glue_property *p = glue_class_get_property(cls, i);

                fprintf(f, "%s%s%s %s", i ? ", " : "", glue_type_name(glue_property_get_type(p)),
                        glue_property_is_array(p) ? "[]" : "", glue_property_get_name(p));
        }
        fputc(')', f);
        fclose(f);
        return text;
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **describe_all(const struct glue_context *ctx, size_t *ret_count)
{
        size_t n = glue_context_get_class_count(ctx);
        char **lines = calloc(n ? n : 1, sizeof(*lines));

        for (size_t i = 0; lines && i < n; i++)
                lines[i] = describe(glue_context_get_class(ctx, i));
        if (lines)
                qsort(lines, n, sizeof(*lines), compare_strings);
        *ret_count = n;
        return lines;
}

int main(int argc, char **argv)
{
        struct glue_context *builtin = NULL, *loaded = NULL;
        int n_files = argc - 1, left = n_files, failures = 0;
        bool *done = calloc((size_t)argc, sizeof(*done));
        char **a, **b;
        size_t na, nb;

        if (!done || glue_context_new(0, &builtin) < 0 ||
            glue_context_new(GLUE_CONTEXT_EMPTY, &loaded) < 0) {
                fprintf(stderr, "not ok - no context\n");
                return 1;
        }
        /* A pass loads every file whose superclasses are loaded; stop when a pass loads none.
         * A file that fails adds nothing (libglue.h), so it can be tried again. */
        for (bool progress = true; left > 0 && progress;) {
                progress = false;
                for (int i = 1; i < argc; i++) {
                        char *error = NULL;

                        if (done[i])
                                continue;
                        if (glue_context_load_mof_file(loaded, argv[i], &error) == 0) {
                                done[i] = progress = true;
                                left--;
                        }
                        free(error);
                }
        }
        for (int i = 1; i < argc; i++) { /* what is left, with the reason of its last try */
                char *error = NULL;

                if (done[i])
                        continue;
                glue_context_load_mof_file(loaded, argv[i], &error);
                printf("not ok - %s does not load: %s\n", argv[i], error ? error : "?");
                free(error);
                failures++;
        }
        if (!failures)
                printf("ok - the %d installed MOF files load into an empty context\n", n_files);

        a = describe_all(builtin, &na);
        b = describe_all(loaded, &nb);
        for (size_t i = 0, j = 0; a && b && (i < na || j < nb);) {
                int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);

                if (c < 0)
                        printf("#   built in, not installed: %s\n", a[i++]);
                else if (c > 0)
                        printf("#   installed, not built in: %s\n", b[j++]);
                else {
                        i++;
                        j++;
                        continue;
                }
                failures++;
        }
        printf("%s - the installed files hold the %zu classes built in, with the same properties\n",
               failures ? "not ok" : "ok", na);
        for (size_t i = 0; a && i < na; i++)
                free(a[i]);
        for (size_t i = 0; b && i < nb; i++)
                free(b[i]);
        free(a);
        free(b);
        free(done);
        glue_context_unref(loaded);
        glue_context_unref(builtin);
        return failures ? 1 : 0;
}
