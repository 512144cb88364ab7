"""The tests read the source tree's fixtures and run the rfscore command for cross-checks:
scripts/test-bindings.sh sets RFSCORE_SRCDIR (the source tree) and RFSCORE_CMD (the
command built from it); RFSCORE_GEN_CSV names a generated file for the larger check."""
import io
import math
import os
import subprocess

import pandas as pd
import pytest

SRCDIR = os.environ.get("RFSCORE_SRCDIR", "")
COMMAND = os.environ.get("RFSCORE_CMD", "")


def tree(*parts):
    if not SRCDIR:
        pytest.skip("RFSCORE_SRCDIR not set")
    return os.path.join(SRCDIR, *parts)


def instruments_dir():
    return tree("instruments")


def read_text_csv(path_or_text, text=False):
    """A CSV (with '#' comment lines, as the e2e expected files) as all-text columns."""
    if not text:
        with open(path_or_text, encoding="utf-8") as f:
            path_or_text = f.read()
    lines = [l for l in path_or_text.splitlines() if not l.startswith("#")]
    return pd.read_csv(io.StringIO("\n".join(lines) + "\n"), dtype=str, keep_default_na=False)


def run_command(args):
    if not COMMAND:
        pytest.skip("RFSCORE_CMD not set")
    out = subprocess.run([COMMAND, "score", "-q"] + list(args), check=True, capture_output=True).stdout
    return read_text_csv(out.decode("utf-8"), text=True)


def shortest(x):
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        r = repr(x)
        return r[:-2] if r.endswith(".0") else r
    return str(x)


def as_command_text(df):
    """A typed result back as the command prints it: shortest numbers, _valid as 1/0."""
    out = {}
    for name in df.columns:
        s = df[name]
        if str(s.dtype) == "boolean":
            out[name] = ["" if v is pd.NA else ("1" if v else "0") for v in s]
        else:
            out[name] = [shortest(v.item() if hasattr(v, "item") else v) for v in s.astype(object)]
    return pd.DataFrame(out, dtype=str)


def assert_same_cells(result, expected):
    got = as_command_text(result)
    assert list(got.columns) == list(expected.columns)
    for name in expected.columns:
        assert got[name].tolist() == expected[name].tolist(), name
