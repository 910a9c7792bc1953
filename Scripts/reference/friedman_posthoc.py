#!/usr/bin/env python3
"""Usage: python3 Scripts/reference/friedman_posthoc.py   (from the repository root; needs pandas and scikit-posthocs
from PyPI, e.g. in a venv: python3 -m venv /tmp/ph && /tmp/ph/bin/pip install scikit-posthocs pandas)

Conover's pairwise comparisons after the Friedman test (scikit_posthocs.posthoc_conover_friedman, raw and Holm p)
on the component scores of the three study reference sets (Tests/StudyTests/References/README.md): listwise over
every model item, reverse-keyed items recoded as min + max - x, score = row mean, components = constructs that are
not the outcome of a regression. Writes Tests/StudyTests/References/friedman-conover.json.
"""
import json
import re
import sys

import pandas as pd
import scikit_posthocs as sp

SETS = [
    ("crm-survey", "SampleData/crm-survey.csv", "SampleData/crm-model.lav", (1, 5), []),
    ("bfi", "Tests/StudyTests/Data/bfi.csv", "Tests/StudyTests/Data/bfi.lav", (1, 6),
     ["A1", "C4", "C5", "E1", "E2", "O2", "O5"]),
    ("likert7", "Tests/StudyTests/Data/likert7.csv", "Tests/StudyTests/Data/likert7.lav", (1, 7), ["TRU3", "COM2"]),
]


def model(path):
    constructs, outcomes = {}, set()
    for line in open(path, encoding="utf-8"):
        line = line.split("#")[0].strip()
        if "=~" in line:
            lhs, rhs = line.split("=~")
            constructs[lhs.strip()] = [x.strip() for x in rhs.split("+")]
        elif re.search(r"(?<![=~])~(?![~=])", line):
            outcomes.add(line.split("~")[0].strip())
    return constructs, outcomes


def reference(name, data, lav, scale, reverse):
    constructs, outcomes = model(lav)
    items = [i for v in constructs.values() for i in v]
    frame = pd.read_csv(data, sep=None, engine="python", encoding="utf-8-sig", na_values=["", "NA", "."])
    frame = frame.dropna(subset=items)
    for item in reverse:
        frame[item] = scale[0] + scale[1] - frame[item]
    components = [c for c in constructs if c not in outcomes]
    scores = pd.DataFrame({c: frame[constructs[c]].mean(axis=1) for c in components})
    raw = sp.posthoc_conover_friedman(scores.to_numpy())
    holm = sp.posthoc_conover_friedman(scores.to_numpy(), p_adjust="holm")
    pairs = []
    for i in range(len(components)):
        for j in range(i + 1, len(components)):
            pairs.append({"a": components[i], "b": components[j], "p": float(raw.iloc[i, j]),
                          "p_holm": float(holm.iloc[i, j])})
    return {"set": name, "n": int(len(scores)), "pairwise": pairs}


out = {
    "provenance": {"script": "Scripts/reference/friedman_posthoc.py", "python": sys.version.split()[0],
                   "scikit_posthocs": sp.__version__, "pandas": pd.__version__},
    "sets": [reference(*s) for s in SETS],
}
with open("Tests/StudyTests/References/friedman-conover.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
