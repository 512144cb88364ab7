#!/bin/sh
# docs/scale-out.md's GNU parallel recipe gives output byte-identical to a serial run:
# the output header once, shards with --no-header in input order (--pipe-part and
# --pipe); and the recipe's first pass over the id column finds a duplicate that the
# shards, each checking only its own rows, cannot. Skipped without GNU parallel.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
bin="$(cd "$top_builddir" && pwd)/rfscore"
top_srcdir=$(cd "$top_srcdir" && pwd)
command -v parallel >/dev/null 2>&1 || { echo "GNU parallel not installed: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
export HOME="$tmp" # parallel keeps state under ~/.parallel
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# 10000 rows of RFQ-8 and PRFQ answers from a fixed linear congruential sequence: answers
# 1..7, with blanks, NA and out-of-range 9s, so every status and flag occurs.
awk 'BEGIN {
    x = 12345
    printf "id,group"; for (k = 1; k <= 8; k++) printf ",rfq8_%d", k
    for (k = 1; k <= 18; k++) printf ",prfq_%d", k; print ""
    for (i = 1; i <= 10000; i++) {
        printf "p%05d,%s", i, (i % 3 ? "control" : "clinical")
        for (k = 1; k <= 26; k++) {
            x = (x * 1103515245 + 12345) % 2147483648
            r = int(x / 65536) % 100
            printf ",%s", r < 5 ? "" : r < 7 ? "NA" : r < 8 ? "9" : int(r / 13) % 7 + 1
        }
        print ""
    }
}' >study.csv
I="-I $top_srcdir/instruments"
opts="-q -i rfq8 -i prfq --keep group"

# shellcheck disable=SC2086
RFSCORE_PATH= $VALGRIND "$bin" score $I $opts study.csv >serial.csv || bad "serial run: exit $?"
[ "$(wc -l <serial.csv)" -eq 10001 ] || bad "serial run: $(wc -l <serial.csv) lines, expected 10001"

# The recipe: header once, then the shards (several per core: blocks of 200 kB).
# shellcheck disable=SC2086
head -n 1 study.csv | RFSCORE_PATH= "$bin" score $I $opts - >part.csv || bad "header run: exit $?"
# shellcheck disable=SC2086
RFSCORE_PATH= parallel --pipe-part -a study.csv --block 100k --header : --keep-order --halt now,fail=1 -j2 \
    "$bin" score $I $opts --no-header - >>part.csv || bad "parallel --pipe-part: exit $?"
cmp -s serial.csv part.csv || bad "parallel --pipe-part output differs from the serial run"

# shellcheck disable=SC2086
head -n 1 study.csv | RFSCORE_PATH= "$bin" score $I $opts - >pipe.csv
# shellcheck disable=SC2086
RFSCORE_PATH= parallel --pipe --block 100k --header : --keep-order --halt now,fail=1 -j2 \
    "$bin" score $I $opts --no-header - <study.csv >>pipe.csv || bad "parallel --pipe: exit $?"
cmp -s serial.csv pipe.csv || bad "parallel --pipe output differs from the serial run"

# --excel: the BOM once, from the header command; the shards write ; and decimal commas.
# shellcheck disable=SC2086
RFSCORE_PATH= $VALGRIND "$bin" score $I $opts --excel study.csv >serial-excel.csv || bad "serial --excel: exit $?"
# shellcheck disable=SC2086
head -n 1 study.csv | RFSCORE_PATH= "$bin" score $I $opts --excel - >part-excel.csv
# shellcheck disable=SC2086
RFSCORE_PATH= parallel --pipe-part -a study.csv --block 100k --header : --keep-order --halt now,fail=1 -j2 \
    "$bin" score $I $opts --no-header --output-delimiter "';'" --decimal-comma - >>part-excel.csv ||
    bad "parallel --excel shards: exit $?"
cmp -s serial-excel.csv part-excel.csv || bad "parallel --excel output differs from the serial run"

# More than one shard really ran, or the comparison proves nothing: 10000 rows of ~70
# bytes are ~0.7 MB, 7 blocks of 100 kB.
shards=$(RFSCORE_PATH= parallel --pipe-part -a study.csv --block 100k --header : 'echo x' | wc -l)
[ "$shards" -ge 4 ] || bad "only $shards shards"

# A duplicate split across shards: the first row's id again at the end. The serial run
# flags both rows; the shards cannot; the first pass over the id column finds it.
{ cat study.csv; sed -n 2p study.csv; } >dup.csv
cut -d, -f1 dup.csv | tail -n +2 | sort | uniq -d >duplicate_ids.txt
[ "$(cat duplicate_ids.txt)" = p00001 ] || bad "the id pass found '$(cat duplicate_ids.txt)', expected p00001"
# shellcheck disable=SC2086
RFSCORE_PATH= "$bin" score $I $opts dup.csv | grep -c 'duplicate_id' >serial_dups
[ "$(cat serial_dups)" -eq 2 ] || bad "serial run flagged $(cat serial_dups) rows duplicate_id, expected 2"

[ $fail -eq 0 ] && echo "ok: sharded runs under GNU parallel equal the serial run"
exit $fail
