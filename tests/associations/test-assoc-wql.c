/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Associations through WQL (glue_request_query): ASSOCIATORS OF and REFERENCES OF with each
 * keyword of WMI's grammar, their errors with the position, and SELECT on association classes,
 * where a REF property compares with a path literal as a path (the object it names).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "assoc-test.h"

struct query_result {
        int r;
        char text[4096];
        char error[512];
};

static struct query_result query(struct glue_context *ctx, const char *wql)
{
        struct assoc_results res = { 0 };
        struct query_result out = { 0 };
        struct glue_request *req;

        check_int_eq(glue_request_new(ctx, &req), 0);
        out.r = glue_request_query(req, wql, assoc_collect, &res);
        snprintf(out.text, sizeof(out.text), "%s", assoc_results_text(&res));
        snprintf(out.error, sizeof(out.error), "%s", glue_request_get_error(req) ?: "");
        assoc_results_clear(&res);
        glue_request_unref(req);
        return out;
}

#define check_query(ctx, wql, expect)                                                       \
        do {                                                                                \
                struct query_result _q = query(ctx, wql);                                   \
                if (_q.r != 0)                                                              \
                        fprintf(stderr, "%s: %s\n", wql, _q.error);                         \
                check_int_eq(_q.r, 0);                                                      \
                check_str_eq(_q.text, expect);                                              \
        } while (0)

#define check_query_error(ctx, wql, err, message)                                           \
        do {                                                                                \
                struct query_result _q = query(ctx, wql);                                   \
                check_int_eq(_q.r, err);                                                    \
                check_str_eq(_q.error, message);                                            \
                check_str_eq(_q.text, "");                                                  \
        } while (0)

static void test_associators_of(void)
{
        struct glue_context *ctx = assoc_test_context(0);

        check_query(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"}",
                    "T_Controller.ctrl0 T_Sensor.temp-disk0");
        check_query(ctx, "associators of {  T_Device.DeviceID=\"disk0\"\n }  ",
                    "T_Controller.ctrl0 T_Sensor.temp-disk0");
        check_query(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE AssocClass = T_SensorOf",
                    "T_Sensor.temp-disk0");
        check_query(ctx, "ASSOCIATORS OF {T_Controller.DeviceID=\"ctrl0\"} WHERE "
                         "ResultClass = T_Disk", "T_Disk.disk0 T_SSD.disk1");
        check_query(ctx, "ASSOCIATORS OF {T_Controller.DeviceID=\"ctrl0\"} WHERE "
                         "role = Dependent resultrole = Antecedent", "T_Sensor.temp-ctrl0");
        check_query(ctx, "ASSOCIATORS OF {T_Controller.DeviceID=\"ctrl0\"} WHERE "
                         "AssocClass = T_Dependency ResultClass = T_SSD Role = Antecedent "
                         "ResultRole = Dependent", "T_SSD.disk1");
        check_query(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE "
                         "RequiredQualifier = Controller", "T_Controller.ctrl0");
        check_query(ctx, "ASSOCIATORS OF {T_Controller.DeviceID=\"ctrl0\"} WHERE "
                         "RequiredAssocQualifier = Wiring", "T_Disk.disk0 T_SSD.disk1");
        check_query(ctx, "ASSOCIATORS OF {T_Controller.DeviceID=\"ctrl0\"} WHERE "
                         "RequiredAssocQualifier = Nope", "");
        check_query(ctx, "ASSOCIATORS OF {T_Controller.DeviceID=\"ctrl0\"} WHERE KeysOnly",
                    "T_Disk.disk0 T_SSD.disk1 T_Sensor.temp-ctrl0");
        /* a '}' inside a quoted key value belongs to the path */
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"a}\\\"b\"}", -ENOENT,
                          "query:1:17: no instance T_Disk.DeviceID=\"a}\\\"b\"");
        glue_context_unref(ctx);
}

static void test_references_of(void)
{
        struct glue_context *ctx = assoc_test_context(0);

        check_query(ctx, "REFERENCES OF {T_Disk.DeviceID=\"disk0\"}",
                    "T_DiskOnController(ctrl0,disk0) T_PoweredBy(ctrl0,disk0) "
                    "T_SensorOf(temp-disk0,disk0)");
        check_query(ctx, "REFERENCES OF {T_Controller.DeviceID=\"ctrl0\"} WHERE "
                         "ResultClass = T_SensorOf Role = Dependent", "T_SensorOf(temp-ctrl0,ctrl0)");
        check_query(ctx, "REFERENCES OF {T_Controller.DeviceID=\"ctrl0\"} WHERE "
                         "RequiredQualifier = Wiring",
                    "T_DiskOnController(ctrl0,disk0) T_DiskOnController(ctrl0,disk1)");
        check_query(ctx, "REFERENCES OF {T_Controller.DeviceID=\"ctrl1\"} WHERE KeysOnly",
                    "T_DiskOnController(ctrl1,disk2)");
        glue_context_unref(ctx);
}

