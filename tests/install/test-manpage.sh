#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-manpage.sh HEADER PAGE-SOURCE PAGE EXAMPLE: libglue(3) keeps up with libglue.h.
#  - every function HEADER declares is named in PAGE-SOURCE (glue/libglue.3.in), so a new call
#    fails here until the page says what it is for;
#  - every errno and WBEM name of the header's error table is in the page's ERRORS;
#  - the built PAGE holds EXAMPLE (glue/example.c) as it is, and renders without a warning.
set -u
header=$1 source=$2 page=$3 example=$4
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

"$here/../lib/header-functions.sh" "$header" >"$tmp/functions"
grep -v '^\.\\"' "$source" >"$tmp/text" # roff comments do not count
missing=""
for f in $(cat "$tmp/functions"); do
        grep -qw -- "$f" "$tmp/text" || missing="$missing $f"
done
if [ -z "$missing" ] && [ -s "$tmp/functions" ]; then
        echo "ok - libglue(3) names all $(wc -l <"$tmp/functions") functions of libglue.h"
else
        echo "not ok - libglue(3) does not name:$missing"
        failed=1
fi

# The table in the comment of glue_strerror: from its first line to the end of the comment.
sed -n '/^ \* errno  /,/\*\//p' "$header" >"$tmp/table"
sed -n '/^\.SH ERRORS/,/^\.SH /p' "$source" | sed 's/\\-/-/g' >"$tmp/errors"
missing=""
for code in $(grep -o -e '-E[A-Z0-9]*' -e 'WBEM_[SE]_[A-Z_]*' "$tmp/table" | sort -u); do
        grep -qw -- "$code" "$tmp/errors" || missing="$missing $code"
done
if [ -s "$tmp/table" ] && [ -z "$missing" ]; then
        echo "ok - ERRORS has every code of the header's table"
else
        echo "not ok - ERRORS lacks:$missing"
        failed=1
fi

# The example, back from the roff of the built page: \e is a backslash, \& a guard.
sed -n '/^\.EX$/,/^\.EE$/p' "$page" | sed '1d;$d' | sed -e 's/^\\&//' -e 's/\\e/\\/g' >"$tmp/example"
if cmp -s "$tmp/example" "$example"; then
        echo "ok - EXAMPLE is $(basename "$example") as it is"
else
        echo "not ok - EXAMPLE is not $(basename "$example")"
        diff "$example" "$tmp/example" | head -n 10 | sed 's/^/#   /'
        failed=1
fi

if command -v man >/dev/null; then
        MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" >"$tmp/out" 2>"$tmp/err"
        if [ -s "$tmp/err" ] || [ ! -s "$tmp/out" ]; then
                echo "not ok - libglue(3) renders with warnings"
                sed 's/^/#   /' "$tmp/err"
                failed=1
        else
                echo "ok - libglue(3) renders without a warning"
        fi
else
        echo "not ok - man is not installed (man-db, which tools/quickstart installs)"
        failed=1
fi
exit "$failed"
