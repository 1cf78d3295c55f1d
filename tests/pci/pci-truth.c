/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci-truth.h"

/* ---- the tally ---------------------------------------------------------------------------- */

static const struct truth_exception *find_exception(const struct truth_tally *tally,
                                                    const char *slot, const char *field)
{
        for (const struct truth_exception *e = tally->exceptions; e && e->field; e++)
                if ((strcmp(e->tree, "*") == 0 || strcmp(e->tree, tally->tree) == 0) &&
                    (strcmp(e->slot, "*") == 0 || strcmp(e->slot, slot) == 0) &&
                    strcmp(e->field, field) == 0)
                        return e;
        return NULL;
}

void truth_record(struct truth_tally *tally, const char *slot, const char *field, bool agree,
                  const char *lspci_text, const char *hwglue_text)
{
        const struct truth_exception *exception;

        tally->compared++;
        if (agree) {
                tally->agreed++;
                return;
        }
        exception = find_exception(tally, slot, field);
        if (exception) {
                tally->excused++;
                printf("# %s %s %s: lspci %s, hwglue %s: deliberate: %s\n", tally->tree, slot,
                       field, lspci_text, hwglue_text, exception->reason);
                return;
        }
        tally->failed++;
        fprintf(stderr, "%s %s %s: lspci %s, hwglue %s\n", tally->tree, slot, field, lspci_text,
                hwglue_text);
}

bool truth_report(const struct truth_tally *tally, const char *what)
{
        double share = tally->compared ? 100.0 * (double)tally->agreed / (double)tally->compared
                                       : 100.0;

        double with_excused = tally->compared ? 100.0 * (double)(tally->agreed + tally->excused) /
                                                        (double)tally->compared
                                              : 100.0;

        printf("# %s: %zu of %zu fields agree (%.2f%%); %zu differ on purpose (listed, with "
               "their reasons): %.2f%%; %zu differ\n", what, tally->agreed, tally->compared,
               share, tally->excused, with_excused, tally->failed);
        return tally->failed == 0;
}

/* ---- reading the instance ------------------------------------------------------------------ */

static char *uint_text(const struct glue_instance *inst, const char *property, char *buf,
                       size_t size)
{
        uint64_t value;
        int r = glue_instance_get_uint(inst, property, &value);

        if (r == 0)
                snprintf(buf, size, "%#" PRIx64, value);
        else
                snprintf(buf, size, "%s", r == -ENODATA ? "NULL" : "unset");
        return buf;
}

static void record_uint(struct truth_tally *tally, const struct glue_instance *inst,
                        const char *slot, const char *field, const char *property,
                        bool expected_present, uint64_t expected)
{
        char lspci_text[64], hwglue_text[64];
        uint64_t value = 0;
        int r = glue_instance_get_uint(inst, property, &value);

        if (expected_present)
                snprintf(lspci_text, sizeof(lspci_text), "%#" PRIx64, expected);
        else
                snprintf(lspci_text, sizeof(lspci_text), "none");
        uint_text(inst, property, hwglue_text, sizeof(hwglue_text));
        truth_record(tally, slot, field,
                     expected_present ? r == 0 && value == expected : r == -ENODATA, lspci_text,
                     hwglue_text);
}

static void record_string(struct truth_tally *tally, const struct glue_instance *inst,
                          const char *slot, const char *field, const char *property,
                          const char *expected)
{
        const char *value = NULL;
        int r = glue_instance_get_string(inst, property, &value);
        bool agree = expected ? r == 0 && strcmp(value, expected) == 0 : r == -ENODATA;

        truth_record(tally, slot, field, agree, expected ? expected : "none",
                     r == 0 ? value : r == -ENODATA ? "NULL" : "unset");
}

static const struct glue_value *array_of(const struct glue_instance *inst, const char *property)
{
        const struct glue_value *value = NULL;

        if (glue_instance_get_value(inst, property, &value) < 0 || !value->is_array)
                return NULL;
        return value;
}

/* ---- -vmm -nn -k --------------------------------------------------------------------------- */

/* "Intel Corporation [8086]": the ID in the brackets, and the name before them. */
static bool split_named_id(const char *text, char *name, size_t size, uint64_t *id)
{
        const char *open = text ? strrchr(text, '[') : NULL;
        size_t len;

        if (!open || open == text || open[-1] != ' ')
                return false;
        *id = strtoull(open + 1, NULL, 16);
        len = (size_t)(open - 1 - text);
        snprintf(name, size, "%.*s", (int)len, text);
        return true;
}

