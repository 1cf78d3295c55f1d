#!/bin/bash
# No hang: the command's deadline. A default one (30 s) when --timeout is not given, none with
# --timeout 0; one deadline for a whole inventory, not one per family; a provider stuck in a
# read that never returns (a FIFO no one writes: no polling, no cancellation) does not hold the
# process: it exits within the deadline plus one second, with exit status 2 and its JSON closed.
#
# The bound "within deadline + 1 s" is a correctness property of the deadline, not a speed
# measure: the slack is what the process needs to print and exit, on any machine. A watchdog
# (timeout 30) turns a hang into a failure instead of a stuck suite.
set -u
T=${HWGLUE_TEST:?}
. "$(dirname "$0")/tap-lib.sh"
same() {
        if [ "$2" = "$3" ]; then ok "$1"; else fail "$1"; echo "# got:      $2"; echo "# expected: $3"; fi
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# timed MS_LIMIT ARGS...: hwglue-test ARGS under the watchdog; $rc, $elapsed (ms), $tmp/out
timed() {
        local start
        start=$(now_ms)
        timeout 30 "$T" "$@" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        elapsed=$(($(now_ms) - start))
}

mkfifo "$tmp/fifo"
export HWGLUE_TEST_FIFO=$tmp/fifo

# ---- the default deadline, --timeout N, --timeout 0 ----------------------------------------
# Test_TimeLeft posts the time its call had left: what the command gave the providers.
"$T" --namespace root/deadline enum Test_TimeLeft --jsonl >"$tmp/out"
left=$(jq -r .TimeLeftMs "$tmp/out")
expect "no --timeout: a default deadline of 30 s (left: $left ms)" \
        test "$left" != null -a "$left" -gt 25000 -a "$left" -le 30000
"$T" --namespace root/deadline enum Test_TimeLeft --jsonl --timeout 5000 >"$tmp/out"
left=$(jq -r .TimeLeftMs "$tmp/out")
expect "--timeout 5000: 5 s (left: $left ms)" test "$left" != null -a "$left" -le 5000 -a "$left" -gt 1000
"$T" --namespace root/deadline enum Test_TimeLeft --jsonl --timeout 0 >"$tmp/out"
same "--timeout 0: no deadline" "$(jq -r .TimeLeftMs "$tmp/out")" null
"$T" --timeout -1 enum Test_Disk >/dev/null 2>&1
same "--timeout -1 is a usage error" "$?" 3

# ---- a read that never returns --------------------------------------------------------------
timed --namespace root/test --timeout 500 enum Test_Blocked --json
expect "a provider blocked in a read: exit 2" test "$rc" = 2
expect "... within the deadline plus 1 s (took $elapsed ms)" test "$elapsed" -lt 1500
jq_ok "... the JSON document is closed and valid, with what came before the read" \
        '.exit_status == 2 and (.instances | map(.DeviceID)) == ["blocked0"]
               and (.messages[0].string | test("cmdfifo \\(Test_Blocked\\) did not finish in time"))' \
        "$tmp/out"
for mode in "" --jsonl --pairs; do
        # shellcheck disable=SC2086
        timed --namespace root/test --timeout 500 enum Test_Blocked $mode
        expect "blocked, ${mode:-table}: exit 2 within the deadline plus 1 s (took $elapsed ms)" \
                test "$rc" = 2 -a "$elapsed" -lt 1500
done

# ---- one deadline for the whole inventory ---------------------------------------------------
# root/deadline: Test_TimeLeft, Test_Sleepy (works until 200 ms before its deadline), then
# Test_Blocked (never returns), Test_Hanging and Test_Hanging2 (wait for their deadline). With a
# deadline per family, Test_Blocked would get 2 s of its own after Test_Sleepy's 1.8 s.
export HWGLUE_TEST_LEAVE_MS=200
timed --namespace root/deadline --timeout 2000 --json
expect "inventory: exit 2" test "$rc" = 2
expect "inventory: one deadline for all families: within it plus 1 s (took $elapsed ms)" \
        test "$elapsed" -lt 3000
jq_ok "inventory: the JSON is closed, every family has its group" \
        '[.groups[].class] == ["Test_TimeLeft", "Test_Sleepy", "Test_Blocked", "Test_Hanging", "Test_Hanging2"]
         and .groups[0].instances[0].TimeLeftMs <= 2000 and (.groups[1].instances | length) == 1
         and .exit_status == 2' "$tmp/out"
jq_ok "inventory: the families not asked before the deadline are named" \
        '[.messages[].string] | map(select(test("not asked: the deadline"))) | length == 2' "$tmp/out"
timed --namespace root/deadline --timeout 1000
expect "inventory as a table: exit 2 within the deadline plus 1 s (took $elapsed ms)" \
        test "$rc" = 2 -a "$elapsed" -lt 2000
expect "inventory as a table: the stuck provider is named" grep -q "cmdfifo (Test_Blocked) did not finish in time" "$tmp/err"

tap_finish
