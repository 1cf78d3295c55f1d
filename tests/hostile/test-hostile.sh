#!/bin/bash
# The real hwglue and hwglue-export over a hostile tree (make-hostile-tree, see README.md): in
# every output format the output stays valid, nothing ends on a signal, the healthy devices come
# out complete next to the broken ones, and each broken part is reported: a NULL property, a
# ReadError, a message in --json, or a line of the debug log (-vv).
#
# The block and PCI providers read the tree through --sysroot; libsensors reads /sys itself, so
# every run goes under umockdev's preload with UMOCKDEV_DIR at the tree.
set -u
HWGLUE=${HWGLUE:?}
HWGLUE_EXPORT=${HWGLUE_EXPORT:?}
MAKE_HOSTILE_TREE=${MAKE_HOSTILE_TREE:?}
CHECK_EXPOSITION=${CHECK_EXPOSITION:?}
. "$(dirname "$0")/../cmd/tap-lib.sh"
export LC_ALL=C.UTF-8

tree=$tmp/tree
"$MAKE_HOSTILE_TREE" "$tree" || { echo "Bail out! make-hostile-tree failed"; exit 1; }

# under_tree CMD...: CMD with libsensors' /sys at the tree
under_tree() {
        UMOCKDEV_DIR=$tree LD_PRELOAD=libumockdev-preload.so.0 "$@"
}
# hw ARGS...: hwglue on the tree; stdout $tmp/out, stderr $tmp/err, status $rc
hw() {
        run under_tree "$HWGLUE" --sysroot "$tree" "$@"
}
# status_is NAME EXPECTED: the last run exited with EXPECTED, not on a signal
status_is() {
        if [ "$rc" = "$2" ]; then ok "$1"; else fail "$1"; echo "# exit status $rc, expected $2"; sed 's/^/# /' "$tmp/err" | head -5; fi
}
# json NAME FILTER FILE: jq -e FILTER holds on FILE (with inst($id): the instances of that key)
json() {
        local defs='def inst($id): [.groups[]?.instances[], .instances[]? | select(.DeviceID == $id)];
                    def one($id): inst($id) | if length == 1 then .[0] else error("\($id): \(length) instances") end;'
        if jq -e "$defs $2" "$3" >/dev/null 2>"$tmp/jq-err"; then ok "$1"; else
                fail "$1"; sed 's/^/# /' "$tmp/jq-err"; fi
}
# promtool_check FILE: promtool accepts FILE (a missing file fails too)
promtool_check() {
        [ -f "$1" ] && promtool check metrics <"$1"
}
# logged NAME PATTERN: the debug log of the last -vv run has a line matching PATTERN (grep -E)
logged() {
        if grep -Eq -- "$2" "$tmp/vv"; then ok "$1"; else fail "$1"; echo "# no log line matches: $2"; fi
}

# ---- --json ------------------------------------------------------------------------------
hw --json
status_is "--json: exit status 0 (every provider finished)" 0
cp "$tmp/out" "$tmp/inv.json"
json "--json parses" '.' "$tmp/inv.json"
json "--json: exit_status is the exit status" '.exit_status == 0' "$tmp/inv.json"

# The healthy disk, partition, PCI functions and chip, complete, each once.
json "healthy: sda complete" 'one("sda") | .__CLASS == "Linux_SCSIDisk" and .Size == 1000204886016
        and .Major == 8 and .Minor == 0 and .Model == "HEALTHY DISK" and .Vendor == "ATA"
        and .SerialNumber == "HEALTHY-0001" and .FirmwareRevision == "1.0" and .ReadOnly == false
        and .Removable == false and .BlockSize == 512 and .PhysicalBlockSize == 4096
        and .Rotational == true and .Scheduler == "mq-deadline" and .ReadsCompleted == 100
        and .BytesRead == 1536000 and .WritesCompleted == 200 and .BytesWritten == 2048000' \
        "$tmp/inv.json"
