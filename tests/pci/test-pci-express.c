/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The PCI Express parts on a tree made here, with the cases real trees have only by chance:
 * AER counters (a total that is not the sum of its errors, a NUL-padded file, a malformed one,
 * one that cannot be read), links trained below their maximum at each kind of port (an
 * endpoint, a root port, an upstream switch port, a link that is down), BARs of every kind
 * (64-bit prefetchable, I/O, unassigned) and a ROM, and bridge windows from the kernel's
 * resource lines and from the configuration header; and what hwglue-export makes of them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pci-test.h"

static char root[] = "/tmp/hwglue-pci-express-XXXXXX";

#define DEVICES "sys/devices/pci0000:00/"

struct function {
        const char *path; /* under DEVICES */
        unsigned vendor, device, class_code;
        int port_type;    /* PCIe device/port type for a 256-byte config, -1: no config */
};

static void put16(uint8_t *config, unsigned offset, unsigned value)
{
        config[offset] = value & 0xff;
        config[offset + 1] = (value >> 8) & 0xff;
}

static void add_function(const struct function *fn, const char *resource)
{
        const char *name = strrchr(fn->path, '/') ? strrchr(fn->path, '/') + 1 : fn->path;
        char file[512], target[512], text[64];

#define ATTRIBUTE(attr, ...)                                                          \
        do {                                                                          \
                snprintf(text, sizeof(text), __VA_ARGS__);                            \
                snprintf(file, sizeof(file), DEVICES "%s/%s", fn->path, attr);        \
                pci_test_write_text(root, file, text);                                \
        } while (0)
        ATTRIBUTE("vendor", "0x%04x\n", fn->vendor);
        ATTRIBUTE("device", "0x%04x\n", fn->device);
        ATTRIBUTE("class", "0x%06x\n", fn->class_code);
        ATTRIBUTE("revision", "0x01\n");
#undef ATTRIBUTE
        if (fn->port_type >= 0) {
                uint8_t config[256] = { 0 };
                bool bridge = (fn->class_code >> 8) == 0x0604;

                put16(config, 0x00, fn->vendor);
                put16(config, 0x02, fn->device);
                put16(config, 0x06, 0x0010); /* a capability list */
                config[0x08] = 0x01;
                config[0x09] = fn->class_code & 0xff;
                config[0x0a] = (fn->class_code >> 8) & 0xff;
                config[0x0b] = (fn->class_code >> 16) & 0xff;
                config[0x0e] = bridge ? 1 : 0;
                config[0x34] = 0x40;
                if (bridge) {
                        /* I/O 0x2000-0x2fff, memory 0xfe000000-0xfe0fffff, and a 64-bit
                         * prefetchable window whose base is above its limit: disabled. */
                        config[0x19] = config[0x1a] = 1;
                        config[0x1c] = config[0x1d] = 0x20;
                        put16(config, 0x20, 0xfe00);
                        put16(config, 0x22, 0xfe00);
                        put16(config, 0x24, 0xfff1);
                        put16(config, 0x26, 0x0001);
                }
                config[0x40] = 0x10; /* PCI Express, the last capability */
                put16(config, 0x42, (unsigned)(fn->port_type << 4 | 2));
                snprintf(file, sizeof(file), DEVICES "%s/config", fn->path);
                pci_test_write(root, file, config, sizeof(config));
        }
        if (resource) {
                snprintf(file, sizeof(file), DEVICES "%s/resource", fn->path);
                pci_test_write_text(root, file, resource);
        }
        snprintf(file, sizeof(file), "sys/bus/pci/devices/%s", name);
        snprintf(target, sizeof(target), "../../../devices/pci0000:00/%s", fn->path);
        pci_test_link(root, file, target);
}

static void write_link(const char *path, const char *current_speed, unsigned current_width,
                       const char *max_speed, unsigned max_width)
{
        char file[512], text[64];

        snprintf(file, sizeof(file), DEVICES "%s/current_link_speed", path);
        snprintf(text, sizeof(text), "%s PCIe\n", current_speed);
        pci_test_write_text(root, file, text);
        snprintf(file, sizeof(file), DEVICES "%s/max_link_speed", path);
        snprintf(text, sizeof(text), "%s PCIe\n", max_speed);
        pci_test_write_text(root, file, text);
        snprintf(file, sizeof(file), DEVICES "%s/current_link_width", path);
        snprintf(text, sizeof(text), "%u\n", current_width);
        pci_test_write_text(root, file, text);
        snprintf(file, sizeof(file), DEVICES "%s/max_link_width", path);
        snprintf(text, sizeof(text), "%u\n", max_width);
        pci_test_write_text(root, file, text);
}

