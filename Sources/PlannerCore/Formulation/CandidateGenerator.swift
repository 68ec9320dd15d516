import Foundation

extension SLO {
    /// Whether a deployment predicted at `ttft` / `tpot` (at the percentile) meets every target.
    func isMet(ttftMs ttft: Double, tpotMs tpot: Double, outputTokens: Int) -> Bool {
        guard ttft.isFinite, tpot.isFinite else { return false }
        if let limit = ttftMs, ttft > limit { return false }
        if let limit = tpotMs, tpot > limit { return false }
        if let limit = e2eMs, ttft + Double(max(outputTokens - 1, 0)) * tpot > limit { return false }
        return true
    }
}

/// How demand is counted: concurrent sequences in flight, or requests per second.
public enum DemandUnit: String, Sendable, Hashable {
    case concurrency
    case requestsPerSecond = "requests_per_second"
}

/// Why a (GPU, TP) pair cannot serve, for the infeasibility diagnosis.
public struct CandidateRejection: Error, Sendable, Hashable {
    public var gpu: GPU
    public var tensorParallel: Int
    public var reason: Reason

    public enum Reason: Sendable, Hashable {
        /// Weights, KV cache and overhead do not fit: the performance model's numbers.
        case doesNotFit(detail: String)
        /// Even at the lightest load the SLO is missed: predicted TTFT and TPOT at that load.
        case sloMissedAtLightestLoad(ttftMs: Double, tpotMs: Double)
    }
}

/// Turns the performance model into MILP candidates: for each GPU and TP degree, the largest load
/// one replica carries while TTFT, TPOT (and E2E) at the SLO percentile hold.
///
/// Load is modelled as Poisson arrivals (steady state, continuous batching); the capacity is found
/// by bisection on the arrival rate λ: the largest λ ≤ the maximum-throughput rate whose percentile
/// latencies meet the target. In concurrency units the capacity is Little's law at that rate:
/// N = λ · (mean TTFT + (output − 1) · mean TPOT).
public struct CandidateGenerator: Sendable {
    public var model: ModelArchitecture
    public var weightPrecision: Precision
    public var kvPrecision: Precision
    public var engine: EngineProfile
    public var virtualizationOverhead: Double
    public var promptTokens: Int
    public var outputTokens: Int
    public var target: SLO
    public var demandUnit: DemandUnit
    /// TP degrees tried (each ≤ 8, the largest NVLink domain in the catalog).
    public var tensorParallelDegrees: [Int]
    /// The performance model's constants (the catalog's, which `planner calibrate` overlays can change).
    public var calibration: CalibrationTable

    public init(
        model: ModelArchitecture, weightPrecision: Precision, kvPrecision: Precision, engine: EngineProfile,
        virtualizationOverhead: Double, promptTokens: Int, outputTokens: Int, target: SLO,
        demandUnit: DemandUnit, tensorParallelDegrees: [Int] = [1, 2, 4, 8], calibration: CalibrationTable = .shipped
    ) {
        self.calibration = calibration
        self.model = model
        self.weightPrecision = weightPrecision
        self.kvPrecision = kvPrecision
        self.engine = engine
        self.virtualizationOverhead = virtualizationOverhead
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.target = target
        self.demandUnit = demandUnit
        self.tensorParallelDegrees = tensorParallelDegrees
    }

    /// Candidates for every GPU and TP degree that can meet the target, and why the others cannot.
    /// For one GPU, a TP degree is kept only when it carries more load per GPU than every smaller
    /// degree that works (otherwise the smaller one is never worse: finer steps, same cost per load).
    public func candidates(for gpus: [GPU]) -> (candidates: [ServingCandidate], rejections: [CandidateRejection]) {
        let sortedGPUs = gpus.sorted(by: { $0.id < $1.id })
        let degrees = tensorParallelDegrees.sorted()
        // Each (GPU, TP) pair is independent and pure: evaluate them on all cores, then read the
        // results back in sorted order so the outcome never depends on scheduling.
        let evaluations = ConcurrentMap.map(sortedGPUs.flatMap { gpu in degrees.map { (gpu, $0) } }) { pair in
            evaluate(gpu: pair.0, tensorParallel: pair.1)
        }
        var candidates: [ServingCandidate] = []
        var rejections: [CandidateRejection] = []
        for (g, _) in sortedGPUs.enumerated() {
            var bestPerGPU = 0.0
            for (t, tp) in degrees.enumerated() {
                switch evaluations[g * degrees.count + t] {
                case let .success(candidate):
                    let perGPU = candidate.capacityPerReplica / Double(tp)
                    if perGPU > bestPerGPU * 1.000_001 {
                        candidates.append(candidate)
                        bestPerGPU = perGPU
                    }
                case let .failure(rejection):
                    rejections.append(rejection)
                }
            }
        }
        return (candidates, rejections)
    }

