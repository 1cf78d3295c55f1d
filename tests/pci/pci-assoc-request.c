/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pci-assoc-request SYSROOT PATH [ASSOC_CLASS]: ASSOCIATORS OF {PATH} (WHERE AssocClass =
 * ASSOC_CLASS) on the tree at SYSROOT, each endpoint's path on a line of its own, and the
 * outcome on stderr. The request alone lies between two markers for a tracer
 * (file_trace_mark: "request", "done"), after the context is made, so that what the context
 * reads when it starts is told apart from what the request reads. Exits 0 if the request
 * succeeded, 1 if not, 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "file-trace.h"
#include "libglue.h"

static int print_path(struct glue_instance *inst, void *userdata)
{
        char *path = NULL;

        (void)userdata;
        if (glue_instance_get_path(inst, &path) < 0)
                return GLUE_STOP;
        printf("%s\n", path);
        free(path);
        return 0;
}

int main(int argc, char **argv)
{
        struct glue_context *ctx = NULL;
        struct glue_request *req = NULL;
        int r;

        if (argc < 3 || argc > 4) {
                fputs("usage: pci-assoc-request SYSROOT PATH [ASSOC_CLASS]\n", stderr);
                return 2;
        }
        r = glue_context_new(0, &ctx);
        if (r >= 0)
                r = glue_context_set_option(ctx, "sysroot", argv[1]);
        if (r >= 0)
                r = glue_request_new(ctx, &req);
        if (r < 0) {
                fprintf(stderr, "pci-assoc-request: %s\n", glue_strerror(r));
                glue_context_unref(ctx);
                return 1;
        }
        file_trace_mark("request");
        r = glue_request_associators(req, argv[2], argc > 3 ? argv[3] : NULL, NULL, NULL, NULL,
                                     print_path, NULL);
        file_trace_mark("done");
        fprintf(stderr, "pci-assoc-request: %d %s%s%s\n", r, glue_strerror(r),
                glue_request_get_error(req) ? ": " : "",
                glue_request_get_error(req) ? glue_request_get_error(req) : "");
        glue_request_unref(req);
        glue_context_unref(ctx);
        return r < 0 ? 1 : 0;
}
