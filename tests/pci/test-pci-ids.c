/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pci-ids.c, the provider's reader of pci.ids, against libpci's pci_lookup_name() on the same
 * file: every vendor, device, subsystem, class, sub-class and programming interface of the
 * system's pci.ids, the fallbacks for IDs it lacks (subsystem = device, a base class without
 * its sub-class, IDE interfaces), and a hand-made file with the grammar's corners.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pci/pci.h>

#include "pci/pci-ids.h"
#include "test-util.h"

static size_t compared, differed;

static struct pci_access *libpci_open(const char *path)
{
        struct pci_access *access = pci_alloc();

        pci_set_name_list_path(access, strdup(path), 1);
        pci_set_param(access, (char *)"hwdb.disable", (char *)"1");
        access->id_lookup_mode &= ~PCI_LOOKUP_CACHE;
        return access;
}

static const char *libpci_name(struct pci_access *a, enum pci_name_kind kind,
                               const struct pci_name_ids *id, char *buf, size_t size)
{
        const int flags = PCI_LOOKUP_NO_NUMBERS;
        const int class16 = id->class_code << 8 | id->subclass_code;
        char *name = NULL;

        switch (kind) {
        case PCI_NAME_VENDOR:
                name = pci_lookup_name(a, buf, (int)size, flags | PCI_LOOKUP_VENDOR, id->vendor);
                break;
        case PCI_NAME_DEVICE:
                name = pci_lookup_name(a, buf, (int)size, flags | PCI_LOOKUP_DEVICE, id->vendor,
                                       id->device);
                break;
        case PCI_NAME_SUBSYSTEM_VENDOR:
                name = pci_lookup_name(a, buf, (int)size,
                                       flags | PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_VENDOR,
                                       id->subsystem_vendor);
                break;
        case PCI_NAME_SUBSYSTEM:
                name = pci_lookup_name(a, buf, (int)size,
                                       flags | PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_DEVICE,
                                       id->vendor, id->device, id->subsystem_vendor,
                                       id->subsystem);
                break;
        case PCI_NAME_CLASS:
                name = pci_lookup_name(a, buf, (int)size, flags | PCI_LOOKUP_CLASS, class16);
                break;
        case PCI_NAME_PROG_IF:
                name = pci_lookup_name(a, buf, (int)size, flags | PCI_LOOKUP_PROGIF, class16,
                                       id->prog_if);
                break;
        }
        /* As the provider takes it: an empty name is none. */
        return name == buf && *buf ? name : NULL;
}

static void compare(struct pci_ids *ids, struct pci_access *a, enum pci_name_kind kind,
                    const struct pci_name_ids *id)
{
        char ours[256], theirs[256];
        int r = pci_ids_lookup(ids, kind, id, ours, sizeof(ours));
        const char *name = libpci_name(a, kind, id, theirs, sizeof(theirs));

        compared++;
        if (r == 0)
                r = -ENOENT;
        if ((r > 0) != (name != NULL) || (name && strcmp(ours, name) != 0)) {
                if (differed++ < 10)
                        fprintf(stderr, "kind %d %04x:%04x %04x:%04x %02x%02x%02x: ours %s, "
                                "libpci %s\n", (int)kind, id->vendor, id->device,
                                id->subsystem_vendor, id->subsystem, id->class_code,
                                id->subclass_code, id->prog_if, r > 0 ? ours : "(none)",
                                name ? name : "(none)");
        }
}

static int hex(const char *p, int digits)
{
        int value = 0;

        for (int i = 0; i < digits; i++) {
                char c = p[i];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
                        c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

                if (d < 0)
                        return -1;
                value = value << 4 | d;
        }
        return value;
}

