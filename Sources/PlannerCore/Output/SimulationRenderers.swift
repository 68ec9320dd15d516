import Foundation

/// What `planner simulate` reports: one replica engine run step by step, with the seed of its arrivals
/// and output lengths and the spread of those lengths.
public struct SimulationReport: Sendable {
    public var deployment: Deployment
    public var workload: ServingWorkload
    public var result: ServingSimulator.Result
    public var seed: UInt64
    /// Output lengths were drawn from O · (1 ± outputSpread) (``ServingSimulator/Options/outputSpread``).
    public var outputSpread: Double

    public init(
        deployment: Deployment, workload: ServingWorkload, result: ServingSimulator.Result, seed: UInt64,
        outputSpread: Double = ServingSimulator.Options.defaultOutputSpread
    ) {
        self.deployment = deployment
        self.workload = workload
        self.result = result
        self.seed = seed
        self.outputSpread = outputSpread
    }

    /// "256 output tokens (each request 205–307, uniform)" or "256 output tokens" without a spread.
    var outputText: String {
        let o = Double(workload.outputTokens)
        guard outputSpread > 0 else { return "\(workload.outputTokens) output tokens" }
        let low = max(1, Int((o * (1 - outputSpread)).rounded())), high = Int((o * (1 + outputSpread)).rounded())
        return "\(workload.outputTokens) output tokens (each request \(low)–\(high), uniform)"
    }
}

/// `planner simulate --format table`: latency percentiles, throughput and the mean decode batch.
public struct SimulationTableRenderer: Sendable {
    public init() {}

    public func render(_ report: SimulationReport) -> String {
        let d = report.deployment, w = report.workload, r = report.result
        var out: [String] = []
        out.append("\(d.model.id) on \(d.gpuCount) × \(d.gpu.id) (TP \(d.tensorParallel), \(d.replicas) replica\(d.replicas == 1 ? "" : "s")), "
            + "\(d.weightPrecision.rawValue) weights, \(d.kvPrecision.rawValue) KV cache, \(d.engine.rawValue)")
        out.append("\(w.promptTokens) prompt + \(report.outputText), \(EstimateReport.loadText(w.load))")
        out.append("Simulated \(r.measuredRequests) requests in \(EstimateReport.grouped(Double(r.steps))) engine steps"
            + (r.stable ? "" : " — UNSTABLE: requests were still queueing when the step limit was reached"))
        out.append("")
        func ms(_ x: Double) -> String { EstimateReport.ms(x * 1000) }
        var rows: [[String]] = [["", "mean", "p50", "p90", "p99"]]
        for (name, p) in [("TTFT", r.ttft), ("TPOT", r.tpot), ("end to end", r.endToEnd)] {
            rows.append([name, ms(p.mean), ms(p.p50), ms(p.p90), ms(p.p99)])
        }
        let widths = (0..<5).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            out.append(row.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  "))
        }
        out.append("")
        out.append("output tokens/s     \(EstimateReport.grouped(r.outputTokensPerSecond.rounded()))")
        out.append("requests/s          \(EstimateReport.rate(r.requestsPerSecond))")
        out.append("mean decode batch   \(String(format: "%.1f", r.meanDecodeBatch)) per replica")
        return out.joined(separator: "\n")
    }
}

/// `planner simulate --format json`: sorted keys, nulls written out.
public struct SimulationJSONRenderer: Sendable {
    public init() {}

    public func render(_ report: SimulationReport) -> String {
        let d = report.deployment, w = report.workload, r = report.result, seed = report.seed
        func num(_ x: Double, _ places: Double = 1000) -> JSONValue { x.isFinite ? .number((x * places).rounded() / places) : .null }
        func stats(_ p: ServingSimulator.Percentiles) -> JSONValue {
            .object(["mean": num(p.mean * 1000), "p50": num(p.p50 * 1000), "p90": num(p.p90 * 1000), "p99": num(p.p99 * 1000)])
        }
        let object: [String: JSONValue] = [
            "model": .string(d.model.id), "gpu": .string(d.gpu.id), "gpus": .number(Double(d.gpuCount)),
            "tp": .number(Double(d.tensorParallel)), "replicas": .number(Double(d.replicas)),
            "precision": .string(d.weightPrecision.rawValue), "kv_precision": .string(d.kvPrecision.rawValue),
            "engine": .string(d.engine.rawValue), "input_tokens": .number(Double(w.promptTokens)),
            "output_tokens": .number(Double(w.outputTokens)),
            "load": .object(["kind": .string(w.load.kind), "value": loadValue(w.load)]),
            "ttft_ms": stats(r.ttft), "tpot_ms": stats(r.tpot), "e2e_ms": stats(r.endToEnd),
            "output_tokens_per_s": num(r.outputTokensPerSecond), "requests_per_s": num(r.requestsPerSecond, 1e6),
            "mean_decode_batch": num(r.meanDecodeBatch), "measured_requests": .number(Double(r.measuredRequests)),
            "steps": .number(Double(r.steps)), "stable": .bool(r.stable), "seed": .number(Double(seed)), "output_spread": num(report.outputSpread),
        ]
        return JSONValue.object(object).document
    }

    private func loadValue(_ load: ServingWorkload.Load) -> JSONValue {
        switch load {
        case .concurrency(let n), .burst(let n): .number(Double(n))
        case .requestsPerSecond(let r): .number(r)
        case .maximum: .null
        }
    }
}

/// `planner simulate --trace FILE`: every engine step as a CSV row.
public struct SimulationTraceCSVRenderer: Sendable {
    public init() {}

    public func render(_ report: SimulationReport) -> String {
        var lines = ["step,start_s,duration_ms,decode_sequences,prefill_tokens,running,waiting"]
        for r in report.result.trace {
            lines.append(String(
                format: "%d,%.6f,%.4f,%d,%d,%d,%d", r.index, r.startSeconds, r.durationSeconds * 1000,
                r.decodeSequences, r.prefillTokens, r.running, r.waiting))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
