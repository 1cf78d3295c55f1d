#!/bin/bash
# The hwglue command over the test schema and providers (hwglue-test is hwglue plus those):
# each output format, JSON Lines streaming, early-closed pipes, WQL errors, key push-down,
# partial results and exit codes.
set -u
T=${HWGLUE_TEST:?}
. "$(dirname "$0")/tap-lib.sh"
# same NAME A B: two strings must be equal (shows both when they are not)
same() {
        if [ "$2" = "$3" ]; then ok "$1"; else fail "$1"; echo "# got:      $2"; echo "# expected: $3"; fi
}
# header FILE: the first line, blanks squeezed
header() { head -1 "$1" | tr -s ' '; }

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
jq_ok "inventory --json is valid JSON" . "$tmp/out"
jq_ok "inventory --json has its format version" \
        '.json_format_version == [1, 0]' "$tmp/out"
jq_ok "inventory --json groups by class" \
        '[.groups[].class] == ["Test_Disk", "Test_Slow"] and (.groups[0].instances | length) == 3' \
        "$tmp/out"
jq_ok "inventory --json exit status and no messages" \
        '.exit_status == 0 and .messages == []' "$tmp/out"

# ---- the table: default columns, -o, -O, --list-columns, width, headings ----------------------
# Test_Disk states DefaultColumns, Test_SSD restates them, Test_Slow has none (fallback: keys,
# labels, readings). A row of another class than the one asked gets a CLASS column.
run "$T" enum Test_Disk
same "enum: the class's default columns, CLASS for the Test_SSD row" "$(header "$tmp/out")" \
        "CLASS DeviceID Size Temperature Model"
expect "enum: readings with their unit and sensors' precision" grep -q "^Test_SSD  *sda  *465.8G  *35.5 °C" "$tmp/out"
expect "enum: no line ends in a blank" test "$(grep -c ' $' "$tmp/out")" = 0
run "$T" enum Test_Disk --shallow
same "enum --shallow: no CLASS column when every row is of the class" "$(header "$tmp/out")" \
        "DeviceID Size Temperature Model"
run "$T" enum Test_SSD
same "a subclass that restates DefaultColumns shows its own" "$(header "$tmp/out")" \
        "DeviceID Size WearLevel Model"
same "a percentage with its unit" "$(sed -n 2p "$tmp/out" | tr -s ' ')" "sda 465.8G 3 % Samsung SSD 860"
run "$T" enum Test_Slow
same "a class without DefaultColumns shows its keys, labels and readings" \
        "$(header "$tmp/out")" "DeviceID"
run "$T" enum Test_Disk -o Model,Size
same "-o: exactly these columns, in this order" "$(header "$tmp/out")" "Model Size"
HWGLUE_TEST_COUNTS=$tmp/counts run "$T" enum Test_Disk -o +Serial
same "-o +COL: the default columns and COL" "$(header "$tmp/out")" \
        "CLASS DeviceID Size Temperature Model Serial"
expect "-o +COL: an Expensive column named is read" grep -q "serial=3" "$tmp/counts"
HWGLUE_TEST_COUNTS=$tmp/counts run "$T" enum Test_Disk
expect "the table reads only its columns: the Expensive one is not read" grep -q "serial=0" "$tmp/counts"
run "$T" enum Test_Disk --output +Serial --jsonl
expect "-o +COL in JSON: the default columns and COL" \
        test "$(jq -c 'keys_unsorted' "$tmp/out" | sort -u | tr '\n' ' ')" = \
        '["__CLASS","DeviceID","Size","Temperature","Model","Serial"] '
run "$T" enum Test_Disk -O
same "-O: every property" "$(header "$tmp/out")" \
        "CLASS DeviceID Name Size Removable Temperature Model Offset Tags Availability Serial Kind WearLevel"
run "$T" enum Test_Disk -O -o Size
expect "-O and -o exclude each other" test "$rc" = 3
run "$T" enum Test_Disk -n
expect "-n: no heading" sh -c "! grep -q DeviceID '$tmp/out' && test \$(wc -l <'$tmp/out') = 3"
run "$T" -n
expect "-n in the inventory: no class heading either" \
        sh -c "! grep -q '^Test_Disk:' '$tmp/out' && ! grep -q DeviceID '$tmp/out'"
run "$T" enum Test_Disk -r -n -o DeviceID,Model
same "-r: one blank between columns, blanks in values escaped" "$(sed -n 3p "$tmp/out")" \
        'sdb WDC\x20"quoted"\x20\x5c\x20$HOME\x20`x`'
run "$T" enum Test_Disk -w 46
expect "-w 46: every line fits" test "$(awk 'length > 46' "$tmp/out" | wc -l)" = 0
expect "-w 46: the text column is cut, the keys are whole" \
        sh -c "grep -q '^Test_Disk  *nvme0n1 ' '$tmp/out' && ! grep -qF '\$HOME \`x\`' '$tmp/out'"
run "$T" enum Test_Disk
expect "not on a terminal and no -w: nothing is cut" grep -qF 'WDC "quoted" \ $HOME `x`' "$tmp/out"
run "$T" enum Test_Disk --list-columns
same "--list-columns: the default ones first" "$(head -1 "$tmp/out")" \
        "Test_Disk: default columns: DeviceID,Size,Temperature,Model"
