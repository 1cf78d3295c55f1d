#!/bin/sh
# run-bench.sh: hwglue, the floor and the peers side by side on synthetic sysfs trees.
#
#   bench/run-bench.sh [--quick] [-k K] [--sizes "10 100 1000 10000"] [--inventory-sizes "..."]
#                      [--kinds "startup block pci hwmon inventory pci-host agent-pci"]
#                      [--startup-runs R] [--baseline DIR] [--max-seconds S] [--agent-cycles N]
#                      [--build DIR] [--work DIR] [--no-tmpfs] [--out FILE]
#
# For each kind and size it makes a tree with sysfs-gen, runs every contender once to check that
# it lists the whole tree (and to warm the caches), then K times in turn (round robin, so that
# noise from other load falls on all alike), and writes a table of medians and ratios to FILE
# (default bench/RESULTS.md; with --quick, WORK/RESULTS-quick.md). A contender whose run takes
# over 10 s is run 3 times, over 30 s once; one that passes --max-seconds is stopped and shown
# as such. Needs a build (meson setup build && ninja -C build), lsblk, lspci, sensors and
# umockdev's libumockdev-preload.so.0; only POSIX sh, awk, sed, sort and grep besides.
# pci-host runs the PCI contenders on this machine's own /sys (N: its functions); agent-pci runs
# bench/tools/agent-loop (libglue in-process, one context, a new request a cycle) on it.
#
# startup times `hwglue classes` against bench/startup's classes-floor, a program that prints the
# same bytes from a static table and links libc alone, R times each in turn (default 10 K + 1),
# with ratios of medians and of runs made back to back (paired); --baseline DIR adds the
# `hwglue classes` of another build (DIR/cmd/hwglue, an older checkout's) to compare with.
#
# Conditions: block and PCI contenders read the tree through their sysroot option (lsblk
# --sysroot, lspci -O sysfs.path, hwglue --sysroot, the floor's ROOT). Sensors and the whole
# inventory need a /sys that libsensors accepts, so there every contender, the floor included,
# runs under umockdev's preload in directory mode (UMOCKDEV_DIR=tree). As root the trees go on a
# tmpfs mounted for the run: on a disk the page cache may drop parts of a large tree between runs.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build
work=${TMPDIR:-/tmp}/hwglue-bench
runs=11
sizes="10 100 1000 10000"
inventory_sizes="10 100 1000"
kinds="startup block pci hwmon inventory pci-host agent-pci"
startup_runs=
baseline=
agent_cycles=10000
max_seconds=120
out=
quick=0
use_tmpfs=auto

while [ $# -gt 0 ]; do
        case $1 in
        --quick) quick=1; runs=3; sizes="10 100"; inventory_sizes="10 100"; max_seconds=30
                 agent_cycles=1000 ;;
        -k) runs=$2; shift ;;
        --sizes) sizes=$2; shift ;;
        --inventory-sizes) inventory_sizes=$2; shift ;;
        --kinds) kinds=$2; shift ;;
        --startup-runs) startup_runs=$2; shift ;;
        --baseline) baseline=$2; shift ;;
        --agent-cycles) agent_cycles=$2; shift ;;
        --max-seconds) max_seconds=$2; shift ;;
        --build) build=$2; shift ;;
        --work) work=$2; shift ;;
        --no-tmpfs) use_tmpfs=no ;;
        --out) out=$2; shift ;;
        -h|--help) sed -n '2,28s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "run-bench.sh: unknown option $1" >&2; exit 2 ;;
        esac
        shift
done
[ -n "$out" ] || if [ $quick = 1 ]; then out=$work/RESULTS-quick.md; else out=$src/bench/RESULTS.md; fi
[ -n "$startup_runs" ] || startup_runs=$((runs * 10 + 1))

gen=$build/bench/sysfs-gen
floor=$build/bench/sysfs-floor
timed=$build/bench/run-timed
hwglue=$build/cmd/hwglue
export_cmd=$build/export/hwglue-export
classes_floor=$build/bench/classes-floor
agent=$build/bench/agent-loop
for tool in "$gen" "$floor" "$timed" "$hwglue" "$export_cmd" "$classes_floor" "$agent"; do
        [ -x "$tool" ] || { echo "run-bench.sh: no $tool: meson setup build && ninja -C build" >&2; exit 1; }