json "healthy: sda1 complete" 'one("sda1") | .__CLASS == "Linux_DiskPartition"
        and .Size == 1073741824 and .StartingOffset == 1048576 and .PartitionNumber == 1
        and .ParentDevice == "sda" and .Major == 8 and .Minor == 1' "$tmp/inv.json"
json "healthy: PCI 0000:00:00.0 complete" 'one("0000:00:00.0") | .__CLASS == "Linux_PCIBridge"
        and .VendorID == 32902 and .PCIDeviceID == 10688 and .ClassCode == 6
        and .RevisionID == 2 and .SubsystemVendorID == 6900 and .SubsystemID == 4352
        and .Driver == "agpgart-intel"' "$tmp/inv.json"
json "healthy: PCI 0000:00:02.0 complete, once" 'one("0000:00:02.0")
        | .__CLASS == "Linux_PCIDisplayController" and .VendorID == 4660
        and .PCIDeviceID == 4369 and .IRQ == 11 and .BootVGA == true and .PowerState == "D0"
        and .MaxLinkSpeed == "8.0 GT/s" and .MaxLinkWidth == 16 and .Driver == "bochs-drm"' \
        "$tmp/inv.json"
json "healthy: PCI 0000:00:17.0 complete" 'one("0000:00:17.0")
        | .__CLASS == "Linux_PCIStorageController" and .VendorID == 32902
        and .PCIDeviceID == 10530 and .SubclassCode == 6 and .ProgrammingInterface == 1
        and .IRQ == 16 and .Driver == "ahci"' "$tmp/inv.json"
json "healthy: sensors of healthy-isa-0000 complete" '
        (one("healthy-isa-0000/temp1") | .Reading == 42 and .Maximum == 80 and .Critical == 100
         and .Label == "CPU" and .Status == "OK" and .ReadError == null)
        and (one("healthy-isa-0000/in0") | .Reading == 1.2 and .Minimum == 1 and .Maximum == 1.4)
        and (one("healthy-isa-0000/fan1") | .Reading == 1500)
        and (one("healthy-isa-0000") | .SensorCount == 3 and .BusType == "ISA")' "$tmp/inv.json"

# Block: what each broken disk still gives, and NULL for the rest.
json "block: empty attributes are NULL" 'one("sdb") | .Size == null and .Major == null
        and .ReadOnly == null and .Removable == null and .Model == null
        and .ReadsCompleted == null' "$tmp/inv.json"
json "block: binary attributes are NULL, binary text cut at its NUL and made UTF-8" 'one("sdc")
        | .Size == null and .Major == null and .ReadsCompleted == null
        and .Model == "\u0001\u0002\ufffd\ufffd"' "$tmp/inv.json"
json "block: 1 MiB attributes are NULL, not cut" 'one("sdd") | .Size == null and .Model == null
        and .Vendor == null and .ReadOnly == null and .ReadsCompleted == null' "$tmp/inv.json"
json "block: a 1 MiB uevent still gives the keys at its start" 'one("sdd")
        | .Major == 8 and .Minor == 48' "$tmp/inv.json"
json "block: words where numbers belong are NULL" 'one("sde") | .Size == null and .Major == null
        and .ReadOnly == null and .Removable == null and .BlockSize == null
        and .Rotational == null and .ReadsCompleted == null' "$tmp/inv.json"
json "block: numbers that overflow are NULL, the others kept" 'one("sdf") | .Size == null
        and .ReadOnly == null and .BytesRead == null and .ReadsCompleted == 1 and .Major == 8' \
        "$tmp/inv.json"
json "block: no dev, uevent or subsystem: the size still reads" 'one("sdg") | .Size == 1048576
        and .Major == null' "$tmp/inv.json"
json "block: an empty directory, dangling and looping links, odd names are no devices" '
        [inst("sdh", "sdi", "sdj", "sdk", "sdl", "sdm", "sd\nx", "sd\ufffd")[]] == []
        and ([.groups[] | select(.class == "Linux_BlockDevice") | .instances[]] | length) == 12' \
        "$tmp/inv.json"
