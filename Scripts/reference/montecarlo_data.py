#!/usr/bin/env python3
"""Usage: python3 Scripts/reference/montecarlo_data.py OUTDIR FIRST_SEED COUNT

Writes the Monte Carlo Likert studies of the SEM convergence test (issue 12) as OUTDIR/study-SEED.csv and
OUTDIR/study-SEED.lav, one per seed in FIRST_SEED ..< FIRST_SEED + COUNT. Scripts/reference/montecarlo.R calls it
and fits each study with lavaan; Tests/SEMTests/MonteCarloStudy.swift generates the same studies in Swift, bit for
bit (same generator, same arithmetic in the same order; the reference records a checksum of the answers so that a
divergence fails the test instead of comparing different data).

A study (all from one seed, SplitMix64, Box–Muller with the cosine branch):
  shape   star (the last construct regressed on all others), chain (F1 -> F2 -> ... -> Fk), mediator
          (X -> M -> Y with direct paths) or crm (six components of 2-3 items, a 5-item outcome regressed on all six,
          as in the study crmstat was built for)
  k       3-8 constructs (7 for crm); 2-6 items each; loadings 0.4-0.9; N 100-1000 (120-800 for crm)
  answers 5-point (one study in five 7-point) Likert, cut from loading * factor + sqrt(1 - loading^2) * error at
          equally spaced thresholds shifted by a random amount, so that most items are skewed.
"""
import math
import os
import sys

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        """(0, 1]"""
        return ((self.next() >> 11) + 1) * (1.0 / 9007199254740992.0)

    def integer(self, lo, hi):
        """lo ... hi inclusive"""
        return lo + int(self.uniform() * (hi - lo + 1) - 1e-12) if hi > lo else lo

    def normal(self):
        u1 = self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(6.283185307179586 * u2)


def study(seed):
    rng = SplitMix64(seed * 7919 + 17)
    shape = ["star", "chain", "mediator", "crm"][rng.integer(0, 3)]
    if shape == "crm":
        k = 7
        n = rng.integer(120, 800)
        counts = [rng.integer(2, 3) for _ in range(6)] + [5]
    else:
        k = rng.integer(3, 8)
        n = rng.integer(100, 1000)
        counts = [rng.integer(2, 6) for _ in range(k)]
    points = 7 if rng.integer(1, 5) == 5 else 5
    # Structure: parents[j] lists (i, beta) for every path Fi -> Fj.
    parents = [[] for _ in range(k)]
    if shape in ("star", "crm"):
        for i in range(k - 1):
            parents[k - 1].append((i, 0.05 + 0.4 * rng.uniform()))
    elif shape == "chain":
        for j in range(1, k):
            parents[j].append((j - 1, 0.3 + 0.4 * rng.uniform()))
    else:  # mediator: F1..F(k-2) -> M = F(k-1) -> Y = Fk, plus direct paths to Y
        m, y = k - 2, k - 1
        for i in range(m):
            parents[m].append((i, 0.15 + 0.35 * rng.uniform()))
        parents[y].append((m, 0.2 + 0.4 * rng.uniform()))
        for i in range(m):
            parents[y].append((i, 0.3 * rng.uniform()))
    # Exogenous constructs share a common factor: corr(Fi, Fj) = sqrt(r_i r_j).
    share = [0.1 + 0.4 * rng.uniform() for _ in range(k)]
    loadings = [[0.4 + 0.5 * rng.uniform() for _ in range(c)] for c in counts]
    base = [(t - (points - 2) / 2.0) for t in range(points - 1)]
    shifts = [[-1.2 + 1.8 * rng.uniform() for _ in range(c)] for c in counts]
    rows = []
    for _ in range(n):
        g = rng.normal()
        f = [0.0] * k
        for j in range(k):
            if parents[j]:
                value = 0.0
                for i, beta in parents[j]:
                    value = value + beta * f[i]
                f[j] = value + 0.7071067811865476 * rng.normal()
            else:
                f[j] = math.sqrt(share[j]) * g + math.sqrt(1.0 - share[j]) * rng.normal()
        answers = []
        for j in range(k):
            for t in range(counts[j]):
                lam = loadings[j][t]
                ystar = lam * f[j] + math.sqrt(1.0 - lam * lam) * rng.normal()
                category = 1
                for b in base:
                    if ystar > b + shifts[j][t]:
                        category += 1
                answers.append(category)
        rows.append(answers)
    names = [f"F{j + 1}" for j in range(k)]
    items = [[f"F{j + 1}_{t + 1}" for t in range(counts[j])] for j in range(k)]
    model = [f"{names[j]} =~ " + " + ".join(items[j]) for j in range(k)]
    for j in range(k):
        if parents[j]:
            model.append(f"{names[j]} ~ " + " + ".join(names[i] for i, _ in parents[j]))
    header = [item for block in items for item in block]
    return shape, header, rows, "\n".join(model) + "\n"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.splitlines()[0])
    out, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    for seed in range(first, first + count):
        shape, header, rows, model = study(seed)
        with open(os.path.join(out, f"study-{seed}.csv"), "w") as f:
            f.write(",".join(header) + "\n")
            for r in rows:
                f.write(",".join(map(str, r)) + "\n")
        with open(os.path.join(out, f"study-{seed}.lav"), "w") as f:
            f.write(model)
        print(seed, shape, len(rows), len(header), sum(map(sum, rows)))


if __name__ == "__main__":
    main()
