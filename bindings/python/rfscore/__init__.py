"""rfscore: score reflective-functioning and attachment questionnaires (RFQ-8, PRFQ, ECR-R,
ECR-RS) from a pandas DataFrame or a CSV file, through librfscore (the C library does all
the scoring; this package passes data in and types the results).

    import pandas as pd, rfscore
    scores = rfscore.score(pd.read_csv("study.csv"), ["rfq8"], keep=["group"])
"""
import io
import json
import os
import warnings as _warnings

import pandas as pd

from ._rfscore import ffi, lib
from . import _frame

__all__ = ["score", "report", "report_html", "instruments", "show", "codebook", "version",
           "RfscoreError", "RfscoreWarning"]
__version__ = "0.1.0"


class RfscoreError(Exception):
    """A library error, with where it happened: file (the input's name, "<DataFrame>" for
    a data frame), line and column (1-based, 0 when not known), row (the data frame's
    row, 1-based, or None) and code (e.g. "bad data")."""

    def __init__(self, message, code="", file="", line=0, column=0, row=None):
        super().__init__(message)
        self.code, self.file, self.line, self.column, self.row = code, file, line, column, row


class RfscoreWarning(UserWarning):
    """An invalid answer (flagged in the output and scored as missing), or a report warning."""


FRAME_NAME = "<DataFrame>"


def _error_from(err):
    text = ffi.string(err.message).decode("utf-8", "replace") or ffi.string(
        lib.rfs_status_text(err.code)).decode()
    file = ffi.string(err.file).decode("utf-8", "replace")
    where, row = "", None
    if file == FRAME_NAME:
        if err.line > 1:
            row = err.line - 1
            where = "row %d: " % row
    elif file:
        where = file + ":"
        if err.line:
            where += "%d:" % err.line
            if err.column:
                where += "%d:" % err.column
        where += " "
    return RfscoreError("rfscore: " + where + text, ffi.string(lib.rfs_status_text(err.code)).decode(),
                        file, err.line, err.column, row)


def version():
    """The version of librfscore in use."""
    return ffi.string(lib.rfs_version()).decode()


# ------------------------------------------------------------------ instruments

def _search_dirs(path=None):
    dirs = []
    if path:
        dirs += [path] if isinstance(path, (str, os.PathLike)) else list(path)
    env = os.environ.get("RFSCORE_PATH", "")
    dirs += [d for d in env.split(":") if d]
    dirs.append(ffi.string(lib.rfspy_instrument_dir()).decode())
    return [os.fspath(d) for d in dirs if d]


def _instrument_path(name, path=None):
    name = os.fspath(name)
    if "/" in name or name.endswith(".ini"):
        if not os.path.exists(name):
            raise RfscoreError("rfscore: %s: cannot open the instrument definition" % name, "cannot open", name)
        return os.path.abspath(name)
    dirs = _search_dirs(path)
    for d in dirs:
        f = os.path.join(d, name + ".ini")
        if os.path.exists(f):
            return f
    raise RfscoreError("rfscore: no instrument '%s' on the search path (%s); give a file path, path=DIR, "
                       "or see rfscore.instruments()" % (name, ":".join(dirs)), "cannot open")


class _Instruments:
    """Loaded definitions, freed on exit."""

    def __init__(self, names, path=None):
        if isinstance(names, (str, os.PathLike)):
            names = [names]
        names = list(names)
        if not names:
            raise RfscoreError("rfscore: no instrument: give ids such as ['rfq8'] or definition files")
        self.handles = []
        err = ffi.new("rfs_error *")
        try:
            for n in names:
                h = lib.rfs_instrument_load(_instrument_path(n, path).encode(), err)
                if h == ffi.NULL:
                    raise _error_from(err)
                self.handles.append(h)
        except BaseException:
            self.close()
            raise
        self.ids = [ffi.string(lib.rfs_instrument_id(h)).decode() for h in self.handles]
        self.names = list(self.ids)  # what each is scored under (score(as=...))

    def rename(self, aliases):
        """aliases: one per instrument (None: its id), or {id: alias}."""
        if aliases is not None:
            alias = _per_instrument(aliases, self.ids, "as")
            self.names = [alias[k] if alias[k] is not None else i for k, i in enumerate(self.ids)]
        for i, x in enumerate(self.names):
            if x in self.names[:i]:
                raise RfscoreError("rfscore: instrument '%s' given twice (score it under another name with as=...)"
                                   % x, "usage error")

    def close(self):
        for h in self.handles:
            lib.rfs_instrument_free(h)
        self.handles = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _text(p):
    return ffi.string(p).decode("utf-8") if p != ffi.NULL else ""