/* libpci's words for a name it does not have, with -nn: "Device [0d57]". */
static bool is_unknown_name(const char *name)
{
        return strcmp(name, "Device") == 0 || strcmp(name, "Vendor") == 0 ||
               strcmp(name, "Unknown vendor") == 0 || strcmp(name, "Class") == 0;
}

static void record_name(struct truth_tally *tally, const struct glue_instance *inst,
                        const char *slot, const char *field, const char *property,
                        const char *text)
{
        const char *value = NULL;
        char name[512];
        uint64_t id;
        int r = glue_instance_get_string(inst, property, &value);
        bool agree;

        if (!text || !split_named_id(text, name, sizeof(name), &id))
                return;
        if (is_unknown_name(name))
                agree = r == -ENODATA;
        else
                /* "Unassigned class [ffff]" is the name itself when a class has no
                 * sub-class name: with -nn the code is not added twice. */
                agree = r == 0 && (strcmp(value, name) == 0 || strcmp(value, text) == 0);
        truth_record(tally, slot, field, agree, text,
                     r == 0 ? value : r == -ENODATA ? "NULL" : "unset");
}

static void record_named_id(struct truth_tally *tally, const struct glue_instance *inst,
                            const char *slot, const char *field, const char *property,
                            const char *text, uint64_t absent_value)
{
        char name[512];
        uint64_t id = 0, value = 0;
        bool present = text && split_named_id(text, name, sizeof(name), &id);
        int r = glue_instance_get_uint(inst, property, &value);
        char hwglue_text[64];

        uint_text(inst, property, hwglue_text, sizeof(hwglue_text));
        truth_record(tally, slot, field,
                     present ? r == 0 && value == id
                             : r == -ENODATA || (r == 0 && value == absent_value),
                     text ? text : "none", hwglue_text);
}

void truth_compare_vmm(struct truth_tally *tally, const struct glue_instance *inst,
                       const struct vmm_record *record, bool compare_names)
{
        const char *slot = vmm_get(record, "Slot");
        const char *class_text = vmm_get(record, "Class");
        const char *text;
        char name[512], hwglue_text[64], lspci_text[64];
        uint64_t class16 = 0, class_code = 0, subclass = 0;
        bool has_class;

        record_named_id(tally, inst, slot, "Vendor", "VendorID", vmm_get(record, "Vendor"), 0);
        record_named_id(tally, inst, slot, "Device", "PCIDeviceID", vmm_get(record, "Device"), 0);
        /* lspci omits SVendor/SDevice for 0000 and ffff, and Rev for 00. */
        record_named_id(tally, inst, slot, "SVendor", "SubsystemVendorID",
                        vmm_get(record, "SVendor"), UINT64_MAX);
        record_named_id(tally, inst, slot, "SDevice", "SubsystemID", vmm_get(record, "SDevice"),
                        UINT64_MAX);
        text = vmm_get(record, "Rev");
        record_uint(tally, inst, slot, "Rev", "RevisionID", true,
                    text ? strtoull(text, NULL, 16) : 0);
        text = vmm_get(record, "ProgIf");
        record_uint(tally, inst, slot, "ProgIf", "ProgrammingInterface", true,
                    text ? strtoull(text, NULL, 16) : 0);
        has_class = class_text && split_named_id(class_text, name, sizeof(name), &class16);
        if (!has_class && class_text)
                class16 = strtoull(class_text, NULL, 16), has_class = true;
        glue_instance_get_uint(inst, "ClassCode", &class_code);
        glue_instance_get_uint(inst, "SubclassCode", &subclass);
        snprintf(lspci_text, sizeof(lspci_text), "%04" PRIx64, class16);
        snprintf(hwglue_text, sizeof(hwglue_text), "%02" PRIx64 "%02" PRIx64, class_code,
                 subclass);
        truth_record(tally, slot, "Class", has_class && (class_code << 8 | subclass) == class16,
                     lspci_text, hwglue_text);
        if (compare_names) {
                record_name(tally, inst, slot, "Class name", "ClassName", class_text);
                record_name(tally, inst, slot, "Vendor name", "VendorName",
                            vmm_get(record, "Vendor"));
                record_name(tally, inst, slot, "Device name", "DeviceName",
                            vmm_get(record, "Device"));
                record_name(tally, inst, slot, "SVendor name", "SubsystemVendorName",
                            vmm_get(record, "SVendor"));
                record_name(tally, inst, slot, "SDevice name", "SubsystemName",
                            vmm_get(record, "SDevice"));
        }
        record_string(tally, inst, slot, "Driver", "Driver", vmm_get(record, "Driver"));
        /* Module: the modules that could drive it (libkmod, by modalias); KernelModule is the
         * bound driver's module, one of them. The oracles have none: libkmod found no module
         * directory where they were made. */
        text = vmm_get(record, "Module");
        if (text) {
                const char *value = NULL;
                int r = glue_instance_get_string(inst, "KernelModule", &value);

                truth_record(tally, slot, "Module", r == 0 && strstr(text, value), text,
                             r == 0 ? value : "NULL");
        }
        text = vmm_get(record, "NUMANode");
        {
                int64_t node = 0;
                int r = glue_instance_get_sint(inst, "NUMANode", &node);

                snprintf(hwglue_text, sizeof(hwglue_text), r == 0 ? "%" PRId64 : "NULL", node);
                truth_record(tally, slot, "NUMANode",
                             text ? r == 0 && node == strtoll(text, NULL, 10) : r == -ENODATA,
                             text ? text : "none", hwglue_text);
        }
        text = vmm_get(record, "IOMMUGroup");
        record_uint(tally, inst, slot, "IOMMUGroup", "IOMMUGroup", text != NULL,
                    text ? strtoull(text, NULL, 10) : 0);
        record_string(tally, inst, slot, "PhySlot", "PhysicalSlot", vmm_get(record, "PhySlot"));
}

