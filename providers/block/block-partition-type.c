/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The name of a partition type (lsblk's PARTTYPENAME): "Linux filesystem" for the GPT type
 * 0fc63daf-8483-4772-8e79-3d69d8477de4, "Linux" for the DOS type 0x83. libfdisk holds the
 * names util-linux gives them (the table lsblk prints from), so both tools say the same; a
 * context is made on first use in a call and holds no device. As lsblk, only DOS and GPT
 * tables have names.
 */
#include <errno.h>
#include <libfdisk/libfdisk.h>
#include <stdlib.h>
#include <string.h>

#include "block.h"

const char *block_partition_type_name(struct block_call *bc, const char *table_type,
                                      const char *type_id)
{
        struct fdisk_parttype *type = NULL;
        struct fdisk_label *label;

        if (!table_type || !type_id)
                return NULL;
        if (!bc->fdisk) {
                bc->fdisk = fdisk_new_context();
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
                label = fdisk_get_label(bc->fdisk, "dos");
                if (label)
                        type = fdisk_label_get_parttype_from_code(label, (unsigned)code);
        } else if (strcmp(table_type, "gpt") == 0) {
                label = fdisk_get_label(bc->fdisk, "gpt");
                if (label)
                        type = fdisk_label_get_parttype_from_string(label, type_id);
        }
        if (!type || fdisk_parttype_is_unknown(type))
                return NULL;
        return fdisk_parttype_get_name(type);
}

void block_partition_types_free(struct block_call *bc)
{
        if (bc->fdisk)
                fdisk_unref_context(bc->fdisk);
        bc->fdisk = NULL;
}
