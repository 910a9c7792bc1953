#!/usr/bin/env python3
"""Usage: python3 Scripts/reference/agreement.py     (from the repository root; needs numpy, statsmodels and
krippendorff from PyPI, and Rscript with psych and jsonlite)

Writes two coded data sets (deterministic, seed 11) and the agreement references crmstat is tested against:
  Tests/StudyTests/Data/agreement-nominal.csv  60 interview segments, 3 coders, 4 text categories, some blanks
  Tests/StudyTests/Data/agreement-ordinal.csv  80 answers, 4 coders, codes 1-5, some blanks
  Tests/StudyTests/References/agreement.json   per set: Cohen's kappa of every pair (psych::cohen.kappa on the units
      both coded: kappa, its SE = sqrt(var.kappa), CI, percent agreement, and for the ordinal set the weighted kappa
      and CI), Fleiss' kappa (statsmodels fleiss_kappa on the units every coder coded) and Krippendorff's alpha
      (krippendorff.alpha, nominal or ordinal, blanks allowed).
"""
import csv
import importlib.metadata
import json
import random
import subprocess
import sys

import krippendorff
import numpy as np
import statsmodels
from statsmodels.stats.inter_rater import fleiss_kappa

random.seed(11)


def simulate(units, coders, categories, agree, blank):
    rows = []
    for u in range(units):
        truth = random.randrange(len(categories))
        row = []
        for _ in range(coders):
            if random.random() < blank:
                row.append("")
                continue
            if random.random() < agree:
                c = truth
            else:
                c = min(len(categories) - 1, max(0, truth + random.choice([-1, 1, 2])))
            row.append(categories[c])
        if all(v == "" for v in row):
            row[0] = categories[truth]
        rows.append(row)
    return rows


SETS = {
    "nominal": (["coder_a", "coder_b", "coder_c"], simulate(60, 3, ["other", "price", "quality", "service"], 0.7, 0.08)),
    "ordinal": (["r1", "r2", "r3", "r4"], simulate(80, 4, ["1", "2", "3", "4", "5"], 0.55, 0.06)),
}
R = r"""
suppressPackageStartupMessages({library(psych); library(jsonlite)})
args <- commandArgs(TRUE)
d <- read.csv(args[1], na.strings = "", colClasses = "character")
d <- d[, setdiff(names(d), "unit")]
cats <- sort(unique(na.omit(unlist(d))))
if (all(!is.na(suppressWarnings(as.numeric(cats))))) cats <- cats[order(as.numeric(cats))]
out <- list()
for (a in 1:(ncol(d) - 1)) for (b in (a + 1):ncol(d)) {
  x <- na.omit(d[, c(a, b)])
  k <- cohen.kappa(x, levels = cats)
  out[[length(out) + 1]] <- list(a = names(d)[a], b = names(d)[b], n = nrow(x), kappa = k$kappa,
    se = sqrt(k$var.kappa), ci_lower = k$confid[1, 1], ci_upper = k$confid[1, 3],
    percent_agreement = 100 * mean(x[, 1] == x[, 2]), weighted_kappa = k$weighted.kappa,
    weighted_ci_lower = k$confid[2, 1], weighted_ci_upper = k$confid[2, 3])
}
cat(toJSON(list(categories = cats, pairs = out, psych = as.character(packageVersion("psych"))),
           auto_unbox = TRUE, digits = I(15)))
"""
out = {"provenance": {"script": "Scripts/reference/agreement.py", "python": sys.version.split()[0],
                      "statsmodels": statsmodels.__version__, "krippendorff": importlib.metadata.version("krippendorff")}, "sets": []}
for level, (coders, rows) in SETS.items():
    path = f"Tests/StudyTests/Data/agreement-{level}.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["unit"] + coders)
        for u, row in enumerate(rows):
            w.writerow([u + 1] + row)
    r = json.loads(subprocess.run(["Rscript", "-e", R, path], capture_output=True, text=True, check=True).stdout)
    categories = r["categories"]
    index = {c: i for i, c in enumerate(categories)}
    complete = [row for row in rows if all(v != "" for v in row)]
    table = np.zeros((len(complete), len(categories)))
    for u, row in enumerate(complete):
        for v in row:
            table[u, index[v]] += 1
    reliability = np.array([[index[row[c]] if row[c] != "" else np.nan for row in rows] for c in range(len(coders))])
    alpha = krippendorff.alpha(reliability_data=reliability, level_of_measurement=level,
                               value_domain=list(range(len(categories))))
    if level == "nominal":
        for p in r["pairs"]:
            p["weighted_kappa"] = p["weighted_ci_lower"] = p["weighted_ci_upper"] = None
    out["provenance"]["psych"] = r["psych"]
    out["sets"].append({"level": level, "data": path, "raters": coders, "n": len(rows), "categories": categories,
                        "pairs": r["pairs"], "fleiss_kappa": float(fleiss_kappa(table, method="fleiss")),
                        "krippendorff_alpha": float(alpha)})
with open("Tests/StudyTests/References/agreement.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