/* 17 lines: BARs 0-5, the ROM, 6 SR-IOV BARs, 4 bridge windows. */
static const char *resource_lines(const char *const lines[17], char *buf, size_t size)
{
        size_t pos = 0;

        for (int i = 0; i < 17; i++)
                pos += (size_t)snprintf(buf + pos, size - pos, "%s\n",
                                        lines[i] ? lines[i]
                                                 : "0x0000000000000000 0x0000000000000000 "
                                                   "0x0000000000000000");
        return buf;
}

static void build_tree(void)
{
        static const char *const nvme_lines[17] = {
                [0] = "0x00000000df000000 0x00000000df003fff 0x0000000000140204",
                [2] = "0x0000004000000000 0x0000004fffffffff 0x000000000014220c",
                [4] = "0x0000000000003000 0x000000000000301f 0x0000000000040101",
                [5] = "0x0000000000000000 0x0000000000000000 0x0000000000000200",
                [6] = "0x00000000df100000 0x00000000df10ffff 0x0000000000046200",
        };
        static const char *const port_lines[17] = {
                [13] = "0x0000000000003000 0x0000000000003fff 0x0000000000000101",
                [14] = "0x00000000de000000 0x00000000deffffff 0x0000000000000200",
        };
        static const struct function root_port = { "0000:00:01.0", 0x8086, 0x1901, 0x060400, 4 };
        static const struct function nvme = { "0000:00:01.0/0000:01:00.0", 0x144d, 0xa808,
                                              0x010802, 0 };
        static const struct function upstream = { "0000:00:02.0", 0x10b5, 0x8747, 0x060400, 5 };
        static const struct function link_down = { "0000:00:03.0", 0x8086, 0x1533, 0x020000, 0 };
        static const struct function bare = { "0000:00:04.0", 0x1af4, 0x1041, 0x020000, -1 };
        static const struct function old_bridge = { "0000:00:05.0", 0x8086, 0x244e, 0x060401, 7 };
        char resource[17 * 64], text[8192];
        size_t len;

        check(mkdtemp(root) != NULL);
        add_function(&root_port, resource_lines(port_lines, resource, sizeof(resource)));
        add_function(&nvme, resource_lines(nvme_lines, resource, sizeof(resource)));
        add_function(&upstream, NULL);
        add_function(&link_down, NULL);
        add_function(&bare, NULL);
        /* No bridge lines (a kernel that printed only the BARs and the ROM): the header's. */
        add_function(&old_bridge, "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");

        write_link(root_port.path, "8.0 GT/s", 4, "8.0 GT/s", 16);
        write_link(nvme.path, "8.0 GT/s", 2, "8.0 GT/s", 4);
        write_link(upstream.path, "2.5 GT/s", 1, "8.0 GT/s", 1);
        write_link(link_down.path, "2.5 GT/s", 0, "2.5 GT/s", 1);

        /* The total counts messages, not errors: 5, where the errors add up to 36. The file
         * is padded with NULs to 4 KiB, as some recorded trees are. */
        len = (size_t)snprintf(text, sizeof(text),
                               "RxErr 1\nBadTLP 2\nBadDLLP 3\nRollover 4\nTimeout 5\n"
                               "NonFatalErr 6\nCorrIntErr 7\nHeaderOF 8\nTOTAL_ERR_COR 5\n");
        memset(text + len, 0, 4096 - len);
        pci_test_write(root, DEVICES "0000:00:01.0/0000:01:00.0/aer_dev_correctable", text, 4096);
        pci_test_write_text(root, DEVICES "0000:00:01.0/0000:01:00.0/aer_dev_nonfatal",
                            "Undefined 0\nDLP many\nTOTAL_ERR_NONFATAL 0\n");
        /* Unreadable (as root, a mode would not stop us: a directory does). */
        {
                char dir[4096];

                snprintf(dir, sizeof(dir), "%s/" DEVICES "0000:00:01.0/0000:01:00.0/aer_dev_fatal",
                         root);
                check_int_eq(mkdir(dir, 0755), 0);
        }
        pci_test_write_text(root, DEVICES "0000:00:01.0/aer_dev_correctable",
                            "RxErr 0\nTOTAL_ERR_COR 0\n");
        pci_test_write_text(root, DEVICES "0000:00:01.0/aer_dev_fatal",
                            "DLP 3\nSDES 0\nTOTAL_ERR_FATAL 3\n");
        pci_test_write_text(root, DEVICES "0000:00:01.0/aer_rootport_total_err_cor", "12\n");
        pci_test_write_text(root, DEVICES "0000:00:01.0/aer_rootport_total_err_nonfatal", "0\n");
        pci_test_write_text(root, DEVICES "0000:00:01.0/aer_rootport_total_err_fatal", "1\n");
}

