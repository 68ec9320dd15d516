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
        /// Even at the lightest load the SLO is missed: predicted TTFT and TPOT at that load, and the
        /// engine's fitted request overhead inside that TTFT.
        case sloMissedAtLightestLoad(ttftMs: Double, tpotMs: Double, requestOverheadMs: Double)
    }
}

/// Turns the performance model into MILP candidates: for each GPU and TP degree, the largest load
/// one replica carries while TTFT, TPOT (and E2E) at the SLO percentile hold, in the steady state of
/// continuous batching (``ContinuousBatching``, the same model `estimate` and `simulate` use):
/// - concurrency demand (closed loop): the largest number of sequences in flight n ≤ C (the KV cache
///   and the engine's batch cap) whose percentile TTFT and TPOT meet the targets — bisection on n;
/// - request-rate demand (Poisson): the largest stable rate λ whose percentile latencies meet the
///   targets — geometric bisection on λ below the replica's saturation rate.
/// A replica of several GPUs is sized in each of ``layouts`` and keeps the one that carries the most load
/// (the first, the engines' default where listed, on a tie): for a given GPU and TP degree the layout
/// changes nothing the program prices, so the best layout dominates the others.
public struct CandidateGenerator: Sendable {
    public var model: ModelArchitecture
    public var weightPrecision: Precision
    public var kvPrecision: Precision
    public var engine: EngineProfile
    /// The engine's scheduler settings (its defaults unless the spec overrides them).
    public var engineSettings: EngineSettings
    /// The mixture-of-experts layouts a replica of several GPUs is sized in (``Spec/parallelLayouts(mixtureOfExperts:)``);
    /// never empty: `engineSettings`' own layout unless given.
    public var layouts: [ParallelLayout]
    /// `max_num_seqs: auto`: each replica's batch cap is what its KV cache holds (``kvHeldBatchCap(_:sequenceTokens:)``)
    /// instead of `engineSettings.maxBatch`, and the candidate says what to set.
    public var batchCapFromMemory: Bool
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
        engineSettings: EngineSettings? = nil, layouts: [ParallelLayout] = [], batchCapFromMemory: Bool = false,
        virtualizationOverhead: Double, promptTokens: Int,
        outputTokens: Int, target: SLO, demandUnit: DemandUnit, tensorParallelDegrees: [Int] = [1, 2, 4, 8],
        calibration: CalibrationTable = .shipped
    ) {
        self.calibration = calibration
        self.model = model
        self.weightPrecision = weightPrecision
        self.kvPrecision = kvPrecision
        self.engine = engine
        self.engineSettings = engineSettings ?? .defaults(for: engine)
        self.layouts = layouts.isEmpty ? [self.engineSettings.layout] : layouts
        self.batchCapFromMemory = batchCapFromMemory
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

    /// The layouts a replica of `tp` GPUs is sized in: at TP 1 they are all one deployment, so the first.
    private func layouts(tensorParallel tp: Int) -> [ParallelLayout] { tp > 1 ? layouts : [layouts[0]] }

    private func deployment(_ gpu: GPU, _ tp: Int, _ layout: ParallelLayout) -> Deployment {
        var d = Deployment(
            model: model, gpu: gpu, gpuCount: tp, tensorParallel: tp, weightPrecision: weightPrecision,
            kvPrecision: kvPrecision, engine: engine, engineSettings: engineSettings.with(layout),
            virtualizationOverhead: virtualizationOverhead
        )
        if batchCapFromMemory { d.engineSettings.maxBatch = kvHeldBatchCap(d, sequenceTokens: sequenceTokens) }
        return d
    }

    private var sequenceTokens: Int { max(1, promptTokens) + max(1, outputTokens) }

    private var workload: ServingWorkload {
        ServingWorkload(promptTokens: promptTokens, outputTokens: outputTokens, load: .maximum, percentile: percentile)
    }

    private var percentile: Double { target.percentile / 100 }

    /// The replica's steady-state model, or why the model does not fit.
    private func servingModel(_ gpu: GPU, _ tp: Int, _ layout: ParallelLayout) -> Result<ContinuousBatching, CandidateRejection> {
        let d = deployment(gpu, tp, layout)
        let memory = memoryBreakdown(d, sequenceTokens: sequenceTokens)
        guard memory.fits, d.replicas >= 1 else {
            let detail = memory.shortfall ?? String(
                format: "needs %.1f GiB per GPU, has %.1f GiB usable", memory.weightsGiB + memory.overheadGiB, memory.usableGiB
            )
            return .failure(CandidateRejection(gpu: gpu, tensorParallel: tp, reason: .doesNotFit(detail: detail)))
        }
        return .success(ContinuousBatching(d, workload, memory: memory, calibration: calibration))
    }

    /// The operating point of one replica carrying `load` in the demand unit (clients, or requests/s).
    private func point(_ model: ContinuousBatching, load: Double) -> ContinuousBatching.Point {
        demandUnit == .concurrency
            ? model.closedLoop(clients: load, percentile: percentile)
            : model.openLoop(rate: load, percentile: percentile)
    }

    private func meets(_ p: ContinuousBatching.Point) -> Bool {
        p.stable && target.isMet(ttftMs: p.ttftSeconds * 1000, tpotMs: p.tpotSeconds * 1000, outputTokens: outputTokens)
    }

    /// The candidate for one GPU at one TP degree — in the layout (of ``layouts``) that carries the most
    /// load, the earlier on a tie — or why there is none (the first layout's reason).
    public func evaluate(gpu: GPU, tensorParallel tp: Int) -> Result<ServingCandidate, CandidateRejection> {
        var best: ServingCandidate?
        var firstRejection: CandidateRejection?
        for layout in layouts(tensorParallel: tp) {
            switch evaluate(gpu: gpu, tensorParallel: tp, layout: layout) {
            case let .success(candidate):
                if candidate.capacityPerReplica > (best?.capacityPerReplica ?? 0) * 1.000_001 { best = candidate }
            case let .failure(rejection):
                if firstRejection == nil { firstRejection = rejection }
            }
        }
        if let best { return .success(best) }
        return .failure(firstRejection!)
    }

    private func evaluate(gpu: GPU, tensorParallel tp: Int, layout: ParallelLayout) -> Result<ServingCandidate, CandidateRejection> {
        let model: ContinuousBatching
        switch servingModel(gpu, tp, layout) {
        case .success(let m): model = m
        case .failure(let rejection): return .failure(rejection)
        }
        let memory = model.memory
        let requestOverheadMs = model.step.requestOverheadSeconds * 1000
        let load: Double
        // The lightest load, and the least load found to break a target (nil: none below the ceiling).
        let light: ContinuousBatching.Point
        var broken: ContinuousBatching.Point?
        let ceiling: Double
        if demandUnit == .concurrency {
            // Whole sequences in flight: the largest n in 1…C that meets the targets.
            light = point(model, load: 1)
            guard meets(light) else {
                return .failure(CandidateRejection(gpu: gpu, tensorParallel: tp, reason: .sloMissedAtLightestLoad(
                    ttftMs: light.ttftSeconds * 1000, tpotMs: light.tpotSeconds * 1000, requestOverheadMs: requestOverheadMs)))
            }
            ceiling = model.maxBatch
            var low = 1.0, high = model.maxBatch
            let top = point(model, load: high)
            if meets(top) { low = high } else {
                broken = top
                while high - low > 1 {
                    let middle = ((low + high) / 2).rounded(.down)
                    let p = point(model, load: middle)
                    if meets(p) { low = middle } else { high = middle; broken = p }
                }
            }
            load = low
        } else {
            let saturation = model.saturationRate
            ceiling = saturation
            var low = saturation * 1e-4
            light = point(model, load: low)
            guard meets(light) else {
                return .failure(CandidateRejection(gpu: gpu, tensorParallel: tp, reason: .sloMissedAtLightestLoad(
                    ttftMs: light.ttftSeconds * 1000, tpotMs: light.tpotSeconds * 1000, requestOverheadMs: requestOverheadMs)))
            }
            var high = saturation * 0.999
            let top = point(model, load: high)
            if meets(top) { low = high } else {
                broken = top
                // Geometric bisection: the rate is known to 0.1 % after ~13 steps over four decades.
                for _ in 0..<40 where high > low * 1.001 {
                    let middle = (low * high).squareRoot()
                    let p = point(model, load: middle)
                    if meets(p) { low = middle } else { high = middle; broken = p }
                }
            }
            load = low
        }
        let limit = replicaLimit(
            memory: memory, ceiling: ceiling, light: light, broken: broken, requestOverheadMs: requestOverheadMs)
        let best = point(model, load: load)
        let concurrency = demandUnit == .concurrency
            ? load : best.requestsPerSecond * (best.meanTTFTSeconds + (model.outputTokens - 1) * best.meanTPOTSeconds)
        return .success(ServingCandidate(
            gpu: gpu, tensorParallel: tp, capacityPerReplica: load, concurrencyPerReplica: concurrency,
            ttftMs: best.ttftSeconds * 1000, tpotMs: best.tpotSeconds * 1000,
            outputTokensPerSecond: best.requestsPerSecond * Double(outputTokens),
            memoryUsedPerGPUGiB: memory.weightsGiB + memory.overheadGiB + memory.kvCacheGiB,
            weightsPerReplicaGiB: memory.weightsGiB * Double(tp),
            slotsPerReplica: demandUnit == .concurrency ? nil : model.maxBatch,
            inFlightPeakedness: demandUnit == .concurrency ? nil : model.inFlightPeakedness(rate: load),
            limit: limit, layout: layout,
            maxNumSeqs: batchCapFromMemory ? Int(model.maxBatch) / engineSettings.with(layout).attentionRanks(tensorParallel: tp) : nil
        ))
    }

    /// What stopped the search for the capacity: nothing below the ceiling (the KV cache or the engine's
    /// cap for concurrency, saturation for a rate), or the target the least breaking load broke furthest.
    /// A breaking load the model finds unstable (latencies without bound) is saturation.
    private func replicaLimit(
        memory: MemoryBreakdown, ceiling: Double, light: ContinuousBatching.Point, broken: ContinuousBatching.Point?,
        requestOverheadMs: Double
    ) -> ReplicaLimit {
        guard let broken else {
            guard demandUnit == .concurrency else { return .saturation }
            let sequences = Int(ceiling.rounded())
            // Under `max_num_seqs: auto` the cap is what the KV cache holds.
            return memory.kvLimited || batchCapFromMemory
                ? .kvCache(sequences: sequences) : .engineCap(sequences: sequences, kvSequences: memory.kvSequences)
        }
        guard broken.stable,
              let worst = target.mostBroken(ttftMs: broken.ttftSeconds * 1000, tpotMs: broken.tpotSeconds * 1000, outputTokens: outputTokens),
              worst.valueMs.isFinite
        else { return .saturation }
        let lightTTFT = light.ttftSeconds * 1000, lightTPOT = light.tpotSeconds * 1000
        let lightest = switch worst.metric {
        case .ttft: lightTTFT
        case .tpot: lightTPOT
        case .endToEnd: lightTTFT + Double(max(outputTokens - 1, 0)) * lightTPOT
        }
        return .latencyTarget(.init(
            metric: worst.metric, targetMs: worst.targetMs, nextMs: worst.valueMs, lightestMs: lightest, ceiling: ceiling,
            requestOverheadMs: requestOverheadMs))
    }
}

