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
    public var ttftMs: Double?
    public var tpotMs: Double?
    public var outputTokensPerSecond: Double?
    /// Requests in the benchmark run (optional column `num_requests`): a finite run's throughput
    /// includes the drain of the last requests.
    public var benchmarkRequests: Int?
    public var source: String
}

/// Lengths assumed where a row publishes none ("short chat prompts"): 128 in, 128 out.
public let unpublishedLengthTokens = 128

/// Errors reading a measurements file.
public enum CalibrationError: Error, Equatable, LocalizedError {
    case missingColumn(String)
    case badValue(row: Int, column: String, value: String)

    public var errorDescription: String? {
        switch self {
        case .missingColumn(let c): "calibration CSV has no column '\(c)'; the header must match calibration.csv"
        case .badValue(let r, let c, let v): "calibration CSV line \(r): column \(c) has an unusable value '\(v)'"
        }
    }
}

/// Maps a published engine string (`trtllm-1.0`, `vllm-0.8.5`, `sglang-0.4`) to a profile.
public func engineProfile(forVersion s: String) -> EngineProfile? {
    let l = s.lowercased()
    if l.hasPrefix("trt") { return .trtllm }
    if l.hasPrefix("vllm") { return .vllm }
    if l.hasPrefix("sglang") { return .sglang }
    return nil
}

/// Parses measurements in calibration.csv's format (plain CSV, no quoted commas; `#` lines skipped).
public func parseCalibrationCSV(_ text: String) throws -> [CalibrationRow] {
    var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
    guard !lines.isEmpty else { return [] }
    let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
    func index(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else { throw CalibrationError.missingColumn(name) }
        return i
    }
    let cols = try [
        "id", "model", "precision", "gpu", "gpus", "tp", "engine", "isl", "osl", "load_kind", "load_value",
        "ttft_ms", "tpot_ms", "output_tok_s",
    ].map(index)
    let sourceCol = header.firstIndex(of: "source")
    let requestsCol = header.firstIndex(of: "num_requests")
    var rows: [CalibrationRow] = []
    for (n, line) in lines.enumerated() {
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        func field(_ i: Int) -> String { i < f.count ? f[i] : "" }
        func number(_ i: Int) throws -> Double? {
            let v = field(i)
            if v.isEmpty { return nil }
            guard let x = Double(v), x.isFinite, x >= 0 else {
                throw CalibrationError.badValue(row: n + 2, column: header[i], value: v)
            }
            return x
        }
        func int(_ i: Int) throws -> Int? { try number(i).map { Int($0) } }
        let precisionText = field(cols[2])
        guard let precision = Precision(rawValue: precisionText == "int4" ? "int4-gptq" : precisionText) else {
            throw CalibrationError.badValue(row: n + 2, column: "precision", value: precisionText)
        }
        guard let engine = engineProfile(forVersion: field(cols[6])) else {
            throw CalibrationError.badValue(row: n + 2, column: "engine", value: field(cols[6]))
        }
        let load: ServingWorkload.Load
        switch field(cols[9]) {
        case "max": load = .maximum
        case "rate":
            guard let r = try number(cols[10]), r > 0 else {
                throw CalibrationError.badValue(row: n + 2, column: "load_value", value: field(cols[10]))
            }
            load = .requestsPerSecond(r)
        case "concurrency":
            guard let c = try int(cols[10]), c > 0 else {
                throw CalibrationError.badValue(row: n + 2, column: "load_value", value: field(cols[10]))
            }
            load = .concurrency(c)
        default: throw CalibrationError.badValue(row: n + 2, column: "load_kind", value: field(cols[9]))
        }
        let gpus = try int(cols[4]) ?? 1
        let tp = try int(cols[5]) ?? 1
        guard gpus >= 1, tp >= 1 else {
            throw CalibrationError.badValue(row: n + 2, column: "gpus", value: field(cols[4]))
        }
        rows.append(
            CalibrationRow(
                id: field(cols[0]), model: field(cols[1]), precision: precision, gpu: field(cols[3]), gpus: gpus,
                tensorParallel: tp, engineVersion: field(cols[6]), engine: engine, promptTokens: try int(cols[7]),
                outputTokens: try int(cols[8]), load: load, ttftMs: try number(cols[11]),
                tpotMs: try number(cols[12]), outputTokensPerSecond: try number(cols[13]),
                benchmarkRequests: try requestsCol.flatMap { try int($0) },
                source: sourceCol.map(field) ?? ""))
    }
    return rows
}