/* ---- -vvv parsing -------------------------------------------------------------------------- */

static bool is_function_line(const char *line)
{
        unsigned domain, bus, device, function;
        int n = 0;

        return sscanf(line, "%4x:%2x:%2x.%1u %n", &domain, &bus, &device, &function, &n) == 4 &&
               n > 0;
}

/* lspci's "2.5GT/s", "8GT/s", "16GT/s" in tenths of GT/s. */
static unsigned parse_speed(const char *p)
{
        double speed = strtod(p, NULL);

        return speed > 0 ? (unsigned)(speed * 10 + 0.5) : 0;
}

/* lspci's [size=512K]: bytes. */
static uint64_t parse_size(const char *line)
{
        const char *p = strstr(line, "[size=");
        char *end;
        uint64_t size;

        if (!p)
                return 0;
        size = strtoull(p + 6, &end, 10);
        switch (*end) {
        case 'T':
                size <<= 10;
                /* fall through */
        case 'G':
                size <<= 10;
                /* fall through */
        case 'M':
                size <<= 10;
                /* fall through */
        case 'K':
                size <<= 10;
                break;
        }
        return size;
}

static void parse_region(struct vvv_function *fn, const char *p)
{
        struct vvv_region *region;
        const char *at;

        if (fn->region_count >= VVV_MAX_REGIONS)
                return;
        region = &fn->regions[fn->region_count++];
        region->number = (unsigned)strtoul(p + strlen("Region "), NULL, 10);
        at = strstr(p, " at ");
        if (!at)
                return;
        at += 4;
        if (*at == '<')
                region->unassigned = true;
        else
                region->address = strtoull(at, NULL, 16);
        if (strstr(p, ": I/O ports at "))
                snprintf(region->kind, sizeof(region->kind), "I/O");
        else if (strstr(p, "(64-bit"))
                snprintf(region->kind, sizeof(region->kind), "Memory64");
        else if (strstr(p, "(32-bit"))
                snprintf(region->kind, sizeof(region->kind), "Memory32");
        else if (strstr(p, "(low-1M"))
                snprintf(region->kind, sizeof(region->kind), "Memory1M");
        else
                snprintf(region->kind, sizeof(region->kind), "Memory");
        region->prefetchable = strstr(p, ", prefetchable)") != NULL;
        region->size = parse_size(p);
}

static void parse_window(struct vvv_window *window, const char *p)
{
        char *end;

        window->shown = true;
        window->base = strtoull(p, &end, 16);
        if (*end == '-')
                window->limit = strtoull(end + 1, NULL, 16);
        window->enabled = strstr(p, "[disabled]") == NULL;
}

