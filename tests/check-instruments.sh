#!/bin/sh
# Every shipped definition passes lint and its own conformance cases.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
set -e
$VALGRIND "$top_builddir/rfscore" lint "$top_srcdir"/instruments/*.ini
RFSCORE_PATH= $VALGRIND "$top_builddir/rfscore" selftest -I "$top_srcdir/instruments"
for f in "$top_srcdir"/instruments/*.ini; do
    $VALGRIND "$top_builddir/rfscore" selftest "$f" >/dev/null
done
