/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Files the providers could not read, counted per cause for the caller: an agent that runs for
 * months needs to hear "3 attributes unreadable: permission denied, e.g. .../temp1_input" once,
 * not a NULL property it cannot explain. The list is tiny (one entry per distinct errno).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue-private.h"

void read_error_list_add(struct read_error_list *list, int error, uint64_t count,
                         const char *example, const char *provider)
{
        struct read_error_entry *items;

        for (size_t i = 0; i < list->count; i++)
                if (list->items[i].error == error) {
                        list->items[i].count += count;
                        return;
                }
        items = realloc(list->items, (list->count + 1) * sizeof(*items));
        if (!items)
                return; /* out of memory: the count is lost, the request goes on */
        list->items = items;
        items[list->count] = (struct read_error_entry){
                .error = error,
                .count = count,
                .example = example ? strdup(example) : NULL,
                .provider = provider ? strdup(provider) : NULL,
        };
        list->count++;
}

void read_error_list_clear(struct read_error_list *list)
{
        for (size_t i = 0; i < list->count; i++) {
                free(list->items[i].example);
                free(list->items[i].provider);
        }
        free(list->items);
        list->items = NULL;
        list->count = 0;
}

GLUE_EXPORT size_t glue_request_get_read_error_count(const struct glue_request *req)
{
        return req ? req->read_errors.count : 0;
}

GLUE_EXPORT int glue_request_get_read_error(const struct glue_request *req, size_t index,
                                            struct glue_read_error *ret)
{
        const struct read_error_entry *e;

        if (!req || !ret || index >= req->read_errors.count)
                return -EINVAL;
        e = &req->read_errors.items[index];
        *ret = (struct glue_read_error){
                .error = e->error,
                .count = e->count,
                .example = e->example,
                .provider = e->provider,
        };
        return 0;
}