static void parse_capability(struct vvv_function *fn, const char *p)
{
        char *end;

        if (strncmp(p, "<access denied>", 15) == 0) {
                fn->caps_denied = true;
                return;
        }
        if (*p != '[' || fn->cap_count >= VVV_MAX_CAPS)
                return;
        fn->cap_offsets[fn->cap_count] = (unsigned)strtoul(p + 1, &end, 16);
        end = strchr(end, ']');
        if (!end)
                return;
        end += 2;
        if (strncmp(end, "<chain", 6) == 0) {
                fn->caps_broken = true;
                return;
        }
        fn->cap_texts[fn->cap_count++] = strdup(end);
}

static void parse_line(struct vvv_function *fn, const char *line)
{
        const char *p;

        if (line[0] == '\t' && line[1] != '\t') {
                p = line + 1;
                if (strncmp(p, "Region ", 7) == 0)
                        parse_region(fn, p);
                else if (strncmp(p, "Expansion ROM at ", 17) == 0) {
                        fn->has_rom = true;
                        if (p[17] == '<')
                                fn->rom_unassigned = true;
                        else
                                fn->rom_address = strtoull(p + 17, NULL, 16);
                        fn->rom_size = parse_size(p);
                } else if (strncmp(p, "I/O behind bridge: ", 19) == 0)
                        parse_window(&fn->windows[0], p + 19);
                else if (strncmp(p, "Memory behind bridge: ", 22) == 0)
                        parse_window(&fn->windows[1], p + 22);
                else if (strncmp(p, "Prefetchable memory behind bridge: ", 35) == 0)
                        parse_window(&fn->windows[2], p + 35);
                else if (strncmp(p, "Capabilities: ", 14) == 0)
                        parse_capability(fn, p + 14);
                else if (strncmp(p, "Kernel driver in use: ", 22) == 0)
                        snprintf(fn->driver, sizeof(fn->driver), "%s", p + 22);
        } else if (strncmp(line, "\t\tLnkCap:\t", 10) == 0) {
                fn->has_lnkcap = true;
                if ((p = strstr(line, "Speed ")))
                        fn->max_speed_tenths = parse_speed(p + 6);
                if ((p = strstr(line, "Width x")))
                        fn->max_width = (unsigned)strtoul(p + 7, NULL, 10);
        } else if (strncmp(line, "\t\tLnkSta:\t", 10) == 0) {
                fn->has_lnksta = true;
                if ((p = strstr(line, "Speed ")))
                        fn->current_speed_tenths = parse_speed(p + 6);
                if ((p = strstr(line, "Width x")))
                        fn->current_width = (unsigned)strtoul(p + 7, NULL, 10);
                fn->downgraded = strstr(line, "(downgraded)") != NULL;
        }
}

static void parse_header(struct vvv_function *fn, const char *line)
{
        const char *p = strstr(line, "(prog-if ");

        sscanf(line, "%31s", fn->slot);
        if (!p)
                return;
        fn->has_prog_if_name = true;
        p = strchr(p, '[');
        if (p) {
                const char *close = strstr(p, "])");

                if (close)
                        snprintf(fn->prog_if_name, sizeof(fn->prog_if_name), "%.*s",
                                 (int)(close - p - 1), p + 1);
        }
}

size_t vvv_parse(const char *text, struct vvv_function **ret)
{
        struct vvv_function *functions = NULL;
        size_t count = 0;
        char *copy = strdup(text), *line, *save = NULL;

        for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                if (is_function_line(line)) {
                        functions = realloc(functions, (count + 1) * sizeof(*functions));
                        memset(&functions[count], 0, sizeof(*functions));
                        parse_header(&functions[count++], line);
                } else if (count > 0) {
                        parse_line(&functions[count - 1], line);
                }
        }
        free(copy);
        *ret = functions;
        return count;
}

void vvv_free(struct vvv_function *functions, size_t count)
{
        for (size_t i = 0; i < count; i++)
                for (size_t j = 0; j < functions[i].cap_count; j++)
                        free(functions[i].cap_texts[j]);
        free(functions);
}

const struct vvv_function *vvv_find(const struct vvv_function *functions, size_t count,
                                    const char *slot)
{
        for (size_t i = 0; i < count; i++)
                if (strcmp(functions[i].slot, slot) == 0)
                        return &functions[i];
        return NULL;
}

/* ---- -vvv comparisons ---------------------------------------------------------------------- */

