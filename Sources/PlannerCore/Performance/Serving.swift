import Foundation

/// How a deployment serves a workload, in steady state.
public struct ServingEstimate: Sendable, Hashable {
    /// Time to first token (mean, or at the workload's percentile), ms.
    public var ttftMs: Double
    /// Time per output token after the first (mean, or at the percentile), ms.
    public var tpotMs: Double
    /// Generated tokens per second, whole deployment.
    public var outputTokensPerSecond: Double
    /// Completed requests per second, whole deployment.
    public var requestsPerSecond: Double
    /// Sequences decoding together in one replica.
    public var batch: Double
    /// What bounds a decode step.
    public var bound: Bound
    /// What limits the batch.
    public var batchLimit: BatchLimit
    /// `false` when the offered request rate exceeds what the deployment can serve: queues grow without
    /// bound, `ttftMs` is `.infinity`, and the other figures are those of the maximum-throughput point.
    public var stable: Bool
    public var memory: MemoryBreakdown

    public enum Bound: String, Sendable, Hashable, Codable { case memory, compute }
    public enum BatchLimit: String, Sendable, Hashable, Codable {
        /// The load sets the batch.
        case load
        /// KV-cache memory.
        case kvCache
        /// The engine's maximum batch.
        case engineCap
        /// Nothing fits.
        case doesNotFit
    }
}

/// Estimates serving performance of `d` under `w` (docs/performance-model.md, "Serving under load").
/// Never traps: a model that does not fit returns zero throughput and `memory.fits == false`.
public func estimateServing(
    _ d: Deployment, _ w: ServingWorkload, calibration: CalibrationTable = .shipped
) -> ServingEstimate {
    let isl = Double(max(1, w.promptTokens))
    let osl = Double(max(1, w.outputTokens))
    let mem = memoryBreakdown(d, sequenceTokens: max(1, w.promptTokens) + max(1, w.outputTokens))
    let replicas = Double(d.replicas)
    guard mem.fits, replicas >= 1 else {
        return ServingEstimate(
            ttftMs: 0, tpotMs: 0, outputTokensPerSecond: 0, requestsPerSecond: 0, batch: 0, bound: .memory,
            batchLimit: .doesNotFit, stable: false, memory: mem)
    }
    let s = StepModel(d, calibration: calibration)
    let e = EngineDefaults.of(d.engine)
    let capLimit: ServingEstimate.BatchLimit = mem.kvLimited ? .kvCache : .engineCap
    let maxBatch = Double(mem.maxBatch)

    switch w.load {
    case .maximum:
        return cohort(s, e, batch: maxBatch, isl: isl, osl: osl, replicas: replicas, limit: capLimit, mem: mem)
    case .concurrency(let n):
        let perReplica = (Double(max(1, n)) / replicas).rounded(.up)
        if perReplica <= maxBatch {
            return cohort(s, e, batch: perReplica, isl: isl, osl: osl, replicas: replicas, limit: .load, mem: mem)
        }
        // More clients than batch slots: the excess waits. Little's law on the closed loop:
        // response time = clients / throughput, and TTFT = response time − decode time.
        var r = cohort(s, e, batch: maxBatch, isl: isl, osl: osl, replicas: replicas, limit: capLimit, mem: mem)
        let response = perReplica * replicas / max(1e-12, r.requestsPerSecond)
        r.ttftMs = max(r.ttftMs, (response - (osl - 1) * r.tpotMs / 1000) * 1000)
        return r
    case .requestsPerSecond(let rate):
        return poisson(
            s, e, rate: max(0, rate) / replicas, isl: isl, osl: osl, replicas: replicas, maxBatch: maxBatch,
            percentile: w.percentile, capLimit: capLimit, mem: mem)
    }
}

/// A batch of `b` sequences prefilled together (in chunks of the engine's step budget), then decoded
/// together: cycle = prefill + (osl − 1) · decode step at the mean context isl + osl/2.
private func cohort(
    _ s: StepModel, _ e: EngineDefaults, batch b: Double, isl: Double, osl: Double, replicas: Double,
    limit: ServingEstimate.BatchLimit, mem: MemoryBreakdown
) -> ServingEstimate {
    let promptTokens = b * isl
    let chunks = max(1, (promptTokens / Double(max(1, e.maxTokensPerStep))).rounded(.up))
    let chunkSeconds = s.stepSeconds(
        decodeSequences: 0, context: 0, prefillTokens: promptTokens / chunks, prefillContext: isl / 2)
    let prefill = chunks * chunkSeconds
    // Prompt i of b completes after about i/b of the prefill, and never before the first chunk:
    // mean over the batch = prefill · (b + 1) / (2b), at least one chunk (b = 1: the whole prefill).
    let ttft = s.requestOverheadSeconds + max(chunkSeconds, prefill * (b + 1) / (2 * max(1, b)))
    let context = isl + osl / 2
    let step = s.stepSeconds(decodeSequences: b, context: context)
    let cycle = s.requestOverheadSeconds + prefill + (osl - 1) * step
    let rps = replicas * b / max(1e-12, cycle)
    return ServingEstimate(
        ttftMs: ttft * 1000, tpotMs: step * 1000, outputTokensPerSecond: rps * osl, requestsPerSecond: rps,
        batch: b, bound: s.isMemoryBound(decodeSequences: b, context: context) ? .memory : .compute,
        batchLimit: limit, stable: true, memory: mem)
}

