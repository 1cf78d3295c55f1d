/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The provider's reading of sensors.conf (providers/sensors/sensors-config.c) against
 * libsensors' own, on the hand tree: for each configuration below, libsensors is initialised
 * without it and with it, and every feature it drops (ignore), every label it changes and every
 * value it changes (compute) must be one where the provider's reading says such a statement
 * "may" apply; where it says "no" the provider reads the files itself. The configurations are
 * written in the ways libsensors' scanner allows that a naive reading would miss. Each also
 * names what must stay "no", so that a reading that says "may" everywhere fails too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sensors/sensors.h>

#include "sensors-config.h"
#include "sensors-lib.h"
#include "test-util.h"
#include "umockdev-rerun.h"

struct config_case {
        const char *name;
        const char *text;
        /* "chip/feature:kind" that must stay "no": kind c(ompute), l(abel) or i(gnore) */
        const char *const must_not[4];
};

static const struct config_case cases[] = {
        /* First: libsensors 3.6 keeps the block of the last chip statement it parsed across
         * sensors_cleanup(), so a statement before the first chip statement of a later
         * configuration writes into freed memory. Here nothing was parsed before. */
        { "statements before the first chip, an error token, a set and a bus statement",
          "compute temp1 @*2, @/2\nbus \"i2c-0\" \"x\"\nchip \"coretemp-*\" $\n    set temp1_max 9\n"
          "chip \"drivetemp-*\"\n    compute temp1 @*2, @/2\n    ignore temp1\n",
          { "testgpu-pci-0300/in0:c" } },
        { "a chip statement on two lines",
          "chip \"nosuch-*\" \\\n     \"coretemp-*\"\n    compute temp1 @*2, @/2\n",
          { "testgpu-pci-0300/temp1:c", "coretemp-isa-0000/temp2:c" } },
        { "a quoted feature name with escapes",
          "chip \"testgpu-*\"\n    compute \"te\\mp1\" @+1, @-1\n    label \"in\\0\" \"Core\"\n",
          { "drivetemp-scsi-0-0/temp1:c", "testgpu-pci-0300/in0:c" } },
        { "a refused chip statement: the block before goes on",
          "chip \"testgpu-*\"\nchip \"testgpu-nosuchbus-0\"\n    compute curr1 @*4, @/4\n",
          { "testgpu-pci-0300/in0:c" } },
        { "CR LF line ends, a continued compute statement",
          "chip \"coretemp-*\"\r\n    compute \\\r\n      temp1 @*2,\\\n @/2\r\n",
          { "coretemp-isa-0000/temp1:l" } },
        { "comments: after a chip name, a whole line, inside a string",
          "chip \"coretemp-*\" # \"testgpu-*\"\n    compute temp1 @*2, @/2\n"
          "chip \"testgpu-*\"\n# compute in0 @*2, @/2\n    label temp1 \"a # b\"\n",
          { "testgpu-pci-0300/temp1:c", "testgpu-pci-0300/in0:c", "coretemp-isa-0000/temp1:l" } },
        { "a keyword with a quote right after it",
          "chip\"coretemp-isa-0000\"\n    compute\"temp1\" @*2, @/2\n    label\"temp3\" \"T3\"\n",
          { "coretemp-isa-0000/temp2:c" } },
        { "wildcards and an address",
          "chip \"*-pci-*\"\n    compute fan1 @*10, @/10\nchip \"coretemp-isa-0001\"\n"
          "    compute temp1 @*2, @/2\nchip \"*-virtual-*\"\n    ignore cpu0_vid\n"
          "    label intrusion0 \"Case\"\n",
          { "coretemp-isa-0000/temp1:c", "coretemp-isa-0000/temp1:i" } },
};

struct feature_seen {
        char key[300];          /* chip/feature */
        char *label;
        double values[32];
        int errors[32];
        size_t n_values;
};

struct seen {
        struct feature_seen *features;
        size_t n;
};

