/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How hwglue reads config space, watched under strace (pread64 and read on the config files):
 * on this machine's sysfs, where every dword is a hardware access (a trap to the hypervisor on
 * a VM), nothing is read for the IDs and names (the kernel's attribute files serve), what the
 * capability walk needs is read register by register, and no byte of any function's config is
 * read twice; on a recorded tree, config is read in one read per function, once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pci-test.h"

#define MAX_FILES 4096

struct config_file {
        char path[512];
        unsigned char seen[4096]; /* how often each byte was read */
        size_t reads, bytes, longest;
        bool twice;
};

struct config_reads {
        size_t count;
        struct config_file files[MAX_FILES];
};

static struct config_file *file_of(struct config_reads *reads, const char *path, size_t len)
{
        for (size_t i = 0; i < reads->count; i++)
                if (strlen(reads->files[i].path) == len &&
                    strncmp(reads->files[i].path, path, len) == 0)
                        return &reads->files[i];
        if (reads->count == MAX_FILES || len >= sizeof(reads->files[0].path))
                return NULL;
        memset(&reads->files[reads->count], 0, sizeof(reads->files[0]));
        memcpy(reads->files[reads->count].path, path, len);
        return &reads->files[reads->count++];
}

/* strace -y lines: `123 pread64(6</sys/devices/.../config>, "..."..., 2, 6) = 2` and
 * `123 read(6</.../config>, "..."..., 4096) = 64` (a read starts at 0 here: each file is
 * opened for one read). */
static void parse_line(const char *line, struct config_reads *reads)
{
        const char *open = strchr(line, '<'), *close, *equals, *tail;
        struct config_file *file;
        size_t offset = 0;
        long got;

        close = open ? strstr(open, "config>") : NULL;
        equals = strstr(line, ") = ");
        if (!close || !equals)
                return;
        file = file_of(reads, open + 1, (size_t)(close + 6 - open - 1));
        got = strtol(equals + 4, NULL, 10);
        /* pread64(FD, "...", LEN, OFFSET) = GOT: the offset follows the last comma before
         * the closing parenthesis (the quoted bytes may hold commas too). */
        if (strstr(line, " pread64(")) {
                for (tail = equals; tail > line && *tail != ','; tail--)
                        ;
                offset = strtoul(tail + 1, NULL, 10);
        }
        if (!file || got <= 0)
                return;
        file->reads++;
        file->bytes += (size_t)got;
        if ((size_t)got > file->longest)
                file->longest = (size_t)got;
        for (size_t b = offset; b < offset + (size_t)got && b < 4096; b++)
                if (file->seen[b]++)
                        file->twice = true;
}

/* strace -y lines: `123 pread64(6</sys/devices/.../config>, "..."..., 2, 6) = 2` and
 * `123 read(6</.../config>, "..."..., 4096) = 64` (a read(2) starts at 0 here: each file is
 * opened for one read). */
static void parse_trace(char *text, struct config_reads *reads)
{
        char *line, *save = NULL;

        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
                parse_line(line, reads);
}

/* Run hwglue enum Linux_PCIDevice under strace with the given -p list (NULL: all), on sysroot
 * (NULL: /sys). */
static int trace_enumeration(const char *sysroot, const char *properties,
                             struct config_reads *reads)
{
        const char *build = getenv("HWGLUE_BUILD_DIR");
        char hwglue[4096], log[] = "/tmp/hwglue-config-reads-XXXXXX";
        char *argv[24], *text;
        int fd = mkstemp(log), status = -1, argc = 0;
        pid_t pid;

        check(build != NULL && fd >= 0);
        if (!build || fd < 0)
                return -1;
        close(fd);
        snprintf(hwglue, sizeof(hwglue), "%s/cmd/hwglue", build);
        argv[argc++] = (char *)"strace";
        argv[argc++] = (char *)"-f";
        argv[argc++] = (char *)"-qq";
        argv[argc++] = (char *)"-y";
        argv[argc++] = (char *)"-e";
        argv[argc++] = (char *)"trace=pread64,read";
        argv[argc++] = (char *)"-o";
        argv[argc++] = log;
        argv[argc++] = hwglue;
        if (sysroot) {
                argv[argc++] = (char *)"--sysroot";
                argv[argc++] = (char *)sysroot;
        }
        argv[argc++] = (char *)"enum";
        argv[argc++] = (char *)"Linux_PCIDevice";
        argv[argc++] = (char *)"--jsonl";
        if (properties) {
                argv[argc++] = (char *)"-p";
                argv[argc++] = (char *)properties;
        }
        argv[argc] = NULL;
        pid = fork();
        if (pid == 0) {
                int null = open("/dev/null", O_WRONLY);

                /* LeakSanitizer cannot run under ptrace: without this a sanitized hwglue exits
                 * 1 under strace. */
                setenv("ASAN_OPTIONS", "verify_asan_link_order=0:detect_leaks=0", 1);
                dup2(null, STDOUT_FILENO);
                execvp("strace", argv);
                _exit(127);
        }
        if (pid > 0)
                waitpid(pid, &status, 0);
        /* strace is a test dependency (tools/quickstart installs it). */
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                fprintf(stderr, "strace hwglue %s: status %#x\n", sysroot ? sysroot : "",
                        status);
        check(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        text = test_read_file(log, NULL);
        unlink(log);
        memset(reads, 0, sizeof(*reads));
        if (text)
                parse_trace(text, reads);
        free(text);
        return 0;
}

static struct config_reads reads;

static void test_live_sysfs(void)
{
        size_t functions = pci_test_count_devices("");

        if (functions == 0)
                test_skip("this machine has no PCI functions");
        /* The capability list lies past the 64 bytes of config that non-root users may read:
         * as another user there is nothing to watch. CI runs as root. */
        if (geteuid() != 0)
                test_skip("reading config space past the header needs root");

        /* IDs and names: the kernel's attribute files, no config at all. */
        trace_enumeration(NULL, "VendorID,PCIDeviceID,RevisionID,SubsystemID,VendorName,"
                          "DeviceName,ClassName", &reads);
        printf("# IDs and names: %zu config files read\n", reads.count);
        check_int_eq(reads.count, 0);

        /* The capabilities: register by register, never a byte twice. */
        trace_enumeration(NULL, "CapabilityNames,CapabilityOffsets", &reads);
        for (size_t i = 0; i < reads.count; i++) {
                printf("# %s: %zu reads, %zu bytes, the longest %zu\n", reads.files[i].path,
                       reads.files[i].reads, reads.files[i].bytes, reads.files[i].longest);
                check(!reads.files[i].twice);
                check(reads.files[i].longest <= 4);
        }
        check(reads.count > 0);

        /* Everything: still no byte twice, and nothing read whole. */
        trace_enumeration(NULL, NULL, &reads);
        for (size_t i = 0; i < reads.count; i++) {
                if (reads.files[i].twice)
                        fprintf(stderr, "%s: a byte read twice\n", reads.files[i].path);
                check(!reads.files[i].twice);
                check(reads.files[i].bytes < 256);
        }
}

/* A recorded tree (the systemd one keeps whole 4 KiB config files): one read per function. */
static void test_recorded_tree(void)
{
        char *root = test_shared_fixture_dir("systemd.tar.xz");

        check(root != NULL);
        if (!root)
                return;
        trace_enumeration(root, NULL, &reads);
        printf("# recorded tree: %zu config files read\n", reads.count);
        check_int_eq(reads.count, pci_test_count_devices(root));
        for (size_t i = 0; i < reads.count; i++) {
                check_int_eq(reads.files[i].reads, 1);
                check(!reads.files[i].twice);
        }
        /* Keys only: the class file picks the class; config stays closed. */
        trace_enumeration(root, "DeviceID", &reads);
        check_int_eq(reads.count, 0);
        free(root);
}

TEST_MAIN(test_recorded_tree, test_live_sysfs)