/// Poisson arrivals at `rate` per replica. The number in flight N solves N = rate · (TTFT + (osl − 1) · TPOT)
/// (Little's law, by damped fixed-point iteration); each decode step also carries the prompt tokens
/// that arrived during it. TTFT = request overhead + residual of the running step + the step that
/// prefills the prompt + M/D/1 wait W̄ = ρ·s / (2(1 − ρ)), s = the prompt's prefill step,
/// ρ = rate × the prompt's prefill compute time.
private func poisson(
    _ s: StepModel, _ e: EngineDefaults, rate: Double, isl: Double, osl: Double, replicas: Double,
    maxBatch: Double, percentile: Double?, capLimit: ServingEstimate.BatchLimit, mem: MemoryBreakdown
) -> ServingEstimate {
    let maxPoint = cohort(s, e, batch: maxBatch, isl: isl, osl: osl, replicas: 1, limit: capLimit, mem: mem)
    if rate >= maxPoint.requestsPerSecond {
        var r = maxPoint
        r.outputTokensPerSecond *= replicas
        r.requestsPerSecond *= replicas
        r.stable = false
        r.ttftMs = .infinity
        return r
    }
    let context = isl + osl / 2
    let prefillAlone = s.stepSeconds(decodeSequences: 0, context: 0, prefillTokens: isl, prefillContext: isl / 2)
    // The prefill "server" is busy for the prompt's compute time only (prompts batch together).
    let rho = min(0.999, rate * s.prefillComputeSeconds(tokens: isl, context: isl / 2))
    let meanWait = rho * prefillAlone / (2 * (1 - rho))
    var n = rate * (prefillAlone + (osl - 1) * s.stepSeconds(decodeSequences: 1, context: context))
    var step = 0.0
    var ttft = 0.0
    for _ in 0..<40 {
        let b = min(maxBatch, max(0, n))
        step = s.stepSeconds(decodeSequences: b, context: context)
        for _ in 0..<4 {
            step = s.stepSeconds(
                decodeSequences: b, context: context, prefillTokens: rate * isl * step, prefillContext: isl / 2)
        }
        let prefillStep = s.stepSeconds(
            decodeSequences: b, context: context, prefillTokens: isl, prefillContext: isl / 2)
        ttft = s.requestOverheadSeconds + step / 2 + prefillStep + meanWait
        let next = rate * (ttft + (osl - 1) * step)
        if abs(next - n) < 1e-6 * max(1, n) { n = next; break }
        n = 0.5 * n + 0.5 * next
    }
    var ttftOut = ttft
    var tpotOut = step
    if let p = percentile, p > 0, p < 1 {
        let b = min(maxBatch, max(0, n))
        let prefillStep = s.stepSeconds(
            decodeSequences: b, context: context, prefillTokens: isl, prefillContext: isl / 2)
        // Waiting time ≈ ρ · Exp(mean wait / ρ): P(W > t) = ρ · e^(−tρ/W̄).
        let wait = rho > 1 - p && rho > 0 ? meanWait / rho * log(rho / (1 - p)) : 0
        ttftOut = s.requestOverheadSeconds + p * step + prefillStep + wait
        // Number in flight ≈ Poisson(N) (M/G/∞): the p-quantile batch is N + z_p·√N.
        let bp = min(maxBatch, n + normalQuantile(p) * n.squareRoot())
        tpotOut = s.stepSeconds(
            decodeSequences: max(0, bp), context: context, prefillTokens: rate * isl * step, prefillContext: isl / 2)
    }
    let b = min(maxBatch, max(0, n))
    return ServingEstimate(
        ttftMs: ttftOut * 1000, tpotMs: tpotOut * 1000, outputTokensPerSecond: rate * replicas * osl,
        requestsPerSecond: rate * replicas, batch: b,
        bound: s.isMemoryBound(decodeSequences: max(1, b), context: context) ? .memory : .compute,
        batchLimit: .load, stable: true, memory: mem)
}

/// Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
func normalQuantile(_ p: Double) -> Double {
    let q = min(max(p, 1e-12), 1 - 1e-12)
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let dd = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    if q < low {
        let r = (-2 * log(q)).squareRoot()
        return (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5])
            / ((((dd[0] * r + dd[1]) * r + dd[2]) * r + dd[3]) * r + 1)
    }
    if q > 1 - low {
        let r = (-2 * log(1 - q)).squareRoot()
        return -(((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5])
            / ((((dd[0] * r + dd[1]) * r + dd[2]) * r + dd[3]) * r + 1)
    }
    let r = q - 0.5
    let t = r * r
    return (((((a[0] * t + a[1]) * t + a[2]) * t + a[3]) * t + a[4]) * t + a[5]) * r
        / (((((b[0] * t + b[1]) * t + b[2]) * t + b[3]) * t + b[4]) * t + 1)
}
