#!/usr/bin/env python3
"""Idiomatic pandas scorer of RFQ-8, PRFQ and ECR-R: the comparison for bench/run.sh.

Same keys as instruments/{rfq8,prfq,ecrr}.ini: reverse as 8 - x before recoding,
RFQ-8 recodes, a scale scored as the mean of its answered items when at least 80%
(rounded up) are answered. Answers outside 1..7 count as missing (rfscore flags them
too; non-integer or text cells are not handled: the generated data has none). Writes id and the seven scores as CSV to standard output (empty = not scored).

    python3 bench/score_pandas.py FILE > scores.csv
"""
import math
import sys

import pandas as pd

# RFQ-8 recodes: raw answer (after reversal) -> scored value
CERTAINTY = {1: 3, 2: 2, 3: 1, 4: 0, 5: 0, 6: 0, 7: 0}
UNCERTAINTY = {1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 2, 7: 3}

# (output column, instrument, items, reversed items, recode)
SCALES = [
    ("rfq8_c", "rfq8", range(1, 7), [], CERTAINTY),
    ("rfq8_u", "rfq8", [2, 4, 5, 6, 7, 8], [7], UNCERTAINTY),
    ("prfq_pm", "prfq", [1, 4, 7, 10, 13, 16], [], None),
    ("prfq_cms", "prfq", [2, 5, 8, 11, 14, 17], [11], None),
    ("prfq_ic", "prfq", [3, 6, 9, 12, 15, 18], [18], None),
    ("ecrr_anxiety", "ecrr", range(1, 19), [9, 11], None),
    ("ecrr_avoidance", "ecrr", range(19, 37),
     [20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36], None),
]


def score(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"id": df["id"]})
    for name, inst, items, reverse, recode in SCALES:
        cols = [f"{inst}_{i}" for i in items]
        x = df[cols]
        x = x.where((x >= 1) & (x <= 7))  # out of range -> missing
        if reverse:
            rev = [f"{inst}_{i}" for i in reverse]
            x[rev] = 8 - x[rev]
        if recode is not None:
            x = x.apply(lambda col: col.map(recode))
        answered = x.notna().sum(axis=1)
        need = math.ceil(0.8 * len(cols))
        out[name] = x.mean(axis=1).where(answered >= need)
    return out


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: score_pandas.py FILE")
    df = pd.read_csv(sys.argv[1], dtype={"id": str})
    score(df).to_csv(sys.stdout, index=False)


if __name__ == "__main__":
    main()
