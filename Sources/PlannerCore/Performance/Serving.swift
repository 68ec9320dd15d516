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
