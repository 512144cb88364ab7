#!/bin/sh
# report --by COLUMN: one report per value of a column, never pooled. tests/report/waves.csv
# holds two waves of RFQ-8 for two people (the key is id and wave). By hand, from the key in
# instruments/rfq8.ini (c = mean of items 1-6 recoded 1->3 2->2 3->1 4..7->0; u = mean of
# 2,4,5,6,7,8 recoded 1..4->0 5->1 6->2 7->3, item 7 reversed first):
#   baseline: p1 all 1 (c 3, u 0.5), p2 all 2 (c 2, u 1/3):  c mean 2.5, u mean 5/12
#   m6:       p1 all 7 (c 0, u 2.5), p2 all 4 (c 0, u 0):    c mean 0,   u mean 1.25
# Pooled, c would be 1.25 over 4 rows. Checks: the JSON groups in order of first appearance
# with those rows and means; the text report has one section per wave, in that order; the
# HTML report is one page with one heading per wave; --where leaves one group.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
command -v python3 >/dev/null 2>&1 || { echo "check-by: python3 not found, skipped"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
run() {
    # shellcheck disable=SC2086
    $VALGRIND "$top_builddir/rfscore" report -q -I "$top_srcdir/instruments" -i rfq8 --id id,wave --by wave "$@" \
        "$top_srcdir/tests/report/waves.csv"
}
run --format json >"$tmp/r.json" || { echo "check-by: report --format json failed"; exit 1; }
run >"$tmp/r.txt" || { echo "check-by: report failed"; exit 1; }
run --format html >"$tmp/r.html" || { echo "check-by: report --format html failed"; exit 1; }
run --format json --where 'wave!=baseline' >"$tmp/w.json" || { echo "check-by: report --where failed"; exit 1; }
exec python3 - "$tmp" <<'PYEOF'
import json, sys

tmp = sys.argv[1]
bad = []
r = json.load(open(tmp + "/r.json"))
want = [("baseline", 2.5, 5 / 12), ("m6", 0.0, 1.25)]
if r.get("by") != "wave" or [g["value"] for g in r["groups"]] != [w[0] for w in want]:
    bad.append("groups: %s" % [(g["value"]) for g in r.get("groups", [])])
else:
    for g, (value, c, u) in zip(r["groups"], want):
        inst = g["report"]["instruments"][0]
        scores = {s["id"]: s["describe"] for s in inst["scores"]}
        if inst["rows"] != 2 or scores["c"]["n"] != 2 or abs(scores["c"]["mean"] - c) > 1e-12 \
                or abs(scores["u"]["mean"] - u) > 1e-12:
            bad.append("%s: rows %s, c %s, u %s" % (value, inst["rows"], scores["c"], scores["u"]))
text = open(tmp + "/r.txt").read()
a, b = text.find(": wave = baseline\n"), text.find(": wave = m6\n")
if not (0 <= a < b) or text.count("rfscore report: ") != 2:
    bad.append("text sections: %d headings" % text.count("rfscore report: "))
html = open(tmp + "/r.html").read()
if html.count("<html") != 1 or html.count("</html>") != 1 or html.count("<body>") != 1 \
        or html.count("<h1>") != 2 or "wave = baseline" not in html or "wave = m6" not in html:
    bad.append("html: %d pages, %d h1" % (html.count("<html"), html.count("<h1>")))
w = json.load(open(tmp + "/w.json"))
if [g["value"] for g in w["groups"]] != ["m6"]:
    bad.append("--where wave!=baseline: groups %s" % [g["value"] for g in w["groups"]])
for b_ in bad:
    print("check-by: FAIL " + b_)
print("check-by: %d problems" % len(bad))
sys.exit(1 if bad else 0)
PYEOF