/* Walk a (well-formed) pci.ids and compare every entry it names, and the fallbacks near it. */
static void compare_every_entry(const char *path)
{
        struct pci_ids *ids = NULL;
        struct pci_access *a = libpci_open(path);
        char *text = test_read_file(path, NULL);
        struct pci_name_ids id = { 0 };
        bool in_class = false;
        char *line, *save = NULL;

        check(text != NULL);
        check_int_eq(pci_ids_open(path, &ids), 0);
        if (!text || !ids)
                return;
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                int v;

                if (line[0] == '#' || !line[0])
                        continue;
                if (line[0] == 'C' && line[1] == ' ' && (v = hex(line + 2, 2)) >= 0) {
                        in_class = true;
                        id = (struct pci_name_ids){ .class_code = (uint8_t)v };
                        /* Every sub-class code: the named ones and the base-class fallback. */
                        for (int s = 0; s < 256; s++) {
                                id.subclass_code = (uint8_t)s;
                                compare(ids, a, PCI_NAME_CLASS, &id);
                        }
                } else if (line[0] != '\t' && (v = hex(line, 4)) >= 0) {
                        in_class = false;
                        id = (struct pci_name_ids){ .vendor = (uint16_t)v };
                        compare(ids, a, PCI_NAME_VENDOR, &id);
                        id.subsystem_vendor = (uint16_t)v;
                        compare(ids, a, PCI_NAME_SUBSYSTEM_VENDOR, &id);
                } else if (line[0] == '\t' && line[1] != '\t') {
                        if (in_class && (v = hex(line + 1, 2)) >= 0) {
                                id.subclass_code = (uint8_t)v;
                                for (int p = 0; p < 256; p += 17) {
                                        id.prog_if = (uint8_t)p;
                                        compare(ids, a, PCI_NAME_PROG_IF, &id);
                                }
                        } else if (!in_class && (v = hex(line + 1, 4)) >= 0) {
                                id.device = (uint16_t)v;
                                compare(ids, a, PCI_NAME_DEVICE, &id);
                                /* Subsystem = device: the device's name, unless it has its
                                 * own entry; and one subsystem that is nobody's. */
                                id.subsystem_vendor = id.vendor;
                                id.subsystem = id.device;
                                compare(ids, a, PCI_NAME_SUBSYSTEM, &id);
                                id.subsystem = (uint16_t)(id.device ^ 0x5a5a);
                                compare(ids, a, PCI_NAME_SUBSYSTEM, &id);
                        }
                } else if (line[0] == '\t' && line[1] == '\t') {
                        if (in_class && (v = hex(line + 2, 2)) >= 0) {
                                id.prog_if = (uint8_t)v;
                                compare(ids, a, PCI_NAME_PROG_IF, &id);
                        } else if (!in_class && (v = hex(line + 2, 4)) >= 0 &&
                                   hex(line + 7, 4) >= 0) {
                                id.subsystem_vendor = (uint16_t)v;
                                id.subsystem = (uint16_t)hex(line + 7, 4);
                                compare(ids, a, PCI_NAME_SUBSYSTEM, &id);
                        }
                }
        }
        /* IDE: every interface of class 0101, named or spelled out from its bits. */
        id = (struct pci_name_ids){ .class_code = 0x01, .subclass_code = 0x01 };
        for (int p = 0; p < 256; p++) {
                id.prog_if = (uint8_t)p;
                compare(ids, a, PCI_NAME_PROG_IF, &id);
        }
        /* Vendors nobody has. */
        for (int v = 0; v < 0x10000; v += 0x1111) {
                id = (struct pci_name_ids){ .vendor = (uint16_t)v, .device = 0x4321 };
                compare(ids, a, PCI_NAME_VENDOR, &id);
                compare(ids, a, PCI_NAME_DEVICE, &id);
        }
        pci_ids_free(ids);
        pci_cleanup(a);
        free(text);
}

static void test_system_pci_ids(void)
{
        struct pci_access *a = pci_alloc();
        char path[4096];
        size_t len;

        /* The path libpci uses: "pci.ids.gz" with zlib, which falls back to "pci.ids". */
        snprintf(path, sizeof(path), "%s", a->id_file_name);
        pci_cleanup(a);
        len = strlen(path);
        if (access(path, R_OK) < 0 && len > 3 && strcmp(path + len - 3, ".gz") == 0)
                path[len - 3] = '\0';
        /* The pci.ids package is a test dependency (tools/quickstart installs it). */
        check_int_eq(access(path, R_OK), 0);
        compared = differed = 0;
        compare_every_entry(path);
        printf("# %s: %zu names compared with libpci, %zu differ\n", path, compared, differed);
        check(compared > 50000);
        check_int_eq(differed, 0);
}

