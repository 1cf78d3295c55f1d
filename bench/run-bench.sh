#!/bin/sh
# run-bench.sh: hwglue, the floor and the peers side by side on synthetic sysfs trees.
#
#   bench/run-bench.sh [--quick] [-k K] [--sizes "10 100 1000 10000"] [--inventory-sizes "..."]
#                      [--assoc-sizes "1000 10000"]
#                      [--kinds "startup block pci hwmon inventory pci-host agent-pci agent-hwmon
#                               pci-assoc"]
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
# pci-assoc times ASSOCIATORS OF one PCI function against enumerating every function, in-process
# (bench/tools/assoc-loop, interleaved) and as commands, on trees of --assoc-sizes functions.
#
# startup times `hwglue classes` against bench/startup's classes-floor, a program that prints the
# same bytes from a static table and links libc alone, R times each in turn (default 10 K + 1),
# with ratios of medians and of runs made back to back (paired); --baseline DIR adds the
# `hwglue classes` of another build (DIR/cmd/hwglue, an older checkout's) to compare with.
#
# Conditions: block and PCI contenders read the tree through their sysroot option (lsblk
# --sysroot, lspci -O sysfs.path, hwglue --sysroot, the floor's ROOT). Sensors need a /sys that
# libsensors accepts: as root, every hwmon contender (the floor too) runs in a mount namespace
# where the tree's devices, class and bus are bound over /sys's own, which stays a sysfs for
# libsensors' check; run-timed enters it between fork and exec, at no cost to the contender.
# Without root, and for the whole inventory, every contender runs under umockdev's preload in
# directory mode (UMOCKDEV_DIR=tree) instead, which adds a cost per system call to all alike.
# agent-hwmon runs agent-loop on a 100-chip tree against the floor's own loop and a node_exporter
# hwmon scrape of the same tree. As root the trees go on a tmpfs mounted for the
# run: on a disk the page cache may drop parts of a large tree between runs.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build
work=${TMPDIR:-/tmp}/hwglue-bench
runs=11
sizes="10 100 1000 10000"
inventory_sizes="10 100 1000"
assoc_sizes="1000 10000"
kinds="startup block pci hwmon inventory pci-host agent-pci agent-hwmon pci-assoc"
startup_runs=
baseline=
max_seconds=120
agent_cycles=10000
out=
quick=0
use_tmpfs=auto

while [ $# -gt 0 ]; do
        case $1 in
        --quick) quick=1; runs=3; sizes="10 100"; inventory_sizes="10 100"; max_seconds=30
                 agent_cycles=1000; assoc_sizes=100 ;;
        -k) runs=$2; shift ;;
        --sizes) sizes=$2; shift ;;
        --inventory-sizes) inventory_sizes=$2; shift ;;
        --assoc-sizes) assoc_sizes=$2; shift ;;
        --kinds) kinds=$2; shift ;;
        --startup-runs) startup_runs=$2; shift ;;
        --baseline) baseline=$2; shift ;;
        --agent-cycles) agent_cycles=$2; shift ;;
        --max-seconds) max_seconds=$2; shift ;;
        --build) build=$2; shift ;;
        --work) work=$2; shift ;;
        --no-tmpfs) use_tmpfs=no ;;
        --out) out=$2; shift ;;
        -h|--help) sed -n '2,37s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "run-bench.sh: unknown option $1" >&2; exit 2 ;;
        esac
        shift
done
build=$(cd "$build" && pwd) # absolute: a namespace entered starts at its own root
[ -n "$out" ] || if [ $quick = 1 ]; then out=$work/RESULTS-quick.md; else out=$src/bench/RESULTS.md; fi
[ -n "$startup_runs" ] || startup_runs=$((runs * 10 + 1))