json "block: labels from udev escapes (quote, backslash, newline, NUL, not UTF-8)" 'one("sdn")
        | .Model == "Enc\"Quote\\Back\nNL\ufffdEnd" and .SerialNumber == "S\"N\\1"
        and .FirmwareRevision == "R\u0001\ufffd("' "$tmp/inv.json"
json "block: labels from raw sysfs bytes" 'one("sdo")
        | .Model == "Raw \"model\" \\ with\nnewline\ufffd(" and .Vendor == "VEN\tDOR"
        and .SerialNumber == "SER"' "$tmp/inv.json"
json "block: a udev database file past 64 KiB: its complete lines still count" 'one("sdo")
        | .FirmwareRevision == "BIG-DB"' "$tmp/inv.json"
json "block: a device-mapper name and a device name with a quote and backslash" '
        (one("dm-0") | .Name == "vg-\"lv\"\\x" and .Type == "lvm")
        and (one("sd\"q\\") | .Size == 4096)' "$tmp/inv.json"

# PCI: identity from the config space when the files fail; NULL for what no file gives.
json "pci: empty identity and config: skipped, with a warning" '[inst("0000:00:03.0")[]] == []
        and (.messages | map(select(.severity == "warning" and (.string | test("no vendor, device or class"))))
             | length) == 1' "$tmp/inv.json"
json "pci: binary identity files: the config space says who it is" 'one("0000:00:04.0")
        | .__CLASS == "Linux_PCINetworkController" and .VendorID == 6900
        and .PCIDeviceID == 4161 and .RevisionID == 1 and .SubsystemID == 4352
        and .RuntimeStatus == "\u0001\u0002\ufffd\ufffd"' "$tmp/inv.json"
json "pci: interface names with a quote, backslash, newline, comma, bytes not UTF-8" '
        one("0000:00:04.0") | .NetworkInterfaces == ["a,b", "eth\n1", "eth\"0\\", "\ufffd\ufffd"]' \
        "$tmp/inv.json"
json "pci: 1 MiB optional attributes are NULL, the rest kept" 'one("0000:00:05.0") | .IRQ == null
        and .NUMANode == null and .CurrentLinkSpeed == null and .CurrentLinkWidth == null
        and .RuntimeStatus == null and .MaxLinkSpeed == "8.0 GT/s" and .MaxLinkWidth == 4
        and .RevisionID == 3' "$tmp/inv.json"
json "pci: a 1 MiB vendor and no config: skipped" '[inst("0000:00:06.0")[]] == []' "$tmp/inv.json"
json "pci: words, signs and out-of-range numbers are NULL" 'one("0000:00:07.0")
        | .__CLASS == "Linux_PCIBridge" and .VendorID == 32902 and .RevisionID == null
        and .IRQ == null and .NUMANode == null and .CurrentLinkSpeed == null
        and .MaxLinkSpeed == null and .CurrentLinkWidth == null and .MaxLinkWidth == null
        and .SubsystemVendorID == null and .SecondaryBusNumber == null
        and .SubordinateBusNumber == null and .SRIOVTotalVFs == null and .SRIOVNumVFs == null' \
        "$tmp/inv.json"
json "pci: a dangling driver link and a looping IOMMU group link are NULL" 'one("0000:00:07.0")
        | .Driver == null and .IOMMUGroup == null' "$tmp/inv.json"
json "pci: a slot name with a quote and backslash" 'one("0000:00:07.0")
        | .PhysicalSlot == "slot\"7\\"' "$tmp/inv.json"
json "pci: no identity files, uevent or subsystem: the config space says who it is" '
        one("0000:00:08.0") | .VendorID == 32902 and .PCIDeviceID == 5560 and .RevisionID == 16' \
        "$tmp/inv.json"
