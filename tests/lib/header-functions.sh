#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# header-functions.sh HEADER: the functions HEADER declares, one per line, sorted. The header is
# preprocessed first (${CC:-cc} -E), so that names in comments and macros do not count; in what
# is left, a glue_ name followed by "(" is a declaration (a typedef'd function pointer or a
# member is written "(*name)(" and a parameter of such a type "name arg": neither matches).
set -eu
header=$1
${CC:-cc} -E -P -x c "$header" |
        tr -s ' \t\n' ' ' |
        grep -o 'glue_[a-z0-9_]* *(' |
        sed 's/ *($//' |
        sort -u
