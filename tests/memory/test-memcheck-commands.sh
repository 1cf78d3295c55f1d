#!/bin/bash
# The hwglue command (inventory in every output format, a WQL query, a get) and hwglue-export,
# over several shared fixture trees and a generated one, with no memory error and no definite or
# indirect leak.
#   HWGLUE_MEMCHECK=valgrind  each command runs under valgrind's memcheck (the plain build)
#   HWGLUE_MEMCHECK=native    each command runs as it is: in a sanitizer build ASan and LSan
#                             (ASAN_OPTIONS detect_leaks=1) end it with an error of their own,
#                             since valgrind cannot run ASan binaries
# An empty VALGRIND in valgrind mode fails: valgrind is a test dependency (tools/quickstart).
set -u
HWGLUE=${HWGLUE:?} HWGLUE_EXPORT=${HWGLUE_EXPORT:?} SYSFS_GEN=${SYSFS_GEN:?}
mode=${HWGLUE_MEMCHECK:?}
here=$(dirname "$0")
. "$here/../cmd/tap-lib.sh"

if [ "$mode" = valgrind ] && [ -z "${VALGRIND:-}" ]; then
        fail "valgrind is installed (Debian package valgrind)"
        tap_finish
        exit 1
fi
runs=0 total_errors=0

# memcheck NAME ALLOWED-EXIT-CODES CMD...: CMD exits with one of the allowed codes (a
# space-separated list) and the checker found nothing. Its stdout is left in $tmp/out.
memcheck() {
        local name=$1 allowed=$2 rc errors definite indirect
        shift 2
        runs=$((runs + 1))
        if [ "$mode" = valgrind ]; then
                "$VALGRIND" --error-exitcode=99 --leak-check=full \
                        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
                        --log-file="$tmp/vg.log" \
                        "$@" >"$tmp/out" 2>"$tmp/err"
                rc=$?
                # The error count includes the definite and indirect leaks
                # (--errors-for-leak-kinds); the leak summary is absent when nothing leaked.
                errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$tmp/vg.log" | tr -d ,)
                definite=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$tmp/vg.log" | tr -d ,)
                indirect=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$tmp/vg.log" | tr -d ,)
                errors=${errors:-unknown}
                echo "# valgrind: $*: exit $rc, $errors error(s), ${definite:-0} B definitely and ${indirect:-0} B indirectly lost"
                [ "$errors" = unknown ] && errors=1
                total_errors=$((total_errors + errors))
        else
                "$@" >"$tmp/out" 2>"$tmp/err"
                rc=$?
                errors=$(grep -c 'Sanitizer' "$tmp/err")
                echo "# native: $*: exit $rc, $errors sanitizer report(s)"
                total_errors=$((total_errors + errors))
        fi
        if [ "$errors" -eq 0 ] && [[ " $allowed " == *" $rc "* ]]; then
                ok "$name"
        else
                fail "$name (exit $rc, wanted one of: $allowed)"
                [ "$mode" = valgrind ] && grep -v '^==[0-9]*== *$' "$tmp/vg.log" | sed 's/^/# /' | head -n 80
                sed 's/^/# stderr: /' "$tmp/err" | head -n 60
        fi
}

# The path of one block device of the tree, or else of one PCI function, for get.
first_path() { # ROOT
        local class id
        for class in Linux_BlockDevice Linux_PCIDevice; do
                id=$("$HWGLUE" --sysroot "$1" enum "$class" -p DeviceID --jsonl 2>/dev/null |
                        jq -r '.DeviceID' | head -n 1)
                if [ -n "$id" ]; then
                        echo "$class.DeviceID=\"$id\""
                        return
                fi
        done
}

check_tree() { # NAME ROOT
        local name=$1 root=$2 path
        # inventory: 0, or 2 when a provider fails on a broken tree (a partial answer)
        memcheck "$name: inventory table" "0 2" "$HWGLUE" --sysroot "$root"
        memcheck "$name: inventory --json" "0 2" "$HWGLUE" --sysroot "$root" --json
        memcheck "$name: inventory --jsonl" "0 2" "$HWGLUE" --sysroot "$root" --jsonl
        memcheck "$name: inventory --pairs" "0 2" "$HWGLUE" --sysroot "$root" --pairs
        # a query that reads every class below CIM_LogicalDevice and evaluates LIKE and IS NULL
        memcheck "$name: query" "0 1 2" "$HWGLUE" --sysroot "$root" --jsonl query \
                "SELECT DeviceID, Name FROM CIM_LogicalDevice WHERE DeviceID LIKE '%0%' OR Name IS NULL"
        path=$(first_path "$root")
        if [ -z "$path" ]; then
                fail "$name: has a block device or a PCI function to get"
                return
        fi
        memcheck "$name: get $path" "0" "$HWGLUE" --sysroot "$root" --json get "$path"
}

# A generated tree: every kind of block device and PCI function sysfs-gen makes.
"$SYSFS_GEN" --seed 11 all 24 "$tmp/generated" >/dev/null ||
        fail "sysfs-gen makes a tree"
check_tree generated "$tmp/generated"

fixtures=${HWGLUE_SHARED_FIXTURES:-}
skipped=false
if [ -z "$fixtures" ] || [ ! -d "$fixtures" ]; then
        echo "# SKIP the shared fixtures: ../shared/fixtures is absent"
        skipped=true
else
        # Disks with partitions, md and USB (systemd); udev data and truncated PCI config
        # (node_exporter); 137 PCI functions, nvme and pmem (hwloc); LVM (util-linux); a GPU
        # with no disk (lact).
        for archive in systemd node_exporter hwloc-32em64t-2n8c-1mic util-linux-simple-lvm \
                lact-amd-vega56; do
                stamp="$fixtures/.$archive.tar.xz.stamp"
                if [ ! -f "$stamp" ]; then
                        fail "$archive.tar.xz is unpacked"
                        continue
                fi
                check_tree "$archive" "$fixtures/$(cat "$stamp")"
        done
        # The exporter, once, over the tree with the most kinds of device.
        root="$fixtures/$(cat "$fixtures/.systemd.tar.xz.stamp")"
        memcheck "hwglue-export: one export" "0" "$HWGLUE_EXPORT" --sysroot "$root" \
                --textfile "$tmp/hwglue.prom"
        expect "hwglue-export: wrote metrics" grep -q '^hwglue_' "$tmp/hwglue.prom"
fi

echo "# $runs runs under $mode, $total_errors error(s) in all"
tap_finish || exit 1
$skipped && exit 77
exit 0
