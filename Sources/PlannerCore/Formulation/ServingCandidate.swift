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

    public init(
        gpu: GPU, tensorParallel: Int, capacityPerReplica: Double, concurrencyPerReplica: Double,
        ttftMs: Double, tpotMs: Double, outputTokensPerSecond: Double,
        memoryUsedPerGPUGiB: Double, weightsPerReplicaGiB: Double
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
    }

    /// `gpu-id@tpN`, the name used in the MILP and in messages.
    public var key: String { "\(gpu.id)@tp\(tensorParallel)" }
}
