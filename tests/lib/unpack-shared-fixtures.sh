#!/bin/sh
# Unpack ../shared/fixtures/*.tar.xz into the build tree once (a stamp per archive). Prints
# nothing and succeeds when the shared folder is absent: the tests that need it then skip.
src=$1 dest=$2
[ -d "$src" ] || exit 0
mkdir -p "$dest" || exit 1
for archive in "$src"/*.tar.xz; do
        [ -e "$archive" ] || continue
        stamp="$dest/.$(basename "$archive").stamp"
        [ -e "$stamp" ] && [ "$stamp" -nt "$archive" ] && continue
        tar -xJf "$archive" -C "$dest" || exit 1
        # record which folder the archive made, for tests that look fixtures up by archive name
        tar -tJf "$archive" | head -n 1 | cut -d/ -f1 > "$stamp" || exit 1
done
exit 0
