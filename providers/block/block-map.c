/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A string-keyed map for what one call reads once and uses many times: each ancestor's
 * subsystem, each disk's queue attributes (shared by its partitions). Open addressing, grown at
 * 70% load; the map owns its keys and its values. It holds at most BLOCK_MAP_MAX entries and
 * starts again empty past that: what it saves is reading a file twice, which costs less than
 * x
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"

#define BLOCK_MAP_MAX 4096

struct block_map_slot {
        char *key; /* NULL: free */
        void *value;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
        uint64_t h = 14695981039346656037ULL; /* FNV-1a */

        for (size_t i = 0; i < len; i++)
                h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
        return h;
}

static struct block_map_slot *find_slot(struct block_map_slot *slots, size_t size,
                                        const char *key, size_t len)
{
        size_t i = (size_t)hash_bytes(key, len) & (size - 1);

        while (slots[i].key && (strncmp(slots[i].key, key, len) != 0 || slots[i].key[len]))
                i = (i + 1) & (size - 1);
        return &slots[i];
}

static int grow(struct block_map *map)
{
        size_t size = map->size ? map->size * 2 : 64;
        struct block_map_slot *slots = calloc(size, sizeof(*slots));

        if (!slots)
                return -ENOMEM;
        for (size_t i = 0; i < map->size; i++)
                if (map->slots[i].key)
                        *find_slot(slots, size, map->slots[i].key, strlen(map->slots[i].key)) =
                                map->slots[i];
        free(map->slots);
        map->slots = slots;
        map->size = size;
        return 0;
}

void *block_map_get(const struct block_map *map, const char *key, size_t len)
{
        if (!map->size)
                return NULL;
        return find_slot(map->slots, map->size, key, len)->value;
}

int block_map_put(struct block_map *map, const char *key, size_t len, void *value)
{
        struct block_map_slot *slot;

        if (map->used >= BLOCK_MAP_MAX) {
                /* keep the table, drop the entries */
                for (size_t i = 0; i < map->size; i++) {
                        free(map->slots[i].key);
                        if (map->slots[i].key && map->free_value)
                                map->free_value(map->slots[i].value);
                        map->slots[i] = (struct block_map_slot){ 0 };
                }
                map->used = 0;
        }
        if ((map->used + 1) * 10 > map->size * 7 && grow(map) < 0)
                return -ENOMEM;
        slot = find_slot(map->slots, map->size, key, len);
        if (slot->key) {
                if (map->free_value)
                        map->free_value(slot->value);
                slot->value = value;
                return 0;
        }
        slot->key = strndup(key, len);
        if (!slot->key)
                return -ENOMEM;
        slot->value = value;
        map->used++;
        return 0;
}

void block_map_clear(struct block_map *map)
{
        for (size_t i = 0; i < map->size; i++) {
                free(map->slots[i].key);
                if (map->slots[i].key && map->free_value)
                        map->free_value(map->slots[i].value);
        }
        free(map->slots);
        map->slots = NULL;
        map->size = map->used = 0;
}
