/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sensors-listing.h"

/* libsensors takes channels below this and drops the rest. */
#define CHANNEL_MAX 1024

struct subfeature_name {
        const char *suffix;
        sensors_subfeature_type type;
};

/* The subfeatures of <sensors/sensors.h>, by the suffix their files carry. */
static const struct subfeature_name temp_names[] = {
        { "input", SENSORS_SUBFEATURE_TEMP_INPUT },
        { "max", SENSORS_SUBFEATURE_TEMP_MAX },
        { "max_hyst", SENSORS_SUBFEATURE_TEMP_MAX_HYST },
        { "min", SENSORS_SUBFEATURE_TEMP_MIN },
        { "min_hyst", SENSORS_SUBFEATURE_TEMP_MIN_HYST },
        { "crit", SENSORS_SUBFEATURE_TEMP_CRIT },
        { "crit_hyst", SENSORS_SUBFEATURE_TEMP_CRIT_HYST },
        { "lcrit", SENSORS_SUBFEATURE_TEMP_LCRIT },
        { "lcrit_hyst", SENSORS_SUBFEATURE_TEMP_LCRIT_HYST },
        { "emergency", SENSORS_SUBFEATURE_TEMP_EMERGENCY },
        { "emergency_hyst", SENSORS_SUBFEATURE_TEMP_EMERGENCY_HYST },
        { "lowest", SENSORS_SUBFEATURE_TEMP_LOWEST },
        { "highest", SENSORS_SUBFEATURE_TEMP_HIGHEST },
        { "alarm", SENSORS_SUBFEATURE_TEMP_ALARM },
        { "min_alarm", SENSORS_SUBFEATURE_TEMP_MIN_ALARM },
        { "max_alarm", SENSORS_SUBFEATURE_TEMP_MAX_ALARM },
        { "crit_alarm", SENSORS_SUBFEATURE_TEMP_CRIT_ALARM },
        { "emergency_alarm", SENSORS_SUBFEATURE_TEMP_EMERGENCY_ALARM },
        { "lcrit_alarm", SENSORS_SUBFEATURE_TEMP_LCRIT_ALARM },
        { "fault", SENSORS_SUBFEATURE_TEMP_FAULT },
        { "type", SENSORS_SUBFEATURE_TEMP_TYPE },
        { "offset", SENSORS_SUBFEATURE_TEMP_OFFSET },
        { "beep", SENSORS_SUBFEATURE_TEMP_BEEP },
        { NULL, 0 },
};

static const struct subfeature_name in_names[] = {
        { "input", SENSORS_SUBFEATURE_IN_INPUT },
        { "min", SENSORS_SUBFEATURE_IN_MIN },
        { "max", SENSORS_SUBFEATURE_IN_MAX },
        { "lcrit", SENSORS_SUBFEATURE_IN_LCRIT },
        { "crit", SENSORS_SUBFEATURE_IN_CRIT },
        { "average", SENSORS_SUBFEATURE_IN_AVERAGE },
        { "lowest", SENSORS_SUBFEATURE_IN_LOWEST },
        { "highest", SENSORS_SUBFEATURE_IN_HIGHEST },
        { "alarm", SENSORS_SUBFEATURE_IN_ALARM },
        { "min_alarm", SENSORS_SUBFEATURE_IN_MIN_ALARM },
        { "max_alarm", SENSORS_SUBFEATURE_IN_MAX_ALARM },
        { "lcrit_alarm", SENSORS_SUBFEATURE_IN_LCRIT_ALARM },
        { "crit_alarm", SENSORS_SUBFEATURE_IN_CRIT_ALARM },
        { "beep", SENSORS_SUBFEATURE_IN_BEEP },
        { NULL, 0 },
};

