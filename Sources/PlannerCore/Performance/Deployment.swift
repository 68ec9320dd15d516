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
    /// The engine's scheduler and memory settings (its defaults unless a spec overrides them).
    public var engineSettings: EngineSettings
    /// Fraction of throughput lost to virtualisation (0 on bare metal; the seed guide quotes 0.15–0.30).
    public var virtualizationOverhead: Double

    public init(
        model: ModelArchitecture, gpu: GPU, gpuCount: Int, tensorParallel: Int,
        weightPrecision: Precision, kvPrecision: Precision, engine: EngineProfile,
        engineSettings: EngineSettings? = nil, virtualizationOverhead: Double = 0
    ) {
        self.model = model
        self.gpu = gpu
        self.gpuCount = gpuCount
        self.tensorParallel = tensorParallel
        self.weightPrecision = weightPrecision
        self.kvPrecision = kvPrecision
        self.engine = engine
        self.engineSettings = engineSettings ?? .defaults(for: engine)
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

    /// The three load kinds every command and calibration row speaks (docs/performance-model.md).
    public enum Load: Sendable, Hashable {
        /// Closed loop: `n` clients (whole deployment), each sending its next request the moment its
        /// previous one completes (vLLM `benchmark_serving --max-concurrency`, genai-perf/AIPerf
        /// `--concurrency`, trtllm-bench `--concurrency`). After the first wave arrivals are staggered and
        /// prompts join running decode steps.
        case concurrency(Int)
        /// Open loop: Poisson arrivals at this many requests per second (whole deployment).
        case requestsPerSecond(Double)
        /// `n` requests (whole deployment) sent at once and run to completion, as in offline throughput
        /// benchmarks (trtllm-bench throughput, vLLM `benchmark_throughput`, MLPerf Offline).
        case burst(Int)
        /// A burst so large that the engine runs full throughout: the steady-state maximum throughput.
        case maximum

        /// The vocabulary word printed in every output: `concurrency`, `requests_per_second`, `burst`, `maximum`.
        public var kind: String {
            switch self {
            case .concurrency: "concurrency"
            case .requestsPerSecond: "requests_per_second"
            case .burst: "burst"
            case .maximum: "maximum"
            }
        }
    }
}
