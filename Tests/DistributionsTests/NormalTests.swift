import Distributions
import Testing

// R 4.2.2 values from Scripts/reference/distributions.R, sections `normalCDFCases` and `normalQuantileCases`.
// pnorm is Cody's algorithm and qnorm is AS 241 in both R and Swift, so the tolerance is a few ulps.

@Suite("Normal distribution against R")
struct NormalTests {
    @Test("pnorm, both tails, |x| up to 37.5 (relative 1e-15)")
    func cdfAndSurvival() {
        for c in normalCDFCases {
            #expect(relativeError(Normal.cdf(c.x), c.cdf) <= 1e-15, "pnorm(\(c.x))")
            #expect(relativeError(Normal.survival(c.x), c.survival) <= 1e-15, "pnorm(\(c.x), lower = FALSE)")
        }
    }

    @Test("qnorm from 1e-300 to 1 − 1e-12 (relative 1e-15)")
    func quantile() {
        for c in normalQuantileCases {
            #expect(relativeError(Normal.quantile(c.p), c.quantile) <= 1e-15, "qnorm(\(c.p))")
        }
    }

    @Test("Edge cases: p = 0, 1 give ∓∞; p outside [0, 1] and NaN give NaN")
    func edges() {
        #expect(Normal.quantile(0) == -.infinity)
        #expect(Normal.quantile(1) == .infinity)
        #expect(Normal.quantile(-0.1).isNaN)
        #expect(Normal.quantile(1.5).isNaN)
        #expect(Normal.cdf(.nan).isNaN)
        #expect(Normal.cdf(-.infinity) == 0 && Normal.survival(.infinity) == 0)
        #expect(Normal.cdf(0) == 0.5 && Normal.survival(0) == 0.5)
    }
}

private let normalCDFCases: [(x: Double, cdf: Double, survival: Double)] = [
    (x: -37.5, cdf: 4.6053530095819552e-308, survival: 1),
    (x: -20, cdf: 2.7536241186062337e-89, survival: 1),
    (x: -8.5, cdf: 9.4795348222033192e-18, survival: 1),
    (x: -5.7000000000000002, cdf: 5.9903714010635279e-09, survival: 0.99999999400962858),
    (x: -3, cdf: 0.0013498980316300946, survival: 0.9986501019683699),
    (x: -1.96, cdf: 0.024997895148220428, survival: 0.97500210485177963),
    (x: -0.6744, cdf: 0.25002852137294063, survival: 0.74997147862705937),
    (x: -1e-10, cdf: 0.49999999996010575, survival: 0.5000000000398942),
    (x: 0, cdf: 0.5, survival: 0.5),
    (x: 0.5, cdf: 0.69146246127401301, survival: 0.30853753872598694),
    (x: 0.67449999999999999, cdf: 0.75000325713630078, survival: 0.24999674286369922),
    (x: 1, cdf: 0.84134474606854293, survival: 0.15865525393145705),
    (x: 1.5, cdf: 0.93319279873114191, survival: 0.066807201268858071),
    (x: 2.5, cdf: 0.99379033467422384, survival: 0.0062096653257761349),
    (x: 5.6500000000000004, cdf: 0.99999999197760814, survival: 8.0223918506634971e-09),
    (x: 6, cdf: 0.9999999990134123, survival: 9.8658764503769809e-10),
    (x: 8.3000000000000007, cdf: 1, survival: 5.2055697448902552e-17),
    (x: 10, cdf: 1, survival: 7.6198530241605269e-24),
    (x: 20, cdf: 1, survival: 2.7536241186062337e-89),
    (x: 37.5, cdf: 1, survival: 4.6053530095819552e-308),
]

private let normalQuantileCases: [(p: Double, quantile: Double)] = [
    (p: 1e-300, quantile: -37.047096299361201),
    (p: 1e-100, quantile: -21.273453560965319),
    (p: 9.9999999999999995e-21, quantile: -9.2623400897984052),
    (p: 9.9999999999999998e-13, quantile: -7.0344838253011321),
    (p: 1.3e-11, quantile: -6.6676114565107403),
    (p: 1e-08, quantile: -5.61200124417479),
    (p: 0.0001, quantile: -3.71901648545568),
    (p: 0.001, quantile: -3.0902323061678132),
    (p: 0.025000000000000001, quantile: -1.9599639845400538),
    (p: 0.050000000000000003, quantile: -1.6448536269514726),
    (p: 0.074999999999999997, quantile: -1.4395314709384557),
    (p: 0.0751, quantile: -1.4388253927525398),
    (p: 0.20000000000000001, quantile: -0.84162123357291418),
    (p: 0.5, quantile: 0),
    (p: 0.69999999999999996, quantile: 0.52440051270804067),
    (p: 0.92500000000000004, quantile: 1.4395314709384559),
    (p: 0.94999999999999996, quantile: 1.6448536269514715),
    (p: 0.97499999999999998, quantile: 1.9599639845400536),
    (p: 0.999, quantile: 3.0902323061678132),
    (p: 0.99999998999999995, quantile: 5.6120012433055058),
    (p: 0.99999999999900002, quantile: 7.0344869100478356),
]
