#!/bin/sh
# End-to-end tests: run the built rfscore on each case under tests/e2e/cases/ and compare.
# A case directory holds `args` (after `rfscore`; @DIR@ = the case dir, @TOP@ = the source
# top), its inputs, and either expected.csv (exact stdout; lines starting with '#' are
# hand arithmetic, stripped before comparing) or expected_rc plus expected_stderr (a
# substring of stderr). Set VALGRIND to run every case under it.
# Every case runs once as given, then again in two threads with the input cut into tiny
# parts (RFSCORE_PART_BYTES: each line a part; then about 100 bytes), against the same
# expectations: the output, exit code and messages must not depend on the threads.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
bin="$top_builddir/rfscore"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
count=0
passes="1:0 2:1 2:100"
[ -n "${VALGRIND:-}" ] && passes="1:0 2:1"
for pass in $passes; do
RFSCORE_THREADS=${pass%%:*}
RFSCORE_PART_BYTES=${pass#*:}
export RFSCORE_THREADS RFSCORE_PART_BYTES
[ "$RFSCORE_THREADS" = 1 ] && tag="" || tag=" [threads 2, parts of $RFSCORE_PART_BYTES]"
for dir in "$top_srcdir"/tests/e2e/cases/*/; do
    dir=${dir%/}
    name=${dir##*/}
    [ -f "$dir/args" ] || continue
    count=$((count + 1))
    args=$(sed -e "s|@DIR@|$dir|g" -e "s|@TOP@|$top_srcdir|g" "$dir/args")
    if [ -f "$dir/stdin" ]; then
        # shellcheck disable=SC2086
        (cd "$tmp" && eval "$VALGRIND \"$bin\" $args") <"$dir/stdin" >"$tmp/out" 2>"$tmp/err"
    else
        # shellcheck disable=SC2086
        (cd "$tmp" && eval "$VALGRIND \"$bin\" $args") </dev/null >"$tmp/out" 2>"$tmp/err"
    fi
    rc=$?
    if [ -f "$dir/expected.csv" ]; then
        LC_ALL=C grep -av '^#' "$dir/expected.csv" >"$tmp/want"
        if [ "$rc" -ne 0 ]; then
            echo "FAIL $name$tag: exit $rc"; sed 's/^/    /' "$tmp/err"; fail=$((fail + 1)); continue
        fi
        if ! cmp -s "$tmp/want" "$tmp/out"; then
            echo "FAIL $name$tag: output differs (- expected, + actual)"
            diff -u "$tmp/want" "$tmp/out" | sed 's/^/    /' | head -40
            fail=$((fail + 1)); continue
        fi
    else
        want_rc=$(cat "$dir/expected_rc")
        if [ "$rc" -ne "$want_rc" ]; then
            echo "FAIL $name$tag: exit $rc, expected $want_rc"; sed 's/^/    /' "$tmp/err"; fail=$((fail + 1)); continue
        fi
        if ! LC_ALL=C grep -aqF -- "$(cat "$dir/expected_stderr")" "$tmp/err"; then
            echo "FAIL $name$tag: stderr lacks: $(cat "$dir/expected_stderr")"; sed 's/^/    /' "$tmp/err"
            fail=$((fail + 1)); continue
        fi
    fi
    echo "ok   $name$tag"
done
done
echo "$count cases, $fail failed"
[ "$count" -gt 0 ] && [ "$fail" -eq 0 ]
