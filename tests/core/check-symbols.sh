#!/bin/sh
# check-symbols.sh LIB SYM HEADER: the library's exports are exactly the documented API
# (STYLE.md, libinput's symbol test), in three lists that must agree:
#  - what LIB exports, each symbol with the version node it carries;
#  - what the version script SYM lists in the global: part of a node, with that node (a name
#    outside a node, under local:, or in two nodes is an error of its own);
#  - the functions the public HEADER declares (tests/lib/header-functions.sh).
# So a private helper that leaks, a symbol moved to another node, a function declared and not
# exported (or exported and not declared) all fail, each named.
set -eu
lib=$1 sym=$2 header=$3
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# "name@node" per exported symbol: nm prints glue_x@@LIBGLUE_0 (the default version) or
# glue_x@LIBGLUE_0 (an older one); the nodes themselves are absolute symbols (A), counted apart.
nm -D --defined-only "$lib" | awk '$2 != "A" { sub(/@@/, "@", $3); print $3 }' | sort >"$tmp/exported"
nm -D --defined-only "$lib" | awk '$2 == "A" { print $3 }' | sort >"$tmp/exported-nodes"

# The version script, read as ld reads it: NODE { global: names; local: *; } [PARENT];
awk -v errors="$tmp/sym-errors" '
{ sub(/#.*/, ""); gsub(/\/\*[^*]*\*\//, "") }
/^[[:space:]]*[A-Za-z_][A-Za-z0-9_.]*[[:space:]]*\{/ {
        node = $1; sub(/\{.*/, "", node); scope = ""; nodes[node] = 1; next
}
/^[[:space:]]*}/ { node = ""; next }
/^[[:space:]]*global:[[:space:]]*$/ { scope = "global"; next }
/^[[:space:]]*local:/ { scope = "local"; next }
/^[[:space:]]*\*;[[:space:]]*$/ && scope == "local" { next }
/^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*;[[:space:]]*$/ {
        name = $1; sub(/;/, "", name)
        if (node == "" || scope != "global")
                print name ": listed outside the global: part of a version node" >errors
        else if (name in seen)
                print name ": listed in " seen[name] " and in " node >errors
        else {
                seen[name] = node
                print name "@" node
        }
        next
}
/[^[:space:]]/ { print "line " NR ": not understood: " $0 >errors }
END { for (n in nodes) print n >"/dev/stderr" }
' "$sym" 2>"$tmp/listed-nodes" | sort >"$tmp/listed"
sort -o "$tmp/listed-nodes" "$tmp/listed-nodes"
if [ -s "$tmp/sym-errors" ]; then
        echo "not ok - $sym:"
        sed 's/^/#   /' "$tmp/sym-errors"
        failed=1
fi

"$here/../lib/header-functions.sh" "$header" >"$tmp/declared"
sed 's/@.*//' "$tmp/listed" | sort >"$tmp/listed-names"

# compare A B WHAT-A WHAT-B: true if equal, else $tmp/diff has one line per name in only one
compare() {
        if cmp -s "$1" "$2"; then
                return 0
        fi
        {
                comm -23 "$1" "$2" | awk -v a="$3" -v b="$4" '{ print "#   " a ", not " b ": " $0 }'
                comm -13 "$1" "$2" | awk -v a="$3" -v b="$4" '{ print "#   " b ", not " a ": " $0 }'
        } >"$tmp/diff"
        return 1
}

if compare "$tmp/exported" "$tmp/listed" "exported" "in $sym"; then
        echo "ok - $(wc -l <"$tmp/exported") symbols exported, each in the node $sym lists it in"
else
        echo "not ok - the exports and $sym differ (name@node)"
        cat "$tmp/diff"
        failed=1
fi
if compare "$tmp/exported-nodes" "$tmp/listed-nodes" "a node of the library" "a node of $sym"; then
        echo "ok - the library has the $(wc -l <"$tmp/listed-nodes") version nodes of $sym"
else
        echo "not ok - the version nodes differ"
        cat "$tmp/diff"
        failed=1
fi
if compare "$tmp/declared" "$tmp/listed-names" "declared in $header" "in $sym"; then
        echo "ok - every function $header declares is listed, and nothing else"
else
        echo "not ok - $header and $sym differ"
        cat "$tmp/diff"
        failed=1
fi
[ "$(wc -l <"$tmp/declared")" -gt 0 ] || { echo "not ok - no function found in $header"; failed=1; }
exit "$failed"
