/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unnamed temporary files. The exposition format wants all series of a family together, and
 * series sorted by device; the providers deliver devices one at a time, each with a series in
 * many families. Rather than hold every instance until the end (196 MiB at 10,000 devices of
 * each kind), the text goes to files that nobody else sees: O_TMPFILE files vanish with their
 * last descriptor, so a process killed at any point leaves nothing of them behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"

FILE *export_spill_open(const char *dir, const char *name_prefix)
{
        char *name = NULL;
        FILE *f;
        int fd, saved;

        if (!dir) {
                dir = getenv("TMPDIR");
                if (!dir || *dir != '/')
                        dir = "/tmp";
        }
        fd = open(dir, O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
        /* File systems without O_TMPFILE say so in several ways. */
        if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
                if (asprintf(&name, "%s/%s%d-XXXXXX", dir, name_prefix ? name_prefix : ".hwglue-export.tmp-",
                             (int)getpid()) < 0) {
                        errno = ENOMEM;
                        return NULL;
                }
                fd = mkostemp(name, O_CLOEXEC);
                /* Named for an instant only: a writer killed in between leaves a temporary
                 * that the next run removes, as it removes its others. */
                if (fd >= 0)
                        (void)unlink(name);
                saved = errno;
                free(name);
                errno = saved;
        }
        if (fd < 0)
                return NULL;
        f = fdopen(fd, "w+");
        if (!f) {
                saved = errno;
                close(fd);
                errno = saved;
        }
        return f;
}