same "--list-columns: each column with its type, units and description" \
        "$(grep "^Size " "$tmp/out" | tr -s ' ')" "Size uint64 Bytes Capacity in bytes."
expect "--list-columns: the system columns too" grep -q "^__PATH " "$tmp/out"
run "$T" enum Test_Disk -H --json
jq_ok "--list-columns --json" '.classes[0].class == "Test_Disk"
        and (.classes[0].columns[] | select(.name == "Size") | .default and .units == "Bytes")
        and (.classes[0].columns[] | select(.name == "Serial") | .default | not)' "$tmp/out"
run "$T" -H
expect "--list-columns for the inventory: one list per group" \
        test "$(grep -c ': default columns: ' "$tmp/out")" = 2

# ---- inventory tables, lines ---------------------------------------------------------------
run "$T"
expect "inventory: a table per class that states the rows' columns (Test_SSD apart)" \
        sh -c "grep -q '^Test_SSD: Solid-state test disks' '$tmp/out' && grep -q '^sda  *465.8G  *3 %' '$tmp/out'"
for args in "" "enum Test_Disk" "enum Test_Disk -w 46" "describe Test_Disk" "describe Test_Disk -w 72" \
        "classes" "classes --tree" "enum Test_Disk -H" "enum Test_Disk -O"; do
        # shellcheck disable=SC2086
        run "$T" $args
        expect "no line ends in a blank: hwglue $args" test "$(grep -c ' $' "$tmp/out")" = 0
done

# ---- families that find nothing, unreadable attributes --------------------------------------
run "$T" --namespace root/test enum Test_Empty
expect "a family that finds nothing exits 1" test "$rc" = 1
same "... and says why in one line, without -v" "$(cat "$tmp/err")" \
        "hwglue: cmdempty: no test devices under /sys/class/nothing"
run "$T" --namespace root/test enum Test_Unreadable
expect "unreadable attributes: the run still succeeds (exit 0)" test "$rc" = 0
same "unreadable attributes: once per cause, with an example, at the end" "$(cat "$tmp/err")" \
        "hwglue: 3 attributes unreadable: permission denied, e.g. /sys/test/hwmon0/temp1_input
hwglue: 1 attribute unreadable: would block (a FIFO, or a device not ready), e.g. /sys/test/hwmon1/name"
run "$T" --namespace root/test enum Test_Unreadable --strict --json
expect "--strict: unreadable attributes make the run partial (exit 2)" test "$rc" = 2
jq_ok "--strict: ... in JSON too, with the messages" '.exit_status == 2
        and (.messages | map(.string) | index("3 attributes unreadable: permission denied, e.g. /sys/test/hwmon0/temp1_input")) != null' \
        "$tmp/out"
run "$T" enum Test_Disk --strict
expect "--strict: a run that read everything exits 0" test "$rc" = 0

# ---- enum and the output formats ----------------------------------------------------------
run "$T" enum Test_Disk --json
jq_ok "enum --json is valid JSON" . "$tmp/out"
jq_ok "enum --json is typed" '.instances[0] | .Size == 500107862016 and .Removable == false
        and .Temperature == 35.5 and .Offset == -5 and .Tags == ["boot", "system,root"]
        and .__CLASS == "Test_SSD" and .WearLevel == 3' "$tmp/out"
jq_ok "enum --json gives null for NULL" \
        '.instances[1].Temperature == null and .instances[2].Model == null' "$tmp/out"
jq_ok "enum --json escapes quotes, backslashes and control bytes" \
        '.instances[1].Model == "WDC \"quoted\" \\ $HOME `x`"
               and .instances[2].Name == "bad\u0001\ufffd name\ttab"' "$tmp/out"

run "$T" enum Test_Disk --jsonl
expect "--jsonl: one instance per line" test "$(wc -l <"$tmp/out")" = 3
expect "--jsonl: each line is a JSON object" \
        sh -c "jq -c -e 'type == \"object\"' '$tmp/out' | wc -l | grep -qx 3"

run "$T" enum Test_Disk --jsonl --no-nulls
jq -s . "$tmp/out" >"$tmp/slurped"
jq_ok "--no-nulls: NULL properties are left out" '(.[2] | has("Model") | not)
        and (.[1] | has("Temperature") | not) and .[0].Model == "Samsung SSD 860"' "$tmp/slurped"
run "$T" enum Test_Disk --jsonl
jq -s . "$tmp/out" >"$tmp/slurped"
jq_ok "without --no-nulls they are null" '.[2] | has("Model") and .Model == null' "$tmp/slurped"
run "$T" enum Test_Disk --pairs --no-nulls
expect "--no-nulls in pairs" sh -c "! sed -n 3p '$tmp/out' | grep -q 'Model='"