def _info(h):
    return {
        "id": _text(lib.rfs_instrument_id(h)), "name": _text(lib.rfs_instrument_name(h)),
        "version": _text(lib.rfs_instrument_version(h)), "citation": _text(lib.rfs_instrument_citation(h)),
        "doi": _text(lib.rfs_instrument_doi(h)), "license": _text(lib.rfs_instrument_license(h)),
        "items": lib.rfs_instrument_item_count(h),
        "scores": ",".join(_text(lib.rfs_instrument_score_id(h, k)) for k in range(lib.rfs_instrument_score_count(h))),
        "path": _text(lib.rfs_instrument_path(h)), "sha256": _text(lib.rfs_instrument_sha256(h)),
    }


def instruments(ids=None, path=None):
    """The instruments on the search path (path, $RFSCORE_PATH, the installed ones), or
    those named, as a DataFrame: id, name, version, citation, doi, license, items, scores."""
    if ids is None:
        seen, ids = set(), []
        for d in _search_dirs(path):
            if os.path.isdir(d):
                for f in sorted(os.listdir(d)):
                    if f.endswith(".ini") and f[:-4] not in seen:
                        seen.add(f[:-4])
                        ids.append(os.path.join(d, f))
    if not ids:
        return pd.DataFrame(columns=["id", "name", "version", "citation", "doi", "license", "items", "scores",
                                     "path", "sha256"])
    with _Instruments(ids, path) as insts:
        return pd.DataFrame([_info(h) for h in insts.handles])


def show(id, path=None):
    """The whole key of one instrument as readable text (as `rfscore show`)."""
    with _Instruments([id], path) as insts:
        p = lib.rfs_instrument_describe(insts.handles[0])
        if p == ffi.NULL:
            raise MemoryError
        try:
            return ffi.string(p).decode("utf-8")
        finally:
            lib.free(p)


def codebook(ids, format="csv", path=None):
    """The data dictionary of the output columns: a DataFrame for format "csv", else the
    text ("markdown", or "redcap", a REDCap data dictionary)."""
    with _Instruments(ids, path) as insts:
        arr = ffi.new("rfs_instrument *[]", insts.handles)
        p = lib.rfs_codebook(arr, len(insts.handles), format.encode())
        if p == ffi.NULL:
            raise RfscoreError("rfscore: codebook format '%s': expected markdown, csv or redcap" % format,
                               "usage error")
        try:
            text = ffi.string(p).decode("utf-8")
        finally:
            lib.free(p)
    if format != "csv":
        return text
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


# ---------------------------------------------------------------------- scoring

def _per_instrument(value, ids, what):
    """An option per instrument, as a list in the instruments' order (None where not
    given): a list or tuple with one value per instrument, a dict by id (or by the name
    given with as=), or a single value for a single instrument."""
    if value is None:
        return [None] * len(ids)
    if isinstance(value, dict):
        unknown = [k for k in value if k not in ids]
        if unknown:
            raise ValueError("rfscore: %s names '%s', which is not among the instruments scored"
                             % (what, unknown[0]))
        return [value.get(i) for i in ids]
    if isinstance(value, (list, tuple)):
        if len(value) != len(ids):
            raise ValueError("rfscore: %s: give one value per instrument, or a dict by instrument" % what)
        return list(value)
    if len(ids) != 1:
        raise ValueError("rfscore: %s: give a dict by instrument, e.g. {'%s': ...}" % (what, ids[0]))
    return [value]