done
for tool in lsblk lspci sensors; do
        command -v $tool >/dev/null || { echo "run-bench.sh: $tool is not installed" >&2; exit 1; }
done

mkdir -p "$work/trees"
trees=$work/trees
if [ $use_tmpfs = auto ] && [ "$(id -u)" = 0 ] && [ "$(stat -f -c %T "$trees")" != tmpfs ]; then
        mount -t tmpfs -o size=75% hwglue-bench "$trees"
        trap 'cd /; umount "$trees"' EXIT
fi
fs_type=$(stat -f -c %T "$trees")
samples=$work/samples.tsv
counts=$work/counts.tsv
: > "$samples"
: > "$counts"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

# field NAME LINE: a value of run-timed's key=value line
field() { echo "$2" | sed -n "s/.*$1=\([^ ]*\).*/\1/p"; }

# count METHOD FILE: the instances a contender printed
count() {
        case $1 in
        lines) wc -l < "$2" ;;
        lsblk) grep -c '"name":' "$2" || true ;;
        lspci-vmm) grep -c '^Slot:' "$2" || true ;;
        # sensors -j: a feature is an object three levels in ("      \"temp1\":{")
        sensors) grep -c '^      "[^"]*":{' "$2" || true ;;
        peers) echo $(( $(grep -c '"name":' "$2" || true) + $(grep -c '^Slot:' "$2" || true) \
                        + $(grep -c '^      "[^"]*":{' "$2" || true) )) ;;
        *) echo - ;;
        esac
}

# contenders KIND N TREE: name, expected count, count method, command (split on blanks)
contenders() {
        t=$3
        preload="env LD_PRELOAD=libumockdev-preload.so.0 UMOCKDEV_DIR=$t"
        pci_path="linux-sysfs -O sysfs.path=$t/sys/bus/pci"
        case $1 in
        block)
                printf 'hwglue\t%s\tlines\t%s\n' $2 "$hwglue enum Linux_BlockDevice --jsonl --sysroot $t"
                printf 'floor\t%s\tlines\t%s\n' $2 "$floor block $t"
                printf 'lsblk\t%s\tlsblk\t%s\n' $2 "lsblk -J -O -b -a --sysroot $t" ;;
        pci|pci-host)
                # pci-host: this machine's /sys, through the same options (lspci's default
                # back end reads /sys/bus/pci; -D prints the domain as hwglue does).
                [ "$1" = pci-host ] && pci_path="linux-sysfs"
                printf 'hwglue\t%s\tlines\t%s\n' $2 "$hwglue enum Linux_PCIDevice --jsonl --sysroot $t"
                # The key properties only, against lspci's IDs-only listing.
                printf 'hwglue -p DeviceID\t%s\tlines\t%s\n' $2 \
                        "$hwglue enum Linux_PCIDevice --jsonl -p DeviceID --sysroot $t"
                printf 'floor\t%s\tlines\t%s\n' $2 "$floor pci $t"
                printf 'lspci -vmm -nn -D\t%s\tlspci-vmm\t%s\n' $2 "lspci -A $pci_path -vmm -nn -D"
                printf 'lspci -n -D\t%s\tlines\t%s\n' $2 "lspci -A $pci_path -n -D" ;;
        hwmon)
                printf 'hwglue\t%s\tlines\t%s\n' $(($2 * 8)) "$preload $hwglue enum Linux_Sensor --jsonl"
                printf 'floor\t%s\tlines\t%s\n' $(($2 * 8)) "$preload $floor hwmon $t"
                printf 'sensors -j\t%s\tsensors\t%s\n' $(($2 * 8)) "$preload sensors -j"
                # libsensors' walk of every chip alone: sensors_init, then no chip matches
                printf 'libsensors init\t-\tnone\t%s\n' "$preload sensors -j nosuchchip-isa-0000" ;;
        inventory)
                printf '#!/bin/sh\nlsblk -J -O -b -a --sysroot %s\nlspci -A %s -vmm -nn\nsensors -j\n' \
                        "$t" "$pci_path" > "$work/peers.sh"
                printf 'hwglue\t%s\tlines\t%s\n' $(($2 * 11)) \
                        "$preload $hwglue enum CIM_LogicalDevice --jsonl --sysroot $t"
                printf 'floor\t%s\tlines\t%s\n' $(($2 * 10)) "$preload $floor all $t"
                printf 'lsblk+lspci+sensors\t%s\tpeers\t%s\n' $(($2 * 10)) "$preload sh $work/peers.sh"
                printf 'hwglue-export\t-\tnone\t%s\n' \
                        "$preload $export_cmd --textfile - --timeout 0 --sysroot $t" ;;
        esac
}

