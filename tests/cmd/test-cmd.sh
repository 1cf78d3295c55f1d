#!/bin/bash
# The hwglue command over the test schema and providers (hwglue-test is hwglue plus those):
# each output format, JSON Lines streaming, early-closed pipes, WQL errors, key push-down,
# partial results and exit codes.
set -u
T=${HWGLUE_TEST:?}
. "$(dirname "$0")/tap-lib.sh"

# ---- inventory ---------------------------------------------------------------------------
run "$T"
expect "inventory exits 0" test "$rc" = 0
expect "inventory groups under each provider's top class" \
        grep -q "^Test_Disk: Disks of the test provider" "$tmp/out"
expect "inventory shows the slow provider's group" grep -q "^Test_Slow" "$tmp/out"
expect "inventory shows human sizes" grep -q "465.8G" "$tmp/out"
expect "inventory leaves out the other namespace" test "$(grep -c Test_Failing "$tmp/out")" = 0

run "$T" -b
expect "-b shows bytes" grep -q "500107862016" "$tmp/out"

run "$T" --json
expect "inventory --json is valid JSON" jq -e . "$tmp/out" >/dev/null
expect "inventory --json has its format version" \
        jq -e '.json_format_version == [1, 0]' "$tmp/out" >/dev/null
expect "inventory --json groups by class" \
        jq -e '[.groups[].class] == ["Test_Disk", "Test_Slow"] and (.groups[0].instances | length) == 3' \
        "$tmp/out" >/dev/null
expect "inventory --json exit status and no messages" \
        jq -e '.exit_status == 0 and .messages == []' "$tmp/out" >/dev/null

# ---- enum and the output formats ----------------------------------------------------------
run "$T" enum Test_Disk --json
expect "enum --json is valid JSON" jq -e . "$tmp/out" >/dev/null
expect "enum --json is typed" jq -e '.instances[0] | .Size == 500107862016 and .Removable == false
        and .Temperature == 35.5 and .Offset == -5 and .Tags == ["boot", "system,root"]
        and .__CLASS == "Test_SSD" and .WearLevel == 3' "$tmp/out" >/dev/null
expect "enum --json gives null for NULL" \
        jq -e '.instances[1].Temperature == null and .instances[2].Model == null' "$tmp/out" >/dev/null
expect "enum --json escapes quotes, backslashes and control bytes" \
        jq -e '.instances[1].Model == "WDC \"quoted\" \\ $HOME `x`"
               and .instances[2].Name == "bad\u0001\ufffd name\ttab"' "$tmp/out" >/dev/null

run "$T" enum Test_Disk --jsonl
expect "--jsonl: one instance per line" test "$(wc -l <"$tmp/out")" = 3
expect "--jsonl: each line is a JSON object" \
        sh -c "jq -c -e 'type == \"object\"' '$tmp/out' | wc -l | grep -qx 3"

run "$T" enum Test_Disk --pairs
expect "--pairs: one instance per line" test "$(wc -l <"$tmp/out")" = 3
expect "--pairs reads back with eval" bash -c '
        eval "$(sed -n 2p "$1")"
        [ "$Model" = "WDC \"quoted\" \\ \$HOME \`x\`" ] && [ "$Size" = 1000204886016 ] &&
        [ "$__CLASS" = Test_Disk ] && [ "$Temperature" = "" ]' _ "$tmp/out"

run "$T" enum Test_Disk --shallow --jsonl
expect "--shallow leaves out subclasses" \
        test "$(jq -r .DeviceID "$tmp/out" | tr '\n' ' ')" = "sdb nvme0n1 "

run "$T" enum Test_Disk --keys-only --pairs
expect "--keys-only shows only keys" grep -qx '__CLASS="Test_SSD" DeviceID="sda"' "$tmp/out"