def _check(rc, err):
    if rc < 0:
        raise _error_from(err)


def _configure(s, insts, err, id, keep, prefix, suffix, map, min_answered, missing, duration, thresholds,
               id_check, delimiter, encoding, where):
    prefix = _per_instrument(prefix, insts.names, "prefix")
    suffix = _per_instrument(suffix, insts.names, "suffix")
    maps = _per_instrument(map, insts.names, "map") if map is not None else [None] * len(insts.names)
    for k, (h, iid) in enumerate(zip(insts.handles, insts.names)):
        _check(lib.rfs_scorer_add_instrument(s, h, err), err)
        p, x = prefix[k], suffix[k]
        _check(lib.rfs_scorer_set_columns(s, h, p.encode() if p is not None else ffi.NULL,
                                          x.encode() if x is not None else ffi.NULL, err), err)
        if iid != insts.ids[k]:
            _check(lib.rfs_scorer_set_instrument_name(s, h, iid.encode(), err), err)
        columns = [_text(lib.rfs_instrument_item_column(h, k + 1)).lower()
                   for k in range(lib.rfs_instrument_item_count(h))]
        for item, column in (maps[k] or {}).items():
            n = item if isinstance(item, int) else (int(item) if str(item).isdigit() else
                                                    columns.index(str(item).lower()) + 1
                                                    if str(item).lower() in columns else 0)
            if n == 0:
                raise ValueError("rfscore: map for %s: '%s' is not an item number 1..%d or an item column of %s"
                                 % (iid, item, len(columns), iid))
            _check(lib.rfs_scorer_map_item(s, h, n, str(column).encode(), err), err)
    if id is False:
        _check(lib.rfs_scorer_set_row_numbers(s, 1, err), err)
    elif id is not None:
        for k, column in enumerate([id] if isinstance(id, str) else list(id)):
            _check((lib.rfs_scorer_add_id_column if k else lib.rfs_scorer_set_id_column)(s, str(column).encode(), err),
                   err)
    for expr in [where] if isinstance(where, str) else list(where or []):
        _check(lib.rfs_scorer_add_filter(s, str(expr).encode(), err), err)
    for k in keep:
        _check(lib.rfs_scorer_keep_column(s, str(k).encode(), err), err)
    if min_answered is not None:
        _check(lib.rfs_scorer_set_min_answered(s, str(min_answered).encode(), err), err)
    if duration is not None:
        _check(lib.rfs_scorer_set_duration_column(s, str(duration).encode(), err), err)
    for mtype, codes in (missing or {}).items():
        for code in ([codes] if isinstance(codes, (str, int, float)) else codes):
            _check(lib.rfs_scorer_add_missing_code(s, str(mtype).encode(), _frame._text_entry(code).encode(), err),
                   err)
    for name, value in (thresholds or {}).items():
        _check(lib.rfs_scorer_set_threshold(s, name.encode(), float(value), err), err)
    if not id_check:
        _check(lib.rfs_scorer_set_duplicate_check(s, 0, err), err)
    if delimiter is not None:
        d = "\t" if delimiter in ("tab", "\\t") else "" if delimiter == "auto" else delimiter
        _check(lib.rfs_scorer_set_delimiter(s, d.encode() if len(d) == 1 else b"\0" if not d else b"?", err), err)
    if encoding is not None:
        _check(lib.rfs_scorer_set_encoding(s, encoding.encode(), err), err)
    _check(lib.rfs_scorer_set_raw_text(s, 1, err), err)


