/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ASSOCIATORS OF and REFERENCES OF through the C API, on the test schema and providers of
 * assoc-test.c: every filter, roles, each endpoint once, endpoints as their most derived class,
 * the same answers without a references operation (enumerate and filter), what each provider
 * is asked (push-down: one object's links, no enumeration), the merged provider status, and
 * the errors for bad paths, unknown classes and roles.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assoc-test.h"

struct call_result {
        int r;
        char text[4096];
        char error[512];
};

static struct call_result associators(struct glue_context *ctx, const char *path,
                                      const char *assoc, const char *result, const char *role,
                                      const char *result_role)
{
        struct assoc_results res = { 0 };
        struct call_result out = { 0 };
        struct glue_request *req;

        check_int_eq(glue_request_new(ctx, &req), 0);
        out.r = glue_request_associators(req, path, assoc, result, role, result_role,
                                         assoc_collect, &res);
        snprintf(out.text, sizeof(out.text), "%s", assoc_results_text(&res));
        snprintf(out.error, sizeof(out.error), "%s", glue_request_get_error(req) ?: "");
        assoc_results_clear(&res);
        glue_request_unref(req);
        return out;
}

static struct call_result references(struct glue_context *ctx, const char *path,
                                     const char *result, const char *role)
{
        struct assoc_results res = { 0 };
        struct call_result out = { 0 };
        struct glue_request *req;

        check_int_eq(glue_request_new(ctx, &req), 0);
        out.r = glue_request_references(req, path, result, role, assoc_collect, &res);
        snprintf(out.text, sizeof(out.text), "%s", assoc_results_text(&res));
        snprintf(out.error, sizeof(out.error), "%s", glue_request_get_error(req) ?: "");
        assoc_results_clear(&res);
        glue_request_unref(req);
        return out;
}

#define check_associators(ctx, path, assoc, result, role, result_role, expect)              \
        do {                                                                                \
                struct call_result _c = associators(ctx, path, assoc, result, role, result_role); \
                check_int_eq(_c.r, 0);                                                      \
                check_str_eq(_c.text, expect);                                              \
        } while (0)

#define check_references(ctx, path, result, role, expect)                                   \
        do {                                                                                \
                struct call_result _c = references(ctx, path, result, role);                \
                check_int_eq(_c.r, 0);                                                      \
                check_str_eq(_c.text, expect);                                              \
        } while (0)

static void filters(unsigned flags)
{
        struct glue_context *ctx = assoc_test_context(flags);

        /* Each endpoint once: ctrl0 is reached from disk0 through two associations. */
        check_associators(ctx, "T_Disk.DeviceID=\"disk0\"", NULL, NULL, NULL, NULL,
                          "T_Controller.ctrl0 T_Sensor.temp-disk0");
        /* A superclass path finds the T_SSD; its endpoint is the controller. */
        check_associators(ctx, "T_Device.DeviceID=\"disk1\"", NULL, NULL, NULL, NULL,
                          "T_Controller.ctrl0");
        /* Endpoints come as their most derived class (disk1 is named T_Disk by one link), each
         * once (another names disk1 as T_Device: a second get, the same object). */
        check_associators(ctx, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL, NULL, NULL,
                          "T_Disk.disk0 T_SSD.disk1 T_Sensor.temp-ctrl0");
        /* AssocClass: that class or one derived from it. */
        check_associators(ctx, "T_Disk.DeviceID=\"disk0\"", "T_SensorOf", NULL, NULL, NULL,
                          "T_Sensor.temp-disk0");
        check_associators(ctx, "T_Disk.DeviceID=\"disk0\"", "t_poweredby", NULL, NULL, NULL,
                          "T_Controller.ctrl0");
        check_associators(ctx, "T_Disk.DeviceID=\"disk0\"", "T_Dependency", NULL, NULL, NULL,
                          "T_Controller.ctrl0 T_Sensor.temp-disk0");
        /* ResultClass: the endpoint's class or an ancestor of it. */
        check_associators(ctx, "T_Controller.DeviceID=\"ctrl0\"", NULL, "T_Disk", NULL, NULL,
                          "T_Disk.disk0 T_SSD.disk1");
        check_associators(ctx, "T_Controller.DeviceID=\"ctrl0\"", NULL, "T_SSD", NULL, NULL,
                          "T_SSD.disk1");
        check_associators(ctx, "T_Controller.DeviceID=\"ctrl0\"", NULL, "T_Device", NULL, NULL,
                          "T_Disk.disk0 T_SSD.disk1 T_Sensor.temp-ctrl0");
        check_associators(ctx, "T_Disk.DeviceID=\"disk0\"", "T_PoweredBy", "T_Sensor", NULL, NULL,
                          "");
        /* Role: what the source is in the association; ResultRole: what the endpoint is. */
        check_associators(ctx, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL, "Antecedent", NULL,
                          "T_Disk.disk0 T_SSD.disk1");
        check_associators(ctx, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL, "dependent", NULL,
                          "T_Sensor.temp-ctrl0");
        check_associators(ctx, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL, NULL, "Antecedent",
                          "T_Sensor.temp-ctrl0");
        check_associators(ctx, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL, NULL, "Dependent",
                          "T_Disk.disk0 T_SSD.disk1");
        check_associators(ctx, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL, "Antecedent",
                          "Antecedent", "");
        check_associators(ctx, "T_Disk.DeviceID=\"disk0\"", NULL, NULL, "Antecedent", NULL, "");
        /* A dangling reference (its disk is gone) leads nowhere; a sensor without a device. */
        check_associators(ctx, "T_Sensor.DeviceID=\"temp-gone\"", NULL, NULL, NULL, NULL, "");
        check_associators(ctx, "T_Sensor.DeviceID=\"temp-none\"", NULL, NULL, NULL, NULL, "");
        check_associators(ctx, "T_Sensor.DeviceID=\"temp-disk0\"", NULL, NULL, NULL, NULL,
                          "T_Disk.disk0");

        check_references(ctx, "T_Disk.DeviceID=\"disk0\"", NULL, NULL,
                         "T_DiskOnController(ctrl0,disk0) T_PoweredBy(ctrl0,disk0) "
                         "T_SensorOf(temp-disk0,disk0)");
        check_references(ctx, "T_Device.DeviceID=\"disk0\"", "T_SensorOf", NULL,
                         "T_SensorOf(temp-disk0,disk0)");
        check_references(ctx, "T_Controller.DeviceID=\"ctrl0\"", NULL, "Antecedent",
                         "T_DiskOnController(ctrl0,disk0) T_DiskOnController(ctrl0,disk1) "
                         "T_PoweredBy(ctrl0,disk0) T_PoweredBy(ctrl0,disk1)");
        check_references(ctx, "T_Controller.DeviceID=\"ctrl0\"", "T_Dependency", "Dependent",
                         "T_SensorOf(temp-ctrl0,ctrl0)");
        check_references(ctx, "T_Sensor.DeviceID=\"temp-gone\"", NULL, NULL,
                         "T_SensorOf(temp-gone,gone)");
        check_references(ctx, "T_Sensor.DeviceID=\"temp-none\"", NULL, NULL, "");
        glue_context_unref(ctx);
}

static void test_filters(void)
{
        filters(0);
}

static void test_filters_without_references_operation(void)
{
        filters(ASSOC_TEST_NO_REFERENCES);
}

#define check_call_error(c, err, message)                                                   \
        do {                                                                                \
                struct call_result _c = (c);                                                \
                check_int_eq(_c.r, err);                                                    \
                check_str_eq(_c.error, message);                                            \
                check_str_eq(_c.text, "");                                                  \
        } while (0)

static void test_errors(void)
{
        struct glue_context *ctx = assoc_test_context(0);

        check_call_error(associators(ctx, "T_Disk.DeviceID=\"disk0", NULL, NULL, NULL, NULL),
                         -EILSEQ, "malformed object path: T_Disk.DeviceID=\"disk0");
        check_call_error(associators(ctx, "T_Disk.Name=\"disk0\"", NULL, NULL, NULL, NULL),
                         -EILSEQ, "object path T_Disk.Name=\"disk0\" must give the 1 key(s) of "
                         "T_Disk, each as its type is written");
        check_call_error(associators(ctx, "T_Nope.DeviceID=\"disk0\"", NULL, NULL, NULL, NULL),
                         -ESRCH, "unknown class T_Nope");
        check_call_error(associators(ctx, "T_Disk.DeviceID=\"disk9\"", NULL, NULL, NULL, NULL),
                         -ENOENT, "no instance T_Disk.DeviceID=\"disk9\"");
        check_call_error(associators(ctx, "T_Disk.DeviceID=\"disk0\"", "T_Nope", NULL, NULL, NULL),
                         -ESRCH, "unknown class T_Nope");
        check_call_error(associators(ctx, "T_Disk.DeviceID=\"disk0\"", "T_Disk", NULL, NULL, NULL),
                         -EINVAL, "T_Disk is no association class");
        check_call_error(associators(ctx, "T_Disk.DeviceID=\"disk0\"", NULL, "T_Nope", NULL, NULL),
                         -ESRCH, "unknown class T_Nope");
        check_call_error(associators(ctx, "T_Disk.DeviceID=\"disk0\"", NULL, NULL, "Port", NULL),
                         -EINVAL, "no association class has a reference named Port");
        check_call_error(associators(ctx, "T_Disk.DeviceID=\"disk0\"", "T_SensorOf", NULL, NULL,
                                     "Nope"),
                         -EINVAL, "association T_SensorOf has no reference named Nope");
        check_call_error(references(ctx, "T_Disk.DeviceID=\"disk0\"", "T_Disk", NULL), -EINVAL,
                         "T_Disk is no association class: REFERENCES OF returns associations");
        check_call_error(references(ctx, "T_Disk.DeviceID=\"disk0\"", NULL, "Nope"), -EINVAL,
                         "no association class has a reference named Nope");
        check_call_error(references(ctx, "root/else:T_Disk.DeviceID=\"disk0\"", NULL, NULL),
                         -ENXIO, "unknown namespace root/else");
        check_int_eq(glue_request_associators(NULL, "x", NULL, NULL, NULL, NULL, assoc_collect,
                                              NULL), -EINVAL);
        glue_context_unref(ctx);
}

/* The count once it reaches `expect` (5 s at most): calls made by workers that a request left
 * behind when it had its answer may still be under way when it returns. */
static int settled_count(atomic_int *counter, int expect)
{
        for (int i = 0; i < 5000 && atomic_load(counter) < expect; i++)
                usleep(1000);
        test_settle_engine_workers(0);
        return atomic_load(counter);
}

/* With a references operation, the associations of one object are the links of that object:
 * no provider enumerates anything, the classes that cannot refer to it are not asked, and
 * each end is got by key. */
static void test_push_down(void)
{
        struct glue_context *ctx = assoc_test_context(0);

        check_associators(ctx, "t_disk.deviceid=\"disk0\"", NULL, NULL, NULL, NULL,
                          "T_Controller.ctrl0 T_Sensor.temp-disk0");
        for (int i = 0; i < ASSOC_PROVIDER_COUNT; i++)
                check_int_eq(atomic_load(&assoc_calls[i].enumerate), 0);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_DISKS].get), 1);   /* the source */
        /* once for each association class it serves: T_DiskOnController, T_PoweredBy */
        check_int_eq(atomic_load(&assoc_calls[ASSOC_LINKS].references), 2);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_TEMPS].references), 1);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_CTRLS].get), 1);   /* ctrl0, once */
        check_int_eq(atomic_load(&assoc_calls[ASSOC_TEMPS].get), 1);   /* temp-disk0 */
        /* The provider is handed the canonical path of the instance, not the caller's text. */
        check_str_eq(assoc_last_object[ASSOC_LINKS], "T_Disk.DeviceID=\"disk0\"");

        /* A superclass path: every provider below it is asked for the source, once (the get
         * returns at the first answer, the others' workers may still be on their way). */
        assoc_test_reset_counters();
        check_associators(ctx, "T_Device.DeviceID=\"disk0\"", NULL, NULL, NULL, NULL,
                          "T_Controller.ctrl0 T_Sensor.temp-disk0");
        check_int_eq(settled_count(&assoc_calls[ASSOC_CTRLS].get, 2), 2);   /* + ctrl0 */
        check_int_eq(settled_count(&assoc_calls[ASSOC_TEMPS].get, 2), 2);   /* + temp-disk0 */
        check_int_eq(atomic_load(&assoc_calls[ASSOC_DISKS].get), 1);
        for (int i = 0; i < ASSOC_PROVIDER_COUNT; i++)
                check_int_eq(atomic_load(&assoc_calls[i].enumerate), 0);

        /* A sensor: T_DiskOnController and T_PoweredBy cannot refer to one, links is not asked. */
        assoc_test_reset_counters();
        check_associators(ctx, "T_Sensor.DeviceID=\"temp-ctrl0\"", NULL, NULL, NULL, NULL,
                          "T_Controller.ctrl0");
        check_int_eq(atomic_load(&assoc_calls[ASSOC_LINKS].references), 0);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_LINKS].enumerate), 0);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_TEMPS].references), 1);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_TEMPS].enumerate), 0);

        /* Role narrows the classes asked too: a disk is never the Antecedent of T_SensorOf
         * (a sensor is), so temps is not asked. */
        assoc_test_reset_counters();
        check_associators(ctx, "T_Disk.DeviceID=\"disk0\"", NULL, NULL, "Antecedent", NULL, "");
        check_int_eq(atomic_load(&assoc_calls[ASSOC_TEMPS].references), 0);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_LINKS].references), 0);

        /* A ResultClass that a reference's class cannot lead to: the end is not got. */
        assoc_test_reset_counters();
        check_associators(ctx, "T_Disk.DeviceID=\"disk0\"", NULL, "T_Sensor", NULL, NULL,
                          "T_Sensor.temp-disk0");
        check_int_eq(atomic_load(&assoc_calls[ASSOC_CTRLS].get), 0);
        glue_context_unref(ctx);

        /* Without a references operation: each association class is enumerated once, and
         * filtered; the answer is the same. */
        ctx = assoc_test_context(ASSOC_TEST_NO_REFERENCES);
        check_associators(ctx, "T_Device.DeviceID=\"disk0\"", NULL, NULL, NULL, NULL,
                          "T_Controller.ctrl0 T_Sensor.temp-disk0");
        check_int_eq(atomic_load(&assoc_calls[ASSOC_LINKS].enumerate), 2);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_TEMPS].enumerate), 1);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_DISKS].enumerate), 0);
        check_int_eq(atomic_load(&assoc_calls[ASSOC_CTRLS].enumerate), 0);
        glue_context_unref(ctx);
}

