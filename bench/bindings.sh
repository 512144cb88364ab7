#!/bin/sh
# Speed and memory of the R and Python packages against the command on the same data
# (bench/bindings.md). Scores ROWS generated rows (default 1e6) with rfq8, prfq and ecrr:
# the command on the file; score() on a data frame already in memory (read.csv /
# pandas.read_csv, not timed). Memory: the process's peak RSS during score() above its
# RSS before (the data frame is already in memory), from /proc/self/status after
# resetting the peak through /proc/self/clear_refs.
#
#   bench/bindings.sh RLIB PYLIB [ROWS]     RLIB: an R library holding rfscore, PYLIB: a
#                                           directory holding the rfscore Python package
# The command is rfscore on PATH (or $RFSCORE_CMD); instruments from its install.
set -eu
rlib=$1 pylib=$2 rows=${3:-1000000}
cmd=${RFSCORE_CMD:-rfscore}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rfscore-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cc -O2 -o "$tmp/gen" bench/gen.c
"$tmp/gen" questionnaire "$rows" 42 >"$tmp/data.csv"
python=/usr/bin/python3
for p in ${PYTHON:-} python3 /usr/bin/python3; do
    "$p" -c 'import pandas' 2>/dev/null && { python=$p; break; }
done
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $rows rows, $(head -1 "$tmp/data.csv" | tr ',' '\n' | wc -l) columns, $(du -m "$tmp/data.csv" | cut -f1) MB"
for run in 1 2 3; do
    /usr/bin/time -f "command: %e s wall, %U+%S s CPU, %M KiB peak RSS" "$cmd" score -q -i rfq8 -i prfq -i ecrr "$tmp/data.csv" >/dev/null
done 2>&1
R_LIBS=$rlib Rscript -e '
  suppressPackageStartupMessages(library(rfscore))
  rss <- function(key) as.numeric(sub("[^0-9]*([0-9]+).*", "\\1", grep(key, readLines("/proc/self/status"), value = TRUE)))
  d <- read.csv(commandArgs(TRUE)[1])
  cat(sprintf("R data frame: %.0f MiB\n", object.size(d) / 2^20))
  for (run in 1:3) {
    g0 <- gc(reset = TRUE); before <- rss("^VmRSS"); writeLines("5", "/proc/self/clear_refs")
    t <- system.time(s <- score(d, c("rfq8", "prfq", "ecrr"), quiet = TRUE))
    g1 <- gc()
    cat(sprintf("R score(): %.2f s wall, %.2f s CPU, result %.0f MiB, R heap peak above the data frame %.0f MiB, RSS peak above %.0f MiB\n",
                t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], object.size(s) / 2^20,
                sum(g1[, 6]) - sum(g0[, 2]), (rss("^VmHWM") - before) / 1024))
    rm(s)
  }' "$tmp/data.csv"
PYTHONPATH=$pylib "$python" - "$tmp/data.csv" <<'EOF'
import gc, sys, time
import pandas as pd, rfscore

def kib(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])

d = pd.read_csv(sys.argv[1])
print("pandas data frame: %.0f MiB" % (d.memory_usage(deep=True).sum() / 2**20))
for run in range(3):
    gc.collect()
    before = kib("VmRSS")
    open("/proc/self/clear_refs", "w").write("5")
    t, c = time.perf_counter(), time.process_time()
    s = rfscore.score(d, ["rfq8", "prfq", "ecrr"], warn=False)
    t, c = time.perf_counter() - t, time.process_time() - c
    print("Python score(): %.2f s wall, %.2f s CPU, result %.0f MiB, RSS peak above the data frame %.0f MiB"
          % (t, c, s.memory_usage(deep=True).sum() / 2**20, (kib("VmHWM") - before) / 1024))
    del s
EOF
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
