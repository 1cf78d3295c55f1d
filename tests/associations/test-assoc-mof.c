/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [Association] classes in MOF: what the parser builds (the qualifier inherited, references
 * typed by their class, narrowed by overrides, keys), the file:line:col error of each rule it
 * keeps (nothing of a failed text added), and the built-in association classes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test-util.h"

static const char good[] =
        "class M_Element { [Key] string Id; };\n"
        "class M_Device : M_Element { };\n"
        "class M_Sensor : M_Device { };\n"
        "[Association, Abstract, Description(\"dep\")]\n"
        "class M_Dependency {\n"
        "  [Key, Description(\"independent\")] M_Element REF Antecedent;\n"
        "  [Key] M_Element ref Dependent;\n"
        "};\n"
        "class M_Measures : M_Dependency {\n"
        "  [Override(\"Antecedent\")] M_Sensor REF Antecedent;\n"
        "  real64 Weight;\n"
        "};\n"
        "[Association] class M_Measures2 : M_Measures {\n"
        "  [Override(\"Dependent\"), Description(\"narrowed\")] M_Device Ref Dependent;\n"
        "};\n";

static void test_good(void)
{
        struct glue_context *ctx;
        const struct glue_class *element, *device, *sensor, *dep, *measures, *measures2;
        const struct glue_property *prop;
        const struct glue_value *v;
        char *error = NULL;
        size_t index;

        check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
        check_int_eq(glue_context_load_mof(ctx, "good.mof", good, &error), 0);
        if (error)
                fprintf(stderr, "%s\n", error);
        free(error);
        check_int_eq(glue_context_find_class(ctx, NULL, "M_Element", &element), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "M_Device", &device), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "M_Sensor", &sensor), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "M_Dependency", &dep), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "M_Measures", &measures), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "M_Measures2", &measures2), 0);
        check(glue_class_is_association(dep));
        check(glue_class_is_association(measures)); /* inherited */
        check(glue_class_is_association(measures2));
        check(!glue_class_is_association(device));
        check_int_eq(glue_class_get_qualifier(measures, "Association", &v), 0);
        check(v->type == GLUE_TYPE_BOOLEAN && v->v.b);
        check_int_eq(glue_class_get_key_count(measures2), 2);

        check_int_eq(glue_class_find_property(dep, "Antecedent", &prop, &index), 0);
        check_int_eq(index, 0);
        check_int_eq(glue_property_get_type(prop), GLUE_TYPE_REFERENCE);
        check(glue_property_get_reference_class(prop) == element);
        check(glue_property_is_key(prop));
        check_int_eq(glue_property_get_qualifier(prop, "Description", &v), 0);
        check_str_eq(v->v.str, "independent");
        check_int_eq(glue_class_find_property(measures, "Antecedent", &prop, &index), 0);
        check_int_eq(index, 0); /* an override keeps the place */
        check(glue_property_get_reference_class(prop) == sensor);
        check(glue_property_get_class_origin(prop) == measures);
        check(glue_property_is_key(prop)); /* inherited */
        check_int_eq(glue_class_find_property(measures, "Dependent", &prop, NULL), 0);
        check(glue_property_get_reference_class(prop) == element);
        check_int_eq(glue_class_find_property(measures2, "Dependent", &prop, NULL), 0);
        check(glue_property_get_reference_class(prop) == device);
        check_int_eq(glue_class_find_property(measures2, "Antecedent", &prop, NULL), 0);
        check(glue_property_get_reference_class(prop) == sensor);
        check_int_eq(glue_class_find_property(measures2, "Weight", &prop, NULL), 0);
        check(glue_property_get_reference_class(prop) == NULL);
        glue_context_unref(ctx);
}

struct bad_case {
        const char *text;
        const char *error;
};

#define BASE "class E { [Key] string Id; };\nclass F : E { };\n"

static const struct bad_case bad_cases[] = {
        { BASE "class A { E REF X; E REF Y; };",
          "bad.mof:3:17: reference X is declared in class A, which is no association (give the "
          "class the Association qualifier)" },
        { BASE "[Association] class A { Nope REF X; E REF Y; };",
          "bad.mof:3:25: unknown class Nope for a reference" },
        { BASE "[Association] class A { E REF X[]; E REF Y; };",
          "bad.mof:3:31: reference X cannot be an array" },
        { BASE "[Association] class A { E REF X = \"E.Id=\\\"a\\\"\"; E REF Y; };",
          "bad.mof:3:33: reference X cannot have a default value" },
        { BASE "[Association] class A { E REF X; };",
          "bad.mof:3:21: association A has 1 reference: it needs at least two" },
        { BASE "[Association] class A { string S; };",
          "bad.mof:3:21: association A has 0 references: it needs at least two" },
        { BASE "[Association] class A : E { E REF X; E REF Y; };",
          "bad.mof:3:21: association A cannot derive from E, which is no association" },
        { BASE "[Association] class A { F REF X; F REF Y; };\n"
               "class B : A { [Override(\"X\")] E REF X; };",
          "bad.mof:4:37: override of reference X must refer to F or a class derived from it" },
        { BASE "[Association] class A { E REF X; E REF Y; };\n"
               "[Association(false)] class B : A { };",
          "bad.mof:4:28: class B derives from association A: it is one too (Association cannot "
          "be overridden)" },
        { BASE "[Association] class A { E REF X; E REF Y; };\nclass B : A { E REF Z; };",
          "bad.mof:4:21: association B cannot add reference Z: a subclass of association A keeps "
          "its references (narrow them with Override)" },
        { BASE "[Association] class A { E REF X; E REF Y; };\nclass B : A { string X; };",
          "bad.mof:4:22: property X is already defined in superclass A; use [Override(\"X\")]" },
        { BASE "[Association] class A { E REF X; E REF Y; };\n"
               "class B : A { [Override(\"X\")] string X; };",
          "bad.mof:4:38: override of X changes its type" },
        { BASE "[Association] class A { [Key] E REF X; [Key] E REF Y; };\n"
               "instance of A { X = \"E.Id=\\\"a\\\"\"; Y = 3; };",
          "bad.mof:4:35: value of Y does not fit its type: the path names no E" },
        { BASE "[Association] class A { [Key] E REF X; [Key] E REF Y; };\n"
               "instance of A { X = \"E.Id=\\\"a\\\"\"; Y = \"E.Name=\\\"a\\\"\"; };",
          "bad.mof:4:35: value of Y does not fit its type: no object path with the keys of its "
          "class" },
        { BASE "[Association] class A { [Key] E REF X; [Key] E REF Y; };\n"
               "instance of A { X = \"E.Id=\\\"a\\\"\"; Y = \"F.Id=\\\"b\\\"\"; };\n"
               "instance of A { X = \"e.ID=\\\"a\\\"\"; Y = \"f.id=\\\"b\\\"\"; };",
          "bad.mof:5:55: instance of A with the same key is declared twice" },
};

