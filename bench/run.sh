#!/usr/bin/env bash
# rfscore benchmark: one command that builds what it needs, generates the data, checks
# that every scorer agrees, measures, and prints the tables (docs/benchmarks.md).
#
#   bench/run.sh                 1e6-row comparison, scaling 1e5 and 1e6, wide file, start-up
#   bench/run.sh -n 100000       a smaller comparison file
#   bench/run.sh --big           also the 1e7-row scaling point (~1.3 GB of CSV)
#   bench/run.sh --quick         -n 100000, scaling 1e5 only, smaller wide file, fewer runs
#
# Everything it writes goes to bench/out/ (gitignored). Needs cc, libcsv-dev, python3 and
# /usr/bin/time (Debian package "time"); pandas (python3-pandas), R (r-base-core) and
# hyperfine are used when installed and skipped when not.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/run.sh [options]
  -n ROWS            rows of the comparison file (default 1000000)
  --scaling "N ..."  row counts for the scaling table (default "100000 1000000")
  --big              add 10000000 rows to the scaling table (~1.3 GB file in bench/out)
  --wide-rows N      rows of the 500-item wide file (default 100000, ~100 MB)
  --repeat R         runs per fast measurement; the median wall is reported (default 3)
  --repeat-slow R    runs per pandas / R measurement (default 1)
  --startup-runs R   runs for the start-up median (default 300)
  --seed S           generator seed (default 20240601)
  --no-pandas        skip pandas        --no-r     skip R
  --no-duckdb        skip DuckDB (npm package @duckdb/node-api, installed into bench/out)
  --no-cachegrind    skip the instructions-per-row count (valgrind --tool=cachegrind)
  --no-make          do not run make first
  --no-hyperfine     time start-up with a bash loop even when hyperfine is installed
  --quick            -n 100000 --scaling 100000 --wide-rows 20000 --repeat 1 --startup-runs 100
  -h, --help
EOF
}

ROWS=1000000
SCALING="100000 1000000"
BIG=0
WIDE_ROWS=100000
REPEAT=3
REPEAT_SLOW=1
STARTUP_RUNS=300
SEED=20240601
USE_PANDAS=1
USE_R=1
USE_DUCKDB=1
USE_CG=1
DO_MAKE=1
USE_HF=1
while [ $# -gt 0 ]; do
    case "$1" in
    -n) ROWS=$2; shift ;;
    --scaling) SCALING=$2; shift ;;
    --big) BIG=1 ;;
    --wide-rows) WIDE_ROWS=$2; shift ;;
    --repeat) REPEAT=$2; shift ;;
    --repeat-slow) REPEAT_SLOW=$2; shift ;;
    --startup-runs) STARTUP_RUNS=$2; shift ;;
    --seed) SEED=$2; shift ;;
    --no-pandas) USE_PANDAS=0 ;;
    --no-r) USE_R=0 ;;
    --no-duckdb) USE_DUCKDB=0 ;;
    --no-cachegrind) USE_CG=0 ;;
    --no-make) DO_MAKE=0 ;;
    --no-hyperfine) USE_HF=0 ;;
    --quick) ROWS=100000; SCALING=100000; WIDE_ROWS=20000; REPEAT=1; STARTUP_RUNS=100 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 64 ;;
    esac
    shift
done
[ "$BIG" = 1 ] && SCALING="$SCALING 10000000"

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/bench/out
cd "$ROOT"
mkdir -p "$OUT"
INST=(-I instruments -i rfq8 -i prfq -i ecrr)

say() { printf '\n== %s\n' "$*"; }
die() { echo "run.sh: $*" >&2; exit 1; }

# ------------------------------------------------------------------- build
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
if [ "$DO_MAKE" = 1 ]; then
    [ -f Makefile ] || die "no Makefile: run ./autogen.sh && ./configure first"
    say "make"
    make -s >"$OUT/make.log" 2>&1 || { tail -20 "$OUT/make.log"; die "make failed (bench/out/make.log)"; }