gen=$build/bench/sysfs-gen
floor=$build/bench/sysfs-floor
timed=$build/bench/run-timed
hwglue=$build/cmd/hwglue
export_cmd=$build/export/hwglue-export
classes_floor=$build/bench/classes-floor
agent=$build/bench/agent-loop
assoc=$build/bench/assoc-loop
for tool in "$gen" "$floor" "$timed" "$hwglue" "$export_cmd" "$classes_floor" "$agent" "$assoc"; do
        [ -x "$tool" ] || { echo "run-bench.sh: no $tool: meson setup build && ninja -C build" >&2; exit 1; }
done
for tool in lsblk lspci sensors; do
        command -v $tool >/dev/null || { echo "run-bench.sh: $tool is not installed" >&2; exit 1; }
done

mkdir -p "$work/trees"
trees=$work/trees
cleanup=
on_exit() { cd / && eval "$cleanup"; }
trap on_exit EXIT
if [ $use_tmpfs = auto ] && [ "$(id -u)" = 0 ] && [ "$(stat -f -c %T "$trees")" != tmpfs ]; then
        mount -t tmpfs -o size=75% hwglue-bench "$trees"
        cleanup="umount '$trees'"
fi

# ---- hwmon: a mount namespace in which the tree is /sys's devices, class and bus ------------
hwmon_method=umockdev
ns_dir=$work/ns ns_file=$work/ns/mnt
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v nsenter >/dev/null; then
        mkdir -p "$ns_dir"
        # a namespace is kept on a file of a private mount
        if mount --bind "$ns_dir" "$ns_dir" && mount --make-private "$ns_dir" &&
           touch "$ns_file" && unshare --mount="$ns_file" --propagation private true; then
                hwmon_method=bind
                cleanup="umount '$ns_file'; umount '$ns_dir'; $cleanup"
        fi
fi
ns_bind() { # TREE: its sys/{devices,class,bus} over /sys's, in the namespace
        for d in devices class bus; do
                mkdir -p "$1/sys/$d"
                nsenter --mount="$ns_file" mount --bind "$1/sys/$d" "/sys/$d" || return 1
        done
}
ns_unbind() {
        for d in bus class devices; do
                nsenter --mount="$ns_file" umount "/sys/$d" 2>/dev/null
        done
}
# timed CMD [RUN-TIMED OPTION...]: run-timed on CMD, in the namespace if CMD starts with "@ns "
timed() {
        cmd=$1
        shift
        case $cmd in
        "@ns "*) "$timed" --mount-ns "$ns_file" "$@" -- ${cmd#@ns } < /dev/null ;;
        *) "$timed" "$@" -- $cmd < /dev/null ;;
        esac
}
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
                if [ $hwmon_method = bind ]; then under=@ns root=/; else under=$preload root=$t; fi
                printf 'hwglue\t%s\tlines\t%s\n' $(($2 * 8)) "$under $hwglue enum Linux_Sensor --jsonl"
                printf 'floor\t%s\tlines\t%s\n' $(($2 * 8)) "$under $floor hwmon $root"
                printf 'sensors -j\t%s\tsensors\t%s\n' $(($2 * 8)) "$under sensors -j"
                # libsensors' walk of every chip alone: sensors_init, then no chip matches
                printf 'libsensors init\t-\tnone\t%s\n' "$under sensors -j nosuchchip-isa-0000"
                # the tree where it lies, with no /sys of its own
                printf 'hwglue --sysroot\t%s\tlines\t%s\n' $(($2 * 8)) \
                        "$hwglue enum Linux_Sensor --jsonl --sysroot $t" ;;
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
        if [ "$kind" = hwmon ] && [ $hwmon_method = bind ]; then
                ns_bind "$t" || { echo "run-bench: cannot bind $t on /sys" >&2; exit 1; }
        fi
        : > "$work/runs.tsv"
        # One checked run each: the count, the exit status, and how many runs it can afford.
        while IFS='	' read -r name expected method cmd; do
                line=$(timed "$cmd" -t "$max_seconds" -o "$work/out")
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
                        line=$(timed "$cmd" -t "$max_seconds")
                        printf '%s\t%s\t%s\t%s\n' "$kind" "$n" "$name" "$line" >> "$samples"
                done < "$work/contenders.tsv"
                i=$((i + 1))
        done
        [ "$kind" = hwmon ] && [ $hwmon_method = bind ] && ns_unbind
        [ "$kind" = pci-host ] || rm -rf "$t"
}

