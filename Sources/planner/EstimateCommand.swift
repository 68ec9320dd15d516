import ArgumentParser
import Foundation
import PlannerCore

struct Estimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict one deployment's memory use and serving performance (TTFT, TPOT, throughput).",
        discussion: """
            Runs the performance model (docs/performance-model.md) for one model on --gpus GPUs of one \
            type, split into tensor-parallel groups of --tp GPUs (gpus / tp data-parallel replicas). Prints \
            the memory per GPU (weights, overhead, KV cache, how many tokens and sequences fit) and the \
            predicted TTFT, TPOT, output tokens/s and requests/s, at --percentile or as means.

            The load is one of three kinds (the same words in specs and calibration rows): \
            --concurrency N, a closed loop of N clients each sending its next request the moment the last \
            completes; --rate R, Poisson arrivals at R requests/s; --burst N, N requests sent at once and \
            run to completion (offline throughput benchmarks). With none, the steady-state maximum \
            throughput. The engine runs continuous batching with chunked prefill under its scheduler \
            defaults, which --max-num-seqs and --max-num-batched-tokens override. `planner simulate` runs \
            the same deployment step by step. The efficiency constants are the catalog's: the shipped \
            fit, or a `planner calibrate` overlay passed with --catalog DIR.

            Exit codes: 0 estimated, 1 the model does not fit on the GPUs, 2 invalid input or usage.

            \(HelpExamples.text(
                "planner estimate --model deepseek-r1-distill-llama-8b --gpu rtx-4090-24gb --precision int4-gptq --input-tokens 512 --output-tokens 256 --concurrency 1",
                "planner estimate --model llama-3.1-70b --gpu h100-sxm-80gb --gpus 8 --tp 2 --precision fp8 --input-tokens 1000 --output-tokens 500 --rate 20 --percentile 99 --format json"))
            """
    )

    @OptionGroup var deploymentOptions: DeploymentOptions

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @OptionGroup var catalogOptions: CatalogOptions

    func validate() throws { try deploymentOptions.check() }

    func run() throws {
        let catalog = try loadCatalog(catalogOptions)
        let (deployment, workload) = try deploymentOptions.resolve(in: catalog)
        let estimate = estimateServing(deployment, workload, calibration: catalog.calibration)
        let report = EstimateReport(
            deployment: deployment, workload: workload, estimate: estimate, calibrationFiles: catalog.calibrationFiles,
            stepCosts: EstimateReport.stepCosts(deployment, catalog.calibration))
        switch format {
        case .json: print(try report.json())
        case .table: print(report.table())
        }
        if !estimate.memory.fits { throw ExitCode(1) }
    }

    static func precision(_ text: String, option: String) throws -> Precision {
        if let p = Precision(rawValue: text.lowercased()) { return p }
        if text.lowercased() == "int4" { return .int4GPTQ }
        let names = Precision.allCases.map(\.rawValue)
        let hint = Suggest.closest(to: text, in: names).map { ", did you mean '\($0)'?" } ?? ""
        throw UserError(message: "\(option): unknown precision '\(text)'\(hint); expected one of \(names.joined(separator: ", "))")
    }

    static func lookUpModel(_ id: String, in catalog: Catalog) throws -> ModelArchitecture {
        if let m = catalog.model(id) { return m }
        if let kind = catalog.kind(of: id) {
            throw UserError(message: "--model: '\(id)' is \(kind.withArticle), expected a model id (planner catalog list models)")
        }
        let hint = Suggest.closest(to: id, in: catalog.ids(of: .models)).map { ", did you mean '\($0)'?" }
            ?? "; expected a model id from the catalog (planner catalog list models)"
        throw UserError(message: "--model: unknown model '\(id)'\(hint)")
    }

    static func lookUpGPU(_ id: String, in catalog: Catalog) throws -> GPU {
        if let g = catalog.gpu(id) { return g }
        if let kind = catalog.kind(of: id) {
            throw UserError(message: "--gpu: '\(id)' is \(kind.withArticle), expected a GPU id (planner catalog list gpus)")
        }
        let hint = Suggest.closest(to: id, in: catalog.ids(of: .gpus)).map { ", did you mean '\($0)'?" }
            ?? "; expected a GPU id from the catalog (planner catalog list gpus)"
        throw UserError(message: "--gpu: unknown GPU '\(id)'\(hint)")
    }
}

