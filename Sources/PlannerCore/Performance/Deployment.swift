/// What is deployed: one model at one precision on `gpuCount` GPUs of one type, split into
/// `gpuCount / tensorParallel` data-parallel replicas of `tensorParallel` GPUs each.
public struct Deployment: Sendable, Hashable {
    public var model: ModelArchitecture
    public var gpu: GPU
    public var gpuCount: Int
    public var tensorParallel: Int
    public var weightPrecision: Precision
    public var kvPrecision: Precision
    public var engine: EngineProfile
    /// Fraction of throughput lost to virtualisation (0 on bare metal; the seed guide quotes 0.15–0.30).
    public var virtualizationOverhead: Double

    public init(
        model: ModelArchitecture, gpu: GPU, gpuCount: Int, tensorParallel: Int,
        weightPrecision: Precision, kvPrecision: Precision, engine: EngineProfile,
        virtualizationOverhead: Double = 0
    ) {
        self.model = model
        self.gpu = gpu
        self.gpuCount = gpuCount
        self.tensorParallel = tensorParallel
        self.weightPrecision = weightPrecision
        self.kvPrecision = kvPrecision
        self.engine = engine
        self.virtualizationOverhead = virtualizationOverhead
    }

    /// Data-parallel replicas: whole groups of `tensorParallel` GPUs (at least 0).
    public var replicas: Int { tensorParallel > 0 ? max(0, gpuCount / tensorParallel) : 0 }
}

/// The traffic a deployment serves: fixed prompt and output lengths and a load.
public struct ServingWorkload: Sendable, Hashable {
    public var promptTokens: Int
    public var outputTokens: Int
    public var load: Load
    /// SLO percentile in (0, 1), e.g. 0.99; `nil` reports means.
    public var percentile: Double?

    public init(promptTokens: Int, outputTokens: Int, load: Load, percentile: Double? = nil) {
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.load = load
        self.percentile = percentile
    }

    public enum Load: Sendable, Hashable {
        /// `n` clients in a closed loop, each sending its next request when the last one ends.
        /// With fixed lengths they stay in lock-step: prompts are prefilled together.
        case concurrency(Int)
        /// Poisson arrivals at this many requests per second (whole deployment).
        case requestsPerSecond(Double)
        /// All requests queued at once: the maximum-throughput point.
        case maximum
    }
}
