/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "hwglue.h"

int main(int argc, char **argv)
{
        return hwglue_main(argc, argv, NULL);
}