/// What `planner estimate` prints.
struct EstimateReport {
    var deployment: Deployment
    var workload: ServingWorkload
    var estimate: ServingEstimate
    var calibrationFiles: [String]
    /// Where the step costs come from (measured kernel curves, borrowed ones, or fitted efficiencies).
    var stepCosts: String = ""

    static func stepCosts(_ d: Deployment, _ calibration: CalibrationTable) -> String {
        let s = StepModel(d, calibration: calibration)
        guard let k = s.kernels else {
            return "fitted efficiencies (no kernel table): an estimate from the datasheet"
        }
        if let reference = s.kernelSource {
            return "kernel curves of \(reference) (\(k.provenance)) on this GPU's datasheet, × the fitted \(d.gpu.family.rawValue) factors — \(d.gpu.id) has no measured kernels"
        }
        return "measured kernel curves (\(k.provenance))"
    }

    var calibrationText: String {
        calibrationFiles.isEmpty
            ? "shipped constants (docs/performance-model.md)"
            : "overlay " + calibrationFiles.joined(separator: ", ") + " applied to the shipped constants"
    }

    var loadText: String { Self.loadText(workload.load) }

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

    // MARK: Table

    func table() -> String {
        let d = deployment, m = estimate.memory, e = estimate
        let defaults = d.engineSettings
        let replicas = d.replicas
        var out: [String] = []
        out.append("\(d.model.id) on \(d.gpuCount) × \(d.gpu.id) (TP \(d.tensorParallel), \(replicas) replica\(replicas == 1 ? "" : "s")), "
            + "\(d.weightPrecision.rawValue) weights, \(d.kvPrecision.rawValue) KV cache, \(d.engine.rawValue)")
        out.append("\(workload.promptTokens) prompt + \(workload.outputTokens) output tokens, \(loadText)")
        out.append("Engine: \(d.engine.rawValue), continuous batching with chunked prefill: at most \(defaults.maxBatch) running sequences, \(Self.grouped(Double(defaults.maxTokensPerStep))) tokens per step")
        out.append("")
        out.append("Memory per GPU")
        var rows: [[String]] = []
        rows.append(["  capacity", Self.gib(m.capacityGiB), ""])
        rows.append(["  usable", Self.gib(m.usableGiB),
                     defaults.fractionOfFreeMemory
                        ? "weights + overhead + \(String(format: "%.2f", defaults.memoryFraction)) of the rest (\(d.engine.rawValue))"
                        : "\(String(format: "%.2f", defaults.memoryFraction)) of capacity (\(d.engine.rawValue))"])
        rows.append(["  weights", Self.gib(m.weightsGiB), d.tensorParallel > 1 ? "1/\(d.tensorParallel) of the model" : ""])
        rows.append(["  overhead", Self.gib(m.overheadGiB), "runtime, CUDA graphs, activations, logits\(d.tensorParallel > 1 ? ", NCCL" : "")"])
        rows.append(["  KV cache", Self.gib(m.kvCacheGiB),
                     "\(Self.grouped(Double(m.kvCapacityTokens))) tokens per replica, \(Self.grouped(m.kvBytesPerToken)) B per token per GPU"])
        if m.fits {
            rows.append(["  fits", "yes", "largest batch \(m.maxBatch) sequences of \(workload.promptTokens + workload.outputTokens) tokens ("
                         + (m.kvLimited ? "KV cache" : "\(d.engine.rawValue) cap") + ")"])
        } else {
            rows.append(["  fits", "no", m.shortfall ?? ""])
        }
        out.append(Self.render(rows))
        out.append("")
        guard m.fits, replicas >= 1 else {
            out.append("Serving: not estimated, the model does not fit.")
            out.append("Constants: \(calibrationText)")
            return out.joined(separator: "\n")
        }
        let which = workload.percentile.map { "p" + Self.plain($0 * 100) } ?? "means"
        out.append("Serving (\(which), whole deployment)")
        var serving: [[String]] = []
        if e.stable {
            serving.append(["  TTFT", Self.ms(e.ttftMs), ""])
        } else {
            serving.append(["  TTFT", "unbounded", "UNSTABLE: the offered load exceeds the maximum of \(Self.rate(e.requestsPerSecond)) requests/s; queues grow without limit (JSON: ttft_ms null, stable false)"])
        }
        serving.append(["  TPOT", Self.ms(e.tpotMs), "\(e.bound.rawValue)-bound decode step"])
        serving.append(["  output tokens/s", Self.grouped(e.outputTokensPerSecond.rounded()), e.stable ? "" : "at the maximum-throughput point"])
        serving.append(["  requests/s", Self.rate(e.requestsPerSecond), ""])
        serving.append(["  batch per replica", Self.plain((e.batch * 10).rounded() / 10), limitText])
        out.append(Self.render(serving))
        out.append("")
        out.append("Constants: \(calibrationText)")
        if !stepCosts.isEmpty { out.append("Step costs: \(stepCosts)") }
        return out.joined(separator: "\n")
    }

