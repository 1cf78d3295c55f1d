/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsensors' fatal-error hook ("never let it return"; its default prints and exits) and its
 * parse-error hooks (print to stderr by default), as the provider installs them: a fatal error
 * inside a guarded libsensors call abandons that call with -ENOMEM, and the process goes on;
 * nothing is printed. libsensors raises it only when malloc fails, so the test raises it itself,
 * through the same global hook libsensors calls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sensors/error.h>

#include "sensors-lib.h"
#include "test-util.h"

struct attempt {
        bool after_fatal;
        int calls;
};

static void raise_fatal(void *userdata)
{
        struct attempt *a = userdata;

        a->calls++;
        sensors_fatal_error("test_allocation", "Out of memory");
        a->after_fatal = true; /* never reached: the guard jumps back */
}

static void no_fatal(void *userdata)
{
        struct attempt *a = userdata;

        a->calls++;
}

static void test_fatal_error_does_not_end_the_process(void)
{
        struct attempt a = { 0 };

        sensors_lib_ref();
        check_int_eq(sensors_lib_run_guarded(raise_fatal, &a), -ENOMEM);
        check_int_eq(a.calls, 1);
        check(!a.after_fatal);
        /* the guard is re-armable, and a call without a fatal error returns normally */
        check_int_eq(sensors_lib_run_guarded(raise_fatal, &a), -ENOMEM);
        check_int_eq(sensors_lib_run_guarded(no_fatal, &a), 0);
        check_int_eq(a.calls, 3);
        /* outside any guard the hook returns rather than exit */
        sensors_fatal_error("test_unguarded", "Out of memory");
        sensors_lib_unref();
}

static void test_parse_errors_do_not_print(void)
{
        char path[] = "/tmp/hwglue-sensors-fatal-XXXXXX";
        int fd = mkstemp(path), saved;
        char *printed;

        sensors_lib_ref();
        fflush(stderr);
        saved = dup(2);
        dup2(fd, 2);
        sensors_parse_error_wfn("syntax error", "test.conf", 3);
        sensors_parse_error("syntax error", 4);
        fflush(stderr);
        dup2(saved, 2);
        close(saved);
        close(fd);
        printed = test_read_file(path, NULL);
        unlink(path);
        check(printed && printed[0] == '\0');
        free(printed);
        sensors_lib_unref();
}

TEST_MAIN(test_fatal_error_does_not_end_the_process, test_parse_errors_do_not_print)
