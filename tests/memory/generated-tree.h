/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A synthetic sysfs tree made by bench/gen/sysfs-gen (its path in the environment variable
 * SYSFS_GEN) in a new temporary folder, for tests that need the same small machine every time.
 */
#pragma once

/* `sysfs-gen --seed SEED KIND COUNT DIR` into a new folder; its path (owned), or NULL after
 * printing why. */
char *generated_tree_new(const char *kind, unsigned count, unsigned seed);
/* Removes the folder and frees the path; NULL is a no-op. */
void generated_tree_remove(char *root);
