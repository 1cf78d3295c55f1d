/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * End to end: the real prometheus-node-exporter (Debian package) reads hwglue-export's file
 * with its textfile collector and serves it on a loopback port; a scrape finds the series.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "export-test-context.h"
#include "export-test-process.h"
#include "test-util.h"

/* A port nobody listens on now. Another process may take it before node_exporter does:
 * the caller tries again. */
static int free_loopback_port(void)
{
        struct sockaddr_in addr = { .sin_family = AF_INET };
        socklen_t len = sizeof(addr);
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;

        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
            getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
                port = ntohs(addr.sin_port);
        if (fd >= 0)
                close(fd);
        return port;
}

static int connect_loopback(int port)
{
        struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
        struct timeval timeout = { .tv_sec = 20 };
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd < 0)
                return -errno;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
        if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
                int r = -errno;

                close(fd);
                return r;
        }
        return fd;
}

/* GET /metrics over HTTP/1.0 (the server closes when done): the whole response, owned. */
static char *http_get_metrics(int port)
{
        static const char request[] = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
        int fd = connect_loopback(port);
        char *response = NULL;
        size_t len = 0;
        FILE *f;

        if (fd < 0)
                return NULL;
        if (write(fd, request, sizeof(request) - 1) != (ssize_t)(sizeof(request) - 1)) {
                close(fd);
                return NULL;
        }
        f = open_memstream(&response, &len);
        for (;;) {
                char buf[8192];
                ssize_t n = read(fd, buf, sizeof(buf));

                if (n <= 0)
                        break;
                fwrite(buf, 1, (size_t)n, f);
        }
        fclose(f);
        close(fd);
        return response;
}

/* Wait until node_exporter accepts connections: true, or false if it died or took too long. */
static bool wait_listening(pid_t pid, int port)
{
        for (int i = 0; i < 2000; i++) {
                struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
                int fd = connect_loopback(port);

                if (fd >= 0) {
                        close(fd);
                        return true;
                }
                if (export_test_wait(pid, 0) != -ETIMEDOUT)
                        return false;
                nanosleep(&ts, NULL);
        }
        return false;
}

static void check_has_line(const char *text, const char *line)
{
        if (!export_test_has_line(text, line)) {
                fprintf(stderr, "the scrape lacks: %s\n", line);
                test_failures++;
        }
}

static void test_node_exporter_serves_export(void)
{
        const char *exporter = getenv("HWGLUE_EXPORT_TEST_EXPORTER");
        char *dir = export_test_make_directory(), *logdir = export_test_make_directory();
        char *path = NULL, *log = NULL, *listen = NULL, *textfile_dir = NULL, *scrape = NULL;
        char *export_argv[] = { (char *)exporter, (char *)"--textfile", NULL, NULL };
        pid_t pid = -1;

        check(exporter != NULL);
        check(asprintf(&path, "%s/hwglue.prom", dir) > 0);
        check(asprintf(&log, "%s/node-exporter.log", logdir) > 0);
        check(asprintf(&textfile_dir, "--collector.textfile.directory=%s", dir) > 0);
        export_argv[2] = path;
        check_int_eq(export_test_run(export_argv, NULL, 60000, NULL), 2);

        for (int attempt = 0; attempt < 5 && !scrape; attempt++) {
                int port = free_loopback_port();
                char *argv[] = { (char *)"prometheus-node-exporter", NULL,
                                 (char *)"--collector.disable-defaults",
                                 (char *)"--collector.textfile", textfile_dir, NULL };
                const struct export_test_spawn spawn = { .output_path = log };

                free(listen);
                check(port > 0 && asprintf(&listen, "--web.listen-address=127.0.0.1:%d", port) > 0);
                argv[1] = listen;
                pid = export_test_start(argv, &spawn);
                check(pid > 0);
                if (pid <= 0)
                        break;
                if (wait_listening(pid, port))
                        scrape = http_get_metrics(port);
                export_test_stop(pid);
        }
        if (!scrape) {
                char *text = test_read_file(log, NULL);

                fprintf(stderr, "no scrape from prometheus-node-exporter (Debian package "
                        "prometheus-node-exporter); its log:\n%s\n", text ? text : "(none)");
                free(text);
                test_failures++;
        } else {
                check(strncmp(scrape, "HTTP/1.0 200", 12) == 0 ||
                      strncmp(scrape, "HTTP/1.1 200", 12) == 0);
                check_has_line(scrape, "node_textfile_scrape_error 0");
                /* node_exporter sorts the labels and prints numbers its own way. */
                check_has_line(scrape, "hwglue_temperature_sensor_temperature_celsius{"
                               "chip=\"coretemp-isa-0000\",device_id=\"t0\",location=\"\","
                               "sensor_label=\"Package id 0\"} 84.85");
                check_has_line(scrape, "hwglue_sensor_info{"
                               "chip=\"we\\\\ird\\\"chip\\nname\",class=\"Test_TemperatureSensor\","
                               "device_id=\"t1\",location=\"\",sensor_label=\"\"} 1");
                /* A control byte reaches the scrape as the text \x1b, never as the byte. */
                check_has_line(scrape, "hwglue_pump_rpm{chip=\"d5\\\\x1b[31m\",device_id=\"pump1\","
                               "loop=\"cpu\"} 3000");
                check(!strchr(scrape, '\x1b'));
                check_has_line(scrape, "hwglue_disk_size_bytes{model=\"Samsung SSD 870\","
                               "name=\"sda\"} 5.00107862016e+11");
                check_has_line(scrape, "hwglue_collector_success{provider=\"test-sensors\"} 1");
                check_has_line(scrape, "# TYPE hwglue_disk_read_bytes_total counter");
                check(strstr(scrape, "node_textfile_mtime_seconds{file=") != NULL);
        }
        free(scrape);
        free(listen);
        free(textfile_dir);
        free(log);
        free(path);
        export_test_remove_directory(dir);
        export_test_remove_directory(logdir);
        free(dir);
        free(logdir);
}

TEST_MAIN(test_node_exporter_serves_export)
