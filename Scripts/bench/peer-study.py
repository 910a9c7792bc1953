#!/usr/bin/env python3
"""Usage: python Scripts/bench/peer-study.py DATA.csv MODEL.lav [SCALE_MIN SCALE_MAX]

The study `crmstat analyze` runs, as a researcher would write it in Python (the pipeline Scripts/bench/bench times
against crmstat; needs pandas, scipy, statsmodels, pingouin and semopy from PyPI): read the CSV, listwise deletion
over the model's items, demographic frequencies, construct scores (item means), descriptives, Cronbach's alpha
(pingouin.cronbach_alpha, with its CI) and the corrected item-total correlations, Lilliefors (statsmodels),
Kolmogorov-Smirnov (scipy.stats.kstest) and Shapiro-Wilk (scipy.stats.shapiro, n <= 5000), one-sample t-tests
against the scale midpoint, the Friedman ranking of the components (scipy.stats.friedmanchisquare) and the SEM
(semopy.Model with calc_stats and standardized estimates). Prints the results; Scripts/bench/bench discards them.
"""
import re
import sys
import warnings

import numpy as np
import pandas as pd
import pingouin
import semopy
from scipy import stats
from statsmodels.stats.diagnostic import lilliefors

warnings.filterwarnings("ignore")


def read_model(path):
    """The lavaan model's text, its constructs with their items, and the outcomes of `~` regressions."""
    text = open(path, encoding="utf-8").read()
    measured, outcomes = {}, set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=~" in line:
            lhs, rhs = line.split("=~")
            measured[lhs.strip()] = [re.sub(r"^.*\*", "", t).strip() for t in rhs.split("+")]
        elif "~" in line and "~~" not in line:
            outcomes.add(line.split("~")[0].strip())
    return text, measured, outcomes


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    data_path, model_path = sys.argv[1], sys.argv[2]
    scale = (float(sys.argv[3]), float(sys.argv[4])) if len(sys.argv) >= 5 else (1.0, 5.0)
    text, measured, outcomes = read_model(model_path)
    constructs = list(measured)
    items = [i for f in constructs for i in measured[f] if i not in measured]
    components = [f for f in constructs if f not in outcomes]

    data = pd.read_csv(data_path, na_values=["", "NA", "."], keep_default_na=False)
    complete = data.dropna(subset=items).reset_index(drop=True)
    print("rows", len(data), "complete", len(complete))

    for column in complete.columns:
        if column not in items and complete[column].nunique(dropna=False) <= 12:
            counts = complete[column].value_counts(dropna=False).sort_index()
            percent = 100 * counts / counts.sum()
            print(pd.DataFrame({"n": counts, "percent": percent, "cumulative": percent.cumsum()}))

    scores = pd.DataFrame({f: complete[measured[f]].mean(axis=1) for f in constructs})
    for f in constructs:
        x = scores[f].to_numpy()
        mode = pd.Series(x).mode().min()
        print(f, "descriptives", len(x), x.mean(), x.std(ddof=1), x.var(ddof=1), x.min(), x.max(), np.median(x), mode)
        block = complete[measured[f]]
        if len(measured[f]) >= 2:
            print(f, "alpha", pingouin.cronbach_alpha(block))
            total = block.sum(axis=1)
            for item in measured[f]:
                rest = total - block[item]
                drop = block.drop(columns=item)
                alpha_drop = pingouin.cronbach_alpha(drop)[0] if drop.shape[1] >= 2 else float("nan")
                print(item, block[item].mean(), block[item].std(), block[item].corr(rest), alpha_drop)
        d, p_lillie = lilliefors(x, dist="norm", pvalmethod="approx")
        ks = stats.kstest(x, "norm", args=(x.mean(), x.std(ddof=1)))
        print(f, "normality", d, p_lillie, ks.pvalue)
        if len(x) <= 5000:
            print(f, "shapiro", stats.shapiro(x))
        print(f, "t-test", stats.ttest_1samp(x, (scale[0] + scale[1]) / 2))
    print("friedman", stats.friedmanchisquare(*[scores[f] for f in components]))
    print("mean ranks", scores[components].rank(axis=1).mean())

    model = semopy.Model(text)
    model.fit(complete[items])
    print(semopy.calc_stats(model).T)
    print(model.inspect(std_est=True))


if __name__ == "__main__":
    main()
