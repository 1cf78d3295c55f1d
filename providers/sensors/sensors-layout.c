/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sensors-layout.h"

/* p with room for need elements, or NULL (p is kept then). */
static void *grow(void *p, size_t *allocated, size_t need, size_t size)
{
        size_t n = *allocated ? *allocated : 16;
        void *more;

        if (need <= *allocated)
                return p;
        while (n < need)
                n *= 2;
        more = realloc(p, n * size);
        if (more)
                *allocated = n;
        return more;
}

int sensors_layout_list(struct sensors_layout *layout, const sensors_chip_name *chip,
                        bool with_subfeatures)
{
        const sensors_feature *feature;
        size_t allocated = 0, subs_allocated = 0, n_subs = 0;
        int nr = 0;

        *layout = (struct sensors_layout){ 0 };
        while ((feature = sensors_get_features(chip, &nr))) {
                void *more = grow(layout->features, &allocated, layout->n_features + 1,
                                  sizeof(*layout->features));

                if (!more)
                        goto fail;
                layout->features = more;
                layout->features[layout->n_features++] = feature;
        }
        if (!with_subfeatures)
                return 0;
        layout->first = malloc((layout->n_features + 1) * sizeof(*layout->first));
        if (!layout->first)
                goto fail;
        for (size_t i = 0; i < layout->n_features; i++) {
                const sensors_subfeature *sub;

                layout->first[i] = n_subs;
                nr = 0;
                while ((sub = sensors_get_all_subfeatures(chip, layout->features[i], &nr))) {
                        void *more = grow(layout->subs, &subs_allocated, n_subs + 1,
                                          sizeof(*layout->subs));

                        if (!more)
                                goto fail;
                        layout->subs = more;
                        layout->subs[n_subs++] = sub;
                }
        }
        layout->first[layout->n_features] = n_subs;
        return 0;
fail:
        sensors_layout_clear(layout);
        return -ENOMEM;
}

void sensors_layout_clear(struct sensors_layout *layout)
{
        free(layout->features);
        free(layout->first);
        free(layout->subs);
        *layout = (struct sensors_layout){ 0 };
}
