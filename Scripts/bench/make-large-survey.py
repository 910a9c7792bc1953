#!/usr/bin/env python3
"""Usage: Scripts/bench/make-large-survey.py ROWS OUT.csv

Writes a synthetic survey shaped like SampleData/crm-survey.csv (id, gender, age_group, education, comment, then
21 Likert items 1-5: six CRM components and the outcome Success), ROWS respondents, about 73 MB for 1,000,000
rows. The answers come from the same kind of population model as Scripts/generate-sample-data.R (six correlated
latent components, Success regressed on them, items = loading * factor + error cut into 1-5), so the SEM in
SampleData/crm-model.lav fits and is admissible. About one respondent in ten leaves a comment, quoted when it
holds a delimiter, a quote or a line break. Deterministic (seed 2021); standard library only.
"""
import math
import random
import sys

COMPONENTS = {
    "Loyalty": ["LOY1", "LOY2", "LOY3"],
    "Understanding": ["UND1", "UND2", "UND3"],
    "Quality": ["QUA1", "QUA2", "QUA3"],
    "Orientation": ["ORI1", "ORI2"],
    "Flexibility": ["FLE1", "FLE2", "FLE3"],
    "Interaction": ["INT1", "INT2", "INT3"],
}
OUTCOME = ["SUC1", "SUC2", "SUC3", "SUC4"]
PATHS = [0.50, 0.22, 0.18, 0.02, 0.15, 0.00]  # standardized paths to Success, as in SampleData
SHARED = 0.45  # correlation of every pair of components
LOADINGS = [0.84, 0.76, 0.72, 0.66, 0.70, 0.74, 0.80, 0.68, 0.71, 0.78, 0.73]
THRESHOLDS = [-1.9, -1.1, -0.2, 0.9]  # N(0, 1) cut points: item means about 3.5
COMMENTS = ["fast, friendly \"service\"", "ok", "too expensive", "the app keeps\nlogging me out", "Très bien",
            "support; slow", "would recommend"]


def likert(y):
    k = 1
    for tau in THRESHOLDS:
        if y > tau:
            k += 1
    return str(k)


def field(text):
    if any(c in text for c in ",\"\n\r"):
        return '"' + text.replace('"', '""') + '"'
    return text


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(2021)
    gauss = rng.gauss
    items = [i for names in COMPONENTS.values() for i in names] + OUTCOME
    r2 = sum(a * b * (1 if i == j else SHARED) for i, a in enumerate(PATHS) for j, b in enumerate(PATHS))
    disturbance = math.sqrt(1 - r2)
    loadings = [LOADINGS[n % len(LOADINGS)] for n in range(len(items))]
    errors = [math.sqrt(1 - l * l) for l in loadings]
    owner = [k for k, names in enumerate(COMPONENTS.values()) for _ in names] + [6] * len(OUTCOME)
    genders, ages = ["male", "female"], ["18-25", "26-35", "36-45", "46+"]
    education = ["Diploma", "Bachelor", "Master", "PhD"]
    a, b = math.sqrt(SHARED), math.sqrt(1 - SHARED)
    with open(out, "w", newline="") as f:
        f.write("id,gender,age_group,education,comment," + ",".join(items) + "\n")
        lines = []
        for i in range(1, rows + 1):
            g = gauss(0, 1)
            factors = [a * g + b * gauss(0, 1) for _ in PATHS]
            factors.append(sum(p * c for p, c in zip(PATHS, factors)) + disturbance * gauss(0, 1))
            answers = ",".join(likert(loadings[n] * factors[owner[n]] + errors[n] * gauss(0, 1))
                               for n in range(len(items)))
            comment = field(rng.choice(COMMENTS)) if rng.random() < 0.1 else ""
            lines.append(f"{i},{rng.choice(genders)},{rng.choice(ages)},{rng.choice(education)},{comment},{answers}\n")
            if len(lines) == 10000:
                f.write("".join(lines))
                lines.clear()
        f.write("".join(lines))


if __name__ == "__main__":
    main()
