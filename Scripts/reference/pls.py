#!/usr/bin/env python3
# Usage: /tmp/plsvenv/bin/python Scripts/reference/pls.py [CASE… | boot | predict]   (run from the repository root; needs the PyPI
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
#
# The bootstrap references (Tests/PLSTests/PLSBootstrapTests.swift), seminr's bootstrap_model + summarize_pls_boot:
# - <case>-boot-seminr: 5,000 resamples drawn by seminr's own seeded PCG64 (seed below). crmstat's resamples come
#   from another generator, so its bootstrap SEs can only agree within Monte Carlo error; each row carries the
#   standard error of seminr's SE, from the draws' fourth moment: SE(s) ≈ √(m₄ − s⁴) / (2 s √B).
# - <case>-boot-exact: 200 resamples whose row indices are crmstat's own (BootstrapRandom(seed, b), xoshiro256**
#   seeded by SplitMix64, Lemire's bounded integers, re-implemented below and passed to bootstrap_model(indices=)),
#   so SE, t, p and the percentile bounds must agree to rounding; the BCa bounds from the same draws with the
#   acceleration of the n leave-one-out (jackknife) seminr estimates, Efron & Tibshirani (1993) eq. 14.15.
# The PLSpredict references (<case>-predict): seminr's predict_pls on crmstat's own fold shuffles (ordering=), so
# RMSE, MAE and Q²predict must agree to rounding.
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


def fit(data_path, model_path, scheme, consistent):
    """(blocks, edges, n, seminr model) of one case, on the complete rows."""
    import pandas as pd

    blocks, edges = read_model(model_path)
    items = [i for _, _, its in blocks for i in its]
    values = read_data(data_path, items)
    frame = pd.DataFrame(values[~np.isnan(values).any(axis=1)], columns=items)
    specs = []
    for c, op, its in blocks:
        if op == "<~":
            specs.append(composite(c, its, weights=mode_B))
        elif consistent:
            specs.append(reflective(c, its))
        else:
            specs.append(composite(c, its, weights=mode_A))
    sm = relationships(*[paths(from_=a, to=b) for a, b in edges])
    weights = path_weighting if scheme == "path" else path_factorial
    return blocks, edges, len(frame), estimate_pls(frame, constructs(*specs), sm, inner_weights=weights)


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


MASK = (1 << 64) - 1