static void compare_regions(struct truth_tally *tally, const struct glue_instance *inst,
                            const struct vvv_function *fn)
{
        const struct glue_value *numbers = array_of(inst, "BARNumbers");
        const struct glue_value *types = array_of(inst, "BARTypes");
        const struct glue_value *addresses = array_of(inst, "BARAddresses");
        const struct glue_value *sizes = array_of(inst, "BARSizes");
        const struct glue_value *prefetchable = array_of(inst, "BARPrefetchable");
        size_t ours = numbers ? numbers->count : 0;
        char field[64], lspci_text[128], hwglue_text[128];

        for (size_t i = 0; i < fn->region_count; i++) {
                const struct vvv_region *region = &fn->regions[i];
                size_t j = 0;

                while (j < ours && numbers->v.u_array[j] != region->number)
                        j++;
                snprintf(field, sizeof(field), "Region %u", region->number);
                truth_record(tally, fn->slot, field, j < ours, "present", "absent");
                if (j >= ours || !types || !addresses || !sizes || !prefetchable)
                        continue;
                snprintf(field, sizeof(field), "Region %u type", region->number);
                truth_record(tally, fn->slot, field, strcmp(types->v.str_array[j], region->kind) == 0,
                             region->kind, types->v.str_array[j]);
                snprintf(field, sizeof(field), "Region %u prefetchable", region->number);
                truth_record(tally, fn->slot, field,
                             prefetchable->v.b_array[j] == region->prefetchable,
                             region->prefetchable ? "yes" : "no",
                             prefetchable->v.b_array[j] ? "yes" : "no");
                snprintf(field, sizeof(field), "Region %u address", region->number);
                snprintf(lspci_text, sizeof(lspci_text), "%#" PRIx64, region->address);
                snprintf(hwglue_text, sizeof(hwglue_text), "%#" PRIx64, addresses->v.u_array[j]);
                truth_record(tally, fn->slot, field,
                             addresses->v.u_array[j] == (region->unassigned ? 0 : region->address),
                             region->unassigned ? "<unassigned>" : lspci_text, hwglue_text);
                snprintf(field, sizeof(field), "Region %u size", region->number);
                snprintf(lspci_text, sizeof(lspci_text), "%" PRIu64, region->size);
                snprintf(hwglue_text, sizeof(hwglue_text), "%" PRIu64, sizes->v.u_array[j]);
                truth_record(tally, fn->slot, field, sizes->v.u_array[j] == region->size,
                             lspci_text, hwglue_text);
        }
        /* And none that lspci does not show. */
        for (size_t j = 0; j < ours; j++) {
                bool shown = false;

                for (size_t i = 0; i < fn->region_count; i++)
                        shown = shown || fn->regions[i].number == numbers->v.u_array[j];
                if (!shown) {
                        snprintf(field, sizeof(field), "Region %" PRIu64, numbers->v.u_array[j]);
                        truth_record(tally, fn->slot, field, false, "absent", "present");
                }
        }
}

static void compare_rom(struct truth_tally *tally, const struct glue_instance *inst,
                        const struct vvv_function *fn)
{
        record_uint(tally, inst, fn->slot, "Expansion ROM", "ExpansionROMAddress", fn->has_rom,
                    fn->rom_unassigned ? 0 : fn->rom_address);
        if (fn->has_rom)
                record_uint(tally, inst, fn->slot, "Expansion ROM size", "ExpansionROMSize",
                            true, fn->rom_size);
}

static void compare_windows(struct truth_tally *tally, const struct glue_instance *inst,
                            const struct vvv_function *fn)
{
        static const char *const names[3][3] = {
                { "I/O behind bridge", "IOWindowBase", "IOWindowLimit" },
                { "Memory behind bridge", "MemoryWindowBase", "MemoryWindowLimit" },
                { "Prefetchable memory behind bridge", "PrefetchableWindowBase",
                  "PrefetchableWindowLimit" },
        };
        const struct glue_class *cls = glue_instance_get_class(inst);
        char field[96];

        /* Only bridges carry the windows. */
        if (glue_class_find_property(cls, "IOWindowBase", NULL, NULL) < 0)
                return;
        for (int i = 0; i < 3; i++) {
                const struct vvv_window *w = &fn->windows[i];
                bool enabled = w->shown && w->enabled;

                snprintf(field, sizeof(field), "%s base", names[i][0]);
                record_uint(tally, inst, fn->slot, field, names[i][1], enabled, w->base);
                snprintf(field, sizeof(field), "%s limit", names[i][0]);
                record_uint(tally, inst, fn->slot, field, names[i][2], enabled, w->limit);
        }
}

