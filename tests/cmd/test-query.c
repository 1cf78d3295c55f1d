/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* glue_request_query over the test schema and providers: results, errors, key push-down. */
#include <errno.h>
#include <stdlib.h>

#include "test-providers.h"
#include "test-util.h"

static struct glue_context *ctx;

struct result {
        char ids[512]; /* "sda,sdb," in delivery order */
        int count;
        int stop_after;
};

static int remember(struct glue_instance *inst, void *userdata)
{
        struct result *res = userdata;
        const char *id = NULL;

        glue_instance_get_string(inst, "DeviceID", &id);
        strncat(res->ids, id ? id : "?", sizeof(res->ids) - strlen(res->ids) - 2);
        strcat(res->ids, ",");
        res->count++;
        return res->stop_after && res->count >= res->stop_after ? GLUE_STOP : 0;
}

static int run_query(struct glue_request *req, const char *wql, struct result *res)
{
        memset(res, 0, sizeof(*res));
        return glue_request_query(req, wql, remember, res);
}

/* The ids a query delivers, in order ("" for none); fails the test on an error. */
static void check_ids(const char *wql, const char *expected)
{
        struct glue_request *req;
        struct result res;
        int r;

        check_int_eq(glue_request_new(ctx, &req), 0);
        r = run_query(req, wql, &res);
        if (r != 0)
                fprintf(stderr, "<%s>: %d %s\n", wql, r, glue_request_get_error(req));
        check_int_eq(r, 0);
        if (strcmp(res.ids, expected) != 0)
                fprintf(stderr, "<%s>\n", wql);
        check_str_eq(res.ids, expected);
        glue_request_unref(req);
}

static void check_query_error(const char *wql, int expected_r, const char *expected_error)
{
        struct glue_request *req;
        struct result res;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(run_query(req, wql, &res), expected_r);
        check_int_eq(res.count, 0);
        check_str_eq(glue_request_get_error(req), expected_error);
        glue_request_unref(req);
}

static void test_filters(void)
{
        check_ids("SELECT * FROM Test_Disk", "sda,sdb,nvme0n1,");
        check_ids("select deviceid from test_disk where size > 600000000000", "sdb,");
        check_ids("SELECT * FROM Test_Disk WHERE Size = '1000204886016'", "sdb,");
        check_ids("SELECT * FROM Test_Disk WHERE Name LIKE 'sd%'", "sda,sdb,");
        check_ids("SELECT * FROM Test_Disk WHERE Model = 'samsung ssd 860'", "sda,");
        check_ids("SELECT * FROM Test_Disk WHERE Temperature IS NULL", "sdb,");
        check_ids("SELECT * FROM Test_Disk WHERE Temperature = NULL", "sdb,");
        check_ids("SELECT * FROM Test_Disk WHERE Model IS NOT NULL", "sda,sdb,");
        check_ids("SELECT * FROM Test_Disk WHERE Removable = FALSE", "sda,");
        check_ids("SELECT * FROM Test_Disk WHERE Removable <> FALSE", "sdb,");
        check_ids("SELECT * FROM Test_Disk WHERE Offset < 0", "sda,");
        check_ids("SELECT * FROM Test_Disk WHERE Offset > -10", "sda,sdb,nvme0n1,");
        check_ids("SELECT * FROM Test_Disk WHERE Temperature < -12", "nvme0n1,");
        check_ids("SELECT * FROM Test_Disk WHERE 35.5 = Temperature", "sda,");
        check_ids("SELECT * FROM Test_Disk WHERE Tags IS NULL", "sdb,nvme0n1,");
        /* three-valued logic: NULL > 0 is unknown, and so is its NOT */
        check_ids("SELECT * FROM Test_Disk WHERE NOT (Temperature > 0)", "nvme0n1,");
        check_ids("SELECT * FROM Test_Disk WHERE Temperature > 0 OR Removable = TRUE", "sda,sdb,");
        check_ids("SELECT * FROM Test_Disk WHERE (Size > 0 AND Offset >= 0) OR DeviceID = 'nvme0n1'",
                  "sdb,nvme0n1,");
        check_ids("SELECT * FROM Test_Disk WHERE __CLASS = 'Test_SSD'", "sda,");
        check_ids("SELECT * FROM Test_Device WHERE __CLASS ISA 'Test_Disk'", "sda,sdb,nvme0n1,");
        check_ids("SELECT * FROM Test_Device WHERE __CLASS ISA 'Test_SSD'", "sda,");
        check_ids("SELECT * FROM Test_Disk WHERE Kind ISA 'Test_SSD'", "sda,");
        check_ids("SELECT * FROM Test_Disk WHERE __RELPATH = 'Test_SSD.DeviceID=\"sda\"'", "sda,");
        check_ids("SELECT * FROM Test_Disk WHERE Serial = 'WD-1'", "sdb,");
        check_ids("SELECT * FROM Test_Disk WHERE Availability = 3 AND Size > 1", "sda,");
        check_ids("SELECT * FROM Test_Disk WHERE Name LIKE '%tab'", "nvme0n1,");
}

