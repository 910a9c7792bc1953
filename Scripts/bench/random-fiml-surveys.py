#!/usr/bin/env python3
"""Usage: Scripts/bench/random-fiml-surveys.py OUT COUNT

Writes COUNT random Likert surveys with blanks and their models into OUT, from seeds 1..COUNT: d<seed>.csv (an id
column and the items, blank where unanswered) and m<seed>.lav. Each has 2-5 factors of 3-6 five-point items (15 %
of the loadings negative), 60-1,500 respondents, 1-30 % blank answers, MCAR or MAR (blanks twice as likely where
the always-answered first item is 4 or 5), half of the 3-5 factor ones with the last factor regressed on the others,
some with an unmodelled cross-loading. The surveys of Scripts/bench/fiml-compare and Scripts/bench/fiml-lavaan.
"""
import math, os, random, sys
out, count = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
for seed in range(1, count + 1):
    random.seed(seed)
    nf = random.choice([2, 3, 3, 4, 5]); per = [random.randint(3, 6) for _ in range(nf)]
    n = random.choice([60, 90, 150, 250, 400, 800, 1500])
    blank = random.choice([0.01, 0.03, 0.08, 0.15, 0.3])
    mar = random.random() < 0.4
    structural = random.random() < 0.5 and nf >= 3
    cross = random.random() < 0.3
    phi = [[1.0 if i == j else random.uniform(0.1, 0.6) for j in range(nf)] for i in range(nf)]
    for i in range(nf):
        for j in range(i): phi[i][j] = phi[j][i]
    chol = [[0.0] * nf for _ in range(nf)]
    for i in range(nf):
        for j in range(i + 1):
            s = phi[i][j] - sum(chol[i][k] * chol[j][k] for k in range(j))
            chol[i][j] = math.sqrt(max(s, 1e-6)) if i == j else s / chol[j][j]
    items, loadings = [], []
    for f in range(nf):
        for k in range(per[f]):
            items.append(f"F{f + 1}_{k + 1}")
            loadings.append((f, random.uniform(0.4, 0.9) * (1 if random.random() > 0.15 else -1)))
    rows = []
    for _ in range(n):
        z = [random.gauss(0, 1) for _ in range(nf)]
        eta = [sum(chol[i][k] * z[k] for k in range(i + 1)) for i in range(nf)]
        row = []
        for index, (f, l) in enumerate(loadings):
            x = l * eta[f] + math.sqrt(1 - l * l) * random.gauss(0, 1)
            if cross and index == 0 and nf > 1: x += 0.3 * eta[1]
            row.append(min(5, max(1, int(round(3 + 1.1 * x)))))
        rows.append(row)
    for row in rows:  # the first item is always answered; MAR: blanks twice as likely where it is 4 or 5
        first = row[0]
        for j in range(1, len(items)):
            p = blank * ((2.0 if first >= 4 else 0.5) if mar else 1.0)
            if random.random() < p: row[j] = ""
    with open(os.path.join(out, f"d{seed}.csv"), "w") as g:
        g.write("id," + ",".join(items) + "\n")
        for r, row in enumerate(rows): g.write(f"{r + 1}," + ",".join(str(v) for v in row) + "\n")
    lines, start = [], 0
    for f in range(nf):
        lines.append(f"F{f + 1} =~ " + " + ".join(items[start:start + per[f]])); start += per[f]
    if structural: lines.append(f"F{nf} ~ " + " + ".join(f"F{i + 1}" for i in range(nf - 1)))
    open(os.path.join(out, f"m{seed}.lav"), "w").write("\n".join(lines) + "\n")
