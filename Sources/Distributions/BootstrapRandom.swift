/// The bootstraps' random numbers (the SEM's and the PLS-SEM's): one independent stream per resample, so that the
/// resamples, and hence every bootstrap result, depend only on the seed and not on how many threads drew them or in
/// which order.
///
/// Stream (seed, stream) is xoshiro256** (Blackman & Vigna 2021) with its 256-bit state filled by SplitMix64
/// (Steele, Lea & Flood 2014) started from seed + (stream + 1)·φ·2⁶⁴ (φ the golden ratio), the seeding Vigna
/// recommends; uniform integers below n use Lemire's (2019) multiply-and-reject method, free of modulo bias.
public struct BootstrapRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64, stream: UInt64) {
        var x = seed &+ (stream &+ 1) &* 0x9E37_79B9_7F4A_7C15
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform integer in 0..<n (n > 0).
    public mutating func index(below n: Int) -> Int {
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }
}
