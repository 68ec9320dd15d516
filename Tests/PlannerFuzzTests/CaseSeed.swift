import PlannerTestSupport

/// The seed of case `index` in a run seeded with `base`: cases are independent, so a failure
/// names one seed that replays it alone (`FUZZ_SEED=... FUZZ_CASES=1`).
func caseSeed(base: UInt64, index: Int) -> UInt64 {
    var g = SplitMix64(seed: base ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
    return g.next()
}
