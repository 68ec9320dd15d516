/// Average draw while serving, for TCO. PSUs and cooling are sized from the peak instead.
///
/// Published H100 SXM figures (700 W TDP): ≈700 W in prefill, ≈380 W in decode, ≈75 W idle. A
/// replica at its rated load alternates prefill and decode and is never idle: its GPUs average
/// TDP × a, a = s · 700/700 + (1 − s) · 380/700, with s the share of GPU time in prefill for the
/// spec's requests. Below its rated load a replica carrying a fraction u of it draws
/// TDP × (i + u · (a − i)), i = 75/700: power linear between idle and the rated point (the usual
/// linear server-power model). The same fractions are applied to every GPU (no other vendor
/// publishes phase figures). Wall draw divides each server's load by the efficiency of the PSU it
/// carries.
public enum EnergyModel {
    public static let prefillFractionOfTDP = 700.0 / 700
    public static let decodeFractionOfTDP = 380.0 / 700
    public static let idleFractionOfTDP = 75.0 / 700
    /// CPUs, fans, DIMMs, SSDs and NICs average about half their nameplate peak while serving
    /// (an assumption, not a measurement; change it here).
    public static let platformAverageFraction = 0.5

    /// Average GPU draw as a fraction of TDP, for a prefill time share `s` ∈ [0, 1].
    public static func gpuAverageFraction(prefillShare s: Double) -> Double {
        let share = min(max(s.isFinite ? s : 0, 0), 1)
        return share * prefillFractionOfTDP + (1 - share) * decodeFractionOfTDP
    }

    /// Share of a request's service time spent in prefill: TTFT ÷ (TTFT + output tokens × TPOT),
    /// with the candidate's TTFT and TPOT at its rated load and the spec's `output_tokens`
    /// (`nil`, for a problem built in code without a workload: 0, decode only).
    public static func prefillShare(of candidate: ServingCandidate, outputTokens: Int?) -> Double {
        guard let tokens = outputTokens else { return 0 }
        let total = candidate.ttftMs + Double(tokens) * candidate.tpotMs
        return total > 0 ? candidate.ttftMs / total : 0
    }

    /// Watts one unit of load adds to the GPUs of `candidate` above idle:
    /// (a − i) · TDP · TP ÷ capacity per replica.
    static func activeWattsPerLoad(_ candidate: ServingCandidate, outputTokens: Int?) -> Double {
        guard candidate.capacityPerReplica > 0 else { return 0 }
        let active = gpuAverageFraction(prefillShare: prefillShare(of: candidate, outputTokens: outputTokens))
        return (active - idleFractionOfTDP) * candidate.gpu.powerWatts * Double(candidate.tensorParallel) / candidate.capacityPerReplica
    }
}

/// What the average draw is computed for: the spec's requests and the load the bought servers
/// carry on average. Set by ``ProblemBuilder`` from the spec.
public struct EnergyWorkload: Sendable, Hashable {
    /// Output tokens per request (`workload.output_tokens`); nil: decode only.
    public var outputTokens: Int?
    /// Load the bought servers carry, in the demand unit: the spec's stated load (growth headroom
    /// excluded) less what owned servers carry. nil: every replica at its rated load (maximum
    /// throughput, or a problem built in code).
    public var load: Double?

    public init(outputTokens: Int? = nil, load: Double? = nil) {
        self.outputTokens = outputTokens
        self.load = load
    }
}