static void test_errors(void)
{
        struct glue_context *ctx = assoc_test_context(0);

        check_query_error(ctx, "ASSOCIATORS {T_Disk.DeviceID=\"disk0\"}", -EBADMSG,
                          "query:1:13: expected OF");
        check_query_error(ctx, "ASSOCIATORS OF T_Disk", -EBADMSG,
                          "query:1:16: expected { and an object path");
        check_query_error(ctx, "ASSOCIATORS OF\n {T_Disk.DeviceID=\"disk0\"", -EBADMSG,
                          "query:2:2: expected } closing the object path that starts here");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"}", -EBADMSG,
                          "query:1:16: expected } closing the object path that starts here");
        check_query_error(ctx, "ASSOCIATORS OF { }", -EBADMSG,
                          "query:1:17: expected an object path between the braces");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} AssocClass = A",
                          -EBADMSG, "query:1:42: expected WHERE or end of query");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE", -EBADMSG,
                          "query:1:47: expected AssocClass, ResultClass, Role, ResultRole, "
                          "RequiredQualifier, RequiredAssocQualifier, KeysOnly, ClassDefsOnly or "
                          "SchemaOnly");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE KeysOnly Nope",
                          -EBADMSG,
                          "query:1:57: expected AssocClass, ResultClass, Role, ResultRole, "
                          "RequiredQualifier, RequiredAssocQualifier, KeysOnly, ClassDefsOnly or "
                          "SchemaOnly, or end of query");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE AssocClass T_X",
                          -EBADMSG, "query:1:59: expected =");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE Role = 'x'",
                          -EBADMSG, "query:1:55: expected property name");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE "
                               "AssocClass = A ResultClass = B AssocClass = C",
                          -EBADMSG, "query:1:79: AssocClass is given twice");
        check_query_error(ctx, "REFERENCES OF {T_Disk.DeviceID=\"disk0\"} WHERE AssocClass = A",
                          -EBADMSG,
                          "query:1:47: expected ResultClass, Role, RequiredQualifier, KeysOnly, "
                          "ClassDefsOnly or SchemaOnly");
        check_query_error(ctx, "REFERENCES OF {T_Disk.DeviceID=\"disk0\"} WHERE "
                               "Role = Dependent ResultRole = Antecedent",
                          -EBADMSG,
                          "query:1:64: expected ResultClass, Role, RequiredQualifier, KeysOnly, "
                          "ClassDefsOnly or SchemaOnly, or end of query");

        /* what the glue finds wrong, at the place it is written */
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=disk0}", -EILSEQ,
                          "query:1:17: malformed object path: T_Disk.DeviceID=disk0");
        check_query_error(ctx, "ASSOCIATORS OF {T_Nope.DeviceID=\"disk0\"}", -ESRCH,
                          "query:1:17: unknown class T_Nope");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.Name=\"disk0\"}", -EILSEQ,
                          "query:1:17: object path T_Disk.Name=\"disk0\" must give the 1 key(s) "
                          "of T_Disk, each as its type is written");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE "
                               "AssocClass = T_Nope", -ESRCH, "query:1:61: unknown class T_Nope");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE "
                               "AssocClass = T_Disk", -EINVAL,
                          "query:1:61: T_Disk is no association class");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE "
                               "ResultClass = T_Nope", -ESRCH, "query:1:62: unknown class T_Nope");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE Role = Port",
                          -EINVAL, "query:1:55: no association class has a reference named Port");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE "
                               "AssocClass = T_SensorOf ResultRole = Port", -EINVAL,
                          "query:1:85: association T_SensorOf has no reference named Port");
        check_query_error(ctx, "REFERENCES OF {T_Disk.DeviceID=\"disk0\"} WHERE "
                               "ResultClass = T_Disk", -EINVAL,
                          "query:1:61: T_Disk is no association class: REFERENCES OF returns "
                          "associations");
        check_query_error(ctx, "ASSOCIATORS OF {T_Disk.DeviceID=\"disk0\"} WHERE ClassDefsOnly",
                          -EOPNOTSUPP, "query:1:48: ClassDefsOnly is not supported: hwglue "
                          "answers with instances, not class definitions");
        check_query_error(ctx, "REFERENCES OF {T_Disk.DeviceID=\"disk0\"} WHERE schemaonly",
                          -EOPNOTSUPP, "query:1:47: schemaonly is not supported: hwglue "
                          "answers with instances, not class definitions");
        glue_context_unref(ctx);
}

