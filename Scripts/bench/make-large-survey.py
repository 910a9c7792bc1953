#!/usr/bin/env python3
"""Usage: Scripts/bench/make-large-survey.py ROWS OUT.csv

Writes a synthetic survey shaped like SampleData (id, gender, age_group, education, then 22 Likert items 1-5:
six components and the outcome), ROWS respondents, about 73 MB for 1,000,000 rows. Deterministic (seed 2021).
"""
import random
import sys

def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(2021)
    items = (["LOY1", "LOY2", "LOY3", "UND1", "UND2", "UND3", "QUA1", "QUA2", "QUA3", "ORI1", "ORI2",
              "FLE1", "FLE2", "FLE3", "INT1", "INT2", "INT3", "SUC1", "SUC2", "SUC3", "SUC4"])
    genders, ages, edu = ["male", "female"], ["18-25", "26-35", "36-45", "46+"], ["Diploma", "Bachelor", "Master", "PhD"]
    with open(out, "w") as f:
        f.write("id,gender,age_group,education," + ",".join(items) + "\n")
        for i in range(1, rows + 1):
            level = rng.gauss(0, 1)
            answers = []
            for _ in items:
                x = round(3.5 + 0.8 * level + rng.gauss(0, 0.8))
                answers.append(str(min(5, max(1, x))))
            f.write(f"{i},{rng.choice(genders)},{rng.choice(ages)},{rng.choice(edu)}," + ",".join(answers) + "\n")

if __name__ == "__main__":
    main()
