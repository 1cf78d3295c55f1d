/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The exposition text written for the test schema: names, types, labels, values, order,
 * self-metrics. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "export-test-context.h"
#include "export.h"
#include "test-util.h"

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static struct glue_context *ctx;
static struct export_plan *plan;

/* Export the test schema into an owned string; the status (0, or 1: partial) in *status. */
static char *export_to_string_status(uint64_t timeout_usec, int *status)
{
        const struct export_options options = { .timeout_usec = timeout_usec };
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                return NULL;
        *status = export_format(ctx, plan, &options, f);
        fclose(f);
        return text;
}

static char *export_to_string(uint64_t timeout_usec)
{
        int status;
        char *text = export_to_string_status(timeout_usec, &status);

        /* test-broken and test-missing fail on every export: partial, never an error. */
        check_int_eq(status, 1);
        return text;
}

static void setup(void)
{
        check_int_eq(export_test_context_new(&ctx), 0);
        check_int_eq(export_plan_new(ctx, &plan), 0);
        if (!ctx || !plan)
                exit(EXIT_FAILURE);
}

static void check_line(const char *text, const char *line)
{
        if (!export_test_has_line(text, line)) {
                fprintf(stderr, "missing line: %s\n", line);
                test_failures++;
        }
}

/* needle a comes before needle b in text. */
static void check_before(const char *text, const char *a, const char *b)
{
        const char *pa = strstr(text, a), *pb = strstr(text, b);

        if (!pa || !pb || pa > pb) {
                fprintf(stderr, "not in order: %s before %s\n", a, b);
                test_failures++;
        }
}

static void test_well_formed(void)
{
        char *text = export_to_string(0);
        const char *problem = export_test_check_exposition(text);

        if (problem) {
                fprintf(stderr, "%s\n--- text ---\n%s", problem, text);
                test_failures++;
        }
        free(text);
}

static void test_same_text_every_time(void)
{
        char *a = export_to_string(0), *b = export_to_string(0);
        char *da = a ? strstr(a, "hwglue_export_duration_seconds ") : NULL;
        char *db = b ? strstr(b, "hwglue_export_duration_seconds ") : NULL;

        /* Up to the first timing, two exports of the same devices are the same text. */
        check(da && db && da - a == db - b && strncmp(a, b, (size_t)(da - a)) == 0);
        free(a);
        free(b);
}

static void test_disks(void)
{
        char *text = export_to_string(0);

        check_line(text, "# HELP hwglue_disk_info One series per device of Test_Disk and its "
                   "subclasses, always 1: its labels identify the device, class is its most "
                   "derived class.");
        check_line(text, "# TYPE hwglue_disk_info gauge");
        check_line(text, "hwglue_disk_info{name=\"sda\",model=\"Samsung SSD 870\",class=\"Test_Disk\"} 1");
        /* Bytes that were not UTF-8 arrive as U+FFFD. */
        check_line(text, "hwglue_disk_info{name=\"sdb\",model=\"bad\xEF\xBF\xBD\xEF\xBF\xBD model\","
                   "class=\"Test_Disk\"} 1");
        check_line(text, "# HELP hwglue_disk_size_bytes Capacity (Test_Disk.SizeBytes, Bytes)");
        /* The unit is not repeated: size_bytes, not size_bytes_bytes. */
        check_line(text, "hwglue_disk_size_bytes{name=\"sda\",model=\"Samsung SSD 870\"} 500107862016");
        check_line(text, "# TYPE hwglue_disk_read_bytes_total counter");
        check_line(text, "hwglue_disk_read_bytes_total{name=\"sdb\",model=\"bad\xEF\xBF\xBD\xEF\xBF\xBD model\"} 2469134");
        check_line(text, "hwglue_disk_spindle_speed_rpm{name=\"sda\",model=\"Samsung SSD 870\"} 7200");
        /* NULL on sdb: no sample rather than a made-up 0. */
        check_int_eq(export_test_count(text, "hwglue_disk_spindle_speed_rpm{"), 1);
        /* Count has no unit suffix. */
        check_line(text, "hwglue_disk_in_flight{name=\"sda\",model=\"Samsung SSD 870\"} 3");
        check(!strstr(text, "firmware") && !strstr(text, "1.0\n"));
        /* Other_Disk's names are Test_Disk's: the first class keeps them, no family twice. */
        check(!strstr(text, "od0"));
        check_int_eq(export_test_count(text, "# TYPE hwglue_disk_size_bytes "), 1);
        free(text);
}

