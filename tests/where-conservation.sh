#!/bin/sh
# Property test for --where: no row is lost or invented by the filters.
#
# A python3 script with a fixed seed writes a few hundred CSV files for instruments/rfq8.ini
# with filter columns (status, finished, a free-text note with commas, quotes, newlines and
# padding) and repeated ids, and picks one to three random filters (COL=VALUE, COL!=VALUE,
# values with padding, empty values). Each file is scored twice (one in five through
# standard input):
#   - with --id none: exit 0; rows written + rows_excluded = rows_read = the input's
#     records (Python's csv module; blank lines are not records); and the row numbers
#     written are exactly the records whose cells, trimmed of spaces and tabs, meet every
#     filter, as Python decides it, in input order;
#   - with --id id: the ids written are those records' ids in order, and an id flagged
#     duplicate_id:N occurs N times among the kept records (excluded rows are not in the
#     duplicate check), and every id kept more than once is flagged.
# Exits 1 on any violation, 77 (skip) without python3. WHERECONS_N sets the number of
# files (default 80; 20 under valgrind), WHERECONS_SEED the seed.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "where-conservation: python3 not found, skipped"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export tmp
LIBTOOL_EXEC=
[ -n "${VALGRIND:-}" ] && [ -x "$top_builddir/libtool" ] && LIBTOOL_EXEC="$top_builddir/libtool --mode=execute"
export LIBTOOL_EXEC
RFSCORE="$top_builddir/rfscore" INSTRUMENT="$top_srcdir/instruments/rfq8.ini" \
    exec python3 - <<'PYEOF'
import csv, io, json, os, random, shlex, subprocess, sys

tmp = os.environ["tmp"]
rfscore = os.environ["RFSCORE"]
instrument = os.environ["INSTRUMENT"]
valgrind = shlex.split(os.environ.get("VALGRIND", ""))
if valgrind:
    valgrind = shlex.split(os.environ.get("LIBTOOL_EXEC", "")) + valgrind
n_files = int(os.environ.get("WHERECONS_N", "20" if valgrind else "80"))
seed = int(os.environ.get("WHERECONS_SEED", "20261201"))
rng = random.Random(seed)

ITEMS = ["rfq8_%d" % i for i in range(1, 9)]
CELLS = ["1", "2", "4", "7", "", "NA", "9", "x", " 3 "]
STATUS = ["0", "1", "2", " 1", "1 ", "", "Survey Preview", "IP Address"]
FINISHED = ["0", "1", "1", "1", "TRUE", "true", ""]
NOTES = ["a", "b", "a, b", 'say "hi"', "two\nlines", "  a  ", "", "\t b"]
VALUES = {"status": ["0", "1", " 1 ", "", "Survey Preview", "2"],
          "finished": ["1", "0", "TRUE", ""],
          "note": ["a", "b", "a, b", 'say "hi"', "two\nlines", ""]}


def quote(v):
    if any(c in v for c in ',"\n\r') or v != v.strip(" \t"):
        return '"' + v.replace('"', '""') + '"'
    return v


def make():
    names = ["id", "status", "finished", "note"] + ITEMS
    if rng.random() < 0.3:
        rng.shuffle(names)
    rows = []
    for _ in range(rng.randrange(0, 50)):
        r = {"id": "p%d" % rng.randrange(15), "status": rng.choice(STATUS),
             "finished": rng.choice(FINISHED), "note": rng.choice(NOTES)}
        for it in ITEMS:
            r[it] = rng.choice(CELLS)
        rows.append(r)
    eol = rng.choice(["\n", "\r\n"])
    text = ",".join(names) + eol + "".join(",".join(quote(r[n]) for n in names) + eol for r in rows)
    return text.encode(), names


def filters():
    out = []
    for _ in range(rng.randrange(1, 4)):
        col = rng.choice(list(VALUES))
        val = rng.choice(VALUES[col])
        op = rng.choice(["=", "!="])
        pad = rng.choice(["", " "])
        if "\n" in val:          # not expressible on one line of argv here
            val = "b"
        out.append((col, op, val, pad + col + pad + op + pad + val))
    return out