fi
[ -x ./rfscore ] || die "./rfscore is not built (run make)"
# ./rfscore is libtool's wrapper script in a build tree; measure the real program (what
# `make install` puts on the PATH) and report the wrapper's start-up separately. The
# program and its library are copied to bench/out/snap first, so a rebuild while this
# runs cannot change or remove what is measured.
if [ -x .libs/rfscore ]; then
    rm -rf "$OUT/snap"
    mkdir -p "$OUT/snap"
    cp -P .libs/rfscore .libs/librfscore.so* "$OUT/snap/"
    RFS=(env "LD_LIBRARY_PATH=$OUT/snap${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$OUT/snap/rfscore")
else
    RFS=("$ROOT/rfscore")
fi
cc -O2 bench/csvcount.c -lcsv -o "$OUT/csvcount"
# gen is rebuilt only when its source changes: data files older than it are regenerated
if [ ! -x "$OUT/gen" ] || [ bench/gen.c -nt "$OUT/gen" ]; then cc -O2 bench/gen.c -o "$OUT/gen"; fi
"$OUT/gen" wide-ini >"$OUT/wide500.ini"
NO_ID_CHECK=0
case "$("${RFS[@]}" score --help 2>&1 || true)" in *--no-id-check*) NO_ID_CHECK=1 ;; esac
THREADS=0 # --threads (issue 15): one thread named, so that auto does not choose
case "$("${RFS[@]}" score --help 2>&1 || true)" in *--threads*) THREADS=1 ;; esac
T1=(); [ "$THREADS" = 1 ] && T1=(--threads 1)

PANDAS_PY=""
if [ "$USE_PANDAS" = 1 ]; then
    for p in ${PYTHON:-} python3 /usr/bin/python3; do
        if command -v "$p" >/dev/null && "$p" -c 'import pandas' 2>/dev/null; then PANDAS_PY=$p; break; fi
    done
fi
HAVE_R=0
[ "$USE_R" = 1 ] && command -v Rscript >/dev/null && HAVE_R=1
# DuckDB through its npm package, which ships its own engine binary.
HAVE_DUCKDB=0
if [ "$USE_DUCKDB" = 1 ] && command -v node >/dev/null && command -v npm >/dev/null; then
    if [ ! -d "$OUT/node_modules/@duckdb/node-api" ]; then
        npm install --prefix "$OUT" --no-audit --no-fund --silent @duckdb/node-api >/dev/null 2>&1 || true
    fi
    [ -d "$OUT/node_modules/@duckdb/node-api" ] && HAVE_DUCKDB=1
    cp bench/score_duckdb.mjs "$OUT/score_duckdb.mjs" # resolves the package from bench/out
fi
HAVE_CG=0
[ "$USE_CG" = 1 ] && command -v valgrind >/dev/null && HAVE_CG=1
HAVE_HF=0
[ "$USE_HF" = 1 ] && command -v hyperfine >/dev/null && HAVE_HF=1

# ------------------------------------------------------------------- data
# gen KIND ROWS -> path (regenerated when the generator is newer than the file)
gen() {
    local f="$OUT/$1_$2_s$SEED.csv"
    if [ ! -s "$f" ] || [ "$OUT/gen" -nt "$f" ]; then
        "$OUT/gen" "$1" "$2" "$SEED" >"$f.tmp" && mv "$f.tmp" "$f"
    fi
    echo "$f"
}

# ------------------------------------------------------------------- measuring
# measure FILE REPEATS CMD... : runs CMD (stdout to /dev/null) REPEATS times under
# /usr/bin/time -f '%e %M %U %S'; sets M_WALL and M_CPU (medians, seconds), M_RSS (max
# KiB), M_OK. The wall time is bash's EPOCHREALTIME around /usr/bin/time (microseconds;
# %e has only 10 ms); it includes starting /usr/bin/time itself, well under a
# millisecond. CPU = user + system (10 ms resolution): less disturbed than wall time
# when other work shares the machine.
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
measure() {
    local file=$1 reps=$2 i walls=() cpus=() rss=0 w r u sy t0 t1
    shift 2
    M_OK=1
    cat "$file" >/dev/null # warm the page cache
    for ((i = 0; i < reps; i++)); do
        t0=$EPOCHREALTIME
        if ! /usr/bin/time -f '%e %M %U %S' -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/last.err"; then
            M_OK=0
            echo "   failed: $* (bench/out/last.err):" >&2
            tail -3 "$OUT/last.err" >&2
        fi
        t1=$EPOCHREALTIME
        read -r w r u sy < <(tail -n 1 "$OUT/time.txt") # after "Command exited with ..." on failure
        w=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')
        walls+=("$w")
        cpus+=("$(awk -v u="$u" -v s="$sy" 'BEGIN {print u + s}')")
        [ "$r" -gt "$rss" ] && rss=$r
    done
    M_WALL=$(printf '%s\n' "${walls[@]}" | median)
    M_CPU=$(printf '%s\n' "${cpus[@]}" | median)
    M_RSS=$rss
}