    private func deployment(_ gpu: GPU, _ tp: Int) -> Deployment {
        Deployment(
            model: model, gpu: gpu, gpuCount: tp, tensorParallel: tp, weightPrecision: weightPrecision,
            kvPrecision: kvPrecision, engine: engine, virtualizationOverhead: virtualizationOverhead
        )
    }

    private func workload(rate: Double, percentile: Bool) -> ServingWorkload {
        ServingWorkload(
            promptTokens: promptTokens, outputTokens: outputTokens, load: .requestsPerSecond(rate),
            percentile: percentile ? target.percentile / 100 : nil
        )
    }

    /// The candidate for one GPU at one TP degree, or why there is none.
    public func evaluate(gpu: GPU, tensorParallel tp: Int) -> Result<ServingCandidate, CandidateRejection> {
        let d = deployment(gpu, tp)
        let peak = estimateServing(d, ServingWorkload(promptTokens: promptTokens, outputTokens: outputTokens, load: .maximum), calibration: calibration)
        guard peak.memory.fits, peak.requestsPerSecond > 0 else {
            let detail = peak.memory.shortfall ?? String(
                format: "needs %.1f GiB per GPU, has %.1f GiB usable", peak.memory.weightsGiB + peak.memory.overheadGiB, peak.memory.usableGiB
            )
            return .failure(CandidateRejection(gpu: gpu, tensorParallel: tp, reason: .doesNotFit(detail: detail)))
        }
        let maxRate = peak.requestsPerSecond
        func meets(_ rate: Double) -> ServingEstimate? {
            let estimate = estimateServing(d, workload(rate: rate, percentile: true), calibration: calibration)
            guard estimate.stable, target.isMet(ttftMs: estimate.ttftMs, tpotMs: estimate.tpotMs, outputTokens: outputTokens) else { return nil }
            return estimate
        }
        var low = maxRate * 1e-4
        guard var best = meets(low) else {
            let light = estimateServing(d, workload(rate: low, percentile: true), calibration: calibration)
            return .failure(CandidateRejection(gpu: gpu, tensorParallel: tp, reason: .sloMissedAtLightestLoad(ttftMs: light.ttftMs, tpotMs: light.tpotMs)))
        }
        var high = maxRate * 0.999
        if let atHigh = meets(high) {
            best = atHigh
            low = high
        } else {
            // Geometric bisection: the rate is known to 0.1 % after ~13 steps over four decades.
            for _ in 0..<40 where high > low * 1.001 {
                let middle = (low * high).squareRoot()
                if let estimate = meets(middle) {
                    best = estimate
                    low = middle
                } else {
                    high = middle
                }
            }
        }
        let rate = low
        let mean = estimateServing(d, workload(rate: rate, percentile: false), calibration: calibration)
        let concurrency = rate * (mean.ttftMs + Double(max(outputTokens - 1, 0)) * mean.tpotMs) / 1000
        let capacity = demandUnit == .concurrency ? concurrency : rate
        return .success(ServingCandidate(
            gpu: gpu, tensorParallel: tp, capacityPerReplica: capacity, concurrencyPerReplica: concurrency,
            ttftMs: best.ttftMs, tpotMs: best.tpotMs, outputTokensPerSecond: rate * Double(outputTokens),
            memoryUsedPerGPUGiB: best.memory.weightsGiB + best.memory.overheadGiB + best.memory.kvCacheGiB,
            weightsPerReplicaGiB: best.memory.weightsGiB * Double(tp)
        ))
    }
}

/// Latency and throughput of one replica at a given load, at the SLO percentile.
public struct ServingPoint: Sendable, Hashable {
    public var ttftMs: Double
    public var tpotMs: Double
    public var outputTokensPerSecond: Double
}

