#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-install.sh MESON: `meson install` of this build into a temporary DESTDIR holds what a
# user and a developer need, and an out-of-tree program builds from it with pkg-config alone:
#  - the programs, libglue with its soname and links, the header, libglue.pc, the schema, the
#    man pages of the source tree, the bash completion, the exporter's systemd units;
#  - the installed example (glue/example.c) compiled with `pkg-config --cflags --libs libglue`
#    (PKG_CONFIG_PATH and PKG_CONFIG_SYSROOT_DIR into the DESTDIR; nothing from the build or
#    source tree), run against the installed library, prints what the build tree's does;
#  - the installed MOF files are the schema compiled into the library (load-schema.c);
#  - the installed hwglue runs on the installed library.
# The build's directories come from meson (PREFIX, BINDIR, LIBDIR, INCLUDEDIR, DATADIR, MANDIR,
# all as `meson configure` shows them), with HWGLUE_BUILD_DIR, HWGLUE_SOURCE_DIR, CC and
# SANITIZE (b_sanitize: a sanitized library needs its runtime in the consumer too).
set -u
meson=$1
build=${HWGLUE_BUILD_DIR:?} src=${HWGLUE_SOURCE_DIR:?}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - $*"; }
fail() { echo "not ok - $*"; failed=1; }
# expect WHAT COMMAND...: ok if COMMAND succeeds
expect() {
        what=$1
        shift
        if "$@"; then ok "$what"; else fail "$what"; fi
}
# under DIR: the absolute directory DIR of the build (relative ones are under the prefix)
under() {
        case $1 in
        /*) echo "$1" ;;
        *) echo "$PREFIX/$1" ;;
        esac
}

dest=$tmp/dest
if ! "$meson" install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$tmp/install.log" 2>&1; then
        fail "meson install --destdir"
        sed 's/^/#   /' "$tmp/install.log"
        exit 1
fi
ok "meson install --destdir"
bindir=$dest$(under "$BINDIR")
libdir=$dest$(under "$LIBDIR")
incdir=$dest$(under "$INCLUDEDIR")
datadir=$dest$(under "$DATADIR")
mandir=$dest$(under "$MANDIR")

# --- what is installed -----------------------------------------------------------------------
for prog in hwglue hwglue-export; do
        expect "$prog is installed, executable" test -x "$bindir/$prog"
done
real=$(cd "$libdir" && ls libglue.so.0.* 2>/dev/null | head -n 1)
expect "libglue.so.0.* is installed" test -n "$real" -a -f "$libdir/$real"
soname=$(readelf -d "$libdir/$real" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
expect "its soname is libglue.so.0 (got '$soname')" test "$soname" = libglue.so.0
expect "libglue.so.0 links to it" test "$(readlink "$libdir/libglue.so.0")" = "$real"
expect "libglue.so links to libglue.so.0, for -lglue" test "$(readlink "$libdir/libglue.so")" = libglue.so.0
expect "libglue.h is installed as it is in the source" cmp -s "$incdir/libglue.h" "$src/glue/libglue.h"
expect "libglue.pc is installed" test -f "$libdir/pkgconfig/libglue.pc"
for mof in "$src"/schema/*.mof; do
        expect "schema/$(basename "$mof") is installed" cmp -s "$datadir/hwglue/schema/$(basename "$mof")" "$mof"
done
# Every man page of the source tree (NAME.SECTION, or NAME.SECTION.in made into one).
pages=$(cd "$src" && find cmd export glue -name '*.[1-8]' -o -name '*.[1-8].in' | sed 's/\.in$//' | sort)
expect "the source has man pages" test -n "$pages"
for page in $pages; do
        name=$(basename "$page")
        expect "man page $name is installed" test -f "$mandir/man${name##*.}/$name"
done
expect "hwglue(1) and libglue(3) are among them" test -f "$mandir/man1/hwglue.1" -a -f "$mandir/man3/libglue.3"
if command -v man >/dev/null; then
        for page in "$mandir"/man*/*; do
                MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" >/dev/null 2>"$tmp/man.err"
                expect "$(basename "$page") renders without a warning" test ! -s "$tmp/man.err"
                sed 's/^/#   /' "$tmp/man.err"
        done
else
        fail "man is not installed (man-db, which tools/quickstart installs): pages not rendered"
fi
completion=$(find "$dest" -path '*/bash-completion/completions/hwglue')
expect "the bash completion is installed" test -n "$completion"
for unit in hwglue-export.service hwglue-export.timer; do
        found=$(find "$dest" -path "*/systemd/system/$unit")
        expect "$unit is installed" test -n "$found"
done
service=$(find "$dest" -path '*/systemd/system/hwglue-export.service' | head -n 1)
exec_start=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "${service:-/dev/null}")
expect "the service runs the installed hwglue-export ($exec_start)" test -x "$dest$exec_start"