bench_point() { # KIND N
        kind=$1 n=$2 t=$trees/$1-$2
        if [ "$kind" = pci-host ]; then
                t=/
        else
                rm -rf "$t"
                "$gen" "$([ "$kind" = inventory ] && echo all || echo "$kind")" "$n" "$t"
        fi
        contenders "$kind" "$n" "$t" > "$work/contenders.tsv"
        : > "$work/runs.tsv"
        # One checked run each: the count, the exit status, and how many runs it can afford.
        while IFS='	' read -r name expected method cmd; do
                line=$("$timed" -t "$max_seconds" -o "$work/out" -- $cmd < /dev/null)
                got=$(count "$method" "$work/out")
                status=$(field status "$line")
                printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$n" "$name" "$got" "$expected" \
                        "$status" >> "$counts"
                total=$(field total_us "$line")
                if [ "$status" = timeout ]; then
                        k=0
                        printf '%s\t%s\t%s\t%s\n' "$kind" "$n" "$name" "$line" >> "$samples"
                elif [ "${total:-0}" -gt 30000000 ]; then
                        k=0     # the checked run is its one sample
                        printf '%s\t%s\t%s\t%s\n' "$kind" "$n" "$name" "$line" >> "$samples"
                elif [ "${total:-0}" -gt 10000000 ] && [ "$runs" -gt 3 ]; then
                        k=3
                else
                        k=$runs
                fi
                printf '%s\t%s\n' "$name" "$k" >> "$work/runs.tsv"
                echo "  $kind N=$n $name: listed $got of $expected, $status, $((total / 1000)) ms" >&2
        done < "$work/contenders.tsv"
        i=1
        while [ $i -le "$runs" ]; do
                while IFS='	' read -r name expected method cmd; do
                        k=$(grep "^$name	" "$work/runs.tsv" | cut -f2)
                        [ $i -le "$k" ] || continue
                        line=$("$timed" -t "$max_seconds" -- $cmd < /dev/null)
                        printf '%s\t%s\t%s\t%s\n' "$kind" "$n" "$name" "$line" >> "$samples"
                done < "$work/contenders.tsv"
                i=$((i + 1))
        done
        [ "$kind" = pci-host ] || rm -rf "$t"
}

# ---- start-up: no tree, many short runs --------------------------------------------------------
# startup_contenders: name, command (split on blanks). The floor first: the ratios' denominator.
startup_contenders() {
        printf 'floor\t%s\n' "$classes_floor"
        printf 'hwglue classes\t%s\n' "$hwglue classes"
        # for the reading of the figures: the process and its libraries, no context, no schema
        printf 'hwglue --version\t%s\n' "$hwglue --version"
        printf 'hwglue describe Linux_PCIDevice\t%s\n' "$hwglue describe Linux_PCIDevice"
        [ -z "$baseline" ] || printf 'hwglue classes (baseline)\t%s\n' "$baseline/cmd/hwglue classes"
}

