/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sort keys of a group's instances. Series come sorted by device, whatever order the
 * provider found the devices in (readdir order, which a hot-plug can shuffle), so that two
 * exports of the same machine are the same text, and a diff between two shows what changed.
 * Only the keys are held, in an arena of large chunks, never the instances or their text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

#define ARENA_CHUNK (64 * 1024)

struct export_arena_chunk {
        struct export_arena_chunk *next;
        size_t used;
        size_t size;
        char data[];
};

static char *arena_copy(struct export_index *index, const char *key, size_t len)
{
        struct export_arena_chunk *chunk = index->arena;
        char *copy;

        if (!chunk || chunk->size - chunk->used < len + 1) {
                size_t size = len + 1 > ARENA_CHUNK ? len + 1 : ARENA_CHUNK;

                chunk = malloc(sizeof(*chunk) + size);
                if (!chunk)
                        return NULL;
                chunk->next = index->arena;
                chunk->used = 0;
                chunk->size = size;
                index->arena = chunk;
        }
        copy = chunk->data + chunk->used;
        memcpy(copy, key, len);
        copy[len] = '\0';
        chunk->used += len + 1;
        return copy;
}

int export_index_add(struct export_index *index, const char *key, size_t key_len,
                     uint64_t offset, uint32_t length)
{
        const char *copy;

        if (index->n_entries == index->capacity) {
                size_t capacity = index->capacity ? 2 * index->capacity : 256;
                struct export_index_entry *entries = realloc(index->entries,
                                                             capacity * sizeof(*entries));

                if (!entries)
                        return -ENOMEM;
                index->entries = entries;
                index->capacity = capacity;
        }
        copy = arena_copy(index, key, key_len);
        if (!copy)
                return -ENOMEM;
        index->entries[index->n_entries] = (struct export_index_entry) {
                .key = copy,
                .offset = offset,
                .length = length,
                .arrival = (uint32_t)index->n_entries,
        };
        index->n_entries++;
        return 0;
}

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

int export_key_compare(const char *a, const char *b)
{
        const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

        while (*p && *q) {
                if (is_digit((char)*p) && is_digit((char)*q)) {
                        const unsigned char *ps = p, *qs = q;
                        size_t pl, ql;
                        int c;

                        while (*ps == '0' && is_digit((char)ps[1]))
                                ps++;
                        while (*qs == '0' && is_digit((char)qs[1]))
                                qs++;
                        for (p = ps; is_digit((char)*p); p++)
                                ;
                        for (q = qs; is_digit((char)*q); q++)
                                ;
                        pl = (size_t)(p - ps);
                        ql = (size_t)(q - qs);
                        if (pl != ql)
                                return pl < ql ? -1 : 1;
                        c = memcmp(ps, qs, pl);
                        if (c != 0)
                                return c;
                        continue;
                }
                if (*p != *q)
                        return *p < *q ? -1 : 1;
                p++;
                q++;
        }
        return *p ? 1 : *q ? -1 : strcmp(a, b);
}

static int compare_arrival(const struct export_index_entry *a, const struct export_index_entry *b)
{
        return a->arrival < b->arrival ? -1 : a->arrival > b->arrival;
}

static int compare_natural(const void *x, const void *y)
{
        int r = export_key_compare(((const struct export_index_entry *)x)->key,
                                   ((const struct export_index_entry *)y)->key);

        return r ? r : compare_arrival(x, y);
}

static int compare_bytes(const void *x, const void *y)
{
        int r = strcmp(((const struct export_index_entry *)x)->key,
                       ((const struct export_index_entry *)y)->key);

        return r ? r : compare_arrival(x, y);
}

void export_index_sort(struct export_index *index)
{
        bool same_length = true;

        if (index->n_entries < 2)
                return;
        /* One rule for the whole sort, or the order would not be transitive: fixed-width keys
         * (PCI addresses, in hex, which the natural order would misplace: 0a after 09) in byte
         * order, the others in natural order. */
        for (size_t i = 1; i < index->n_entries && same_length; i++)
                same_length = strlen(index->entries[i].key) == strlen(index->entries[0].key);
        qsort(index->entries, index->n_entries, sizeof(*index->entries),
              same_length ? compare_bytes : compare_natural);
}

void export_index_free(struct export_index *index)
{
        for (struct export_arena_chunk *chunk = index->arena, *next; chunk; chunk = next) {
                next = chunk->next;
                free(chunk);
        }
        free(index->entries);
        *index = (struct export_index) { 0 };
}
