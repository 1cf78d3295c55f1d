/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pci.ids, read in place. The file's grammar (as libpci parses it): a line is cut at its first
 * CR or LF and loses one trailing blank; blank lines and lines whose first non-blank character
 * is '#' are skipped; the count of leading tabs is the nesting level.
 *
 *   vvvv  Vendor name                     level 0: a vendor block
 *   \tdddd  Device name                   level 1: a device of that vendor
 *   \t\tssss ssss  Subsystem name         level 2: a subsystem of that device
 *   C cc  Class name                      level 0: a class block
 *   \tss  Subclass name                   level 1
 *   \t\tpp  Programming interface name    level 2
 *   S ssss                                level 0: a generic subsystem block (vendor ssss)
 *   \tdddd  Subsystem name                level 1
 *   X ...                                 level 0, any other capital: a block to skip
 *
 * IDs are hexadecimal in either case, followed by a blank; the name is the rest of the line
 * after the blanks and must not be empty.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pci-ids.h"

/* pci.ids is 1.3 MiB today; anything past this is not a pci.ids. */
#define IDS_MAX_SIZE (256u << 20)
#define CACHE_BITS 10 /* 1,024 slots: a machine has far fewer distinct IDs */
#define CACHE_SLOTS (1u << CACHE_BITS)

enum ids_category {
        CAT_VENDOR = 1,
        CAT_DEVICE,
        CAT_SUBSYSTEM,
        CAT_GENERIC_SUBSYSTEM,
        CAT_CLASS,
        CAT_SUBCLASS,
        CAT_PROG_IF,
};

/* A level-1 line of a block: where it is, and where the lines under it end. */
struct ids_entry {
        uint32_t id;
        uint32_t start, after, stop; /* its line, the line after it, the next level-1 line */
};

/* A level-0 line and the lines under it, up to the next level-0 line. */
struct ids_block {
        uint32_t id;
        uint32_t body, end;   /* offsets of the first line under it and of the next block */
        uint32_t name, name_len;
        /* Its level-1 lines by ID, made on the first lookup in the block (Intel's holds
         * 8,000 lines: a lookup that scanned them all would cost 0.4 M instructions). */
        bool indexed;
        uint32_t entry_count;
        struct ids_entry *entries;
};

struct ids_array {
        struct ids_block *blocks;
        size_t count, allocated;
};

/* The result of one entry lookup (libpci's id_lookup level), keyed by category and IDs. */
struct ids_cache_slot {
        uint32_t key_high, key_low; /* category << 16 | id1, id2 << 16 | id3 */
        uint16_t key_last;          /* id4 */
        bool used, found;
        uint32_t name, name_len;
};

struct pci_ids {
        const char *map;
        size_t size;
        struct ids_array vendors, classes, generic_subsystems;
        size_t bad_lines;
        struct ids_cache_slot *cache; /* CACHE_SLOTS, made on the first lookup */
};

/* One line: its text after the leading tabs, cut at CR/LF and stripped of one trailing blank. */
struct ids_line {
        const char *text;
        size_t len;
        unsigned level;
        bool content; /* not blank, not a comment */
};

static bool is_blank(char c)
{
        return c == ' ' || c == '\t';
}