# --- an out-of-tree consumer, with pkg-config alone -------------------------------------------
unset CFLAGS CPPFLAGS LDFLAGS CPATH C_INCLUDE_PATH LIBRARY_PATH LD_LIBRARY_PATH
export PKG_CONFIG_PATH="$libdir/pkgconfig" PKG_CONFIG_LIBDIR="$libdir/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$dest"
cflags=$(pkg-config --cflags libglue) libs=$(pkg-config --libs libglue)
expect "pkg-config finds libglue in the DESTDIR: $cflags $libs" pkg-config --exists libglue
version=$(pkg-config --modversion libglue)
expect "libglue.pc has the project's version ($version)" test "$version" = "$PROJECT_VERSION"
case "$cflags $libs" in
*"$build"* | *"$src"*) fail "pkg-config's flags name the build or source tree" ;;
*) ok "pkg-config's flags name neither the build nor the source tree" ;;
esac
san=""
[ -n "${SANITIZE:-}" ] && [ "$SANITIZE" != none ] && san="-fsanitize=$SANITIZE"
mkdir "$tmp/consumer"
cp "$datadir/doc/hwglue/examples/example.c" "$here/load-schema.c" "$tmp/consumer/"
cd "$tmp/consumer" || exit 1
for prog in example load-schema; do
        # shellcheck disable=SC2086 # the flags split on purpose
        if ${CC:-cc} -Wall -Werror $san -o "$prog" "$prog.c" $cflags $libs >"$prog.log" 2>&1; then
                ok "the installed $prog.c builds with pkg-config's flags alone"
        else
                fail "the installed $prog.c builds with pkg-config's flags alone"
                sed 's/^/#   /' "$prog.log"
        fi
done
export LD_LIBRARY_PATH="$libdir"
resolved=$(ldd ./example 2>/dev/null | sed -n 's/^[[:space:]]*libglue\.so\.0 => \([^ ]*\).*/\1/p')
expect "the example runs on the installed libglue ($resolved)" test "$resolved" = "$libdir/libglue.so.0"

# The same output as the build tree's example, on a recorded machine when there is one (the
# shared fixtures), else on this one: the order of the providers' instances may differ, so
# the lines are compared sorted.
root=""
if [ -n "${HWGLUE_SHARED_FIXTURES:-}" ] && [ -f "$HWGLUE_SHARED_FIXTURES/.systemd.tar.xz.stamp" ]; then
        root=$HWGLUE_SHARED_FIXTURES/$(cat "$HWGLUE_SHARED_FIXTURES/.systemd.tar.xz.stamp")
fi
./example CIM_LogicalDevice ${root:+"$root"} >example.out 2>example.err
rc=$?
expect "the example exits 0 or 2 (partial), got $rc" test "$rc" = 0 -o "$rc" = 2
expect "the example prints devices" grep -q '^Linux_' example.out
if [ -n "$root" ]; then
        LD_LIBRARY_PATH="" "$build/glue/glue-example" CIM_LogicalDevice "$root" >built.out 2>/dev/null
        sort -o example.out example.out
        sort -o built.out built.out
        if cmp -s example.out built.out; then
                ok "it prints what the build tree's example prints ($(grep -c '^Linux_' built.out) devices)"
        else
                fail "it prints what the build tree's example prints"
                diff built.out example.out | head -n 20 | sed 's/^/#   /'
        fi
else
        echo "# the shared fixtures are absent: the example ran on this machine only"
fi

# shellcheck disable=SC2046 # one argument per file
./load-schema $(ls "$datadir"/hwglue/schema/*.mof) >load.out 2>&1 || failed=1
cat load.out

# --- the installed command, on the installed library -----------------------------------------
"$bindir/hwglue" classes >classes.out 2>classes.err
rc=$?
expect "the installed hwglue classes exits 0 (got $rc)" test "$rc" = 0
expect "it lists Linux_DiskDrive" grep -q Linux_DiskDrive classes.out
resolved=$(ldd "$bindir/hwglue" 2>/dev/null | sed -n 's/^[[:space:]]*libglue\.so\.0 => \([^ ]*\).*/\1/p')
expect "the installed hwglue links the installed libglue ($resolved)" test "$resolved" = "$libdir/libglue.so.0"
for f in "$bindir"/* "$libdir/$real"; do
        if readelf -d "$f" 2>/dev/null | grep -E '\((RPATH|RUNPATH)\)' | grep -qF "$build"; then
                fail "$(basename "$f") has the build tree in its run path"
        fi
done
exit "$failed"
