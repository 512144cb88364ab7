"""The C tests' hand-worked cases (tests/e2e/cases/*_basic: every value worked from the
published key in expected.csv's comments) and the README example (hand-checked)."""
import os
import warnings

import pandas as pd
import pytest

import rfscore
from conftest import assert_same_cells, instruments_dir, read_text_csv, tree

CASES = ["rfq8_basic", "prfq_basic", "ecrr_basic", "ecrrs_basic"]


def case(name, *parts):
    return tree("tests", "e2e", "cases", name, *parts)


def definition(name):
    return tree("instruments", name.replace("_basic", "") + ".ini")


@pytest.mark.parametrize("name", CASES)
def test_text_frame_equals_hand_worked(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rfscore.RfscoreWarning)
        got = rfscore.score(read_text_csv(case(name, "input.csv")), [definition(name)])
    assert_same_cells(got, read_text_csv(case(name, "expected.csv")))


@pytest.mark.parametrize("name", CASES)
def test_file_equals_hand_worked(name):
    got = rfscore.score(case(name, "input.csv"), [definition(name)], warn=False)
    assert_same_cells(got, read_text_csv(case(name, "expected.csv")))


def test_typed_columns_hold_hand_worked_values():
    got = rfscore.score(read_text_csv(case("rfq8_basic", "input.csv")), [definition("rfq8")], warn=False)
    # p04: raw 1,2,3,4,5,6,2,7; c = (3+2+1+0+0+0)/6 = 1; u = (0+0+1+2 + 2 (7: 2r6) + 3)/6 = 8/6
    assert got["rfq8_c"][3] == 1.0
    assert got["rfq8_u"][3] == 8 / 6
    assert got["rfq8_c"].dtype == "float64"
    assert str(got["rfq8_c_n"].dtype) == "Int64"
    assert list(got["rfq8_c_status"].cat.categories) == ["ok", "too_few_items", "component_not_scored"]
    assert str(got["rfq8_valid"].dtype) == "boolean"
    # p19 answered nothing: not scored, 0 answered, not valid
    assert pd.isna(got["rfq8_c"][18])
    assert got["rfq8_c_n"][18] == 0
    assert got["rfq8_c_status"][18] == "too_few_items"
    assert not got["rfq8_valid"][18]


def readme_example():
    with open(tree("README.md"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("<!-- example-output: rfscore score"))
    block = lines[start + 2:]
    block = block[:block.index("```")]
    return read_text_csv("\n".join(block), text=True)


def test_readme_example():
    d = pd.read_csv(tree("examples", "data", "rfq8_sample.csv"))
    with pytest.warns(rfscore.RfscoreWarning, match=r'row 10: column "rfq8_3" \(item 3 of rfq8\): "9" is not'):
        got = rfscore.score(d, ["rfq8"], keep=["group"], path=instruments_dir())
    assert_same_cells(got, readme_example())
    # s01: c items 2,3,2,4,3,3 -> 2,1,2,0,1,1 = 7/6
    assert got["rfq8_c"][0] == 7 / 6
    assert got["rfq8_flags"][8] == "too_few_items:c=4<5"


def test_readme_python_example_runs(capsys):
    with open(tree("README.md"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = lines.index("<!-- readme-example: python -->") + 2
    code = "\n".join(lines[start:start + lines[start:].index("```")])
    cwd = os.getcwd()
    os.chdir(tree())
    try:
        env = {}
        exec(code, env)
    finally:
        os.chdir(cwd)
    # valid rows' mean certainty per group (README table): clinical s06-s08 (0, 0, 0.2);
    # control s01-s05, s12 (7/6, 2.5, 0, 1/3, 2, 8/3)
    means = env["s"][env["s"]["rfq8_valid"]].groupby("group")["rfq8_c"].mean()
    assert abs(means["clinical"] - 0.2 / 3) < 1e-12
    assert abs(means["control"] - (7 / 6 + 2.5 + 0 + 1 / 3 + 2 + 8 / 3) / 6) < 1e-12
    assert "raw_alpha" in env["r"]["scales"].columns
    assert "clinical" in capsys.readouterr().out
