/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which sensors.conf statements may touch a chip's feature, read apart from libsensors, which
 * keeps its parsed configuration to itself.
 *
 * A value that no `compute` statement touches is the attribute's number in the kernel's units,
 * a label that no `label` statement names is the chip's own `<feature>_label` file, and a chip
 * that no `ignore` statement touches has every feature that its files make: the provider reads
 * those itself and goes through libsensors only where a statement may apply.
 * This reading errs in one direction only: a statement it cannot place (a chip statement that
 * does not parse, a feature name that is not a plain name) is taken to apply to every chip or
 * every feature, and so does a file it could not read. A "no" is certain; a "maybe" costs a
 * libsensors call.
 *
 * A configuration in which every statement parses as libsensors' grammar (lib/conf-parse.y)
 * takes it, with chip names that give no bus number (libsensors renumbers those by its `bus`
 * statements), is read exactly: the label, ignore and compute statements that apply to a
 * feature are the very ones libsensors applies, and the provider applies them itself. One
 * with an error anywhere, or a statement before a file's first chip statement, is not: there
 * libsensors decides, and says what it made of the errors.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <sensors/sensors.h>

struct sensors_config;
struct sensors_expr;

/* An empty configuration: nothing applies. Returns 0 or -ENOMEM. */
int sensors_config_new(struct sensors_config **ret);
void sensors_config_free(struct sensors_config *config);

/*
 * Add the statements of one file (name for messages), as libsensors' scanner (lib/conf-lex.l)
 * splits it into statements. Each file starts outside any chip block. Returns 0 or -ENOMEM;
 * text that does not parse is not an error here (see above).
 */
int sensors_config_add_text(struct sensors_config *config, const char *name, const char *text,
                            size_t len);
/* Is every statement read as libsensors reads it (see above)? The first one that is not, as
 * "FILE:LINE: what", is kept for messages (borrowed, NULL if exact). */
bool sensors_config_is_exact(const struct sensors_config *config);
const char *sensors_config_inexact_where(const struct sensors_config *config);
/* The most configuration text read from one file (16 MiB); more is not a configuration. */
#define SENSORS_CONFIG_TEXT_MAX (16u << 20)

/* Read fd to its end into an owned buffer (not NUL-terminated): 0, -EFBIG past `max` bytes,
 * -ENOMEM or a read error. Blocking reads: a pipe (a shell's <(...)) is read whole. */
int sensors_config_read_fd(int fd, size_t max, char **ret_text, size_t *ret_len);

/* A file libsensors read that this reader could not: from now on everything may apply. */
void sensors_config_add_unknown(struct sensors_config *config);

/* The files libsensors' sensors_init(NULL) reads, in its order: /etc/sensors3.conf (or, if that
 * does not exist, /etc/sensors.conf), then the files of /etc/sensors.d. Returns 0 or -ENOMEM;
 * a file that cannot be read makes everything apply. */
int sensors_config_add_default_files(struct sensors_config *config);

/* The statements that may apply to one chip: the blocks whose chip names may match it. */
#define SENSORS_CONFIG_VIEW_MAX 8
struct sensors_config_view {
        bool everything;        /* any statement may apply to any feature */
        /* the answers below are libsensors' own: every statement was read as it reads them */
        bool exact;
        size_t n_blocks;
        const struct sensors_config_block *blocks[SENSORS_CONFIG_VIEW_MAX];
};

/* config may be NULL (no configuration). The view borrows from config. */
void sensors_config_view_init(struct sensors_config_view *view,
                              const struct sensors_config *config, const sensors_chip_name *chip);
enum sensors_statement {
        SENSORS_STATEMENT_COMPUTE,
        SENSORS_STATEMENT_LABEL,
        SENSORS_STATEMENT_IGNORE,
};

/* May a statement of that kind apply to the feature (NULL: to any feature of the chip)? */
bool sensors_config_view_may(const struct sensors_config_view *view,
                             enum sensors_statement kind, const char *feature);

/*
 * With an exact view, what libsensors does with the feature: the label text of the label
 * statement that applies (borrowed, or NULL: none), whether an ignore statement drops it, the
 * compute statement's expression that converts its values (borrowed, or NULL: none). Without
 * an exact view these mean nothing: ask libsensors where sensors_config_view_may() says so.
 */
const char *sensors_config_view_label(const struct sensors_config_view *view, const char *feature);
bool sensors_config_view_ignores(const struct sensors_config_view *view, const char *feature);
const struct sensors_expr *sensors_config_view_compute(const struct sensors_config_view *view,
                                                       const char *feature);
