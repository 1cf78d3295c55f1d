#!/bin/bash
# The options users type are one list in three places: every option that `hwglue --help` (and
# each command's --help) lists is documented in hwglue(1) and offered by the bash completion,
# and neither names one that does not exist. --version gives the project's version from
# meson, and the man page and the JSON header say the same.
set -u
HWGLUE=${HWGLUE:?}
src=${HWGLUE_SOURCE_DIR:?}
. "$(dirname "$0")/tap-lib.sh"
same() {
        if [ "$2" = "$3" ]; then ok "$1"; else fail "$1"; echo "# got:      $2"; echo "# expected: $3"; fi
}
man=$src/cmd/hwglue.1
completion=$src/cmd/hwglue.bash-completion

# --help: the lines of the option tables ("  -o, --output LIST  ...", "      --jsonl  ...")
for sub in "" inventory classes describe enum get query; do
        # shellcheck disable=SC2086
        "$HWGLUE" $sub --help
done | sed -nE 's/^ +((-[A-Za-z], )?--[a-z][a-z-]*).*/\1/p' | grep -oE -- '--?[A-Za-z][A-Za-z-]*' |
        sort -u >"$tmp/help"
# hwglue(1): the tags of the OPTIONS section (.B/.BR/.BI lines)
sed -n '/^\.SH OPTIONS/,/^\.SH [^O]/p' "$man" | grep -E '^\.B[RI]? ' | sed 's/\\-/-/g' |
        grep -oE -- '(^|[ "])--?[A-Za-z][A-Za-z-]*' | tr -d ' "' | sort -u >"$tmp/man"
# the completion: the words of its option lists (common=, instances=, columns=, extra=)
awk '/(common|instances|columns|extra)="/ { on = 1 } on { print } on && /"( ;;)?$/ && !/="$/ { n = gsub(/"/, "\""); if (n % 2 == 0 || !/="/) on = 0 }' \
        "$completion" | grep -oE -- '(^|[ "])--?[A-Za-z][A-Za-z-]*' | tr -d ' "' | sort -u >"$tmp/completion"

expect "--help lists options" test "$(wc -l <"$tmp/help")" -gt 20
same "every option of --help is in hwglue(1), and no other" \
        "$(comm -3 "$tmp/help" "$tmp/man" | tr -s '\t\n' '  ')" ""
same "every option of --help is in the bash completion, and no other" \
        "$(comm -3 "$tmp/help" "$tmp/completion" | tr -s '\t\n' '  ')" ""

# ---- the version ---------------------------------------------------------------------------
version=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" "$src/meson.build" | head -1)
same "--version: the project's version from meson" "$("$HWGLUE" --version)" "hwglue $version"
same "-V is --version" "$("$HWGLUE" -V)" "hwglue $version"
expect "hwglue(1) names that version" grep -q "^\.TH HWGLUE 1 .*\"hwglue $version\"" "$man"
"$HWGLUE" classes --json >"$tmp/out"
same "the JSON header carries it" "$(jq -r '.hwglue.version | map(tostring) | join(".")' "$tmp/out")" \
        "$version"

tap_finish