startup_point() {
        startup_contenders > "$work/contenders.tsv"
        # The checked run: the floor and `hwglue classes` print the same bytes.
        "$classes_floor" > "$work/floor.out"
        while IFS='	' read -r name cmd; do
                line=$("$timed" -t "$max_seconds" -o "$work/out" -- $cmd < /dev/null)
                case $name in
                floor) got="same bytes" ;;
                "hwglue classes"*) if cmp -s "$work/out" "$work/floor.out"; then got="same bytes"; else got="DIFFERENT"; fi ;;
                *) got=- ;;
                esac
                printf 'startup\t1\t%s\t%s\t-\t%s\n' "$name" "$got" "$(field status "$line")" >> "$counts"
        done < "$work/contenders.tsv"
        i=1
        while [ $i -le "$startup_runs" ]; do
                while IFS='	' read -r name cmd; do
                        line=$("$timed" -t "$max_seconds" -- $cmd < /dev/null)
                        printf 'startup\t1\t%s\t%s round=%s\n' "$name" "$line" $i >> "$samples"
                done < "$work/contenders.tsv"
                i=$((i + 1))
        done
}

# agent_point NAME CLASS SYSROOT [AGENT OPTIONS...]: agent-loop's line for one class, kept in
# $work/agents.tsv for the report (the sensors family can add its own with its tree).
agent_point() {
        name=$1 class=$2 root=$3
        shift 3
        echo "run-bench: agent $name ($agent_cycles cycles)" >&2
        line=$("$agent" --sysroot "$root" "$@" "$class" "$agent_cycles" 2>&1) || true
        printf '%s\t%s\n' "$name" "$line" >> "$work/agents.tsv"
}

host_pci=$(ls /sys/bus/pci/devices 2>/dev/null | wc -l)
: > "$work/agents.tsv"
for kind in $kinds; do
        if [ "$kind" = startup ]; then
                echo "run-bench: startup ($startup_runs runs each)" >&2
                startup_point
                continue
        fi
        list=$sizes
        [ "$kind" = inventory ] && list=$inventory_sizes
        [ "$kind" = pci-host ] && list=$host_pci
        if [ "$kind" = agent-pci ]; then
                agent_point "PCI, all properties, this machine's /sys" Linux_PCIDevice /
                agent_point "PCI, the metrics (-p DeviceID,CurrentLinkWidth,LinkDegraded,AERCorrectableErrors), this machine's /sys" \
                        Linux_PCIDevice / -p DeviceID,CurrentLinkWidth,LinkDegraded,AERCorrectableErrors
                continue
        fi
        for n in $list; do
                echo "run-bench: $kind N=$n" >&2
                bench_point "$kind" "$n"
        done
done

# ---- the report ---------------------------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# metric KIND N NAME KEY: the median of KEY over that contender's samples ("timeout" if it timed out)
metric() {
        rows=$(awk -F'\t' -v k="$1" -v n="$2" -v c="$3" '$1 == k && $2 == n && $3 == c { print $4 }' "$samples")
        if echo "$rows" | grep -q 'status=timeout'; then echo timeout; return; fi
        echo "$rows" | sed -n "s/.*$4=\([-0-9]*\).*/\1/p" | median
}

ms() { case $1 in timeout|-) echo "$1" ;; *) awk -v v="$1" 'BEGIN { if (v < 0) print "-"; else if (v < 10000) printf "%.2f\n", v / 1000; else printf "%.0f\n", v / 1000 }' ;; esac; }
ratio() { case "$1$2" in *timeout*|*-*) echo "-" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "-"; else printf "%.2f\n", a / b }' ;; esac; }
# paired NAME KEY: the median over the rounds of NAME's KEY over the floor's in the same round
paired() {
        awk -F'\t' -v c="$1" -v k="$2" '$1 == "startup" && ($3 == c || $3 == "floor") {
                        r = $4; sub(/.* round=/, "", r); v = $4; sub(".*" k "=", "", v); sub(/ .*/, "", v)
                        if ($3 == "floor") f[r] = v; else h[r] = v
                } END { for (r in h) if (f[r] > 0) print h[r] / f[r] }' "$samples" |
        median | awk '{ if ($1 == "-") print "-"; else printf "%.2f\n", $1 }'
}