HWGLUE_TEST_COUNTS=$tmp/counts run "$T" enum Test_Disk -p Size,Model --jsonl
expect "-p shows only those properties" \
        test "$(jq -c 'keys_unsorted' "$tmp/out" | sort -u)" = '["__CLASS","Size","Model"]'
expect "-p reaches the provider: the Expensive property is not read" grep -q "serial=0" "$tmp/counts"

run "$T" enum Test_Disk -p Nope
expect "-p with an unknown property is a usage error" test "$rc" = 3
expect "-p names the unknown property" grep -q "class 'Test_Disk' has no property 'Nope'" "$tmp/err"

run "$T" enum Nope
expect "enum of an unknown class exits 3" test "$rc" = 3
expect "enum of an unknown class says so" grep -q "no class named 'Nope'" "$tmp/err"

# ---- JSON Lines streaming and early-closed pipes ------------------------------------------
# The slow provider posts one instance, then waits for the gate file: the first line must
# arrive while the enumeration is still going (the gate is opened only after reading it).
mkfifo "$tmp/fifo"
HWGLUE_TEST_GATE=$tmp/gate "$T" enum Test_Slow --jsonl >"$tmp/fifo" 2>"$tmp/slow-err" &
pid=$!
exec 3<"$tmp/fifo"
if read -r -t 30 first <&3; then
        expect "--jsonl: the first line arrives before the enumeration ends" \
                test "$(printf '%s' "$first" | jq -r .DeviceID)" = slow0
else
        fail "--jsonl: the first line arrives before the enumeration ends"
fi
touch "$tmp/gate"
rest=$(cat <&3)
exec 3<&-
wait "$pid"
expect "--jsonl: the rest follows once the provider goes on" test "$(echo "$rest" | wc -l)" = 4
expect "--jsonl: the provider never waited in vain" test ! -s "$tmp/slow-err"

for format in --jsonl --json --pairs; do
        (set -o pipefail; "$T" --namespace root/test enum Test_Many "$format" 2>"$tmp/err" | head -1 >"$tmp/out")
        rc=$?
        expect "$format | head -1 exits 0" test "$rc" = 0
        expect "$format | head -1 prints nothing on stderr" test ! -s "$tmp/err"
        expect "$format | head -1 gave a line" test -s "$tmp/out"
done

# ---- queries ------------------------------------------------------------------------------
HWGLUE_TEST_COUNTS=$tmp/counts run "$T" query "SELECT DeviceID, Size FROM Test_Disk WHERE DeviceID = 'sdb'" --pairs
expect "query prints the selected properties" grep -qx '__CLASS="Test_Disk" DeviceID="sdb" Size="1000204886016"' "$tmp/out"
expect "query on a key reads one device instead of enumerating" grep -q "enumerate=0 get=1" "$tmp/counts"

# The table is printed after the query: its columns must outlive the parsed query.
run "$T" query "SELECT DeviceID, Size FROM Test_Disk WHERE Size > 1" -b
expect "query as a table shows the selected columns" \
        sh -c "test $rc = 0 && grep -q '^DeviceID *Size' '$tmp/out' && grep -q '^sdb *1000204886016' '$tmp/out'"

HWGLUE_TEST_COUNTS=$tmp/counts run "$T" query "SELECT DeviceID FROM Test_Disk WHERE Size > 1" --jsonl
expect "query without a key condition enumerates" grep -q "enumerate=1 get=0" "$tmp/counts"
expect "query filters" test "$(jq -r .DeviceID "$tmp/out" | tr '\n' ' ')" = "sda sdb "

run "$T" query "SELECT * FROM Test_Disk WHERE Size > 1 AND"
expect "a WQL syntax error exits 3" test "$rc" = 3
expect "a WQL syntax error names the position and what was expected" \
        grep -qx "hwglue: query:1:43: expected property name, literal, NOT or (" "$tmp/err"

