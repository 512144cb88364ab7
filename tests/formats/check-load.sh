#!/bin/sh
# Do rfscore's CSV and TSV outputs load with the right column types in R and pandas,
# with every reader's default arguments (no colClasses, dtype, na_values, sep, ...)?
#
# Scores tests/formats/load-input.csv (text ids, a kept text column with a comma, quotes
# and a newline, missing scores, invalid answers, an empty row) to CSV and TSV, then:
#   R       read.csv (CSV) and read.delim (TSV), if Rscript is installed;
#   pandas  read_csv (CSV) and read_table (TSV), if a python3 can import pandas
#           ($PYTHON, python3, then /usr/bin/python3 are tried);
# and checks: the first column is named id; every row is there; ids and kept
# text are character/object and read back exactly; each scale score is numeric and is
# NA/NaN exactly where its status is not "ok"; _n, _longstring and _valid are integers
# (_valid 0/1); _irv is numeric; _status and _flags are character/object.
# Exit 0 pass, 1 fail, 77 skip (neither R nor pandas), 99 setup error.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
bin="$top_builddir/rfscore"
input="$top_srcdir/tests/formats/load-input.csv"
rows=6
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# shellcheck disable=SC2086
$VALGRIND "$bin" score -q -I "$top_srcdir/instruments" -i rfq8 --keep group -o "$tmp/scores.csv" "$input" ||
    { echo "FAIL: rfscore score (csv) exited $?"; exit 1; }
# shellcheck disable=SC2086
$VALGRIND "$bin" score -q -I "$top_srcdir/instruments" -i rfq8 --keep group --format tsv -o "$tmp/scores.tsv" "$input" ||
    { echo "FAIL: rfscore score (tsv) exited $?"; exit 1; }

ran=0
fail=0

if command -v Rscript >/dev/null 2>&1; then
    cat >"$tmp/check.R" <<'EOF'
args <- commandArgs(trailingOnly = TRUE)
rows <- as.integer(args[1])
fail <- 0
chk <- function(ok, what, msg) {
    if (!isTRUE(ok)) {
        cat("FAIL R ", what, ": ", msg, "\n", sep = "")
        fail <<- fail + 1
    }
}
for (f in args[-1]) {
    tsv <- grepl("\\.tsv$", f)
    what <- if (tsv) "read.delim" else "read.csv"
    d <- if (tsv) read.delim(f) else read.csv(f)
    chk(identical(names(d)[1], "id"), what, paste("first column is", names(d)[1]))
    chk(nrow(d) == rows, what, paste(nrow(d), "rows, expected", rows))
    chk(is.character(d$id), what, paste("id is", class(d$id)))
    chk(identical(d$id, sprintf("s%02d", 1:rows)), what, "ids differ")
    chk(is.character(d$group), what, paste("group is", class(d$group)))
    chk(identical(d$group[1:3], c("control, wave 1", "said \"maybe\"", "two\nlines")), what,
        "kept text did not read back as written")
    statuses <- grep("_status$", names(d), value = TRUE)
    chk(length(statuses) > 0, what, "no _status columns")
    for (s in statuses) {
        sc <- sub("_status$", "", s)
        n <- paste0(sc, "_n")
        chk(is.character(d[[s]]), what, paste(s, "is", class(d[[s]])))
        chk(is.numeric(d[[sc]]), what, paste(sc, "is", class(d[[sc]])))
        chk(identical(is.na(d[[sc]]), d[[s]] != "ok"), what, paste(sc, "is not NA exactly where", s, "is not ok"))
        if (n %in% names(d))
            chk(is.integer(d[[n]]) && !anyNA(d[[n]]), what, paste(n, "is", class(d[[n]])))
    }
    chk(any(is.na(d$rfq8_c)), what, "the test data should leave a score empty")
    for (v in grep("_valid$", names(d), value = TRUE))
        chk(is.integer(d[[v]]) && all(d[[v]] %in% 0:1), what, paste(v, "is", class(d[[v]]), "or not 0/1"))
    for (v in grep("_longstring$", names(d), value = TRUE))
        chk(is.integer(d[[v]]) && !anyNA(d[[v]]), what, paste(v, "is", class(d[[v]])))
    for (v in grep("_irv$", names(d), value = TRUE))
        chk(is.numeric(d[[v]]), what, paste(v, "is", class(d[[v]])))
    for (v in grep("_flags$", names(d), value = TRUE))
        chk(is.character(d[[v]]) && !anyNA(d[[v]]), what, paste(v, "is", class(d[[v]])))
}
if (fail == 0) cat("ok   R ", R.version$major, ".", R.version$minor, ": read.csv and read.delim\n", sep = "")
quit(status = if (fail) 1 else 0)
EOF
    ran=$((ran + 1))
    Rscript --vanilla "$tmp/check.R" "$rows" "$tmp/scores.csv" "$tmp/scores.tsv" || fail=$((fail + 1))
