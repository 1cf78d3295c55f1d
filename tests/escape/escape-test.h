/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the escape and vanish tests share: the programs under test, trees to run them on, and the
 * environment of a traced program. */
#pragma once

#include <stdbool.h>

/* The hwglue command of this build (HWGLUE), or a failed check and NULL. Borrowed. */
const char *escape_test_hwglue(void);

/* A new tree made by bench/gen/sysfs-gen (HWGLUE_SYSFS_GEN) in a fresh temporary directory:
 * `sysfs-gen --seed 1 KIND N DIR`. Owned path, or NULL with a message. */
char *escape_test_generate_tree(const char *kind, unsigned n);
/* rm -rf it. */
void escape_test_remove_tree(const char *tree);

/* The environment of a program run under strace: the sanitizers told not to check for leaks
 * (LeakSanitizer cannot run under ptrace; the same calls run untraced elsewhere, with it) and,
 * with tree, umockdev's preload reading tree as "/". NULL-terminated, owned. */
char **escape_test_env(const char *tree);
void escape_test_env_free(char **env);
