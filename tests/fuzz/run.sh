#!/bin/sh
# Builds the libFuzzer targets and runs them.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      fuzz each target SECONDS (default 60)
#   tests/fuzz/run.sh --parallel SECONDS [T...]  the targets at once, one core each
#   tests/fuzz/run.sh --build-only [TARGET...]
#   tests/fuzz/run.sh --regress [TARGET...]      run the seed corpus and the saved
#                                                regressions once each (no fuzzing)
#
# TARGET is fuzz_instrument or fuzz_score (default: both). The library sources
# (src/*/*.c, not src/cli) are compiled into each target with clang's libFuzzer, ASan and
# UBSan; config.h comes from the build directory ($top_builddir, default the source top).
# Needs clang and its runtime (Debian: apt-get install clang libclang-rt-14-dev).
#
# Environment: CC (default clang), FUZZ_WORKDIR (binaries, the growing corpus, crash
# artifacts and logs; default ${TMPDIR:-/tmp}/rfscore-fuzz), FUZZ_FLAGS (more libFuzzer
# flags), RFS_FUZZ_INSTRUMENT (fuzz_score's instrument; default instruments/rfq8.ini),
# RFS_FUZZ_NO_COLUMN_CHECK=1 (fuzz_score: skip one oracle for a known bug; see the source),
# FUZZ_LIB_SRCDIR (library sources to build instead of src/, e.g. a copy with a
# candidate fix, so that a long run gets past a known crash), FUZZ_CFLAGS (more compiler
# flags, e.g. -DRFSI_NUMCACHE_SLOTS=256: the 2 MiB number cache that every scorer callocs
# costs ~2 ms per scorer under ASan, a tenth of fuzz_score's speed).
#
# New inputs go to $FUZZ_WORKDIR/corpus/TARGET, never into the source tree. A crash is
# saved as $FUZZ_WORKDIR/artifacts/TARGET/crash-* and the script exits 1; minimise it
# with `BIN -minimize_crash=1 -runs=100000 FILE` and keep it in tests/fuzz/regressions/
# TARGET/ (and as a tests/e2e/cases/bad_* case when the command shows it). The
# regressions are read as corpus too, so fuzzing stops at once while one still fails.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "$here/../.." && pwd)
top_builddir=$(cd "${top_builddir:-$top_srcdir}" && pwd)
CC=${CC:-clang}
work=${FUZZ_WORKDIR:-${TMPDIR:-/tmp}/rfscore-fuzz}
libsrc=${FUZZ_LIB_SRCDIR:-$top_srcdir/src}
all_targets="fuzz_instrument fuzz_score"

mode=fuzz
parallel=0
seconds=60
while [ $# -gt 0 ]; do
    case $1 in
    --build-only) mode=build ;;
    --regress) mode=regress ;;
    --parallel) parallel=1 ;;
    -h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
    shift
done
case ${1:-} in
'' | *[!0-9]*) ;;
*) seconds=$1; shift ;;
esac
targets=${*:-$all_targets}

if [ ! -f "$top_builddir/config.h" ]; then
    echo "run.sh: no config.h in $top_builddir: run ./configure first (or set top_builddir)" >&2
    exit 2
fi
mkdir -p "$work/bin" || exit 2

build() {
    t=$1
    [ -f "$here/$t.c" ] || { echo "run.sh: no target $t" >&2; return 2; }
    lib_srcs=$(find "$libsrc" -name "*.c" ! -path "*/cli/*" | sort)
    echo "building $work/bin/$t"
    # shellcheck disable=SC2086
    $CC -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all ${FUZZ_CFLAGS:-} \
        -I"$top_srcdir/include" -I"$libsrc" -I"$top_builddir" -I"$here" \
        -DHAVE_CONFIG_H -DRFS_FUZZ_INSTRUMENT_PATH="\"$top_srcdir/instruments/rfq8.ini\"" \
        -o "$work/bin/$t" $lib_srcs "$here/$t.c" -lcsv -liniparser -lm
}

status=0
for t in $targets; do
    build "$t" || exit 2
done
[ "$mode" = build ] && exit 0

# Corpus directories: the growing one first (libFuzzer writes new inputs there), then
# the checked-in seeds and regressions, which it only reads.
corpora() {
    t=$1
    mkdir -p "$work/corpus/$t"
    echo "$work/corpus/$t"
    [ -d "$here/corpus/$t" ] && echo "$here/corpus/$t"
    [ -d "$here/regressions/$t" ] && echo "$here/regressions/$t"
}

if [ "$mode" = regress ]; then
    # One process per input, so that every failing input is named.
    for t in $targets; do
        n=0 bad=0
        for f in $(find "$here/corpus/$t" "$here/regressions/$t" -type f 2>/dev/null | sort); do
            n=$((n + 1))
            if ! "$work/bin/$t" -runs=1 "$f" >"$work/$t.regress.log" 2>&1; then
                bad=$((bad + 1))
                echo "FAIL $t ${f#"$here"/}"
                grep -aE 'oracle failed|ERROR: AddressSanitizer|runtime error|SUMMARY' "$work/$t.regress.log" |
                    head -3 | sed 's/^/    /'
            fi
        done
        echo "$t: $n inputs, $bad failed"
        [ "$bad" -eq 0 ] || status=1
    done
    exit $status
fi

fuzz() {
    t=$1
    mkdir -p "$work/artifacts/$t"
    # shellcheck disable=SC2046,SC2086
    "$work/bin/$t" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$work/artifacts/$t/" ${FUZZ_FLAGS:-} $(corpora "$t") >"$work/$t.log" 2>&1
}

report() {
    t=$1 rc=$2
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
    cov=$(grep -E '^#[0-9]+' "$work/$t.log" | tail -1 | sed 's/.*\(cov: [0-9]*\).*\(corp: [^ ]*\).*/\1 \2/')
    if [ "$rc" -eq 0 ]; then
        echo "ok   $t: ${seconds}s, ${runs:-?} executions, $cov (log: $work/$t.log)"
    else
        echo "FAIL $t: exit $rc after ${runs:-?} executions (log: $work/$t.log)"
        ls "$work/artifacts/$t" | sed 's/^/    artifact: /'
        grep -aE 'ERROR|oracle failed|SUMMARY' "$work/$t.log" | head -5 | sed 's/^/    /'
        status=1
    fi
}

if [ "$parallel" -eq 1 ]; then
    pids=
    for t in $targets; do
        fuzz "$t" &
        pids="$pids $!:$t"
    done
    for p in $pids; do
        wait "${p%%:*}"
        report "${p#*:}" $?
    done
else
    for t in $targets; do
        fuzz "$t"
        report "$t" $?
    done
fi
exit $status
