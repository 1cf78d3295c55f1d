#!/bin/bash
# The exporter's systemd unit, as the build installs it: systemd-analyze security --offline=true
# rates it at most 2.0, and the sandbox keeps nothing from the exporter that it needs. An export
# of this machine's own /sys runs under strace -f: every system call it makes passes the unit's
# SystemCallFilter; it opens nothing under /proc but its own process, nothing under /dev that
# PrivateDevices= leaves; it writes nowhere but the directory of its --textfile, the one path
# ReadWritePaths= opens.
set -u
UNIT=${HWGLUE_EXPORT_UNIT:?}
HWGLUE_EXPORT=${HWGLUE_EXPORT_PROGRAM:?}
n=0 failures=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failures=$((failures + 1)); echo "not ok $n - $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for tool in systemd-analyze strace; do
        command -v $tool >/dev/null || { echo "Bail out! $tool is not installed (Debian packages systemd, strace)"; exit 1; }
done

# ---- the rating ---------------------------------------------------------------------------------
systemd-analyze security --offline=true "$UNIT" >"$tmp/security" 2>&1
level=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p' "$tmp/security")
if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
        ok "systemd-analyze security rates the unit $level (at most 2.0)"
else
        fail "systemd-analyze security rates the unit at most 2.0 (got ${level:-nothing})"
        grep '✗' "$tmp/security" | sed 's/^/# /'
fi
# --threshold is systemd's own check of the same: exposure times ten.
systemd-analyze security --offline=true --threshold=20 "$UNIT" >/dev/null 2>&1 &&
        ok "systemd-analyze security --threshold=20 passes" || fail "systemd-analyze security --threshold=20 passes"

# ---- what the unit says ---------------------------------------------------------------------------
value() { sed -n "s/^$1=//p" "$UNIT"; }
textfile=$(value ExecStart | sed -n 's/.*--textfile \([^ ]*\).*/\1/p')
[ "$(value ReadWritePaths)" = "-$(dirname "$textfile")" ] &&
        ok "ReadWritePaths= is the textfile's directory, $(dirname "$textfile")" ||
        fail "ReadWritePaths= is the textfile's directory"
# One capability: CAP_SYS_ADMIN, for PCI config space past 64 bytes (the PCIe port type).
[ "$(value CapabilityBoundingSet)" = CAP_SYS_ADMIN ] && [ -z "$(value AmbientCapabilities)" ] &&
        ok "one capability, CAP_SYS_ADMIN, none ambient" || fail "one capability, CAP_SYS_ADMIN, none ambient"

# expand GROUP: the system calls of a SystemCallFilter group, nested groups expanded
expand() {
        systemd-analyze syscall-filter "$1" | tail -n +2 | sed 's/^ *//; /^#/d; /^$/d' | while read -r name; do
                case $name in
                @*) expand "$name" ;;
                *) echo "$name" ;;
                esac
        done
}
allowed=$tmp/allowed
filters=$(value SystemCallFilter)
: >"$tmp/allow"
: >"$tmp/deny"
while read -r line; do
        case $line in
        "~"*) for g in ${line#\~}; do expand "$g" >>"$tmp/deny"; done ;;
        *) for g in $line; do expand "$g" >>"$tmp/allow"; done ;;
        esac
done <<<"$filters"
sort -u "$tmp/allow" | grep -vxFf <(sort -u "$tmp/deny") >"$allowed"
[ -s "$allowed" ] && ok "SystemCallFilter= allows $(wc -l <"$allowed") system calls" ||
        fail "SystemCallFilter= could be read"

# ---- an export, traced ---------------------------------------------------------------------------
mkdir "$tmp/textfile"
# LeakSanitizer cannot run under ptrace: in a sanitized build, no leak check here.
ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 strace -f -qq -o "$tmp/trace" "$HWGLUE_EXPORT" --textfile "$tmp/textfile/hwglue.prom" 2>"$tmp/err"
rc=$?
{ [ "$rc" = 0 ] || [ "$rc" = 2 ]; } && [ -s "$tmp/textfile/hwglue.prom" ] &&
        ok "an export of this machine ran under strace (exit $rc)" ||
        { fail "an export of this machine ran under strace (exit $rc)"; sed 's/^/# /' "$tmp/err"; }
sed -n 's/^[0-9]\+ \+\([a-z0-9_]\+\)(.*/\1/p' "$tmp/trace" | sort -u >"$tmp/used"
denied=$(grep -vxFf "$allowed" "$tmp/used" | tr '\n' ' ')
[ -z "$denied" ] && ok "every one of its $(wc -l <"$tmp/used") system calls passes the filter" ||
        fail "system calls the filter would refuse: $denied"
# The paths it opened, and how.
grep -Eo '(open|openat)\((AT_FDCWD, )?"[^"]*", [A-Z_|]+' "$tmp/trace" |
        sed -E 's/^[a-z]+\((AT_FDCWD, )?"([^"]*)", (.*)$/\2 \3/' | sort -u >"$tmp/opens"
# glibc's malloc looks at overcommit_memory once and does without it where it is hidden.
bad_proc=$(awk '$1 ~ /^\/proc\// && $1 !~ /^\/proc\/(self|thread-self|[0-9]+)(\/|$)/ &&
                $1 != "/proc/sys/vm/overcommit_memory" { print $1 }' "$tmp/opens" | tr '\n' ' ')
[ -z "$bad_proc" ] && ok "nothing under /proc but its own process (ProcSubset=pid)" ||
        fail "opens under /proc that ProcSubset=pid hides: $bad_proc"
bad_dev=$(awk '$1 ~ /^\/dev\// && $1 !~ /^\/dev\/(null|zero|full|random|urandom|tty)$/ { print $1 }' "$tmp/opens" | tr '\n' ' ')
[ -z "$bad_dev" ] && ok "nothing under /dev that PrivateDevices= hides" ||
        fail "opens under /dev that PrivateDevices= hides: $bad_dev"
bad_write=$(awk -v d="$tmp/textfile" '$2 ~ /O_WRONLY|O_RDWR|O_CREAT|O_TMPFILE/ && index($1, d) != 1 && $1 !~ /^\/dev\/(null|tty)$/ { print $1 }' "$tmp/opens" | tr '\n' ' ')
[ -z "$bad_write" ] && ok "it writes nowhere but the textfile's directory (ProtectSystem=strict)" ||
        fail "writes outside the textfile's directory: $bad_write"

echo "1..$n"
[ "$failures" = 0 ]
