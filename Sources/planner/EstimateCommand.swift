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
            predicted TTFT, TPOT, output tokens/s and requests/s. The load is --concurrency N clients \
            (closed loop), --rate R requests/s (Poisson), or, with neither, the maximum-throughput point. \
            The efficiency constants are the catalog's: the shipped fit, or a `planner calibrate` overlay \
            passed with --catalog DIR.

            Exit codes: 0 estimated, 1 the model does not fit on the GPUs, 2 invalid input or usage.

            Example: planner estimate --model deepseek-r1-distill-llama-8b --gpu rtx-4090-24gb --precision int4-gptq --input-tokens 512 --output-tokens 256 --concurrency 1
            Example: planner estimate --model llama-3.1-70b --gpu h100-sxm-80gb --gpus 8 --tp 2 --precision fp8 --input-tokens 1000 --output-tokens 500 --rate 20 --percentile 99 --format json
            """
    )

    @Option(help: ArgumentHelp("Model id from the catalog (planner catalog list models).", valueName: "id"))
    var model: String

    @Option(help: ArgumentHelp("GPU id from the catalog (planner catalog list gpus).", valueName: "id"))
    var gpu: String

    @Option(help: ArgumentHelp("Number of GPUs (default: --tp); a multiple of --tp.", valueName: "n"))
    var gpus: Int?

    @Option(help: ArgumentHelp("Tensor-parallel degree: GPUs that hold one copy of the model.", valueName: "n"))
    var tp: Int = 1

    @Option(help: ArgumentHelp(
        "Weight precision: \(Precision.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "p"))
    var precision: String

    @Option(name: .customLong("kv-precision"), help: ArgumentHelp(
        "KV-cache precision: fp16, bf16, fp8 or int8 (default: bf16 with bf16 weights, else fp16).", valueName: "p"))
    var kvPrecision: String?

    @Option(help: ArgumentHelp(
        "Serving engine: \(EngineProfile.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "e"))
    var engine: String = EngineProfile.vllm.rawValue

    @Option(name: .customLong("input-tokens"), help: ArgumentHelp("Prompt tokens per request.", valueName: "n"))
    var inputTokens: Int

    @Option(name: .customLong("output-tokens"), help: ArgumentHelp("Generated tokens per request.", valueName: "n"))
    var outputTokens: Int

    @Option(help: ArgumentHelp("Concurrent clients, each sending its next request when the last ends.", valueName: "n"))
    var concurrency: Int?

    @Option(help: ArgumentHelp("Poisson arrival rate, requests per second (whole deployment).", valueName: "r"))
    var rate: Double?

    @Option(help: ArgumentHelp(
        "Report TTFT and TPOT at this percentile (e.g. 99) instead of means; with --rate only.", valueName: "p"))
    var percentile: Double?

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @OptionGroup var catalogOptions: CatalogOptions

    func validate() throws {
        guard (1...1_024).contains(tp) else { throw ValidationError("--tp must be 1 to 1024 (got \(tp))") }
        if let gpus {
            guard (1...100_000).contains(gpus) else { throw ValidationError("--gpus must be 1 to 100000 (got \(gpus))") }
            guard gpus % tp == 0 else {
                throw ValidationError("--gpus \(gpus) is not a multiple of --tp \(tp); expected whole tensor-parallel groups (e.g. --gpus \(max(tp, gpus / tp * tp)))")
            }
        }
        guard (1...10_000_000).contains(inputTokens) else {
            throw ValidationError("--input-tokens must be 1 to 10000000 (got \(inputTokens))")
        }
        guard (1...10_000_000).contains(outputTokens) else {
            throw ValidationError("--output-tokens must be 1 to 10000000 (got \(outputTokens))")
        }
        if concurrency != nil && rate != nil {
            throw ValidationError("give --concurrency or --rate, not both (neither: the maximum-throughput point)")
        }
        if let concurrency, !(1...100_000_000).contains(concurrency) {
            throw ValidationError("--concurrency must be 1 to 100000000 (got \(concurrency))")
        }
        if let rate, !(rate.isFinite && rate > 0 && rate <= 1e9) {
            throw ValidationError("--rate must be a positive number of requests per second (got \(rate))")
        }
        if let percentile {
            guard percentile.isFinite, percentile > 0, percentile < 100 else {
                throw ValidationError("--percentile must be between 0 and 100, e.g. 99 (got \(percentile))")
            }
            guard rate != nil else {
                throw ValidationError("--percentile needs --rate (with --concurrency or no load, requests move in lock-step: every percentile equals the mean)")
            }
        }
    }

    func run() throws {
        let weights = try Self.precision(precision, option: "--precision")
        let kv: Precision
        if let kvPrecision {
            kv = try Self.precision(kvPrecision, option: "--kv-precision")
            if kv.isInt4 {
                throw UserError(message: "--kv-precision \(kv.rawValue) is a weights-only format; expected fp16, bf16, fp8 or int8")
            }
        } else {
            kv = weights == .bf16 ? .bf16 : .fp16
        }
        guard let engineProfile = EngineProfile(rawValue: engine.lowercased()) else {
            let names = EngineProfile.allCases.map(\.rawValue)
            let hint = Suggest.closest(to: engine, in: names).map { ", did you mean '\($0)'?" } ?? ""
            throw UserError(message: "--engine: unknown engine '\(engine)'\(hint); expected one of \(names.joined(separator: ", "))")
        }
        let catalog = try loadCatalog(catalogOptions)
        let arch = try Self.lookUpModel(model, in: catalog)
        let device = try Self.lookUpGPU(gpu, in: catalog)
        if inputTokens + outputTokens > arch.maxContextTokens {
            throw UserError(message: "--input-tokens \(inputTokens) + --output-tokens \(outputTokens) = \(inputTokens + outputTokens) tokens exceed \(arch.id)'s context of \(arch.maxContextTokens) tokens")
        }
        let deployment = Deployment(
            model: arch, gpu: device, gpuCount: gpus ?? tp, tensorParallel: tp, weightPrecision: weights,
            kvPrecision: kv, engine: engineProfile)
        let load: ServingWorkload.Load =
            if let concurrency { .concurrency(concurrency) } else if let rate { .requestsPerSecond(rate) } else { .maximum }
        let workload = ServingWorkload(
            promptTokens: inputTokens, outputTokens: outputTokens, load: load, percentile: percentile.map { $0 / 100 })
        let estimate = estimateServing(deployment, workload, calibration: catalog.calibration)
        let report = EstimateReport(
            deployment: deployment, workload: workload, estimate: estimate, calibrationFiles: catalog.calibrationFiles)
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

    var calibrationText: String {
        calibrationFiles.isEmpty
            ? "shipped constants (docs/performance-model.md)"
            : "overlay " + calibrationFiles.joined(separator: ", ") + " applied to the shipped constants"
    }

    var loadText: String {
        switch workload.load {
        case .concurrency(let n): "concurrency \(n)"
        case .requestsPerSecond(let r): "Poisson arrivals at \(Self.plain(r)) requests/s"
        case .maximum: "maximum throughput (all requests queued)"
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
        let defaults = EngineDefaults.of(d.engine)
        let replicas = d.replicas
        var out: [String] = []
        out.append("\(d.model.id) on \(d.gpuCount) × \(d.gpu.id) (TP \(d.tensorParallel), \(replicas) replica\(replicas == 1 ? "" : "s")), "
            + "\(d.weightPrecision.rawValue) weights, \(d.kvPrecision.rawValue) KV cache, \(d.engine.rawValue)")
        out.append("\(workload.promptTokens) prompt + \(workload.outputTokens) output tokens, \(loadText)")
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
        return out.joined(separator: "\n")
    }

    // MARK: JSON

    func json() throws -> String {
        let d = deployment, m = estimate.memory, e = estimate
        let serving = m.fits && d.replicas >= 1
        var load: [String: JSONValue] = [:]
        switch workload.load {
        case .concurrency(let n): load = ["kind": .string("concurrency"), "value": .number(Double(n))]
        case .requestsPerSecond(let r): load = ["kind": .string("rate"), "value": .number(r)]
        case .maximum: load = ["kind": .string("max"), "value": .null]
        }
        func num(_ x: Double, _ places: Double = 1000) -> JSONValue {
            x.isFinite ? .number((x * places).rounded() / places) : .null
        }
        let object: [String: JSONValue] = [
            "model": .string(d.model.id), "gpu": .string(d.gpu.id), "gpus": .number(Double(d.gpuCount)),
            "tp": .number(Double(d.tensorParallel)), "replicas": .number(Double(d.replicas)),
            "precision": .string(d.weightPrecision.rawValue), "kv_precision": .string(d.kvPrecision.rawValue),
            "engine": .string(d.engine.rawValue), "input_tokens": .number(Double(workload.promptTokens)),
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
