/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where the bytes go: standard output, or the file of --output-file, written under a temporary
 * name beside it and renamed over it at the end, so that a reader sees the old file or the new
 * one, never a part. Each write(2) is ours (a stdio cookie stream), so that the error a write
 * fails with is known exactly (ENOSPC, EDQUOT, EPIPE...), not guessed from ferror() later.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

struct sink;

/* Open the sink: path NULL for standard output. *ret_f is the stream to write (owned by the
 * sink). Returns 0 or a negative errno (the temporary file could not be made: EACCES, EROFS,
 * ENAMETOOLONG, ENOENT...). */
int sink_open(const char *path, struct sink **ret, FILE **ret_f);
/* The errno of the first write that failed, 0 if none has. */
int sink_get_error(const struct sink *sink);
/* Standard output on a terminal: the table may fit its width. */
bool sink_is_terminal(const struct sink *sink);
/* For messages: "FILE" or "the output". Borrowed. */
const char *sink_get_name(const struct sink *sink);
/* End: flush; for a file, make it durable and put it in place when keep is true, or remove the
 * temporary and leave the old file as it was. Returns 0 or the negative errno of what failed
 * (then nothing replaced the old file). */
int sink_commit(struct sink *sink, bool keep);
/* Free; a file not committed leaves no temporary behind. NULL is a no-op. */
void sink_free(struct sink *sink);
