import Foundation

/// One published measurement, a row of calibration.csv.
public struct CalibrationRow: Sendable, Hashable {
    public var id: String
    public var model: String
    public var precision: Precision
    public var gpu: String
    public var gpus: Int
    public var tensorParallel: Int
    /// The engine string as published (`vllm-0.8.5`) and the profile it maps to.
    public var engineVersion: String
    public var engine: EngineProfile
    /// Prompt / output lengths; `nil` when not published.
    public var promptTokens: Int?
    public var outputTokens: Int?
    public var load: ServingWorkload.Load
    /// The KV-cache precision the run used (`kv_precision`); `nil`: the engine's default for the weights.
    public var kvPrecision: Precision?
    /// Which statistic `ttftMs` / `tpotMs` are (`latency_stat`): mean unless the row says otherwise.
    public var latencyStatistic: LatencyStatistic = .mean
    public var ttftMs: Double?
    public var tpotMs: Double?
    public var outputTokensPerSecond: Double?
    /// Requests in the benchmark run (optional column `num_requests`): a finite run's throughput
    /// includes the drain of the last requests.
    public var benchmarkRequests: Int?
    /// Requests a closed loop of fixed lengths completed before its measurement began (optional column
    /// `warmup_requests`; `nil`: measured from the start, as genai-perf/AIPerf with `--request-count`
    /// and `vllm bench serve` do). Read by ``fixedLengthClosedLoop`` only.
    public var warmupRequests: Int? = nil
    /// The run's engine settings where it set them (optional columns `max_num_seqs`, vLLM's
    /// `--max-num-seqs` or TensorRT-LLM's `max_batch_size`, and `max_num_batched_tokens`, the per-step
    /// token budget); `nil`: the engine's defaults (``EngineSettings/defaults(for:)``).
    public var maxNumSeqs: Int? = nil
    public var maxNumBatchedTokens: Int? = nil
    /// Whether the run chunked its prompts (optional column `enable_chunked_prefill`, `true` or `false`);
    /// `nil`: the engine's default (``EngineSettings/chunkedPrefill``).
    public var enableChunkedPrefill: Bool? = nil
    /// Whether a mixture of experts ran expert-parallel (optional column `expert_parallel`) and attention
    /// data-parallel (`attention_dp`), `true` or `false`; `nil`: the engine's default (neither;
    /// ``EngineSettings/expertParallel``, ``EngineSettings/attentionDataParallel``).
    public var expertParallel: Bool? = nil
    public var attentionDataParallel: Bool? = nil
    /// How long the run's outputs were (optional column `lengths`): `fixed` when every request produced
    /// exactly `osl` tokens, which decides how a closed loop runs (``BenchmarkLengths``).
    public var lengths: BenchmarkLengths = .varied
    public var source: String
    /// Where the row is in its file (line, and the column of the row's first character).
    public var location: SourceLocation = SourceLocation(file: "calibration.csv", line: 1, column: 1)
    /// The character column of each CSV column's field on this row, by column name.
    public var fieldColumns: [String: Int] = [:]

    /// The location of one field of this row, for diagnostics.
    public func location(of column: String) -> SourceLocation {
        SourceLocation(file: location.file, line: location.line, column: fieldColumns[column] ?? location.column)
    }
}

/// The statistic a row's latencies are: means are compared with the model's means, medians with its
/// medians (equal to means in the closed form), p99 with its 99th percentile.
public enum LatencyStatistic: String, Sendable, Hashable, CaseIterable {
    case mean, median, p99

    /// The percentile to predict at: nil for the mean, 0.5, 0.99.
    public var percentile: Double? {
        switch self {
        case .mean: nil
        case .median: 0.5
        case .p99: 0.99
        }
    }
}

/// Lengths assumed where a row publishes none ("short chat prompts"): 128 in, 128 out.
public let unpublishedLengthTokens = 128