/* The provider status lists every provider asked, once per class, with what it delivered. */
static void test_status(void)
{
        struct glue_context *ctx = assoc_test_context(0);
        struct assoc_results res = { 0 };
        struct glue_provider_status st;
        struct glue_request *req;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_associators(req, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL,
                                              NULL, NULL, assoc_collect, &res), 0);
        check_str_eq(assoc_results_text(&res), "T_Disk.disk0 T_SSD.disk1 T_Sensor.temp-ctrl0");
        /* the source's get, and the links' and the sensors' associations */
        check(assoc_status(req, "ctrls", "T_Controller", &st) && st.error == 0 && st.finished &&
              st.instances == 1);
        check(assoc_status(req, "links", "T_DiskOnController", &st) && st.error == 0 &&
              st.finished && st.instances == 2);
        check(assoc_status(req, "links", "T_PoweredBy", &st) && st.instances == 2);
        check(assoc_status(req, "temps", "T_SensorOf", &st) && st.instances == 1);
        /* the two disks, got as T_Disk and disk1 once more as T_Device (the classes the links
         * name): one entry for the provider's class, three instances */
        check(assoc_status(req, "disks", "T_Disk", &st) && st.error == 0 && st.finished &&
              st.instances == 3);
        check(assoc_status(req, "temps", "T_Sensor", &st) && st.instances == 1);
        check_int_eq(glue_request_get_provider_count(req), 6);
        assoc_results_clear(&res);

        /* The request's next call starts afresh. */
        check_int_eq(glue_request_references(req, "T_Sensor.DeviceID=\"temp-none\"", NULL, NULL,
                                             assoc_collect, &res), 0);
        check(!assoc_status(req, "links", "T_DiskOnController", &st));
        check(assoc_status(req, "temps", "T_Sensor", &st) && st.instances == 1);
        assoc_results_clear(&res);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

