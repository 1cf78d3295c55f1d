/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsensors reads a hard-coded /sys: its tests run under umockdev's preload. A test program
 * calls umockdev_rerun() first thing: in the parent it runs the same program again under the
 * preload (or under umockdev-run for a .umockdev description) and returns its exit status; in
 * that child it returns -1 and the program goes on with its tests.
 */
#pragma once

/* tree: the UMOCKDEV_DIR (its sys/ a real directory), or NULL with umockdev_file set. */
int umockdev_rerun(char **argv, const char *tree, const char *umockdev_file);