static int hex_value(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* digits hex digits at text[0..], then a blank (or, if at_end, the end of the text). */
static int parse_hex(const char *text, size_t len, size_t digits, bool at_end)
{
        int value = 0;

        if (len < digits + (at_end ? 0 : 1))
                return -1;
        for (size_t i = 0; i < digits; i++) {
                int d = hex_value(text[i]);

                if (d < 0)
                        return -1;
                value = value << 4 | d;
        }
        if (at_end ? len != digits : !is_blank(text[digits]))
                return -1;
        return value;
}

/* The name after the ID field of width skip: past the blanks, to the end; false if empty. */
static bool line_name(const struct pci_ids *ids, const struct ids_line *line, size_t skip,
                      uint32_t *ret_name, uint32_t *ret_len)
{
        size_t i = skip;

        while (i < line->len && is_blank(line->text[i]))
                i++;
        if (i >= line->len)
                return false;
        *ret_name = (uint32_t)(line->text + i - ids->map);
        *ret_len = (uint32_t)(line->len - i);
        return true;
}

/* Read the line at *pos (which moves past it). false at end. */
static bool read_line(const struct pci_ids *ids, size_t *pos, size_t end, struct ids_line *line)
{
        const char *start = ids->map + *pos, *newline, *cr, *p;
        size_t len;

        if (*pos >= end)
                return false;
        newline = memchr(start, '\n', end - *pos);
        len = newline ? (size_t)(newline - start) : end - *pos;
        *pos += len + (newline ? 1 : 0);
        cr = memchr(start, '\r', len);
        if (cr)
                len = (size_t)(cr - start);
        if (len > 0 && is_blank(start[len - 1]))
                len--;
        for (p = start; p < start + len && is_blank(*p); p++)
                ;
        line->content = p < start + len && *p != '#';
        for (p = start; p < start + len && *p == '\t'; p++)
                ;
        line->level = (unsigned)(p - start);
        line->text = p;
        line->len = len - line->level;
        return true;
}

static int array_add(struct ids_array *array, const struct ids_block *block)
{
        if (array->count == array->allocated) {
                size_t n = array->allocated ? array->allocated * 2 : 256;
                struct ids_block *blocks = realloc(array->blocks, n * sizeof(*blocks));

                if (!blocks)
                        return -ENOMEM;
                array->blocks = blocks;
                array->allocated = n;
        }
        array->blocks[array->count++] = *block;
        return 0;
}

static int compare_blocks(const void *a, const void *b)
{
        const struct ids_block *x = a, *y = b;

        /* By ID, then by place in the file: the first of two equal entries wins. */
        if (x->id != y->id)
                return x->id < y->id ? -1 : 1;
        return x->body < y->body ? -1 : x->body > y->body;
}

static void array_sort(struct ids_array *array)
{
        /* qsort() takes no NULL, even for no elements. */
        if (array->count > 0)
                qsort(array->blocks, array->count, sizeof(*array->blocks), compare_blocks);
}

/* The index: one pass over the line starts; only level-0 lines are parsed. */
static int ids_index(struct pci_ids *ids)
{
        struct ids_block *open = NULL;
        size_t pos = 0;
        int r;

        while (pos < ids->size) {
                struct ids_line line;
                struct ids_block block = { 0 };
                struct ids_array *array = NULL;
                size_t line_start = pos;
                int id;

                /* Lines under a block: the lookups read them, the index skips them. */
                if (ids->map[pos] == '\t') {
                        const char *newline = memchr(ids->map + pos, '\n', ids->size - pos);

                        pos = newline ? (size_t)(newline - ids->map) + 1 : ids->size;
                        continue;
                }
                read_line(ids, &pos, ids->size, &line);
                if (!line.content)
                        continue;
                if (open)
                        open->end = (uint32_t)line_start;
                open = NULL;
                if (line.len >= 2 && line.text[0] == 'C' && line.text[1] == ' ') {
                        id = parse_hex(line.text + 2, line.len - 2, 2, false);
                        if (id >= 0 && line_name(ids, &line, 5, &block.name, &block.name_len))
                                array = &ids->classes;
                } else if (line.len >= 2 && line.text[0] == 'S' && line.text[1] == ' ') {
                        id = parse_hex(line.text + 2, line.len - 2, 4, true);
                        if (id >= 0)
                                array = &ids->generic_subsystems;
                } else if (line.len >= 2 && line.text[0] >= 'A' && line.text[0] <= 'Z' &&
                           line.text[1] == ' ') {
                        continue; /* a block libpci skips, and so do we */
                } else {
                        id = parse_hex(line.text, line.len, 4, false);
                        if (id >= 0 && line_name(ids, &line, 5, &block.name, &block.name_len))
                                array = &ids->vendors;
                }
                if (!array) {
                        ids->bad_lines++;
                        continue;
                }
                block.id = (uint32_t)id;
                block.body = block.end = (uint32_t)pos;
                r = array_add(array, &block);
                if (r < 0)
                        return r;
                open = &array->blocks[array->count - 1];
        }
        if (open)
                open->end = (uint32_t)ids->size;
        array_sort(&ids->vendors);
        array_sort(&ids->classes);
        array_sort(&ids->generic_subsystems);
        return 0;
}

int pci_ids_open(const char *path, struct pci_ids **ret)
{
        struct pci_ids *ids;
        struct stat st;
        void *map;
        int fd, r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0) {
                r = -errno;
                close(fd);
                return r;
        }
        if (!S_ISREG(st.st_mode) || st.st_size > (off_t)IDS_MAX_SIZE) {
                close(fd);
                return -EINVAL;
        }
        ids = calloc(1, sizeof(*ids));
        if (!ids) {
                close(fd);
                return -ENOMEM;
        }
        ids->size = (size_t)st.st_size;
        if (ids->size > 0) {
                map = mmap(NULL, ids->size, PROT_READ, MAP_PRIVATE, fd, 0);
                if (map == MAP_FAILED) {
                        r = -errno;
                        close(fd);
                        free(ids);
                        return r;
                }
                ids->map = map;
        }
        close(fd);
        if (ids->size >= 2 && (unsigned char)ids->map[0] == 0x1f &&
            (unsigned char)ids->map[1] == 0x8b) {
                pci_ids_free(ids);
                return -EMEDIUMTYPE;
        }
        r = ids_index(ids);
        if (r < 0) {
                pci_ids_free(ids);
                return r;
        }
        *ret = ids;
        return 0;
}