startup_report() {
        echo
        echo "## Start-up (\`hwglue classes\` against a program that prints the same bytes)"
        echo
        echo "The floor is bench/startup/classes-floor: the rows of \`hwglue classes\` in a static table"
        echo "(made from the built-in schema at build time), printed as hwglue prints them, by a program"
        echo "built with hwglue's flags that links libc alone. $startup_runs runs of each, in turn."
        echo
        echo "| contender | total ms | CPU ms | RSS MiB | runs | output | exit |"
        echo "|---|---:|---:|---:|---:|---|---|"
        awk -F'\t' '$1 == "startup"' "$counts" |
        while IFS='	' read -r _ _ name got _ status; do
                total=$(metric startup 1 "$name" total_us)
                cpu=$(metric startup 1 "$name" cpu_us)
                rss=$(metric startup 1 "$name" maxrss_kib)
                k=$(awk -F'\t' -v c="$name" '$1 == "startup" && $3 == c' "$samples" | wc -l)
                echo "| $name | $(ms "$total") | $(ms "$cpu") | $(awk -v r="$rss" 'BEGIN { printf "%.1f\n", r / 1024 }') | $k | $got | $status |"
        done
        echo
        echo "Ratios to the floor (below 1.5 is the goal for \`hwglue classes\`):"
        echo
        echo "| contender | total, of medians | total, paired | CPU, of medians | CPU, paired |"
        echo "|---|---:|---:|---:|---:|"
        f_total=$(metric startup 1 floor total_us)
        f_cpu=$(metric startup 1 floor cpu_us)
        awk -F'\t' '$1 == "startup" && $3 != "floor" { print $3 }' "$counts" |
        while read -r name; do
                echo "| $name | $(ratio "$(metric startup 1 "$name" total_us)" "$f_total") | $(paired "$name" total_us) | $(ratio "$(metric startup 1 "$name" cpu_us)" "$f_cpu") | $(paired "$name" cpu_us) |"
        done
}