run "$T" enum Test_Disk --json -o Size
jq_ok "--json records argv as given, not as getopt reordered it" \
        '.hwglue.argv[1:] == ["enum", "Test_Disk", "--json", "-o", "Size"]' "$tmp/out"

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
jq_ok "a WQL syntax error in --json: a message and the exit status" \
        '.messages[0].string == "query:1:37: expected string, number, TRUE, FALSE or NULL"
               and .messages[0].severity == "error" and .exit_status == 3 and .instances == []' \
        "$tmp/out"

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
jq_ok "get finds an instance as its most derived class" \
        '.instances | length == 1 and .[0].__CLASS == "Test_SSD"' "$tmp/out"
run "$T" get 'Test_Disk.DeviceID="sdz"'
expect "get of a missing instance exits 1" test "$rc" = 1
run "$T" get 'Test_Disk.DeviceID='
expect "get of a malformed path exits 3" test "$rc" = 3

# ---- partial results ----------------------------------------------------------------------
run "$T" --namespace root/test enum Test_Failing --json
expect "a failing provider makes the result partial (exit 2)" test "$rc" = 2
expect "a failing provider is named on stderr" grep -q "provider cmdfail (Test_Failing) failed" "$tmp/err"
jq_ok "a failing provider is named in JSON, and what it gave is kept" \
        '(.messages[0].string | test("cmdfail.*simulated failure")) and .exit_status == 2
               and (.instances | length) == 1' "$tmp/out"

run "$T" --namespace root/test --timeout 200 enum Test_Hanging
expect "a provider past the deadline makes the result partial (exit 2)" test "$rc" = 2
expect "a provider past the deadline is named on stderr" grep -q "cmdhang" "$tmp/err"

# ---- schema commands, usage ---------------------------------------------------------------
run "$T" classes --json
jq_ok "classes --json lists the classes" \
        '[.classes[].name] == ["Test_Device", "Test_Disk", "Test_SSD", "Test_Slow"]' \
        "$tmp/out"
run "$T" classes --tree
expect "classes --tree draws the hierarchy" grep -Eq '^[^A-Za-z]+Test_SSD' "$tmp/out"
# `classes` writes its table itself when libsmartcols would have nothing to do (no tree, no
# width, plain text): byte for byte what libsmartcols writes, which a width makes it do. The
# test schema's root/test holds text that libsmartcols escapes, so it gets the table there.
for prog in "$T" "${HWGLUE:?}"; do
        for ns in root/cimv2 root/test; do
                for opts in "" "-n" "-r" "-r -n"; do
                        "$prog" --namespace $ns classes $opts >"$tmp/plain" 2>&1
                        "$prog" --namespace $ns classes $opts -w 100000 >"$tmp/scols" 2>&1
                        expect "classes $opts in $ns (${prog##*/}) as libsmartcols writes it" \
                                cmp -s "$tmp/plain" "$tmp/scols"
                done
        done
done
run "$T" --namespace root/test classes
expect "classes: libsmartcols escapes a backslash before x" grep -q 'a\\x5cx41 escape' "$tmp/out"
run "$T" describe test_ssd --json
jq_ok "describe --json: derivation, provider and property units" \
        '.class.name == "Test_SSD" and .class.derivation == ["Test_Disk", "Test_Device"]
               and .class.provider == "cmdtest"
               and (.class.properties[] | select(.name == "WearLevel") | .units) == "Percent"
               and (.class.properties[] | select(.name == "DeviceID") | .key)' \
        "$tmp/out"
run "$T" describe Test_Disk
# one line per property: name, type, flags, units, description (and what codes mean)
same "describe: a key is marked" "$(grep "^DeviceID " "$tmp/out" | tr -s ' ')" "DeviceID string key"
same "describe: type, metric kind, units and description on one line" \
        "$(grep "^Size " "$tmp/out" | tr -s ' ')" "Size uint64 gauge Bytes Capacity in bytes."
same "describe: an Expensive property, and a qualifier as MOF writes it" \
        "$(grep "^Serial " "$tmp/out" | tr -s ' ')" "Serial string expensive Qualifiers: MaxLen(20)."
same "describe: what the codes of a ValueMap mean" \
        "$(grep "^Availability " "$tmp/out" | tr -s ' ')" \
        "Availability uint16 Values: 1=Other, 2=Unknown, 3=Running."
same "describe: the default columns" "$(grep "^Columns:" "$tmp/out" | tr -s ' ')" \
        "Columns: DeviceID, Size, Temperature, Model"
run "$T" describe Test_Disk -w 40
expect "describe -w 40: a description too wide for its column goes under the row" \
        grep -Eq "^    Capacity in bytes.$" "$tmp/out"
run "$T" describe Test_Disk -w 72
expect "describe -w 72: every line fits" test "$(awk 'length > 72' "$tmp/out" | wc -l)" = 0
expect "describe -w 72: the description wraps under its column" \
        grep -Eq "^ {40,}[^ ].*Running\.$" "$tmp/out"
run "$T" describe Test_Disk --json
jq_ok "describe --json: qualifiers typed, ValueMap an array of strings" \
        '(.class.properties[] | select(.name == "Availability") | .qualifiers.ValueMap)
               == ["1", "2", "3"] and .class.default_columns == ["DeviceID", "Size", "Temperature", "Model"]' \
        "$tmp/out"

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
