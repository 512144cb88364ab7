#!/usr/bin/env python3
"""Agreement check for bench/run.sh (standard library only).

    agree.py RFSCORE_OUT OTHER_OUT

Compares, row by row and in order, every score column of OTHER_OUT (all columns but
`id`) with the column of the same name in rfscore's output. A score agrees when both are
empty (not scored) or both are numbers within 1e-9. Also checks that rfscore printed each
of those numbers in the shortest form that reads back exactly (docs/output.md: Python's
repr without a trailing ".0"). Prints one summary line; exits 1 on any disagreement
(first few shown), on a different row count or on different ids.
"""
import csv
import sys

TOL = 1e-9


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: agree.py RFSCORE_OUT OTHER_OUT", file=sys.stderr)
        return 64
    with open(sys.argv[1], newline="") as f:
        ref = list(csv.DictReader(f))
    with open(sys.argv[2], newline="") as f:
        rd = csv.DictReader(f)
        cols = [c for c in rd.fieldnames if c != "id"]
        other = list(rd)
    if len(ref) != len(other):
        print(f"row counts differ: rfscore {len(ref)}, other {len(other)}")
        return 1
    missing = [c for c in cols if c not in ref[0]] if ref else []
    if missing:
        print(f"columns not in rfscore's output: {', '.join(missing)}")
        return 1
    bad, both, neither, max_diff = [], 0, 0, 0.0
    for row, (a, b) in enumerate(zip(ref, other), start=1):
        if a["id"] != b["id"]:
            bad.append(f"row {row}: id {a['id']!r} vs {b['id']!r}")
            continue
        for c in cols:
            x, y = a[c].strip(), b[c].strip()
            if y.upper() == "NA":
                y = ""
            if not x and not y:
                neither += 1
            elif not x or not y:
                bad.append(f"{a['id']} {c}: rfscore {x or 'not scored'}, other {y or 'not scored'}")
            else:
                shortest = repr(float(x))
                shortest = shortest[:-2] if shortest.endswith(".0") else shortest
                if x != shortest:
                    bad.append(f"{a['id']} {c}: rfscore printed {x}, shortest form {shortest}")
                d = abs(float(x) - float(y))
                max_diff = max(max_diff, d)
                both += 1
                if not d <= TOL:
                    bad.append(f"{a['id']} {c}: rfscore {x}, other {y} (diff {d:.3g})")
    print(f"{len(ref)} rows, {len(cols)} scores: {both} scored by both "
          f"(max |diff| {max_diff:.3g}), {neither} by neither, {len(bad)} disagreements")
    for line in bad[:10]:
        print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
