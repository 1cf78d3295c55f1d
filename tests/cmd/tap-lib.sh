# Sourced by the command's shell tests: a TAP-like tally and a temporary folder.
#   expect NAME CMD...   passes when CMD succeeds
#   run CMD...           stdout in $tmp/out, stderr in $tmp/err, exit status in $rc
#   jq_ok NAME FILTER FILE   passes when jq -e FILTER holds on FILE (its output hidden, not ours)
#   tap_finish           prints the plan; the script's exit status is 0 only if all passed
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failures=$((failures + 1)); echo "not ok $n - $1"; }
expect() {
        local name=$1
        shift
        if "$@"; then ok "$name"; else fail "$name"; fi
}
run() {
        "$@" >"$tmp/out" 2>"$tmp/err"
        rc=$?
}
jq_ok() {
        if jq -e "$2" "$3" >/dev/null 2>"$tmp/jq-err"; then ok "$1"; else
                fail "$1"; sed 's/^/# /' "$tmp/jq-err"; fi
}
tap_finish() {
        echo "1..$n"
        [ "$failures" = 0 ]
}
