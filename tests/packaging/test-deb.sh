#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# test-deb.sh MESON HWGLUE: debian/ builds, from a copy of the source tree, into the packages
# hwglue, libglue0 and libglue-dev (dpkg-buildpackage -b -us -uc), which
#  - lintian finds no error in (its warnings are printed);
#  - hold what `meson install` of this build installs, nothing less and nothing more (the
#    package build configures with -Dtests=false: an install rule placed where that skips it
#    fails here), each file in the package it belongs to;
#  - carry a symbols file with every symbol of glue/libglue.sym, the versions of the changelog
#    (which is meson's), and the exporter's timer enabled the Debian way (dh_installsystemd);
#  - unpacked (dpkg -x) into a temporary root, run: `hwglue classes` prints what this build's
#    HWGLUE prints, on the packaged library, and the packaged example builds from libglue-dev
#    with pkg-config alone.
# The source tree is left as it was (checked). Skips, saying why, when the Debian tools or the
# build dependencies are absent; tools/quickstart installs them, so CI does not skip.
set -u
meson=$1 hwglue=$2
build=${HWGLUE_BUILD_DIR:?} src=${HWGLUE_SOURCE_DIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - $*"; }
fail() { echo "not ok - $*"; failed=1; }
expect() {
        what=$1
        shift
        if "$@"; then ok "$what"; else fail "$what"; fi
}

missing=""
for tool in dpkg-buildpackage dpkg-checkbuilddeps dpkg-parsechangelog dh lintian; do
        command -v "$tool" >/dev/null || missing="$missing $tool"
done
if [ -n "$missing" ]; then
        echo "# SKIP the Debian tools are absent:$missing (tools/quickstart installs them:"
        echo "# dpkg-dev, debhelper, lintian)"
        exit 77
fi
if ! (cd "$src" && dpkg-checkbuilddeps) >"$tmp/builddeps" 2>&1; then
        echo "# SKIP the build dependencies of debian/control are not installed:"
        sed 's/^/#   /' "$tmp/builddeps"
        exit 77
fi

changelog_version=$(cd "$src" && dpkg-parsechangelog -S Version)
expect "debian/changelog's version ($changelog_version) is meson's ($PROJECT_VERSION)" \
        test "${changelog_version%-*}" = "$PROJECT_VERSION"

# --- the build, from a copy: dpkg-buildpackage writes into the tree and beside it -------------
# What the source tree holds, to see that it is left as it was.
list_tree() {
        (cd "$src" && find . \( -path './build*' -o -path ./.git \) -prune -o -print0 |
                xargs -0 stat -c '%n %s %Y' | sort)
}
list_tree >"$tmp/tree.before"
mkdir "$tmp/src"
tar -C "$src" --exclude='./build*' --exclude=./.git --exclude='./obj-*' -cf - . |
        tar -C "$tmp/src" -xf -
started=$(date +%s)
if (cd "$tmp/src" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -b -us -uc) \
        >"$tmp/build.log" 2>&1; then
        ok "dpkg-buildpackage -b -us -uc ($(($(date +%s) - started)) s)"
else
        fail "dpkg-buildpackage -b -us -uc"
        tail -n 40 "$tmp/build.log" | sed 's/^/#   /'
        exit 1
fi
list_tree >"$tmp/tree.after"
if cmp -s "$tmp/tree.before" "$tmp/tree.after"; then
        ok "the source tree is as it was"
else
        fail "the build changed the source tree"
        diff "$tmp/tree.before" "$tmp/tree.after" | head -n 10 | sed 's/^/#   /'
fi
version=$changelog_version
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for p in hwglue libglue0 libglue-dev; do
        expect "$p ${version} is built" test -f "$tmp/${p}_${version}_$arch.deb"
done
[ "$failed" = 0 ] || exit 1

# --- lintian ---------------------------------------------------------------------------------
lintian --fail-on error --tag-display-limit 0 "$tmp/hwglue_${version}_$arch.changes" \
        >"$tmp/lintian" 2>&1
rc=$?
grep -v 'running with root privileges' "$tmp/lintian" | sed 's/^/#   /'
expect "lintian reports no error" test "$rc" = 0 -a -z "$(grep '^E: ' "$tmp/lintian")"

# --- contents ---------------------------------------------------------------------------------
for p in hwglue libglue0 libglue-dev; do
        dpkg-deb -c "$tmp/${p}_${version}_$arch.deb" |
                awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); sub(/ -> .*/, ""); print }' |
                sed 's|^\./||' | grep -v -e '/$' -e '^$' | sort >"$tmp/$p.files"
