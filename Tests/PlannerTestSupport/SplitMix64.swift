import PlannerCore

/// A tiny, fast, deterministic PRNG (SplitMix64, Steele, Lea & Flood 2014 — PlannerCore's
/// ``ArrivalRandom``, the simulator's generator): the same seed gives the same stream on every machine
/// and Swift version, so generated problems and fuzz cases replay exactly.
public struct SplitMix64: RandomNumberGenerator {
    private var base: ArrivalRandom

    public init(seed: UInt64) { base = ArrivalRandom(seed: seed) }

    public mutating func next() -> UInt64 { base.next() }

    /// A uniform integer in `0..<bound` (bound > 0; modulo bias is irrelevant here).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// A uniform integer in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

    /// True `percent` times in a hundred.
    public mutating func chance(percent: Int) -> Bool { below(100) < percent }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