extension CandidateGenerator {
    /// What one replica of `gpu` at `tensorParallel` delivers when it carries `load` (in the demand
    /// unit): for requests/s, the Poisson model at that rate; for concurrency, at the rate whose
    /// Little's-law concurrency equals `load` (found by geometric bisection). `nil` when the replica
    /// cannot carry the load.
    public func predict(gpu: GPU, tensorParallel tp: Int, load: Double) -> ServingPoint? {
        guard load.isFinite, load > 0 else { return nil }
        let d = deployment(gpu, tp)
        var rate = load
        if demandUnit == .concurrency {
            let peak = estimateServing(d, ServingWorkload(promptTokens: promptTokens, outputTokens: outputTokens, load: .maximum), calibration: calibration)
            guard peak.requestsPerSecond > 0 else { return nil }
            func concurrency(_ rate: Double) -> Double {
                let mean = estimateServing(d, workload(rate: rate, percentile: false), calibration: calibration)
                return mean.stable ? rate * (mean.ttftMs + Double(max(outputTokens - 1, 0)) * mean.tpotMs) / 1000 : .infinity
            }
            var low = peak.requestsPerSecond * 1e-6, high = peak.requestsPerSecond * 0.999
            guard concurrency(high) >= load else { return nil }
            for _ in 0..<60 where high > low * 1.0005 {
                let middle = (low * high).squareRoot()
                if concurrency(middle) < load { low = middle } else { high = middle }
            }
            rate = high
        }
        let estimate = estimateServing(d, workload(rate: rate, percentile: true), calibration: calibration)
        guard estimate.stable, estimate.ttftMs.isFinite else { return nil }
        return ServingPoint(ttftMs: estimate.ttftMs, tpotMs: estimate.tpotMs, outputTokensPerSecond: rate * Double(outputTokens))
    }
}

extension CandidateGenerator {
    /// A cheap upper bound on ``ServingCandidate/capacityPerReplica`` (two estimates instead of a
    /// bisection), for lower bounds on cost; always finite. For requests/s: the maximum-throughput
    /// rate λ_max. For concurrency, Little's law at the most the bisection can reach: the rate is at
    /// most λ_top = 0.999 · λ_max and a request lasts at most
    ///
    ///     T = min( (TTFT target or mean TTFT at λ_top) + (output − 1) · (TPOT target or mean TPOT at λ_top),
    ///              E2E target )
    ///
    /// (latencies grow with the rate, and the mean is below the percentile the targets bound), so
    /// N ≤ λ_top · T. When a latency target is absent, the bound is never below the sequences one
    /// replica holds at once (``MemoryBreakdown/maxBatch``: the engine's batch cap or what the KV
    /// cache holds), the capacity a model that counts only sequences in the batch gives with no
    /// latency limit. `nil` when the model does not fit.
    public func capacityUpperBound(gpu: GPU, tensorParallel tp: Int) -> Double? {
        let d = deployment(gpu, tp)
        let peak = estimateServing(d, ServingWorkload(promptTokens: promptTokens, outputTokens: outputTokens, load: .maximum), calibration: calibration)
        guard peak.memory.fits, peak.requestsPerSecond > 0 else { return nil }
        guard demandUnit == .concurrency else { return peak.requestsPerSecond }
        let topRate = peak.requestsPerSecond * 0.999
        let top = estimateServing(d, workload(rate: topRate, percentile: false), calibration: calibration)
        let decodeSteps = Double(max(outputTokens - 1, 0))
        var longestSeconds = Double.infinity
        let ttft = target.ttftMs ?? (top.stable ? top.ttftMs : .infinity)
        let tpot = target.tpotMs ?? (top.stable ? top.tpotMs : .infinity)
        if ttft.isFinite, tpot.isFinite { longestSeconds = (ttft + decodeSteps * tpot) / 1000 }
        if let e2e = target.e2eMs { longestSeconds = min(longestSeconds, e2e / 1000) }
        let bound = topRate * longestSeconds
        guard target.ttftMs == nil || target.tpotMs == nil else { return bound }
        let inBatch = Double(max(peak.memory.maxBatch, 1))
        // An unstable top point (never seen) leaves no finite Little's-law figure: the batch stands in.
        return bound.isFinite ? max(bound, inBatch) : inBatch
    }
}