static const struct subfeature_name fan_names[] = {
        { "input", SENSORS_SUBFEATURE_FAN_INPUT },
        { "min", SENSORS_SUBFEATURE_FAN_MIN },
        { "max", SENSORS_SUBFEATURE_FAN_MAX },
        { "div", SENSORS_SUBFEATURE_FAN_DIV },
        { "pulses", SENSORS_SUBFEATURE_FAN_PULSES },
        { "alarm", SENSORS_SUBFEATURE_FAN_ALARM },
        { "min_alarm", SENSORS_SUBFEATURE_FAN_MIN_ALARM },
        { "max_alarm", SENSORS_SUBFEATURE_FAN_MAX_ALARM },
        { "fault", SENSORS_SUBFEATURE_FAN_FAULT },
        { "beep", SENSORS_SUBFEATURE_FAN_BEEP },
        { NULL, 0 },
};

static const struct subfeature_name power_names[] = {
        { "average", SENSORS_SUBFEATURE_POWER_AVERAGE },
        { "average_highest", SENSORS_SUBFEATURE_POWER_AVERAGE_HIGHEST },
        { "average_lowest", SENSORS_SUBFEATURE_POWER_AVERAGE_LOWEST },
        { "input", SENSORS_SUBFEATURE_POWER_INPUT },
        { "input_highest", SENSORS_SUBFEATURE_POWER_INPUT_HIGHEST },
        { "input_lowest", SENSORS_SUBFEATURE_POWER_INPUT_LOWEST },
        { "cap", SENSORS_SUBFEATURE_POWER_CAP },
        { "cap_hyst", SENSORS_SUBFEATURE_POWER_CAP_HYST },
        { "cap_alarm", SENSORS_SUBFEATURE_POWER_CAP_ALARM },
        { "alarm", SENSORS_SUBFEATURE_POWER_ALARM },
        { "max", SENSORS_SUBFEATURE_POWER_MAX },
        { "min", SENSORS_SUBFEATURE_POWER_MIN },
        { "min_alarm", SENSORS_SUBFEATURE_POWER_MIN_ALARM },
        { "max_alarm", SENSORS_SUBFEATURE_POWER_MAX_ALARM },
        { "crit", SENSORS_SUBFEATURE_POWER_CRIT },
        { "lcrit", SENSORS_SUBFEATURE_POWER_LCRIT },
        { "crit_alarm", SENSORS_SUBFEATURE_POWER_CRIT_ALARM },
        { "lcrit_alarm", SENSORS_SUBFEATURE_POWER_LCRIT_ALARM },
        { "average_interval", SENSORS_SUBFEATURE_POWER_AVERAGE_INTERVAL },
        { NULL, 0 },
};

static const struct subfeature_name curr_names[] = {
        { "input", SENSORS_SUBFEATURE_CURR_INPUT },
        { "min", SENSORS_SUBFEATURE_CURR_MIN },
        { "max", SENSORS_SUBFEATURE_CURR_MAX },
        { "lcrit", SENSORS_SUBFEATURE_CURR_LCRIT },
        { "crit", SENSORS_SUBFEATURE_CURR_CRIT },
        { "average", SENSORS_SUBFEATURE_CURR_AVERAGE },
        { "lowest", SENSORS_SUBFEATURE_CURR_LOWEST },
        { "highest", SENSORS_SUBFEATURE_CURR_HIGHEST },
        { "alarm", SENSORS_SUBFEATURE_CURR_ALARM },
        { "min_alarm", SENSORS_SUBFEATURE_CURR_MIN_ALARM },
        { "max_alarm", SENSORS_SUBFEATURE_CURR_MAX_ALARM },
        { "lcrit_alarm", SENSORS_SUBFEATURE_CURR_LCRIT_ALARM },
        { "crit_alarm", SENSORS_SUBFEATURE_CURR_CRIT_ALARM },
        { "beep", SENSORS_SUBFEATURE_CURR_BEEP },
        { NULL, 0 },
};