static int check_relpath(struct glue_instance *inst, void *userdata)
{
        char *path = NULL;

        check_int_eq(glue_instance_get_path(inst, &path), 0);
        check_str_eq(path, "T_PoweredBy.Antecedent=\"T_Controller.DeviceID=\\\"ctrl0\\\"\","
                           "Dependent=\"T_Disk.DeviceID=\\\"disk0\\\"\"");
        (*(int *)userdata)++;
        free(path);
        return 0;
}

/* SELECT on an association class: REF properties select, and compare as the objects they name. */
static void test_select(void)
{
        struct glue_context *ctx = assoc_test_context(0);
        struct glue_request *req;
        int seen = 0;

        check_query(ctx, "SELECT * FROM T_DiskOnController",
                    "T_DiskOnController(ctrl0,disk0) T_DiskOnController(ctrl0,disk1) "
                    "T_DiskOnController(ctrl1,disk2)");
        check_query(ctx, "SELECT Antecedent, Dependent FROM T_Dependency WHERE "
                         "Dependent = 'T_Device.DeviceID=\"disk0\"'",
                    "T_DiskOnController(ctrl0,disk0) T_PoweredBy(ctrl0,disk0) "
                    "T_SensorOf(temp-disk0,disk0)");
        check_query(ctx, "SELECT * FROM T_DiskOnController WHERE "
                         "Dependent = 't_ssd.deviceid=\"disk1\"'", "T_DiskOnController(ctrl0,disk1)");
        check_query(ctx, "SELECT * FROM T_DiskOnController WHERE "
                         "Dependent <> 'T_Disk.DeviceID=\"disk1\"'",
                    "T_DiskOnController(ctrl0,disk0) T_DiskOnController(ctrl1,disk2)");
        check_query(ctx, "SELECT * FROM T_DiskOnController WHERE "
                         "Dependent = 'T_Disk.DeviceID=\"DISK1\"'", "");
        check_query(ctx, "SELECT * FROM T_Dependency WHERE Antecedent ISA 'T_Sensor'",
                    "T_SensorOf(temp-ctrl0,ctrl0) T_SensorOf(temp-disk0,disk0) "
                    "T_SensorOf(temp-gone,gone)");
        check_query(ctx, "SELECT * FROM T_DiskOnController WHERE Dependent LIKE '%disk2%'",
                    "T_DiskOnController(ctrl1,disk2)");
        check_query(ctx, "SELECT * FROM T_SensorOf WHERE Dependent IS NULL", "");
        check_query_error(ctx, "SELECT * FROM T_DiskOnController WHERE "
                               "Dependent < 'T_Disk.DeviceID=\"disk1\"'", -EPROTO,
                          "query:1:52: property 'Dependent' is a reference: compare it with = "
                          "or <>");
        check_query_error(ctx, "SELECT * FROM T_DiskOnController WHERE Dependent = 3", -EPROTO,
                          "query:1:52: property 'Dependent' is a reference: compare it with an "
                          "object path in quotes");
        check_query_error(ctx, "SELECT * FROM T_DiskOnController WHERE "
                               "Dependent = 'T_Sensor.DeviceID=\"x\"'", -EPROTO,
                          "query:1:52: property 'Dependent' is a reference: the path names no "
                          "class it can refer to");
        check_query_error(ctx, "SELECT * FROM T_DiskOnController WHERE Dependent = 'T_Disk.Id=1'",
                          -EPROTO, "query:1:52: property 'Dependent' is a reference: the literal "
                          "is no object path with the keys of its class");

        /* Both keys pinned: a get by key, no enumeration; the path nests the ends' paths. */
        assoc_test_reset_counters();
        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_query(req, "SELECT * FROM T_PoweredBy WHERE "
                                             "Antecedent = 'T_Controller.DeviceID=\"ctrl0\"' AND "
                                             "Dependent = 'T_Disk.DeviceID=\"disk0\"'",
                                        check_relpath, &seen), 0);
        check_int_eq(seen, 1);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_LINKS].enumerate), 0);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_LINKS].get), 1);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

TEST_MAIN(test_associators_of, test_references_of, test_errors, test_select)
