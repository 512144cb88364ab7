#!/bin/sh
# The warnings that catch a wrong key (docs/validity.md, "Run warnings"): range_unused and
# item_total_negative, on synthetic data whose truth is known, and never on clean data.
#
# A python3 script with a fixed seed writes ECR-R data (instruments/ecrr.ini: anxiety
# 1-18, reverse 9, 11; avoidance 19-36, reverse 20, 22, 26-31, 33-36) from a per-scale
# tendency t plus a step of -2..+2, reverse-keyed items answered the other way round:
#   five.csv: a 5-point version (answers 1..5, reversed as 6 - x), 60 rows: scored with
#     the 7-point key, it must give range_unused for ecrr naming 1..5 and 1..7, and no
#     item_total_negative (every item is keyed consistently);
#   swapped.csv: the 7-point scale, 200 rows, with the columns of items 9 (reversed) and
#     10 (not) swapped in the file: item_total_negative for scale anxiety naming exactly
#     ecrr_9 and ecrr_10, no range_unused;
#   few.csv: swapped.csv's first 29 rows: below the 30 rows either warning needs: none.
# Clean files, where neither code may appear: examples/data/rfq8_sample.csv,
# tests/report/rfq8.csv and ecrr.csv (simulated in R), and the benchmark data of
# bench/gen.c (questionnaire 3000 rows for rfq8, prfq, ecrr; wide 300 rows).
# Every run goes through --summary JSON. Exit 1 on a violation, 77 without python3.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "check-trust: python3 not found, skipped"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
gen="$top_builddir/bench/gen"
[ -x "$gen" ] || { echo "check-trust: $gen not built"; exit 99; }
"$gen" questionnaire 3000 >"$tmp/bench.csv" && "$gen" wide 300 >"$tmp/wide.csv" && "$gen" wide-ini >"$tmp/wide.ini" ||
    exit 99
export tmp top_srcdir
RFSCORE="$top_builddir/rfscore" exec python3 - <<'PYEOF'
import json, os, random, shlex, subprocess, sys

tmp, top = os.environ["tmp"], os.environ["top_srcdir"]
rfscore = os.environ["RFSCORE"]
valgrind = shlex.split(os.environ.get("VALGRIND", ""))
rng = random.Random(20261201)
REV = {9, 11, 20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36}


def ecrr(rows, points, swap=None):
    names = ["ecrr_%d" % i for i in range(1, 37)]
    if swap:
        a, b = swap
        names[a - 1], names[b - 1] = names[b - 1], names[a - 1]
    lines = ["id," + ",".join(names)]
    for r in range(rows):
        t = {1: rng.randint(1, points), 2: rng.randint(1, points)}
        cells = []
        for i in range(1, 37):
            v = min(points, max(1, t[1 if i <= 18 else 2] + rng.randint(-2, 2)))
            cells.append(str(points + 1 - v if i in REV else v))
        lines.append("p%d," % (r + 1) + ",".join(cells))
    return "\n".join(lines) + "\n"


def write(name, text):
    with open(os.path.join(tmp, name), "w") as f:
        f.write(text)
    return os.path.join(tmp, name)


def warnings(args, path):
    summary = os.path.join(tmp, "summary.json")
    cmd = valgrind + [rfscore, "score", "-q", "-I", top + "/instruments"] + args + ["-o", os.devnull,
                                                                                  "--summary", summary, path]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        return None, p.stderr.decode(errors="replace")
    s = json.load(open(summary))
    found = []
    for inst in s["instruments"]:
        for w in inst.get("warnings", []):
            if w["code"] in ("range_unused", "item_total_negative"):
                found.append(dict(w, instrument=inst["id"]))
    return found, ""


bad = []
five = write("five.csv", ecrr(60, 5))
swapped_text = ecrr(200, 7, swap=(9, 10))
swapped = write("swapped.csv", swapped_text)
few = write("few.csv", "\n".join(swapped_text.split("\n")[:30]) + "\n")

w, err = warnings(["-i", "ecrr"], five)
if w is None:
    bad.append("five.csv: " + err)
elif [x["code"] for x in w] != ["range_unused"] or (w[0]["seen_min"], w[0]["seen_max"], w[0]["key_min"],
                                                    w[0]["key_max"], w[0]["rows"]) != (1, 5, 1, 7, 60) \
        or "1..5" not in w[0]["message"] or "1..7" not in w[0]["message"]:
    bad.append("five.csv: %s" % w)

w, err = warnings(["-i", "ecrr"], swapped)
if w is None:
    bad.append("swapped.csv: " + err)
elif [x["code"] for x in w] != ["item_total_negative"] or w[0]["scale"] != "anxiety" \
        or w[0]["items"] != ["ecrr_9", "ecrr_10"] or w[0]["rows"] != 200 or not all(r < 0 for r in w[0]["r_drop"]):
    bad.append("swapped.csv: %s" % w)

w, err = warnings(["-i", "ecrr"], few)
if w != []:
    bad.append("few.csv (29 rows): %s %s" % (w, err))

clean = [(["-i", "rfq8", "--keep", "group"], top + "/examples/data/rfq8_sample.csv"),
         (["-i", "rfq8"], top + "/tests/report/rfq8.csv"),
         (["-i", "ecrr"], top + "/tests/report/ecrr.csv"),
         (["-i", "rfq8", "-i", "prfq", "-i", "ecrr"], os.path.join(tmp, "bench.csv")),
         (["-i", os.path.join(tmp, "wide.ini")], os.path.join(tmp, "wide.csv"))]
for args, path in clean:
    w, err = warnings(args, path)
    if w != []:
        bad.append("clean %s: %s %s" % (os.path.basename(path), w, err))

for b in bad:
    print("check-trust: FAIL " + b)
print("check-trust: %d synthetic and %d clean files, %d problems" % (3, len(clean), len(bad)))
sys.exit(1 if bad else 0)
PYEOF
