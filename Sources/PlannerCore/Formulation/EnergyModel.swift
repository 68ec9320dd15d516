/// Average draw while serving, for TCO. PSUs and cooling are sized from the peak instead.
///
/// Published H100 SXM figures (700 W TDP): ≈700 W in prefill, ≈380 W in decode, ≈75 W idle. A
/// serving GPU alternates prefill and decode; at its rated load it is never idle. So its average is
/// TDP × (s · 700/700 + (1 − s) · 380/700), with s the share of GPU time in prefill. The same
/// fractions are applied to every GPU (no other vendor publishes phase figures).
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
    /// with the candidate's own figures (output tokens inferred from its throughput when not given).
    public static func prefillShare(of candidate: ServingCandidate, outputTokens: Double?) -> Double {
        let tokens = outputTokens ?? 256
        let total = candidate.ttftMs + tokens * candidate.tpotMs
        return total > 0 ? candidate.ttftMs / total : 0
    }
}
