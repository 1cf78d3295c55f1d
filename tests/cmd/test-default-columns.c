/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The built-in schema's default columns (the DefaultColumns class qualifier that hwglue's
 * tables show): every name is a property of the class that uses it, every class a provider
 * serves has some, and the families show what their peers show first (lsblk: name, size,
 * model, transport, rotational, serial; lspci: address, class, vendor, device, driver;
 * sensors: chip, label, reading, limits).
 */
#include <strings.h>

#include "test-util.h"

static const struct glue_value *default_columns(const struct glue_class *cls)
{
        const struct glue_value *v;

        if (glue_class_get_qualifier(cls, "DefaultColumns", &v) < 0)
                return NULL;
        return v;
}

static bool has_column(const struct glue_value *v, const char *name)
{
        for (size_t i = 0; v && i < v->count; i++)
                if (strcasecmp(v->v.str_array[i], name) == 0)
                        return true;
        return false;
}

static struct glue_context *builtin(void)
{
        struct glue_context *ctx = NULL;

        check_int_eq(glue_context_new(0, &ctx), 0);
        return ctx;
}

static void test_names_are_properties(void)
{
        struct glue_context *ctx = builtin();

        for (size_t i = 0; ctx && i < glue_context_get_class_count(ctx); i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);
                const struct glue_value *v = default_columns(cls);

                if (!v)
                        continue;
                check(v->is_array && glue_type_is_string(v->type) && v->count > 0);
                for (size_t k = 0; v->is_array && glue_type_is_string(v->type) && k < v->count; k++)
                        if (glue_class_find_property(cls, v->v.str_array[k], NULL, NULL) < 0) {
                                fprintf(stderr, "%s: default column %s is no property\n",
                                        glue_class_get_name(cls), v->v.str_array[k]);
                                test_failures++;
                        }
        }
        glue_context_unref(ctx);
}

static void test_served_classes_have_them(void)
{
        struct glue_context *ctx = builtin();

        for (size_t i = 0; ctx && i < glue_context_get_class_count(ctx); i++) {
                const struct glue_class *cls = glue_context_get_class(ctx, i);
                const struct glue_value *v = default_columns(cls);

                if (!glue_class_get_provider(cls))
                        continue;
                /* an association shows the two objects it relates */
                if (glue_class_is_association(cls)) {
                        if (!has_column(v, "Antecedent") || !has_column(v, "Dependent")) {
                                fprintf(stderr, "%s: served, but its references are no default "
                                        "columns\n", glue_class_get_name(cls));
                                test_failures++;
                        }
                        continue;
                }
                /* more than CIM_LogicalDevice's DeviceID and Name */
                if (!v || v->count <= 2) {
                        fprintf(stderr, "%s: served, but no default columns of its own family\n",
                                glue_class_get_name(cls));
                        test_failures++;
                }
        }
        glue_context_unref(ctx);
}

static void expect_columns(struct glue_context *ctx, const char *class_name,
                           const char *const *names, size_t n)
{
        const struct glue_class *cls = NULL;
        const struct glue_value *v;

        check_int_eq(glue_context_find_class(ctx, NULL, class_name, &cls), 0);
        if (!cls)
                return;
        v = default_columns(cls);
        check(v != NULL);
        for (size_t i = 0; i < n; i++)
                if (!has_column(v, names[i])) {
                        fprintf(stderr, "%s: %s is not a default column\n", class_name, names[i]);
                        test_failures++;
                }
}

static void test_families_show_what_their_peers_show(void)
{
        static const char *const disk[] = { "Name", "Size", "Model", "Transport", "Rotational",
                                            "SerialNumber" };
        static const char *const pci[] = { "DeviceID", "ClassName", "VendorName", "DeviceName",
                                           "Driver" };
        static const char *const sensor[] = { "ChipName", "Label", "Reading", "Minimum",
                                              "Maximum", "Critical" };
        struct glue_context *ctx = builtin();

        if (!ctx)
                return;
        expect_columns(ctx, "Linux_DiskDrive", disk, 6);
        /* inherited by the subclasses by transport */
        expect_columns(ctx, "Linux_NVMeNamespace", disk, 6);
        expect_columns(ctx, "Linux_USBDisk", disk, 6);
        expect_columns(ctx, "Linux_PCIDevice", pci, 5);
        expect_columns(ctx, "Linux_PCIDisplayController", pci, 5);
        expect_columns(ctx, "Linux_Sensor", sensor, 6);
        expect_columns(ctx, "Linux_TemperatureSensor", sensor, 6);
        glue_context_unref(ctx);
}

TEST_MAIN(test_names_are_properties, test_served_classes_have_them,
          test_families_show_what_their_peers_show)
