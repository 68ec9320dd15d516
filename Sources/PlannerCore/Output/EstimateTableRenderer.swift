import Foundation

/// `planner estimate --format table`.
public struct EstimateTableRenderer: Sendable {
    public init() {}

    public func render(_ report: EstimateReport) -> String {
        let d = report.deployment, m = report.estimate.memory, e = report.estimate, workload = report.workload
        let defaults = d.engineSettings
        let replicas = d.replicas
        var out: [String] = []
        out.append("\(d.model.id) on \(d.gpuCount) × \(d.gpu.id) (TP \(d.tensorParallel), \(replicas) replica\(replicas == 1 ? "" : "s")), "
            + "\(d.weightPrecision.rawValue) weights, \(d.kvPrecision.rawValue) KV cache, \(d.engine.rawValue)")
        out.append("\(workload.promptTokens) prompt + \(workload.outputTokens) output tokens, \(report.loadText)")
        out.append(EstimateReport.engineLine(d))
        out.append("")
        out.append("Memory per GPU")
        var rows: [[String]] = []
        rows.append(["  capacity", EstimateReport.gib(m.capacityGiB), ""])
        rows.append(["  usable", EstimateReport.gib(m.usableGiB),
                     defaults.fractionOfFreeMemory
                        ? "weights + overhead + \(String(format: "%.2f", defaults.memoryFraction)) of the rest (\(d.engine.rawValue))"
                        : "\(String(format: "%.2f", defaults.memoryFraction)) of capacity (\(d.engine.rawValue))"])
        rows.append(["  weights", EstimateReport.gib(m.weightsGiB), d.tensorParallel > 1
            ? "1/\(d.tensorParallel) of the model" + (d.engineSettings.attentionDataParallel ? ", the attention projections whole" : "") : ""])
        rows.append(["  overhead", EstimateReport.gib(m.overheadGiB), "runtime, CUDA graphs, activations, logits\(d.tensorParallel > 1 ? ", NCCL" : "")"])
        rows.append(["  KV cache", EstimateReport.gib(m.kvCacheGiB),
                     "\(EstimateReport.grouped(Double(m.kvCapacityTokens))) tokens per replica, \(EstimateReport.grouped(m.kvBytesPerToken)) B per token per GPU"])
        if m.fits {
            rows.append(["  fits", "yes", "largest batch \(m.maxBatch) sequences of \(workload.promptTokens + workload.outputTokens) tokens ("
                         + (m.kvLimited ? "KV cache" : "\(d.engine.rawValue) cap") + ")"])
        } else {
            rows.append(["  fits", "no", m.shortfall ?? ""])
        }
        out.append(EstimateReport.render(rows))
        out.append("")
        guard m.fits, replicas >= 1 else {
            out.append("Serving: not estimated, the model does not fit.")
            out.append("Constants: \(report.calibrationText)")
            return out.joined(separator: "\n")
        }
        let which = workload.percentile.map { "p" + EstimateReport.plain($0 * 100) } ?? "means"
        out.append("Serving (\(which), whole deployment)")
        var serving: [[String]] = []
        if e.stable {
            serving.append(["  TTFT", EstimateReport.ms(e.ttftMs),
                            "with \(EstimateReport.ms(report.requestOverheadMs)) of \(d.engine.rawValue)'s request overhead (HTTP, tokenisation, scheduling; a calibration constant)"])
        } else {
            serving.append(["  TTFT", "unbounded", "UNSTABLE: the offered load exceeds the maximum of \(EstimateReport.rate(e.requestsPerSecond)) requests/s; queues grow without limit (JSON: ttft_ms null, stable false)"])
        }
        serving.append(["  TPOT", EstimateReport.ms(e.tpotMs), "\(e.bound.rawValue)-bound decode step"])
        serving.append(["  output tokens/s", EstimateReport.grouped(e.outputTokensPerSecond.rounded()), e.stable ? "" : "at the maximum-throughput point"])
        serving.append(["  requests/s", EstimateReport.rate(e.requestsPerSecond), ""])
        serving.append(["  batch per replica", EstimateReport.plain((e.batch * 10).rounded() / 10), report.limitText])
        out.append(EstimateReport.render(serving))
        out.append("")
        out.append("Constants: \(report.calibrationText)")
        if !report.stepCosts.isEmpty { out.append("Step costs: \(report.stepCosts)") }
        return out.joined(separator: "\n")
    }
}