/// Every problem found in a measurements file, one ``Diagnostic`` each:
/// `file:line:column: csv_column: what is wrong, what was expected`.
public struct CalibrationError: Error, Equatable, LocalizedError, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sorted() }

    public var errorDescription: String? { description }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Maps a published engine string (`trtllm-1.0`, `vllm-0.8.5`, `sglang-0.4`, `trtllm-nim-1.8.0` or
/// `nim-trtllm-1.8.0` for NIM serving a TensorRT-LLM profile) to a profile.
public func engineProfile(forVersion s: String) -> EngineProfile? {
    let l = s.lowercased()
    if l.hasPrefix("trtllm-nim") || l.hasPrefix("nim-trtllm") { return .nimTRTLLM }
    if l.hasPrefix("trt") { return .trtllm }
    if l.hasPrefix("vllm") { return .vllm }
    if l.hasPrefix("sglang") { return .sglang }
    return nil
}

/// The columns a measurements file must have (calibration.csv's header; `source`, `notes`,
/// `requests_s`, `num_requests`, `kv_precision`, `latency_stat`, `max_num_seqs`,
/// `max_num_batched_tokens`, `enable_chunked_prefill`, `expert_parallel`, `attention_dp`, `lengths` and
/// `warmup_requests` are optional).
///
/// `load_kind` is one of the three load kinds (docs/performance-model.md): `concurrency` (closed loop,
/// `load_value` clients), `rate` (Poisson, `load_value` requests/s) or `burst` (`load_value` requests
/// sent at once; empty: a burst large enough to keep the engine full — the steady-state maximum).
/// `max` is read as an empty `burst` (files written before the vocabulary).
public let calibrationRequiredColumns = [
    "id", "model", "precision", "gpu", "gpus", "tp", "engine", "isl", "osl", "load_kind", "load_value",
    "ttft_ms", "tpot_ms", "output_tok_s",
]

/// Parses measurements in calibration.csv's format (header line first; blank and `#` lines skipped;
/// double-quoted fields may hold commas). Reports every problem, each with its line and column.
public func parseCalibrationCSV(_ text: String, file: String = "calibration.csv") throws(CalibrationError)
    -> [CalibrationRow]
{
    var diagnostics: [Diagnostic] = []
    func report(_ line: Int, _ column: Int, _ key: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, line: line, column: column, keyPath: key, message: message))
    }
    // "\r\n" is one Character in Swift: split on it as well as on "\n" (and a lone "\r").
    let allLines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    var header: [String]?
    var rows: [CalibrationRow] = []
    var rowIDs = CSVRowIDs()
    var cols: [String: Int] = [:]
    for (offset, raw) in allLines.enumerated() {
        let lineNumber = offset + 1
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
        guard let fields = splitCSVLine(raw) else {
            report(lineNumber, 1, "", "unterminated quoted field, expected a closing '\"'")
            continue
        }
        guard let names = header else {
            let h = fields.map { $0.text.lowercased() }
            header = h
            for (i, name) in h.enumerated() {
                if let first = cols[name] {
                    report(lineNumber, fields[i].column, name, "duplicate column (first is column \(first + 1)), expected each column once")
                } else if !name.isEmpty {
                    cols[name] = i
                }
            }
            let missing = calibrationRequiredColumns.filter { cols[$0] == nil }
            if !missing.isEmpty {
                report(lineNumber, 1, "", "header lacks column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")), expected calibration.csv's header: \(calibrationRequiredColumns.joined(separator: ","))[,source,notes,num_requests]")
                return try reportAll(diagnostics)
            }
            continue
        }
        if fields.count > names.count {
            report(lineNumber, fields[names.count].column, "", "\(fields.count) fields, expected at most \(names.count) (one per header column; quote a field that holds commas)")
            continue
        }
        let before = diagnostics.count
        func column(_ name: String) -> Int { cols[name].flatMap { $0 < fields.count ? fields[$0].column : nil } ?? (fields.last.map { $0.column + $0.text.count } ?? 1) }
        func field(_ name: String) -> String { cols[name].flatMap { $0 < fields.count ? fields[$0].text : nil } ?? "" }
        func bad(_ name: String, _ message: String) { report(lineNumber, column(name), name, message) }
        func number(_ name: String, positive: Bool = false, max: Double = 1e12) -> Double? {
            let v = field(name)
            if v.isEmpty { return nil }
            guard let x = Double(v), x.isFinite else {
                bad(name, "must be a number (got '\(v)')")
                return nil
            }
            if positive ? x <= 0 : x < 0 {
                bad(name, positive ? "must be a positive number (got \(v))" : "must not be negative (got \(v))")
                return nil
            }
            if x > max {
                bad(name, "out of range (got \(v)), expected at most \(Int(max))")
                return nil
            }
            return x
        }
        func int(_ name: String, _ range: ClosedRange<Int>) -> Int? {
            let v = field(name)
            guard let x = number(name, max: Double(range.upperBound)) else { return nil }
            guard x == x.rounded(), let i = Int(exactly: x) else {
                bad(name, "must be a whole number (got \(v))")
                return nil
            }
            guard range.contains(i) else {
                bad(name, "out of range (got \(v)), expected \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return i
        }
        let id = field("id")
        if let problem = rowIDs.problem(with: id, line: lineNumber, example: "r01") { bad("id", problem) }
        let model = field("model")
        if model.isEmpty { bad("model", "missing value, expected a model id from the catalog") }
        let gpu = field("gpu")
        if gpu.isEmpty { bad("gpu", "missing value, expected a GPU id from the catalog") }
        let precisionText = field("precision").lowercased()
        let precision = Precision(rawValue: precisionText == "int4" ? "int4-gptq" : precisionText)
        if precision == nil {
            bad("precision", "unknown precision '\(field("precision"))'\(Suggest.hint(precisionText, Precision.allCases.map(\.rawValue), orExpected: "one of \(Precision.allCases.map(\.rawValue).joined(separator: ", "))"))")
        }
        let engine = engineProfile(forVersion: field("engine"))
        if engine == nil {
            bad("engine", "unknown engine '\(field("engine"))', expected a name starting with vllm, trtllm, sglang or nim-trtllm (e.g. vllm-0.8.5)")
        }
        let gpus = field("gpus").isEmpty ? 1 : int("gpus", 1...100_000)
        let tp = field("tp").isEmpty ? 1 : int("tp", 1...1_024)
        if let g = gpus, let t = tp, g % t != 0 {
            bad("tp", "tp \(t) does not divide gpus \(g), expected gpus to be a whole number of tensor-parallel groups")
        }
        let isl = int("isl", 1...10_000_000)
        let osl = int("osl", 1...10_000_000)
        var load: ServingWorkload.Load?
        let kind = field("load_kind").lowercased()
        switch kind {
        case "max": load = .maximum
        case "burst":
            if field("load_value").isEmpty { load = .maximum }
            else if let n = int("load_value", 1...100_000_000) { load = .burst(n) }
        case "rate":
            if field("load_value").isEmpty { bad("load_value", "missing value, expected requests per second for load_kind rate") }
            else if let r = number("load_value", positive: true, max: 1e9) { load = .requestsPerSecond(r) }
        case "concurrency":
            if field("load_value").isEmpty { bad("load_value", "missing value, expected the number of concurrent requests for load_kind concurrency") }
            else if let c = int("load_value", 1...10_000_000) { load = .concurrency(c) }
        default:
            bad("load_kind", "unknown load kind '\(field("load_kind"))'\(Suggest.hint(kind, ["burst", "rate", "concurrency"], orExpected: "concurrency (closed loop, load_value clients), rate (Poisson, load_value requests/s) or burst (load_value requests sent at once; empty for the steady-state maximum)"))")
        }
        var kvPrecision: Precision?
        let kvText = field("kv_precision").lowercased()
        if !kvText.isEmpty {
            if let k = Precision(rawValue: kvText), k.isKVCacheFormat { kvPrecision = k } else {
                bad("kv_precision", "unknown KV-cache precision '\(field("kv_precision"))', expected fp16, bf16, fp8 or int8 (empty: the engine's default)")
            }
        }
        var statistic = LatencyStatistic.mean
        let statText = field("latency_stat").lowercased()
        if !statText.isEmpty {
            if let st = LatencyStatistic(rawValue: statText == "p50" ? "median" : statText) { statistic = st } else {
                bad("latency_stat", "unknown statistic '\(field("latency_stat"))', expected mean, median or p99")
            }
        }
        let ttft = number("ttft_ms", positive: true)
        let tpot = number("tpot_ms", positive: true)
        let tput = number("output_tok_s", positive: true)
        /// An optional whole-number column: nil when the file lacks it or the row leaves it empty.
        func optionalInt(_ name: String, _ range: ClosedRange<Int>) -> Int? {
            cols[name] == nil || field(name).isEmpty ? nil : int(name, range)
        }
        let requests = optionalInt("num_requests", 1...100_000_000)
        let warmup = optionalInt("warmup_requests", 0...100_000_000)
        let maxNumSeqs = optionalInt("max_num_seqs", SpecLimits.maxNumSeqs)
        let maxNumBatchedTokens = optionalInt("max_num_batched_tokens", SpecLimits.maxNumBatchedTokens)
        /// An optional true/false column: nil when the file lacks it or the row leaves it empty.
        func optionalBool(_ name: String, meaning: String) -> Bool? {
            let text = field(name).lowercased()
            switch text {
            case "": return nil
            case "true": return true
            case "false": return false
            default:
                bad(name, "unknown value '\(field(name))'\(Suggest.hint(text, ["true", "false"], orExpected: "\(meaning); empty: the engine's default"))")
                return nil
            }
        }
        let chunkedPrefill = optionalBool("enable_chunked_prefill", meaning: "true (prompts cut into chunks) or false (whole prompts)")
        let expertParallel = optionalBool("expert_parallel", meaning: "true (experts distributed whole over the GPUs) or false (each expert sharded)")
        let attentionDP = optionalBool("attention_dp", meaning: "true (attention data-parallel) or false (tensor-parallel)")
        var lengths = BenchmarkLengths.varied
        let lengthsText = field("lengths").lowercased()
        if !lengthsText.isEmpty {
            if let l = BenchmarkLengths(rawValue: lengthsText) { lengths = l } else {
                bad("lengths", "unknown lengths '\(field("lengths"))'\(Suggest.hint(lengthsText, BenchmarkLengths.allCases.map(\.rawValue), orExpected: "fixed (every request produced exactly osl tokens) or varied (empty: outputs of varying length)"))")
            }
        }
        if field("ttft_ms").isEmpty && field("tpot_ms").isEmpty && field("output_tok_s").isEmpty {
            report(lineNumber, column("ttft_ms"), "", "no measured figure, expected at least one of ttft_ms, tpot_ms, output_tok_s")
        }
        guard diagnostics.count == before, let precision, let engine, let gpus, let tp, let load else { continue }
        var columns: [String: Int] = [:]
        for (name, i) in cols where i < fields.count { columns[name] = fields[i].column }
        rows.append(
            CalibrationRow(
                id: id, model: model, precision: precision, gpu: gpu, gpus: gpus, tensorParallel: tp,
                engineVersion: field("engine"), engine: engine, promptTokens: isl, outputTokens: osl, load: load,
                kvPrecision: kvPrecision, latencyStatistic: statistic, ttftMs: ttft, tpotMs: tpot, outputTokensPerSecond: tput, benchmarkRequests: requests,
                warmupRequests: warmup,
                maxNumSeqs: maxNumSeqs, maxNumBatchedTokens: maxNumBatchedTokens,
                enableChunkedPrefill: chunkedPrefill, expertParallel: expertParallel, attentionDataParallel: attentionDP,
                lengths: lengths, source: field("source"), location: SourceLocation(file: file, line: lineNumber, column: 1),
                fieldColumns: columns))
    }
    if header == nil {
        report(1, 1, "", "file has no header line, expected calibration.csv's header: \(calibrationRequiredColumns.joined(separator: ","))")
    }
    return try reportAll(diagnostics, rows)
}

private func reportAll(_ diagnostics: [Diagnostic], _ rows: [CalibrationRow] = []) throws(CalibrationError) -> [CalibrationRow] {
    if !diagnostics.isEmpty { throw CalibrationError(diagnostics) }
    return rows
}

/// Model ids used by published measurements that the catalog lists under another id with the same
/// architecture: Llama-3-8B has Llama-3.1-8B's layers, widths, heads and vocabulary (only the context
/// length and RoPE scaling differ, which the performance model does not use).
public let calibrationModelAliases: [String: String] = ["llama-3-8b": "llama-3.1-8b"]

/// Joins rows with the catalog's models and GPUs; unknown ids are reported with a did-you-mean.
public func calibrationCases(_ rows: [CalibrationRow], catalog: Catalog) throws(CalibrationError) -> [CalibrationCase] {
    var diagnostics: [Diagnostic] = []
    var cases: [CalibrationCase] = []
    for row in rows {
        let model = catalog.model(row.model) ?? calibrationModelAliases[row.model].flatMap { catalog.model($0) }
        let gpu = catalog.gpu(row.gpu)
        if model == nil {
            let what = catalog.kind(of: row.model).map { "'\(row.model)' is \($0.withArticle), expected a model id" }
                ?? "unknown model '\(row.model)'\(Suggest.hint(row.model, catalog.ids(of: .models), orExpected: "a model id from the catalog (planner catalog list models)"))"
            diagnostics.append(Diagnostic(at: row.location(of: "model"), keyPath: "model", message: what))
        }
        if gpu == nil {
            let what = catalog.kind(of: row.gpu).map { "'\(row.gpu)' is \($0.withArticle), expected a GPU id" }
                ?? "unknown GPU '\(row.gpu)'\(Suggest.hint(row.gpu, catalog.ids(of: .gpus), orExpected: "a GPU id from the catalog (planner catalog list gpus)"))"
            diagnostics.append(Diagnostic(at: row.location(of: "gpu"), keyPath: "gpu", message: what))
        }
        if let gpu, !gpu.runs(weights: row.precision) {
            diagnostics.append(Diagnostic(
                at: row.location(of: "precision"), keyPath: "precision",
                message: "\(row.precision.rawValue) needs FP4 tensor cores, which \(gpu.id) does not have (Blackwell GPUs do)"))
            continue
        }
        if let model, let gpu { cases.append(CalibrationCase(row: row, model: model, gpu: gpu)) }
    }
    if !diagnostics.isEmpty { throw CalibrationError(diagnostics) }
    return cases
}

/// A row joined with the catalog entries it names.
public struct CalibrationCase: Sendable {
    public var row: CalibrationRow
    public var deployment: Deployment
    public var workload: ServingWorkload

    /// The KV cache is the row's `kv_precision`, else the engine's default for the weights
    /// (``Precision/defaultKVCache(on:)``, the rule `estimate` and specs use); the engine runs its
    /// defaults but for the settings the row states (`max_num_seqs`, `max_num_batched_tokens`,
    /// `enable_chunked_prefill`, `expert_parallel`, `attention_dp`).
    public init(row: CalibrationRow, model: ModelArchitecture, gpu: GPU) {
        self.row = row
        let kv = row.kvPrecision ?? row.precision.defaultKVCache(on: row.engine)
        let settings = EngineSettings.defaults(for: row.engine)
            .overriding(
                maxBatch: row.maxNumSeqs, maxTokensPerStep: row.maxNumBatchedTokens,
                chunkedPrefill: row.enableChunkedPrefill, expertParallel: row.expertParallel,
                attentionDataParallel: row.attentionDataParallel)
        deployment = Deployment(
            model: model, gpu: gpu, gpuCount: row.gpus, tensorParallel: row.tensorParallel,
            weightPrecision: row.precision, kvPrecision: kv, engine: row.engine, engineSettings: settings)
        workload = ServingWorkload(
            promptTokens: row.promptTokens ?? unpublishedLengthTokens,
            outputTokens: row.outputTokens ?? unpublishedLengthTokens, load: row.load,
            percentile: row.latencyStatistic.percentile)
    }
}

/// Which figure a comparison is about.
public enum CalibrationMetric: String, Sendable, Hashable, CaseIterable, Codable {
    case outputTokensPerSecond = "output_tok_s"
    case tpotMs = "tpot_ms"
    case ttftMs = "ttft_ms"
}

/// One predicted-vs-measured figure.
public struct CalibrationComparison: Sendable, Hashable {
    public var rowID: String
    public var metric: CalibrationMetric
    public var predicted: Double
    public var measured: Double
    /// predicted / measured − 1.
    public var relativeError: Double { measured > 0 ? predicted / measured - 1 : 0 }
}

/// The model's figures for a row's measured metrics. A finite rate benchmark of R requests reports
/// R · osl / (R / rate + TTFT + (osl − 1) · TPOT): its run includes the drain of the last request.
public func compareToMeasurement(_ c: CalibrationCase, calibration: CalibrationTable) -> [CalibrationComparison] {
    // A row without published lengths cannot be reproduced: it is kept in the file, never scored.
    guard c.row.promptTokens != nil, c.row.outputTokens != nil else { return [] }
    var est = estimateServing(c.deployment, c.workload, calibration: calibration)
    if let waves = fixedLengthClosedLoop(c, calibration: calibration) {
        est.ttftMs = waves.ttftMs
        est.tpotMs = waves.tpotMs
        est.outputTokensPerSecond = waves.outputTokensPerSecond
    }
    var out: [CalibrationComparison] = []
    if let m = c.row.outputTokensPerSecond {
        var predicted = est.outputTokensPerSecond
        if case .requestsPerSecond(let rate) = c.row.load, let r = c.row.benchmarkRequests, r > 0, est.stable {
            let osl = Double(c.workload.outputTokens)
            let drain = (est.ttftMs + (osl - 1) * est.tpotMs) / 1000
            predicted = Double(r) * osl / (Double(r) / rate + drain)
        }
        out.append(CalibrationComparison(rowID: c.row.id, metric: .outputTokensPerSecond, predicted: predicted, measured: m))
    }
    if let m = c.row.tpotMs {
        out.append(CalibrationComparison(rowID: c.row.id, metric: .tpotMs, predicted: est.tpotMs, measured: m))
    }
    if let m = c.row.ttftMs {
        out.append(CalibrationComparison(rowID: c.row.id, metric: .ttftMs, predicted: est.ttftMs, measured: m))
    }
    return out
}

/// Median and worst absolute relative error per metric.
public struct CalibrationSummary: Sendable, Hashable {
    public var medianAbsoluteError: [CalibrationMetric: Double]
    public var worst: CalibrationComparison?
    /// Mean |log(predicted / measured)| over all figures: the fitting objective.
    public var meanAbsoluteLogError: Double

    public init(_ comparisons: [CalibrationComparison]) {
        var med: [CalibrationMetric: Double] = [:]
        for metric in CalibrationMetric.allCases {
            med[metric] = comparisons.filter { $0.metric == metric }.map { abs($0.relativeError) }.median
        }
        medianAbsoluteError = med
        worst = comparisons.max { abs($0.relativeError) < abs($1.relativeError) }
        let logs = comparisons.map { abs(log(max(1e-9, $0.predicted) / max(1e-9, $0.measured))) }
        meanAbsoluteLogError = logs.isEmpty ? 0 : logs.reduce(0, +) / Double(logs.count)
    }
}

/// All comparisons for a set of cases.
public func compareAll(_ cases: [CalibrationCase], calibration: CalibrationTable) -> [CalibrationComparison] {
    cases.flatMap { compareToMeasurement($0, calibration: calibration) }
}

/// Which constants `fitCalibration` may move.
public enum CalibrationScope: String, CaseIterable, Sendable {
    /// Engine constants and GPU-family factors.
    case all
    /// Only the per-engine constants; every family factor stays as in `start`.
    case engines
    /// Only the GPU-family factors; every engine constant stays as in `start`. For measurements of one
    /// family's GPUs whose engine is shared with every other family: the engine's constants then stay
    /// what the other families' rows fixed, and the family's factors absorb what differs.
    case families
}

/// Fits the efficiency constants of the engines and GPU families present in `cases` by coordinate
/// descent on a grid, minimising the mean absolute log error. Fitted (as `scope` allows): per engine
/// bandwidth, attention and compute efficiency, step overhead, per-sequence step cost, request overhead;
/// per GPU family other than the most-measured one, a bandwidth and a compute factor (each round
/// searches the pair jointly on a 0.1 grid over [0.3, 1.2] first, then each factor alone on a 0.01
/// grid). Everything else stays as in `start`.
///
/// An optional ridge penalty (off by default), `shrinkage` × Σ ((value − start) / (grid span / 4))², pulls constants the
/// measurements barely identify back toward `start`, so a handful of rows cannot drag them far.
/// Cost: rounds × Σ grid sizes × the rows each constant moves (its engine's or its GPU family's), plus two
/// estimates of every row per constant to find them.
public func fitCalibration(
    _ cases: [CalibrationCase], start: CalibrationTable = .prior, rounds: Int = 4, shrinkage: Double = 0,
    scope: CalibrationScope = .all
) -> CalibrationTable {
    var table = start
    let engines = Array(Set(cases.map(\.row.engine))).sorted { $0.rawValue < $1.rawValue }
    for e in engines where table.engines[e] == nil { table.engines[e] = table.calibration(for: e) }
    var familyCounts: [GPUFamily: Int] = [:]
    for c in cases { familyCounts[c.deployment.gpu.family, default: 0] += 1 }
    let reference = familyCounts.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key
    let families = familyCounts.keys.filter { $0 != reference }.sorted { $0.rawValue < $1.rawValue }
    for f in families where table.families[f] == nil { table.families[f] = FamilyFactors() }

    typealias Knob = (get: (CalibrationTable) -> Double, set: (inout CalibrationTable, Double) -> Void,
                      grid: [Double])
    func steps(_ lo: Double, _ hi: Double, _ by: Double) -> [Double] {
        Array(stride(from: lo, through: hi + by / 2, by: by))
    }
    var knobs: [Knob] = []
    for e in engines where scope != .families {
        let casesOfEngine = cases.filter { $0.row.engine == e }
        let hasTTFT = casesOfEngine.contains { $0.row.ttftMs != nil }
        knobs.append(({ $0.engines[e]!.bandwidthEfficiency }, { $0.engines[e]!.bandwidthEfficiency = $1 },
                      steps(0.4, 1.0, 0.01)))
        knobs.append(({ $0.engines[e]!.attentionEfficiency }, { $0.engines[e]!.attentionEfficiency = $1 },
                      steps(0.2, 1.0, 0.01)))
        knobs.append(({ $0.engines[e]!.computeEfficiency }, { $0.engines[e]!.computeEfficiency = $1 },
                      steps(0.2, 0.9, 0.01)))
        knobs.append(({ $0.engines[e]!.stepOverheadMs }, { $0.engines[e]!.stepOverheadMs = $1 },
                      steps(0, 8, 0.1)))
        knobs.append(({ $0.engines[e]!.perSequenceStepUs }, { $0.engines[e]!.perSequenceStepUs = $1 },
                      steps(0, 40, 1)))
        if hasTTFT {
            knobs.append(({ $0.engines[e]!.requestOverheadMs }, { $0.engines[e]!.requestOverheadMs = $1 },
                          steps(0, 40, 0.5)))
        }
    }
    // Above 1 a factor only acts across families (StepModel: a card on its own family's curves runs at
    // most at its datasheet).
    let fittedFamilies = scope != .engines ? families : []
    var knobFamilies: [GPUFamily?] = knobs.map { _ in nil }
    for f in fittedFamilies {
        knobs.append(({ $0.families[f]!.bandwidth }, { $0.families[f]!.bandwidth = $1 }, steps(0.3, 1.2, 0.01)))
        knobs.append(({ $0.families[f]!.compute }, { $0.families[f]!.compute = $1 }, steps(0.3, 1.2, 0.01)))
        knobFamilies += [f, f]
    }
    let origin = knobs.map { $0.get(table) }
    let spans = knobs.map { max(1e-9, (($0.grid.last ?? 1) - ($0.grid.first ?? 0)) / 4) }
    // Each case's |log(predicted / measured)| per figure under `table`; a knob moves only the cases that
    // read it (its engine's or its family's), found by setting it to both ends of its grid, so a trial
    // re-predicts those alone (a fixed-length closed loop is a simulation: re-predicting every row for
    // every trial made a fit over the NIM sweeps take minutes). The loss sums the figures in case order
    // either way, so it is the same number as re-predicting everything.
    func logErrors(_ c: CalibrationCase, _ t: CalibrationTable) -> [Double] {
        compareToMeasurement(c, calibration: t).map { abs(log(max(1e-9, $0.predicted) / max(1e-9, $0.measured))) }
    }
    var current = cases.map { logErrors($0, table) }
    let figures = current.reduce(0) { $0 + $1.count }
    let readers: [[Int]] = knobs.map { k in
        var low = table, high = table
        k.set(&low, k.grid.first ?? 0)
        k.set(&high, k.grid.last ?? 1)
        return cases.indices.filter { logErrors(cases[$0], low) != current[$0] || logErrors(cases[$0], high) != current[$0] }
    }
    func loss(_ t: CalibrationTable, moving indices: [Int]) -> (value: Double, moved: [(Int, [Double])]) {
        var penalty = 0.0
        for (i, k) in knobs.enumerated() {
            let z = (k.get(t) - origin[i]) / spans[i]
            penalty += z * z
        }
        let moved = indices.map { ($0, logErrors(cases[$0], t)) }
        var errors = current
        for (i, e) in moved { errors[i] = e }
        let total = errors.reduce(0) { sum, e in e.reduce(sum, +) }
        return ((figures > 0 ? total / Double(figures) : 0) + shrinkage * penalty, moved)
    }
    var best = loss(table, moving: []).value
    for _ in 0..<max(1, rounds) {
        var improved = false
        // A family's two factors first move together on a coarse grid: rows that load both
        // bandwidth and compute (a large-batch burst) hold either one alone where it is, so one
        // knob at a time would stop short of a pair that fits them and batch-1 decode at once.
        for f in fittedFamilies {
            var bestPair = table.families[f]!
            var bestMoved: [(Int, [Double])] = []
            let pairReaders = Array(Set(knobs.indices.filter { knobFamilies[$0] == f }.flatMap { readers[$0] })).sorted()
            for bandwidth in steps(0.3, 1.2, 0.1) {
                for compute in steps(0.3, 1.2, 0.1) {
                    var t = table
                    t.families[f] = FamilyFactors(bandwidth: bandwidth, compute: compute)
                    let l = loss(t, moving: pairReaders)
                    if l.value < best - 1e-12 { best = l.value; bestPair = t.families[f]!; bestMoved = l.moved; improved = true }
                }
            }
            table.families[f] = bestPair
            for (i, e) in bestMoved { current[i] = e }
        }
        for (n, k) in knobs.enumerated() {
            var bestValue = k.get(table)
            var bestMoved: [(Int, [Double])] = []
            for v in k.grid {
                var t = table
                k.set(&t, v)
                let l = loss(t, moving: readers[n])
                if l.value < best - 1e-12 { best = l.value; bestValue = v; bestMoved = l.moved; improved = true }
            }
            k.set(&table, bestValue)
            for (i, e) in bestMoved { current[i] = e }
        }
        if !improved { break }
    }
    return table
}