static void remove_tree(void)
{
        char command[256];

        snprintf(command, sizeof(command), "rm -rf '%s'", root);
        check_int_eq(system(command), 0);
}

static struct glue_instance **list;
static size_t count;
static struct glue_request *request;
static struct glue_context *context;

static void enumerate(void)
{
        context = pci_test_context(root, NULL);
        check_int_eq(glue_request_new(context, &request), 0);
        check_int_eq(glue_request_collect(request, "Linux_PCIDevice", &list, &count), 0);
        check_int_eq(count, 6);
}

static struct glue_instance *function(const char *address)
{
        struct glue_instance *inst = pci_test_find(list, count, address);

        check(inst != NULL);
        return inst;
}

static void check_uint(const struct glue_instance *inst, const char *name, uint64_t value)
{
        uint64_t got = 0;

        check_int_eq(glue_instance_get_uint(inst, name, &got), 0);
        if (got != value)
                fprintf(stderr, "%s: %#" PRIx64 ", expected %#" PRIx64 "\n", name, got, value);
        check(got == value);
}

static void check_null(const struct glue_instance *inst, const char *name)
{
        const struct glue_value *value;

        check_int_eq(glue_instance_get_value(inst, name, &value), -ENODATA);
}

static void check_uints(const struct glue_instance *inst, const char *name,
                        const uint64_t *expected, size_t n)
{
        const struct glue_value *value = NULL;

        check_int_eq(glue_instance_get_value(inst, name, &value), 0);
        check(value && value->is_array && value->count == n);
        for (size_t i = 0; value && value->is_array && i < n && i < value->count; i++)
                if (value->v.u_array[i] != expected[i]) {
                        fprintf(stderr, "%s[%zu]: %#" PRIx64 ", expected %#" PRIx64 "\n", name,
                                i, value->v.u_array[i], expected[i]);
                        test_failures++;
                }
}

static void check_strings(const struct glue_instance *inst, const char *name,
                          const char *const *expected, size_t n)
{
        const struct glue_value *value = NULL;

        check_int_eq(glue_instance_get_value(inst, name, &value), 0);
        check(value && value->is_array && value->count == n);
        for (size_t i = 0; value && value->is_array && i < n && i < value->count; i++)
                check_str_eq(value->v.str_array[i], expected[i]);
}

static void check_degraded(const char *address, int expected)
{
        struct glue_instance *inst = function(address);
        bool degraded = false;

        if (!inst)
                return;
        if (expected < 0) {
                check_null(inst, "LinkDegraded");
                return;
        }
        check_int_eq(glue_instance_get_bool(inst, "LinkDegraded", &degraded), 0);
        if (degraded != (expected == 1))
                fprintf(stderr, "%s: LinkDegraded %d, expected %d\n", address, degraded, expected);
        check(degraded == (expected == 1));
}

static void test_link_degraded_seen_from_the_upstream_end(void)
{
        /* x2 of x4 at an endpoint: degraded. */
        check_degraded("0000:01:00.0", 1);
        /* x4 of x16 at a root port: the device below it sets the width. */
        check_degraded("0000:00:01.0", 0);
        /* 2.5 of 8 GT/s at an upstream switch port (its PCIe capability says so). */
        check_degraded("0000:00:02.0", 1);
        /* An endpoint whose link is down (x0), as lspci marks it. */
        check_degraded("0000:00:03.0", 1);
        /* No link files, no config: unknown. */
        check_degraded("0000:00:04.0", -1);
}