# ---- the sensors' agent: against the floor's own loop and a node_exporter scrape -------------
agent_chips=100
hwmon_agent_name="hwmon, $agent_chips chips x 8 features (--sysroot)"
hwmon_agent_point() {
        t=$trees/agent-$agent_chips
        rm -rf "$t"
        "$gen" hwmon "$agent_chips" "$t"
        agent_point "$hwmon_agent_name" Linux_Sensor "$t"
        # the floor, the same files read in one process as many times as it takes 2 s or so
        k=$(( agent_cycles < 300 ? agent_cycles : 300 ))
        timed "$floor --repeat $k hwmon $t" > "$work/agent-floor.txt"
        echo "$k" > "$work/agent-floor-k.txt"
        : > "$work/agent-scrape.txt"
        if command -v prometheus-node-exporter >/dev/null && command -v curl >/dev/null; then
                port=$(( 20000 + $$ % 10000 ))
                prometheus-node-exporter --path.sysfs="$t/sys" --collector.disable-defaults \
                        --collector.hwmon --web.listen-address="127.0.0.1:$port" \
                        > "$work/node-exporter.log" 2>&1 &
                ne=$!
                url=http://127.0.0.1:$port/metrics
                i=0
                until curl -s -o /dev/null "$url" || [ $i -ge 100 ]; do i=$((i + 1)); sleep 0.1; done
                # a scrape of the hwmon collector: one keep-alive client, S requests in a row;
                # node_exporter's own CPU time over them from /proc
                set -- ; j=0
                while [ $j -lt 200 ]; do set -- "$@" -o /dev/null "$url"; j=$((j + 1)); done
                curl -s -o /dev/null "$url"; curl -s -o /dev/null "$url" # warm
                cpu0=$(awk '{ print $14 + $15 }' "/proc/$ne/stat")
                curl -s -w '%{time_total}\n' "$@" > "$work/agent-scrape.txt"
                cpu1=$(awk '{ print $14 + $15 }' "/proc/$ne/stat")
                echo "$(( (cpu1 - cpu0) * 1000000 / $(getconf CLK_TCK) / 200 ))" > "$work/agent-scrape-cpu.txt"
                series=$(curl -s "$url" | grep -c '^node_hwmon_')
                echo "$series" > "$work/agent-scrape-series.txt"
                kill "$ne"
                wait "$ne" 2>/dev/null || true
        fi
        rm -rf "$t"
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

# assoc_point N: ASSOCIATORS OF one function (a card's, below its root port) on a tree of N
# functions against enumerating them all: in-process (assoc-loop, K interleaved rounds) into
# $work/assoc.tsv, then as commands, a process each, in turn, into $work/assoc-cmd.tsv; "start"
# is hwglue's startup and one get that finds nothing, what both commands pay besides.
assoc_point() {
        n=$1 t=$trees/pci-assoc-$1
        source_path='Linux_PCIDevice.DeviceID="0000:01:00.0"'
        rm -rf "$t"
        "$gen" pci "$n" "$t"
        echo "run-bench: pci-assoc N=$n in-process ($runs rounds)" >&2
        line=$("$assoc" --sysroot "$t" -k "$runs" Linux_PCIDevice "$source_path") ||
                echo "run-bench: assoc-loop failed: $line" >&2
        printf '%s\t%s\n' "$n" "$line" >> "$work/assoc.tsv"
        echo "run-bench: pci-assoc N=$n as commands ($runs rounds)" >&2
        i=1
        while [ $i -le "$runs" ]; do
                for c in enum assoc start; do
                        case $c in
                        enum) l=$("$timed" -t "$max_seconds" -- "$hwglue" enum Linux_PCIDevice \
                                  --jsonl --sysroot "$t" < /dev/null) ;;
                        assoc) l=$("$timed" -t "$max_seconds" -- "$hwglue" query \
                                   "ASSOCIATORS OF {$source_path}" --jsonl --sysroot "$t" < /dev/null) ;;
                        start) l=$("$timed" -t "$max_seconds" -- "$hwglue" get \
                                   'Linux_PCIDevice.DeviceID="ffff:ff:1f.7"' --sysroot "$t" < /dev/null) ;;
                        esac
                        printf '%s\t%s\t%s\n' "$n" "$c" "$(field total_us "$l")" >> "$work/assoc-cmd.tsv"
                done
                i=$((i + 1))
        done
        # Instructions, the figure the machine's load does not move: one request is what a
        # run with one round costs more than a run with none (each warmed up alike).
        if command -v valgrind > /dev/null; then
                echo "run-bench: pci-assoc N=$n under callgrind" >&2
                for o in enum assoc; do
                        for k in 0 1; do
                                valgrind --tool=callgrind --callgrind-out-file=/dev/null "$assoc" \
                                        --sysroot "$t" --only $o -k $k Linux_PCIDevice \
                                        "$source_path" > /dev/null 2> "$work/callgrind.err" || true
                                printf '%s\t%s\t%s\t%s\n' "$n" "$o" "$k" "$(sed -n \
                                        's/.*Collected : \([0-9]*\).*/\1/p' "$work/callgrind.err")" \
                                        >> "$work/assoc-ir.tsv"
                        done
                done
        fi
        rm -rf "$t"
}

