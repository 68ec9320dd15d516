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
    /// Sequences running in one replica (admitted: prefilling or decoding).
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

/// Estimates serving performance of `d` under `w` (docs/performance-model.md, "Serving under load"):
/// the steady state of continuous batching with chunked prefill (``ContinuousBatching``), one replica at
/// a time. Never traps: a model that does not fit returns zero throughput and `memory.fits == false`.
public func estimateServing(
    _ d: Deployment, _ w: ServingWorkload, calibration: CalibrationTable = .shipped
) -> ServingEstimate {
    let mem = memoryBreakdown(d, sequenceTokens: max(1, w.promptTokens) + max(1, w.outputTokens))
    let replicas = Double(d.replicas)
    guard mem.fits, replicas >= 1 else {
        return ServingEstimate(
            ttftMs: 0, tpotMs: 0, outputTokensPerSecond: 0, requestsPerSecond: 0, batch: 0, bound: .memory,
            batchLimit: .doesNotFit, stable: false, memory: mem)
    }
    let model = ContinuousBatching(d, w, memory: mem, calibration: calibration)
    let capLimit: ServingEstimate.BatchLimit = mem.kvLimited ? .kvCache : .engineCap
    let p = w.percentile
    let point: ContinuousBatching.Point
    var limit = ServingEstimate.BatchLimit.load
    switch w.load {
    case .maximum:
        point = model.closedLoop(clients: model.maxBatch, percentile: p)
        limit = capLimit
    case .concurrency(let n):
        // Clients spread evenly over replicas; the busiest replica (⌈n / replicas⌉) sets the latencies.
        let perReplica = (Double(max(1, n)) / replicas).rounded(.up)
        point = model.closedLoop(clients: perReplica, percentile: p)
        if perReplica > model.maxBatch { limit = capLimit }
    case .requestsPerSecond(let rate):
        point = model.openLoop(rate: max(0, rate) / replicas, percentile: p)
    case .burst(let n):
        let perReplica = (Double(max(1, n)) / replicas).rounded(.up)
        point = model.burst(requests: perReplica, percentile: p)
        if perReplica > model.maxBatch { limit = capLimit }
    }
    let context = model.decodeContext
    return ServingEstimate(
        ttftMs: point.ttftSeconds * 1000, tpotMs: point.tpotSeconds * 1000,
        outputTokensPerSecond: point.requestsPerSecond * replicas * model.outputTokens,
        requestsPerSecond: point.requestsPerSecond * replicas, batch: point.runningSequences,
        bound: model.step.isMemoryBound(decodeSequences: max(1, point.decodingSequences), context: context)
            ? .memory : .compute,
        batchLimit: limit, stable: point.stable, memory: mem)
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