/// A row joined with the catalog entries it names.
public struct CalibrationCase: Sendable {
    public var row: CalibrationRow
    public var deployment: Deployment
    public var workload: ServingWorkload

    /// FP8 checkpoints (NVIDIA ModelOpt) quantise the KV cache to FP8 as well; other precisions keep
    /// a 16-bit KV cache.
    public init(row: CalibrationRow, model: ModelArchitecture, gpu: GPU) {
        self.row = row
        let kv: Precision = row.precision == .fp8 ? .fp8 : .fp16
        deployment = Deployment(
            model: model, gpu: gpu, gpuCount: row.gpus, tensorParallel: row.tensorParallel,
            weightPrecision: row.precision, kvPrecision: kv, engine: row.engine)
        workload = ServingWorkload(
            promptTokens: row.promptTokens ?? unpublishedLengthTokens,
            outputTokens: row.outputTokens ?? unpublishedLengthTokens, load: row.load)
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
    let est = estimateServing(c.deployment, c.workload, calibration: calibration)
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
            let errs = comparisons.filter { $0.metric == metric }.map { abs($0.relativeError) }.sorted()
            if errs.isEmpty { continue }
            med[metric] = errs.count % 2 == 1
                ? errs[errs.count / 2] : (errs[errs.count / 2 - 1] + errs[errs.count / 2]) / 2
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

/// Fits the efficiency constants of the engines and GPU families present in `cases` by coordinate
/// descent on a grid, minimising the mean absolute log error. Fitted: per engine bandwidth and
/// compute efficiency, step overhead, per-sequence step cost, request overhead; per GPU family other
/// than the most-measured one, a bandwidth and a compute factor. Everything else stays as in `start`.
///
/// An optional ridge penalty (off by default), `shrinkage` × Σ ((value − start) / (grid span / 4))², pulls constants the
/// measurements barely identify back toward `start`, so a handful of rows cannot drag them far.
/// Cost: rounds × Σ grid sizes × rows estimates (≈ 0.1 s for calibration.csv in a debug build).
public func fitCalibration(
    _ cases: [CalibrationCase], start: CalibrationTable = .prior, rounds: Int = 4, shrinkage: Double = 0
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
    for e in engines {
        let casesOfEngine = cases.filter { $0.row.engine == e }
        let hasTTFT = casesOfEngine.contains { $0.row.ttftMs != nil }
        knobs.append(({ $0.engines[e]!.bandwidthEfficiency }, { $0.engines[e]!.bandwidthEfficiency = $1 },
                      steps(0.4, 1.0, 0.01)))
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
    for f in families {
        knobs.append(({ $0.families[f]!.bandwidth }, { $0.families[f]!.bandwidth = $1 }, steps(0.6, 1.4, 0.01)))
        knobs.append(({ $0.families[f]!.compute }, { $0.families[f]!.compute = $1 }, steps(0.6, 1.4, 0.01)))
    }
    let origin = knobs.map { $0.get(table) }
    let spans = knobs.map { max(1e-9, (($0.grid.last ?? 1) - ($0.grid.first ?? 0)) / 4) }
    func loss(_ t: CalibrationTable) -> Double {
        var penalty = 0.0
        for (i, k) in knobs.enumerated() {
            let z = (k.get(t) - origin[i]) / spans[i]
            penalty += z * z
        }
        return CalibrationSummary(compareAll(cases, calibration: t)).meanAbsoluteLogError + shrinkage * penalty
    }
    var best = loss(table)
    for _ in 0..<max(1, rounds) {
        var improved = false
        for k in knobs {
            var bestValue = k.get(table)
            for v in k.grid {
                var t = table
                k.set(&t, v)
                let l = loss(t)
                if l < best - 1e-12 { best = l; bestValue = v; improved = true }
            }
            k.set(&table, bestValue)
        }
        if !improved { break }
    }
    return table
}
