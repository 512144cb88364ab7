#!/bin/sh
# The command's manners: tables that line up, help on stdout, exit codes as documented.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
bin="$(cd "$top_builddir" && pwd)/rfscore"
top_srcdir=$(cd "$top_srcdir" && pwd)
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# list: every column starts where its heading does, whatever the lengths of ids, names
# and score lists (ecrrs has a long name and ten scores).
# shellcheck disable=SC2086
RFSCORE_PATH= $VALGRIND "$bin" list -I "$top_srcdir/instruments" >"$tmp/list" || bad "list: exit $?"
[ "$(wc -l <"$tmp/list")" -ge 5 ] || bad "list: fewer rows than the shipped instruments"
for heading in NAME SOURCE SCORES; do
    col=$(head -1 "$tmp/list" | awk -v h="$heading" '{ print index($0, h) }')
    # Each later row: the character before the column is a space and the column's is not.
    awk -v c="$col" -v h="$heading" 'NR > 1 && (substr($0, c - 1, 1) != " " || substr($0, c, 1) == " ") {
        print "list: column " h " (at " c ") misaligned in: " $0; bad = 1 } END { exit bad }' "$tmp/list" ||
        bad "list: $heading column"
done
# ITEMS is right-aligned: the counts end where the heading ends.
end=$(head -1 "$tmp/list" | awk '{ print index($0, "ITEMS") + 4 }')
awk -v e="$end" 'NR > 1 && (substr($0, e, 1) !~ /[0-9]/ || substr($0, e + 1, 1) != " ") {
    print "list: item count not right-aligned in: " $0; bad = 1 } END { exit bad }' "$tmp/list" ||
    bad "list: ITEMS column"

# Help: every command answers --help and `rfscore help COMMAND` on stdout with exit 0,
# a line per option; -V and --version print the version.
commands="score report list show template lint selftest codebook"
for c in $commands; do
    $VALGRIND "$bin" "$c" --help >"$tmp/help.$c" 2>"$tmp/help.err" || bad "$c --help: exit $?"
    [ ! -s "$tmp/help.err" ] || bad "$c --help wrote to stderr"
    head -1 "$tmp/help.$c" | grep -q "^usage: rfscore $c" || bad "$c --help: no usage line"
    grep -q '^  -h, --help ' "$tmp/help.$c" || bad "$c --help: no line for --help"
    $VALGRIND "$bin" help "$c" >"$tmp/help2.$c" 2>&1 || bad "help $c: exit $?"
    cmp -s "$tmp/help.$c" "$tmp/help2.$c" || bad "help $c differs from $c --help"
done
"$bin" help >"$tmp/help" 2>&1 || bad "help: exit $?"
for c in $commands; do grep -q "^  $c " "$tmp/help" || bad "help does not list $c"; done
# Success is exit 0: every command that reads definitions, run the way a user runs it.
I="-I $top_srcdir/instruments"
for run in "list $I" "show $I rfq8" "template $I rfq8" "lint $I rfq8" "selftest $I rfq8" \
    "codebook $I -i rfq8"; do
    # shellcheck disable=SC2086
    $VALGRIND "$bin" $run >/dev/null 2>"$tmp/ok.err" || bad "rfscore $run: exit $? on success ($(head -1 "$tmp/ok.err"))"
done
for v in -V --version version; do
    "$bin" $v | grep -q '^rfscore [0-9]' || bad "$v does not print the version"
done
"$bin" score --kep group x.csv 2>"$tmp/err"
grep -q 'did you mean --keep?' "$tmp/err" || bad "no suggestion for --kep"
"$bin" scroe 2>"$tmp/err"
grep -q "did you mean 'score'?" "$tmp/err" || bad "no suggestion for scroe"

# rfscore(1) and the option table agree: every option a command accepts is in the man
# page's OPTIONS or COMMANDS, and every --option the man page names is accepted by some
# command (or is rfscore's own --version).
{ cat "$tmp"/help.*; echo --version; } | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/table-options"
sed -n '/^\.SH OPTIONS/,/^\.SH EXIT STATUS/p' "$top_srcdir/man/rfscore.1.in" | sed 's/\\-/-/g' |
    grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/man-options"
