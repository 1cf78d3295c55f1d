#!/bin/bash
# The real hwglue command, with the built-in providers, on recorded machines (the shared
# fixtures) through --sysroot, against what lsblk and lspci printed for the same trees.
set -u
HWGLUE=${HWGLUE:?}
fixtures=${HWGLUE_SHARED_FIXTURES:-}
if [ -z "$fixtures" ] || [ ! -d "$fixtures" ]; then
        echo "# SKIP ../shared/fixtures is absent"
        exit 77
fi
. "$(dirname "$0")/tap-lib.sh"
# same NAME A B: two strings must be equal (shows both when they are not)
same() {
        if [ "$2" = "$3" ]; then ok "$1"; else fail "$1"; echo "# got:      $2"; echo "# expected: $3"; fi
}

fixture_dir() {
        local stamp="$fixtures/.$1.stamp"
        [ -f "$stamp" ] && echo "$fixtures/$(cat "$stamp")"
}

for archive in systemd.tar.xz node_exporter.tar.xz hwloc-32em64t-2n8c-1mic.tar.xz; do
        root=$(fixture_dir "$archive")
        if [ -z "$root" ] || [ ! -d "$root/oracle" ]; then
                fail "$archive is unpacked"
                continue
        fi
        name=${archive%.tar.xz}

        "$HWGLUE" --sysroot "$root" --json >"$tmp/inv.json" 2>"$tmp/err"
        rc=$?
        expect "$name: inventory exits 0 or 2 (partial)" test "$rc" = 0 -o "$rc" = 2
        expect "$name: inventory --json is valid JSON" jq -e . "$tmp/inv.json" >/dev/null
        same "$name: the JSON exit status is the exit code" \
                "$(jq .exit_status "$tmp/inv.json")" "$rc"

        # block devices: every one lsblk -a listed, with its size in bytes as a number (the
        # provider also lists devices that lsblk cannot see without their dev files: pmem,
        # dm without a dev node; see ../shared/fixtures/README.md)
        if [ -f "$root/oracle/lsblk-all.json" ]; then
                jq -r '.groups[] | select(.class == "Linux_BlockDevice") | .instances[] | "\(.DeviceID)=\(.Size)"' \
                        "$tmp/inv.json" | sort >"$tmp/got"
                jq -r '.. | objects | select(.kname?) | "\(.kname)=\(.size)"' \
                        "$root/oracle/lsblk-all.json" | sort >"$tmp/expected"
                same "$name: inventory lists lsblk's block devices with lsblk -b's sizes" \
                        "$(comm -13 "$tmp/got" "$tmp/expected" | tr '\n' ' ')" ""
        fi
        # PCI functions: the slots lspci listed
        if [ -s "$root/oracle/lspci-vmm-n.txt" ]; then
                same "$name: inventory lists lspci's functions" \
                        "$(jq -r '[.groups[] | select(.class == "Linux_PCIDevice") | .instances[].DeviceID] | sort | join(" ")' "$tmp/inv.json")" \
                        "$(sed -n 's/^Slot:[[:space:]]*//p' "$root/oracle/lspci-vmm-n.txt" | sort | tr '\n' ' ' | sed 's/ $//')"
        fi

        # JSON Lines: the same instances, one per line
        "$HWGLUE" --sysroot "$root" --jsonl >"$tmp/inv.jsonl" 2>/dev/null
        same "$name: --jsonl has one line per instance of --json" \
                "$(jq -c . "$tmp/inv.jsonl" | wc -l)" "$(jq '[.groups[].instances[]] | length' "$tmp/inv.json")"

        # the table for people and the pairs for shells exit as the JSON did
        "$HWGLUE" --sysroot "$root" >"$tmp/inv.txt" 2>/dev/null
        same "$name: the table exits as --json" "$?" "$rc"
        same "$name: no line of the table ends in a blank" "$(grep -c ' $' "$tmp/inv.txt")" 0
        "$HWGLUE" --sysroot "$root" -w 80 >"$tmp/inv80.txt" 2>/dev/null
        same "$name: -w 80: every table fits in 80 columns" "$(awk 'length > 80' "$tmp/inv80.txt" | wc -l)" 0
        "$HWGLUE" --sysroot "$root" --pairs >"$tmp/inv.pairs" 2>/dev/null
        same "$name: --pairs has one line per instance" "$(wc -l <"$tmp/inv.pairs")" \
                "$(jq '[.groups[].instances[]] | length' "$tmp/inv.json")"

        # a query on the key of the first disk gives that disk, with lsblk's size
        first=$(jq -r '[.groups[] | select(.class == "Linux_BlockDevice") | .instances[] | select(.Size > 0)][0].DeviceID // empty' "$tmp/inv.json")
        if [ -n "$first" ]; then
                "$HWGLUE" --sysroot "$root" --jsonl query \
                        "SELECT DeviceID, Size FROM Linux_BlockDevice WHERE DeviceID = '$first'" \
                        >"$tmp/q.jsonl" 2>/dev/null
                same "$name: query by key finds $first with its size" \
                        "$(jq -c '[.DeviceID, .Size]' "$tmp/q.jsonl")" \
                        "$(jq -c --arg d "$first" '[.groups[].instances[] | select(.DeviceID == $d) | [.DeviceID, .Size]][0]' "$tmp/inv.json")"
        fi
        # the disks in their default columns (Linux_DiskDrive's, inherited by the subclasses
        # by transport), with lsblk's name, size (-b) and transport
        if [ -f "$root/oracle/lsblk-all.json" ] &&
                [ "$(jq '[.blockdevices[] | select(.type == "disk" and .tran != null)] | length' "$root/oracle/lsblk-all.json")" -gt 0 ]; then
                "$HWGLUE" --sysroot "$root" enum Linux_DiskDrive >"$tmp/disks.txt" 2>/dev/null
                same "$name: disks in their default columns" "$(head -1 "$tmp/disks.txt" | tr -s ' ')" \
                        "CLASS Name Size Model Transport Rotational SerialNumber"
                "$HWGLUE" --sysroot "$root" enum Linux_DiskDrive -b -r -n -o Name,Size,Transport \
                        2>/dev/null | sort >"$tmp/got"
                jq -r '.blockdevices[] | select(.type == "disk" and .tran != null) | "\(.name) \(.size) \(.tran)"' \
                        "$root/oracle/lsblk-all.json" | sort >"$tmp/expected"
                same "$name: -o Name,Size,Transport -b -r agrees with lsblk's NAME SIZE TRAN" \
                        "$(comm -13 "$tmp/got" "$tmp/expected" | tr '\n' ' ')" ""
        fi
done

tap_finish