def _run(data, instruments, *, scores, report_formats=(), all_rows=False, id=None, keep=None, prefix=None,
         suffix=None, map=None, min_answered=None, missing=None, duration=None, thresholds=None, id_check=True,
         delimiter=None, encoding=None, path=None, warn=True, where=None, **kw):
    aliases = kw.pop("as", None)
    if kw:
        raise TypeError("rfscore: unknown option '%s'" % next(iter(kw)))
    keep = [keep] if isinstance(keep, str) else list(keep or [])
    row_numbers = id is False
    n_ids = 0 if row_numbers else 1 if id is None or isinstance(id, str) else max(len(list(id)), 1)
    text_columns = len(keep) if row_numbers else n_ids - 1 + len(keep)
    frame = isinstance(data, pd.DataFrame)
    if not frame and not isinstance(data, (str, os.PathLike)):
        raise TypeError("rfscore: data: give a pandas DataFrame or the path of a CSV file")
    err = ffi.new("rfs_error *")
    options = (id, keep, prefix, suffix, map, min_answered, missing, duration, thresholds, id_check, delimiter,
               encoding, where)
    with _Instruments(instruments, path) as insts:
        insts.rename(aliases)
        s = lib.rfs_scorer_new(err)
        if s == ffi.NULL:
            raise _error_from(err)
        handles = ffi.new("rfs_instrument *[]", insts.handles)
        cnames = [ffi.new("char[]", n.encode()) for n in insts.names]
        names = ffi.new("char *[]", cnames)
        out = lib.rfspy_out_new(handles, names, len(insts.handles), text_columns, int(row_numbers),
                                len(data) if frame else 0, int(frame))
        fh = ffi.NULL
        try:
            if out == ffi.NULL:
                raise MemoryError
            _configure(s, insts, err, *options)
            if report_formats:
                _check(lib.rfs_scorer_enable_report(s, int(bool(all_rows)), err), err)
            _check(lib.rfs_scorer_set_warning_fn(s, ffi.addressof(lib, "rfspy_out_warn"), out, err), err)
            _check(lib.rfs_scorer_set_output(s, ffi.addressof(lib, "rfspy_out_write" if scores else "rfspy_write_null"), out, err),
                   err)
            if frame:
                _check(lib.rfs_scorer_set_input_name(s, FRAME_NAME.encode(), err), err)
                _check(lib.rfs_scorer_set_delimiter(s, b",", err), err)
                cols, keepalive = _frame.columns(data)
                header = _frame.header_line(data.columns)
                if not row_numbers and not where:  # one output row per data frame row
                    taken = b"".join(str(n).encode("utf-8") + b"\0" for n in data.columns)
                    if lib.rfspy_out_skip(out, taken, len(taken)) < 0:
                        raise MemoryError
                if id_check and not row_numbers and _needs_prescan(data, cols, header, insts, err, options):
                    # every occurrence of a repeated id is flagged, as on a file
                    _check(lib.rfspy_feed_frame(s, header, len(header), cols, len(data.columns), len(data), 1, err),
                           err)
                    _check(lib.rfs_scorer_prescan_finish(s, err), err)
                _check(lib.rfspy_feed_frame(s, header, len(header), cols, len(data.columns), len(data), 0, err), err)
                _check(lib.rfs_scorer_finish(s, err), err)
                del keepalive
            else:
                name = os.fspath(data)
                fh = lib.fopen(name.encode(), b"rb")
                if fh == ffi.NULL:
                    raise RfscoreError("rfscore: %s: cannot open input: %s" % (name, os.strerror(ffi.errno)),
                                       "cannot open", name)
                _check(lib.rfs_scorer_set_input_name(s, name.encode(), err), err)
                _check(lib.rfs_scorer_run_file(s, fh, err), err)
            shown = ffi.new("size_t *")
            count = lib.rfspy_out_warning_count(out, shown)
            messages = [_text(lib.rfspy_out_warning(out, i)) for i in range(shown[0])]
            result = {"summary": json.loads(_take(lib.rfs_scorer_summary(s, 1)))}
            for fmt in report_formats:
                result[fmt] = _take(lib.rfs_scorer_report(s, fmt.encode()))
            if scores:
                result["frame"] = _frame.output_frame(out, data if frame else None)
        finally:
            if fh != ffi.NULL:
                lib.fclose(fh)
            lib.rfspy_out_free(out)
            lib.rfs_scorer_free(s)
    if warn:
        for m in messages:
            _warnings.warn("rfscore: " + m, RfscoreWarning, stacklevel=3)
        if count > len(messages):
            _warnings.warn("rfscore: ... %d invalid answers in all (flagged in the output)" % count,
                           RfscoreWarning, stacklevel=3)
    return result