missing=$(comm -23 "$tmp/table-options" "$tmp/man-options" | tr '\n' ' ')
[ -z "$missing" ] || bad "options missing from rfscore(1): $missing"
unknown=$(comm -13 "$tmp/table-options" "$tmp/man-options" | tr '\n' ' ')
[ -z "$unknown" ] || bad "rfscore(1) documents options no command has: $unknown"

# lint takes ids, like show and score: resolved on the search path.
RFSCORE_PATH= $VALGRIND "$bin" lint -I "$top_srcdir/instruments" rfq8 ecrrs >"$tmp/lint" 2>&1 || bad "lint ID: exit $?"
grep -q 'instruments/rfq8.ini: ok$' "$tmp/lint" && grep -q 'instruments/ecrrs.ini: ok$' "$tmp/lint" ||
    { bad "lint ID: not checked"; cat "$tmp/lint"; }

# Exit codes: the ones the command uses (cli.h) are the ones rfscore(1) and the README list.
codes=$(sed -n 's/^ *EXIT_[A-Z]* = \([0-9]*\).*/\1/p' "$top_srcdir/src/cli/cli.h")
[ -n "$codes" ] || bad "no exit codes found in src/cli/cli.h"
man_codes=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /s/^\.B \([0-9][0-9]*\)$/\1/p' "$top_srcdir/man/rfscore.1.in" | grep -v '^0$')
[ "$(echo $codes)" = "$(echo $man_codes)" ] || bad "exit codes: cli.h has $(echo $codes), rfscore(1) lists $(echo $man_codes)"
readme_codes=$(sed -n '/Exit codes:/,/man rfscore/p' "$top_srcdir/README.md" | grep -o '\b[0-9][0-9]\b' | tr '\n' ' ')
[ "$(echo $codes)" = "$(echo $readme_codes)" ] || bad "exit codes: cli.h has $(echo $codes), README lists $readme_codes"

# The man page names the directory the command really searches (the configured one).
man="$top_builddir/man/rfscore.1"
[ -f "$man" ] || bad "no generated $man"
! grep -n '@[a-z]*@' "$man" || bad "rfscore(1) has unsubstituted @...@"
dir=$(RFSCORE_PATH= "$bin" show no_such_instrument 2>&1 | sed -n "s/.*on the search path (\([^)]*\)).*/\1/p")
[ -n "$dir" ] || bad "could not learn the installed instrument directory"
grep -qF "$dir" "$man" || bad "rfscore(1) does not name the instrument directory $dir"
grep -q '^\.SH EXAMPLES' "$man" || bad "rfscore(1) has no EXAMPLES"

# Progress: on a terminal, a run that lasts over a second shows rows and MB/s on stderr;
# -q silences it, and stderr that is not a terminal never gets it. The input arrives in
# two parts 1.2 s apart, so the run is long whatever the machine's speed.
awk 'BEGIN { print "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8";
             for (i = 1; i <= 6000; i++) print "p" i ",1,2,3,4,5,6,7,1" }' >"$tmp/part.csv"
cat >"$tmp/slow.sh" <<EOS
(cat "$tmp/part.csv"; sleep 1.2; tail -n +2 "$tmp/part.csv" | sed 's/^p/q/') |
    RFSCORE_PATH= "$bin" score -I "$top_srcdir/instruments" -i rfq8 --no-id-check \$1 -o "$tmp/slow.out" -
EOS
if command -v script >/dev/null 2>&1; then
    script -qec "sh $tmp/slow.sh" "$tmp/tty" >/dev/null 2>&1
    grep -aq 'rfscore: [0-9]* rows, [0-9.]* MB, [0-9.]* MB/s' "$tmp/tty" || { bad "no progress on a terminal"; cat "$tmp/tty"; }
    script -qec "sh $tmp/slow.sh -q" "$tmp/tty-q" >/dev/null 2>&1
    ! grep -aq 'MB/s' "$tmp/tty-q" || bad "progress despite -q"
else
    echo "script(1) not installed: progress on a terminal not checked"
fi
sh "$tmp/slow.sh" 2>"$tmp/slow.err" || bad "slow run: exit $?"
! grep -aq 'MB/s' "$tmp/slow.err" || bad "progress on a stderr that is not a terminal"
[ "$(wc -l <"$tmp/slow.out")" -eq 12001 ] || bad "slow run: $(wc -l <"$tmp/slow.out") lines, expected 12001"

[ $fail -eq 0 ] && echo "ok: rfscore command-line manners"
exit $fail
