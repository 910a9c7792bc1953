import Distributions
import Testing

// R 4.2.2 values from Scripts/reference/distributions.R, sections `regularizedBetaCases` (pbeta),
// `inverseBetaCases` (qbeta), `incompleteGammaCases` (pgamma) and `logGammaCases` (lgamma).
// Measured agreement: pbeta 2e-13 relative, qbeta 1.3e-13, pgamma 6e-14, lgamma identical.

@Suite("Special functions against R")
struct SpecialFunctionsTests {
    @Test("I_x(a, b) and its complement (relative 1e-11)")
    func regularizedBeta() {
        for c in regularizedBetaCases {
            #expect(
                relativeError(SpecialFunctions.regularizedBeta(c.x, a: c.a, b: c.b), c.value) <= 1e-11,
                "pbeta(\(c.x), \(c.a), \(c.b))")
            #expect(
                relativeError(SpecialFunctions.regularizedBetaComplement(c.x, a: c.a, b: c.b), c.complement) <= 1e-11,
                "pbeta(\(c.x), \(c.a), \(c.b), lower = FALSE)")
        }
    }

    @Test("Inverse of I_x(a, b) (relative 1e-11)")
    func inverseBeta() {
        for c in inverseBetaCases {
            #expect(
                relativeError(SpecialFunctions.inverseRegularizedBeta(c.p, a: c.a, b: c.b), c.x) <= 1e-11,
                "qbeta(\(c.p), \(c.a), \(c.b))")
        }
    }

    @Test("P(a, x) and Q(a, x) (relative 1e-12)")
    func incompleteGamma() {
        for c in incompleteGammaCases {
            #expect(relativeError(SpecialFunctions.regularizedGammaP(c.a, c.x), c.p) <= 1e-12, "pgamma(\(c.x), \(c.a))")
            #expect(
                relativeError(SpecialFunctions.regularizedGammaQ(c.a, c.x), c.q) <= 1e-12,
                "pgamma(\(c.x), \(c.a), lower = FALSE)")
        }
    }

    @Test("log Γ (absolute 1e-14 where R gives 0, else relative 1e-14)")
    func logGamma() {
        for c in logGammaCases {
            let value = SpecialFunctions.logGamma(c.x)
            if c.value == 0 {
                #expect(abs(value) <= 1e-14, "lgamma(\(c.x))")
            } else {
                #expect(relativeError(value, c.value) <= 1e-14, "lgamma(\(c.x))")
            }
        }
    }

    @Test("Invalid arguments give NaN; x outside (0, 1) gives 0 or 1")
    func edges() {
        #expect(SpecialFunctions.logGamma(-1).isNaN && SpecialFunctions.logGamma(0) == .infinity)
        #expect(SpecialFunctions.regularizedBeta(0.5, a: 0, b: 1).isNaN)
        #expect(SpecialFunctions.regularizedBeta(-0.1, a: 2, b: 3) == 0)
        #expect(SpecialFunctions.regularizedBeta(1.1, a: 2, b: 3) == 1)
        #expect(SpecialFunctions.inverseRegularizedBeta(1.5, a: 2, b: 3).isNaN)
        #expect(SpecialFunctions.regularizedGammaP(-1, 2).isNaN)
        #expect(SpecialFunctions.regularizedGammaQ(2, 0) == 1)
    }
}

