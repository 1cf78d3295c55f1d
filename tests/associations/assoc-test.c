/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assoc-test.h"

static const char schema[] =
        "[Abstract] class T_Device { [Key] string DeviceID; string Name; };\n"
        "[Provider(\"disks\"), Description(\"a disk\")] class T_Disk : T_Device { };\n"
        "class T_SSD : T_Disk { uint32 Wear; };\n"
        "[Provider(\"ctrls\"), Controller] class T_Controller : T_Device { };\n"
        "[Provider(\"temps\")] class T_Sensor : T_Device { real64 Reading; };\n"
        "[Association, Abstract] class T_Dependency {\n"
        "  [Key] T_Device REF Antecedent; [Key] T_Device REF Dependent; };\n"
        "[Association, Provider(\"links\"), Wiring] class T_DiskOnController : T_Dependency {\n"
        "  [Override(\"Antecedent\")] T_Controller REF Antecedent;\n"
        "  [Override(\"Dependent\")] T_Disk REF Dependent;\n"
        "  uint32 Port; };\n"
        "[Association, Provider(\"links\")] class T_PoweredBy : T_Dependency {\n"
        "  [Override(\"Antecedent\")] T_Controller REF Antecedent;\n"
        "  [Override(\"Dependent\")] T_Disk REF Dependent; };\n"
        "[Association, Provider(\"temps\")] class T_SensorOf : T_Dependency {\n"
        "  [Override(\"Antecedent\")] T_Sensor REF Antecedent; };\n";

struct device {
        enum assoc_provider_index provider;
        const char *cls, *id, *name;
};

static const struct device devices[] = {
        { ASSOC_DISKS, "T_Disk", "disk0", "Disk zero" },
        { ASSOC_DISKS, "T_SSD", "disk1", "Disk one" },
        { ASSOC_DISKS, "T_Disk", "disk2", "Disk two" },
        { ASSOC_CTRLS, "T_Controller", "ctrl0", "Controller zero" },
        { ASSOC_CTRLS, "T_Controller", "ctrl1", "Controller one" },
        { ASSOC_TEMPS, "T_Sensor", "temp-disk0", "Disk temperature" },
        { ASSOC_TEMPS, "T_Sensor", "temp-ctrl0", "Controller temperature" },
        { ASSOC_TEMPS, "T_Sensor", "temp-gone", "A sensor of a vanished disk" },
        { ASSOC_TEMPS, "T_Sensor", "temp-none", "CPU temperature" },
};

struct link {
        enum assoc_provider_index provider;
        const char *cls, *antecedent, *dependent;
};

static const struct link links[] = {
        { ASSOC_LINKS, "T_DiskOnController", "T_Controller.DeviceID=\"ctrl0\"",
          "T_Disk.DeviceID=\"disk0\"" },
        { ASSOC_LINKS, "T_DiskOnController", "T_Controller.DeviceID=\"ctrl0\"",
          "T_Disk.DeviceID=\"disk1\"" },
        { ASSOC_LINKS, "T_DiskOnController", "T_Controller.DeviceID=\"ctrl1\"",
          "T_Disk.DeviceID=\"disk2\"" },
        { ASSOC_LINKS, "T_PoweredBy", "T_Controller.DeviceID=\"ctrl0\"",
          "T_Disk.DeviceID=\"disk0\"" },
        /* disk1 once more, by another spelling: T_Device names it too */
        { ASSOC_LINKS, "T_PoweredBy", "T_Controller.DeviceID=\"ctrl0\"",
          "T_Device.DeviceID=\"disk1\"" },
        { ASSOC_TEMPS, "T_SensorOf", "T_Sensor.DeviceID=\"temp-disk0\"",
          "T_Device.DeviceID=\"disk0\"" },
        { ASSOC_TEMPS, "T_SensorOf", "T_Sensor.DeviceID=\"temp-ctrl0\"",
          "T_Controller.DeviceID=\"ctrl0\"" },
        { ASSOC_TEMPS, "T_SensorOf", "T_Sensor.DeviceID=\"temp-gone\"",
          "T_Disk.DeviceID=\"gone\"" },
};

struct assoc_counters assoc_calls[ASSOC_PROVIDER_COUNT];
char assoc_last_object[ASSOC_PROVIDER_COUNT][512];
/* A provider's operations run in several workers at once (one per class it serves). */
static pthread_mutex_t last_object_lock = PTHREAD_MUTEX_INITIALIZER;

struct provider {
        struct glue_provider_ops ops;
        enum assoc_provider_index index;
};

static int provider_init(struct glue_context *ctx, const struct glue_provider_ops *ops,
                         void **ret_data)
{
        *ret_data = (struct provider *)((char *)ops - offsetof(struct provider, ops));
        return 0;
}