TABLE=""  # markdown rows of the current table
BASE=""   # wall of (a) for the ratio columns
BASE_CPU=""
# row LABEL FILE ROWS: formats the last measurement
row() {
    local label=$1 file=$2 rows=$3 bytes
    bytes=$(stat -c %s "$file")
    local line
    line=$(awk -v l="$label" -v w="$M_WALL" -v c="$M_CPU" -v r="$M_RSS" -v b="$bytes" -v n="$rows" \
        -v base="$BASE" -v basec="$BASE_CPU" -v ok="$M_OK" 'BEGIN {
        ws = (w > 0) ? w : 1e-6;
        ratio = (base != "" && base > 0) ? sprintf("%.2fx", w / base) : "-";
        ratioc = (basec != "" && basec > 0) ? sprintf("%.2fx", c / basec) : "-";
        printf "| %s | %.3f | %.2f | %.0f | %.0f | %.1f | %s | %s |%s", l, w, c, b / 1e6 / ws, n / ws, r / 1024,
            ratio, ratioc, ok ? "" : " FAILED |"
    }')
    TABLE+="$line"$'\n'
    echo "$line"
}
HEAD='| what | wall s | cpu s | MB/s | rows/s | peak RSS MiB | wall vs (a) | cpu vs (a) |
|---|---:|---:|---:|---:|---:|---:|---:|'

# ------------------------------------------------------------------- report header
say "machine"
date
echo "nproc: $(nproc)"
lscpu | head -n 16
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rfscore: $("${RFS[@]}" version 2>&1) ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ', uncommitted changes'))"
if [ -n "$PANDAS_PY" ]; then echo "pandas: $("$PANDAS_PY" -c 'import pandas; print(pandas.__version__)') via $PANDAS_PY"; else echo "pandas: skipped (not installed or --no-pandas)"; fi
if [ "$HAVE_R" = 1 ]; then echo "R: $(Rscript --version 2>&1 | head -1)"; else echo "R: skipped (not installed or --no-r)"; fi
if [ "$HAVE_DUCKDB" = 1 ]; then echo "DuckDB: $(node -e 'console.log(require(process.argv[1]).version)' "$OUT/node_modules/@duckdb/node-api/package.json") (node $(node --version))"; else echo "DuckDB: skipped (no node/npm, or --no-duckdb)"; fi

# ------------------------------------------------------------------- sanity
say "sanity: 1000 rows, every scorer must agree with rfscore to 1e-9"
S=$(gen questionnaire 1000)
read -r crow cfld < <("$OUT/csvcount" "$S")
if [ "$crow" != 1001 ] || [ "$cfld" != $((1001 * 63)) ]; then die "csvcount counted $crow rows, $cfld fields in $S"; fi
"${RFS[@]}" score -q "${INST[@]}" -o "$OUT/sanity_rfscore.csv" "$S"
[ "$(wc -l <"$OUT/sanity_rfscore.csv")" = 1001 ] || die "rfscore wrote $(wc -l <"$OUT/sanity_rfscore.csv") lines for 1001"
echo "csvcount: 1001 rows, $cfld fields; rfscore: 1000 rows out"
SANE=1
if [ -n "$PANDAS_PY" ]; then
    "$PANDAS_PY" bench/score_pandas.py "$S" >"$OUT/sanity_pandas.csv"
    printf 'pandas: '
    python3 bench/agree.py "$OUT/sanity_rfscore.csv" "$OUT/sanity_pandas.csv" || SANE=0