#define T0 "device_id=\"t0\",chip=\"coretemp-isa-0000\",sensor_label=\"Package id 0\""
#define T1 "device_id=\"t1\",chip=\"we\\\\ird\\\"chip\\nname\",sensor_label=\"\""
#define H0 "device_id=\"h0\",chip=\"amdgpu-pci-0300\",sensor_label=\"junction\",location=\"die\""

static void test_sensors(void)
{
        char *text = export_to_string(0);

        check_line(text, "# HELP hwglue_temperature_sensor_temperature_celsius Temperature \"now\", "
                   "a back\\\\slash\\nand a second line (Test_TemperatureSensor.Temperature, "
                   "Degrees C)");
        check_line(text, "# TYPE hwglue_temperature_sensor_temperature_celsius gauge");
        /* location is Test_HotspotSensor's label: "" for the others, one label set per family. */
        check_line(text, "hwglue_temperature_sensor_temperature_celsius{" T0 ",location=\"\"} 84.85");
        /* One _info family for the provider's classes, with the union of their labels and
         * the class of each device. */
        check_line(text, "hwglue_sensor_info{" T1 ",location=\"\",class=\"Test_TemperatureSensor\"} 1");
        check_line(text, "hwglue_sensor_info{" H0 ",class=\"Test_HotspotSensor\"} 1");
        /* An alarm is 0 or 1, without the unit the schema gives it (nor in its HELP); without
         * a MetricPrefix its family is named after the class that declares it, Test_Sensor. */
        check_line(text, "# HELP hwglue_sensor_alarm Alarm raised (Test_Sensor.Alarm)");
        check_line(text, "# TYPE hwglue_sensor_alarm gauge");
        check_line(text, "hwglue_sensor_alarm{" T1 ",location=\"\"} 1");
        check_line(text, "hwglue_sensor_alarm{" T0 ",location=\"\"} 0");
        check_line(text, "# TYPE hwglue_temperature_sensor_busy_time_seconds_total counter");
        check_line(text, "hwglue_temperature_sensor_busy_time_seconds_total{" T0 ",location=\"\"} 1.5");
        check_line(text, "hwglue_temperature_sensor_busy_time_seconds_total{" T1 ",location=\"\"} "
                   "0.30000000000000004");
        /* t1 has no reading: info, alarm and busy time only. */
        check_int_eq(export_test_count(text, "device_id=\"t1\""), 3);
        check(!strstr(text, "unrelated"));
        check_int_eq(export_test_unrelated_wanted, 0);
        free(text);
}

static void test_derived_class_counted_once(void)
{
        char *text = export_to_string(0);

        /* h0 is a Test_HotspotSensor: its inherited temperature is in the temperature family,
         * once, and its own voltage in a family of its class. */
        check_line(text, "hwglue_temperature_sensor_temperature_celsius{" H0 "} 100.125");
        check_line(text, "hwglue_hotspot_sensor_voltage_volts{" H0 "} 1.2");
        check_line(text, "hwglue_sensor_alarm{" H0 "} 0");
        /* info, temperature, alarm, voltage; busy time is NULL. */
        check_int_eq(export_test_count(text, "device_id=\"h0\""), 4);
        check(!strstr(text, "hwglue_hotspot_sensor_temperature"));
        check(!strstr(text, "hwglue_hotspot_sensor_info"));
        /* Uptime is declared above the providers' classes: each provider's group names it. */
        check_line(text, "hwglue_broken_uptime_seconds{device_id=\"b0\"} 3600");
        check(!strstr(text, "hwglue_device_uptime"));
        free(text);
}

