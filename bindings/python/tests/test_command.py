"""score() equals the rfscore command cell for cell on the same data."""
import os

import numpy as np
import pandas as pd
import pytest

import rfscore
from conftest import assert_same_cells, instruments_dir, run_command, tree


def test_example_data_equals_command():
    f = tree("examples", "data", "rfq8_sample.csv")
    want = run_command(["-I", instruments_dir(), "-i", "rfq8", "--keep", "group", f])
    assert_same_cells(rfscore.score(pd.read_csv(f), ["rfq8"], keep=["group"], path=instruments_dir(), warn=False),
                      want)
    assert_same_cells(rfscore.score(f, ["rfq8"], keep=["group"], path=instruments_dir(), warn=False), want)


def test_generated_data_three_instruments_equals_command():
    f = os.environ.get("RFSCORE_GEN_CSV")
    if not f:
        pytest.skip("RFSCORE_GEN_CSV not set")
    want = run_command(["-I", instruments_dir(), "-i", "rfq8", "-i", "prfq", "-i", "ecrr", f])
    got = rfscore.score(pd.read_csv(f), ["rfq8", "prfq", "ecrr"], path=instruments_dir(), warn=False)
    assert_same_cells(got, want)


def test_repeated_ids_flagged_everywhere(tmp_path):
    d = pd.DataFrame({"id": ["a", "b", "a"], **{"rfq8_%d" % k: [1, 2, 3] for k in range(1, 9)}})
    f = tmp_path / "d.csv"
    d.to_csv(f, index=False)
    got = rfscore.score(d, ["rfq8"], path=instruments_dir())
    assert_same_cells(got, run_command(["-I", instruments_dir(), "-i", "rfq8", str(f)]))
    assert "duplicate_id" in got["rfq8_flags"][0] and "duplicate_id" in got["rfq8_flags"][2]


def test_repeated_ids_in_a_later_column(tmp_path):
    d = pd.DataFrame({**{"rfq8_%d" % k: [1, 2, 3, 4] for k in range(1, 9)},
                      "participant_id": ["x", "y", "x", None], "subject": [7, 8, 9, 7]})
    f = tmp_path / "d.csv"
    d.to_csv(f, index=False)
    got = rfscore.score(d, ["rfq8"], path=instruments_dir())
    assert_same_cells(got, run_command(["-I", instruments_dir(), "-i", "rfq8", str(f)]))
    assert [("duplicate_id" in x) for x in got["rfq8_flags"]] == [True, False, True, False]
    got = rfscore.score(d, ["rfq8"], id="subject", path=instruments_dir())
    assert_same_cells(got, run_command(["-I", instruments_dir(), "-i", "rfq8", "--id", "subject", str(f)]))
    assert [("duplicate_id" in x) for x in got["rfq8_flags"]] == [True, False, False, True]
    d["participant_id"] = ["x", "y", "z", None]  # distinct: nothing flagged
    assert not any("duplicate_id" in x for x in rfscore.score(d, ["rfq8"], path=instruments_dir())["rfq8_flags"])


def test_waves_filters_composite_key_and_row_numbers(tmp_path):
    rng = np.random.default_rng(3)
    d = pd.DataFrame({"dyad": [1, 1, 2, 2, 3], "person": ["a", "b", "a", "b", "a"], "wave": [1, 2, 1, 1, 2]})
    for k in range(1, 9):
        d["rfq8_%d" % k] = rng.integers(1, 8, 5)
        d["rfq8_%d_t2" % k] = rng.integers(1, 8, 5)
    f = tmp_path / "d.csv"
    d.to_csv(f, index=False)
    inc = ["-I", instruments_dir()]
    got = rfscore.score(d, ["rfq8", "rfq8"], **{"as": [None, "rfq8_t2"]}, suffix=[None, "_t2"],
                        id=["dyad", "person"], path=instruments_dir())
    assert_same_cells(got, run_command(inc + ["--id", "dyad,person", "-i", "rfq8", "-i", "rfq8", "--suffix", "_t2",
                                              "--as", "rfq8_t2", str(f)]))
    assert got["rfq8_t2_c"].dtype == "float64" and str(got["rfq8_t2_c_status"].dtype) == "category"
    assert got["dyad"].tolist() == d["dyad"].tolist()
    got = rfscore.score(d, ["rfq8"], where="wave=1", id="person", keep=["dyad"], path=instruments_dir())
    assert_same_cells(got, run_command(inc + ["--id", "person", "--keep", "dyad", "--where", "wave=1", "-i", "rfq8",
                                              str(f)]))
    assert len(got) == 3
    got = rfscore.score(d, ["rfq8"], id=False, path=instruments_dir())
    assert_same_cells(got, run_command(inc + ["--id", "none", "-i", "rfq8", str(f)]))
    assert got["row"].tolist() == [1, 2, 3, 4, 5]


def test_every_shipped_instrument_equals_command(tmp_path):
    import subprocess
    from conftest import COMMAND
    for inst in sorted(f[:-4] for f in os.listdir(instruments_dir()) if f.endswith(".ini")):
        # (the status is not checked: template exits 64 when its output is not a terminal, on main today)
        header = subprocess.run([COMMAND, "template", os.path.join(instruments_dir(), inst + ".ini")],
                                capture_output=True, text=True).stdout.splitlines()[0].split(",")
        values = [1, 2, 3, 2, 1]
        d = pd.DataFrame({h: [values[(r + j) % 5] for r in range(5)] for j, h in enumerate(header)})
        d[header[0]] = ["r%d" % (r + 1) for r in range(5)]
        d[header[1]] = d[header[1]].astype("Int64")  # written "2" by to_csv (a float would be "2.0")
        d.loc[1, header[1]] = pd.NA
        f = tmp_path / ("%s.csv" % inst)
        d.to_csv(f, index=False)
        got = rfscore.score(d, [inst], path=instruments_dir(), warn=False)
        assert_same_cells(got, run_command(["-I", instruments_dir(), "-i", inst, str(f)]))
