#!/bin/sh
# The shared library exports exactly the public API listed in tests/exports.txt.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
lib=$(ls "$top_builddir"/.libs/librfscore.so.*.*.* 2>/dev/null | head -n 1)
if [ -z "$lib" ]; then
    echo "no shared library built; skipping"
    exit 77
fi
nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "D" || $2 == "B" { print $3 }' | sort >exports.actual
if ! diff -u "$top_srcdir/tests/exports.txt" exports.actual; then
    echo "exported symbols differ from tests/exports.txt"
    rm -f exports.actual
    exit 1
fi
rm -f exports.actual
# Every exported function is declared in the public header.
for sym in $(cat "$top_srcdir/tests/exports.txt"); do
    grep -q "\\b$sym(" "$top_srcdir/include/rfscore.h" || { echo "$sym is not declared in rfscore.h"; exit 1; }
done
