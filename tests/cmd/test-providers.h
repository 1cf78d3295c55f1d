/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Providers for the command's tests, over test-schema.mof: "cmdtest" (three disks, counting its
 * calls), "cmdslow" (one instance, then waits for the file named by $HWGLUE_TEST_GATE),
 * "cmdfail" (one instance, then -EIO), "cmdhang" (posts nothing until the deadline),
 * "cmdmany" (instances until the caller stops), "cmdfifo" (one instance, then blocks in a read
 * of the FIFO $HWGLUE_TEST_FIFO for ever), "cmdtimeleft" (one instance with the time its call
 * had left), "cmdsleepy" (works until $HWGLUE_TEST_LEAVE_MS before its deadline, then posts
 * one instance), "cmdunreadable" (one instance and four files it could not read) and "cmdempty"
 * (nothing, with a warning that says why).
 */
#pragma once

#include <stdatomic.h>

#include "libglue.h"

struct test_counters {
        atomic_uint enumerate_calls;
        atomic_uint get_calls;
        atomic_uint serial_reads; /* the Expensive property */
};

extern struct test_counters test_counters;

/* An empty context with test-schema.mof (from $HWGLUE_SOURCE_DIR) and the test providers. */
int test_context_new(struct glue_context **ret);