/* The request's properties and KEYS_ONLY shape the endpoints; REFERENCES OF always has the
 * references. */
static int check_partial(struct glue_instance *inst, void *userdata)
{
        int *seen = userdata;
        const char *name;

        (*seen)++;
        check_int_eq(glue_instance_get_string(inst, "Name", &name), -ENOENT);
        check_int_eq(glue_instance_get_string(inst, "DeviceID", &name), 0);
        return 0;
}

static int check_named(struct glue_instance *inst, void *userdata)
{
        int *seen = userdata;
        const char *name;

        (*seen)++;
        check_int_eq(glue_instance_get_string(inst, "Name", &name), 0);
        return 0;
}

static int check_reference_only(struct glue_instance *inst, void *userdata)
{
        int *seen = userdata;
        const char *ref;
        uint64_t port;

        (*seen)++;
        check_int_eq(glue_instance_get_reference(inst, "Antecedent", &ref), 0);
        check_int_eq(glue_instance_get_reference(inst, "Dependent", &ref), 0);
        check_int_eq(glue_instance_get_uint(inst, "Port", &port), -ENOENT);
        return 0;
}

static void test_properties(void)
{
        struct glue_context *ctx = assoc_test_context(0);
        const char *const name[] = { "Name" };
        struct glue_request *req;
        int seen = 0;

        check_int_eq(glue_request_new(ctx, &req), 0);
        glue_request_set_flags(req, GLUE_REQUEST_KEYS_ONLY | GLUE_REQUEST_SHALLOW);
        check_int_eq(glue_request_associators(req, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL,
                                              NULL, NULL, check_partial, &seen), 0);
        check_int_eq(seen, 3);
        glue_request_set_flags(req, 0);
        check_int_eq(glue_request_set_properties(req, name, 1), 0);
        seen = 0;
        check_int_eq(glue_request_associators(req, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL,
                                              NULL, NULL, check_named, &seen), 0);
        check_int_eq(seen, 3);
        /* REFERENCES OF with a property list that lacks the references: they come anyway. */
        seen = 0;
        check_int_eq(glue_request_references(req, "T_Controller.DeviceID=\"ctrl1\"", NULL, NULL,
                                             check_reference_only, &seen), 0);
        check_int_eq(seen, 1);
        glue_request_unref(req);
        glue_context_unref(ctx);
}

static int stop_at_first(struct glue_instance *inst, void *userdata)
{
        int *seen = userdata;

        (*seen)++;
        return GLUE_STOP;
}

static void test_stop(void)
{
        struct glue_context *ctx = assoc_test_context(0);
        struct glue_request *req;
        int seen = 0;

        check_int_eq(glue_request_new(ctx, &req), 0);
        check_int_eq(glue_request_associators(req, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL,
                                              NULL, NULL, stop_at_first, &seen), -ECANCELED);
        check_int_eq(seen, 1);
        seen = 0;
        check_int_eq(glue_request_references(req, "T_Controller.DeviceID=\"ctrl0\"", NULL, NULL,
                                             stop_at_first, &seen), -ECANCELED);
        check_int_eq(seen, 1);
        glue_request_unref(req);
        glue_context_unref(ctx);
        check(test_settle_engine_workers(0) == 0);
}

TEST_MAIN(test_filters, test_filters_without_references_operation, test_errors, test_push_down,
          test_status, test_properties, test_stop)
