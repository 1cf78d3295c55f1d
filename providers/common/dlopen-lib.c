/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "dlopen-lib.h"

int dlopen_lib(const char *soname, const struct dlopen_symbol *symbols, size_t n, char *buf,
               size_t size)
{
        void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        const char *error;

        if (!handle) {
                error = dlerror();
                snprintf(buf, size, "%s", error ? error : soname);
                return -ELIBACC;
        }
        for (size_t i = 0; i < n; i++) {
                *symbols[i].slot = dlsym(handle, symbols[i].name);
                if (!*symbols[i].slot) {
                        error = dlerror();
                        snprintf(buf, size, "%s", error ? error : symbols[i].name);
                        for (size_t j = 0; j < n; j++)
                                *symbols[j].slot = NULL;
                        /* RTLD_NODELETE: the library stays, unused */
                        dlclose(handle);
                        return -ELIBACC;
                }
        }
        buf[0] = '\0';
        return 0;
}
