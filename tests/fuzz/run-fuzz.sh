#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Fuzz each harness with libFuzzer for SECONDS_PER_HARNESS (default 60), one after the other.
#
#   tests/fuzz/run-fuzz.sh [SECONDS_PER_HARNESS] [HARNESS...]    (harnesses: mof wql path value)
#
# Builds libglue's static twin with clang (coverage, ASan, UBSan) in build-fuzz/ (or
# $FUZZ_BUILD_DIR) and links each harness with libFuzzer. Each run starts from the committed
# corpus, tests/fuzz/corpus/NAME, which it only reads: new inputs go to BUILD/new/NAME, a crash to
# BUILD/crashes/NAME/. To keep a find, minimise it into the corpus:
#   BUILD/fuzz-NAME -merge=1 tests/fuzz/corpus/NAME BUILD/new/NAME
# Prints per harness the seconds it ran, its executions and its crashes (libFuzzer stops at the
# first); exits 1 if any harness crashed.
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
harnesses=${*:-mof wql path value}
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all"

if [ ! -f "$build/build.ninja" ]; then
        if ! setup=$(CC=clang meson setup "$build" "$src" --buildtype=debugoptimized \
                        -Db_lundef=false -Dc_args="-fsanitize=fuzzer-no-link $sanitize" \
                        -Dc_link_args="$sanitize" 2>&1); then
                echo "$setup" >&2
                exit 1
        fi
fi
ninja -C "$build" glue/libglue-internal.a >/dev/null

libs="$(pkg-config --libs libudev libpci) -lsensors -lm -pthread"
failed=0
printf '%-8s %8s %12s %8s  %s\n' harness seconds executions crashes log
for h in $harnesses; do
        exe=$build/fuzz-$h
        # shellcheck disable=SC2086 # word splitting of the flag lists is wanted
        clang -g -O1 -fsanitize=fuzzer $sanitize -D_GNU_SOURCE -std=gnu11 \
                -I"$src" -I"$src/glue" -I"$src/providers" \
                "$src/tests/fuzz/fuzz-$h.c" "$build/glue/libglue-internal.a" $libs -o "$exe"
        mkdir -p "$build/new/$h" "$build/crashes/$h"
        touch "$build/crashes/$h.start"
        log=$build/fuzz-$h.log
        rc=0
        start=$(date +%s)
        ASAN_OPTIONS=detect_leaks=1 "$exe" -max_total_time="$seconds" -print_final_stats=1 \
                -artifact_prefix="$build/crashes/$h/" "$build/new/$h" "$src/tests/fuzz/corpus/$h" \
                >"$log" 2>&1 || rc=$?
        seconds_run=$(($(date +%s) - start))
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        crashes=$(find "$build/crashes/$h" -type f -newer "$build/crashes/$h.start" | wc -l)
        if [ "$rc" -ne 0 ]; then
                failed=1
                # Should a crash cut the final stats short, the last status line has the count.
                [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
        fi
        printf '%-8s %8s %12s %8s  %s\n' "$h" "$seconds_run" "${execs:-?}" "$crashes" "$log"
done
exit $failed