static const struct subfeature_name energy_names[] = {
        { "input", SENSORS_SUBFEATURE_ENERGY_INPUT },
        { NULL, 0 },
};

static const struct subfeature_name humidity_names[] = {
        { "input", SENSORS_SUBFEATURE_HUMIDITY_INPUT },
        { NULL, 0 },
};

static const struct subfeature_name cpu_names[] = {
        { "vid", SENSORS_SUBFEATURE_VID },
        { NULL, 0 },
};

static const struct subfeature_name intrusion_names[] = {
        { "alarm", SENSORS_SUBFEATURE_INTRUSION_ALARM },
        { "beep", SENSORS_SUBFEATURE_INTRUSION_BEEP },
        { NULL, 0 },
};

/* In the order libsensors tries them: the first whose prefix and channel number scan wins
 * ("intrusion0_alarm" fails "in%d" at the 't' and goes on). */
static const struct {
        const char *prefix;
        const struct subfeature_name *names;
} kinds[] = {
        { "temp", temp_names },
        { "in", in_names },
        { "fan", fan_names },
        { "cpu", cpu_names },
        { "power", power_names },
        { "curr", curr_names },
        { "energy", energy_names },
        { "intrusion", intrusion_names },
        { "humidity", humidity_names },
};

/* sscanf(name, "<prefix>%d%c") with the kind's prefix: for names off the fast path, whatever
 * scanf makes of them (blanks, a sign, a number too long for an int). */
static int scan_slowly(const char *name, size_t kind, int *nr, char *c)
{
        switch (kind) {
        case 0: return sscanf(name, "temp%d%c", nr, c);
        case 1: return sscanf(name, "in%d%c", nr, c);
        case 2: return sscanf(name, "fan%d%c", nr, c);
        case 3: return sscanf(name, "cpu%d%c", nr, c);
        case 4: return sscanf(name, "power%d%c", nr, c);
        case 5: return sscanf(name, "curr%d%c", nr, c);
        case 6: return sscanf(name, "energy%d%c", nr, c);
        case 7: return sscanf(name, "intrusion%d%c", nr, c);
        default: return sscanf(name, "humidity%d%c", nr, c);
        }
}

/* What sscanf(name, "<prefix>%d%c", &nr, &c) returns for the kind, with the fast path for
 * names whose number is plain digits: 2 with nr and c set, or less. */
static int scan_channel(const char *name, size_t kind, int *nr, char *c)
{
        size_t len = strlen(kinds[kind].prefix), digits = 0;
        const char *p;
        int value = 0;

        if (strncmp(name, kinds[kind].prefix, len) != 0)
                return 0;       /* a mismatch, or a name that ends inside the prefix: no number */
        p = name + len;
        while (isdigit((unsigned char)p[digits]) && digits < 10)
                digits++;
        if (digits == 0 || digits == 10)
                /* blanks or a sign before the number, a letter (0 conversions), or a number
                 * that may overflow: scanf's own rules */
                return scan_slowly(name, kind, nr, c);
        for (size_t i = 0; i < digits; i++)
                value = value * 10 + (p[i] - '0');
        *nr = value;
        if (p[digits] == '\0')
                return 1;
        *c = p[digits];
        return 2;
}