static void array_free(struct ids_array *array)
{
        for (size_t i = 0; i < array->count; i++)
                free(array->blocks[i].entries);
        free(array->blocks);
}

void pci_ids_free(struct pci_ids *ids)
{
        if (!ids)
                return;
        if (ids->map)
                munmap((void *)ids->map, ids->size);
        array_free(&ids->vendors);
        array_free(&ids->classes);
        array_free(&ids->generic_subsystems);
        free(ids->cache);
        free(ids);
}

size_t pci_ids_get_bad_lines(const struct pci_ids *ids)
{
        return ids ? ids->bad_lines : 0;
}

static struct ids_block *find_block(const struct ids_array *array, uint32_t id)
{
        size_t low = 0, high = array->count;

        /* The first block with that ID. */
        while (low < high) {
                size_t mid = low + (high - low) / 2;

                if (array->blocks[mid].id < id)
                        low = mid + 1;
                else
                        high = mid;
        }
        return low < array->count && array->blocks[low].id == id ? &array->blocks[low] : NULL;
}

static int compare_entries(const void *a, const void *b)
{
        const struct ids_entry *x = a, *y = b;

        if (x->id != y->id)
                return x->id < y->id ? -1 : 1;
        return x->start < y->start ? -1 : x->start > y->start;
}

/* Index a block's level-1 lines (digits-wide IDs); malformed lines are left out. */
static void index_block(const struct pci_ids *ids, struct ids_block *block, size_t digits)
{
        size_t pos = block->body, allocated = 0;
        struct ids_line line;

        block->indexed = true;
        while (pos < block->end) {
                size_t start = pos;
                int value;

                read_line(ids, &pos, block->end, &line);
                if (!line.content || line.level != 1)
                        continue;
                if (block->entry_count > 0)
                        block->entries[block->entry_count - 1].stop = (uint32_t)start;
                value = parse_hex(line.text, line.len, digits, false);
                if (value < 0 || !line_name(ids, &line, digits + 1, &(uint32_t){ 0 },
                                            &(uint32_t){ 0 }))
                        continue;
                if (block->entry_count == allocated) {
                        size_t n = allocated ? allocated * 2 : 64;
                        struct ids_entry *entries = realloc(block->entries, n * sizeof(*entries));

                        if (!entries)
                                break; /* what is indexed still serves */
                        block->entries = entries;
                        allocated = n;
                }
                block->entries[block->entry_count++] = (struct ids_entry){
                        .id = (uint32_t)value,
                        .start = (uint32_t)start,
                        .after = (uint32_t)pos,
                        .stop = block->end,
                };
        }
        if (block->entry_count > 0)
                qsort(block->entries, block->entry_count, sizeof(*block->entries),
                      compare_entries);
}

/*
 * In a block, the first level-1 line with ID `id` (digits wide); with `sub_digits`, then the
 * first level-2 line under it with ID `sub_id` (for a subsystem, the two IDs sub_id >> 16 and
 * sub_id & 0xffff, four digits each). Malformed lines are skipped.
 */
