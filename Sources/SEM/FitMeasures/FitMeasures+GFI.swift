extension FitMeasures {
    /// Goodness-of-fit index (Jöreskog & Sörbom 1984), as lavaan's `lav_fit_gfi` with the ML weight
    /// W = Σ̂⁻¹: GFI = 1 − tr((W R)²) / tr((W S₀)²) with R = S − Σ̂. With fixed.x covariates lavaan's weight
    /// ignores their block of vech(S) (`lav_mvnorm_information_expected` with x.idx), so that block of R and of
    /// S₀ is set to zero.
    static func goodnessOfFit(_ input: FitInputs) -> Double? {
        let p = input.p
        var s0 = input.s
        var r = (0..<(p * p)).map { input.s[$0] - input.sigma[$0] }
        for i in input.exogenous {
            for j in input.exogenous {
                s0[i + j * p] = 0
                r[i + j * p] = 0
            }
        }
        var ws = [Double](repeating: 0, count: p * p)
        var wr = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            for i in 0..<p {
                var a = 0.0
                var b = 0.0
                for k in 0..<p {
                    let wik = input.sigmaInverse[i + k * p]
                    a += wik * s0[k + j * p]
                    b += wik * r[k + j * p]
                }
                ws[i + j * p] = a
                wr[i + j * p] = b
            }
        }
        var t1 = 0.0
        var t2 = 0.0
        for j in 0..<p {
            for i in 0..<p {
                t1 += wr[i + j * p] * wr[j + i * p]
                t2 += ws[i + j * p] * ws[j + i * p]
            }
        }
        return finite(1 - t1 / t2)
    }

    /// Adjusted GFI, as lavaan's `lav_fit_agfi`: AGFI = 1 − (p*/df)(1 − GFI) with p* = p(p+1)/2; 1 when df = 0.
    static func adjustedGoodnessOfFit(gfi: Double, moments: Int, df: Int) -> Double? {
        guard df > 0 else { return 1 }
        return finite(1 - Double(moments) / Double(df) * (1 - gfi))
    }
}