static void seen_free(struct seen *s)
{
        for (size_t i = 0; i < s->n; i++)
                free(s->features[i].label);
        free(s->features);
        *s = (struct seen){ 0 };
}

static const struct feature_seen *seen_find(const struct seen *s, const char *key)
{
        for (size_t i = 0; i < s->n; i++)
                if (strcmp(s->features[i].key, key) == 0)
                        return &s->features[i];
        return NULL;
}

/* What libsensors shows with the configuration text (NULL: none). */
static int look(const char *text, struct seen *ret)
{
        const sensors_chip_name *chip;
        FILE *f;
        int nr = 0, r;

        *ret = (struct seen){ 0 };
        f = text ? fmemopen((void *)text, strlen(text), "r") : fopen("/dev/null", "re");
        if (!f)
                return -errno;
        r = sensors_init(f);
        fclose(f);
        if (r < 0)
                return r;
        while ((chip = sensors_get_detected_chips(NULL, &nr))) {
                const sensors_feature *feature;
                char name[256];
                int fnr = 0;

                sensors_snprintf_chip_name(name, sizeof(name), chip);
                while ((feature = sensors_get_features(chip, &fnr))) {
                        const sensors_subfeature *sub;
                        struct feature_seen *fs;
                        int snr = 0;

                        fs = realloc(ret->features, (ret->n + 1) * sizeof(*fs));
                        if (!fs)
                                return -ENOMEM;
                        ret->features = fs;
                        fs = &fs[ret->n++];
                        *fs = (struct feature_seen){ 0 };
                        snprintf(fs->key, sizeof(fs->key), "%s/%s", name, feature->name);
                        fs->label = sensors_get_label(chip, feature);
                        while ((sub = sensors_get_all_subfeatures(chip, feature, &snr)) &&
                               fs->n_values < 32) {
                                fs->errors[fs->n_values] =
                                        sensors_get_value(chip, sub->number,
                                                          &fs->values[fs->n_values]);
                                fs->n_values++;
                        }
                }
        }
        sensors_cleanup();
        return 0;
}

static bool may(const struct sensors_config *config, const char *key, enum sensors_statement kind)
{
        char chip_part[300];
        const char *slash = strchr(key, '/');
        sensors_chip_name match;
        const sensors_chip_name *chip;
        struct sensors_config_view view;
        bool result = false;
        int nr = 0;

        snprintf(chip_part, sizeof(chip_part), "%.*s", (int)(slash - key), key);
        if (sensors_parse_chip_name(chip_part, &match) < 0)
                return false;
        chip = sensors_get_detected_chips(&match, &nr);
        if (chip) {
                sensors_config_view_init(&view, config, chip);
                result = sensors_config_view_may(&view, kind, slash + 1);
        }
        sensors_free_chip_name(&match);
        return result;
}

static bool same_values(const struct feature_seen *a, const struct feature_seen *b)
{
        if (a->n_values != b->n_values)
                return false;
        for (size_t i = 0; i < a->n_values; i++)
                if (a->errors[i] != b->errors[i] ||
                    (a->errors[i] == 0 && a->values[i] != b->values[i]))
                        return false;
        return true;
}