host_pci=$(ls /sys/bus/pci/devices 2>/dev/null | wc -l)
: > "$work/agents.tsv"
: > "$work/assoc.tsv"
: > "$work/assoc-cmd.tsv"
: > "$work/assoc-ir.tsv"
for kind in $kinds; do
        if [ "$kind" = agent-hwmon ]; then
                hwmon_agent_point
                continue
        fi
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
        if [ "$kind" = pci-assoc ]; then
                for n in $assoc_sizes; do
                        assoc_point "$n"
                done
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

# met RATIO LIMIT: "met" if RATIO is at most LIMIT
met() { case $1 in -|timeout) echo "?" ;; *) awk -v r="$1" -v l="$2" 'BEGIN { print (r <= l) ? "met" : "missed" }' ;; esac; }

# Issue 18's goals for hwmon, per N: at most 0.8x sensors -j in wall and CPU, within 1.5x of
# the floor, the first instance under 5 ms.
hwmon_goals() {
        echo
        echo "Goals (issue 18), hwglue through /sys:"
        echo
        echo "| N | wall vs sensors -j <= 0.8 | CPU vs sensors -j <= 0.8 | wall vs floor <= 1.5 | CPU vs floor <= 1.5 | first < 5 ms |"
        echo "|---:|---|---|---|---|---|"
        for n in $sizes; do
                ht=$(metric hwmon "$n" hwglue total_us) hc=$(metric hwmon "$n" hwglue cpu_us)
                hf=$(metric hwmon "$n" hwglue first_us)
                rt=$(ratio "$ht" "$(metric hwmon "$n" 'sensors -j' total_us)")
                rc=$(ratio "$hc" "$(metric hwmon "$n" 'sensors -j' cpu_us)")
                ft=$(ratio "$ht" "$(metric hwmon "$n" floor total_us)")
                fc=$(ratio "$hc" "$(metric hwmon "$n" floor cpu_us)")
                first=$(ms "$hf")
                echo "| $n | $rt $(met "$rt" 0.8) | $rc $(met "$rc" 0.8) | $ft $(met "$ft" 1.5) | $fc $(met "$fc" 1.5) | $first $(met "$first" 5) |"
        done
}

