/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "read-error-report.h"

void read_error_report_add(struct read_error_report *report, const struct glue_request *req)
{
        for (size_t i = 0; i < glue_request_get_read_error_count(req); i++) {
                struct glue_read_error e;
                struct read_error_cause *grown;
                bool merged = false;

                if (glue_request_get_read_error(req, i, &e) < 0)
                        continue;
                for (size_t k = 0; k < report->n && !merged; k++)
                        if (report->causes[k].error == e.error) {
                                report->causes[k].count += e.count;
                                merged = true;
                        }
                if (merged)
                        continue;
                grown = realloc(report->causes, (report->n + 1) * sizeof(*grown));
                if (!grown)
                        continue; /* out of memory: this cause goes unreported, nothing else */
                report->causes = grown;
                grown[report->n] = (struct read_error_cause){
                        .error = e.error,
                        .count = e.count,
                        .example = e.example ? strdup(e.example) : NULL,
                };
                report->n++;
        }
}

const char *read_error_cause_text(int error)
{
        switch (error) {
        case -EACCES: return "permission denied";
        case -EPERM: return "operation not permitted";
        case -EIO: return "I/O error";
        case -EAGAIN: return "would block (a FIFO, or a device not ready)";
        case -EINVAL: return "not what the kernel writes there";
        case -EFBIG: return "too large";
        case -ENODEV: return "no such device";
        case -ENXIO: return "no such device or address";
        case -ETIMEDOUT: return "timed out";
        case -EBUSY: return "device busy";
        case -ELOOP: return "a symbolic link loop";
        case -EISDIR: return "a directory";
        case -ENOTDIR: return "not a directory";
        case -ENODATA: return "no data";
        case -EOPNOTSUPP: return "not supported";
        default: return NULL;
        }
}

bool read_error_report_print(const struct read_error_report *report, struct output *out)
{
        uint64_t total = 0;

        for (size_t i = 0; i < report->n; i++) {
                const struct read_error_cause *c = &report->causes[i];
                const char *cause = read_error_cause_text(c->error);

                total += c->count;
                output_message(out, "notice", "%" PRIu64 " attribute%s unreadable: %s%s%s",
                               c->count, c->count == 1 ? "" : "s",
                               cause ? cause : strerror(-c->error),
                               c->example ? ", e.g. " : "", c->example ? c->example : "");
        }
        return total > 0;
}

void read_error_report_clear(struct read_error_report *report)
{
        for (size_t i = 0; i < report->n; i++)
                free(report->causes[i].example);
        free(report->causes);
        *report = (struct read_error_report){ 0 };
}
