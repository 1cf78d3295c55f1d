#!/bin/sh
# The version script and the library's exports must agree: every public function of
# libglue.h is exported, nothing else is (STYLE.md, libinput's symbol test).
set -eu
lib=$1 sym=$2
exported=$(nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sed 's/@.*//' | sort)
listed=$(sed -n 's/^[[:space:]]*\(glue_[a-z0-9_]*\);$/\1/p' "$sym" | sort)
if [ "$exported" != "$listed" ]; then
        echo "exports and $sym differ:"
        printf '%s\n' "$exported" > "${TMPDIR:-/tmp}/exported.$$"
        printf '%s\n' "$listed" | diff "${TMPDIR:-/tmp}/exported.$$" - || true
        rm -f "${TMPDIR:-/tmp}/exported.$$"
        exit 1
fi
echo "ok - $(printf '%s\n' "$exported" | wc -l) symbols exported, all listed"