done
# holds PACKAGE PATH...: each path is in that package
holds() {
        p=$1
        shift
        for f in "$@"; do
                expect "$p has $f" grep -qxF "$f" "$tmp/$p.files"
        done
}
holds hwglue usr/bin/hwglue usr/bin/hwglue-export usr/share/man/man1/hwglue.1.gz \
        usr/share/bash-completion/completions/hwglue \
        lib/systemd/system/hwglue-export.service lib/systemd/system/hwglue-export.timer
holds libglue0 "usr/lib/$multiarch/libglue.so.0"
holds libglue-dev usr/include/libglue.h "usr/lib/$multiarch/libglue.so" \
        "usr/lib/$multiarch/pkgconfig/libglue.pc" usr/share/man/man3/libglue.3.gz \
        usr/share/doc/hwglue/examples/example.c usr/share/hwglue/schema/cim.mof
expect "libglue0 holds nothing but the library and its docs" \
        test -z "$(grep -v -e "^usr/lib/$multiarch/libglue\.so\.0" -e '^usr/share/doc/libglue0/' "$tmp/libglue0.files")"

# What `meson install` puts, with its prefix made /usr and man pages compressed, against all
# the packages hold but Debian's own documents (copyright, changelog, README).
"$meson" install -C "$build" --destdir "$tmp/meson" --no-rebuild --quiet >/dev/null 2>&1 ||
        fail "meson install of the build"
(cd "$tmp/meson" && find . ! -type d | sed 's|^\./||') |
        sed -e "s|^${PREFIX#/}/|usr/|" -e 's|^\(usr/share/man/man[1-8]/.*\)$|\1.gz|' |
        sort >"$tmp/meson.files"
cat "$tmp/hwglue.files" "$tmp/libglue0.files" "$tmp/libglue-dev.files" |
        grep -v -E '^usr/share/doc/(hwglue|libglue0|libglue-dev)/(copyright|changelog\.gz|README\.md\.gz)$' |
        sort >"$tmp/packaged.files"
if cmp -s "$tmp/meson.files" "$tmp/packaged.files"; then
        ok "the packages hold what meson install installs ($(wc -l <"$tmp/meson.files") files)"
else
        fail "the packages and meson install differ"
        comm -23 "$tmp/meson.files" "$tmp/packaged.files" | sed 's/^/#   not packaged: /'
        comm -13 "$tmp/meson.files" "$tmp/packaged.files" | sed 's/^/#   not installed by meson: /'
fi

# --- control data --------------------------------------------------------------------------
for p in hwglue libglue0 libglue-dev; do
        mkdir "$tmp/$p.control"
        dpkg-deb -e "$tmp/${p}_${version}_$arch.deb" "$tmp/$p.control"
done
symbols=$tmp/libglue0.control/symbols
expect "libglue0 has a symbols file for libglue.so.0" grep -q '^libglue.so.0 libglue0 ' "$symbols"
sed -n 's/^[[:space:]]*\(glue_[a-z0-9_]*\);$/\1/p' "$src/glue/libglue.sym" | sort >"$tmp/sym.names"
sed -n 's/^ \(glue_[a-z0-9_]*\)@.*/\1/p' "$symbols" | sort >"$tmp/symbols.names"
expect "it lists every symbol of libglue.sym ($(wc -l <"$tmp/sym.names")), and no other" \
        cmp -s "$tmp/sym.names" "$tmp/symbols.names"