static bool class_is(struct glue_call *call, const char *name, const struct glue_class *ancestor)
{
        const struct glue_class *cls;

        return glue_context_find_class(glue_call_get_context(call), NULL, name, &cls) == 0 &&
               glue_class_is_a(cls, ancestor);
}

static int post_device(struct glue_call *call, const struct device *d)
{
        struct glue_instance *inst;
        int r = glue_call_new_instance(call, d->cls, &inst);

        if (r < 0)
                return r;
        glue_instance_set_string(inst, "DeviceID", d->id);
        if (glue_call_wants(call, "Name"))
                glue_instance_set_string(inst, "Name", d->name);
        if (glue_call_wants(call, "Wear"))
                glue_instance_set_uint(inst, "Wear", 7);
        if (glue_call_wants(call, "Reading"))
                glue_instance_set_real(inst, "Reading", 42.5);
        return glue_call_post(call, inst);
}

static int post_link(struct glue_call *call, const struct link *l)
{
        struct glue_instance *inst;
        int r = glue_call_new_instance(call, l->cls, &inst);

        if (r < 0)
                return r;
        r = glue_instance_set_reference(inst, "Antecedent", l->antecedent);
        if (r == 0)
                r = glue_instance_set_reference(inst, "Dependent", l->dependent);
        if (r < 0) {
                fprintf(stderr, "%s: a test link does not set: %d\n", l->cls, r);
                glue_instance_unref(inst);
                return r;
        }
        if (glue_call_wants(call, "Port"))
                glue_instance_set_uint(inst, "Port", 3);
        return glue_call_post(call, inst);
}

static int provider_enumerate(struct glue_call *call, const struct glue_class *cls, void *data)
{
        const struct provider *p = data;
        int r = 0;

        atomic_fetch_add(&assoc_calls[p->index].enumerate, 1);
        for (size_t i = 0; r >= 0 && i < sizeof(devices) / sizeof(devices[0]); i++)
                if (devices[i].provider == p->index && class_is(call, devices[i].cls, cls))
                        r = post_device(call, &devices[i]);
        for (size_t i = 0; r >= 0 && i < sizeof(links) / sizeof(links[0]); i++)
                if (links[i].provider == p->index && class_is(call, links[i].cls, cls))
                        r = post_link(call, &links[i]);
        return r == -ECANCELED ? 0 : r < 0 ? r : 0;
}

/* The DeviceID an end of a link names ("T_Disk.DeviceID=\"disk0\"" -> disk0), copied. */
static const char *end_id(const char *path_text, char *buf, size_t size)
{
        struct glue_path *path;

        buf[0] = '\0';
        if (glue_path_parse(path_text, &path) == 0) {
                snprintf(buf, size, "%s", glue_path_get_key(path, "DeviceID") ?: "");
                glue_path_free(path);
        }
        return buf;
}

static int provider_get(struct glue_call *call, const struct glue_class *cls,
                        const struct glue_path *path, void *data)
{
        const struct provider *p = data;
        const char *id = glue_path_get_key(path, "DeviceID");
        const char *antecedent = glue_path_get_key(path, "Antecedent");
        const char *dependent = glue_path_get_key(path, "Dependent");
        char a[64], b[64];

        atomic_fetch_add(&assoc_calls[p->index].get, 1);
        for (size_t i = 0; id && i < sizeof(devices) / sizeof(devices[0]); i++)
                if (devices[i].provider == p->index && strcmp(devices[i].id, id) == 0 &&
                    class_is(call, devices[i].cls, cls))
                        return post_device(call, &devices[i]);
        for (size_t i = 0; antecedent && dependent && i < sizeof(links) / sizeof(links[0]); i++) {
                char pa[64], pd[64];

                if (links[i].provider == p->index && class_is(call, links[i].cls, cls) &&
                    strcmp(end_id(links[i].antecedent, a, sizeof(a)),
                           end_id(antecedent, pa, sizeof(pa))) == 0 &&
                    strcmp(end_id(links[i].dependent, b, sizeof(b)),
                           end_id(dependent, pd, sizeof(pd))) == 0)
                        return post_link(call, &links[i]);
        }
        return -ENOENT;
}

/* The links of one object: those whose ends carry its DeviceID (as a provider reads the one
 * device's links and nothing else). */
static int provider_references(struct glue_call *call, const struct glue_class *assoc,
                               const struct glue_path *object, void *data)
{
        const struct provider *p = data;
        const char *id = glue_path_get_key(object, "DeviceID");
        char *text = NULL, a[64], b[64];
        int r = 0;

        atomic_fetch_add(&assoc_calls[p->index].references, 1);
        if (glue_path_to_string(object, &text) == 0) {
                pthread_mutex_lock(&last_object_lock);
                snprintf(assoc_last_object[p->index], sizeof(assoc_last_object[0]), "%s", text);
                pthread_mutex_unlock(&last_object_lock);
                free(text);
        }
        for (size_t i = 0; id && r >= 0 && i < sizeof(links) / sizeof(links[0]); i++)
                if (links[i].provider == p->index && class_is(call, links[i].cls, assoc) &&
                    (strcmp(end_id(links[i].antecedent, a, sizeof(a)), id) == 0 ||
                     strcmp(end_id(links[i].dependent, b, sizeof(b)), id) == 0))
                        r = post_link(call, &links[i]);
        return r == -ECANCELED ? 0 : r < 0 ? r : 0;
}