/* The grammar's corners, each of which libpci parses: CR line ends, a trailing blank, tabs
 * and spaces between ID and name, comments at every level, an empty line inside a block, a
 * generic subsystem block, a skipped capital block, and a name too long for the buffer. */
static void test_grammar_corners(void)
{
        char path[] = "/tmp/hwglue-pci-ids-XXXXXX";
        struct pci_ids *ids = NULL;
        struct pci_access *a;
        struct pci_name_ids id = { 0 };
        char long_name[400], buf[32];
        FILE *f;
        int fd = mkstemp(path);

        check(fd >= 0);
        f = fdopen(fd, "w");
        memset(long_name, 'x', sizeof(long_name) - 1);
        long_name[sizeof(long_name) - 1] = '\0';
        fprintf(f, "# comment\n"
                   "0001  Windows vendor\r\n"
                   "\t0002  Device with CR\r\n"
                   "\t\t0001 0003  Its subsystem\r\n"
                   "  # an indented comment\n"
                   "0010 \t Tabs and spaces \n"
                   "\t# a comment in the block\n"
                   "\n"
                   "\t0011\tTab after the ID\n"
                   "0020  %s\n"
                   "S 0010\n"
                   "\t0100  Generic subsystem\n"
                   "X 55  A block nobody knows\n"
                   "\t0001  skipped\n"
                   "C 08  Generic system peripheral\n"
                   "\t80  System peripheral\n"
                   "\t\t01  An interface\n", long_name);
        fclose(f);
        a = libpci_open(path);
        check_int_eq(pci_ids_open(path, &ids), 0);
        compared = differed = 0;
        for (int v = 0; v < 0x30; v++)
                for (int d = 0; d < 0x14; d++) {
                        id = (struct pci_name_ids){ .vendor = (uint16_t)v, .device = (uint16_t)d };
                        compare(ids, a, PCI_NAME_VENDOR, &id);
                        compare(ids, a, PCI_NAME_DEVICE, &id);
                        for (int sv = 0; sv < 0x12; sv++) {
                                id.subsystem_vendor = (uint16_t)sv;
                                id.subsystem = 3;
                                compare(ids, a, PCI_NAME_SUBSYSTEM, &id);
                                id.subsystem = 0x100;
                                compare(ids, a, PCI_NAME_SUBSYSTEM, &id);
                        }
                }
        id = (struct pci_name_ids){ .class_code = 0x08, .subclass_code = 0x80, .prog_if = 1 };
        compare(ids, a, PCI_NAME_CLASS, &id);
        compare(ids, a, PCI_NAME_PROG_IF, &id);
        id.subclass_code = 0x05;
        compare(ids, a, PCI_NAME_CLASS, &id);
        printf("# %zu corner names compared with libpci, %zu differ\n", compared, differed);
        check_int_eq(differed, 0);
        check_int_eq(pci_ids_get_bad_lines(ids), 0);

        /* Cut to fit, as libpci cuts it. */
        id = (struct pci_name_ids){ .vendor = 0x20 };
        check_int_eq(pci_ids_lookup(ids, PCI_NAME_VENDOR, &id, buf, sizeof(buf)), 31);
        check_str_eq(buf, "xxxxxxxxxxxxxxxxxxxxxxxxxxxx...");
        pci_ids_free(ids);
        pci_cleanup(a);
        unlink(path);
}

static void test_not_a_database(void)
{
        struct pci_ids *ids = NULL;

        check_int_eq(pci_ids_open("/nonexistent/pci.ids", &ids), -ENOENT);
        check_int_eq(pci_ids_open("/tmp", &ids), -EINVAL);
        check(ids == NULL);
}

TEST_MAIN(test_system_pci_ids, test_grammar_corners, test_not_a_database)