sensors_subfeature_type sensors_listing_subfeature_type(const char *name, int *ret_channel)
{
        const struct subfeature_name *names;
        const char *suffix;
        size_t kind;
        int count = 0, nr = 0;
        char c = 0;

        if (strcmp(name, "beep_enable") == 0) {
                *ret_channel = 0;
                return SENSORS_SUBFEATURE_BEEP_ENABLE;
        }
        for (kind = 0; kind < sizeof(kinds) / sizeof(kinds[0]); kind++)
                if ((count = scan_channel(name, kind, &nr, &c)) != 0)
                        break;
        if (kind == sizeof(kinds) / sizeof(kinds[0]) || count != 2 || c != '_')
                return SENSORS_SUBFEATURE_UNKNOWN;
        /* the suffix is what follows the first '_' after the third byte */
        suffix = strchr(name + 3, '_');
        if (!suffix)
                return SENSORS_SUBFEATURE_UNKNOWN;
        suffix++;
        for (names = kinds[kind].names; names->suffix; names++)
                if (strcmp(suffix, names->suffix) == 0)
                        break;
        if (!names->suffix)
                return SENSORS_SUBFEATURE_UNKNOWN;
        /* channels count from 1 in the file names but for in, cpu and intrusion */
        switch ((sensors_feature_type)(names->type >> 8)) {
        case SENSORS_FEATURE_FAN:
        case SENSORS_FEATURE_TEMP:
        case SENSORS_FEATURE_POWER:
        case SENSORS_FEATURE_ENERGY:
        case SENSORS_FEATURE_CURR:
        case SENSORS_FEATURE_HUMIDITY:
                nr--;
                break;
        default:
                break;
        }
        *ret_channel = nr;
        return names->type;
}

struct listing_entry {
        uint32_t key;           /* kind, channel, type: the order libsensors lists them in */
        sensors_subfeature_type type;
        size_t name;            /* offset into names */
};

/* p with room for need elements of size bytes, or NULL (p is kept then). */
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

static int add_entry(struct sensors_listing *l, const char *name, sensors_subfeature_type type,
                     int channel)
{
        size_t len = strlen(name) + 1;
        void *more;

        more = grow(l->names, &l->names_allocated, l->names_len + len, 1);
        if (!more)
                return -ENOMEM;
        l->names = more;
        more = grow(l->entries, &l->entries_allocated, l->n_entries + 1, sizeof(*l->entries));
        if (!more)
                return -ENOMEM;
        l->entries = more;
        memcpy(l->names + l->names_len, name, len);
        l->entries[l->n_entries++] = (struct listing_entry){
                .key = ((uint32_t)(type >> 8) << 18) | ((uint32_t)channel << 8) | (type & 0xff),
                .type = type,
                .name = l->names_len,
        };
        l->names_len += len;
        return 0;
}

/* Stable, so that of two files for one slot the first in the directory's order comes first;
 * a directory holds a few dozen. */
static void sort_entries(struct sensors_listing *l)
{
        for (size_t i = 1; i < l->n_entries; i++) {
                struct listing_entry e = l->entries[i];
                size_t j = i;

                while (j > 0 && l->entries[j - 1].key > e.key) {
                        l->entries[j] = l->entries[j - 1];
                        j--;
                }
                l->entries[j] = e;
        }
}

/* struct linux_dirent64, as getdents64() writes them */
struct dirent64_record {
        uint64_t ino;
        int64_t off;
        unsigned short reclen;
        unsigned char type;
        char name[];
};

/* One entry: a subfeature, or a file passed over. */
/* "<feature>_label", of any type: libsensors' sensors_get_label() opens it whatever it is. */
static int note_label(struct sensors_listing *l, const char *name)
{
        size_t len = strlen(name);
        void *more;

        if (len <= 6 || strcmp(name + len - 6, "_label") != 0)
                return 0;
        len -= 6;
        more = grow(l->labels, &l->labels_allocated, l->labels_len + len + 1, 1);
        if (!more)
                return -ENOMEM;
        l->labels = more;
        memcpy(l->labels + l->labels_len, name, len);
        l->labels[l->labels_len + len] = '\0';
        l->labels_len += len + 1;
        return 0;
}