def records(data):
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    return [r for r in rows if r and not (len(r) == 1 and r[0].strip(" \t") == "")]


def passes(rec, names, flist):
    for col, op, val, _ in flist:
        cell = rec[names.index(col)].strip(" \t")
        if (cell == val.strip(" \t")) != (op == "="):
            return False
    return True


def run(args, src, use_stdin):
    cmd = valgrind + [rfscore, "score", "-q", "-i", instrument] + args + ["-o", os.path.join(tmp, "out.csv"),
                                                                         "--summary", os.path.join(tmp, "sum.json"),
                                                                         "-" if use_stdin else src]
    with open(src, "rb") as f:
        p = subprocess.run(cmd, stdin=f if use_stdin else subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    if p.returncode != 0:
        return p.returncode, p.stderr.decode(errors="replace"), None, None
    with open(os.path.join(tmp, "out.csv"), newline="") as f:
        out = list(csv.reader(f))
    with open(os.path.join(tmp, "sum.json")) as f:
        summary = json.load(f)
    return 0, "", out, summary


violations = 0
kept_total = excluded_total = 0
for k in range(n_files):
    data, names = make()
    flist = filters()
    src = os.path.join(tmp, "in.csv")
    with open(src, "wb") as f:
        f.write(data)
    recs = records(data)[1:]
    keep = [i for i, r in enumerate(recs) if passes(r, names, flist)]
    wargs = []
    for _, _, _, text in flist:
        wargs += ["--where", text]
    problems = []
    use_stdin = rng.random() < 0.2
    rc, err, out, summary = run(["--id", "none"] + wargs, src, use_stdin)
    if rc:
        problems.append("--id none: exit %d: %s" % (rc, err.strip()[:300]))
    else:
        rows = [int(r[0]) for r in out[1:]]
        if summary["rows_read"] != len(recs):
            problems.append("rows_read %d, records %d" % (summary["rows_read"], len(recs)))
        if summary["rows_written"] + summary["rows_excluded"] != summary["rows_read"]:
            problems.append("written %d + excluded %d != read %d" % (summary["rows_written"],
                            summary["rows_excluded"], summary["rows_read"]))
        if len(rows) != summary["rows_written"]:
            problems.append("%d rows in the output, summary says %d" % (len(rows), summary["rows_written"]))
        if rows != [i + 1 for i in keep]:
            problems.append("rows written %s, expected %s" % (rows, [i + 1 for i in keep]))
        if summary["filters"] != [t for _, _, _, t in flist]:
            problems.append("filters %s" % summary["filters"])
        kept_total += len(rows)
        excluded_total += summary["rows_excluded"]
    rc, err, out, summary = run(["--id", "id"] + wargs, src, use_stdin)
    if rc:
        problems.append("--id id: exit %d: %s" % (rc, err.strip()[:300]))
    else:
        ids = [recs[i][names.index("id")] for i in keep]
        got = [r[0] for r in out[1:]]
        if got != ids:
            problems.append("ids written %s, expected %s" % (got, ids))
        flags = out[0].index("rfq8_flags")
        for r in out[1:]:
            n = ids.count(r[0])
            want = "duplicate_id:%d" % n if n > 1 else None
            have = [f for f in r[flags].split(";") if f.startswith("duplicate_id")]
            if (want and have != [want]) or (not want and have):
                problems.append("id %s kept %d times, flags %r" % (r[0], n, r[flags]))
                break
    if problems:
        violations += 1
        print("FAIL file %d (seed %d, filters %s%s): %s" % (k, seed, [t for *_, t in flist],
              ", stdin" if use_stdin else "", "; ".join(problems)))

print("where-conservation: %d files, %d rows kept, %d excluded, %d violations"
      % (n_files, kept_total, excluded_total, violations))
sys.exit(1 if violations else 0)
PYEOF