json "pci: dangling, looping and non-canonical entries are no functions" '
        [inst("0000:00:09.0", "0000:00:0a.0", "00000:00:02.0", "0000:00:0B.0", "0000:00:0b.0")[]] == []
        and ([.groups[] | select(.class == "Linux_PCIDevice") | .instances[]] | length) == 7' \
        "$tmp/inv.json"

# Sensors: ReadError says why a reading is missing; labels are cleaned, not dropped.
json "sensors: an empty input" 'one("hostile-virtual-0/temp1") | .Reading == null
        and .Status == "Error" and .ReadError == "temp1_input: empty attribute"' "$tmp/inv.json"
json "sensors: a binary input" 'one("hostile-virtual-0/temp2") | .Reading == null
        and .Status == "Error" and (.ReadError | startswith("temp2_input: "))' "$tmp/inv.json"
json "sensors: a 1 MiB input" 'one("hostile-virtual-0/temp3") | .Reading == null
        and .ReadError == "temp3_input: not a finite number"' "$tmp/inv.json"
json "sensors: a word, NaN and -1e400 are no readings" '
        [one("hostile-virtual-0/temp4", "hostile-virtual-0/temp5", "hostile-virtual-0/temp6")
         | .Reading == null and .Status == "Error" and (.ReadError | length) > 0] == [true, true, true]' \
        "$tmp/inv.json"
json "sensors: a huge but finite input is a reading" 'one("hostile-virtual-0/temp7")
        | .Reading == 1e17 and .Status == "OK"' "$tmp/inv.json"
json "sensors: a limit that is a word is NULL, its reading kept" 'one("hostile-virtual-0/in1")
        | .Reading == 3.3 and .Maximum == null' "$tmp/inv.json"
json "sensors: labels cleaned (quote, backslash, newline, NUL, not UTF-8, empty, control bytes)" '
        [one("labels-virtual-0/temp1", "labels-virtual-0/temp2", "labels-virtual-0/temp3",
             "labels-virtual-0/temp4", "labels-virtual-0/temp6", "labels-virtual-0/temp7") | .Label]
        == ["Quote \" and \\ back", "line1 line2", "nul", "bad \ufffd\ufffd utf8", "temp6", "tab ctl"]' \
        "$tmp/inv.json"
json "sensors: a 1 MiB label is cut where libsensors cuts it" 'one("labels-virtual-0/temp5")
        | .Label == ("L" * 4095)' "$tmp/inv.json"
json "sensors: chip names with a quote and backslash, and not UTF-8" '
        (one("q\"b\\s-virtual-0/temp1") | .ChipName == "q\"b\\s-virtual-0" and .Reading == 3)
        and (one("\ufffd\ufffd-virtual-0/temp1") | .Reading == 4)' "$tmp/inv.json"
json "sensors: a device without subsystem link, one whose link dangles" '
        (one("nosub-isa-0000/temp1") | .Reading == 7)
        and ([inst("dangle-isa-0000/temp1", "dangle-virtual-0/temp1")[] | .Reading] == [8])' \
        "$tmp/inv.json"

# ---- --jsonl -----------------------------------------------------------------------------
hw --jsonl
status_is "--jsonl: exit status 0" 0
expect "--jsonl: every line is one JSON object" \
        test "$(jq -c 'objects' "$tmp/out" | wc -l)" = "$(wc -l <"$tmp/out")"
expect "--jsonl: as many lines as --json has instances" \
        test "$(wc -l <"$tmp/out")" = "$(jq '[.groups[].instances[]] | length' "$tmp/inv.json")"
expect "--jsonl: the same objects as --json" \
        test "$(jq -cS . "$tmp/out" | sort | md5sum)" = \
        "$(jq -cS '.groups[].instances[]' "$tmp/inv.json" | sort | md5sum)"