/// Latency and throughput of one replica at a given load, at the SLO percentile.
public struct ServingPoint: Sendable, Hashable {
    public var ttftMs: Double
    public var tpotMs: Double
    public var outputTokensPerSecond: Double
}

extension CandidateGenerator {
    /// What one replica of `gpu` at `tensorParallel` delivers when it carries `load` in the demand unit
    /// (clients in a closed loop, or Poisson requests/s), at the SLO percentile — the same figures
    /// `estimate` prints for that load — in `layout` (the first of ``layouts`` when nil). `nil` when the
    /// replica cannot carry the load.
    public func predict(gpu: GPU, tensorParallel tp: Int, load: Double, layout: ParallelLayout? = nil) -> ServingPoint? {
        guard load.isFinite, load > 0, case .success(let model) = servingModel(gpu, tp, layout ?? layouts[0]) else { return nil }
        if demandUnit == .concurrency && load > model.maxBatch * (1 + 1e-9) { return nil }
        let p = point(model, load: load)
        guard p.stable, p.ttftSeconds.isFinite else { return nil }
        return ServingPoint(
            ttftMs: p.ttftSeconds * 1000, tpotMs: p.tpotSeconds * 1000,
            outputTokensPerSecond: p.requestsPerSecond * Double(outputTokens))
    }
}

extension CandidateGenerator {
    /// A cheap upper bound on ``ServingCandidate/capacityPerReplica`` (no bisection), for lower bounds on
    /// cost: for concurrency, C (the KV cache and the engine cap: no more sequences run at once); for
    /// requests/s, the saturation rate (no stable load reaches it) — the largest over ``layouts``. Always
    /// finite; `nil` when the model fits in none.
    public func capacityUpperBound(gpu: GPU, tensorParallel tp: Int) -> Double? {
        layouts(tensorParallel: tp).compactMap { layout -> Double? in
            guard case .success(let model) = servingModel(gpu, tp, layout) else { return nil }
            return demandUnit == .concurrency ? model.maxBatch : model.saturationRate
        }.max()
    }
}