static bool scan_block(const struct pci_ids *ids, struct ids_block *block, size_t digits,
                       uint32_t id, size_t sub_digits, bool sub_pair, uint32_t sub_id,
                       uint32_t *ret_name, uint32_t *ret_len)
{
        const struct ids_entry *entry;
        size_t low = 0, high, pos;
        struct ids_line line;
        uint32_t value;

        if (!block->indexed)
                index_block(ids, block, digits);
        high = block->entry_count;
        while (low < high) {
                size_t mid = low + (high - low) / 2;

                if (block->entries[mid].id < id)
                        low = mid + 1;
                else
                        high = mid;
        }
        if (low >= block->entry_count || block->entries[low].id != id)
                return false;
        entry = &block->entries[low];
        pos = entry->start;
        read_line(ids, &pos, block->end, &line);
        if (!sub_digits)
                return line_name(ids, &line, digits + 1, ret_name, ret_len);
        pos = entry->after;
        while (read_line(ids, &pos, entry->stop, &line)) {
                size_t skip = sub_digits + 1;
                int first;

                if (!line.content || line.level != 2)
                        continue;
                first = parse_hex(line.text, line.len, sub_digits, false);
                if (first < 0)
                        continue;
                value = (uint32_t)first;
                if (sub_pair) {
                        int second = parse_hex(line.text + skip, line.len - skip, sub_digits,
                                               false);

                        if (second < 0)
                                continue;
                        value = value << 16 | (uint32_t)second;
                        skip += sub_digits + 1;
                }
                if (value == sub_id)
                        return line_name(ids, &line, skip, ret_name, ret_len);
        }
        return false;
}

/* One entry, as libpci's hash would hold it: category and up to four IDs. */
static bool entry_lookup_uncached(struct pci_ids *ids, enum ids_category cat, uint32_t id1,
                                  uint32_t id2, uint32_t id3, uint32_t id4, uint32_t *ret_name,
                                  uint32_t *ret_len)
{
        struct ids_block *block;

        switch (cat) {
        case CAT_VENDOR:
        case CAT_CLASS:
                block = find_block(cat == CAT_VENDOR ? &ids->vendors : &ids->classes, id1);
                if (!block)
                        return false;
                *ret_name = block->name;
                *ret_len = block->name_len;
                return true;
        case CAT_DEVICE:
        case CAT_SUBSYSTEM:
                block = find_block(&ids->vendors, id1);
                return block && scan_block(ids, block, 4, id2, cat == CAT_SUBSYSTEM ? 4 : 0, true,
                                           id3 << 16 | id4, ret_name, ret_len);
        case CAT_GENERIC_SUBSYSTEM:
                block = find_block(&ids->generic_subsystems, id1);
                return block && scan_block(ids, block, 4, id2, 0, false, 0, ret_name, ret_len);
        case CAT_SUBCLASS:
        case CAT_PROG_IF:
                block = find_block(&ids->classes, id1);
                return block && scan_block(ids, block, 2, id2, cat == CAT_PROG_IF ? 2 : 0, false,
                                           id3, ret_name, ret_len);
        }
        return false;
}

/* The name of one entry, or NULL (an entry named "" counts as none, as in libpci). */
static const char *entry_lookup(struct pci_ids *ids, enum ids_category cat, uint32_t id1,
                                uint32_t id2, uint32_t id3, uint32_t id4, size_t *ret_len)
{
        uint32_t key_high = (uint32_t)cat << 16 | id1, key_low = id2 << 16 | id3;
        struct ids_cache_slot *slot = NULL;
        uint32_t name = 0, len = 0;
        bool found;

        if (!ids->cache)
                ids->cache = calloc(CACHE_SLOTS, sizeof(*ids->cache));
        if (ids->cache) {
                /* Multiplicative hashing: the top bits of the product mix all of the key. */
                uint32_t hash = (key_high ^ (key_low * 0x85ebca6bu) ^ (id4 * 0xc2b2ae35u)) *
                                0x9e3779b1u;

                slot = &ids->cache[hash >> (32 - CACHE_BITS)];
                if (slot->used && slot->key_high == key_high && slot->key_low == key_low &&
                    slot->key_last == id4) {
                        *ret_len = slot->name_len;
                        return slot->found ? ids->map + slot->name : NULL;
                }
        }
        found = entry_lookup_uncached(ids, cat, id1, id2, id3, id4, &name, &len);
        if (slot)
                *slot = (struct ids_cache_slot){
                        .key_high = key_high,
                        .key_low = key_low,
                        .key_last = (uint16_t)id4,
                        .used = true,
                        .found = found,
                        .name = name,
                        .name_len = len,
                };
        *ret_len = len;
        return found ? ids->map + name : NULL;
}

