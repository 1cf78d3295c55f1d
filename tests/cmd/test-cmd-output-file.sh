#!/bin/bash
# True errors for the command's output. --output-file FILE is written beside FILE and renamed
# over it once complete: a reader sees the old file or the new one, and a failure leaves the old
# one and no temporary. Each failure is named as what it is: ENOSPC (a full tmpfs), EROFS (a
# read-only one), EACCES (a directory nobody may write, as user nobody), ENAMETOOLONG, ENOENT;
# and a failed write on standard output (/dev/full) likewise. EDQUOT is not produced here: it
# needs a file system with quotas (this kernel's tmpfs has none); its text comes from the same
# errno path as ENOSPC's.
set -u
T=${HWGLUE_TEST:?}
. "$(dirname "$0")/tap-lib.sh"
same() {
        if [ "$2" = "$3" ]; then ok "$1"; else fail "$1"; echo "# got:      $2"; echo "# expected: $3"; fi
}
if [ "$(id -u)" != 0 ]; then
        echo "# SKIP: mounting a full and a read-only tmpfs and running as nobody need root"
        exit 77
fi
mounts=()
cleanup() {
        for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
        rm -rf "$tmp"
}
trap cleanup EXIT
# no_temporary DIR: no .hwglue.* left in DIR
no_temporary() { ! ls -A "$1" | grep -q '^\.hwglue\.'; }

# ---- a complete run replaces the file --------------------------------------------------------
echo old >"$tmp/inv.json"
"$T" enum Test_Disk --json --output-file "$tmp/inv.json" >"$tmp/stdout" 2>"$tmp/err"
rc=$?
expect "--output-file: exit 0" test "$rc" = 0
expect "--output-file: nothing on standard output" test ! -s "$tmp/stdout"
jq_ok "--output-file: the file is the whole document" '.exit_status == 0 and (.instances | length) == 3' \
        "$tmp/inv.json"
same "--output-file: the mode a shell redirection would give" "$(stat -c %a "$tmp/inv.json")" \
        "$(touch "$tmp/ref"; stat -c %a "$tmp/ref")"
expect "--output-file: no temporary left" no_temporary "$tmp"

# a usage error (a bad query) keeps the old file
cp "$tmp/inv.json" "$tmp/before.json"
"$T" query "SELECT * FROM" --json --output-file "$tmp/inv.json" 2>/dev/null
same "a usage error: exit 3" "$?" 3
expect "a usage error: the old file stays" cmp -s "$tmp/inv.json" "$tmp/before.json"
expect "a usage error: no temporary left" no_temporary "$tmp"

# a partial run is a complete document that says so: it replaces the file
"$T" --namespace root/test --timeout 200 enum Test_Hanging --json --output-file "$tmp/inv.json" 2>/dev/null
same "a partial run: exit 2" "$?" 2
jq_ok "a partial run: the file holds it, exit_status 2" '.exit_status == 2' "$tmp/inv.json"

# ---- ENOSPC: a full file system --------------------------------------------------------------
mkdir "$tmp/full"
if mount -t tmpfs -o size=16k tmpfs "$tmp/full"; then
        mounts+=("$tmp/full")
        echo old >"$tmp/full/out.jsonl"
        "$T" --namespace root/test enum Test_Many --jsonl --output-file "$tmp/full/out.jsonl" \
                >/dev/null 2>"$tmp/err"
        same "ENOSPC: exit 4" "$?" 4
        same "ENOSPC: named as what it is" "$(cat "$tmp/err")" \
                "hwglue: cannot write $tmp/full/out.jsonl: No space left on device"
        same "ENOSPC: the old file stays" "$(cat "$tmp/full/out.jsonl")" old
        expect "ENOSPC: no temporary left" no_temporary "$tmp/full"
else
        fail "a 16 KiB tmpfs can be mounted"
fi

# ---- EROFS: a read-only file system ---------------------------------------------------------
mkdir "$tmp/ro"
if mount -t tmpfs -o ro tmpfs "$tmp/ro"; then
        mounts+=("$tmp/ro")
        "$T" enum Test_Disk --output-file "$tmp/ro/out" >/dev/null 2>"$tmp/err"
        same "EROFS: exit 4" "$?" 4
        same "EROFS: named as what it is" "$(cat "$tmp/err")" \
                "hwglue: cannot write $tmp/ro/out: Read-only file system"
else
        fail "a read-only tmpfs can be mounted"
fi

# ---- EACCES: a directory the user may not write -----------------------------------------------
mkdir -m 755 "$tmp/locked"
chmod 755 "$tmp"
setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$T" enum Test_Disk --output-file "$tmp/locked/out" >/dev/null 2>"$tmp/err"
same "EACCES: exit 4" "$?" 4
same "EACCES: named as what it is" "$(cat "$tmp/err")" \
        "hwglue: cannot write $tmp/locked/out: Permission denied"

# ---- ENAMETOOLONG, ENOENT -------------------------------------------------------------------
long=$(printf 'n%.0s' $(seq 300))
"$T" enum Test_Disk --output-file "$tmp/$long" >/dev/null 2>"$tmp/err"
same "ENAMETOOLONG: exit 4" "$?" 4
same "ENAMETOOLONG: named as what it is" "$(cat "$tmp/err")" \
        "hwglue: cannot write $tmp/$long: File name too long"
"$T" enum Test_Disk --output-file "$tmp/no/such/dir/out" >/dev/null 2>"$tmp/err"
same "a missing directory: named as what it is" "$(cat "$tmp/err")" \
        "hwglue: cannot write $tmp/no/such/dir/out: No such file or directory"

# ---- standard output --------------------------------------------------------------------------
for mode in "" --json --jsonl --pairs; do
        # shellcheck disable=SC2086
        "$T" enum Test_Disk $mode >/dev/full 2>"$tmp/err"
        rc=$?
        same "stdout on a full device (${mode:-table}): exit 4" "$rc" 4
        same "stdout on a full device (${mode:-table}): named as what it is" "$(cat "$tmp/err")" \
                "hwglue: cannot write the output: No space left on device"
done
"$T" describe Test_Disk >/dev/full 2>"$tmp/err"
same "describe on a full device: exit 4, named" "$?:$(cat "$tmp/err")" \
        "4:hwglue: cannot write the output: No space left on device"

tap_finish