/* lspci's text for a capability begins with our name, then its details. */
static bool name_begins(const char *text, const char *name)
{
        size_t len = strlen(name);

        return strncmp(text, name, len) == 0 &&
               (text[len] == '\0' || text[len] == ' ' || text[len] == ':' || text[len] == ',');
}

static void compare_capabilities(struct truth_tally *tally, const struct glue_instance *inst,
                                 const struct vvv_function *fn)
{
        const struct glue_value *names = array_of(inst, "CapabilityNames");
        const struct glue_value *offsets = array_of(inst, "CapabilityOffsets");
        char field[64], lspci_text[64], hwglue_text[64];

        if (fn->caps_denied || fn->no_config) {
                truth_record(tally, fn->slot, "Capabilities", !names,
                             fn->no_config ? "no config" : "<access denied>",
                             names ? "a list" : "NULL");
                return;
        }
        snprintf(lspci_text, sizeof(lspci_text), "%zu%s", fn->cap_count,
                 fn->caps_broken ? " and a broken chain" : "");
        snprintf(hwglue_text, sizeof(hwglue_text), "%zu", names ? names->count : 0);
        truth_record(tally, fn->slot, "Capabilities count",
                     names && offsets && names->count == fn->cap_count, lspci_text,
                     names ? hwglue_text : "NULL");
        if (!names || !offsets)
                return;
        for (size_t i = 0; i < fn->cap_count && i < names->count; i++) {
                snprintf(field, sizeof(field), "Capability %zu", i);
                snprintf(lspci_text, sizeof(lspci_text), "[%x] %.40s", fn->cap_offsets[i],
                         fn->cap_texts[i]);
                snprintf(hwglue_text, sizeof(hwglue_text), "[%" PRIx64 "] %.40s",
                         offsets->v.u_array[i], names->v.str_array[i]);
                truth_record(tally, fn->slot, field,
                             offsets->v.u_array[i] == fn->cap_offsets[i] &&
                                     name_begins(fn->cap_texts[i], names->v.str_array[i]),
                             lspci_text, hwglue_text);
        }
}

static void record_speed(struct truth_tally *tally, const struct glue_instance *inst,
                         const char *slot, const char *field, const char *property,
                         unsigned tenths)
{
        char expected[32];

        snprintf(expected, sizeof(expected), "%u.%u GT/s", tenths / 10, tenths % 10);
        record_string(tally, inst, slot, field, property, tenths ? expected : NULL);
}

static void compare_link(struct truth_tally *tally, const struct glue_instance *inst,
                         const struct vvv_function *fn)
{
        bool degraded = false;
        int r;

        if (fn->has_lnkcap) {
                record_speed(tally, inst, fn->slot, "LnkCap speed", "MaxLinkSpeed",
                             fn->max_speed_tenths);
                record_uint(tally, inst, fn->slot, "LnkCap width", "MaxLinkWidth", true,
                            fn->max_width);
        }
        if (!fn->has_lnksta)
                return;
        record_speed(tally, inst, fn->slot, "LnkSta speed", "CurrentLinkSpeed",
                     fn->current_speed_tenths);
        record_uint(tally, inst, fn->slot, "LnkSta width", "CurrentLinkWidth", true,
                    fn->current_width);
        r = glue_instance_get_bool(inst, "LinkDegraded", &degraded);
        truth_record(tally, fn->slot, "LnkSta (downgraded)", r == 0 && degraded == fn->downgraded,
                     fn->downgraded ? "downgraded" : "not downgraded",
                     r == 0 ? (degraded ? "degraded" : "not degraded") : "NULL");
}

void truth_compare_vvv(struct truth_tally *tally, const struct glue_instance *inst,
                       const struct vvv_function *fn)
{
        if (fn->cut_short) {
                if (fn->has_prog_if_name)
                        record_string(tally, inst, fn->slot, "prog-if name",
                                      "ProgrammingInterfaceName",
                                      fn->prog_if_name[0] ? fn->prog_if_name : NULL);
                return;
        }
        compare_regions(tally, inst, fn);
        compare_rom(tally, inst, fn);
        compare_windows(tally, inst, fn);
        compare_capabilities(tally, inst, fn);
        compare_link(tally, inst, fn);
        if (fn->has_prog_if_name)
                record_string(tally, inst, fn->slot, "prog-if name", "ProgrammingInterfaceName",
                              fn->prog_if_name[0] ? fn->prog_if_name : NULL);
        record_string(tally, inst, fn->slot, "Kernel driver in use", "Driver",
                      fn->driver[0] ? fn->driver : NULL);
}
