/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sensors-layout.h"

/* Shapes kept per enumeration: more than the kinds of chip on any machine. */
#define SHAPES_MAX 64

struct shape {
        uint64_t hash;
        char *files;            /* the directory's regular files, each name ended by a NUL */
        size_t files_len;
        struct sensors_layout layout;
};

struct sensors_layout_cache {
        struct shape shapes[SHAPES_MAX];
        size_t n_shapes;
        /* this chip's files, listed into a buffer kept from chip to chip */
        char *files;
        size_t files_len, files_allocated;
        /* the hashes of the chip names seen, an open-addressed set (0: a free slot) */
        uint64_t *names;
        size_t n_names, names_allocated;
};

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

int sensors_layout_cache_new(struct sensors_layout_cache **ret)
{
        *ret = calloc(1, sizeof(**ret));
        return *ret ? 0 : -ENOMEM;
}

void sensors_layout_cache_free(struct sensors_layout_cache *cache)
{
        if (!cache)
                return;
        for (size_t i = 0; i < cache->n_shapes; i++) {
                free(cache->shapes[i].files);
                sensors_layout_clear(&cache->shapes[i].layout);
        }
        free(cache->files);
        free(cache->names);
        free(cache);
}

/* FNV-1a */
static uint64_t hash_bytes(const char *p, size_t len)
{
        uint64_t h = 0xcbf29ce484222325ULL;

        for (size_t i = 0; i < len; i++) {
                h ^= (unsigned char)p[i];
                h *= 0x100000001b3ULL;
        }
        return h;
}

/* Note the name; false if it was seen before. Two names that hash alike count as the same:
 * that chip is then listed on its own, which is never wrong. */
static int note_name(struct sensors_layout_cache *cache, const char *name, bool *ret_new)
{
        uint64_t h = hash_bytes(name, strlen(name)) | 1;
        size_t mask, i;

        if (2 * (cache->n_names + 1) > cache->names_allocated) {
                size_t n = cache->names_allocated ? cache->names_allocated * 2 : 256;
                uint64_t *more = calloc(n, sizeof(*more));

                if (!more)
                        return -ENOMEM;
                for (size_t j = 0; j < cache->names_allocated; j++) {
                        uint64_t old = cache->names[j];

                        if (!old)
                                continue;
                        for (i = old & (n - 1); more[i]; i = (i + 1) & (n - 1))
                                ;
                        more[i] = old;
                }
                free(cache->names);
                cache->names = more;
                cache->names_allocated = n;
        }
        mask = cache->names_allocated - 1;
        for (i = h & mask; cache->names[i]; i = (i + 1) & mask)
                if (cache->names[i] == h) {
                        *ret_new = false;
                        return 0;
                }
        cache->names[i] = h;
        cache->n_names++;
        *ret_new = true;
        return 0;
}

/* The directory's regular files, as libsensors' walk skips everything else (d_type). */
static int list_files(struct sensors_layout_cache *cache, int dirfd)
{
        struct dirent *ent;
        DIR *dir;
        int fd, r = 0;

        cache->files_len = 0;
        fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        dir = fdopendir(fd);
        if (!dir) {
                r = -errno;
                close(fd);
                return r;
        }
        for (;;) {
                size_t len;
                void *more;

                errno = 0;
                ent = readdir(dir);
                if (!ent) {
                        r = -errno;
                        break;
                }
                if (ent->d_type != DT_REG)
                        continue;
                len = strlen(ent->d_name) + 1;
                more = grow(cache->files, &cache->files_allocated, cache->files_len + len, 1);
                if (!more) {
                        r = -ENOMEM;
                        break;
                }
                cache->files = more;
                memcpy(cache->files + cache->files_len, ent->d_name, len);
                cache->files_len += len;
        }
        closedir(dir);
        return r;
}

int sensors_layout_cache_get(struct sensors_layout_cache *cache, const sensors_chip_name *chip,
                             const char *name, int dirfd, const struct sensors_layout **ret,
                             bool *ret_shared)
{
        struct shape *shape;
        bool is_new;
        uint64_t h;
        int r;

        r = note_name(cache, name, &is_new);
        if (r < 0)
                return r;
        if (!is_new)
                return -ENOENT;
        r = list_files(cache, dirfd);
        if (r < 0)
                return r == -ENOMEM ? r : -ENOENT;
        h = hash_bytes(cache->files, cache->files_len);
        for (size_t i = 0; i < cache->n_shapes; i++) {
                shape = &cache->shapes[i];
                if (shape->hash == h && shape->files_len == cache->files_len &&
                    memcmp(shape->files, cache->files, cache->files_len) == 0) {
                        *ret = &shape->layout;
                        *ret_shared = true;
                        return 0;
                }
        }
        if (cache->n_shapes == SHAPES_MAX)
                return -ENOENT;
        shape = &cache->shapes[cache->n_shapes];
        *shape = (struct shape){ .hash = h, .files_len = cache->files_len };
        shape->files = malloc(cache->files_len ? cache->files_len : 1);
        if (!shape->files)
                return -ENOMEM;
        memcpy(shape->files, cache->files, cache->files_len);
        r = sensors_layout_list(&shape->layout, chip, true);
        if (r < 0) {
                free(shape->files);
                return r;
        }
        cache->n_shapes++;
        *ret = &shape->layout;
        *ret_shared = false;
        return 0;
}
