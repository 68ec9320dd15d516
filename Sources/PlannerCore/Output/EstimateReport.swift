import Foundation

/// What `planner estimate` reports: one deployment's memory and predicted serving performance, and
/// where the constants came from. ``EstimateTableRenderer`` and ``EstimateJSONRenderer`` format it.
public struct EstimateReport: Sendable {
    public var deployment: Deployment
    public var workload: ServingWorkload
    public var estimate: ServingEstimate
    public var calibrationFiles: [String]
    /// Where the step costs come from (measured kernel curves, borrowed ones, or fitted efficiencies).
    public var stepCosts: String = ""
    /// The engine's fitted request overhead (HTTP, tokenisation, scheduling), part of every TTFT, ms.
    public var requestOverheadMs: Double = 0

    /// The report of `estimate` for `deployment` under `workload`, with the catalog's calibration.
    public init(deployment: Deployment, workload: ServingWorkload, estimate: ServingEstimate, catalog: Catalog) {
        self.deployment = deployment
        self.workload = workload
        self.estimate = estimate
        self.calibrationFiles = catalog.calibrationFiles
        self.stepCosts = Self.stepCosts(deployment, catalog.calibration)
        self.requestOverheadMs = max(0, catalog.calibration.calibration(for: deployment.engine).requestOverheadMs)
    }

    static func stepCosts(_ d: Deployment, _ calibration: CalibrationTable) -> String {
        let s = StepModel(d, calibration: calibration)
        guard let k = s.kernels else {
            return "fitted efficiencies (no kernel table): an estimate from the datasheet"
        }
        let experts = d.model.moe == nil ? ""
            : k.hasMoE ? "; routed experts at their measured MoE kernel" : "; routed experts at the GEMM curve (no MoE kernel measured for this shape, precision and TP)"
        if let reference = s.kernelSource {
            return "kernel curves of \(reference) (\(k.provenance)) on this GPU's datasheet, × the fitted \(d.gpu.family.rawValue) factors — \(d.gpu.id) has no measured kernels\(experts)"
        }
        return "measured kernel curves (\(k.provenance))\(experts)"
    }

    var calibrationText: String {
        calibrationFiles.isEmpty
            ? "shipped constants (docs/performance-model.md)"
            : "overlay " + calibrationFiles.joined(separator: ", ") + " applied to the shipped constants"
    }

    var loadText: String { Self.loadText(workload.load) }

    /// "Engine: trtllm, continuous batching with whole prompts (no chunked prefill): at most 2048 running
    /// sequences, 8,192 tokens per step", and whose defaults an engine without published caps runs.
    static func engineLine(_ d: Deployment) -> String {
        let settings = d.engineSettings
        return "Engine: \(d.engine.rawValue), continuous batching with "
            + (settings.chunkedPrefill ? "chunked prefill" : "whole prompts (no chunked prefill)")
            + ": at most \(settings.maxBatch) running sequences, \(grouped(Double(settings.maxTokensPerStep))) tokens per step"
            + (settings.attentionRanks(tensorParallel: d.tensorParallel) > 1 ? " per GPU" : "")
            + (d.engine.backend != d.engine && settings == .defaults(for: d.engine)
                ? " (\(d.engine.backend.rawValue)'s defaults: \(d.engine.displayName) does not publish its profiles' caps)" : "")
            + parallelismText(d).map { "; \($0)" }.joined()
    }

    /// How a replica of more than one GPU splits the model beyond tensor parallelism, when it does:
    /// ["experts expert-parallel over 8 GPUs", "attention data-parallel (8 ranks, each its own batch)"].
    static func parallelismText(_ d: Deployment) -> [String] {
        let settings = d.engineSettings, tp = max(1, d.tensorParallel)
        guard tp > 1 else { return [] }
        var parts: [String] = []
        if settings.expertParallel, d.model.moe != nil { parts.append("experts expert-parallel over \(tp) GPUs") }
        if settings.expertParallel, d.model.moe == nil { parts.append("expert_parallel set, but \(d.model.id) has no experts") }
        if settings.attentionDataParallel { parts.append("attention data-parallel (\(tp) ranks, each its own batch)") }
        return parts
    }

    /// The scheduler settings a deployment ran with, as JSON (`engine_settings`).
    static func engineSettingsJSON(_ d: Deployment) -> JSONValue {
        let settings = d.engineSettings
        return .object([
            "max_num_seqs": .number(Double(settings.maxBatch)),
            "max_num_batched_tokens": .number(Double(settings.maxTokensPerStep)),
            "kv_block_tokens": .number(Double(settings.kvBlockTokens)),
            "enable_chunked_prefill": .bool(settings.chunkedPrefill),
            "expert_parallel": .bool(settings.expertParallel),
            "attention_dp": .bool(settings.attentionDataParallel),
            "memory_fraction": .number(settings.memoryFraction),
        ])
    }

    static func loadText(_ load: ServingWorkload.Load) -> String {
        switch load {
        case .concurrency(let n): "concurrency \(n) (closed loop: \(n) client\(n == 1 ? "" : "s"), each sending its next request when the last completes)"
        case .requestsPerSecond(let r): "requests_per_second \(plain(r)) (open loop, Poisson arrivals)"
        case .burst(let n): "burst \(n) (\(n) requests sent at once, run to completion)"
        case .maximum: "maximum (steady state with the engine full: the most throughput)"
        }
    }

    var limitText: String {
        switch estimate.batchLimit {
        case .load: "set by the load"
        case .kvCache: "limited by KV-cache memory"
        case .engineCap: "limited by \(deployment.engine.rawValue)'s batch cap"
        case .doesNotFit: "does not fit"
        }
    }
}

extension EstimateReport {
    // Number formats of the estimate and simulate reports.

    static func snake(_ s: String) -> String {
        s.reduce(into: "") { out, c in
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
    }

    static func plain(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%g", x)
    }

    static func gib(_ x: Double) -> String { String(format: "%.2f GiB", x) }

    static func ms(_ x: Double) -> String {
        x >= 1000 ? grouped(x.rounded()) + " ms" : x >= 100 ? String(format: "%.0f ms", x) : x >= 10 ? String(format: "%.1f ms", x) : String(format: "%.2f ms", x)
    }

    static func rate(_ x: Double) -> String {
        x >= 100 ? grouped(x.rounded()) : x >= 1 ? String(format: "%.2f", x) : String(format: "%.3g", x)
    }

    /// `12500` → `12,500` (whole part only).
    static func grouped(_ x: Double) -> String {
        guard x.isFinite, abs(x) < 1e18 else { return "\(x)" }
        var digits = String(Int64(x.rounded(.down)))
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits = String(digits.dropLast(3))
        }
        return digits + out
    }

    /// Label, value, note columns; values right-aligned.
    static func render(_ rows: [[String]]) -> String {
        let w0 = rows.map { $0[0].count }.max() ?? 0
        let w1 = rows.map { $0[1].count }.max() ?? 0
        return rows.map { r in
            let label = r[0].padding(toLength: w0, withPad: " ", startingAt: 0)
            let value = String(repeating: " ", count: max(0, w1 - r[1].count)) + r[1]
            let line = label + "  " + value + (r[2].isEmpty ? "" : "  " + r[2])
            return line
        }.joined(separator: "\n")
    }
}
