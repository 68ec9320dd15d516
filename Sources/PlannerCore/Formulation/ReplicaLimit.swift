/// What sets the load one replica carries (``ServingCandidate/capacityPerReplica``), and so how many
/// replicas a demand needs: the replica's own ceiling — its KV cache, its engine's batch cap, its
/// throughput — reached within every target, or the first latency target that one more client (a
/// concurrency demand) or 0.1 % more rate (a rate demand) would break.
///
/// ``CandidateGenerator/evaluate(gpu:tensorParallel:)`` finds it beside the capacity; the plan prints it
/// under "What limits the plan", so a GPU count can be checked against one's own benchmark: a target
/// close to what the replica does at the lightest load (``lightestMs``) leaves room for few clients.
public enum ReplicaLimit: Sendable, Hashable {
    /// Concurrency: every sequence the KV cache holds runs within the targets.
    case kvCache(sequences: Int)
    /// Concurrency: the engine's batch cap (`max_num_seqs`) stops the replica at `sequences`, within the
    /// targets.
    case engineCap(sequences: Int)
    /// Rate: the targets hold up to the replica's saturation rate (to 0.1 %); its throughput sets the
    /// capacity.
    case saturation
    /// A latency target binds at the SLO percentile: the next load would take `nextMs` (above `targetMs`);
    /// the lightest load (one client, or a rate 10⁻⁴ of saturation) takes `lightestMs`; `ceiling` is the
    /// load the replica could otherwise reach (C sequences, or the saturation rate in requests/s).
    case latencyTarget(LatencyMetric, targetMs: Double, nextMs: Double, lightestMs: Double, ceiling: Double)

    /// The latency targets a spec can set.
    public enum LatencyMetric: String, Sendable, Hashable {
        case ttft
        case tpot
        /// End to end: TTFT + (output tokens − 1) × TPOT.
        case endToEnd = "e2e"
    }

    /// `kv_cache`, `engine_cap`, `saturation` or `<metric>_target`, as JSON writes it.
    public var code: String {
        switch self {
        case .kvCache: "kv_cache"
        case .engineCap: "engine_cap"
        case .saturation: "saturation"
        case let .latencyTarget(metric, _, _, _, _): "\(metric.rawValue)_target"
        }
    }
}

extension SLO {
    /// The target `ttft` / `tpot` (at the percentile) breaks furthest, as value ÷ target, with the value
    /// and the target; nil when every target holds. Ties go to TTFT, then TPOT.
    func mostBroken(ttftMs ttft: Double, tpotMs tpot: Double, outputTokens: Int)
        -> (metric: ReplicaLimit.LatencyMetric, valueMs: Double, targetMs: Double)?
    {
        let e2e = ttft + Double(max(outputTokens - 1, 0)) * tpot
        let checks: [(ReplicaLimit.LatencyMetric, Double, Double?)] = [(.ttft, ttft, ttftMs), (.tpot, tpot, tpotMs), (.endToEnd, e2e, e2eMs)]
        var worst: (metric: ReplicaLimit.LatencyMetric, valueMs: Double, targetMs: Double)?
        for (metric, value, target) in checks {
            guard let target, target > 0, value > target else { continue }
            if worst.map({ value / target > $0.valueMs / $0.targetMs }) ?? true { worst = (metric, value, target) }
        }
        return worst
    }
}