class BootstrapRandom:
    """crmstat's Sources/Distributions/BootstrapRandom.swift: stream (seed, stream) of xoshiro256**."""

    def __init__(self, seed, stream):
        x = (seed + ((stream + 1) * 0x9E3779B97F4A7C15)) & MASK
        state = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            state.append(z ^ (z >> 31))
        self.s = state

    def next(self):
        s0, s1, s2, s3 = self.s
        rotl = lambda v, k: ((v << k) | (v >> (64 - k))) & MASK
        result = (rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def index(self, n):
        """Lemire's multiply-and-reject uniform integer below n."""
        product = self.next() * n
        if (product & MASK) < n:
            threshold = ((1 << 64) - n) % n
            while (product & MASK) < threshold:
                product = self.next() * n
        return product >> 64


def boot_rows(model, summary_fn, draws=None):
    """One row per bootstrapped statistic of summarize_pls_boot, keyed as crmstat's rows."""
    from seminr.bootstrap.summarize import summarize_pls_boot

    s = summarize_pls_boot(model)
    tables = [
        ("path", s.bootstrapped_paths),
        ("loading", s.bootstrapped_loadings),
        ("weight", s.bootstrapped_weights),
        ("total", s.bootstrapped_total_paths),
        ("htmt", s.bootstrapped_htmt),
    ]
    if s.bootstrapped_total_indirect_paths is not None:
        tables.append(("indirect", s.bootstrapped_total_indirect_paths))
    out = []
    for kind, table in tables:
        for r, label in enumerate(table.rows):
            a, b = [x.strip() for x in label.split("->")]
            row = dict(zip(["est", "mean", "boot_se", "t", "ci_lower", "ci_upper", "p"], map(finite, table.values[r])))
            row.update({"kind": kind, "a": a, "b": b})
            row.update(summary_fn(kind, a, b, row))
            out.append(row)
    return out


def draws_of(boot, kind, a, b):
    """The B draws of one statistic (rows a, column b of seminr's per-replication matrices)."""
    from seminr.bootstrap.bootstrap import total_effects  # noqa: F401

    reps = {
        "path": boot.boot_paths,
        "loading": boot.boot_loadings,
        "weight": boot.boot_weights,
        "total": boot.boot_total_paths,
        "htmt": boot.boot_htmt,
    }
    if kind == "indirect":
        return np.array([t.get(a, b) - p.get(a, b) for t, p in zip(boot.boot_total_paths, boot.boot_paths)])
    return np.array([m.get(a, b) for m in reps[kind]])


def run_bootstrap_seminr(name, data_path, model_path, scheme, consistent, nboot, seed):
    from seminr.bootstrap.bootstrap import bootstrap_model

    _, _, n, model = fit(data_path, model_path, scheme, consistent)
    boot = bootstrap_model(model, nboot=nboot, seed=seed)

    def se_of_se(kind, a, b, row):
        d = draws_of(boot, kind, a, b)
        s = d.std(ddof=1)
        m4 = ((d - d.mean()) ** 4).mean()
        return {"se_of_se": float(math.sqrt(max(m4 - s**4, 0)) / (2 * s * math.sqrt(len(d))))}

    write_boot(name, data_path, model_path, scheme, consistent, n, boot, boot_rows(boot, se_of_se),
               {"resampler": "seminr default (numpy PCG64)", "seed": seed})


def run_bootstrap_exact(name, data_path, model_path, scheme, consistent, nboot, seed):
    from scipy.stats import norm
    from seminr.bootstrap.bootstrap import bootstrap_model

    _, _, n, model = fit(data_path, model_path, scheme, consistent)
    indices = []
    for b in range(nboot):
        r = BootstrapRandom(seed, b)
        indices.append([r.index(n) for _ in range(n)])
    boot = bootstrap_model(model, indices=indices)
    jack = bootstrap_model(model, indices=[[i for i in range(n) if i != k] for k in range(n)])

    def bca(kind, a, b, row):
        d = np.sort(draws_of(boot, kind, a, b))
        th = draws_of(jack, kind, a, b)
        dev = th.mean() - th
        acc = float((dev**3).sum() / (6 * ((dev**2).sum()) ** 1.5)) if (dev**2).sum() > 0 else 0.0
        est = row["est"]
        below = int((d < est).sum())
        if below == 0 or below == len(d):
            return {"acceleration": acc, "bca_lower": None, "bca_upper": None}
        z0 = norm.ppf(below / len(d))
        bounds = []
        for alpha in (0.025, 0.975):
            za = norm.ppf(alpha)
            level = norm.cdf(z0 + (z0 + za) / (1 - acc * (z0 + za)))
            bounds.append(float(np.quantile(d, level)))  # numpy's default "linear" is R's type 7
        return {"acceleration": acc, "bca_lower": bounds[0], "bca_upper": bounds[1]}

    write_boot(name, data_path, model_path, scheme, consistent, n, boot, boot_rows(boot, bca),
               {"resampler": "crmstat BootstrapRandom(seed, b), re-implemented in this script", "seed": seed})


def write_boot(name, data_path, model_path, scheme, consistent, n, boot, rows, resampling):
    out = {
        "provenance": {
            "engine": "seminr (PyPI port of R seminr): bootstrap_model, summarize_pls_boot",
            "seminr_version": seminr.__version__,
            "numpy_version": np.__version__,
            "date": datetime.date.today().isoformat(),
            "script": "Scripts/reference/pls.py",
        },
        "data": data_path,
        "model": model_path,
        "scheme": scheme,
        "consistent": consistent,
        "n": n,
        "nboot": boot.boots,
        "fails": boot.fails,
        **resampling,
        "rows": rows,
    }
    path = f"Tests/PLSTests/References/{name}.json"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {boot.boots} resamples, {boot.fails} failed, {len(rows)} statistics")


def shuffle(n, seed, repetition):
    """crmstat's PLSpredict fold shuffle: Fisher–Yates on stream 2^32 + repetition (Sources/PLS/PLSPredict.swift)."""
    random = BootstrapRandom(seed, (1 << 32) + repetition)
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = random.index(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def run_predict(name, data_path, model_path, scheme, consistent, folds, repetitions, seed):
    """seminr's predict_pls (predict_DA) on crmstat's fold shuffles (ordering=), k folds, r repetitions: per
    endogenous item the out-of-sample RMSE, MAE and Q²predict = 1 − SSE/SSE(training-fold mean) of PLS and of the LM
    benchmark, averaged over the repetitions (Shmueli et al. 2019)."""
    from seminr.predict.predict_pls import cut_folds, predict_pls

    _, _, n, model = fit(data_path, model_path, scheme, consistent)
    totals = {}
    for repetition in range(repetitions):
        order = shuffle(n, seed, repetition)
        prediction = predict_pls(model, no_folds=folds, ordering=order)
        items = prediction.items
        actual = items.item_actuals
        fold_of = cut_folds(n, folds)
        for c, item in enumerate(items.pls_out_of_sample_residuals.cols):
            column = actual.column(item)
            naive = np.zeros(n)
            for f in range(1, folds + 1):
                test = [order[p] for p in range(n) if fold_of[p] == f]
                train = [order[p] for p in range(n) if fold_of[p] != f]
                naive[test] = column[train].mean()
            sse_naive = float(((column - naive) ** 2).sum())
            pls_res = items.pls_out_of_sample_residuals.values[:, c]
            lm_res = items.lm_out_of_sample_residuals.values[:, c]
            metrics = {
                "rmse": math.sqrt(float((pls_res**2).mean())),
                "mae": float(np.abs(pls_res).mean()),
                "q2_predict": 1 - float((pls_res**2).sum()) / sse_naive,
                "lm_rmse": math.sqrt(float((lm_res**2).mean())),
                "lm_mae": float(np.abs(lm_res).mean()),
                "lm_q2_predict": 1 - float((lm_res**2).sum()) / sse_naive,
            }
            row = totals.setdefault(item, {k: 0.0 for k in metrics})
            for k, v in metrics.items():
                row[k] += v / repetitions
    out = {
        "provenance": {
            "engine": "seminr (PyPI port of R seminr): predict_pls(technique = predict_DA, ordering = crmstat's)",
            "seminr_version": seminr.__version__,
            "numpy_version": np.__version__,
            "date": datetime.date.today().isoformat(),
            "script": "Scripts/reference/pls.py",
        },
        "data": data_path,
        "model": model_path,
        "scheme": scheme,
        "consistent": consistent,
        "n": n,
        "folds": folds,
        "repetitions": repetitions,
        "seed": seed,
        "items": [{"item": item, **m} for item, m in totals.items()],
    }
    path = f"Tests/PLSTests/References/{name}.json"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {len(totals)} items, {folds} folds, {repetitions} repetitions")


MOBI = ("Tests/PLSTests/Data/mobi.csv", "Tests/PLSTests/Data/mobi-ecsi.lav")
CORP = ("Tests/PLSTests/Data/corp-rep.csv", "Tests/PLSTests/Data/corp-rep.lav")

if __name__ == "__main__":
    only = sys.argv[1:]
    for case in CASES:
        if not only or case[0] in only:
            run(*case)
    if not only or "boot" in only:
        run_bootstrap_exact("mobi-path-boot-exact", *MOBI, "path", False, 200, 2026)
        run_bootstrap_exact("corp-rep-path-plsc-boot-exact", *CORP, "path", True, 200, 2026)
        run_bootstrap_seminr("mobi-path-boot-seminr", *MOBI, "path", False, 5000, 2026)
    if not only or "predict" in only:
        run_predict("mobi-path-predict", *MOBI, "path", False, 10, 10, 2026)
        run_predict("corp-rep-path-predict", *CORP, "path", False, 10, 10, 2026)
