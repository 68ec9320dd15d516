/// Accepted ranges of spec numbers, shared by the loader, ``Spec/setting(_:to:)`` and the options of
/// `planner estimate` and `simulate` that mean the same thing (tokens, GPUs, tensor parallel, engine caps).
public enum SpecLimits {
    public static let tokens = 1...10_000_000
    public static let count = 1...100_000
    static let concurrency = 1...100_000
    static let requestsPerSecond = NumberRule.positive(max: 1_000_000)
    static let ttftMs = NumberRule.positive(max: 3_600_000)
    static let tpotMs = NumberRule.positive(max: 600_000)
    static let e2eMs = NumberRule.positive(max: 86_400_000)
    static let percentile = NumberRule.between(50, 99.9)
    static let capexUSD = NumberRule.positive(max: 1e11)
    static let years = NumberRule.positive(max: 30)
    static let electricity = NumberRule.nonNegative(max: 10)
    static let pue = NumberRule.between(1, 5)
    static let bandwidth = NumberRule.positive(max: 1_000_000)
    static let fraction05 = NumberRule.between(0, 0.5)
    static let growth = NumberRule.between(0, 10)
    static let rackPowerKW = NumberRule.positive(max: 10_000)
    public static let tensorParallel = 1...1_024
    static let loadSeconds = NumberRule.positive(max: 86_400)
    static let checkpoints = 0...1_000
    static let osReserveGB = NumberRule.nonNegative(max: 1_000_000)
    static let iops = NumberRule.nonNegative(max: 1e9)
    static let faultTolerance = 0...16
    static let perServer = 1...1_024
    /// `engine.max_num_seqs` (vLLM's `max_num_seqs`): the planner's own sanity bound, no engine source.
    public static let maxNumSeqs = 1...1_000_000
    /// `engine.max_num_batched_tokens`: the chunked-prefill token budget of one step. The floor of 16 is
    /// the planner's own sanity bound (no engine source; the engines' defaults are 8192).
    public static let maxNumBatchedTokens = 16...10_000_000
}