# ---- --pairs -----------------------------------------------------------------------------
hw --pairs
status_is "--pairs: exit status 0" 0
cp "$tmp/out" "$tmp/inv.pairs"
# KEY="..." separated by one blank; inside the quotes only what the shell takes literally, the
# shell's own escapes (\" \\ \$ \`) and \xNN for control bytes.
pairs_value='"([^"\\$`[:cntrl:]]|\\["\\$`]|\\x[0-9a-f]{2})*"'
expect "--pairs: every line is KEY=\"value\" pairs" \
        test "$(LC_ALL=C grep -Evc "^__CLASS=$pairs_value( [A-Za-z_][A-Za-z0-9_]*=$pairs_value)*\$" "$tmp/inv.pairs")" = 0
expect "--pairs: one line per instance" \
        test "$(wc -l <"$tmp/inv.pairs")" = "$(jq '[.groups[].instances[]] | length' "$tmp/inv.json")"
# pairs_field PATTERN KEY: $KEY after eval of the first line of --pairs that holds PATTERN
pairs_field() {
        (eval "$(grep -F -- "$1" "$tmp/inv.pairs" | head -1)" && eval "printf '%s' \"\${$2-}\"")
}
expect "--pairs: labels read back with eval, control bytes as \\xNN" \
        test "$(pairs_field 'DeviceID="sdn"' Model)" = $'Enc"Quote\\Back\\x0aNL\xef\xbf\xbdEnd'
expect "--pairs: a raw quote and backslash read back with eval" \
        test "$(pairs_field 'DeviceID="sdn"' SerialNumber)" = 'S"N\1'
expect "--pairs: a key with a quote and backslash reads back with eval" \
        test "$(pairs_field 'DeviceID="sd\"q\\"' DeviceID)" = 'sd"q\'

# ---- get and query over hostile names --------------------------------------------------------
hw get 'Linux_BlockDevice.DeviceID="sd\"q\\"' --jsonl
status_is "get: an object path with an escaped quote and backslash: exit status 0" 0
json "get: ... finds that device" '.DeviceID == "sd\"q\\" and .Size == 4096' "$tmp/out"
hw query "SELECT DeviceID, Model FROM Linux_DiskDrive WHERE Model LIKE '%Quote%'" --jsonl
status_is "query: LIKE on hostile labels: exit status 0" 0
expect "query: LIKE finds the label with a quote, backslash and newline" \
        test "$(jq -r .DeviceID "$tmp/out")" = sdn

# ---- the table ---------------------------------------------------------------------------
hw
status_is "table: exit status 0" 0
expect "table: no control bytes (one row per device)" \
        test "$(LC_ALL=C grep -c '[[:cntrl:]]' "$tmp/out")" = 0
# each family in its default columns (the schema's DefaultColumns), units on the readings
expect "table: the healthy devices are there" bash -c '
        grep -q "^Linux_SCSIDisk  *sda  *931.5G HEALTHY DISK  *yes  *HEALTHY-0001$" "$1" &&
        grep -q "^sda1  *1G sda  *1$" "$1" &&
        grep -q "^Linux_PCIDisplayController  *0000:00:02.0  *VGA compatible controller  *bochs-drm$" "$1" &&
        grep -q "^Linux_TemperatureSensor  *healthy-isa-0000  *CPU  *42.0 °C  *80.0 °C  *100.0 °C$" "$1"' _ "$tmp/out"
expect "table: no line ends in a blank" test "$(grep -c " $" "$tmp/out")" = 0
expect "table: control bytes shown as \\xNN" grep -q 'Enc"Quote\\Back\\x0aNL' "$tmp/out"

