#!/usr/bin/env python3
# Usage: /tmp/plsvenv/bin/python Scripts/reference/pls.py     (run from the repository root; needs the PyPI
#        packages seminr (0.2.1: "numerical parity with seminr R on mobi at 1e-5"), numpy, pandas:
#        python3 -m venv /tmp/plsvenv && /tmp/plsvenv/bin/pip install seminr numpy scipy pandas)
#
# Writes the PLS-SEM references the PLS module is tested against (Tests/PLSTests/PLSReferenceTests.swift): one
# Tests/PLSTests/References/<case>.json per (data, lavaan-syntax model, inner weighting scheme, PLS or PLSc),
# estimated with seminr's estimate_pls and summarised with summarize_pls. The model file is read here with a
# minimal reader of the three PLS operators (=~ Mode A, <~ Mode B, ~ paths): =~ becomes seminr's
# composite(weights = mode_A) for PLS and reflective() (PLSc, Dijkstra & Henseler 2015) for --consistent; <~ is
# composite(weights = mode_B) in both. Rows with a missing model item are deleted before estimation, as crmstat's
# listwise deletion does.
import csv
import datetime
import json
import math
import re
import sys

import numpy as np
import seminr
from seminr import (
    composite,
    constructs,
    estimate_pls,
    mode_A,
    mode_B,
    na_omit,
    path_factorial,
    path_weighting,
    paths,
    reflective,
    relationships,
)
from seminr.evaluate.summarize_pls import summarize_pls

CASES = [
    # name, data, model, scheme, consistent
    ("crm-path", "SampleData/crm-survey.csv", "SampleData/crm-model.lav", "path", False),
    ("crm-path-plsc", "SampleData/crm-survey.csv", "SampleData/crm-model.lav", "path", True),
    ("mobi-path", "Tests/PLSTests/Data/mobi.csv", "Tests/PLSTests/Data/mobi-ecsi.lav", "path", False),
    ("mobi-factorial", "Tests/PLSTests/Data/mobi.csv", "Tests/PLSTests/Data/mobi-ecsi.lav", "factorial", False),
    ("mobi-path-plsc", "Tests/PLSTests/Data/mobi.csv", "Tests/PLSTests/Data/mobi-ecsi.lav", "path", True),
    ("corp-rep-path", "Tests/PLSTests/Data/corp-rep.csv", "Tests/PLSTests/Data/corp-rep.lav", "path", False),
    ("corp-rep-path-plsc", "Tests/PLSTests/Data/corp-rep.csv", "Tests/PLSTests/Data/corp-rep.lav", "path", True),
]


def read_model(path):
    """(constructs [(name, op, items)], paths [(from, to)]) from the =~, <~ and ~ lines of a lavaan model file."""
    blocks, order, edges = {}, [], []
    for line in open(path, encoding="utf-8"):
        line = line.split("#")[0].strip()
        if not line:
            continue
        m = re.match(r"^(\w+)\s*(=~|<~|~)\s*(.+)$", line)
        if not m:
            sys.exit(f"{path}: cannot read '{line}'")
        lhs, op, rhs = m.groups()
        names = [t.strip() for t in rhs.split("+")]
        if op == "~":
            edges += [(source, lhs) for source in names]
        else:
            if lhs not in blocks:
                order.append(lhs)
                blocks[lhs] = (op, [])
            blocks[lhs][1].extend(names)
    return [(c, blocks[c][0], blocks[c][1]) for c in order], edges