/* libpci's subsystem rule: the device's own subsystem entry, a generic subsystem entry, or the
 * device's name when the subsystem IDs are the device's IDs. */
static const char *subsystem_lookup(struct pci_ids *ids, const struct pci_name_ids *id,
                                    size_t *ret_len)
{
        const char *name = NULL;

        if (id->vendor > 0 && id->device > 0)
                name = entry_lookup(ids, CAT_SUBSYSTEM, id->vendor, id->device,
                                    id->subsystem_vendor, id->subsystem, ret_len);
        if (!name)
                name = entry_lookup(ids, CAT_GENERIC_SUBSYSTEM, id->subsystem_vendor,
                                    id->subsystem, 0, 0, ret_len);
        if (!name && id->vendor == id->subsystem_vendor && id->device == id->subsystem)
                name = entry_lookup(ids, CAT_DEVICE, id->vendor, id->device, 0, 0, ret_len);
        return name;
}

/* libpci's format_name: a name cut to fit ends in "...". */
static int format_name(char *buf, size_t size, const char *format, ...)
        __attribute__((format(printf, 3, 4)));
static int format_name(char *buf, size_t size, const char *format, ...)
{
        va_list args;
        int n;

        va_start(args, format);
        n = vsnprintf(buf, size, format, args);
        va_end(args);
        if (n < 0)
                return -ENOENT;
        if ((size_t)n >= size) {
                if (size < 4)
                        return -ENOENT;
                buf[size - 2] = buf[size - 3] = buf[size - 4] = '.';
                return (int)strlen(buf);
        }
        return n;
}

int pci_ids_lookup(struct pci_ids *ids, enum pci_name_kind kind, const struct pci_name_ids *id,
                   char *buf, size_t size)
{
        const char *name = NULL;
        size_t len = 0;

        if (!ids || !buf || size == 0 || size > 4096)
                return -EINVAL;
        switch (kind) {
        case PCI_NAME_VENDOR:
                name = entry_lookup(ids, CAT_VENDOR, id->vendor, 0, 0, 0, &len);
                break;
        case PCI_NAME_DEVICE:
                name = entry_lookup(ids, CAT_DEVICE, id->vendor, id->device, 0, 0, &len);
                break;
        case PCI_NAME_SUBSYSTEM_VENDOR:
                name = entry_lookup(ids, CAT_VENDOR, id->subsystem_vendor, 0, 0, 0, &len);
                break;
        case PCI_NAME_SUBSYSTEM:
                name = subsystem_lookup(ids, id, &len);
                break;
        case PCI_NAME_CLASS:
                name = entry_lookup(ids, CAT_SUBCLASS, id->class_code, id->subclass_code, 0, 0,
                                    &len);
                if (name)
                        break;
                /* No sub-class name: the base class's, with the full code. */
                name = entry_lookup(ids, CAT_CLASS, id->class_code, 0, 0, 0, &len);
                if (!name)
                        return -ENOENT;
                return format_name(buf, size, "%.*s [%02x%02x]", (int)len, name, id->class_code,
                                   id->subclass_code);
        case PCI_NAME_PROG_IF:
                name = entry_lookup(ids, CAT_PROG_IF, id->class_code, id->subclass_code,
                                    id->prog_if, 0, &len);
                if (!name && id->class_code == 0x01 && id->subclass_code == 0x01 &&
                    !(id->prog_if & 0x70)) {
                        /* IDE controllers: libpci spells the interface out from its bits. */
                        const uint8_t p = id->prog_if;
                        char flags[32];

                        snprintf(flags, sizeof(flags), "%s%s%s%s%s", p & 0x80 ? " Master" : "",
                                 p & 0x08 ? " SecP" : "", p & 0x04 ? " SecO" : "",
                                 p & 0x02 ? " PriP" : "", p & 0x01 ? " PriO" : "");
                        return format_name(buf, size, "%s", flags[0] ? flags + 1 : flags);
                }
                break;
        }
        if (!name)
                return -ENOENT;
        /* The plain name, copied (vsnprintf cost 1,000 instructions a lookup). */
        if (len < size) {
                memcpy(buf, name, len);
                buf[len] = '\0';
                return (int)len;
        }
        return format_name(buf, size, "%.*s", (int)len, name);
}
