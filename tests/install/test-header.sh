#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-header.sh INCLUDEDIR LIBGLUE CONSUMER: libglue.h builds in the strictest modes a caller
# may use and from C++, where libinput's headers are held too: CONSUMER (header-consumer.c) is
# compiled and linked with LIBGLUE as ISO C99 under -pedantic -Werror, and as C++ (g++), then
# run. CC and CXX are the compilers; SANITIZE the build's b_sanitize (the library's runtime
# must be linked into the consumer too).
set -u
incdir=$1 lib=$2 consumer=$3
CC=${CC:-cc}
CXX=${CXX:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
san=""
[ -n "${SANITIZE:-}" ] && [ "$SANITIZE" != none ] && san="-fsanitize=$SANITIZE"
warnings="-Wall -Wextra -Werror -pedantic -Wundef -Wshadow -Wcast-qual -Wredundant-decls"

# build NAME COMPILER FLAGS...: compile and link, then run the consumer's own checks
build() {
        name=$1 compiler=$2
        shift 2
        # shellcheck disable=SC2086 # the flag lists split on purpose
        if $compiler "$@" $warnings $san -I"$incdir" -o "$tmp/$name" "$consumer" -x none "$lib" \
                >"$tmp/$name.log" 2>&1; then
                echo "ok - $name: builds with $*"
        else
                echo "not ok - $name: does not build with $*"
                sed 's/^/#   /' "$tmp/$name.log"
                failed=1
                return
        fi
        if LD_LIBRARY_PATH=$(dirname "$lib") "$tmp/$name" >"$tmp/$name.out" 2>&1; then
                echo "ok - $name: runs ($(grep -c '^ok' "$tmp/$name.out") checks)"
        else
                echo "not ok - $name: fails"
                sed 's/^/#   /' "$tmp/$name.out"
                failed=1
        fi
}

build c99 "$CC" -std=c99 -x c
build c11 "$CC" -std=c11 -x c -Wstrict-prototypes -Wmissing-prototypes
if [ -z "$CXX" ] || ! command -v "${CXX%% *}" >/dev/null; then
        echo "# SKIP no C++ compiler (g++, which tools/quickstart installs): the C++ build of"
        echo "# libglue.h is not checked"
        [ "$failed" = 0 ] && exit 77
        exit "$failed"
fi
build c++11 "$CXX" -std=c++11 -x c++
build c++17 "$CXX" -std=c++17 -x c++ -Wold-style-cast -Wzero-as-null-pointer-constant
exit "$failed"
