#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# make-man-page.sh IN EXAMPLE OUT VAR=VALUE...: the man page IN with each @VAR@ replaced and the
# line @EXAMPLE@ replaced by the text of the C file EXAMPLE, escaped for roff (a backslash is
# \e; a line starting with . or ' would be a request, so it starts with \& instead). Comment
# lines are copied as they are.
set -eu
in=$1 example=$2 out=$3
shift 3
awk -v example="$example" -v vars="$*" '
BEGIN {
        n = split(vars, pairs, " ")
        for (i = 1; i <= n; i++) {
                eq = index(pairs[i], "=")
                name[i] = "@" substr(pairs[i], 1, eq - 1) "@"
                value[i] = substr(pairs[i], eq + 1)
        }
}
$0 == "@EXAMPLE@" {
        while ((getline line < example) > 0) {
                gsub(/\\/, "\\e", line)
                if (line ~ /^[.\047]/)
                        line = "\\&" line
                print line
        }
        close(example)
        next
}
/^\.\\"/ {
        print
        next
}
{
        for (i = 1; i <= n; i++)
                while ((at = index($0, name[i])) > 0)
                        $0 = substr($0, 1, at - 1) value[i] substr($0, at + length(name[i]))
        if ($0 ~ /@[A-Z]+@/) {
                print FILENAME ":" FNR ": no value for " $0 > "/dev/stderr"
                exit 1
        }
        print
}' "$in" >"$out.tmp"
mv "$out.tmp" "$out"
