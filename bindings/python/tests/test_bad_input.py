"""Categorical and text item columns, NA in every form, non-ASCII column names, a
non-default index: the same result as the command on the same data written as CSV."""
import numpy as np
import pandas as pd

import rfscore
from conftest import assert_same_cells, instruments_dir, run_command


def items(n=5):
    rng = np.random.default_rng(1)
    d = pd.DataFrame({"id": ["p%02d" % (i + 1) for i in range(n)]})
    for k in range(1, 9):
        d["rfq8_%d" % k] = rng.integers(1, 8, n)
    return d


def same_as_command(tmp_path, d, args, **kw):
    f = tmp_path / "d.csv"
    d.to_csv(f, index=False, encoding="utf-8")
    want = run_command(["-I", instruments_dir()] + args + [str(f)])
    got = rfscore.score(d, ["rfq8"], path=instruments_dir(), warn=False, **kw)
    assert_same_cells(got, want)
    return got


def test_categorical_and_text_items(tmp_path):
    d = items()
    d["rfq8_1"] = d["rfq8_1"].astype("category")
    d["rfq8_2"] = d["rfq8_2"].astype(str)
    d.loc[1, "rfq8_2"], d.loc[2, "rfq8_2"], d.loc[3, "rfq8_2"] = "N/A", "abc", " 4 "
    d["rfq8_3"] = pd.Categorical(["strongly agree", "1", None, "7", "3.5"])
    d["rfq8_4"] = d["rfq8_4"].astype("string")
    got = same_as_command(tmp_path, d, ["-i", "rfq8"])
    assert "invalid_answer:rfq8_2=abc" in got["rfq8_flags"][2]


def test_na_in_every_form(tmp_path):
    d = items(7)
    d["rfq8_1"] = [np.nan, None, 1, 2, 3, 4, 5]
    d["rfq8_2"] = [None, "NA", "", ".", "n/a", " ", "6"]
    d["rfq8_3"] = pd.array([pd.NA, 1, 2, pd.NA, 3, 4, 5], dtype="Int64")
    d["rfq8_4"] = pd.array([pd.NA, 1.0, 2.0, 3.0, pd.NA, 4.0, 5.0], dtype="Float64")
    d["rfq8_5"] = [pd.NaT, pd.NA, np.nan, None, "1", 2, 3.0]
    got = same_as_command(tmp_path, d, ["-i", "rfq8"])
    assert "rfq8_1" not in got["rfq8_flags"][0]


def test_float_items_with_nan_are_read_as_their_whole_numbers(tmp_path):
    d = items()
    d["rfq8_6"] = d["rfq8_6"].astype(float)
    d.loc[0, "rfq8_6"] = np.nan
    d.loc[1, "rfq8_6"] = 3.5
    got = same_as_command(tmp_path, d, ["-i", "rfq8"])
    assert got["rfq8_flags"][1] == "invalid_answer:rfq8_6=3.5"


def test_non_ascii_names_kept_and_mapped(tmp_path):
    d = items().rename(columns={"rfq8_1": "Frage_\u00e41"})
    d["gruppe_\u00fc"] = ["a", "\u00e9t\u00e9", "b", "c", "d"]
    m = tmp_path / "map.csv"
    m.write_text("1,Frage_\u00e41\n", encoding="utf-8")
    got = same_as_command(tmp_path, d, ["-i", "rfq8", "--map", str(m), "--keep", "gruppe_\u00fc"],
                          keep=["gruppe_\u00fc"], map={"rfq8": {1: "Frage_\u00e41"}})
    assert list(got.columns)[1] == "gruppe_\u00fc"
    assert got["gruppe_\u00fc"][1] == "\u00e9t\u00e9"


def test_text_with_commas_quotes_line_breaks(tmp_path):
    d = items(3)
    d["note"] = ["a, b", 'say "hi"', "two\nlines"]
    got = same_as_command(tmp_path, d, ["-i", "rfq8", "--keep", "note"], keep=["note"])
    assert got["note"].tolist() == d["note"].tolist()


def test_non_default_index_keeps_order(tmp_path):
    d = items().set_index(pd.Index([10, 3, 7, 1, 2]))
    got = same_as_command(tmp_path, d, ["-i", "rfq8"])
    assert got["id"].tolist() == d["id"].tolist()