# ---- the debug log: each broken part has its line ------------------------------------------
hw --json -vv
status_is "-vv: exit status 0" 0
cp "$tmp/err" "$tmp/vv"
logged "log: empty block attributes" 'block: sdb: size is not a number'
logged "log: binary block attributes" 'block: sdc: dev is not major:minor'
logged "log: 1 MiB block attributes" 'block: sdd: size unreadable: File too large'
logged "log: a 1 MiB uevent" 'block: sdd: uevent is longer than 4095 bytes, its start used'
logged "log: words for numbers" 'block: sde: removable is neither 0 nor 1'
logged "log: overflowing numbers" 'block: sdf: size overflows'
logged "log: no device number" 'block: sdg: no device number'
logged "log: an empty device directory" 'block: sdh: skipped: no uevent, dev, size or stat'
logged "log: a dangling class link" 'block: sdi: skipped, cannot open: No such file or directory'
logged "log: a looping class link" 'block: sdj: skipped, cannot open: Too many levels of symbolic links'
logged "log: a udev database cut" 'block: udev database file b8:224 is longer than'
logged "log: an odd device name" 'block: skipping odd entry name'
logged "log: binary PCI identity" 'pci: 0000:00:04.0/class: Invalid argument'
logged "log: a 1 MiB PCI vendor" 'pci: 0000:00:06.0: no vendor, device or class'
logged "log: a dangling PCI driver link" 'pci: 0000:00:07.0/driver: dangling link'
logged "log: a looping PCI devices/ entry" 'pci: 0000:00:0a.0: Too many levels of symbolic links'
logged "log: a dangling PCI devices/ entry" 'pci: devices/0000:00:09.0: listed, but cannot be opened'
logged "log: a PCI function under a second spelling" 'pci: devices/00000:00:02.0: not the kernel.s spelling of 0000:00:02.0'
logged "log: a PCI function in upper case" 'pci: devices/0000:00:0B.0: not the kernel.s spelling of 0000:00:0b.0'
logged "log: a binary slot address" 'pci: slot binary: address'
logged "log: a 1 MiB slot address" 'pci: slot huge: address unreadable: File too large'
logged "log: an empty sensor input" 'sensors: hostile-virtual-0: temp1_input: empty attribute'
expect "log: no control bytes: one line per message, nothing for the terminal" \
        test "$(LC_ALL=C grep -c '[[:cntrl:]]' "$tmp/vv")" = 0
logged "log: a name with a newline stays on its line" 'pci: devices/no "address"\\x0a: not a PCI address, skipped$'
logged "log: binary content as \\xHH" 'sensors: hostile-virtual-0: temp2_input: .* \(it reads "\\x01\\x02'

# ---- hwglue-export -----------------------------------------------------------------------
run under_tree "$HWGLUE_EXPORT" --sysroot "$tree" --textfile "$tmp/hwglue.prom"
status_is "export: exit status 0" 0
expect "export: promtool check metrics passes" promtool_check "$tmp/hwglue.prom"
expect "export: a chip posted twice is said on stderr" \
        grep -qx 'hwglue-export: Linux_Sensor twin-virtual-0/temp1: posted again; the repeat is left out' "$tmp/err"
run "$CHECK_EXPOSITION" "$tmp/hwglue.prom"
status_is "export: well formed, no series twice" 0
prom_has() {
        if grep -Fqx -- "$2" "$tmp/hwglue.prom"; then ok "$1"; else fail "$1"; echo "# no line: $2"; fi
}
prom_has "export: every provider succeeded (block)" 'hwglue_collector_success{provider="block"} 1'
prom_has "export: every provider succeeded (pci)" 'hwglue_collector_success{provider="pci"} 1'
prom_has "export: every provider succeeded (sensors)" 'hwglue_collector_success{provider="sensors"} 1'
prom_has "export: the healthy disk's size" \
        'hwglue_block_device_size_bytes{name="sda",device_id="sda",type="disk",model="HEALTHY DISK",vendor="ATA",serial_number="HEALTHY-0001",transport="",parent_device=""} 1000204886016'
prom_has "export: the healthy temperature" \
        'hwglue_hwmon_temp_celsius{device_id="healthy-isa-0000/temp1",chip="healthy-isa-0000",sensor="temp1",label="CPU",pci_address=""} 42'
