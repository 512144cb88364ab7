"""Library errors are RfscoreError with file, line and column; invalid answers warn."""
import warnings

import pandas as pd
import pytest

import rfscore
from conftest import instruments_dir


def one_row(**cells):
    row = {"id": "a", **{"rfq8_%d" % k: 1 for k in range(1, 9)}}
    row.update(cells)
    return pd.DataFrame([row])


def test_unknown_instrument_names_it():
    with pytest.raises(rfscore.RfscoreError, match="no instrument 'no_such_instrument'"):
        rfscore.score(one_row(), ["no_such_instrument"])


def test_missing_item_column_names_it():
    d = one_row().drop(columns=["rfq8_8"])
    with pytest.raises(rfscore.RfscoreError, match="rfq8_8") as e:
        rfscore.score(d, ["rfq8"], path=instruments_dir())
    assert e.value.line == 1
    assert e.value.file == "<DataFrame>"


def test_malformed_file_is_located(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\na,1,2,3,4,5,6,7,1\nb,1,2,3,4,5,6,7,1,9\n")
    with pytest.raises(rfscore.RfscoreError) as e:
        rfscore.score(str(f), ["rfq8"], path=instruments_dir())
    assert e.value.file == str(f)
    assert e.value.line == 3
    assert e.value.column > 0
    assert str(e.value).startswith("rfscore: %s:3:" % f)


def test_missing_file_names_it():
    with pytest.raises(rfscore.RfscoreError, match="/nonexistent/x.csv"):
        rfscore.score("/nonexistent/x.csv", ["rfq8"], path=instruments_dir())


def test_invalid_answers_warn_with_row():
    with pytest.warns(rfscore.RfscoreWarning, match='row 1: column "rfq8_1"'):
        rfscore.score(one_row(rfq8_1=9), ["rfq8"], path=instruments_dir())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rfscore.score(one_row(rfq8_1=9), ["rfq8"], path=instruments_dir(), warn=False)


def test_rejected_options_raise():
    with pytest.raises(rfscore.RfscoreError):
        rfscore.score(one_row(), ["rfq8"], path=instruments_dir(), min_answered="lots")
    with pytest.raises(rfscore.RfscoreError, match="nope"):
        rfscore.score(one_row(), ["rfq8"], path=instruments_dir(), keep=["nope"])