private let regularizedBetaCases: [(x: Double, a: Double, b: Double, value: Double, complement: Double)] = [
    (x: 0.01, a: 0.5, b: 0.5, value: 0.06376856085851984, complement: 0.9362314391414801),
    (x: 0.29999999999999999, a: 0.5, b: 0.5, value: 0.36901011956554525, complement: 0.6309898804344547),
    (x: 0.90000000000000002, a: 0.5, b: 0.5, value: 0.79516723530086664, complement: 0.20483276469913339),
    (x: 0.98999999999999999, a: 0.5, b: 0.5, value: 0.9362314391414801, complement: 0.063768560858519868),
    (x: 0.01, a: 2, b: 0.5, value: 3.76257078469455e-05, complement: 0.99996237429215307),
    (x: 0.29999999999999999, a: 2, b: 0.5, value: 0.0378409694858131, complement: 0.96215903051418694),
    (x: 0.90000000000000002, a: 2, b: 0.5, value: 0.54146973927558495, complement: 0.458530260724415),
    (x: 0.98999999999999999, a: 2, b: 0.5, value: 0.85049999999999992, complement: 0.14950000000000005),
    (x: 0.01, a: 250, b: 0.5, value: 0, complement: 1),
    (x: 0.29999999999999999, a: 250, b: 0.5, value: 8.1214315277117848e-133, complement: 1),
    (x: 0.90000000000000002, a: 250, b: 0.5, value: 4.0308748472549503e-13, complement: 0.99999999999959699),
    (x: 0.98999999999999999, a: 250, b: 0.5, value: 0.025054006060311051, complement: 0.97494599393968895),
    (x: 0.01, a: 0.5, b: 3, value: 0.18625375000000002, complement: 0.81374625),
    (x: 0.29999999999999999, a: 0.5, b: 3, value: 0.8400694725735488, complement: 0.15993052742645117),
    (x: 0.90000000000000002, a: 0.5, b: 3, value: 0.99967502532072894, complement: 0.00032497467927108335),
    (x: 0.98999999999999999, a: 0.5, b: 3, value: 0.99999968632104452, complement: 3.1367895544724367e-07),
    (x: 0.01, a: 2, b: 3, value: 0.00059203000000000033, complement: 0.99940797000000003),
    (x: 0.29999999999999999, a: 2, b: 3, value: 0.34829999999999989, complement: 0.65170000000000017),
    (x: 0.90000000000000002, a: 2, b: 3, value: 0.99629999999999996, complement: 0.0036999999999999993),
    (x: 0.98999999999999999, a: 2, b: 3, value: 0.99999602999999992, complement: 3.9699999999999993e-06),
    (x: 0.01, a: 250, b: 3, value: 0, complement: 1),
    (x: 0.29999999999999999, a: 250, b: 3, value: 2.9650846122791461e-127, complement: 1),
    (x: 0.90000000000000002, a: 250, b: 3, value: 1.2353409137646802e-09, complement: 0.99999999876465906),
    (x: 0.98999999999999999, a: 250, b: 3, value: 0.53802590102648007, complement: 0.46197409897351988),
    (x: 0.01, a: 0.5, b: 5000, value: 1, complement: 1.1849636488949736e-23),
    (x: 0.29999999999999999, a: 0.5, b: 5000, value: 1, complement: 0),
    (x: 0.90000000000000002, a: 0.5, b: 5000, value: 1, complement: 0),
    (x: 0.98999999999999999, a: 0.5, b: 5000, value: 1, complement: 0),
    (x: 0.01, a: 2, b: 5000, value: 1, complement: 7.6479169610899044e-21),
    (x: 0.29999999999999999, a: 2, b: 5000, value: 1, complement: 0),
    (x: 0.90000000000000002, a: 2, b: 5000, value: 1, complement: 0),
    (x: 0.98999999999999999, a: 2, b: 5000, value: 1, complement: 0),
    (x: 0.01, a: 250, b: 5000, value: 1.480100765285993e-87, complement: 1),
    (x: 0.29999999999999999, a: 250, b: 5000, value: 1, complement: 0),
    (x: 0.90000000000000002, a: 250, b: 5000, value: 1, complement: 0),
    (x: 0.98999999999999999, a: 250, b: 5000, value: 1, complement: 0),
]

private let inverseBetaCases: [(p: Double, a: Double, b: Double, x: Double)] = [
    (p: 1e-100, a: 0.5, b: 0.5, x: 2.4674011002723406e-200),
    (p: 1e-10, a: 0.5, b: 0.5, x: 2.4674011002723406e-20),
    (p: 0.01, a: 0.5, b: 0.5, x: 0.00024671981713422151),
    (p: 0.5, a: 0.5, b: 0.5, x: 0.49999999999999989),
    (p: 0.98999999999999999, a: 0.5, b: 0.5, x: 0.9997532801828658),
    (p: 1e-100, a: 2, b: 0.5, x: 1.6329931618554603e-50),
    (p: 1e-10, a: 2, b: 0.5, x: 1.6329887174004229e-05),
    (p: 0.01, a: 2, b: 0.5, x: 0.15874471294692816),
    (p: 0.5, a: 2, b: 0.5, x: 0.87938524157181674),
    (p: 0.98999999999999999, a: 2, b: 0.5, x: 0.99995555423861482),
    (p: 1e-100, a: 250, b: 0.5, x: 0.40303732832441441),
    (p: 1e-10, a: 250, b: 0.5, x: 0.91968320308887375),
    (p: 0.01, a: 250, b: 0.5, x: 0.98680477555256685),
    (p: 0.5, a: 250, b: 0.5, x: 0.9990896315326705),
    (p: 0.98999999999999999, a: 250, b: 0.5, x: 0.99999968551000096),
    (p: 1e-100, a: 0.5, b: 3, x: 2.8444444444444247e-201),
    (p: 1e-10, a: 0.5, b: 3, x: 2.8444444444444445e-21),
    (p: 0.01, a: 0.5, b: 3, x: 2.8445523288735246e-05),
    (p: 0.5, a: 0.5, b: 3, x: 0.079032767076173016),
    (p: 0.98999999999999999, a: 0.5, b: 3, x: 0.69612594820392193),
    (p: 1e-100, a: 2, b: 3, x: 4.0824829046386276e-51),
    (p: 1e-10, a: 2, b: 3, x: 4.0824940158083298e-06),
    (p: 0.01, a: 2, b: 3, x: 0.041998635621700718),
    (p: 0.5, a: 2, b: 3, x: 0.38572756813238951),
    (p: 0.98999999999999999, a: 2, b: 3, x: 0.85913245730545407),
    (p: 1e-100, a: 250, b: 3, x: 0.3834169275412761),
    (p: 1e-10, a: 250, b: 3, x: 0.89036461512577381),
    (p: 0.01, a: 250, b: 3, x: 0.96706421636068773),
    (p: 0.5, a: 250, b: 3, x: 0.9894028290837743),
    (p: 0.98999999999999999, a: 250, b: 3, x: 0.998264266204267),
    (p: 1e-100, a: 0.5, b: 5000, x: 1.5708748685746466e-204),
    (p: 1e-10, a: 0.5, b: 5000, x: 1.5708748685746356e-24),
    (p: 0.01, a: 0.5, b: 5000, x: 1.5709571126498397e-08),
    (p: 0.5, a: 0.5, b: 5000, x: 4.5494882118773353e-05),
    (p: 0.98999999999999999, a: 0.5, b: 5000, x: 0.00066330275098388776),
    (p: 1e-100, a: 2, b: 5000, x: 2.828144324453051e-54),
    (p: 1e-10, a: 2, b: 5000, x: 2.8281576525404929e-09),
    (p: 0.01, a: 2, b: 5000, x: 2.9707536131200987e-05),
    (p: 0.5, a: 2, b: 5000, x: 0.00033557951762996295),
    (p: 0.98999999999999999, a: 2, b: 5000, x: 0.0013266568928095527),
    (p: 1e-100, a: 250, b: 5000, x: 0.008614590575358759),
    (p: 1e-10, a: 250, b: 5000, x: 0.031156158901954022),
    (p: 0.01, a: 250, b: 5000, x: 0.041037459410395938),
    (p: 0.5, a: 250, b: 5000, x: 0.047561609768696014),
    (p: 0.98999999999999999, a: 250, b: 5000, x: 0.054707312235115824),
]

