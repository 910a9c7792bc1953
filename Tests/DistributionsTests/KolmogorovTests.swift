import Distributions
import Testing

// R 4.2.2 values from Scripts/reference/distributions.R, section `kolmogorovCases`:
// 1 − .Call(stats:::C_pKS2, x, tol = 1e-6), the asymptotic p-value of ks.test(exact = FALSE). Same truncated
// series in the same operation order, so the tolerance is 1e-15 absolute (measured: identical).

@Suite("Kolmogorov limiting distribution against R")
struct KolmogorovTests {
    @Test("1 − pkstwo(x, tol = 1e-6) (absolute 1e-15)")
    func survival() {
        for c in kolmogorovCases {
            #expect(abs(Kolmogorov.limitingSurvival(c.x) - c.survival) <= 1e-15, "1 - pkstwo(\(c.x))")
        }
    }

    @Test("x ≤ 0 gives 1, NaN gives NaN, large x gives 0")
    func edges() {
        #expect(Kolmogorov.limitingSurvival(0) == 1 && Kolmogorov.limitingSurvival(-1) == 1)
        #expect(Kolmogorov.limitingSurvival(.nan).isNaN)
        #expect(Kolmogorov.limitingSurvival(10) == 0)
    }
}

private let kolmogorovCases: [(x: Double, survival: Double)] = [
    (x: 0.050000000000000003, survival: 1),
    (x: 0.20000000000000001, survival: 0.99999999999949496),
    (x: 0.5, survival: 0.96394524366487511),
    (x: 0.80000000000000004, survival: 0.54414250308288747),
    (x: 0.98999999999999999, survival: 0.28090427906966486),
    (x: 1, survival: 0.26999967167737982),
    (x: 1.2, survival: 0.112249666670725),
    (x: 1.3600000000000001, survival: 0.049485876755370861),
    (x: 1.6299999999999999, survival: 0.0098463648884864474),
    (x: 2, survival: 0.00067092525577971962),
    (x: 3, survival: 3.0459959443618345e-08),
]