static void test_errors(void)
{
        check_query_error("SELECT * FROM Nope", -ESRCH, "query:1:15: no class named 'Nope'");
        check_query_error("SELECT Size, Nope FROM Test_Disk", -EINVAL,
                          "query:1:14: class 'Test_Disk' has no property 'Nope'");
        check_query_error("SELECT * FROM Test_Disk WHERE WearLevel > 1", -EINVAL,
                          "query:1:31: class 'Test_Disk' has no property 'WearLevel'");
        check_query_error("SELECT * FROM Test_Disk WHERE Size = 'big'", -EPROTO,
                          "query:1:38: property 'Size' is a number: compare it with a number");
        check_query_error("SELECT * FROM Test_Disk WHERE Removable = 'yes'", -EPROTO,
                          "query:1:43: property 'Removable' is a boolean: compare it with TRUE or FALSE");
        check_query_error("SELECT * FROM Test_Disk WHERE Size LIKE '1%'", -EPROTO,
                          "query:1:31: property 'Size' is not a string: LIKE needs one");
        check_query_error("SELECT * FROM Test_Disk WHERE Tags = 'boot'", -EPROTO,
                          "query:1:38: property 'Tags': an array property can only be tested with IS [NOT] NULL");
        check_query_error("SELECT * FROM Test_Disk WHERE __CLASS ISA 'Nope'", -ESRCH,
                          "query:1:43: no class named 'Nope'");
        check_query_error("SELECT * FROM Test_Disk WHERE", -EBADMSG,
                          "query:1:30: expected property name, literal, NOT or (");
}

static void test_key_push_down(void)
{
        memset(&test_counters, 0, sizeof(test_counters));
        check_ids("SELECT * FROM Test_Disk WHERE DeviceID = 'sdb' AND Size > 1", "sdb,");
        check_int_eq(test_counters.enumerate_calls, 0);
        check_int_eq(test_counters.get_calls, 1);

        /* from the abstract base class, and with the literal on the left */
        memset(&test_counters, 0, sizeof(test_counters));
        check_ids("SELECT * FROM Test_Device WHERE 'sda' = DeviceID", "sda,");
        check_int_eq(test_counters.enumerate_calls, 0);
        check_int_eq(test_counters.get_calls, 1);

        /* a key that no device has: nothing, still without enumerating */
        memset(&test_counters, 0, sizeof(test_counters));
        check_ids("SELECT * FROM Test_Disk WHERE DeviceID = 'sdz'", "");
        check_int_eq(test_counters.enumerate_calls, 0);

        /* the rest of WHERE still filters the one device read */
        check_ids("SELECT * FROM Test_Disk WHERE DeviceID = 'sdb' AND Size < 1", "");

        /* not at the top of an AND chain: enumerate and filter */
        memset(&test_counters, 0, sizeof(test_counters));
        check_ids("SELECT * FROM Test_Disk WHERE DeviceID = 'sdb' OR Size = 0", "sdb,nvme0n1,");
        check_int_eq(test_counters.enumerate_calls, 1);
        memset(&test_counters, 0, sizeof(test_counters));
        check_ids("SELECT * FROM Test_Disk WHERE NOT DeviceID = 'sdb'", "sda,nvme0n1,");
        check_int_eq(test_counters.enumerate_calls, 1);
}

static void test_required_properties(void)
{
        struct glue_request *req;
        struct result res;
        const char *const caller_list[] = { "Model" };

        memset(&test_counters, 0, sizeof(test_counters));
        check_ids("SELECT DeviceID, Size FROM Test_Disk", "sda,sdb,nvme0n1,");
        check_int_eq(test_counters.serial_reads, 0);
        check_ids("SELECT DeviceID FROM Test_Disk WHERE Serial IS NOT NULL", "sda,sdb,");
        check_int_eq(test_counters.serial_reads, 3);

        /* the caller's own list comes back after the query */
        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_set_properties(req, caller_list, 1), 0);
        check_int_eq(run_query(req, "SELECT * FROM Test_Disk", &res), 0);
        memset(&test_counters, 0, sizeof(test_counters));
        check_int_eq(run_query(req, "SELECT * FROM Test_Disk WHERE Size > 0", &res), 0);
        check_int_eq(test_counters.serial_reads, 3); /* SELECT * wants everything */
        memset(&test_counters, 0, sizeof(test_counters));
        check_int_eq(glue_request_enumerate(req, "Test_Disk", remember, &res), 0);
        check_int_eq(test_counters.serial_reads, 0);
        glue_request_unref(req);
}

static void test_flags_and_stop(void)
{
        struct glue_request *req;
        struct result res;

        check_int_eq(glue_request_new(ctx, &req), 0);
        glue_request_set_flags(req, GLUE_REQUEST_SHALLOW);
        check_int_eq(run_query(req, "SELECT * FROM Test_Disk", &res), 0);
        check_str_eq(res.ids, "sdb,nvme0n1,");
        check_int_eq(glue_request_get_flags(req), GLUE_REQUEST_SHALLOW);
        glue_request_set_flags(req, 0);

        memset(&res, 0, sizeof(res));
        res.stop_after = 1;
        check_int_eq(glue_request_query(req, "SELECT * FROM Test_Disk", remember, &res), -ECANCELED);
        check_int_eq(res.count, 1);
        glue_request_unref(req);
}

static void test_partial(void)
{
        struct glue_request *req;
        struct glue_provider_status st;
        struct result res;
        int r;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_set_namespace(req, "root/test"), 0);
        r = run_query(req, "SELECT * FROM Test_Failing", &res);
        check(r > 0);
        check_int_eq(res.count, 1);
        check_int_eq(glue_request_get_provider_count(req), 1);
        check_int_eq(glue_request_get_provider_status(req, 0, &st), 0);
        check_str_eq(st.provider, "cmdfail");
        check_int_eq(st.error, -EIO);
        glue_request_unref(req);
}

static void setup(void)
{
        check_int_eq(test_context_new(&ctx), 0);
}

static void teardown(void)
{
        glue_context_unref(ctx);
}

TEST_MAIN(setup, test_filters, test_errors, test_key_push_down, test_required_properties,
          test_flags_and_stop, test_partial, teardown)