private let incompleteGammaCases: [(a: Double, x: Double, p: Double, q: Double)] = [
    (a: 0.5, x: 0.0050000000000000001, p: 0.079655674554057962, q: 0.92034432544594202),
    (a: 0.5, x: 0.25, p: 0.52049987781304652, q: 0.47950012218695348),
    (a: 0.5, x: 0.5, p: 0.68268949213708596, q: 0.31731050786291415),
    (a: 0.5, x: 0.75, p: 0.77932863808015318, q: 0.22067136191984676),
    (a: 0.5, x: 2, p: 0.95449973610364158, q: 0.045500263896358473),
    (a: 1, x: 0.01, p: 0.0099501662508319471, q: 0.990049833749168),
    (a: 1, x: 0.5, p: 0.39346934028736658, q: 0.60653065971263342),
    (a: 1, x: 1, p: 0.63212055882855767, q: 0.36787944117144233),
    (a: 1, x: 1.5, p: 0.77686983985157021, q: 0.22313016014842982),
    (a: 1, x: 4, p: 0.98168436111126578, q: 0.018315638888734179),
    (a: 3.5, x: 0.035000000000000003, p: 6.7108853230119108e-07, q: 0.9999993289114677),
    (a: 3.5, x: 1.75, p: 0.16477451738965784, q: 0.83522548261034213),
    (a: 3.5, x: 3.5, p: 0.57112014244694531, q: 0.42887985755305469),
    (a: 3.5, x: 5.25, p: 0.83803550692057183, q: 0.16196449307942817),
    (a: 3.5, x: 14, p: 0.99978010754315416, q: 0.00021989245684579632),
    (a: 50, x: 0.5, p: 1.7887765104351365e-80, q: 1),
    (a: 50, x: 25, p: 6.9533052476160996e-06, q: 0.99999304669475242),
    (a: 50, x: 50, p: 0.51880831547204331, q: 0.48119168452795669),
    (a: 50, x: 75, p: 0.99909606795764594, q: 0.00090393204235400938),
    (a: 50, x: 200, p: 1, q: 1.6927979958857087e-37),
    (a: 5000, x: 50, p: 0, q: 1),
    (a: 5000, x: 2500, p: 0, q: 1),
    (a: 5000, x: 5000, p: 0.50188063403381744, q: 0.49811936596618267),
    (a: 5000, x: 7500, p: 1, q: 5.91586882905196e-208),
    (a: 5000, x: 20000, p: 1, q: 0),
]

private let logGammaCases: [(x: Double, value: Double)] = [
    (x: 1e-08, value: 18.420680738180209),
    (x: 0.25, value: 1.2880225246980774),
    (x: 1, value: 0),
    (x: 1.5, value: -0.12078223763524518),
    (x: 2, value: 0),
    (x: 3.2999999999999998, value: 0.98709857789473443),
    (x: 10, value: 12.801827480081469),
    (x: 10.5, value: 13.940625219403763),
    (x: 87.25, value: 301.3363470627703),
    (x: 5000, value: 37582.626315685353),
    (x: 10000000, value: 151180949.36947393),
]