fi
if [ "$HAVE_R" = 1 ]; then
    Rscript bench/score_r.R "$S" >"$OUT/sanity_r.csv"
    printf 'R:      '
    python3 bench/agree.py "$OUT/sanity_rfscore.csv" "$OUT/sanity_r.csv" || SANE=0
fi
if [ "$HAVE_DUCKDB" = 1 ]; then
    node "$OUT/score_duckdb.mjs" "$S" 2 >"$OUT/sanity_duckdb.csv"
    printf 'DuckDB: '
    python3 bench/agree.py "$OUT/sanity_rfscore.csv" "$OUT/sanity_duckdb.csv" || SANE=0
fi
[ "$SANE" = 1 ] || die "the scorers disagree: fix that before timing anything"

# ------------------------------------------------------------------- comparison
F=$(gen questionnaire "$ROWS")
say "comparison: $ROWS rows, $(awk -v b="$(stat -c %s "$F")" 'BEGIN{printf "%.1f MB", b/1e6}'), $(basename "$F"); median of $REPEAT (pandas, R: $REPEAT_SLOW)"
echo "$HEAD"
COMPARE=""
BASE=""; BASE_CPU=""
measure "$F" "$REPEAT" "$OUT/csvcount" "$F"; A_WALL=$M_WALL
row "(a) bare libcsv parse (csvcount)" "$F" "$ROWS"; BASE=$A_WALL; BASE_CPU=$M_CPU; A_CPU=$M_CPU
measure "$F" "$REPEAT" cat "$F"
row "(b) cat > /dev/null" "$F" "$ROWS"
# One thread and two, each named: the default (--threads auto) takes two only when the
# load leaves a core idle, which a benchmark should not leave to chance.
measure "$F" "$REPEAT" "${RFS[@]}" score -q "${T1[@]}" "${INST[@]}" "$F"; C_WALL=$M_WALL; C_RSS=$M_RSS; C_CPU=$M_CPU
row "(c) rfscore, 3 instruments, 1 thread" "$F" "$ROWS"
T_WALL=$C_WALL; T_RSS=$C_RSS; T_CPU=$C_CPU
if [ "$THREADS" = 1 ]; then
    measure "$F" "$REPEAT" "${RFS[@]}" score -q --threads 2 "${INST[@]}" "$F"; T_WALL=$M_WALL; T_RSS=$M_RSS; T_CPU=$M_CPU
    row "(c3) rfscore, 2 threads" "$F" "$ROWS"
fi
if [ "$NO_ID_CHECK" = 1 ]; then
    measure "$F" "$REPEAT" "${RFS[@]}" score -q "${T1[@]}" --no-id-check "${INST[@]}" "$F"; C2_WALL=$M_WALL; C2_CPU=$M_CPU; C2_RSS=$M_RSS
    row "(c2) rfscore --no-id-check, 1 thread" "$F" "$ROWS"
    T2_WALL=$C2_WALL; T2_RSS=$C2_RSS; T2_CPU=$C2_CPU
    if [ "$THREADS" = 1 ]; then
        measure "$F" "$REPEAT" "${RFS[@]}" score -q --threads 2 --no-id-check "${INST[@]}" "$F"; T2_WALL=$M_WALL; T2_CPU=$M_CPU; T2_RSS=$M_RSS
        row "(c4) rfscore --no-id-check, 2 threads" "$F" "$ROWS"
    fi
fi
D_WALL=""; E_WALL=""
if [ -n "$PANDAS_PY" ]; then
    measure "$F" "$REPEAT_SLOW" "$PANDAS_PY" bench/score_pandas.py "$F"; D_WALL=$M_WALL; D_CPU=$M_CPU
    row "(d) pandas $("$PANDAS_PY" -c 'import pandas; print(pandas.__version__)')" "$F" "$ROWS"
else
    echo "| (d) pandas | skipped (not installed, or --no-pandas) |"