static void test_units(void)
{
        char *text = export_to_string(0);

        /* Percent becomes a ratio, divided in decimal: 45.3 % is 0.453, not 0.45299999999999996. */
        check_line(text, "hwglue_humidity_sensor_humidity_ratio{device_id=\"u0\",chip=\"sht3x\","
                   "sensor_label=\"room\"} 0.45");
        check_line(text, "hwglue_humidity_sensor_saturation_ratio{device_id=\"u0\",chip=\"sht3x\","
                   "sensor_label=\"room\"} 0.453");
        check_line(text, "# HELP hwglue_humidity_sensor_humidity_ratio Relative humidity "
                   "(Test_HumiditySensor.Humidity, Percent, exported as a ratio, 0 to 1)");
        check_line(text, "# TYPE hwglue_power_meter_energy_joules_total counter");
        check_line(text, "hwglue_power_meter_energy_joules_total{device_id=\"p0\",chip=\"ina226\","
                   "sensor_label=\"battery\"} 123456789012345");
        check_line(text, "hwglue_power_meter_power_watts{device_id=\"p0\",chip=\"ina226\","
                   "sensor_label=\"battery\"} 84.85");
        check_line(text, "hwglue_power_meter_current_amperes{device_id=\"p0\",chip=\"ina226\","
                   "sensor_label=\"battery\"} -3");
        free(text);
}

/* MetricPrefix, inherited and restated, MetricName and Label("name"), as the built-in schema
 * names its classes. */
static void test_schema_names(void)
{
        char *text = export_to_string(0);

        /* MetricName(""): the reading itself is the prefix and the unit. */
        check_line(text, "# TYPE hwglue_fan_rpm gauge");
        check_line(text, "hwglue_fan_rpm{device_id=\"fan2\",chip=\"nct6779\"} 1200");
        check_line(text, "hwglue_fan_min_rpm{device_id=\"fan2\",chip=\"nct6779\"} 300");
        check_line(text, "hwglue_fan_alarm{device_id=\"fan1\",chip=\"nct6779\"} 1");
        /* Test_CaseFan inherits the prefix: its fans join Test_Fan's families. */
        check_line(text, "hwglue_fan_rpm{device_id=\"fan10\",chip=\"nct6779\"} 900");
        /* Test_Pump restates it: families of its own, with its own label. */
        check_line(text, "hwglue_pump_rpm{device_id=\"pump1\",chip=\"d5\\\\x1b[31m\",loop=\"cpu\"} 3000");
        check(!strstr(text, "hwglue_fan_rpm{device_id=\"pump1\""));
        /* One _info family named after the provider's topmost class, with each device's class. */
        check_line(text, "hwglue_fan_info{device_id=\"fan10\",chip=\"nct6779\",loop=\"\","
                   "class=\"Test_CaseFan\"} 1");
        check_line(text, "hwglue_fan_info{device_id=\"pump1\",chip=\"d5\\\\x1b[31m\",loop=\"cpu\","
                   "class=\"Test_Pump\"} 1");
        check(!strstr(text, "hwglue_pump_info") && !strstr(text, "hwglue_case_fan"));
        /* Label(false) is no label. */
        check(!strstr(text, "not_a_label"));
        free(text);
}

/* Series come sorted by device, whatever order the provider posted them in. */
static void test_order(void)
{
        char *text = export_to_string(0);

        /* test-fans posts fan10, fan2, pump1, fan1: natural order is fan1, fan2, fan10. */
        check_before(text, "hwglue_fan_rpm{device_id=\"fan1\"", "hwglue_fan_rpm{device_id=\"fan2\"");
        check_before(text, "hwglue_fan_rpm{device_id=\"fan2\"", "hwglue_fan_rpm{device_id=\"fan10\"");
        check_before(text, "hwglue_fan_info{device_id=\"fan10\"", "hwglue_fan_info{device_id=\"pump1\"");
        /* test-sensors posts t0, t1, h0, u0, p0. */
        check_before(text, "hwglue_sensor_info{device_id=\"h0\"", "hwglue_sensor_info{device_id=\"p0\"");
        check_before(text, "hwglue_sensor_info{device_id=\"p0\"", "hwglue_sensor_info{device_id=\"t0\"");
        check_before(text, "hwglue_sensor_info{device_id=\"t1\"", "hwglue_sensor_info{device_id=\"u0\"");
        /* Families in schema order, each whole. */
        check_before(text, "# TYPE hwglue_disk_info", "# TYPE hwglue_disk_size_bytes");
        check_before(text, "# TYPE hwglue_fan_alarm", "# TYPE hwglue_pump_rpm");
        check_before(text, "# TYPE hwglue_pump_alarm", "# TYPE hwglue_build_info");
        free(text);
}

static void test_key_order(void)
{
        check(export_key_compare("loop2", "loop10") < 0);
        check(export_key_compare("nvme0n1p2", "nvme0n1p10") < 0);
        check(export_key_compare("nvme0n1", "nvme0n1p1") < 0);
        check(export_key_compare("sda", "sdb") < 0);
        check(export_key_compare("chip-isa-0000/temp9", "chip-isa-0000/temp10") < 0);
        check(export_key_compare("loop02", "loop2") != 0);
        check_int_eq(export_key_compare("sda", "sda"), 0);
}

