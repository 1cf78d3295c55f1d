/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * WMI object paths (glue_path_parse). Invariants: a rejected path is -EILSEQ and leaves *ret
 * alone; an accepted one has well-formed parts, and its canonical text (glue_path_to_string)
 * parses again to an equal path whose canonical text is the same (a fixed point).
 *
 * References: an accepted path is also set as the value of REF properties of a small schema
 * (to a class hierarchy, to a class with integer and boolean keys, to an association whose keys
 * are references). The setter refuses it with -EILSEQ or -EPROTO and keeps the old value, or
 * stores a canonical text that sets to itself again (a fixed point), parses, and names the same
 * object as the input (glue_reference_equal). A key holding a path (an association's) is
 * checked the same way, one level down.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <strings.h>

#include "fuzz-harness.h"
#include "libglue.h"

static bool is_identifier(const char *s)
{
        if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
                return false;
        for (s++; *s; s++)
                if (!(isalnum((unsigned char)*s) || *s == '_'))
                        return false;
        return true;
}

/* A bare key value: an optionally signed decimal integer, or true/false in any case. */
static bool is_bare_value(const char *s)
{
        if (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0)
                return true;
        if (*s == '-' || *s == '+')
                s++;
        if (!isdigit((unsigned char)*s))
                return false;
        while (isdigit((unsigned char)*s))
                s++;
        return *s == '\0';
}

static bool strings_equal(const char *a, const char *b)
{
        return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check_well_formed(const struct glue_path *path)
{
        size_t n = glue_path_get_key_count(path);
        const char *ns = glue_path_get_namespace(path);

        fuzz_assert(is_identifier(glue_path_get_class(path)));
        if (ns) {
                fuzz_assert(*ns != '\0');
                for (const char *c = ns; *c; c++)
                        fuzz_assert(*c == '/' || isalnum((unsigned char)*c) || *c == '_');
        }
        for (size_t i = 0; i < n; i++) {
                const char *name = NULL, *value = NULL;
                bool is_string = false;

                fuzz_assert(glue_path_get_key_at(path, i, &name, &value, &is_string) == 0);
                fuzz_assert(is_identifier(name) && value);
                fuzz_assert(is_string || is_bare_value(value));
                /* Key names are unique (case-insensitively), so lookup by name finds this one. */
                fuzz_assert(glue_path_get_key(path, name) == value);
        }
        fuzz_assert(glue_path_get_key_at(path, n, NULL, NULL, NULL) == -EINVAL);
}

static bool paths_equal(const struct glue_path *a, const struct glue_path *b)
{
        size_t n = glue_path_get_key_count(a);

        if (!strings_equal(glue_path_get_namespace(a), glue_path_get_namespace(b)) ||
            !strings_equal(glue_path_get_class(a), glue_path_get_class(b)) ||
            glue_path_get_key_count(b) != n)
                return false;
        for (size_t i = 0; i < n; i++) {
                const char *name_a, *value_a, *name_b, *value_b;
                bool string_a, string_b;

                glue_path_get_key_at(a, i, &name_a, &value_a, &string_a);
                glue_path_get_key_at(b, i, &name_b, &value_b, &string_b);
                if (strcmp(name_a, name_b) != 0 || strcmp(value_a, value_b) != 0 ||
                    string_a != string_b)
                        return false;
        }
        return true;
}

static const char schema_mof[] =
        "class F_Thing { [Key] string Id; };\n"
        "class F_Box : F_Thing { string Label; };\n"
        "class F_Bag : F_Thing { };\n"
        "class F_Slot { [Key] uint32 Bus; [Key] boolean Hot; [Key] sint16 Delta; };\n"
        "class F_Single { string S; };\n"
        "[Association] class F_In { [Key] F_Box REF Thing; [Key] F_Slot REF Slot; };\n"
        "[Association] class F_Ref { F_In REF Link; F_Thing REF Other; F_Single REF One; };\n";

static struct glue_instance *reference_holder(void)
{
        static struct glue_context *ctx; /* one schema for every input, freed at exit */
        static struct glue_instance *inst;
        const struct glue_class *cls;

        if (!inst) {
                fuzz_assert(glue_context_new(GLUE_CONTEXT_EMPTY, &ctx) == 0);
                fuzz_assert(glue_context_load_mof(ctx, "fuzz-path.mof", schema_mof, NULL) == 0);
                fuzz_assert(glue_context_find_class(ctx, NULL, "F_Ref", &cls) == 0);
                fuzz_assert(glue_instance_new(cls, &inst) == 0);
        }
        return inst;
}

static void check_reference(const char *name, const char *text, int depth)
{
        struct glue_instance *inst = reference_holder();
        const struct glue_class *cls = glue_instance_get_class(inst);
        const struct glue_property *prop;
        const char *stored = NULL, *again = NULL;
        struct glue_path *path;
        char *copy;
        int r;

        fuzz_assert(glue_class_find_property(cls, name, &prop, NULL) == 0);
        fuzz_assert(glue_instance_set_null(inst, name) == 0);
        r = glue_instance_set_reference(inst, name, text);
        if (r < 0) {
                fuzz_assert(r == -EILSEQ || r == -EPROTO || r == -ENOMEM);
                fuzz_assert(glue_instance_get_reference(inst, name, &stored) == -ENODATA);
                return;
        }
        fuzz_assert(glue_instance_get_reference(inst, name, &stored) == 0);
        copy = strdup(stored);
        fuzz_assert(copy);
        fuzz_assert(glue_instance_set_reference(inst, name, copy) == 0);
        fuzz_assert(glue_instance_get_reference(inst, name, &again) == 0);
        fuzz_assert(strcmp(again, copy) == 0);
        r = glue_reference_equal(prop, text, copy);
        fuzz_assert(r == 1 || r == -ENOMEM);
        fuzz_assert(glue_path_parse(copy, &path) == 0);
        fuzz_assert(glue_path_get_namespace(path) == NULL); /* within the namespace: dropped */
        /* the keys of an association are references in turn */
        for (size_t i = 0; depth < 2 && i < glue_path_get_key_count(path); i++) {
                const char *key, *value;

                glue_path_get_key_at(path, i, &key, &value, NULL);
                if (strcasecmp(key, "Thing") == 0)
                        check_reference("Other", value, depth + 1);
        }
        glue_path_free(path);
        free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static char sentinel; /* what *ret holds before: a failed parse must leave it */
        struct glue_path *const untouched = (struct glue_path *)&sentinel;
        struct glue_path *path = untouched, *again = NULL;
        char *text, *canonical = NULL, *canonical_again = NULL;
        int r;

        text = fuzz_string(data, size);
        if (!text)
                return 0;
        r = glue_path_parse(text, &path);
        if (r < 0) {
                fuzz_assert(r == -EILSEQ || r == -ENOMEM);
                fuzz_assert(path == untouched);
                free(text);
                return 0;
        }
        fuzz_assert(path && path != untouched);
        fuzz_assert(strlen(text) <= 4096);
        check_well_formed(path);

        fuzz_assert(glue_path_to_string(path, &canonical) == 0);
        /* The canonical text drops the host and adds nothing, so it is no longer than the input. */
        fuzz_assert(strlen(canonical) <= strlen(text));
        r = glue_path_parse(canonical, &again);
        if (r < 0)
                fprintf(stderr, "canonical path \"%s\" does not parse: %d\n", canonical, r);
        fuzz_assert(r == 0);
        fuzz_assert(paths_equal(path, again));
        fuzz_assert(glue_path_to_string(again, &canonical_again) == 0);
        fuzz_assert(strcmp(canonical, canonical_again) == 0);

        check_reference("Link", text, 0);
        check_reference("Other", text, 0);
        check_reference("One", text, 0);

        free(canonical_again);
        free(canonical);
        glue_path_free(again);
        glue_path_free(path);
        free(text);
        return 0;
}
