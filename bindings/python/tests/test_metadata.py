"""instruments(), show(), codebook(), report(), report_html()."""
import json
import subprocess

import pandas as pd

import rfscore
from conftest import COMMAND, instruments_dir, tree


def test_instruments_lists_shipped():
    i = rfscore.instruments(path=instruments_dir())
    assert {"rfq8", "prfq", "ecrr", "ecrrs"} <= set(i["id"])
    assert i.loc[i["id"] == "rfq8", "items"].item() == 8
    assert i.loc[i["id"] == "rfq8", "scores"].item() == "c,u"


def test_show_and_codebook():
    assert "Fonagy" in rfscore.show("rfq8", path=instruments_dir())
    cb = rfscore.codebook(["rfq8"], path=instruments_dir())
    assert {"rfq8_c", "rfq8_flags"} <= set(cb["name"])
    assert "rfq8_c" in rfscore.codebook(["rfq8"], "markdown", path=instruments_dir())


def test_report_equals_command_json():
    f = tree("examples", "data", "rfq8_sample.csv")
    r = rfscore.report(pd.read_csv(f), ["rfq8"], path=instruments_dir(), warn=False)
    doc = json.loads(subprocess.run([COMMAND, "report", "-q", "-I", instruments_dir(), "-i", "rfq8",
                                     "--format", "json", f], check=True, capture_output=True).stdout)
    c = doc["instruments"][0]["scores"][0]
    assert r["scales"]["raw_alpha"][0] == c["alpha"]["raw_alpha"]
    assert r["scales"]["mean"][0] == c["describe"]["mean"]
    assert r["items"]["r_drop"][0] == c["items"][0]["r_drop"]
    assert r["rows"]["rows_valid"][0] == 9
    # rfq8_1 answers in the sample: 1 x2, 2 x3, 3 x2, 4 x2, 5, 6 (and one blank)
    assert r["responses"].loc[r["responses"]["column"] == "rfq8_1", "count"].tolist() == [2, 3, 2, 2, 1, 1, 0]


def test_report_html(tmp_path):
    out = tmp_path / "r.html"
    rfscore.report_html(pd.read_csv(tree("examples", "data", "rfq8_sample.csv")), ["rfq8"], str(out),
                        path=instruments_dir(), warn=False)
    assert "<html" in out.read_text(encoding="utf-8").lower()