static void test_aer_counters(void)
{
        static const char *const names[] = { "RxErr", "BadTLP", "BadDLLP", "Rollover",
                                             "Timeout", "NonFatalErr", "CorrIntErr",
                                             "HeaderOF" };
        static const uint64_t counts[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
        struct glue_instance *nvme = function("0000:01:00.0");
        struct glue_instance *port = function("0000:00:01.0");
        struct glue_instance *bare = function("0000:00:04.0");

        if (nvme) {
                check_uint(nvme, "AERCorrectableErrors", 5);
                check_strings(nvme, "AERCorrectableErrorNames", names, 8);
                check_uints(nvme, "AERCorrectableErrorCounts", counts, 8);
                /* A malformed file and an unreadable one: NULL, and reported below. */
                check_null(nvme, "AERNonFatalErrors");
                check_null(nvme, "AERNonFatalErrorNames");
                check_null(nvme, "AERFatalErrors");
                /* Not a root port. */
                check_null(nvme, "AERRootPortCorrectableErrors");
        }
        if (port) {
                check_uint(port, "AERCorrectableErrors", 0);
                check_uint(port, "AERRootPortCorrectableErrors", 12);
                check_uint(port, "AERRootPortNonFatalErrors", 0);
                check_uint(port, "AERRootPortFatalErrors", 1);
                check_uint(port, "AERFatalErrors", 3);
        }
        if (bare) {
                check_null(bare, "AERCorrectableErrors");
                check_null(bare, "AERCorrectableErrorCounts");
        }
}

/* The files that could not be read, each counted once with its cause; absent ones are not. */
static void test_unreadable_files_reported(void)
{
        size_t n = glue_request_get_read_error_count(request);
        bool saw_malformed = false, saw_directory = false;

        for (size_t i = 0; i < n; i++) {
                struct glue_read_error e;

                check_int_eq(glue_request_get_read_error(request, i, &e), 0);
                printf("# %s: %" PRIu64 " file(s), e.g. %s (%s)\n", strerror(-e.error), e.count,
                       e.example, e.provider);
                check(e.error != -ENOENT);
                check_str_eq(e.provider, "pci");
                if (e.error == -EINVAL && strstr(e.example, "/0000:01:00.0/aer_dev_nonfatal"))
                        saw_malformed = e.count == 1;
                if (e.error == -EISDIR && strstr(e.example, "/0000:01:00.0/aer_dev_fatal"))
                        saw_directory = e.count == 1;
        }
        check(saw_malformed);
        check(saw_directory);
        check_int_eq(n, 2);
}

static void test_bars_and_rom(void)
{
        static const uint64_t numbers[] = { 0, 2, 4, 5 };
        static const char *const types[] = { "Memory64", "Memory64", "I/O", "Memory32" };
        static const uint64_t addresses[] = { 0xdf000000, 0x4000000000, 0x3000, 0 };
        static const uint64_t sizes[] = { 0x4000, 0x1000000000, 0x20, 0 };
        struct glue_instance *nvme = function("0000:01:00.0");
        const struct glue_value *prefetchable = NULL;

        if (!nvme)
                return;
        check_uints(nvme, "BARNumbers", numbers, 4);
        check_strings(nvme, "BARTypes", types, 4);
        check_uints(nvme, "BARAddresses", addresses, 4);
        check_uints(nvme, "BARSizes", sizes, 4);
        check_int_eq(glue_instance_get_value(nvme, "BARPrefetchable", &prefetchable), 0);
        check(prefetchable && prefetchable->is_array && prefetchable->count == 4 &&
              !prefetchable->v.b_array[0] && prefetchable->v.b_array[1] &&
              !prefetchable->v.b_array[2] && !prefetchable->v.b_array[3]);
        check_uint(nvme, "ExpansionROMAddress", 0xdf100000);
        check_uint(nvme, "ExpansionROMSize", 0x10000);
        /* No resource file: unknown, not empty. */
        check_null(function("0000:00:04.0"), "BARNumbers");
}

static void test_bridge_windows(void)
{
        struct glue_instance *port = function("0000:00:01.0");
        struct glue_instance *old = function("0000:00:05.0");

        /* The kernel's lines: I/O and memory; a zero prefetchable line is disabled. */
        if (port) {
                check_uint(port, "IOWindowBase", 0x3000);
                check_uint(port, "IOWindowLimit", 0x3fff);
                check_uint(port, "MemoryWindowBase", 0xde000000);
                check_uint(port, "MemoryWindowLimit", 0xdeffffff);
                check_null(port, "PrefetchableWindowBase");
                check_null(port, "PrefetchableWindowLimit");
        }
        /* No bridge lines: the header's registers, decoded as lspci decodes them. */
        if (old) {
                check_uint(old, "IOWindowBase", 0x2000);
                check_uint(old, "IOWindowLimit", 0x2fff);
                check_uint(old, "MemoryWindowBase", 0xfe000000);
                check_uint(old, "MemoryWindowLimit", 0xfe0fffff);
                check_null(old, "PrefetchableWindowBase");
        }
}

/* The name of the metric family whose HELP starts with help (found by what it says, so that
 * a rename of the series does not hide it), or NULL. Owned. */
static char *family_named_by_help(const char *text, const char *help)
{
        const char *p = text;

        while ((p = strstr(p, "# HELP "))) {
                const char *name = p + 7, *space = strchr(name, ' ');

                if (space && strncmp(space + 1, help, strlen(help)) == 0)
                        return strndup(name, (size_t)(space - name));
                p = name;
        }
        return NULL;
}

/* The value of the family's sample for device_id, or -1 if there is none. */
static double sample(const char *text, const char *family, const char *device_id)
{
        char prefix[512];
        const char *p = text;

        snprintf(prefix, sizeof(prefix), "\n%s{device_id=\"%s\"", family, device_id);
        p = strstr(p, prefix);
        if (!p)
                return -1;
        p = strchr(p + 1, '}');
        return p ? strtod(p + 1, NULL) : -1;
}

static void check_family(const char *text, const char *help, const char *type)
{
        char *family = family_named_by_help(text, help), expected[512];

        if (!family)
                fprintf(stderr, "no family says \"%s\"\n", help);
        check(family != NULL);
        if (family) {
                snprintf(expected, sizeof(expected), "# TYPE %s %s\n", family, type);
                check(strstr(text, expected) != NULL);
        }
        free(family);
}

/* hwglue-export on the tree: the AER totals are counters, the degraded link a gauge, a NULL is
 * no sample, and promtool accepts the file. */
static void test_exported(void)
{
        const char *build = getenv("HWGLUE_BUILD_DIR");
        char command[16384], out[4200], *text, *family;

        check(build != NULL);
        if (!build)
                return;
        snprintf(out, sizeof(out), "%s/hwglue.prom", root);
        /* libsensors reads /sys: umockdev's preload shows it the tree, which has no hwmon. */
        snprintf(command, sizeof(command),
                 "UMOCKDEV_DIR='%s' LD_PRELOAD=libumockdev-preload.so.0 "
                 "'%s/export/hwglue-export' --sysroot '%s' --option sensors.config= "
                 "--textfile '%s' && promtool check metrics < '%s'",
                 root, build, root, out, out);
        check_int_eq(system(command), 0);
        text = test_read_file(out, NULL);
        check(text != NULL);
        if (!text)
                return;
        check_family(text, "PCI Express AER: correctable error messages", "counter");
        check_family(text, "PCI Express AER: fatal uncorrectable error messages", "counter");
        check_family(text, "True when the PCI Express link trained slower", "gauge");
        family = family_named_by_help(text, "PCI Express AER: correctable error messages");
        if (family) {
                check(sample(text, family, "0000:01:00.0") == 5);
                check(sample(text, family, "0000:00:01.0") == 0);
                check(sample(text, family, "0000:00:04.0") == -1);
        }
        free(family);
        family = family_named_by_help(text, "PCI Express AER: fatal uncorrectable");
        check(family && sample(text, family, "0000:00:01.0") == 3);
        free(family);
        family = family_named_by_help(text, "PCI Express AER, root ports and event collectors: "
                                            "correctable error messages received");
        check(family && sample(text, family, "0000:00:01.0") == 12);
        free(family);
        family = family_named_by_help(text, "True when the PCI Express link trained slower");
        if (family) {
                check(sample(text, family, "0000:01:00.0") == 1);
                check(sample(text, family, "0000:00:01.0") == 0);
                check(sample(text, family, "0000:00:04.0") == -1);
        }
        free(family);
        free(text);
}

static void test_setup(void)
{
        build_tree();
        enumerate();
}

static void test_teardown(void)
{
        glue_instance_list_free(list, count);
        glue_request_unref(request);
        glue_context_unref(context);
        remove_tree();
}

TEST_MAIN(test_setup, test_link_degraded_seen_from_the_upstream_end, test_aer_counters,
          test_unreadable_files_reported, test_bars_and_rom, test_bridge_windows, test_exported,
          test_teardown)