# The sensors' agent against the floor's loop and a node_exporter scrape (agent-hwmon): its line
# is the agents.tsv row of that name (bench/tools/agent-loop's keys).
hwmon_agent_report() {
        a=$(awk -F'\t' -v n="$hwmon_agent_name" '$1 == n { print $2 }' "$work/agents.tsv")
        k=$(cat "$work/agent-floor-k.txt" 2>/dev/null || echo 1)
        floor_line=$(cat "$work/agent-floor.txt" 2>/dev/null || true)
        floor_cycle=$(awk -v t="$(field total_us "$floor_line")" -v k="$k" 'BEGIN { printf "%d", t / k }')
        floor_cycle_cpu=$(awk -v t="$(field cpu_us "$floor_line")" -v k="$k" 'BEGIN { printf "%d", t / k }')
        scrape=$(awk '{ print int($1 * 1e6) }' "$work/agent-scrape.txt" | median)
        scrape_cpu=$(cat "$work/agent-scrape-cpu.txt" 2>/dev/null || echo -)
        wall=$(field cycle_us_median "$a") cpu=$(field cycle_cpu_us_median "$a")
        echo
        echo "### The sensors' agent against the floor and node_exporter ($agent_chips hwmon chips)"
        echo
        echo "\`$hwmon_agent_name\` above, every sensor of the tree ($(field instances "$a") a cycle),"
        echo "against the floor's own loop (\`sysfs-floor --repeat $k hwmon TREE\`, per cycle) and"
        echo "node_exporter $(prometheus-node-exporter --version 2>&1 | head -n 1 | sed 's/.*version \([^ ]*\).*/\1/')"
        echo "with its hwmon collector alone on the same tree (\`--path.sysfs\`, $(cat "$work/agent-scrape-series.txt" 2>/dev/null || echo '?') node_hwmon series):"
        echo "one keep-alive client making 200 scrapes, the median wall time of a scrape, and"
        echo "node_exporter's own CPU time per scrape (from /proc, at the clock tick's resolution)."
        echo
        echo "| | wall per cycle ms | CPU per cycle ms |"
        echo "|---|---:|---:|"
        echo "| hwglue agent-loop | $(ms "$wall") | $(ms "$cpu") |"
        echo "| sysfs-floor --repeat | $(ms "$floor_cycle") | $(ms "$floor_cycle_cpu") |"
        echo "| node_exporter scrape | $(ms "$scrape") | $(ms "$scrape_cpu") |"
        echo
        rf=$(ratio "$wall" "$floor_cycle") rfc=$(ratio "$cpu" "$floor_cycle_cpu")
        rn=$(ratio "$wall" "$scrape") rnc=$(ratio "$cpu" "$scrape_cpu")
        same() { [ "$(field "$1_warm" "$a")" = "$(field "$1_end" "$a")" ] && echo met || echo missed; }
        echo "Goals (issue 18): a cycle within 1.5x of the floor's: wall $rf $(met "$rf" 1.5), CPU $rfc"
        echo "$(met "$rfc" 1.5); below a node_exporter scrape: wall $rn $(met "$rn" 0.999), CPU $rnc $(met "$rnc" 0.999);"
        echo "after the last cycle as after the warm-up: RSS $(same rss_kib), threads $(same threads), fds $(same fds)."
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
        echo "its exit, *CPU* its user and system time, *RSS* wait4's peak resident set. \"listed\" is"
        echo "what the checked run printed against what the tree holds. Block and PCI contenders read the"
        echo "tree by their sysroot options; the inventory runs every contender under umockdev's preload;"
        if [ $hwmon_method = bind ]; then
                echo "hwmon runs every contender with the tree bound on /sys (devices, class, bus) in a mount"
                echo "namespace, but \"hwglue --sysroot\", which reads the tree where it lies."
        else
                echo "hwmon runs every contender under umockdev's preload (not root: no mount namespace), but"
                echo "\"hwglue --sysroot\", which reads the tree where it lies."
        fi
        for kind in $kinds; do
                [ "$kind" = agent ] && continue
                if [ "$kind" = startup ]; then
                        startup_report
                        continue
                fi
                list=$sizes
                [ "$kind" = inventory ] && list=$inventory_sizes
                [ "$kind" = pci-host ] && list=$host_pci
                [ "$kind" = agent-pci ] && continue
                [ "$kind" = pci-assoc ] && continue
                echo
                case $kind in
                block) echo "## Block devices (N devices: disks, partitions, loops)" ;;
                pci) echo "## PCI functions (N functions)" ;;
                pci-host) echo "## PCI functions of this machine's own /sys (N functions, config reads are hardware accesses)" ;;
                hwmon) echo "## hwmon sensors (N chips x 8 features)" ;;
                inventory) echo "## Whole inventory (N block devices + N PCI functions + N hwmon chips)" ;;
                esac
                echo
                echo "| N | contender | first ms | total ms | CPU ms | us per N | RSS MiB | runs | listed | exit |"
                echo "|---:|---|---:|---:|---:|---:|---:|---:|---|---|"
                for n in $list; do
                        awk -F'\t' -v k="$kind" -v n="$n" '$1 == k && $2 == n' "$counts" |
                        while IFS='	' read -r _ _ name got expected status; do
                                first=$(metric "$kind" "$n" "$name" first_us)
                                total=$(metric "$kind" "$n" "$name" total_us)
                                cpu=$(metric "$kind" "$n" "$name" cpu_us)
                                rss=$(metric "$kind" "$n" "$name" maxrss_kib)
                                k=$(awk -F'\t' -v k="$kind" -v n="$n" -v c="$name" '$1 == k && $2 == n && $3 == c' "$samples" | wc -l)
                                per=$(case $total in timeout) echo - ;; *) awk -v t="$total" -v n="$n" 'BEGIN { printf "%.1f\n", t / n }' ;; esac)
                                rss_mib=$(case $rss in timeout) echo - ;; *) awk -v r="$rss" 'BEGIN { printf "%.1f\n", r / 1024 }' ;; esac)
                                echo "| $n | $name | $(ms "$first") | $(ms "$total") | $(ms "$cpu") | $per | $rss_mib | $k | $got / $expected | $status |"
                        done
                done
                echo
                echo "Ratios (hwglue's median over the other's; below 1 is faster):"
                echo
                # The peers of hwglue: every other contender but hwglue's own variants.
                peers=$(awk -F'\t' -v k="$kind" '$1 == k && $3 != "hwglue" && $3 !~ /^hwglue / { print $3 }' "$counts" | awk '!seen[$0]++')
                header="| N |" rule="|---:|"
                for p in $(echo "$peers" | tr ' ' '_'); do
                        header="$header total vs $(echo "$p" | tr '_' ' ') | CPU vs $(echo "$p" | tr '_' ' ') | first vs $(echo "$p" | tr '_' ' ') |"
                        rule="$rule---:|---:|---:|"
                done
                echo "$header"
                echo "$rule"
                for n in $list; do
                        row="| $n |"
                        h_total=$(metric "$kind" "$n" hwglue total_us)
                        h_cpu=$(metric "$kind" "$n" hwglue cpu_us)
                        h_first=$(metric "$kind" "$n" hwglue first_us)
                        for p in $(echo "$peers" | tr ' ' '_'); do
                                name=$(echo "$p" | tr '_' ' ')
                                row="$row $(ratio "$h_total" "$(metric "$kind" "$n" "$name" total_us)") | $(ratio "$h_cpu" "$(metric "$kind" "$n" "$name" cpu_us)") | $(ratio "$h_first" "$(metric "$kind" "$n" "$name" first_us)") |"
                        done
                        echo "$row"
                done
                case $kind in
                hwmon) hwmon_goals ;;
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
        case " $kinds " in *" agent-hwmon "*) hwmon_agent_report ;; esac
        if [ -s "$work/assoc.tsv" ]; then
                echo
                echo "## ASSOCIATORS OF one PCI function against enumerating them all (pci-assoc)"
                echo
                echo "\`ASSOCIATORS OF {Linux_PCIDevice.DeviceID=\"0000:01:00.0\"}\` (a card's function: its"
                echo "endpoint is its root port) against \`enum Linux_PCIDevice\`, every property of every"
                echo "instance read. In-process: bench/tools/assoc-loop, one context, the two requests in turn"
                echo "(which goes first alternates), medians; CPU is the whole process's."
                echo
                echo "| N | endpoints | enum ms | ASSOCIATORS OF ms | ratio | enum CPU ms | ASSOCIATORS OF CPU ms |"
                echo "|---:|---:|---:|---:|---:|---:|---:|"
                while IFS='	' read -r n line; do
                        echo "| $n | $(field endpoints "$line") | $(ms "$(field enum_us_median "$line")") | $(ms "$(field assoc_us_median "$line")") | $(field ratio_percent "$line")% | $(ms "$(field enum_cpu_us_median "$line")") | $(ms "$(field assoc_cpu_us_median "$line")") |"
                done < "$work/assoc.tsv"
                echo
                echo "As commands, a process each, in turn (\`hwglue enum Linux_PCIDevice --jsonl\`, \`hwglue query"
                echo "'ASSOCIATORS OF {...}' --jsonl\`); *startup* is \`hwglue get\` of an absent function, which"
                echo "both pay besides their request (process, schema, providers); \"-\" where the request is"
                echo "lost in the startup's noise:"
                echo
                echo "| N | enum ms | ASSOCIATORS OF ms | startup ms | ratio | ratio, startup taken off both |"
                echo "|---:|---:|---:|---:|---:|---:|"
                for n in $assoc_sizes; do
                        e=$(awk -F'\t' -v n="$n" '$1 == n && $2 == "enum" { print $3 }' "$work/assoc-cmd.tsv" | median)
                        a=$(awk -F'\t' -v n="$n" '$1 == n && $2 == "assoc" { print $3 }' "$work/assoc-cmd.tsv" | median)
                        st=$(awk -F'\t' -v n="$n" '$1 == n && $2 == "start" { print $3 }' "$work/assoc-cmd.tsv" | median)
                        echo "| $n | $(ms "$e") | $(ms "$a") | $(ms "$st") | $(awk -v a="$a" -v e="$e" 'BEGIN { if (e > 0) printf "%.2f%%", 100 * a / e; else print "-" }') | $(awk -v a="$a" -v e="$e" -v s="$st" 'BEGIN { if (e > s && a >= s) printf "%.2f%%", 100 * (a - s) / (e - s); else print "-" }') |"
                done
                if [ -s "$work/assoc-ir.tsv" ]; then
                        echo
                        echo "Instructions of one request (callgrind, every thread; assoc-loop --only, one round less"
                        echo "none):"
                        echo
                        echo "| N | enum | ASSOCIATORS OF | ratio |"
                        echo "|---:|---:|---:|---:|"
                        for n in $assoc_sizes; do
                                ir() { awk -F'\t' -v n="$n" -v o="$1" -v k="$2" '$1 == n && $2 == o && $3 == k { v = $4 } END { print v + 0 }' "$work/assoc-ir.tsv"; }
                                e=$(( $(ir enum 1) - $(ir enum 0) ))
                                a=$(( $(ir assoc 1) - $(ir assoc 0) ))
                                echo "| $n | $e | $a | $(awk -v a="$a" -v e="$e" 'BEGIN { if (e > 0) printf "%.3f%%", 100 * a / e; else print "-" }') |"
                        done
                fi
        fi
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
echo "run-bench: wrote $out (samples in $samples)" >&2