    // MARK: JSON

    func json() throws -> String {
        let d = deployment, m = estimate.memory, e = estimate
        let serving = m.fits && d.replicas >= 1
        var load: [String: JSONValue] = [:]
        switch workload.load {
        case .concurrency(let n): load = ["kind": .string("concurrency"), "value": .number(Double(n))]
        case .requestsPerSecond(let r): load = ["kind": .string("requests_per_second"), "value": .number(r)]
        case .burst(let n): load = ["kind": .string("burst"), "value": .number(Double(n))]
        case .maximum: load = ["kind": .string("maximum"), "value": .null]
        }
        func num(_ x: Double, _ places: Double = 1000) -> JSONValue {
            x.isFinite ? .number((x * places).rounded() / places) : .null
        }
        let object: [String: JSONValue] = [
            "model": .string(d.model.id), "gpu": .string(d.gpu.id), "gpus": .number(Double(d.gpuCount)),
            "tp": .number(Double(d.tensorParallel)), "replicas": .number(Double(d.replicas)),
            "precision": .string(d.weightPrecision.rawValue), "kv_precision": .string(d.kvPrecision.rawValue),
            "engine": .string(d.engine.rawValue),
            "engine_settings": .object([
                "max_num_seqs": .number(Double(d.engineSettings.maxBatch)),
                "max_num_batched_tokens": .number(Double(d.engineSettings.maxTokensPerStep)),
                "kv_block_tokens": .number(Double(d.engineSettings.kvBlockTokens)),
                "memory_fraction": .number(d.engineSettings.memoryFraction),
            ]),
            "input_tokens": .number(Double(workload.promptTokens)),
            "output_tokens": .number(Double(workload.outputTokens)), "load": .object(load),
            "percentile": workload.percentile.map { .number($0 * 100) } ?? .null,
            "ttft_ms": serving && e.stable ? num(e.ttftMs) : .null,
            "tpot_ms": serving ? num(e.tpotMs) : .null,
            "output_tokens_per_s": num(e.outputTokensPerSecond),
            "requests_per_s": num(e.requestsPerSecond, 1e6),
            "batch": num(e.batch),
            "batch_limit": .string(Self.snake(e.batchLimit.rawValue)),
            "bound": serving ? .string(e.bound.rawValue) : .null,
            "stable": .bool(e.stable),
            "memory": .object([
                "weights_gib": num(m.weightsGiB), "kv_cache_gib": num(m.kvCacheGiB),
                "overhead_gib": num(m.overheadGiB), "capacity_gib": num(m.capacityGiB),
                "usable_gib": num(m.usableGiB), "kv_capacity_tokens": .number(Double(m.kvCapacityTokens)),
                "kv_bytes_per_token": num(m.kvBytesPerToken), "max_batch": .number(Double(m.maxBatch)),
                "fits": .bool(m.fits), "shortfall": m.shortfall.map(JSONValue.string) ?? .null,
            ]),
            "step_costs": .string(stepCosts),
            "calibration": .array(calibrationFiles.isEmpty ? [.string("shipped")] : calibrationFiles.map(JSONValue.string)),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(JSONValue.object(object)), as: UTF8.self)
    }

    // MARK: Formatting

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

/// A JSON value whose nulls are written out (JSONEncoder drops nil optionals).
enum JSONValue: Encodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        switch self {
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .number(let x):
            var c = encoder.singleValueContainer()
            if x == x.rounded(), abs(x) < 1e15 { try c.encode(Int64(x)) } else { try c.encode(x) }
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .object(let fields):
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in fields { try c.encode(v, forKey: Key(k)) }
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        }
    }
}