fi
if [ "$HAVE_R" = 1 ]; then
    measure "$F" "$REPEAT_SLOW" Rscript bench/score_r.R "$F"; E_WALL=$M_WALL; E_CPU=$M_CPU
    row "(e) R $(Rscript -e 'cat(format(getRversion()))' 2>/dev/null) (read.csv + rowMeans)" "$F" "$ROWS"
else
    echo "| (e) R | skipped (not installed, or --no-r) |"
fi
if [ "$HAVE_DUCKDB" = 1 ]; then
    measure "$F" "$REPEAT_SLOW" node "$OUT/score_duckdb.mjs" "$F" 1
    row "(f) DuckDB, 1 thread (the 7 scores in SQL)" "$F" "$ROWS"
    measure "$F" "$REPEAT_SLOW" node "$OUT/score_duckdb.mjs" "$F" 2
    row "(f2) DuckDB, 2 threads" "$F" "$ROWS"
else
    echo "| (f) DuckDB | skipped (no node/npm, or --no-duckdb) |"
fi
COMPARE=$TABLE

# ------------------------------------------------------------------- instructions
# This VM has no hardware counters: count instructions with cachegrind on a 20,000-row
# file, less the count on a 10-row file (start-up), per row.
CG=""
if [ "$HAVE_CG" = 1 ]; then
    say "instructions per row (valgrind --tool=cachegrind; 20000 rows less 10 rows)"
    cg_ir() { # CMD... -> total instructions executed
        valgrind --tool=cachegrind --trace-children=yes --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
            awk '/I *refs:/ { gsub(",", "", $NF); print $NF }'
    }
    CGF=$(gen questionnaire 20000)
    CG10=$(gen questionnaire 10)
    CG='| what | instructions per row |
|---|---:|'$'\n'
    for variant in "csvcount" "rfscore" "rfscore --no-id-check"; do
        case $variant in
        csvcount) big=$(cg_ir "$OUT/csvcount" "$CGF"); small=$(cg_ir "$OUT/csvcount" "$CG10") ;;
        rfscore) big=$(cg_ir "${RFS[@]}" score -q "${T1[@]}" "${INST[@]}" "$CGF"); small=$(cg_ir "${RFS[@]}" score -q "${T1[@]}" "${INST[@]}" "$CG10") ;;
        *) big=$(cg_ir "${RFS[@]}" score -q "${T1[@]}" --no-id-check "${INST[@]}" "$CGF"); small=$(cg_ir "${RFS[@]}" score -q "${T1[@]}" --no-id-check "${INST[@]}" "$CG10") ;;
        esac
        line=$(awk -v b="$big" -v s="$small" -v l="$variant" 'BEGIN { printf "| %s | %.0f |", l, (b - s) / 19990 }')
        CG+="$line"$'\n'
    done
    printf '%s' "$CG"
fi

# ------------------------------------------------------------------- scaling
say "scaling: wall and peak RSS by rows (median of $REPEAT)"
TABLE=""
echo "$HEAD"
for n in $SCALING; do
    f=$(gen questionnaire "$n")
    BASE=""; BASE_CPU=""
    measure "$f" "$REPEAT" "$OUT/csvcount" "$f"
    row "$n rows: (a) bare parse" "$f" "$n"; BASE=$M_WALL; BASE_CPU=$M_CPU
    measure "$f" "$REPEAT" "${RFS[@]}" score -q "${T1[@]}" "${INST[@]}" "$f"
    row "$n rows: (c) rfscore" "$f" "$n"
    if [ "$NO_ID_CHECK" = 1 ]; then
        measure "$f" "$REPEAT" "${RFS[@]}" score -q "${T1[@]}" --no-id-check "${INST[@]}" "$f"
        row "$n rows: (c2) rfscore --no-id-check" "$f" "$n"
    fi
done
SCALE=$TABLE

