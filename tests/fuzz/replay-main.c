/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replays a fuzz corpus without libFuzzer: every regular file of each folder named on the command
 * line (or each file named), in name order, goes through the harness's LLVMFuzzerTestOneInput.
 * A harness whose invariant fails aborts, so the test fails and the input's name is the last
 * line printed. An empty or missing corpus fails too: the test must have something to replay.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz-harness.h"

static int replay_file(const char *path)
{
        FILE *f = fopen(path, "rbe");
        uint8_t *data = NULL;
        size_t size = 0, cap = 0;

        if (!f) {
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
                return -1;
        }
        for (;;) {
                if (size == cap) {
                        uint8_t *grown = realloc(data, cap ? cap * 2 : 4096);
                        if (!grown) {
                                free(data);
                                fclose(f);
                                return -1;
                        }
                        data = grown;
                        cap = cap ? cap * 2 : 4096;
                }
                size_t n = fread(data + size, 1, cap - size, f);
                if (n == 0)
                        break;
                size += n;
        }
        fclose(f);
        /* Named before the run: if the harness aborts, this is the input to look at. */
        fprintf(stderr, "replay %s (%zu bytes)\n", path, size);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        return 0;
}

static int only_visible(const struct dirent *entry)
{
        return entry->d_name[0] != '.';
}

/* The number of inputs replayed from path, or -1. */
static long replay_path(const char *path)
{
        struct dirent **entries;
        struct stat st;
        long count = 0;
        int n;

        if (stat(path, &st) < 0) {
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
                return -1;
        }
        if (!S_ISDIR(st.st_mode))
                return replay_file(path) < 0 ? -1 : 1;
        n = scandir(path, &entries, only_visible, alphasort);
        if (n < 0) {
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
                return -1;
        }
        for (int i = 0; i < n; i++) {
                char *file;

                if (count >= 0 && asprintf(&file, "%s/%s", path, entries[i]->d_name) >= 0) {
                        if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
                                count = replay_file(file) < 0 ? -1 : count + 1;
                        free(file);
                }
                free(entries[i]);
        }
        free(entries);
        return count;
}

int main(int argc, char **argv)
{
        long total = 0;

        if (argc < 2) {
                fprintf(stderr, "usage: %s CORPUS-DIR|FILE...\n", argv[0]);
                return 2;
        }
        for (int i = 1; i < argc; i++) {
                long n = replay_path(argv[i]);
                if (n < 0)
                        return 1;
                total += n;
        }
        if (total == 0) {
                fprintf(stderr, "no inputs to replay\n");
                return 1;
        }
        printf("replayed %ld inputs, every invariant held\n", total);
        return 0;
}