static int take_entry(struct sensors_listing *l, const char *name, unsigned char type,
                      sensors_listing_note_fn note, void *userdata)
{
        sensors_subfeature_type sftype;
        int channel, r;

        r = note_label(l, name);
        if (r < 0)
                return r;

        /* regular files only, by the directory's word (DT_UNKNOWN is not one) */
        if (type != DT_REG && !(note && (type == DT_FIFO || type == DT_CHR || type == DT_BLK ||
                                         type == DT_SOCK)))
                return 0;
        sftype = sensors_listing_subfeature_type(name, &channel);
        if (sftype == SENSORS_SUBFEATURE_UNKNOWN || channel < 0 || channel >= CHANNEL_MAX)
                return 0;
        if (type != DT_REG) {
                note(userdata, name, type == DT_FIFO ? -EAGAIN : -ENXIO);
                return 0;
        }
        return add_entry(l, name, sftype, channel);
}

/* The directory's entries in its own order, read with getdents64() into a buffer the listing
 * keeps: no DIR (and its 32 KiB buffer) per chip. */
static int read_entries(struct sensors_listing *l, int dirfd, sensors_listing_note_fn note,
                        void *userdata)
{
        int fd, r = 0;

        l->n_entries = l->names_len = l->labels_len = 0;
        if (!l->dents) {
                l->dents = malloc(SENSORS_LISTING_DENTS_SIZE);
                if (!l->dents)
                        return -ENOMEM;
        }
        fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        for (;;) {
                ssize_t n = getdents64(fd, l->dents, SENSORS_LISTING_DENTS_SIZE);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        r = n < 0 ? -errno : 0;
                        break;
                }
                for (ssize_t off = 0; off < n && r == 0;) {
                        const struct dirent64_record *d =
                                (const struct dirent64_record *)(l->dents + off);

                        r = take_entry(l, d->name, d->type, note, userdata);
                        off += d->reclen;
                }
                if (r < 0)
                        break;
        }
        close(fd);
        return r;
}

/* The name of the feature whose first subfeature is sub_name: up to the first '_', or all of it
 * for cpu0_vid and beep_enable. Written into names after the subfeature names. */
static int add_feature_name(struct sensors_listing *l, sensors_feature_type type,
                            size_t sub_name, size_t *ret_offset)
{
        const char *underscore = strchr(l->names + sub_name, '_');
        size_t len = strlen(l->names + sub_name);
        void *more;

        if (type != SENSORS_FEATURE_VID && type != SENSORS_FEATURE_BEEP_ENABLE && underscore)
                len = (size_t)(underscore - (l->names + sub_name));
        more = grow(l->names, &l->names_allocated, l->names_len + len + 1, 1);
        if (!more)
                return -ENOMEM;
        l->names = more;
        memmove(l->names + l->names_len, l->names + sub_name, len);
        l->names[l->names_len + len] = '\0';
        *ret_offset = l->names_len;
        l->names_len += len + 1;
        return 0;
}