prom_has "export: label escaping: quote, backslash, newline; bytes not UTF-8 replaced" \
        "hwglue_block_device_info{name=\"sdn\",device_id=\"sdn\",type=\"disk\",model=\"Enc\\\"Quote\\\\Back\\nNL"$'\xef\xbf\xbd'"End\",vendor=\"\",serial_number=\"S\\\"N\\\\1\",transport=\"\",parent_device=\"\",class=\"Linux_SCSIDisk\"} 1"
prom_has "export: label escaping in a sensor label" \
        'hwglue_hwmon_sensor_info{device_id="labels-virtual-0/temp1",chip="labels-virtual-0",sensor="temp1",label="Quote \" and \\ back",pci_address="",class="Linux_TemperatureSensor"} 1'
prom_has "export: label escaping in a key" \
        'hwglue_hwmon_temp_celsius{device_id="q\"b\\s-virtual-0/temp1",chip="q\"b\\s-virtual-0",sensor="temp1",label="temp1",pci_address=""} 3'
expect "export: no sample for a NULL reading" \
        test "$(grep -c 'temp_celsius{device_id="hostile-virtual-0/temp1"' "$tmp/hwglue.prom")" = 0
run under_tree "$HWGLUE_EXPORT" --sysroot "$tree" --verbose --textfile "$tmp/verbose.prom"
status_is "export --verbose: exit status 0" 0
expect "export --verbose: no control bytes in its log" \
        test "$(LC_ALL=C grep -c '[[:cntrl:]]' "$tmp/err")" = 0
expect "export --verbose: a name with a newline stays on its line" \
        grep -q 'pci: devices/no "address"\\x0a: not a PCI address, skipped$' "$tmp/err"

# ---- a tree libsensors cannot walk -------------------------------------------------------
# A subsystem link without '/' would end the process inside sensors_init(): the sensors
# provider fails and says which link; the other providers are whole.
tree=$tmp/unwalkable
"$MAKE_HOSTILE_TREE" --unwalkable-hwmon "$tree" || { echo "Bail out! make-hostile-tree failed"; exit 1; }
hw --json
status_is "unwalkable: --json exits 2 (partial), not on a signal" 2
cp "$tmp/out" "$tmp/unwalkable.json"
json "unwalkable: --json parses, its exit_status is 2" '.exit_status == 2' "$tmp/unwalkable.json"
json "unwalkable: the sensors provider fails, naming the link" '[.messages[]
        | select(.severity == "error" and (.string | test("provider sensors .* failed: .*hwmon20/device/subsystem links to \"platform\"")))]
        | length == 2' "$tmp/unwalkable.json"
json "unwalkable: block and PCI are whole" '
        ([.groups[] | select(.class == "Linux_BlockDevice") | .instances[]] | length) == 12
        and ([.groups[] | select(.class == "Linux_PCIDevice") | .instances[]] | length) == 7
        and (one("sda") | .Size == 1000204886016)' "$tmp/unwalkable.json"
for format in --jsonl --pairs ""; do
        hw $format
        status_is "unwalkable: ${format:-table} exits 2, not on a signal" 2
done
run under_tree "$HWGLUE_EXPORT" --sysroot "$tree" --textfile "$tmp/unwalkable.prom"
status_is "unwalkable: export exits 2 (written, a provider failed)" 2
expect "unwalkable: promtool check metrics passes" promtool_check "$tmp/unwalkable.prom"
run "$CHECK_EXPOSITION" "$tmp/unwalkable.prom"
status_is "unwalkable: export well formed" 0
expect "unwalkable: the export counts the sensors provider failed, the others not" bash -c '
        grep -qx "hwglue_collector_success{provider=\"sensors\"} 0" "$1" &&
        grep -qx "hwglue_collector_success{provider=\"block\"} 1" "$1" &&
        grep -qx "hwglue_collector_success{provider=\"pci\"} 1" "$1"' _ "$tmp/unwalkable.prom"

tap_finish
