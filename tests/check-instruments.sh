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
# The definitions of issue 18 are shipped and listed with their sources (DOIs).
list=$(RFSCORE_PATH= $VALGRIND "$top_builddir/rfscore" list -I "$top_srcdir/instruments")
for want in "ecrs .*doi:10.1080/00223890701268041" "rq .*doi:10.1037/0022-3514.61.2.226" \
    "msibpd .*doi:10.1521/pedi.17.6.568.25355"; do
    printf '%s\n' "$list" | grep -q "^$want" || { echo "rfscore list lacks: $want"; exit 1; }
done