else
    echo "skip R: no Rscript"
fi

python=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
    if "$p" -c 'import pandas' >/dev/null 2>&1; then
        python=$p
        break
    fi
done
if [ -n "$python" ]; then
    cat >"$tmp/check.py" <<'EOF'
import sys
import pandas as pd

rows = int(sys.argv[1])
fail = 0


def chk(ok, what, msg):
    global fail
    if not ok:
        print("FAIL pandas %s: %s" % (what, msg))
        fail += 1


def is_text(col):
    return col.dtype == object and all(isinstance(v, str) for v in col)


for f in sys.argv[2:]:
    tsv = f.endswith(".tsv")
    what = "read_table" if tsv else "read_csv"
    d = pd.read_table(f) if tsv else pd.read_csv(f)
    cols = list(d.columns)
    chk(cols[0] == "id", what, "first column is %r" % cols[0])
    chk(len(d) == rows, what, "%d rows, expected %d" % (len(d), rows))
    chk(is_text(d["id"]), what, "id is %s" % d["id"].dtype)
    chk(list(d["id"]) == ["s%02d" % i for i in range(1, rows + 1)], what, "ids differ")
    chk(is_text(d["group"]), what, "group is %s" % d["group"].dtype)
    chk(list(d["group"][:3]) == ["control, wave 1", 'said "maybe"', "two\nlines"], what,
        "kept text did not read back as written")
    statuses = [c for c in cols if c.endswith("_status")]
    chk(statuses, what, "no _status columns")
    for s in statuses:
        sc = s[: -len("_status")]
        chk(is_text(d[s]), what, "%s is %s" % (s, d[s].dtype))
        chk(d[sc].dtype.kind in "fi", what, "%s is %s" % (sc, d[sc].dtype))
        chk(list(d[sc].isna()) == list(d[s] != "ok"), what, "%s is not NaN exactly where %s is not ok" % (sc, s))
        if sc + "_n" in cols:
            chk(d[sc + "_n"].dtype.kind == "i", what, "%s_n is %s" % (sc, d[sc + "_n"].dtype))
    chk(d["rfq8_c"].isna().any(), what, "the test data should leave a score empty")
    for c in cols:
        if c.endswith("_valid"):
            chk(d[c].dtype.kind == "i" and set(d[c]) <= {0, 1}, what, "%s is %s or not 0/1" % (c, d[c].dtype))
        elif c.endswith("_longstring"):
            chk(d[c].dtype.kind == "i", what, "%s is %s" % (c, d[c].dtype))
        elif c.endswith("_irv"):
            chk(d[c].dtype.kind == "f", what, "%s is %s" % (c, d[c].dtype))
        elif c.endswith("_flags"):
            # an empty flags cell reads as NaN in an object column: that is pandas' way
            chk(d[c].dtype == object and all(isinstance(v, str) for v in d[c].dropna()), what,
                "%s is %s" % (c, d[c].dtype))
if not fail:
    print("ok   pandas %s: read_csv and read_table" % pd.__version__)
sys.exit(1 if fail else 0)
EOF
    ran=$((ran + 1))
    "$python" "$tmp/check.py" "$rows" "$tmp/scores.csv" "$tmp/scores.tsv" || fail=$((fail + 1))
else
    echo "skip pandas: no python3 that can import pandas"
fi

if [ "$ran" -eq 0 ]; then
    echo "SKIP: neither Rscript nor pandas is available"
    exit 77
fi
[ "$fail" -eq 0 ]