def read_data(path, columns):
    """The named columns as floats, empty or NA cells as NaN."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = [[float(r[c]) if r[c] not in ("", "NA") else math.nan for c in columns] for r in reader]
    return np.array(rows, dtype=np.float64)


def finite(x):
    x = float(x)
    return None if math.isnan(x) else x


def run(name, data_path, model_path, scheme, consistent):
    blocks, edges = read_model(model_path)
    items = [i for _, _, its in blocks for i in its]
    values = read_data(data_path, items)
    complete = ~np.isnan(values).any(axis=1)
    import pandas as pd

    # The complete rows only, before seminr sees the data: f² re-estimates the model without a path, and seminr's
    # na_omit would then delete rows listwise over the smaller model's items only (another sample than the R²
    # it is compared with); crmstat, like this reference, keeps the sample of the whole model.
    frame = pd.DataFrame(values[complete], columns=items)
    specs = []
    for c, op, its in blocks:
        if op == "<~":
            specs.append(composite(c, its, weights=mode_B))
        elif consistent:
            specs.append(reflective(c, its))
        else:
            specs.append(composite(c, its, weights=mode_A))
    sm = relationships(*[paths(from_=a, to=b) for a, b in edges])
    model = estimate_pls(
        frame,
        constructs(*specs),
        sm,
        inner_weights=path_weighting if scheme == "path" else path_factorial,
        missing=na_omit,
    )
    s = summarize_pls(model)
    names = list(model.constructs)
    in_model = [c for c in names]
    pc = model.path_coef
    out = {
        "provenance": {
            "engine": "seminr (PyPI port of R seminr)",
            "seminr_version": seminr.__version__,
            "numpy_version": np.__version__,
            "date": datetime.date.today().isoformat(),
            "script": "Scripts/reference/pls.py",
        },
        "data": data_path,
        "model": model_path,
        "scheme": scheme,
        "consistent": consistent,
        "n": int(complete.sum()),
        "iterations": int(model.iterations),
        "paths": [{"from": a, "to": b, "est": pc.get(a, b)} for a, b in edges],
        "loadings": [
            {
                "construct": c,
                "item": i,
                "loading": model.outer_loadings.get(i, c),
                "weight": model.outer_weights.get(i, c),
            }
            for c, _, its in blocks
            if c in names
            for i in its
        ],
        "r2": [
            {"construct": c, "r2": model.r_squared.get("Rsq", c), "r2_adj": model.r_squared.get("AdjRsq", c)}
            for c in model.sm_matrix.all_endogenous()
        ],
        "f2": [{"from": a, "to": b, "f2": finite(s.f_square.get(a, b))} for a, b in edges],
        "reliability": [
            {
                "construct": c,
                "alpha": s.reliability.get(c, "alpha"),
                "rho_a": s.reliability.get(c, "rhoA"),
                "rho_c": s.reliability.get(c, "rhoC"),
                "ave": s.reliability.get(c, "AVE"),
            }
            for c in s.reliability.rows
        ],
        # summarize_pls stores HTMT transposed: row b, column a for a before b in construct order.
        "htmt": [
            {"a": a, "b": b, "value": finite(s.validity.htmt.get(b, a))}
            for k, a in enumerate(in_model)
            for b in in_model[k + 1 :]
        ],
        "fornell_larcker": [
            {"a": a, "b": b, "value": finite(s.validity.fl_criteria.get(a, b))}
            for k, a in enumerate(in_model)
            for b in in_model[: k + 1]
        ],
        "cross_loadings": [
            {"item": i, "construct": c, "value": s.validity.cross_loadings.get(i, c)}
            for i in s.validity.cross_loadings.rows
            for c in s.validity.cross_loadings.cols
        ],
        "vif_items": [
            {"construct": c, "item": i, "vif": finite(v)}
            for c, by_item in s.validity.vif_items.items()
            for i, v in by_item.items()
        ],
        "vif_antecedents": [
            {"from": a, "to": c, "vif": finite(v)} for c, by in s.vif_antecedents.items() for a, v in by.items()
        ],
        "effects": [
            {
                "from": a,
                "to": b,
                "total": s.total_effects.get(a, b),
                "indirect": s.total_indirect_effects.get(a, b),
            }
            for a in names
            for b in names
            if a != b and s.total_effects.get(a, b) != 0
        ],
    }
    path = f"Tests/PLSTests/References/{name}.json"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: n = {out['n']}, {out['iterations']} iterations")


if __name__ == "__main__":
    for case in CASES:
        run(*case)