run "$T" query "SELECT * FROM Test_Disk WHERE Size >" --json
expect "a WQL syntax error in --json: a message and the exit status" \
        jq -e '.messages[0].string == "query:1:37: expected string, number, TRUE, FALSE or NULL"
               and .messages[0].severity == "error" and .exit_status == 3 and .instances == []' \
        "$tmp/out" >/dev/null

run "$T" query "SELECT Nope FROM Test_Disk"
expect "an unknown property in a query exits 3 with its name" \
        sh -c "test $rc = 3 && grep -q \"query:1:8: class 'Test_Disk' has no property 'Nope'\" '$tmp/err'"

run "$T" query "SELECT * FROM Nope"
expect "an unknown class in a query exits 3 with its name" \
        sh -c "test $rc = 3 && grep -q \"query:1:15: no class named 'Nope'\" '$tmp/err'"

run "$T" query "SELECT * FROM Test_Disk WHERE Size > 99999999999999"
expect "a query that finds nothing exits 1" test "$rc" = 1

# ---- get ----------------------------------------------------------------------------------
run "$T" get 'Test_Disk.DeviceID="sda"' --json
expect "get finds an instance as its most derived class" \
        jq -e '.instances | length == 1 and .[0].__CLASS == "Test_SSD"' "$tmp/out" >/dev/null
run "$T" get 'Test_Disk.DeviceID="sdz"'
expect "get of a missing instance exits 1" test "$rc" = 1
run "$T" get 'Test_Disk.DeviceID='
expect "get of a malformed path exits 3" test "$rc" = 3

# ---- partial results ----------------------------------------------------------------------
run "$T" --namespace root/test enum Test_Failing --json
expect "a failing provider makes the result partial (exit 2)" test "$rc" = 2
expect "a failing provider is named on stderr" grep -q "provider cmdfail (Test_Failing) failed" "$tmp/err"
expect "a failing provider is named in JSON, and what it gave is kept" \
        jq -e '(.messages[0].string | test("cmdfail.*simulated failure")) and .exit_status == 2
               and (.instances | length) == 1' "$tmp/out" >/dev/null

run "$T" --namespace root/test --timeout 200 enum Test_Hanging
expect "a provider past the deadline makes the result partial (exit 2)" test "$rc" = 2
expect "a provider past the deadline is named on stderr" grep -q "cmdhang" "$tmp/err"

# ---- schema commands, usage ---------------------------------------------------------------
run "$T" classes --json
expect "classes --json lists the classes" \
        jq -e '[.classes[].name] == ["Test_Device", "Test_Disk", "Test_SSD", "Test_Slow"]' \
        "$tmp/out" >/dev/null
run "$T" classes --tree
expect "classes --tree draws the hierarchy" grep -Eq '^[^A-Za-z]+Test_SSD' "$tmp/out"
run "$T" describe test_ssd --json
expect "describe --json: derivation, provider and property units" \
        jq -e '.class.name == "Test_SSD" and .class.derivation == ["Test_Disk", "Test_Device"]
               and .class.provider == "cmdtest"
               and (.class.properties[] | select(.name == "WearLevel") | .units) == "Percent"
               and (.class.properties[] | select(.name == "DeviceID") | .key)' \
        "$tmp/out" >/dev/null
run "$T" describe Test_Disk
expect "describe for people lists properties and Values" grep -q "Serial.*string.*Expensive" "$tmp/out"

for sub in inventory classes describe enum get query; do
        run "$T" "$sub" --help
        expect "$sub --help" sh -c "test $rc = 0 && grep -q '^Usage: hwglue' '$tmp/out'"
done
run "$T" enum Test_Disk --tree
expect "an option of another command is a usage error" test "$rc" = 3
run "$T" --frobnicate
expect "an unknown option is a usage error" test "$rc" = 3
run "$T" enum
expect "a missing argument is a usage error" test "$rc" = 3
run "$T" enum Test_Disk --json --pairs
expect "two output formats are a usage error" test "$rc" = 3

tap_finish
