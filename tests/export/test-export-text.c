/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names, escapes and numbers of the exposition text. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "export.h"
#include "test-util.h"

static void check_snake(const char *name, const char *expected)
{
        char *snake = export_snake_case(name);

        check_str_eq(snake, expected);
        free(snake);
}

static void test_snake_case(void)
{
        check_snake("CurrentReading", "current_reading");
        check_snake("DeviceID", "device_id");
        check_snake("PCIDevice", "pci_device");
        check_snake("ReadIOs", "read_ios");
        check_snake("IOsInFlight", "ios_in_flight");
        check_snake("Temp1Input", "temp1_input");
        check_snake("Read_Bytes", "read_bytes");
        check_snake("name", "name");
        check_snake("Weird-Name.x", "weird_name_x");
        check_snake("2Fast", "_2_fast");
}

static void test_class_snake_name(void)
{
        char *snake;

        snake = export_class_snake_name("Linux_BlockDevice");
        check_str_eq(snake, "block_device");
        free(snake);
        snake = export_class_snake_name("CIM_NumericSensor");
        check_str_eq(snake, "numeric_sensor");
        free(snake);
        /* No prefix to drop. */
        snake = export_class_snake_name("Sensor");
        check_str_eq(snake, "sensor");
        free(snake);
        snake = export_class_snake_name("Odd_");
        check_str_eq(snake, "odd_");
        free(snake);
}

static void check_double(double value, bool as_float, const char *expected)
{
        char buf[64];

        export_format_double(value, as_float, buf, sizeof(buf));
        check_str_eq(buf, expected);
}

static void test_format_double(void)
{
        check_double(84850 / 1000.0, false, "84.85");
        check_double(84.85, false, "84.85");
        check_double(0.45, false, "0.45");
        check_double(1.0 / 3, false, "0.3333333333333333");
        /* Not noise: that is the double's value, and 0.3 would read back as another one. */
        check_double(0.1 * 3, false, "0.30000000000000004");
        check_double(42, false, "42");
        check_double(-3, false, "-3");
        check_double(1e21, false, "1e+21");
        check_double(5e-324, false, "4.94065645841247e-324");
        check_double(NAN, false, "NaN");
        check_double(INFINITY, false, "+Inf");
        check_double(-INFINITY, false, "-Inf");
        /* A real32 reading: the float's own digits, not those of its widening. */
        check_double((double)1.2f, true, "1.2");
        check_double((double)45.3f, true, "45.3");
        check_double((double)1.2f, false, "1.2000000476837158");
        /* as_float on a value no float holds falls back to the double's text. */
        check_double(0.1, true, "0.1");
}

/* Whatever the bits, the text reads back as the same double, in at most 17 digits. */
static void test_format_double_round_trip(void)
{
        uint64_t state = 0x9E3779B97F4A7C15u;
        int mismatches = 0;

        for (int i = 0; i < 200000; i++) {
                union { uint64_t u; double d; } bits;
                char buf[64];

                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                bits.u = state;
                if (isnan(bits.d))
                        continue;
                export_format_double(bits.d, false, buf, sizeof(buf));
                if (strtod(buf, NULL) != bits.d || strlen(buf) > 24)
                        mismatches++;
        }
        check_int_eq(mismatches, 0);
}

static char *escaped(void (*write)(FILE *, const char *), const char *s)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        write(f, s);
        fclose(f);
        return buf;
}

static void check_escape(void (*write)(FILE *, const char *), const char *s, const char *expected)
{
        char *out = escaped(write, s);

        check_str_eq(out, expected);
        free(out);
}

static void test_label_value_escape(void)
{
        check_escape(export_write_label_value, "plain", "plain");
        check_escape(export_write_label_value, "a\\b\"c\nd", "a\\\\b\\\"c\\nd");
        /* Kept: non-ASCII UTF-8. */
        check_escape(export_write_label_value, "°C €", "°C €");
        /* Control characters become the text \xHH (backslash escaped as the format wants):
         * ESC, tab, DEL, and C1 controls (U+009B is CSI on some terminals). */
        check_escape(export_write_label_value, "a\x1b[31mb", "a\\\\x1b[31mb");
        check_escape(export_write_label_value, "\t\x7f\x01", "\\\\x09\\\\x7f\\\\x01");
        check_escape(export_write_label_value, "x\xc2\x9b" "2Jy", "x\\\\x9b" "2Jy");
        /* U+00A0 is not a control: kept. */
        check_escape(export_write_label_value, "\xc2\xa0", "\xc2\xa0");
        /* Replaced: a stray byte, an overlong '/', a surrogate, a sequence cut short. */
        check_escape(export_write_label_value, "x\xffy", "x\xEF\xBF\xBDy");
        check_escape(export_write_label_value, "\xc0\xaf", "\xEF\xBF\xBD\xEF\xBF\xBD");
        check_escape(export_write_label_value, "\xed\xa0\x80",
                     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
        check_escape(export_write_label_value, "end\xe2\x82", "end\xEF\xBF\xBD\xEF\xBF\xBD");
        check_escape(export_write_label_value, "\xf4\x90\x80\x80",
                     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
        check_escape(export_write_label_value, "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
}

static void test_help_escape(void)
{
        /* HELP escapes backslash and newline only: quotes stay as they are. */
        check_escape(export_write_help_text, "say \"hi\"\\\nbye", "say \"hi\"\\\\\\nbye");
        check_escape(export_write_help_text, "\xfe", "\xEF\xBF\xBD");
        check_escape(export_write_help_text, "bell\a", "bell\\\\x07");
}

static void test_name_part(void)
{
        check(export_is_name_part("block_device", false));
        check(export_is_name_part("hwmon_temp2", false));
        check(export_is_name_part("", true));
        check(!export_is_name_part("", false));
        check(!export_is_name_part("Block", false));
        check(!export_is_name_part("2x", false));
        check(!export_is_name_part("a-b", false));
        check(!export_is_name_part("_x", false));
}

TEST_MAIN(test_snake_case, test_name_part, test_class_snake_name, test_format_double,
          test_format_double_round_trip, test_label_value_escape, test_help_escape)