static void test_collectors(void)
{
        char *text = export_to_string(0);

        check_line(text, "# TYPE hwglue_collector_success gauge");
        check_line(text, "hwglue_collector_success{provider=\"test-disks\"} 1");
        check_line(text, "hwglue_collector_success{provider=\"test-sensors\"} 1");
        /* It failed after posting one device: the device is there, and the failure shows. */
        check_line(text, "hwglue_collector_success{provider=\"test-broken\"} 0");
        check_line(text, "hwglue_collector_timed_out{provider=\"test-broken\"} 0");
        check_line(text, "hwglue_broken_value{device_id=\"b0\"} 7");
        /* Not registered at all: a failed collection, not silence. */
        check_line(text, "hwglue_collector_success{provider=\"test-missing\"} 0");
        check_line(text, "hwglue_collector_instances{provider=\"test-disks\"} 2");
        check_line(text, "hwglue_collector_instances{provider=\"test-sensors\"} 5");
        check_line(text, "hwglue_collector_instances{provider=\"test-broken\"} 1");
        check_line(text, "hwglue_collector_instances{provider=\"test-missing\"} 0");
        check_line(text, "hwglue_collector_instances{provider=\"test-fans\"} 4");
        check_int_eq(export_test_count(text, "\nhwglue_collector_duration_seconds{provider="), 5);
        /* test-fans could not read three files: two for want of permission, one a FIFO. */
        check_line(text, "# TYPE hwglue_collector_unreadable_attributes gauge");
        check_line(text, "hwglue_collector_unreadable_attributes{provider=\"test-fans\",error=\"EACCES\"} 2");
        check_line(text, "hwglue_collector_unreadable_attributes{provider=\"test-fans\",error=\"EAGAIN\"} 1");
        check_int_eq(export_test_count(text, "\nhwglue_collector_unreadable_attributes{"), 2);
        check_line(text, "# TYPE hwglue_build_info gauge");
        check(strstr(text, "\nhwglue_build_info{version=\"") != NULL);
        check(strstr(text, "\nhwglue_export_duration_seconds ") != NULL);
        /* Providers without a class to export are left alone. */
        check_int_eq(export_test_plain_enumerated, 0);
        check(!strstr(text, "test-plain") && !strstr(text, "static"));
        free(text);
}

/* One deadline for the whole export: the slow provider is abandoned at it and said to have
 * timed out; what the others delivered is written whole. */
static void test_timeout(void)
{
        uint64_t start = now_usec();
        int status;
        char *text;

        __atomic_store_n(&export_test_sensors_delay_ms, 20000, __ATOMIC_SEQ_CST);
        text = export_to_string_status(300 * 1000, &status);
        __atomic_store_n(&export_test_sensors_delay_ms, 0, __ATOMIC_SEQ_CST);
        check_int_eq(status, 1);
        /* Every provider at once, under the one deadline: not 300 ms per provider. */
        check(now_usec() - start < 5 * 1000 * 1000);
        check_line(text, "hwglue_collector_success{provider=\"test-sensors\"} 0");
        check_line(text, "hwglue_collector_timed_out{provider=\"test-sensors\"} 1");
        check_line(text, "hwglue_collector_success{provider=\"test-disks\"} 1");
        check_line(text, "hwglue_collector_timed_out{provider=\"test-disks\"} 0");
        check(!strstr(text, "hwglue_temperature_sensor_"));
        check(strstr(text, "hwglue_disk_size_bytes{name=\"sda\"") != NULL);
        check(export_test_check_exposition(text) == NULL);
        free(text);
        /* The provider outlives the request (by design of the test): let it end before the
         * context goes. */
        for (int i = 0; i < 500 && __atomic_load_n(&export_test_sensors_running, __ATOMIC_SEQ_CST); i++)
                usleep(10000);
}

static void teardown(void)
{
        export_plan_free(plan);
        glue_context_unref(ctx);
}

TEST_MAIN(setup, test_well_formed, test_same_text_every_time, test_disks, test_sensors,
          test_derived_class_counted_once, test_units, test_schema_names, test_order,
          test_key_order, test_collectors, test_timeout, teardown)
