/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sysroot-open.h"

int sysroot_open(int sysroot_fd, const char *rel, int flags)
{
#ifdef SYS_openat2
        struct open_how how = {
                .flags = (unsigned)flags,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int)syscall(SYS_openat2, sysroot_fd, rel, &how, sizeof(how));

        if (fd >= 0 || errno != ENOSYS)
                return fd;
#endif
        return openat(sysroot_fd, rel, flags);
}
