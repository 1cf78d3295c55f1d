#!/bin/bash
# The metric names are a contract. hwglue-export --list-metrics prints every family the built-in
# schema defines, with its type and labels: it must be the golden list beside this script (a
# rename is a visible diff here, made on purpose), follow the Prometheus naming rules, and be
# written down: every family in the README and in hwglue-export(1), every option of --help in
# the man page.
set -u
HWGLUE_EXPORT=${HWGLUE_EXPORT_PROGRAM:?}
SRC=${HWGLUE_SOURCE_DIR:?}
GOLDEN=$SRC/tests/export/metric-names.txt
MAN=$SRC/export/hwglue-export.1
README=$SRC/README.md
n=0 failures=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failures=$((failures + 1)); echo "not ok $n - $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$HWGLUE_EXPORT" --list-metrics >"$tmp/names" 2>"$tmp/err"
[ -s "$tmp/names" ] && [ ! -s "$tmp/err" ] && ok "--list-metrics lists, without a warning" ||
        { fail "--list-metrics lists, without a warning"; sed 's/^/# /' "$tmp/err"; }
if diff -u "$GOLDEN" "$tmp/names" >"$tmp/diff"; then
        ok "the families are the golden list ($(wc -l <"$GOLDEN") families)"
else
        fail "the families are the golden list: a rename? then update tests/export/metric-names.txt, the README and hwglue-export(1)"
        sed 's/^/# /' "$tmp/diff"
fi

# Prometheus naming: https://prometheus.io/docs/practices/naming/
bad=$(awk -F'\t' '
        $1 !~ /^hwglue_[a-z][a-z0-9_]*$/ { print $1 ": not a snake_case hwglue_ name"; next }
        $2 == "counter" && $1 !~ /_total$/ { print $1 ": a counter without _total" }
        $2 == "gauge" && $1 ~ /_total$/ { print $1 ": a gauge with _total" }
        $1 ~ /(bytes|seconds|celsius|volts|amperes|watts|joules|rpm|ratio)_.*(bytes|seconds|celsius|volts|amperes|watts|joules|rpm|ratio)(_total)?$/ { print $1 ": the unit twice" }
        $1 ~ /_(milli[a-z]*|kilo[a-z]*|mega[a-z]*|percent|amps|watt|joule)(_|$)/ { print $1 ": not a base unit" }
        $1 ~ /_(nv_me|pciusb|s_c_s_i|m_m_c)_/ { print $1 ": a name split inside an acronym" }
        $3 ~ /(^|,)__/ { print $1 ": a label named __*" }
' "$tmp/names")
[ -z "$bad" ] && ok "every name follows the Prometheus naming rules" ||
        { fail "every name follows the Prometheus naming rules"; echo "$bad" | sed 's/^/# /'; }
dups=$(cut -f1 "$tmp/names" | sort | uniq -d)
[ -z "$dups" ] && ok "no family twice" || fail "families listed twice: $dups"

# Written down.
for doc in "$README" "$MAN"; do
        missing=$(cut -f1 "$tmp/names" | while read -r name; do
                grep -qF -- "$name" "$doc" || echo "$name"
        done | tr '\n' ' ')
        [ -z "$missing" ] && ok "$(basename "$doc") names every family" ||
                fail "$(basename "$doc") does not name: $missing"
done
"$HWGLUE_EXPORT" --help | grep -Eo -- '--[a-z][a-z-]+' | sort -u >"$tmp/options"
# The man page as text: roff's \- is a hyphen.
sed 's/\\-/-/g' "$MAN" >"$tmp/man"
missing=$(while read -r option; do grep -qF -- "$option" "$tmp/man" || echo "$option"; done <"$tmp/options" | tr '\n' ' ')
[ -s "$tmp/options" ] && [ -z "$missing" ] && ok "the man page has every option of --help ($(wc -l <"$tmp/options"))" ||
        fail "the man page lacks: $missing"

echo "1..$n"
[ "$failures" = 0 ]