#define PROVIDER(idx, pname, refs)                                                          \
        {                                                                                   \
                .ops = { .size = sizeof(struct glue_provider_ops), .name = pname,           \
                         .init = provider_init, .enumerate = provider_enumerate,            \
                         .get_instance = provider_get, .references = refs },                \
                .index = idx,                                                               \
        }

static struct provider providers[] = {
        PROVIDER(ASSOC_DISKS, "disks", NULL),
        PROVIDER(ASSOC_CTRLS, "ctrls", NULL),
        PROVIDER(ASSOC_TEMPS, "temps", provider_references),
        PROVIDER(ASSOC_LINKS, "links", provider_references),
};
static struct provider providers_no_references[] = {
        PROVIDER(ASSOC_DISKS, "disks", NULL),
        PROVIDER(ASSOC_CTRLS, "ctrls", NULL),
        PROVIDER(ASSOC_TEMPS, "temps", NULL),
        PROVIDER(ASSOC_LINKS, "links", NULL),
};

void assoc_test_reset_counters(void)
{
        for (size_t i = 0; i < ASSOC_PROVIDER_COUNT; i++) {
                atomic_store(&assoc_calls[i].enumerate, 0);
                atomic_store(&assoc_calls[i].get, 0);
                atomic_store(&assoc_calls[i].references, 0);
                pthread_mutex_lock(&last_object_lock);
                assoc_last_object[i][0] = '\0';
                pthread_mutex_unlock(&last_object_lock);
        }
}

struct glue_context *assoc_test_context(unsigned flags)
{
        struct provider *table = flags & ASSOC_TEST_NO_REFERENCES ? providers_no_references
                                                                  : providers;
        struct glue_context *ctx;
        char *error = NULL;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        glue_context_set_log_fn(ctx, test_log_stderr, NULL);
        check_int_eq(glue_context_load_mof(ctx, "assoc-test.mof", schema, &error), 0);
        if (error)
                fprintf(stderr, "%s\n", error);
        free(error);
        for (size_t i = 0; i < ASSOC_PROVIDER_COUNT; i++)
                check_int_eq(glue_context_register_provider(ctx, &table[i].ops), 0);
        assoc_test_reset_counters();
        return ctx;
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int assoc_collect(struct glue_instance *inst, void *userdata)
{
        struct assoc_results *res = userdata;
        const struct glue_class *cls = glue_instance_get_class(inst);
        const char *id, *antecedent, *dependent;
        char *item = NULL, a[64], b[64];

        if (res->n == sizeof(res->items) / sizeof(res->items[0]))
                return GLUE_STOP;
        if (glue_class_is_association(cls)) {
                if (glue_instance_get_reference(inst, "Antecedent", &antecedent) < 0)
                        antecedent = "?";
                if (glue_instance_get_reference(inst, "Dependent", &dependent) < 0)
                        dependent = "?";
                if (asprintf(&item, "%s(%s,%s)", glue_class_get_name(cls),
                             end_id(antecedent, a, sizeof(a)), end_id(dependent, b, sizeof(b))) < 0)
                        item = NULL;
        } else {
                if (glue_instance_get_string(inst, "DeviceID", &id) < 0)
                        id = "?";
                if (asprintf(&item, "%s.%s", glue_class_get_name(cls), id) < 0)
                        item = NULL;
        }
        if (item)
                res->items[res->n++] = item;
        return 0;
}

const char *assoc_results_text(struct assoc_results *res)
{
        qsort(res->items, res->n, sizeof(char *), compare_strings);
        res->text[0] = '\0';
        for (size_t i = 0; i < res->n; i++) {
                strncat(res->text, i ? " " : "", sizeof(res->text) - strlen(res->text) - 1);
                strncat(res->text, res->items[i], sizeof(res->text) - strlen(res->text) - 1);
        }
        return res->text;
}

void assoc_results_clear(struct assoc_results *res)
{
        for (size_t i = 0; i < res->n; i++)
                free(res->items[i]);
        res->n = 0;
        res->text[0] = '\0';
}

const struct glue_provider_status *assoc_status(struct glue_request *req, const char *provider,
                                                const char *class_name,
                                                struct glue_provider_status *st)
{
        for (size_t i = 0; i < glue_request_get_provider_count(req); i++)
                if (glue_request_get_provider_status(req, i, st) == 0 &&
                    strcmp(st->provider, provider) == 0 &&
                    strcasecmp(st->class_name, class_name) == 0)
                        return st;
        return NULL;
}
