import Foundation

/// One way to serve the model: a GPU type at a tensor-parallel degree, with what one replica
/// (a TP group of `tensorParallel` GPUs) can carry while every latency target holds.
///
/// Candidates come from the performance model (``CandidateGenerator``); tests build them by hand.
public struct ServingCandidate: Sendable, Hashable {
    public var gpu: GPU
    public var tensorParallel: Int
    /// Load one replica carries within the SLO, in the workload's demand unit (concurrent sequences,
    /// or requests per second).
    public var capacityPerReplica: Double
    /// Concurrent sequences one replica holds at that load.
    public var concurrencyPerReplica: Double
    /// Predicted latency at that load, at the SLO percentile.
    public var ttftMs: Double
    public var tpotMs: Double
    /// Output tokens per second of one replica at that load.
    public var outputTokensPerSecond: Double
    /// Device memory one GPU of the replica uses (weights + KV cache + overhead) and has.
    public var memoryUsedPerGPUGiB: Double
    /// Bytes of weights one replica holds (all of its GPUs together), GiB.
    public var weightsPerReplicaGiB: Double
    /// Under a rate demand: the requests one replica's KV cache and engine cap hold at once (C) and the
    /// peakedness of the count in flight at ``capacityPerReplica`` (``ContinuousBatching/inFlightPeakedness(rate:)``);
    /// nil under a concurrency demand (a closed loop's count is fixed).
    public var slotsPerReplica: Double?
    public var inFlightPeakedness: Double?
    /// What sets ``capacityPerReplica``; nil for a candidate built by hand.
    public var limit: ReplicaLimit?
    /// The mixture-of-experts layout the replica was sized in (the engines' default for a dense model or at TP 1).
    public var layout: ParallelLayout
    /// Under `max_num_seqs: auto`, the cap the replica was sized with (per attention rank): what its KV cache
    /// holds, the value to set; nil when the spec's or the engine's cap applies.
    public var maxNumSeqs: Int?

    /// The share of time the count in flight, taken as normal with mean a = ``concurrencyPerReplica`` and
    /// variance z a, reaches the slots: 1 − Φ((C − a) / √(z a)); nil under a concurrency demand.
    public var slotCapShare: Double? {
        guard let slots = slotsPerReplica, let z = inFlightPeakedness else { return nil }
        let a = max(1e-12, concurrencyPerReplica)
        return 0.5 * erfc((slots - a) / (z * a).squareRoot() / 2.0.squareRoot())
    }

    public init(
        gpu: GPU, tensorParallel: Int, capacityPerReplica: Double, concurrencyPerReplica: Double,
        ttftMs: Double, tpotMs: Double, outputTokensPerSecond: Double,
        memoryUsedPerGPUGiB: Double, weightsPerReplicaGiB: Double,
        slotsPerReplica: Double? = nil, inFlightPeakedness: Double? = nil, limit: ReplicaLimit? = nil,
        layout: ParallelLayout = .enginesDefault, maxNumSeqs: Int? = nil
    ) {
        self.gpu = gpu
        self.tensorParallel = tensorParallel
        self.capacityPerReplica = capacityPerReplica
        self.concurrencyPerReplica = concurrencyPerReplica
        self.ttftMs = ttftMs
        self.tpotMs = tpotMs
        self.outputTokensPerSecond = outputTokensPerSecond
        self.memoryUsedPerGPUGiB = memoryUsedPerGPUGiB
        self.weightsPerReplicaGiB = weightsPerReplicaGiB
        self.slotsPerReplica = slotsPerReplica
        self.inFlightPeakedness = inFlightPeakedness
        self.limit = limit
        self.layout = layout
        self.maxNumSeqs = maxNumSeqs
    }

    /// Whether a rate demand rates this replica where the fast model's slot wait is known to fall short of
    /// the step simulator's: where the count in flight fluctuates at least three times as much as a Poisson
    /// count (long prompts) and so reaches the slots C more often than the SLO's percentile leaves room for
    /// (``slotCapShare`` above 1 − p). The slot wait (Erlang C) takes the count as Poisson, which serves
    /// short prompts (peakedness 1.4–1.7: within 6 % of the simulator at 85 % of saturation) but not long
    /// ones (8,192-token prompts, peakedness 5–6: 34–59 % low at 85 %; docs/performance-model.md, "Known and
    /// left: Poisson arrivals near saturation with long prompts").
    public func slotWaitUnderestimated(percentile p: Double) -> Bool {
        guard let share = slotCapShare, let z = inFlightPeakedness, z >= Self.peakednessBeyondErlangC else { return false }
        return share > 1 - p
    }

    /// The peakedness from which ``slotWaitUnderestimated(percentile:)`` holds the slot wait suspect.
    public static let peakednessBeyondErlangC = 3.0

    /// `gpu-id@tpN`, the name used in the MILP and in messages.
    public var key: String { "\(gpu.id)@tp\(tensorParallel)" }
}
