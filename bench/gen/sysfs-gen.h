/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sysfs-gen: writes synthetic sysfs trees in the kernel's layout, for the benchmarks.
 *
 * Every path below is relative to <out>/sys. Helpers never stop on an error: they remember the
 * first one in gen->error (a negative errno) and print it once, so that a run either makes the
 * whole tree or exits non-zero.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gen {
        int sys_fd;             /* <out>/sys */
        uint64_t rng;           /* xorshift64* state: the seed decides every serial and size */
        int error;
        unsigned bare_pci_next; /* next controller function from gen_bare_pci_function() */
};

int gen_open(struct gen *g, const char *out_dir, uint64_t seed);
void gen_close(struct gen *g);

uint64_t gen_random(struct gen *g);
/* A value in [lo, hi]. */
uint64_t gen_random_range(struct gen *g, uint64_t lo, uint64_t hi);

/* snprintf that ends the program on truncation: a path that does not fit is a generator bug. */
void gen_format(char *buf, size_t size, const char *format, ...)
        __attribute__((format(printf, 3, 4)));

/* mkdir -p below sys/. */
void gen_mkdir(struct gen *g, const char *path);
/* Write dir/name (the directory must exist) with printf-formatted text. */
void gen_attr(struct gen *g, const char *dir, const char *name, const char *format, ...)
        __attribute__((format(printf, 4, 5)));
void gen_attr_bytes(struct gen *g, const char *dir, const char *name, const void *data,
                    size_t len);
/* Make dir/name a symlink to target (both below sys/), relative the way the kernel writes them
 * ("../../devices/..."). */
void gen_link(struct gen *g, const char *dir, const char *name, const char *target);
/* A link named after target's last component in dir ("class/block" + ".../sda" -> class/block/sda). */
void gen_link_here(struct gen *g, const char *dir, const char *target);

/* The kernel's disk letters: 0 -> "a", 25 -> "z", 26 -> "aa" (sd_format_disk_name). */
void gen_disk_letters(unsigned index, char *buf, size_t size);

/*
 * A PCI function that carries a block or hwmon device (a disk controller, a GPU) but is not one
 * of the functions listed in bus/pci/devices: those belong to the "pci" kind, whose count must
 * stay N. They sit under host bridges pci0000:80 and up, with IDs, class, uevent and subsystem.
 * Writes the function's path into buf.
 */
void gen_bare_pci_function(struct gen *g, unsigned vendor, unsigned device, unsigned class_code,
                           const char *driver, char *buf, size_t size);

int gen_block(struct gen *g, unsigned count);
int gen_pci(struct gen *g, unsigned count);
int gen_hwmon(struct gen *g, unsigned chips);