static void check_case(const struct config_case *c, const struct seen *without)
{
        struct sensors_config *config = NULL;
        struct seen with;
        FILE *f;
        size_t applied = 0;

        check_int_eq(sensors_config_new(&config), 0);
        check_int_eq(sensors_config_add_text(config, c->name, c->text, strlen(c->text)), 0);
        check_int_eq(look(c->text, &with), 0);
        /* the chips, for matching, as libsensors sees them under no configuration */
        f = fopen("/dev/null", "re");
        check(f && sensors_init(f) == 0);
        if (f)
                fclose(f);
        for (size_t i = 0; i < without->n; i++) {
                const struct feature_seen *a = &without->features[i], *b;
                const char *key = a->key;

                b = seen_find(&with, key);
                if (!b) {
                        applied++;
                        if (!may(config, key, SENSORS_STATEMENT_IGNORE)) {
                                fprintf(stderr, "%s: libsensors ignores %s, the reading says no\n",
                                        c->name, key);
                                test_failures++;
                        }
                        continue;
                }
                if (strcmp(a->label, b->label) != 0) {
                        applied++;
                        if (!may(config, key, SENSORS_STATEMENT_LABEL)) {
                                fprintf(stderr, "%s: libsensors labels %s \"%s\", the reading "
                                        "says no\n", c->name, key, b->label);
                                test_failures++;
                        }
                }
                if (!same_values(a, b)) {
                        applied++;
                        if (!may(config, key, SENSORS_STATEMENT_COMPUTE)) {
                                fprintf(stderr, "%s: libsensors computes %s, the reading says "
                                        "no\n", c->name, key);
                                test_failures++;
                        }
                }
        }
        for (size_t i = 0; i < 4 && c->must_not[i]; i++) {
                char key[300];
                const char *colon = strrchr(c->must_not[i], ':');
                enum sensors_statement kind = colon[1] == 'c' ? SENSORS_STATEMENT_COMPUTE :
                                              colon[1] == 'l' ? SENSORS_STATEMENT_LABEL :
                                                                SENSORS_STATEMENT_IGNORE;

                snprintf(key, sizeof(key), "%.*s", (int)(colon - c->must_not[i]), c->must_not[i]);
                if (may(config, key, kind)) {
                        fprintf(stderr, "%s: the reading says %s may be touched\n", c->name,
                                c->must_not[i]);
                        test_failures++;
                }
        }
        /* every case changes something: else it would prove nothing */
        check(applied > 0);
        printf("# %s: libsensors applies %zu statements\n", c->name, applied);
        sensors_cleanup();
        seen_free(&with);
        sensors_config_free(config);
}

static void test_statements_libsensors_applies_are_seen(void)
{
        struct seen without;

        check_int_eq(look(NULL, &without), 0);
        check(without.n >= 10);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                check_case(&cases[i], &without);
        seen_free(&without);
}

static void test_unreadable_file_makes_everything_apply(void)
{
        struct sensors_config *config = NULL;
        struct sensors_config_view view;
        sensors_chip_name chip = { .prefix = (char *)"coretemp", .bus = { SENSORS_BUS_TYPE_ISA, 0 } };

        check_int_eq(sensors_config_new(&config), 0);
        sensors_config_view_init(&view, config, &chip);
        check(!sensors_config_view_may(&view, SENSORS_STATEMENT_COMPUTE, "temp1"));
        sensors_config_add_unknown(config);
        sensors_config_view_init(&view, config, &chip);
        check(sensors_config_view_may(&view, SENSORS_STATEMENT_COMPUTE, "temp1"));
        check(sensors_config_view_may(&view, SENSORS_STATEMENT_IGNORE, NULL));
        sensors_config_free(config);
}

int main(int argc, char **argv)
{
        static const char *const names[] = { "statements_libsensors_applies_are_seen",
                                             "unreadable_file_makes_everything_apply" };
        static const test_fn fns[] = { test_statements_libsensors_applies_are_seen,
                                       test_unreadable_file_makes_everything_apply };
        char *dir;
        int r;

        if (argc != 2) {
                fprintf(stderr, "usage: %s TREE\n", argv[0]);
                return 2;
        }
        dir = realpath(argv[1], NULL);
        if (!dir) {
                perror(argv[1]);
                return 1;
        }
        r = umockdev_rerun(argv, dir, NULL);
        free(dir);
        if (r >= 0)
                return r;
        /* the provider's hooks: parse errors are recorded, not printed */
        sensors_lib_ref();
        r = test_run(names, fns, sizeof(fns) / sizeof(fns[0]));
        sensors_lib_unref();
        return r;
}
