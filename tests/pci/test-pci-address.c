/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* providers/common/pci-address.c: the one parser of PCI addresses that the providers share. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/pci-address.h"
#include "test-util.h"

static void test_parse_and_format(void)
{
        static const struct {
                const char *text, *canonical;
        } good[] = {
                { "0000:00:00.0", "0000:00:00.0" },
                { "0000:0B:1F.7", "0000:0b:1f.7" },
                { "00000:00:02.0", "0000:00:02.0" }, /* a spelling the kernel never writes */
                { "10000:e0:1d.0", "10000:e0:1d.0" }, /* a VMD domain: five digits */
                { "ffffffff:ff:1f.7", "ffffffff:ff:1f.7" },
        };
        static const char *const bad[] = {
                "", "000:00:00.0", "0000:0:00.0", "0000:00:20.0", "0000:00:00.8",
                "0000:00:00.0/", "../0000:00:00.0", "0000:00:00.0x", "100000000:00:00.0",
                "0000-00:00.0", "pci0000:00",
        };
        struct pci_address address;
        char buf[PCI_ADDRESS_MAX];

        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
                check_int_eq(pci_address_parse(good[i].text, &address), 0);
                pci_address_format(&address, buf);
                check_str_eq(buf, good[i].canonical);
        }
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                check_int_eq(pci_address_parse(bad[i], &address), -EINVAL);
        check_int_eq(pci_address_parse_len("0000:00:1c.0/0000:02:00.0", 12, &address), 0);
        check_int_eq(address.device, 0x1c);
}

static void test_from_path(void)
{
        struct pci_address address, expected;

        check_int_eq(pci_address_from_path(
                             "/sys/devices/pci0000:00/0000:00:1c.0/0000:02:00.0/nvme/nvme0",
                             &address), 0);
        check_int_eq(pci_address_parse("0000:02:00.0", &expected), 0);
        check(pci_address_equal(&address, &expected));
        check_int_eq(pci_address_from_path("../../devices/pci0000:00/0000:00:02.0", &address), 0);
        check_int_eq(address.device, 2);
        check_int_eq(pci_address_from_path("/sys/devices/platform/coretemp.0/hwmon/hwmon1",
                                           &address), -ENOENT);
        check_int_eq(pci_address_from_path("/sys/devices/pci0000:00", &address), -ENOENT);
        check_int_eq(pci_address_from_path("", &address), -ENOENT);
}

TEST_MAIN(test_parse_and_format, test_from_path)