def _needs_prescan(data, cols, header, insts, err, options):
    """The pre-pass that lets duplicate_id flag the first occurrence of a repeated id too
    reads only the ids (and, in REDCap data, event and instance): when the id column's
    non-empty values are all distinct it can find nothing, so it is skipped. Which column
    is the id is the library's choice, read from a dry run of the header and first rows."""
    s = lib.rfs_scorer_new(err)
    out = lib.rfspy_out_new(ffi.NULL, ffi.NULL, 0, 0, 0, 0, 1)
    try:
        if s == ffi.NULL or out == ffi.NULL:
            raise MemoryError
        _configure(s, insts, err, *options)
        _check(lib.rfs_scorer_set_dry_run(s, 1, err), err)
        _check(lib.rfs_scorer_set_input_name(s, FRAME_NAME.encode(), err), err)
        _check(lib.rfs_scorer_set_delimiter(s, b",", err), err)
        _check(lib.rfs_scorer_set_output(s, ffi.addressof(lib, "rfspy_out_write_text"), out, err), err)
        _check(lib.rfspy_feed_frame(s, header, len(header), cols, len(data.columns), len(data), 2, err), err)
        _check(lib.rfs_scorer_finish(s, err), err)
        text = ffi.string(lib.rfspy_out_text(out)).decode("utf-8", "replace")
    finally:
        lib.rfspy_out_free(out)
        lib.rfs_scorer_free(s)
    col = next((int(l.split()[2]) for l in text.splitlines() if l.startswith("id column ")), 0)
    if not 1 <= col <= len(data.columns):
        return True
    ids = data.iloc[:, col - 1]
    ids = ids[ids.notna()]
    if ids.dtype == object or pd.api.types.is_string_dtype(ids.dtype):
        ids = ids[ids.astype(str) != ""]
    return not ids.is_unique


def _take(p):
    if p == ffi.NULL:
        raise MemoryError("rfscore: out of memory")
    try:
        return ffi.string(p).decode("utf-8")
    finally:
        lib.free(p)


def score(data, instruments, *, id=None, keep=None, prefix=None, suffix=None, map=None, min_answered=None,
          missing=None, duration=None, thresholds=None, id_check=True, delimiter=None, encoding=None, path=None,
          warn=True, where=None, **kw):
    """Scores data (a DataFrame or a CSV file path) with instruments (ids such as "rfq8",
    or definition files). One row per input row, in order: the id and kept columns, then
    per scale the score (float64), answered items (Int64) and status (categorical), the
    careless-responding indices, <inst>_valid (boolean) and <inst>_flags (str).

    id: the id column, a list of columns (a composite key), or False (no id: the first
    column is "row", the data row's number); keep: columns copied after the id;
    where: filters "COLUMN=VALUE" / "COLUMN!=VALUE" (only rows where all hold are scored
    and written); as: the name each instrument is scored under (a list, or {id: name}), to
    score one instrument twice (waves); prefix/suffix: {instrument: text} for where the
    items are; map: {instrument: {item number or default column: column}}; min_answered:
    "5" or "80%"; missing: {type: [codes]}; thresholds: {"irv_min": 0.5, ...}; id_check:
    flag repeated ids; path: more directories to find instruments in. Invalid answers are
    RfscoreWarning (warn=False silences them); library errors raise RfscoreError. The
    run's summary is in result.attrs["summary"]."""
    res = _run(data, instruments, scores=True, id=id, keep=keep, prefix=prefix, suffix=suffix, map=map,
               min_answered=min_answered, missing=missing, duration=duration, thresholds=thresholds,
               id_check=id_check, delimiter=delimiter, encoding=encoding, path=path, warn=warn, where=where, **kw)
    out = res["frame"]  # a data frame's id and kept columns come back with their own values and types
    out.attrs["summary"] = res["summary"]
    return out


from ._report import report, report_html  # noqa: E402  (uses _run)
