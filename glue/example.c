/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A minimal libglue client: stream every instance of a class (default CIM_LogicalDevice, i.e.
 * every device of every provider) and print its path and properties. Build against the
 * installed library with: cc example.c $(pkg-config --cflags --libs libglue)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <libglue.h>

static void print_value(const struct glue_value *v)
{
        size_t n = v->is_array ? v->count : 1;

        if (v->is_array)
                putchar('{');
        for (size_t i = 0; i < n; i++) {
                if (i)
                        fputs(", ", stdout);
                if (v->type == GLUE_TYPE_BOOLEAN)
                        fputs((v->is_array ? v->v.b_array[i] : v->v.b) ? "true" : "false", stdout);
                else if (glue_type_is_signed(v->type))
                        printf("%" PRId64, v->is_array ? v->v.s_array[i] : v->v.s);
                else if (glue_type_is_unsigned(v->type))
                        printf("%" PRIu64, v->is_array ? v->v.u_array[i] : v->v.u);
                else if (glue_type_is_real(v->type))
                        printf("%g", v->is_array ? v->v.r_array[i] : v->v.r);
                else
                        printf("\"%s\"", v->is_array ? v->v.str_array[i] : v->v.str);
        }
        if (v->is_array)
                putchar('}');
}

static int print_instance(struct glue_instance *inst, void *userdata)
{
        const struct glue_class *cls = glue_instance_get_class(inst);
        char *path = NULL;

        if (glue_instance_get_path(inst, &path) == 0)
                printf("%s\n", path);
        free(path);
        for (size_t i = 0; i < glue_class_get_property_count(cls); i++) {
                const struct glue_value *v;

                if (glue_instance_get_value_at(inst, i, &v) < 0)
                        continue; /* NULL or not fetched */
                printf("    %s = ", glue_property_get_name(glue_class_get_property(cls, i)));
                print_value(v);
                putchar('\n');
        }
        return 0;
}

int main(int argc, char **argv)
{
        const char *class_name = argc > 1 ? argv[1] : "CIM_LogicalDevice";
        struct glue_context *ctx = NULL;
        struct glue_request *req = NULL;
        int r;

        r = glue_context_new(0, &ctx);
        if (r < 0) {
                fprintf(stderr, "glue_context_new: %s\n", glue_strerror(r));
                return 1;
        }
        if (argc > 2)
                glue_context_set_option(ctx, "sysroot", argv[2]);
        r = glue_request_new(ctx, &req);
        if (r == 0)
                r = glue_request_enumerate(req, class_name, print_instance, NULL);
        if (r < 0)
                fprintf(stderr, "%s: %s (%s)\n", class_name, glue_strerror(r),
                        glue_request_get_error(req) ? glue_request_get_error(req) : glue_wbem_name(r));
        for (size_t i = 0; i < glue_request_get_provider_count(req); i++) {
                struct glue_provider_status s;

                if (glue_request_get_provider_status(req, i, &s) == 0 && s.error < 0)
                        fprintf(stderr, "provider %s (%s): %s\n", s.provider, s.class_name,
                                glue_strerror(s.error));
        }
        glue_request_unref(req);
        glue_context_unref(ctx);
        return r < 0 ? 1 : r > 0 ? 2 : 0;
}