# ------------------------------------------------------------------- wide
W=$(gen wide "$WIDE_ROWS")
say "wide: $WIDE_ROWS rows x 500 items ($(awk -v b="$(stat -c %s "$W")" 'BEGIN{printf "%.1f MB", b/1e6}')), 10 scales of 50 (bench/out/wide500.ini)"
TABLE=""
BASE=""; BASE_CPU=""
echo "$HEAD"
measure "$W" "$REPEAT" "$OUT/csvcount" "$W"
row "(a) bare libcsv parse" "$W" "$WIDE_ROWS"; BASE=$M_WALL; BASE_CPU=$M_CPU
measure "$W" "$REPEAT" cat "$W"
row "(b) cat > /dev/null" "$W" "$WIDE_ROWS"
measure "$W" "$REPEAT" "${RFS[@]}" score -q "${T1[@]}" -i "$OUT/wide500.ini" "$W"
row "(c) rfscore, 500 items" "$W" "$WIDE_ROWS"
if [ "$NO_ID_CHECK" = 1 ]; then
    measure "$W" "$REPEAT" "${RFS[@]}" score -q "${T1[@]}" --no-id-check -i "$OUT/wide500.ini" "$W"
    row "(c2) rfscore --no-id-check" "$W" "$WIDE_ROWS"
fi
WIDE=$TABLE

# ------------------------------------------------------------------- start-up
T=$(gen questionnaire 10)
say "start-up: 10-row file, median of $STARTUP_RUNS runs"
STARTUP=""
SHEAD='| what | median ms | mean ms | cpu ms (user+sys, mean) |
|---|---:|---:|---:|'
startup() { # LABEL CMD... -> prints and appends a row of $SHEAD; sets LAST_MED
    local label=$1 med mean cpu="-" line
    shift
    LAST_MED=""
    if [ "$HAVE_HF" = 1 ]; then
        if ! hyperfine -N --warmup 20 --runs "$STARTUP_RUNS" --style none --output null \
            --export-json "$OUT/hf.json" -- "$(printf '%q ' "$@")" >/dev/null 2>&1; then
            echo "| $label | failed | | |"
            return
        fi
        read -r med mean cpu < <(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(r["median"] * 1e3, r["mean"] * 1e3, (r["user"] + r["system"]) * 1e3)' "$OUT/hf.json")
    else
        local i t0 t1 ts=()
        for ((i = 0; i < STARTUP_RUNS; i++)); do
            t0=$EPOCHREALTIME
            "$@" >/dev/null 2>&1 || { echo "| $label | failed | | |"; return; }
            t1=$EPOCHREALTIME
            ts+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{print (b-a)*1e3}')")
        done
        med=$(printf '%s\n' "${ts[@]}" | median)
        mean=$(printf '%s\n' "${ts[@]}" | awk '{s += $1} END {print s / NR}')
    fi
    line=$(awk -v l="$label" -v m="$med" -v a="$mean" -v c="$cpu" \
        'BEGIN {printf "| %s | %.2f | %.2f | %s |", l, m, a, (c == "-") ? c : sprintf("%.2f", c)}')
    STARTUP+="$line"$'\n'
    echo "$line"
    LAST_MED=$med
}
if [ "$HAVE_HF" = 1 ]; then echo "(timer: hyperfine -N --warmup 20)"; else echo "(timer: a bash loop around fork+exec)"; fi
echo "$SHEAD"
startup "/bin/true (the machine's process start-up floor)" /bin/true
startup "(a) csvcount" "$OUT/csvcount" "$T"
startup "(c) rfscore, 3 instruments (the program)" "${RFS[@]}" score -q "${INST[@]}" "$T"
RFS_START=$LAST_MED
startup "(c) ./rfscore (libtool wrapper script, build tree only)" ./rfscore score -q "${INST[@]}" "$T"

# ------------------------------------------------------------------- targets
say "targets ($ROWS-row comparison: wall-time ratios, CPU-time ratios in parentheses)"
ratio_line() { # WHAT NUM_WALL NUM_CPU DEN_WALL DEN_CPU LIMIT OP
    awk -v w="$1" -v nw="$2" -v nc="$3" -v dw="$4" -v dc="$5" -v lim="$6" -v op="$7" 'BEGIN {
        rw = nw / dw; rc = (dc > 0) ? sprintf("%.2fx", nc / dc) : "n/a"
        ok = (op == "le") ? (rw <= lim) : (rw >= lim)
        printf "%s: %.2fx (cpu %s), target %s %sx: %s\n", w, rw, rc, (op == "le") ? "<=" : ">=", lim, ok ? "met" : "MISSED" }'
}
# Issue 15's targets: at most 0.6x a bare libcsv parse (0.45x with --no-id-check), with
# the default options, which on an idle machine are two threads; two threads at least
# 1.4x faster than one; and peak RSS no higher than before the issue: rfscore at c8fde5d,
# on this machine, 1e6 rows, 10,364 KiB default and 5,636 KiB with --no-id-check
# (RSS_BEFORE, RSS2_BEFORE). The wall time of two threads counts only with a core idle:
# say the load.
echo "load average at the targets: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
ratio_line "rfscore, 2 threads / bare parse" "$T_WALL" "$T_CPU" "$A_WALL" "$A_CPU" 0.6 le
ratio_line "rfscore, 1 thread / bare parse (for the record)" "$C_WALL" "$C_CPU" "$A_WALL" "$A_CPU" 0.6 le
if [ "$NO_ID_CHECK" = 1 ]; then
    ratio_line "rfscore --no-id-check, 2 threads / bare parse" "$T2_WALL" "$T2_CPU" "$A_WALL" "$A_CPU" 0.45 le
    ratio_line "rfscore --no-id-check, 1 thread / bare parse (for the record)" "$C2_WALL" "$C2_CPU" "$A_WALL" "$A_CPU" 0.45 le
