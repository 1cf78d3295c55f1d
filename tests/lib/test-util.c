/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test-util.h"

int test_failures;

void test_skip(const char *why)
{
        printf("# SKIP %s\n", why);
        fflush(stdout);
        exit(77);
}

const char *test_shared_fixtures(void)
{
        const char *dir = getenv("HWGLUE_SHARED_FIXTURES");
        struct stat st;

        if (!dir || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
                test_skip("../shared/fixtures is absent");
        return dir;
}

char *test_shared_fixture_dir(const char *archive)
{
        const char *root = test_shared_fixtures();
        char stamp[4096], *name, *path = NULL;
        size_t len;

        snprintf(stamp, sizeof(stamp), "%s/.%s.stamp", root, archive);
        name = test_read_file(stamp, &len);
        if (!name)
                return NULL;
        while (len > 0 && (name[len - 1] == '\n' || name[len - 1] == ' '))
                name[--len] = '\0';
        if (asprintf(&path, "%s/%s", root, name) < 0)
                path = NULL;
        free(name);
        return path;
}

char *test_read_file(const char *path, size_t *ret_len)
{
        FILE *f = fopen(path, "re");
        char *buf = NULL;
        size_t len = 0, cap = 0;

        if (!f)
                return NULL;
        for (;;) {
                if (cap - len < 4096) {
                        char *nbuf = realloc(buf, cap + 65536);
                        if (!nbuf) {
                                free(buf);
                                fclose(f);
                                return NULL;
                        }
                        buf = nbuf;
                        cap += 65536;
                }
                size_t n = fread(buf + len, 1, cap - len - 1, f);
                len += n;
                if (n == 0)
                        break;
        }
        fclose(f);
        buf[len] = '\0';
        if (ret_len)
                *ret_len = len;
        return buf;
}

void test_log_stderr(void *userdata, int priority, const char *file, int line, const char *fn,
                     const char *format, va_list args)
{
        fprintf(stderr, "glue<%d> %s:%d %s: ", priority, file, line, fn);
        vfprintf(stderr, format, args);
        fputc('\n', stderr);
}

int test_run(const char *const *names, const test_fn *fns, size_t n)
{
        int failed_cases = 0;

        printf("1..%zu\n", n);
        for (size_t i = 0; i < n; i++) {
                int before = test_failures;

                fns[i]();
                if (test_failures != before)
                        failed_cases++;
                printf("%s %zu - %s\n", test_failures != before ? "not ok" : "ok", i + 1, names[i]);
                fflush(stdout);
        }
        return failed_cases ? 1 : 0;
}

int test_count_engine_workers(void)
{
        DIR *d = opendir("/proc/self/task");
        struct dirent *de;
        int n = 0;

        if (!d)
                return -1;
        while ((de = readdir(d))) {
                char path[300], comm[32] = "";
                FILE *f;

                if (de->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "/proc/self/task/%s/comm", de->d_name);
                f = fopen(path, "re");
                if (!f)
                        continue; /* gone meanwhile */
                if (fgets(comm, sizeof(comm), f) && strncmp(comm, "glue-worker", 11) == 0)
                        n++;
                fclose(f);
        }
        closedir(d);
        return n;
}

int test_settle_engine_workers(int target)
{
        int n = test_count_engine_workers();

        for (int i = 0; i < 500 && n > target; i++) {
                usleep(10000);
                n = test_count_engine_workers();
        }
        return n;
}
