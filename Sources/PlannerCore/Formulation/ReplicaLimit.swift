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
    /// targets, where its KV cache would hold `kvSequences`.
    case engineCap(sequences: Int, kvSequences: Int)
    /// Rate: the targets hold up to the replica's saturation rate (to 0.1 %); its throughput sets the
    /// capacity.
    case saturation
    /// A latency target binds at the SLO percentile.
    case latencyTarget(BindingTarget)

    /// The latency target that sets a replica's load, and how close to the replica's floor it sits.
    public struct BindingTarget: Sendable, Hashable {
        public var metric: LatencyMetric
        public var targetMs: Double
        /// At the next load (one more client; 0.1 % more rate): above ``targetMs``.
        public var nextMs: Double
        /// At the lightest load (one client, or a rate 10⁻⁴ of saturation).
        public var lightestMs: Double
        /// The load the replica could otherwise reach: C sequences, or its saturation rate in requests/s.
        public var ceiling: Double
        /// The engine's request overhead (fitted: HTTP, tokenisation, scheduling), part of every TTFT.
        public var requestOverheadMs: Double

        public init(metric: LatencyMetric, targetMs: Double, nextMs: Double, lightestMs: Double, ceiling: Double, requestOverheadMs: Double) {
            self.metric = metric
            self.targetMs = targetMs
            self.nextMs = nextMs
            self.lightestMs = lightestMs
            self.ceiling = ceiling
            self.requestOverheadMs = requestOverheadMs
        }
    }

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
        case let .latencyTarget(binding): "\(binding.metric.rawValue)_target"
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
