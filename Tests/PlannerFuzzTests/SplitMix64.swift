/// A tiny, fast, deterministic PRNG (Steele, Lea & Flood 2014): the same seed gives the same
/// stream on every machine and Swift version, so every fuzz case can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// The seed of case `index` in a run seeded with `base`: cases are independent, so a failure
/// names one seed that replays it alone (`FUZZ_SEED=... FUZZ_CASES=1`).
func caseSeed(base: UInt64, index: Int) -> UInt64 {
    var g = SplitMix64(seed: base ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
    return g.next()
}