{
        echo "# hwglue benchmark results"
        echo
        echo "Made by \`bench/run-bench.sh$([ $quick = 1 ] && echo ' --quick') -k $runs\` on $started."
        echo "Machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)),"
        echo "kernel $(uname -r), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM;"
        echo "trees on $fs_type; load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
        echo "hwglue $(git -C "$src" describe --always --dirty 2>/dev/null || echo '?') ($(sed -n "s/^buildtype *= *//p" "$build/meson-info/intro-buildoptions.json" 2>/dev/null || true)build in $build);"
        echo "$(lsblk --version), $(lspci --version), $(sensors -v | head -n 1)."
        echo
        echo "Each figure is the median of the runs shown (a run over 10 s is repeated 3 times, over 30 s"
        echo "once). *first* is the time from fork to the first byte on the command's stdout, *total* to"
        echo "its exit, *RSS* wait4's peak resident set. \"listed\" is what the checked run printed"
        echo "against what the tree holds. Block and PCI contenders read the tree by their sysroot"
        echo "options; hwmon and the inventory run every contender under umockdev's preload."
        for kind in $kinds; do
                if [ "$kind" = startup ]; then
                        startup_report
                        continue
                fi
                list=$sizes
                [ "$kind" = inventory ] && list=$inventory_sizes
                [ "$kind" = pci-host ] && list=$host_pci
                [ "$kind" = agent-pci ] && continue
                echo
                case $kind in
                block) echo "## Block devices (N devices: disks, partitions, loops)" ;;
                pci) echo "## PCI functions (N functions)" ;;
                pci-host) echo "## PCI functions of this machine's own /sys (N functions, config reads are hardware accesses)" ;;
                hwmon) echo "## hwmon sensors (N chips x 8 features)" ;;
                inventory) echo "## Whole inventory (N block devices + N PCI functions + N hwmon chips)" ;;
                esac
                echo
                echo "| N | contender | first ms | total ms | us per N | RSS MiB | runs | listed | exit |"
                echo "|---:|---|---:|---:|---:|---:|---:|---|---|"
                for n in $list; do
                        awk -F'\t' -v k="$kind" -v n="$n" '$1 == k && $2 == n' "$counts" |
                        while IFS='	' read -r _ _ name got expected status; do
                                first=$(metric "$kind" "$n" "$name" first_us)
                                total=$(metric "$kind" "$n" "$name" total_us)
                                rss=$(metric "$kind" "$n" "$name" maxrss_kib)
                                k=$(awk -F'\t' -v k="$kind" -v n="$n" -v c="$name" '$1 == k && $2 == n && $3 == c' "$samples" | wc -l)
                                per=$(case $total in timeout) echo - ;; *) awk -v t="$total" -v n="$n" 'BEGIN { printf "%.1f\n", t / n }' ;; esac)
                                rss_mib=$(case $rss in timeout) echo - ;; *) awk -v r="$rss" 'BEGIN { printf "%.1f\n", r / 1024 }' ;; esac)
                                echo "| $n | $name | $(ms "$first") | $(ms "$total") | $per | $rss_mib | $k | $got / $expected | $status |"
                        done
                done
                echo
                echo "Ratios (hwglue's median over the other's; below 1 is faster):"
                echo
                # The peers of hwglue: every other contender but hwglue's own variants.
                peers=$(awk -F'\t' -v k="$kind" '$1 == k && $3 != "hwglue" && $3 !~ /^hwglue / { print $3 }' "$counts" | awk '!seen[$0]++')
                header="| N |" rule="|---:|"
                for p in $(echo "$peers" | tr ' ' '_'); do
                        header="$header total vs $(echo "$p" | tr '_' ' ') | first vs $(echo "$p" | tr '_' ' ') |"
                        rule="$rule---:|---:|"
                done
                echo "$header"
                echo "$rule"
                for n in $list; do
                        row="| $n |"
                        h_total=$(metric "$kind" "$n" hwglue total_us)
                        h_first=$(metric "$kind" "$n" hwglue first_us)
                        for p in $(echo "$peers" | tr ' ' '_'); do
                                name=$(echo "$p" | tr '_' ' ')
                                row="$row $(ratio "$h_total" "$(metric "$kind" "$n" "$name" total_us)") | $(ratio "$h_first" "$(metric "$kind" "$n" "$name" first_us)") |"
                        done
                        echo "$row"
                done
                case $kind in
                pci|pci-host)
                        echo
                        echo "The key properties only (hwglue -p DeviceID over lspci -n -D):"
                        echo
                        echo "| N | total | first |"
                        echo "|---:|---:|---:|"
                        for n in $list; do
                                echo "| $n | $(ratio "$(metric "$kind" "$n" "hwglue -p DeviceID" total_us)" "$(metric "$kind" "$n" "lspci -n -D" total_us)") | $(ratio "$(metric "$kind" "$n" "hwglue -p DeviceID" first_us)" "$(metric "$kind" "$n" "lspci -n -D" first_us)") |"
                        done ;;
                esac
        done
        if [ -s "$work/agents.tsv" ]; then
                echo
                echo "## Agents: libglue in-process (bench/tools/agent-loop, $agent_cycles cycles)"
                echo
                echo "One context, a new request a cycle, every value read. Per cycle: median wall and CPU"
                echo "(the whole process's, workers included); RSS, threads and fds after the warm-up"
                echo "(100 cycles) and after the last."
                echo
                echo "| agent | instances | wall us | CPU us | RSS KiB | threads | fds |"
                echo "|---|---:|---:|---:|---|---|---|"
                while IFS='	' read -r name line; do
                        echo "| $name | $(field instances "$line") | $(field cycle_us_median "$line") | $(field cycle_cpu_us_median "$line") | $(field rss_kib_warm "$line") → $(field rss_kib_end "$line") | $(field threads_warm "$line") → $(field threads_end "$line") | $(field fds_warm "$line") → $(field fds_end "$line") |"
                done < "$work/agents.tsv"
                peer=$(metric pci-host "$host_pci" "lspci -n -D" total_us)
                [ "$peer" != - ] && [ -n "$peer" ] && echo && echo "One \`lspci -n -D\` process on this machine's /sys (pci-host above): $peer us."
        fi
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
echo "run-bench: wrote $out (samples in $samples)" >&2
