/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The name of a partition type (lsblk's PARTTYPENAME): "Linux filesystem" for the GPT type
 * 0fc63daf-8483-4772-8e79-3d69d8477de4, "Linux" for the DOS type 0x83. libfdisk holds the
 * names util-linux gives them (the table lsblk prints from), so both tools say the same; a
 * context is made on first use in a call and holds no device. As lsblk, only DOS and GPT
 * tables have names. libfdisk itself is loaded the first time a name is wanted
 * (common/dlopen-lib.h).
 */
#include <errno.h>
#include <libfdisk/libfdisk.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"
#include "common/dlopen-lib.h"

#define FDISK_SYM(name) static __typeof__(name) *sym_##name
#define FDISK_SLOT(name) { #name, (void **)&sym_##name }
FDISK_SYM(fdisk_new_context);
FDISK_SYM(fdisk_unref_context);
FDISK_SYM(fdisk_get_label);
FDISK_SYM(fdisk_label_get_parttype_from_code);
FDISK_SYM(fdisk_label_get_parttype_from_string);
FDISK_SYM(fdisk_parttype_is_unknown);
FDISK_SYM(fdisk_parttype_get_name);

static const struct dlopen_symbol fdisk_symbols[] = {
        FDISK_SLOT(fdisk_new_context),
        FDISK_SLOT(fdisk_unref_context),
        FDISK_SLOT(fdisk_get_label),
        FDISK_SLOT(fdisk_label_get_parttype_from_code),
        FDISK_SLOT(fdisk_label_get_parttype_from_string),
        FDISK_SLOT(fdisk_parttype_is_unknown),
        FDISK_SLOT(fdisk_parttype_get_name),
};

static pthread_once_t fdisk_once = PTHREAD_ONCE_INIT;
static int fdisk_result;
static char fdisk_error[256];

static void load_fdisk(void)
{
        fdisk_result = dlopen_lib("libfdisk.so.1", fdisk_symbols,
                                  sizeof(fdisk_symbols) / sizeof(fdisk_symbols[0]), fdisk_error,
                                  sizeof(fdisk_error));
}

const char *block_partition_type_name(struct block_call *bc, const char *table_type,
                                      const char *type_id)
{
        struct fdisk_parttype *type = NULL;
        struct fdisk_label *label;

        if (!table_type || !type_id)
                return NULL;
        if (!bc->fdisk) {
                pthread_once(&fdisk_once, load_fdisk);
                if (fdisk_result < 0) {
                        if (!bc->fdisk_failed)
                                glue_call_log(bc->call, LOG_DEBUG, "no partition type names: %s",
                                              fdisk_error);
                        bc->fdisk_failed = true;
                        return NULL;
                }
                bc->fdisk = sym_fdisk_new_context();
                if (!bc->fdisk) {
                        glue_call_log(bc->call, LOG_DEBUG, "no libfdisk context: no partition "
                                      "type names");
                        return NULL;
                }
        }
        if (strcmp(table_type, "dos") == 0 || strcmp(table_type, "mbr") == 0) {
                unsigned long code;
                char *end;

                /* "0x83" as udev and libblkid write it, or "83" */
                errno = 0;
                code = strtoul(type_id, &end, 16);
                if (errno || end == type_id || *end || code > 0xff)
                        return NULL;
                label = sym_fdisk_get_label(bc->fdisk, "dos");
                if (label)
                        type = sym_fdisk_label_get_parttype_from_code(label, (unsigned)code);
        } else if (strcmp(table_type, "gpt") == 0) {
                label = sym_fdisk_get_label(bc->fdisk, "gpt");
                if (label)
                        type = sym_fdisk_label_get_parttype_from_string(label, type_id);
        }
        if (!type || sym_fdisk_parttype_is_unknown(type))
                return NULL;
        return sym_fdisk_parttype_get_name(type);
}

void block_partition_types_free(struct block_call *bc)
{
        if (bc->fdisk)
                sym_fdisk_unref_context(bc->fdisk);
        bc->fdisk = NULL;
}