static int build(struct sensors_listing *l)
{
        size_t n_subs = 0, n_features = 0, *feature_names;
        uint32_t last_slot = UINT32_MAX;
        void *more;
        int r = 0;

        /* drop the second file of a slot (the first came first in the directory) */
        for (size_t i = 0; i < l->n_entries; i++)
                if (n_subs == 0 || l->entries[n_subs - 1].key != l->entries[i].key)
                        l->entries[n_subs++] = l->entries[i];
        l->n_entries = n_subs;
        if (n_subs == 0)
                return 0;
        for (size_t i = 0; i < n_subs; i++)
                if ((l->entries[i].key >> 8) != last_slot) {
                        last_slot = l->entries[i].key >> 8;
                        n_features++;
                }
        if ((more = grow(l->subfeatures, &l->subfeatures_allocated, n_subs, sizeof(*l->subfeatures))))
                l->subfeatures = more;
        if (more && (more = grow(l->features, &l->features_allocated, n_features,
                                 sizeof(*l->features))))
                l->features = more;
        /* the pointer arrays and first[] follow the counts of the two above */
        if (more) {
                size_t allocated = l->features_allocated;

                more = realloc(l->feature_ptrs, allocated * sizeof(*l->feature_ptrs));
                if (more)
                        l->feature_ptrs = more;
                if (more && (more = realloc(l->first, (allocated + 1) * sizeof(*l->first))))
                        l->first = more;
                if (more && (more = realloc(l->subfeature_ptrs, l->subfeatures_allocated *
                                                                    sizeof(*l->subfeature_ptrs))))
                        l->subfeature_ptrs = more;
                if (more && (more = realloc(l->has_label, allocated * sizeof(*l->has_label))))
                        l->has_label = more;
        }
        feature_names = more ? calloc(n_features + 1, sizeof(*feature_names)) : NULL;
        if (!feature_names)
                return -ENOMEM;

        /* numbers in the listed order; names first as offsets, as names may move */
        last_slot = UINT32_MAX;
        n_features = 0;
        for (size_t i = 0; i < n_subs; i++) {
                const struct listing_entry *e = &l->entries[i];
                sensors_feature_type ftype = (sensors_feature_type)(e->type >> 8);
                sensors_subfeature *sub = &l->subfeatures[i];

                if ((e->key >> 8) != last_slot) {
                        last_slot = e->key >> 8;
                        r = add_feature_name(l, ftype, e->name, &feature_names[n_features]);
                        if (r < 0)
                                break;
                        l->features[n_features] = (sensors_feature){
                                .number = (int)n_features,
                                .type = ftype,
                                .first_subfeature = (int)i,
                        };
                        l->first[n_features] = i;
                        n_features++;
                }
                *sub = (sensors_subfeature){
                        .number = (int)i,
                        .type = e->type,
                        .mapping = (int)n_features - 1,
                };
                /* the readings and limits, not the flags and settings, go through compute */
                if (e->type < SENSORS_SUBFEATURE_VID && !(e->type & 0x80))
                        sub->flags |= SENSORS_COMPUTE_MAPPING;
        }
        if (r == 0) {
                for (size_t i = 0; i < n_subs; i++) {
                        l->subfeatures[i].name = l->names + l->entries[i].name;
                        l->subfeature_ptrs[i] = &l->subfeatures[i];
                }
                for (size_t i = 0; i < n_features; i++) {
                        l->features[i].name = l->names + feature_names[i];
                        l->feature_ptrs[i] = &l->features[i];
                        l->has_label[i] = false;
                        for (size_t off = 0; off < l->labels_len;
                             off += strlen(l->labels + off) + 1)
                                if (strcmp(l->labels + off, l->features[i].name) == 0)
                                        l->has_label[i] = true;
                }
                l->first[n_features] = n_subs;
                l->n_features = n_features;
                l->n_subfeatures = n_subs;
                l->layout = (struct sensors_layout){
                        .features = l->feature_ptrs,
                        .n_features = n_features,
                        .first = l->first,
                        .subs = l->subfeature_ptrs,
                };
        }
        free(feature_names);
        return r;
}

int sensors_listing_read(struct sensors_listing *listing, int dirfd,
                         sensors_listing_note_fn note, void *userdata)
{
        int r;

        listing->layout = (struct sensors_layout){ 0 };
        listing->n_features = listing->n_subfeatures = 0;
        r = read_entries(listing, dirfd, note, userdata);
        if (r < 0)
                return r;
        sort_entries(listing);
        r = build(listing);
        return r < 0 ? r : (int)listing->n_subfeatures;
}

void sensors_listing_free(struct sensors_listing *listing)
{
        free(listing->names);
        free(listing->entries);
        free(listing->features);
        free(listing->subfeatures);
        free(listing->feature_ptrs);
        free(listing->subfeature_ptrs);
        free(listing->first);
        free(listing->dents);
        free(listing->labels);
        free(listing->has_label);
        *listing = (struct sensors_listing){ 0 };
}

bool sensors_listing_has_label(const struct sensors_listing *listing,
                               const sensors_feature *feature)
{
        return feature->number < 0 || (size_t)feature->number >= listing->n_features ||
               listing->has_label[feature->number];
}
