/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The provider's reading of sensors.conf (providers/sensors/sensors-config.c) against
 * libsensors' own, on the hand tree: for each configuration below, libsensors is initialised
 * without it and with it, and every feature it drops (ignore), every label it changes and every
 * value it changes (compute) must be one where the provider's reading says such a statement
 * "may" apply; where it says "no" the provider reads the files itself. The configurations are
 * written in the ways libsensors' scanner allows that a naive reading would miss. Each also
 * names what must stay "no", so that a reading that says "may" everywhere fails too.
 *
 * Configurations without errors are read exactly, and there the provider applies them itself:
 * for each of the exact cases below (and the system's own sensors.conf), the reading must say
 * it is exact, and what the provider gives with it must be, field by field, what `sensors -c
 * FILE -j` prints (the truth test of test-sensors-oracle, against the real peer).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sensors/sensors.h>

#include "sensors-config.h"
#include "sensors-oracle.h"
#include "sensors-test-util.h"
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

/* Configurations that parse as libsensors' grammar takes them: read exactly. The hand tree has
 * coretemp-isa-0000, testgpu-pci-0300, drivetemp-scsi-0-0 and testvirt-virtual-0. */
static const struct {
        const char *name, *text;
} exact_cases[] = {
        { "two blocks for one chip: the later label wins; an ignore from either",
          "chip \"coretemp-*\"\n    label temp1 \"first\"\n    ignore temp3\n"
          "chip \"coretemp-isa-0000\" \"nosuch-*\"\n    label temp1 \"second\"\n"
          "    label temp1 \"not this one\"\n    label temp2 \"two\"\n" },
        { "compute: precedence, prefix operators, variables, functions, errors",
          "chip \"testgpu-*\"\n"
          "    compute in0 -@*2+1, (@-1)/2\n"
          "    compute temp1 @ + temp1_lcrit / 1000 - ^0 * 2, @\n"
          "    compute fan1 `(@ + 1) - - 3, @\n"
          "    compute power1 @ / 0, @\n"
          "    compute curr1 @ + curr1_max, @\n"
          "    compute humidity1 @ + humidity1_input, @\n"
          "    compute energy1 ((((@)))) * 1.5 / .5, @\n"
          "    set in0_max 2.5 * 1.1\n" },
        /* (sensors -j prints a label's quote unescaped: none in a label here) */
        { "wildcards, escapes in a feature and a label, a continued statement, CR LF",
          "chip \"*-pci-*\" \\\n     \"drivetemp-*\"\r\n    label temp1 \"wild\\tcard\"\r\n"
          "    compute \\\n        \"te\\mp1\" @*3, @/3 # a comment\n"
          "chip \"*-virtual-*\"\n    ignore cpu0_vid\n    label intrusion0 Case\n" },
        { "statements for features a chip does not have, a block with none",
          "chip \"coretemp-isa-*\"\n    label fan9 \"none\"\n    compute in5 @*2, @/2\n"
          "chip \"drivetemp-*\"\nchip \"testvirt-*\"\n    label intrusion0 \"lid\"\n" },
};

/* `sensors -c path -j` under the preload this test runs in (never the leak checker's exit). */
static char *run_sensors(const char *path)
{
        char cmd[4200], *out = NULL;
        size_t len = 0, cap = 0;
        FILE *p;

        snprintf(cmd, sizeof(cmd), "env ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 "
                 "sensors -c '%s' -j 2>/dev/null", path);
        p = popen(cmd, "re");
        if (!p)
                return NULL;
        for (;;) {
                size_t n;

                if (cap - len < 4096) {
                        char *more = realloc(out, cap + 65536);

                        if (!more)
                                break;
                        out = more;
                        cap += 65536;
                }
                n = fread(out + len, 1, cap - len - 1, p);
                if (n == 0)
                        break;
                len += n;
        }
        if (pclose(p) != 0 || !out) {
                free(out);
                return NULL;
        }
        out[len] = '\0';
        return out;
}

/* The provider with this configuration against `sensors` with it. Returns the fields that
 * differ from the empty configuration's oracle (what the configuration changed). */
static size_t check_against_sensors(const char *name, const char *path, const struct oracle *none)
{
        struct glue_context *ctx = sensors_test_context(path);
        struct instance_list sensors = { 0 }, chips = { 0 };
        struct oracle oracle = { 0 };
        struct oracle_truth truth = { 0 };
        char *text = run_sensors(path);
        size_t changed = 0;

        check(text != NULL);
        if (!text || oracle_parse(text, &oracle) < 0) {
                test_failures++;
                goto out;
        }
        check_int_eq(sensors_test_collect(ctx, "Linux_Sensor", NULL, 0, &sensors), 0);
        check_int_eq(sensors_test_collect(ctx, "Linux_SensorChip", NULL, 0, &chips), 0);
        oracle_compare(&oracle, &sensors, &chips, name, &truth);
        oracle_truth_print(&truth, name);
        check(truth.fields > 0);
        check_int_eq(truth.agree, truth.fields);
        /* what the configuration changed: features dropped, labels or values that differ */
        changed = none->n_features - oracle.n_features;
        for (size_t i = 0; i < oracle.n_features; i++) {
                const struct oracle_feature *f = &oracle.features[i], *g = NULL;

                for (size_t j = 0; j < none->n_features && !g; j++)
                        if (strcmp(none->chips[none->features[j].chip].name,
                                   oracle.chips[f->chip].name) == 0 &&
                            f->n_subfeatures > 0 && none->features[j].n_subfeatures > 0 &&
                            strcmp(none->features[j].subfeatures[0].name,
                                   f->subfeatures[0].name) == 0)
                                g = &none->features[j];
                if (!g || strcmp(f->label, g->label) != 0 || f->n_subfeatures != g->n_subfeatures) {
                        changed++;
                        continue;
                }
                for (size_t k = 0; k < f->n_subfeatures; k++)
                        if (!oracle_same_number(f->subfeatures[k].value, g->subfeatures[k].value))
                                changed++;
        }
out:
        instance_list_free(&sensors);
        instance_list_free(&chips);
        glue_context_unref(ctx);
        oracle_free(&oracle);
        free(text);
        return changed;
}

static void test_exact_configurations_are_applied_as_libsensors_does(void)
{
        char none_path[] = "/tmp/hwglue-sensors-none-XXXXXX";
        struct oracle none = { 0 };
        char *none_text;
        int fd = mkstemp(none_path);

        check(fd >= 0);
        if (fd < 0)
                return;
        close(fd);
        none_text = run_sensors(none_path);
        check(none_text && oracle_parse(none_text, &none) == 0);
        for (size_t i = 0; i < sizeof(exact_cases) / sizeof(exact_cases[0]); i++) {
                char path[] = "/tmp/hwglue-sensors-conf-XXXXXX";
                struct sensors_config *config = NULL;
                const char *text = exact_cases[i].text;
                size_t changed;
                FILE *f;

                fd = mkstemp(path);
                f = fd >= 0 ? fdopen(fd, "w") : NULL;
                check(f != NULL);
                if (!f)
                        continue;
                fputs(text, f);
                fclose(f);
                check_int_eq(sensors_config_new(&config), 0);
                check_int_eq(sensors_config_add_text(config, path, text, strlen(text)), 0);
                if (!sensors_config_is_exact(config)) {
                        fprintf(stderr, "%s: read as not exact: %s\n", exact_cases[i].name,
                                sensors_config_inexact_where(config));
                        test_failures++;
                }
                sensors_config_free(config);
                changed = check_against_sensors(exact_cases[i].name, path, &none);
                printf("# %s: %zu fields changed by it\n", exact_cases[i].name, changed);
                check(changed > 0);
                unlink(path);
        }
        oracle_free(&none);
        free(none_text);
        unlink(none_path);
}

/* The system's own sensors.conf (Debian's lists some 40 chips) parses cleanly: read exactly. */
static void test_system_configuration_is_exact(void)
{
        struct sensors_config *config = NULL;

        check_int_eq(sensors_config_new(&config), 0);
        check_int_eq(sensors_config_add_default_files(config), 0);
        if (!sensors_config_is_exact(config)) {
                fprintf(stderr, "the system's configuration is read as not exact: %s\n",
                        sensors_config_inexact_where(config));
                test_failures++;
        }
        sensors_config_free(config);
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
        static const char *const names[] = {
                "statements_libsensors_applies_are_seen",
                "exact_configurations_are_applied_as_libsensors_does",
                "system_configuration_is_exact", "unreadable_file_makes_everything_apply",
        };
        static const test_fn fns[] = {
                test_statements_libsensors_applies_are_seen,
                test_exact_configurations_are_applied_as_libsensors_does,
                test_system_configuration_is_exact, test_unreadable_file_makes_everything_apply,
        };
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
