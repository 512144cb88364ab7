#!/bin/sh
# Output files are all or nothing (issue 12, defects 4-7): an output naming the input or
# another output is refused (64) before anything is written; a failed side file
# (--summary, --report, --manifest) or a bad --report-format leaves no -o file; SIGINT,
# SIGTERM and SIGHUP mid-stream leave no file and kill rfscore by that signal; a FIFO or
# a directory given as a --map file is refused instead of hanging, and a FIFO as the
# input is read.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
bin="$(cd "$top_builddir" && pwd)/rfscore"
top_srcdir=$(cd "$top_srcdir" && pwd)
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
fail=0
bad() { echo "FAIL: $*"; fail=1; }
rfq8="$top_srcdir/instruments/rfq8.ini"
cp "$top_srcdir/examples/data/rfq8_sample.csv" data.csv
cp data.csv data.orig
# Runs rfscore (under $VALGRIND) with the remaining arguments; expects exit $1.
expect() {
    want=$1
    shift
    # shellcheck disable=SC2086
    $VALGRIND "$bin" "$@" >out.stdout 2>out.stderr
    got=$?
    [ "$got" -eq "$want" ] || { bad "rfscore $*: exit $got, expected $want"; sed 's/^/    /' out.stderr; }
}
# No file but the ones named remains in the directory.
only() {
    left=$(ls -A | grep -v -x -e out.stdout -e out.stderr -e data.orig "$@" | tr '\n' ' ')
    [ -z "$left" ] || bad "files left behind: $left"
    rm -f out.csv r.txt s.json out.csv.tmp.* # so that one failure does not hide the next
}

# Defect 4: an output that is the input, or two outputs that are one file.
expect 64 score -q -i "$rfq8" -o data.csv data.csv
cmp -s data.csv data.orig || bad "-o naming the input replaced it"
cp data.orig data.csv # so that one failure does not hide the next
grep -q "is the input" out.stderr || bad "-o data.csv data.csv: no message naming the clash"
expect 64 score -q -i "$rfq8" -o ./data.csv "$tmp/data.csv"
cp data.orig data.csv
ln -s data.csv link.csv
expect 64 score -q -i "$rfq8" -o link.csv data.csv
cmp -s data.csv data.orig || bad "-o through a symbolic link to the input replaced it"
cp data.orig data.csv
rm link.csv
expect 64 score -q -i "$rfq8" -o data.csv - <data.csv
cmp -s data.csv data.orig || bad "-o naming the file on stdin replaced it"
cp data.orig data.csv
expect 64 score -q -i "$rfq8" -o out.csv --summary out.csv data.csv
expect 64 score -q -i "$rfq8" -o out.csv --manifest ./out.csv data.csv
expect 64 score -q -i "$rfq8" -o out.csv --report "$tmp/out.csv" data.csv
expect 64 report -i "$rfq8" -o r.txt --summary r.txt data.csv
only -e data.csv
expect 0 score -q -i "$rfq8" -o /dev/null --summary /dev/null data.csv # devices may be shared

# Defect 5: a side file that fails, or a bad --report-format: no -o file at all, and an
# existing one is left as it was.
expect 73 score -q -i "$rfq8" -o out.csv --summary no/such/dir/s.json data.csv
[ ! -e out.csv ] || bad "--summary failed but out.csv was put in place"
expect 73 score -q -i "$rfq8" -o out.csv --manifest no/such/dir/m.json data.csv
[ ! -e out.csv ] || bad "--manifest failed but out.csv was put in place"
expect 73 score -q -i "$rfq8" -o out.csv --summary s.json --report no/such/dir/r.html data.csv
[ ! -e out.csv ] && [ ! -e s.json ] || bad "--report failed but out.csv or s.json was put in place"
expect 64 score -q -i "$rfq8" -o out.csv --report r.txt --report-format bogus data.csv
[ ! -e out.csv ] && [ ! -e r.txt ] || bad "a bad --report-format left files"
echo old >out.csv
expect 74 score -q -i "$rfq8" -o out.csv --summary /dev/full data.csv
[ "$(cat out.csv)" = old ] || bad "--summary /dev/full (disk full) but out.csv was replaced"
rm out.csv
only -e data.csv

# Defect 6: a signal mid-stream removes the temporaries and kills rfscore by that signal.
# The input is a FIFO whose writer stops half-way, so the run is certainly mid-stream.
awk 'BEGIN { print "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8";
             for (i = 1; i <= 20000; i++) print "p" i ",1,2,3,4,5,6,7,1" }' >part.csv
mkfifo in.fifo
for signal in INT:2 TERM:15 HUP:1; do
    sig=${signal%:*}
    { cat part.csv; exec sleep 30; } >in.fifo 2>/dev/null &
    writer=$!
    # A shell without job control starts background commands with SIGINT ignored, and a
    # run under nohup (or a CI runner) has SIGHUP ignored; rfscore keeps an ignored signal
    # ignored, as it should: env restores the defaults a user's foreground job has.
    env --default-signal=INT --default-signal=HUP --default-signal=TERM "$bin" score -q -i "$rfq8" -o out.csv --summary s.json in.fifo 2>sig.err &
    pid=$!
    n=0
    until ls out.csv.tmp.* >/dev/null 2>&1 || [ $n -ge 100 ]; do sleep 0.1; n=$((n + 1)); done
    [ $n -lt 100 ] || bad "SIG$sig: no temporary file appeared"
    kill -s "$sig" "$pid"
    wait "$pid"
    rc=$?
    kill "$writer" 2>/dev/null
    wait "$writer" 2>/dev/null
    want=$((128 + ${signal#*:}))
    [ "$rc" -eq "$want" ] || { bad "SIG$sig: exit $rc, expected $want (death by the signal)"; cat sig.err; }
    rm -f sig.err
    only -e data.csv -e part.csv -e in.fifo
done

# Defect 7: a --map that is a FIFO (nobody writing: opening it would wait forever), a
# directory or a device is refused; a FIFO as the input is read like a file.
mkfifo map.fifo
expect 66 score -q -i "$rfq8" --map map.fifo data.csv &
pid=$!
n=0
while kill -0 "$pid" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
if kill -0 "$pid" 2>/dev/null; then
    bad "a FIFO as --map hangs"
    kill "$pid"
    : >map.fifo & # release the open
fi
wait "$pid" || fail=1
mkdir map.dir
expect 66 score -q -i "$rfq8" --map map.dir data.csv
grep -q "not a regular file" out.stderr || bad "--map DIR: no 'not a regular file' message"
expect 66 score -q -i "$rfq8" --map /dev/zero data.csv # a device: endless, refused unread
rm -f in.fifo
mkfifo in.fifo
cat data.csv >in.fifo &
expect 0 score -q -i "$rfq8" -o fifo.csv in.fifo
"$bin" score -q -i "$rfq8" data.csv >file.csv 2>/dev/null
cmp -s fifo.csv file.csv || bad "a FIFO as input scores differently from the file"

[ $fail -eq 0 ] && echo "ok: outputs all or nothing, signals, special files"
exit $fail