static void test_bad(void)
{
        for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
                struct glue_context *ctx;
                char *error = NULL;

                check_int_eq(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx), 0);
                check_int_eq(glue_context_load_mof(ctx, "bad.mof", bad_cases[i].text, &error),
                             -ENOEXEC);
                check_str_eq(error, bad_cases[i].error);
                check_int_eq(glue_context_get_class_count(ctx), 0); /* all or nothing */
                free(error);
                glue_context_unref(ctx);
        }
}

/* The classes the providers bind: which REF properties, to which classes, served by whom. */
static void check_builtin(const struct glue_context *ctx, const char *name, const char *super,
                          const char *provider, const char *antecedent, const char *dependent)
{
        const struct glue_class *cls;
        const struct glue_property *prop;

        check_int_eq(glue_context_find_class(ctx, NULL, name, &cls), 0);
        if (!cls)
                return;
        check(glue_class_is_association(cls));
        check_str_eq(glue_class_get_name(glue_class_get_superclass(cls)), super);
        if (provider)
                check_str_eq(glue_class_get_provider(cls), provider);
        else
                check(glue_class_get_provider(cls) == NULL && glue_class_is_abstract(cls));
        check_int_eq(glue_class_get_key_count(cls), 2);
        check_int_eq(glue_class_find_property(cls, "Antecedent", &prop, NULL), 0);
        check_str_eq(glue_class_get_name(glue_property_get_reference_class(prop)), antecedent);
        check_int_eq(glue_class_find_property(cls, "Dependent", &prop, NULL), 0);
        check_str_eq(glue_class_get_name(glue_property_get_reference_class(prop)), dependent);
}

static void test_builtin(void)
{
        struct glue_context *ctx;
        const struct glue_class *cls;
        const struct glue_property *prop;

        check_int_eq(glue_context_new(0, &ctx), 0);
        check_int_eq(glue_context_find_class(ctx, NULL, "CIM_Dependency", &cls), 0);
        check(glue_class_is_association(cls) && glue_class_is_abstract(cls) &&
              !glue_class_get_superclass(cls));
        check_builtin(ctx, "CIM_AssociatedSensor", "CIM_Dependency", NULL, "CIM_Sensor",
                      "CIM_ManagedSystemElement");
        check_builtin(ctx, "CIM_BasedOn", "CIM_Dependency", NULL, "CIM_StorageExtent",
                      "CIM_StorageExtent");
        check_builtin(ctx, "CIM_DeviceConnection", "CIM_Dependency", NULL, "CIM_LogicalDevice",
                      "CIM_LogicalDevice");
        check_builtin(ctx, "CIM_ControlledBy", "CIM_DeviceConnection", NULL, "CIM_LogicalDevice",
                      "CIM_LogicalDevice");
        check_builtin(ctx, "Linux_AssociatedSensor", "CIM_AssociatedSensor", "sensors",
                      "Linux_Sensor", "CIM_LogicalDevice");
        check_builtin(ctx, "Linux_BlockDeviceBasedOn", "CIM_BasedOn", "block",
                      "Linux_BlockDevice", "Linux_BlockDevice");
        check_builtin(ctx, "Linux_DiskDriveControlledBy", "CIM_ControlledBy", "block",
                      "CIM_PCIController", "Linux_DiskDrive");
        check_builtin(ctx, "Linux_PCIDeviceControlledBy", "CIM_ControlledBy", "pci",
                      "Linux_PCIBridge", "Linux_PCIDevice");
        check_int_eq(glue_context_find_class(ctx, NULL, "Linux_BlockDeviceBasedOn", &cls), 0);
        check_int_eq(glue_class_find_property(cls, "StartingAddress", &prop, NULL), 0);
        check_int_eq(glue_class_find_property(cls, "EndingAddress", &prop, NULL), 0);
        glue_context_unref(ctx);
}

TEST_MAIN(test_good, test_bad, test_builtin)
