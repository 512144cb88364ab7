"""A DataFrame's columns as the C glue's rfspy_column descriptors (numpy buffers, kept
alive by the returned list), and the C glue's output arrays as typed pandas columns."""
import math

import numpy as np
import pandas as pd

from ._rfscore import ffi, lib

IN_DOUBLE, IN_INT64, IN_TEXT, IN_BOOL = 0, 1, 2, 3
OUT_TEXT, OUT_DOUBLE, OUT_INTEGER, OUT_STATUS, OUT_LOGICAL, OUT_FLAGS, OUT_SKIP = 0, 1, 2, 3, 4, 5, 6
STATUS_LEVELS = ["ok", "too_few_items", "component_not_scored"]


def _quote(text):
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def header_line(names):
    return (",".join(_quote(str(n)) for n in names) + "\n").encode("utf-8")


def _number_text(v):
    """A dictionary entry that is a number: as the C side writes numbers."""
    if isinstance(v, (bool, np.bool_)):
        return "True" if v else "False"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    f = float(v)
    if math.isnan(f):
        return None
    if f == math.floor(f) and abs(f) < 1e15:
        return str(int(f))
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return repr(f)


def _text_entry(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, (int, float, np.integer, np.floating, bool, np.bool_)):
        return _number_text(v)
    return str(v)


def _dictionary(codes, uniques, keep):
    """codes (-1 missing) and the entries' text as one buffer with offsets."""
    if pd.api.types.infer_dtype(uniques, skipna=False) == "string":  # the common case, no loop per entry
        texts = list(uniques)
        missing = []
    else:
        texts = [_text_entry(u) for u in uniques]
        missing = [i for i, t in enumerate(texts) if t is None]
        texts = [t or "" for t in texts]
    if missing:  # an entry that is itself missing (NaN category): its rows are missing
        codes = codes.copy()
        codes[np.isin(codes, missing)] = -1
    text = "\0".join(texts).encode("utf-8", "surrogatepass")
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    if texts:
        nul = np.flatnonzero(np.frombuffer(text, dtype=np.uint8) == 0)
        if len(nul) == len(texts) - 1:  # offsets from the separators, which are dropped
            offsets[1:-1] = nul - np.arange(len(nul))
            offsets[-1] = len(text) - len(nul)
            text = text.replace(b"\0", b"")
        else:  # a NUL inside an entry: count each one
            encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
            np.cumsum([len(b) for b in encoded], out=offsets[1:])
            text = b"".join(encoded)
    codes = np.ascontiguousarray(codes, dtype=np.int64)
    keep += [codes, offsets, text]
    return codes, offsets, text


def columns(df):
    """rfspy_column[] for df, and the Python objects that must outlive the call."""
    n = len(df.columns)
    cols = ffi.new("rfspy_column[]", max(n, 1))
    keep = [cols]
    for j in range(n):
        s = df.iloc[:, j]
        c = cols[j]
        dtype = s.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            codes, offsets, text = _dictionary(s.cat.codes.to_numpy(), list(s.cat.categories), keep)
            _text_column(c, codes, offsets, text)
        elif pd.api.types.is_bool_dtype(dtype):
            mask = s.isna().to_numpy()
            vals = np.ascontiguousarray(s.to_numpy(dtype=np.uint8, na_value=0))
            mask = np.ascontiguousarray(mask, dtype=np.uint8)
            keep += [vals, mask]
            c.kind = IN_BOOL
            c.b8 = ffi.from_buffer("unsigned char[]", vals)
            c.mask = ffi.from_buffer("unsigned char[]", mask)
        elif pd.api.types.is_integer_dtype(dtype):
            plain = isinstance(dtype, np.dtype)  # numpy ints have no missing values
            mask = None if plain else s.isna().to_numpy()
            vals = np.ascontiguousarray(s.to_numpy(dtype=np.int64) if plain else
                                        s.to_numpy(dtype=np.int64, na_value=0))
            keep.append(vals)
            c.kind = IN_INT64
            c.i64 = ffi.from_buffer("long long[]", vals)
            if mask is not None and mask.any():
                mask = np.ascontiguousarray(mask, dtype=np.uint8)
                keep.append(mask)
                c.mask = ffi.from_buffer("unsigned char[]", mask)
        elif pd.api.types.is_float_dtype(dtype):
            vals = np.ascontiguousarray(s.to_numpy(dtype=np.float64) if isinstance(dtype, np.dtype) else
                                        s.to_numpy(dtype=np.float64, na_value=np.nan))
            keep.append(vals)
            c.kind = IN_DOUBLE
            c.dbl = ffi.from_buffer("double[]", vals)
        else:  # text, objects, dates: distinct values written once each
            if not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
                s = s.astype(str).where(s.notna(), None)
            codes, uniques = pd.factorize(s, use_na_sentinel=True)
            codes, offsets, text = _dictionary(codes, list(uniques), keep)
            _text_column(c, codes, offsets, text)
    return cols, keep


def _text_column(c, codes, offsets, text):
    c.kind = IN_TEXT
    c.i64 = ffi.from_buffer("long long[]", codes)
    c.offsets = ffi.from_buffer("long long[]", offsets)
    c.text = ffi.from_buffer("char[]", text) if text else ffi.NULL
    c.n_text = len(offsets) - 1


def output_frame(out, df=None):
    """The parsed output as a DataFrame: float64 scores and indices, Int64 counts,
    categorical statuses, boolean _valid, str flags, str (or None) id and kept columns
    (taken from df, with their own types, when the output left them to it)."""
    nrow, data = lib.rfspy_out_nrow(out), {}
    for j in range(lib.rfspy_out_ncol(out)):
        name = ffi.string(lib.rfspy_out_name(out, j)).decode("utf-8")
        kind = lib.rfspy_out_kind(out, j)
        ptr = lib.rfspy_out_data(out, j)
        if kind == OUT_SKIP:
            data[name] = df[name].reset_index(drop=True)
        elif kind == OUT_DOUBLE:
            a = np.frombuffer(ffi.buffer(ptr, nrow * 8), dtype=np.float64).copy()
            data[name] = pd.Series(a, dtype="float64")
        elif kind == OUT_INTEGER:
            a = np.frombuffer(ffi.buffer(ptr, nrow * 4), dtype=np.int32)
            na = a == np.iinfo(np.int32).min
            data[name] = pd.arrays.IntegerArray(a.astype(np.int64), na.copy())
        elif kind == OUT_STATUS:
            a = np.frombuffer(ffi.buffer(ptr, nrow), dtype=np.int8).copy()
            data[name] = pd.Categorical.from_codes(a, categories=STATUS_LEVELS)
        elif kind == OUT_LOGICAL:
            a = np.frombuffer(ffi.buffer(ptr, nrow), dtype=np.int8)
            data[name] = pd.arrays.BooleanArray(a == 1, a < 0)
        else:
            codes = np.frombuffer(ffi.buffer(ptr, nrow * 4), dtype=np.int32)
            size = lib.rfspy_out_dict_size(out, j)
            entries = []
            if size:
                offs = lib.rfspy_out_dict_offsets(out, j)
                blob = ffi.buffer(lib.rfspy_out_dict_text(out, j), offs[size])[:]
                entries = blob.decode("utf-8", "replace").split("\0")[:-1]  # each entry ends in a NUL
            entries = np.array(entries + [None], dtype=object)
            # code -1 (missing) takes the None appended last
            data[name] = entries[np.where(codes < 0, size, codes)]
    return pd.DataFrame(data, copy=False)