fi
rss_line() { # WHAT KIB BEFORE_KIB
    awk -v w="$1" -v r="$2" -v b="$3" 'BEGIN { printf "%s peak RSS: %.1f MiB, target <= %.1f MiB (before): %s\n", w, r / 1024, b / 1024, (r <= b) ? "met" : "MISSED" }'
}
rss_line "rfscore, 1 thread" "$C_RSS" "${RSS_BEFORE:-10364}"
rss_line "rfscore, 2 threads" "$T_RSS" "${RSS_BEFORE:-10364}"
if [ "$NO_ID_CHECK" = 1 ]; then
    rss_line "rfscore --no-id-check, 1 thread" "$C2_RSS" "${RSS2_BEFORE:-5636}"
    rss_line "rfscore --no-id-check, 2 threads" "$T2_RSS" "${RSS2_BEFORE:-5636}"
fi
# wall-time ratio: the CPU one is the threads' overhead
if [ "$THREADS" = 1 ]; then
    ratio_line "two threads: 1 thread / 2 threads (times faster)" "$C_WALL" "$C_CPU" "$T_WALL" "$T_CPU" 1.4 ge
    [ "$NO_ID_CHECK" = 1 ] && ratio_line "two threads, --no-id-check: 1 thread / 2 threads" "$C2_WALL" "$C2_CPU" "$T2_WALL" "$T2_CPU" 1.4 ge
else
    echo "two threads: not in this build; target >= 1.4x faster than one: MISSED"
fi
[ -n "$D_WALL" ] && ratio_line "pandas / rfscore (times faster)" "$D_WALL" "$D_CPU" "$C_WALL" "$C_CPU" 25 ge
[ -n "$E_WALL" ] && ratio_line "R / rfscore (times faster)" "$E_WALL" "$E_CPU" "$C_WALL" "$C_CPU" 25 ge
if [ -n "$RFS_START" ]; then
    awk -v s="$RFS_START" 'BEGIN { printf "start-up median: %.2f ms, target < 5 ms: %s\n", s, (s < 5) ? "met" : "MISSED" }'
else
    echo "start-up: the measurement failed"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

{
    echo "## Comparison ($ROWS rows)"; echo; echo "$HEAD"; printf '%s' "$COMPARE"; echo
    echo "## Scaling"; echo; echo "$HEAD"; printf '%s' "$SCALE"; echo
    echo "## Wide ($WIDE_ROWS rows x 500 items)"; echo; echo "$HEAD"; printf '%s' "$WIDE"; echo
    echo "## Start-up (10 rows)"; echo; echo "$SHEAD"; printf '%s' "$STARTUP"
    [ -n "$CG" ] && { echo; echo "## Instructions per row"; echo; printf '%s' "$CG"; }
} >"$OUT/results.md"
echo "tables also in bench/out/results.md"
