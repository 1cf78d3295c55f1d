/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder: WQL queries are built with the inventory command's issue. */
#include <errno.h>

#include "glue-private.h"

GLUE_EXPORT int glue_request_query(struct glue_request *req, const char *wql, glue_instance_fn fn,
                                   void *userdata)
{
        if (!req || !wql || !fn)
                return -EINVAL;
        request_set_error(req, "WQL queries are not implemented yet");
        return -EOPNOTSUPP;
}
