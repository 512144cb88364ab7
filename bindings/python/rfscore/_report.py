"""report() and report_html(): the library's study report (docs/report.md), its JSON
form turned into DataFrames."""
import json
import warnings as _warnings

import pandas as pd

from . import _run, RfscoreWarning


def _frames(doc):
    rows, scales, items, responses, missing, flags, warnings = [], [], [], [], [], [], []
    for inst in doc["instruments"]:
        iid = inst["id"]
        rows.append({"instrument": iid, "rows": inst.get("rows"), "rows_valid": inst.get("rows_valid")})
        for f, n in (inst.get("flags") or {}).items():
            flags.append({"instrument": iid, "flag": f, "rows": n})
        for s in inst.get("scores", []):
            d, a, ns = s.get("describe") or {}, s.get("alpha") or {}, s.get("not_scored") or {}
            scales.append({
                "instrument": iid, "score": s["id"], "name": s.get("name"), "kind": s.get("kind"),
                "scored": s.get("scored"), "too_few_items": ns.get("too_few_items"),
                "component_not_scored": ns.get("component_not_scored"),
                **{k: d.get(k) for k in ("n", "mean", "sd", "min", "max", "range", "skew", "kurtosis", "se")},
                "alpha_n": a.get("n"), "alpha_items": a.get("items"), "raw_alpha": a.get("raw_alpha"),
                "std_alpha": a.get("std_alpha"), "alpha_ase": a.get("ase"), "feldt_lower": a.get("feldt_lower"),
                "feldt_upper": a.get("feldt_upper")})
            for it in s.get("items", []):
                items.append({"instrument": iid, "score": s["id"], **it})
        for it in inst.get("items", []):
            for v, n in (it.get("responses") or {}).items():
                responses.append({"instrument": iid, "column": it["column"], "value": int(v), "count": n})
            missing.append({"instrument": iid, "column": it["column"], "missing": it.get("missing"),
                            "invalid": it.get("invalid"), **{"missing_" + k: n for k, n in
                                                             (it.get("missing_by_type") or {}).items()}})
        for w in inst.get("warnings", []):
            warnings.append(w if isinstance(w, str) else json.dumps(w))
    return {"rows": pd.DataFrame(rows), "scales": pd.DataFrame(scales), "items": pd.DataFrame(items),
            "responses": pd.DataFrame(responses), "missing": pd.DataFrame(missing), "flags": pd.DataFrame(flags),
            "warnings": warnings}


def report(data, instruments, *, all_rows=False, warn=True, **options):
    """The study report's figures as a dict of DataFrames: rows, scales (N, descriptives,
    Cronbach's alpha with its Feldt interval), items (alpha if item deleted, item-total r),
    responses (item distributions), missing, flags; and warnings (a list of text). Takes
    score()'s options (except keep); all_rows reports every row, not only valid ones."""
    res = _run(data, instruments, scores=False, report_formats=("json",), all_rows=all_rows, warn=warn, **options)
    doc = json.loads(res["json"])
    out = _frames(doc)
    out["json"] = doc
    if warn:
        for w in out["warnings"]:
            _warnings.warn("rfscore: " + w, RfscoreWarning, stacklevel=2)
    return out


def report_html(data, instruments, file, *, all_rows=False, warn=True, **options):
    """Writes the self-contained HTML report to file (a path); returns the path."""
    res = _run(data, instruments, scores=False, report_formats=("html",), all_rows=all_rows, warn=warn, **options)
    with open(file, "w", encoding="utf-8") as f:
        f.write(res["html"])
    return file
