/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Print N loopback TCP ports that nobody listens on now (default 1). Another process may take
 * one before the caller does: the caller sees its server fail to start and tries again. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        int n = argc > 1 ? atoi(argv[1]) : 1;
        int fds[64];

        if (n < 1 || n > 64)
                return 2;
        /* All bound at once, so that the N ports differ. */
        for (int i = 0; i < n; i++) {
                struct sockaddr_in addr = { .sin_family = AF_INET };
                socklen_t len = sizeof(addr);

                addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
                    getsockname(fds[i], (struct sockaddr *)&addr, &len) < 0) {
                        perror("free-port");
                        return 1;
                }
                printf("%d\n", ntohs(addr.sin_port));
        }
        for (int i = 0; i < n; i++)
                close(fds[i]);
        return 0;
}
