/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One round of the vanish tests: enumerate CIM_LogicalDevice once as a baseline, then again,
 * removing devices from inside the caller's function after the first few instances (while the
 * providers read on in their threads, ahead of the caller by up to the queue's 64 instances), and
 * check what came:
 *  - the request succeeds (0), every provider finished without error or warning;
 *  - every instance delivered is complete: equal, property by property, to its baseline (a
 *    device read before its removal began), never a mix of values and NULLs;
 *  - no instance comes twice; every device that was not removed comes;
 *  - remaining <= delivered <= initial;
 *  - each "vanished" note in the log names a removed device.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "libglue.h"

/* The devices to remove, as the program sees their sysfs directories ("/sys/devices/..."); an
 * instance is removed when its HwmonPath (sensors) or else its SysfsPath lies in one. */
struct removal {
        char **dirs;
        size_t n;
};

void removal_add(struct removal *removal, const char *dir);
void removal_clear(struct removal *removal);

struct vanish_round {
        struct glue_context *ctx;
        /* Remove the devices after this many instances were delivered. */
        size_t trigger_after;
        /* Pick the devices to remove from the baseline (their directories into *removal). */
        void (*choose)(struct glue_instance *const *baseline, size_t n, struct removal *removal,
                       void *userdata);
        /* Remove them, the way the kernel does: links before files, children first. */
        void (*remove)(const struct removal *removal, void *userdata);
        void *userdata;
};

/* A context with the built-in providers, its log kept for the checks (every priority). */
struct glue_context *vanish_context_new(const char *sysroot);
/* Run one round and check it; failures count in test_failures. */
void vanish_round_run(const struct vanish_round *round, const char *what);

/* The baseline instance's directory (HwmonPath, else SysfsPath), or NULL. Borrowed. */
const char *vanish_instance_dir(const struct glue_instance *inst);
