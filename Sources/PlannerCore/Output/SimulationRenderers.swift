import Foundation

/// What `planner simulate` reports: one replica engine run step by step, with the seed of its arrivals
/// and output lengths and the spread of those lengths.
public struct SimulationReport: Sendable {
    /// The column a requested percentile adds (`p95`, `p99.9`), or nil when none was asked for or it is
    /// one of the three always shown.
    static func extraColumn(_ r: ServingSimulator.Result) -> String? {
        guard let q = r.ttft.requestedQuantile else { return nil }
        let percent = (q * 1000).rounded() / 10
        guard ![50.0, 90, 99].contains(percent) else { return nil }
        return "p" + (percent == percent.rounded() ? String(Int(percent)) : String(percent))
    }

    public var deployment: Deployment
    public var workload: ServingWorkload
    public var result: ServingSimulator.Result
    public var seed: UInt64
    /// Output lengths were drawn from O · (1 ± outputSpread) (``ServingSimulator/Options/outputSpread``).
    public var outputSpread: Double
    /// A closed loop's clients all sent their first request at time 0 and the run was measured from the
    /// start (``ServingSimulator/Options/staggerClosedLoop`` false), as benchmark tools run one.
    public var clientsStartTogether: Bool

    public init(
        deployment: Deployment, workload: ServingWorkload, result: ServingSimulator.Result, seed: UInt64,
        outputSpread: Double = ServingSimulator.Options.defaultOutputSpread, clientsStartTogether: Bool = false
    ) {
        self.deployment = deployment
        self.workload = workload
        self.result = result
        self.seed = seed
        self.outputSpread = outputSpread
        self.clientsStartTogether = clientsStartTogether
    }

    /// The load as `estimate` words it, and how a closed loop's clients started.
    var loadText: String {
        let text = EstimateReport.loadText(workload.load)
        guard clientsStartTogether, case .concurrency = workload.load else { return text }
        return text + "; all started at once and measured from the start, as benchmark tools do"
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
        out.append("\(w.promptTokens) prompt + \(report.outputText), \(report.loadText)")
        out.append(EstimateReport.engineLine(d))
        out.append("Simulated \(r.measuredRequests) requests in \(EstimateReport.grouped(Double(r.steps))) engine steps"
            + (r.stable ? "" : " — UNSTABLE: requests were still queueing when the step limit was reached"))
        out.append("")
        func ms(_ x: Double) -> String { EstimateReport.ms(x * 1000) }
        // p50, p90, p99 and a requested percentile, in order.
        var columns: [(label: String, quantile: Double, value: (ServingSimulator.Percentiles) -> Double)] = [
            ("p50", 0.5, \.p50), ("p90", 0.9, \.p90), ("p99", 0.99, \.p99),
        ]
        if let extra = SimulationReport.extraColumn(r), let q = r.ttft.requestedQuantile {
            columns.append((extra, q, { $0.requested ?? 0 }))
            columns.sort { $0.quantile < $1.quantile }
        }
        var rows: [[String]] = [["", "mean"] + columns.map(\.label)]
        for (name, p) in [("TTFT", r.ttft), ("TPOT", r.tpot), ("end to end", r.endToEnd)] {
            rows.append([name, ms(p.mean)] + columns.map { ms($0.value(p)) })
        }
        let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
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
        let extra = SimulationReport.extraColumn(r)
        func stats(_ p: ServingSimulator.Percentiles) -> JSONValue {
            var fields: [String: JSONValue] = [
                "mean": num(p.mean * 1000), "p50": num(p.p50 * 1000), "p90": num(p.p90 * 1000), "p99": num(p.p99 * 1000),
            ]
            if let extra, let value = p.requested { fields[extra] = num(value * 1000) }
            return .object(fields)
        }
        let object: [String: JSONValue] = [
            "model": .string(d.model.id), "gpu": .string(d.gpu.id), "gpus": .number(Double(d.gpuCount)),
            "tp": .number(Double(d.tensorParallel)), "replicas": .number(Double(d.replicas)),
            "precision": .string(d.weightPrecision.rawValue), "kv_precision": .string(d.kvPrecision.rawValue),
            "engine": .string(d.engine.rawValue), "engine_settings": EstimateReport.engineSettingsJSON(d),
            "input_tokens": .number(Double(w.promptTokens)),
            "output_tokens": .number(Double(w.outputTokens)),
            "load": .object(["kind": .string(w.load.kind), "value": loadValue(w.load)]),
            "ttft_ms": stats(r.ttft), "tpot_ms": stats(r.tpot), "e2e_ms": stats(r.endToEnd),
            "output_tokens_per_s": num(r.outputTokensPerSecond), "requests_per_s": num(r.requestsPerSecond, 1e6),
            "mean_decode_batch": num(r.meanDecodeBatch), "measured_requests": .number(Double(r.measuredRequests)),
            "steps": .number(Double(r.steps)), "stable": .bool(r.stable), "seed": .number(Double(seed)), "output_spread": num(report.outputSpread),
            "clients_start_together": .bool(report.clientsStartTogether),
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