expect "hwglue depends on libglue0" sh -c "dpkg-deb -f '$tmp/hwglue_${version}_$arch.deb' Depends | grep -q 'libglue0 (>= '"
# dlopen'ed at the first table (cmd/smartcols-lazy.c): dpkg-shlibdeps cannot see it
expect "hwglue depends on libsmartcols1" sh -c "dpkg-deb -f '$tmp/hwglue_${version}_$arch.deb' Depends | grep -q 'libsmartcols1'"
expect "libglue-dev depends on this libglue0" sh -c "dpkg-deb -f '$tmp/libglue-dev_${version}_$arch.deb' Depends | grep -qF 'libglue0 (= $version)'"
postinst=$tmp/hwglue.control/postinst
# Enabled on a first install: "enable", and not only for a unit that was enabled before (what
# --no-enable makes: the enable is then guarded by "debian-installed").
expect "hwglue's postinst enables the timer (deb-systemd-helper)" \
        grep -q "deb-systemd-helper enable 'hwglue-export.timer'" "$postinst"
expect "on a first install too" test -z "$(grep 'debian-installed' "$postinst")"
expect "and starts it" grep -q "deb-systemd-invoke \$_dh_action 'hwglue-export.timer'" "$postinst"
expect "and leaves the service to the timer" test -z "$(grep 'hwglue-export.service' "$postinst")"
root=$tmp/root
for p in hwglue libglue0 libglue-dev; do
        dpkg -x "$tmp/${p}_${version}_$arch.deb" "$root"
done
expect "the timer is wanted by timers.target" \
        grep -qx 'WantedBy=timers.target' "$root/lib/systemd/system/hwglue-export.timer"

# --- run from the unpacked packages ------------------------------------------------------------
libdir=$root/usr/lib/$multiarch
LD_LIBRARY_PATH=$libdir "$root/usr/bin/hwglue" classes >"$tmp/classes" 2>"$tmp/classes.err"
rc=$?
expect "the packaged hwglue classes exits 0 (got $rc)" test "$rc" = 0
"$hwglue" classes >"$tmp/classes.build" 2>/dev/null
expect "it prints what this build's hwglue prints ($(wc -l <"$tmp/classes") lines)" \
        cmp -s "$tmp/classes" "$tmp/classes.build"
resolved=$(LD_LIBRARY_PATH=$libdir ldd "$root/usr/bin/hwglue" |
        sed -n 's/^[[:space:]]*libglue\.so\.0 => \([^ ]*\).*/\1/p')
expect "on the packaged libglue ($resolved)" test "$resolved" = "$libdir/libglue.so.0"

unset CFLAGS CPPFLAGS LDFLAGS CPATH C_INCLUDE_PATH LIBRARY_PATH
export PKG_CONFIG_PATH="$libdir/pkgconfig" PKG_CONFIG_LIBDIR="$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
mkdir "$tmp/consumer"
cp "$root/usr/share/doc/hwglue/examples/example.c" "$tmp/consumer/"
# shellcheck disable=SC2046 # pkg-config's flags split on purpose
if (cd "$tmp/consumer" && ${CC:-cc} -Wall -Werror -o example example.c $(pkg-config --cflags --libs libglue)) \
        >"$tmp/cc.log" 2>&1; then
        ok "the packaged example builds from libglue-dev with pkg-config alone"
        LD_LIBRARY_PATH=$libdir "$tmp/consumer/example" Linux_PCIDevice >/dev/null 2>&1
        rc=$?
        expect "and runs (exit 0 or 2, got $rc)" test "$rc" = 0 -o "$rc" = 2
else
        fail "the packaged example builds from libglue-dev with pkg-config alone"
        sed 's/^/#   /' "$tmp/cc.log"
fi
exit "$failed"
