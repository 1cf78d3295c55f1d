/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Return codes, and the WBEM/MI codes a WMI user knows them by (the table is in libglue.h). */
#include <errno.h>
#include <string.h>

#include "glue-private.h"

struct error_entry {
        int err;
        const char *text;
        const char *wbem_name;
        uint32_t wbem;
        unsigned mi;
};

static const struct error_entry errors[] = {
        { 0, "success", "WBEM_S_NO_ERROR", 0x00000000u, 0 },
        { -ENOENT, "not found", "WBEM_E_NOT_FOUND", 0x80041002u, 6 },
        { -ESRCH, "invalid class", "WBEM_E_INVALID_CLASS", 0x80041010u, 5 },
        { -ENXIO, "invalid namespace", "WBEM_E_INVALID_NAMESPACE", 0x8004100Eu, 3 },
        { -EBADMSG, "invalid query", "WBEM_E_INVALID_QUERY", 0x80041017u, 15 },
        { -ENOEXEC, "invalid MOF syntax", "WBEM_E_INVALID_SYNTAX", 0x80041021u, 1 },
        { -EILSEQ, "invalid object path", "WBEM_E_INVALID_OBJECT_PATH", 0x8004103Au, 4 },
        { -EINVAL, "invalid parameter", "WBEM_E_INVALID_PARAMETER", 0x80041008u, 4 },
        { -EPROTO, "type mismatch", "WBEM_E_TYPE_MISMATCH", 0x80041005u, 13 },
        { -ERANGE, "value out of range for its type", "WBEM_E_TYPE_MISMATCH", 0x80041005u, 13 },
        { -ENODATA, "property is NULL", "WBEM_E_NOT_AVAILABLE", 0x80041009u, 6 },
        { -EEXIST, "already exists", "WBEM_E_ALREADY_EXISTS", 0x80041019u, 11 },
        { -EOPNOTSUPP, "provider not capable", "WBEM_E_PROVIDER_NOT_CAPABLE", 0x80041024u, 7 },
        { -ENOPKG, "provider not found", "WBEM_E_PROVIDER_NOT_FOUND", 0x80041011u, 7 },
        { -ECANCELED, "call cancelled", "WBEM_E_CALL_CANCELLED", 0x80041032u, 1 },
        { -EBUSY, "provider busy: earlier requests are stuck in it", "WBEM_E_SERVER_TOO_BUSY", 0x80041045u, 1 },
        { -ETIMEDOUT, "timed out", "WBEM_E_TIMED_OUT", 0x80043001u, 1 },
        { -ENOMEM, "out of memory", "WBEM_E_OUT_OF_MEMORY", 0x80041006u, 27 },
        { -EACCES, "access denied", "WBEM_E_ACCESS_DENIED", 0x80041003u, 2 },
        { -EPERM, "access denied", "WBEM_E_ACCESS_DENIED", 0x80041003u, 2 },
};

/* Any other errno is a provider failure. */
static const struct error_entry provider_failure = {
        -EIO, NULL, "WBEM_E_PROVIDER_FAILURE", 0x80041004u, 1
};

static const struct error_entry *error_find(int err)
{
        for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
                if (errors[i].err == err)
                        return &errors[i];
        return &provider_failure;
}

GLUE_EXPORT const char *glue_strerror(int err)
{
        const struct error_entry *e = error_find(err);

        if (e->text)
                return e->text;
        /* strerror() is not thread-safe in general, but glibc's table strings are static. */
        return err < 0 ? strerrordesc_np(-err) ? strerrordesc_np(-err) : "unknown error"
                       : "unknown error";
}

GLUE_EXPORT const char *glue_wbem_name(int err)
{
        return error_find(err)->wbem_name;
}

GLUE_EXPORT uint32_t glue_wbem_code(int err)
{
        return error_find(err)->wbem;
}

GLUE_EXPORT unsigned glue_mi_code(int err)
{
        return error_find(err)->mi;
}
