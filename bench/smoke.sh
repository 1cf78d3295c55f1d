#!/bin/sh
# Smoke test of the benchmark tools: a generated tree of 10 of each kind is read completely and
# consistently by the floor (sysfs-floor --check), by the peers (lsblk, lspci, sensors under
# umockdev's preload) and by hwglue, run-timed counts what a command prints, and the start-up
# floor prints what `hwglue classes` prints.
# usage: smoke.sh SYSFS-GEN SYSFS-FLOOR RUN-TIMED HWGLUE CLASSES-FLOOR [AGENT-LOOP]
set -u
gen=$1 floor=$2 timed=$3 hwglue=$4 classes_floor=$5 agent=${6:-}
tree=$(mktemp -d "${TMPDIR:-/tmp}/hwglue-bench-smoke.XXXXXX") || exit 1
trap 'rm -rf "$tree"' EXIT
failures=0

expect() { # what, got, wanted
        if [ "$2" = "$3" ]; then
                echo "ok - $1: $2"
        else
                echo "not ok - $1: $2, wanted $3"
                failures=$((failures + 1))
        fi
}

"$gen" --seed 7 all 10 "$tree" || { echo "not ok - sysfs-gen failed"; exit 1; }
expect "whole disks in sys/block" "$(ls "$tree/sys/block" | wc -l)" 4
expect "links in sys/dev/block" "$(ls "$tree/sys/dev/block" | wc -l)" 10
expect "functions in bus/pci/devices" "$(ls "$tree/sys/bus/pci/devices" | wc -l)" 10
expect "chips in class/hwmon" "$(ls "$tree/sys/class/hwmon" | wc -l)" 10

for kind_count in block:10 pci:10 hwmon:80; do
        kind=${kind_count%%:*}
        out=$("$floor" --check "$kind" "$tree" | wc -l)
        expect "floor $kind records (and --check agreed)" "$out" "${kind_count#*:}"
done

line=$("$timed" -- "$floor" pci "$tree")
expect "run-timed counts lines" "$(echo "$line" | sed -n 's/.* lines=\([0-9]*\) .*/\1/p')" 10
expect "run-timed exit status" "${line##*status=}" exit:0
expect "run-timed counts CPU time" "$(echo "$line" | grep -c ' cpu_us=[0-9][0-9]* ')" 1

"$hwglue" classes > "$tree/classes.out"
expect "the start-up floor prints what hwglue classes prints" \
        "$("$classes_floor" | cmp - "$tree/classes.out" && echo same)" same

expect "lsblk --sysroot devices" \
        "$(lsblk -J -O -b -a --sysroot "$tree" | grep -c '"name":')" 10
expect "lspci -n functions" \
        "$(lspci -A linux-sysfs -O "sysfs.path=$tree/sys/bus/pci" -n | wc -l)" 10
preload="env LD_PRELOAD=libumockdev-preload.so.0${LD_PRELOAD:+:$LD_PRELOAD} UMOCKDEV_DIR=$tree"
expect "sensors chips and features" \
        "$($preload sensors -c /dev/null -j | jq -c '[length, ([.[] | to_entries[] |
                select(.value | type == "object")] | length)]')" "[10,80]"

expect "hwglue block devices" \
        "$("$hwglue" enum Linux_BlockDevice --jsonl --sysroot "$tree" | wc -l)" 10
expect "hwglue PCI functions" \
        "$("$hwglue" enum Linux_PCIDevice --jsonl --sysroot "$tree" | wc -l)" 10
expect "hwglue sensors" "$($preload "$hwglue" enum Linux_Sensor --jsonl | wc -l)" 80
expect "hwglue sensors under --sysroot" \
        "$("$hwglue" enum Linux_Sensor --jsonl --sysroot "$tree" | wc -l)" 80
expect "floor --repeat reads it all each time" "$("$floor" --repeat 3 hwmon "$tree" | wc -l)" 240
if [ -n "$agent" ]; then
        line=$("$agent" --sysroot "$tree" Linux_Sensor 3)
        expect "agent-loop exit status" "$?" 0
        expect "agent-loop instances a cycle" "$(echo "$line" | sed -n 's/.* instances=\([0-9]*\) .*/\1/p')" 80
fi

[ "$failures" -eq 0 ]
