#!/bin/sh
# A closed pipe downstream (rfscore ... | head -1) is a write error: exit 74 with a
# message, not a silent death by SIGPIPE (141) and not success.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
bin="$(cd "$top_builddir" && pwd)/rfscore"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
awk 'BEGIN { print "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8";
             for (i = 1; i <= 200000; i++) print "p" i ",1,2,3,4,5,6,7,1" }' >"$tmp/in.csv"
{ "$bin" score -q -i "$top_srcdir/instruments/rfq8.ini" "$tmp/in.csv" 2>"$tmp/err"; echo $? >"$tmp/rc"; } | head -1 >"$tmp/first"
rc=$(cat "$tmp/rc")
if [ "$rc" != 74 ]; then
    echo "closed pipe: exit $rc, expected 74"; cat "$tmp/err"; exit 1
fi
grep -q "cannot write output" "$tmp/err" || { echo "closed pipe: no message"; cat "$tmp/err"; exit 1; }
grep -q '^id,rfq8_c,' "$tmp/first" || { echo "closed pipe: the header did not arrive"; exit 1; }
echo "ok: closed pipe gives exit 74 and a message"
