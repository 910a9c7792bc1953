"""Usage: python3 Scripts/reference/noncentral_chisq.py

Exact values (mpmath, 40 significant digits) of the noncentral chi-square lower tail P(X <= x), X ~ chi2_df(ncp), for
Tests/DistributionsTests/ChiSquaredTests.swift's `noncentralChiSquaredExactCases`: the ncp >= 80 cases of
distributions.R's grid where R's pchisq (its series stops at an absolute error bound of 1e-12) and crmstat's
windowed sum differ by more than 1e-14, so that each is judged against the exact value instead of against the other.
Printed as Swift tuple literals (%.17g round-trips a double). mpmath 1.3.0.

The value is the Poisson(ncp/2) mixture of central chi-square cdfs (regularized lower incomplete gammas), summed
outward from the Poisson mode until a term is below 1e-35 of the sum.
"""
import mpmath

mpmath.mp.dps = 40
CASES = [(400, 1, 80), (150, 8, 80), (400, 8, 80), (150, 24, 80), (400, 87, 80), (400, 300, 80), (400, 1, 150),
         (400, 8, 150), (400, 87, 150), (400, 300, 150), (4674.26299001716, 265, 4409.26299001716)]


def lower_tail(x, df, ncp):
    x, df, mu = mpmath.mpf(x), mpmath.mpf(df), mpmath.mpf(ncp) / 2

    def term(j):
        weight = mpmath.exp(-mu + j * mpmath.log(mu) - mpmath.loggamma(j + 1))
        return weight * mpmath.gammainc(df / 2 + j, 0, x / 2, regularized=True)

    mode = int(mu)
    total = term(mode)
    for step in (1, -1):
        j = mode + step
        while j >= 0:
            t = term(j)
            total += t
            if t < total * mpmath.mpf(10) ** -35 and (j - mu) * step > 0:
                break
            j += step
    return total


for x, df, ncp in CASES:
    p = lower_tail(x, df, ncp)
    print(f"    (x: {x!r}, df: {df}, ncp: {ncp!r}, cdf: {float(p):.17g}, survival: {float(1 - p):.17g}),")
