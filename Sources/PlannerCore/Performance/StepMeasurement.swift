import Foundation

/// One engine step timed on a GPU: catalogs/step-measurements.csv, written by
/// scripts/measure-step-times.py. `decodeSequences` sequences decode one token each at context
/// `contextTokens`, and `prefillTokens` tokens of one prompt run beside them (causal over themselves,
/// so at mean attention context p/2). A row without attention times the same step with attention and
/// KV-cache writes left out (GEMMs, norms, sampling): the difference isolates the attention kernels.
///
/// These are forward passes timed alone (docs/performance-model.md, "Measured on an H200"), so they
/// check the GPU side of ``StepModel`` and are never fitted: the calibration fit's host-side terms
/// (step overhead, per-sequence work) are not in them.
public struct StepMeasurement: Sendable, Hashable {
    public var id: String
    public var model: String
    public var weightPrecision: Precision
    public var kvPrecision: Precision
    public var gpu: String
    /// What ran, as the file names it (`pytorch-2.11.0 cuda-graphs`).
    public var engineVersion: String
    public var decodeSequences: Int
    public var contextTokens: Int
    public var prefillTokens: Int
    public var withAttention: Bool
    /// Median step time over the replays.
    public var stepMs: Double
    public var source: String
    /// The row's line (column 1), and the column where each field starts (by header name).
    public var location: SourceLocation
    public var fieldColumns: [String: Int]

    public init(
        id: String, model: String, weightPrecision: Precision, kvPrecision: Precision, gpu: String,
        engineVersion: String, decodeSequences: Int, contextTokens: Int, prefillTokens: Int, withAttention: Bool,
        stepMs: Double, source: String, location: SourceLocation, fieldColumns: [String: Int] = [:]
    ) {
        self.id = id
        self.model = model
        self.weightPrecision = weightPrecision
        self.kvPrecision = kvPrecision
        self.gpu = gpu
        self.engineVersion = engineVersion
        self.decodeSequences = decodeSequences
        self.contextTokens = contextTokens
        self.prefillTokens = prefillTokens
        self.withAttention = withAttention
        self.stepMs = stepMs
        self.source = source
        self.location = location
        self.fieldColumns = fieldColumns
    }

    /// Where `field` starts on the row's line (the row's start when the file had no such column).
    public func location(of field: String) -> SourceLocation {
        SourceLocation(file: location.file, line: location.line, column: fieldColumns[field] ?? location.column)
    }

    /// The columns a step-measurements file must have (`step_ms_p10`, `step_ms_p90`, `repeats`,
    /// `source` and `notes` are optional).
    public static let requiredColumns = [
        "id", "model", "precision", "kv_precision", "gpu", "engine", "decode_sequences", "context",
        "prefill_tokens", "attention", "step_ms",
    ]

    /// Parses catalogs/step-measurements.csv's format (header first; blank and `#` lines skipped).
    /// Reports every problem with its line, column and field.
    public static func parse(_ text: String, file: String = "step-measurements.csv") throws(CalibrationError)
        -> [StepMeasurement]
    {
        var diagnostics: [Diagnostic] = []
        var rows: [StepMeasurement] = []
        var cols: [String: Int]?
        var rowIDs = CSVRowIDs()
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        for (offset, raw) in lines.enumerated() {
            let lineNumber = offset + 1
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            func report(_ column: Int, _ key: String, _ message: String) {
                diagnostics.append(Diagnostic(file: file, line: lineNumber, column: column, keyPath: key, message: message))
            }
            guard let fields = splitCSVLine(raw) else {
                report(1, "", "unterminated quoted field, expected a closing '\"'")
                continue
            }
            guard let columns = cols else {
                var header: [String: Int] = [:]
                for (i, f) in fields.enumerated() where header[f.text.lowercased()] == nil { header[f.text.lowercased()] = i }
                let missing = requiredColumns.filter { header[$0] == nil }
                if !missing.isEmpty {
                    report(1, "", "header lacks \(missing.joined(separator: ", ")), expected \(requiredColumns.joined(separator: ","))[,step_ms_p10,step_ms_p90,repeats,source,notes]")
                    break
                }
                cols = header
                continue
            }
            let before = diagnostics.count
            func field(_ name: String) -> String { columns[name].flatMap { $0 < fields.count ? fields[$0].text : nil } ?? "" }
            func column(_ name: String) -> Int { columns[name].flatMap { $0 < fields.count ? fields[$0].column : nil } ?? 1 }
            func bad(_ name: String, _ message: String) { report(column(name), name, message) }
            func count(_ name: String) -> Int? {
                guard let v = Int(field(name)), (0...10_000_000).contains(v) else {
                    bad(name, "must be a whole number from 0 to 10000000 (got '\(field(name))')")
                    return nil
                }
                return v
            }
            func precision(_ name: String) -> Precision? {
                guard let p = Precision(rawValue: field(name).lowercased()), p.isKVCacheFormat else {
                    bad(name, "unknown precision '\(field(name))', expected fp16, bf16, fp8 or int8")
                    return nil
                }
                return p
            }
            let id = field("id")
            if let problem = rowIDs.problem(with: id, line: lineNumber, example: "s001") { bad("id", problem) }
            for name in ["model", "gpu", "engine"] where field(name).isEmpty { bad(name, "missing value") }
            let weights = precision("precision"), kv = precision("kv_precision")
            let b = count("decode_sequences"), c = count("context"), p = count("prefill_tokens")
            var attention: Bool?
            switch field("attention").lowercased() {
            case "yes": attention = true
            case "no": attention = false
            default: bad("attention", "expected yes or no (got '\(field("attention"))')")
            }
            let ms = Double(field("step_ms"))
            if ms == nil || !(ms! > 0 && ms!.isFinite) { bad("step_ms", "must be a positive number of milliseconds (got '\(field("step_ms"))')") }
            if let b, let p, b + p == 0 { bad("decode_sequences", "a step with no decode sequences and no prefill tokens, expected at least one token") }
            if let b, let c, b > 0, attention == true, c < 1 { bad("context", "decode with attention at context 0, expected at least 1 token") }
            guard diagnostics.count == before, let weights, let kv, let b, let c, let p, let attention, let ms else { continue }
            rows.append(StepMeasurement(
                id: id, model: field("model"), weightPrecision: weights, kvPrecision: kv, gpu: field("gpu"),
                engineVersion: field("engine"), decodeSequences: b, contextTokens: c, prefillTokens: p,
                withAttention: attention, stepMs: ms, source: field("source"),
                location: SourceLocation(file: file, line: lineNumber, column: 1),
                fieldColumns: columns.compactMapValues { $0 < fields.count ? fields[$0].column : nil }))
        }
        if cols == nil && diagnostics.isEmpty {
            diagnostics.append(Diagnostic(file: file, line: 1, column: 1, keyPath: "", message: "file has no header line, expected \(requiredColumns.joined(separator: ","))"))
        }
        if !diagnostics.isEmpty { throw CalibrationError(diagnostics) }
        return rows
    }
}

/// The step model's GPU time for one measured step, and its error.
public struct StepComparison: Sendable {
    public var measurement: StepMeasurement
    public var predictedMs: Double
    /// predicted / measured − 1.
    public var error: Double { predictedMs / measurement.stepMs - 1 }

    /// The groups a comparison is reported in: what differs between a forward pass timed alone and an
    /// engine's step differs by group (docs/performance-model.md, "Measured on an H200").
    public enum Kind: String, Sendable, CaseIterable {
        /// Decode steps of 8 sequences or more, with attention: where engines' kernels fill the GPU.
        case decode = "decode, 8 or more sequences"
        /// Decode steps of 1–7 sequences, with attention: split-KV kernels decide these.
        case smallBatchDecode = "decode, 1-7 sequences"
        /// Steps carrying prompt tokens, with attention.
        case prompt = "prompt and mixed steps"
        /// Any step timed without attention.
        case withoutAttention = "without attention"
    }

    public var kind: Kind {
        let m = measurement
        if !m.withAttention { return .withoutAttention }
        if m.prefillTokens > 0 { return .prompt }
        return m.decodeSequences >= 8 ? .decode : .smallBatchDecode
    }

    /// Per kind (in ``Kind`` order, kinds without rows left out): rows, median |error| and the worst row.
    public static func summary(_ comparisons: [StepComparison]) -> [(kind: Kind, rows: Int, medianAbsoluteError: Double, worst: StepComparison)] {
        Kind.allCases.compactMap { kind in
            let group = comparisons.filter { $0.kind == kind }
            guard let worst = group.max(by: { abs($0.error) < abs($1.error) }),
                  let median = group.map({ abs($0.error) }).median else { return nil }
            return (kind, group.count, median, worst)
        }
    }
}

extension StepModel {
    /// Seconds the GPU spends in one step: ``stepSeconds(decodeSequences:context:prefillTokens:prefillContext:)``
    /// less the engine's host-side terms, t_step + b · t_seq, which a forward pass timed alone leaves out.
    /// A prompt chunk of p tokens from the start attends at mean context p/2.
    public func gpuSeconds(of m: StepMeasurement) -> Double {
        let b = Double(m.decodeSequences), p = Double(m.prefillTokens)
        let t = stepSeconds(
            decodeSequences: b, context: m.withAttention ? Double(m.contextTokens) : 0,
            prefillTokens: p, prefillContext: m.withAttention ? p / 2 : 0)
        return t - stepOverheadSeconds - perSequenceSeconds * b
    }
}

/// Each measured step against the step model of the same model, GPU and precisions on one GPU, with
/// `engine`'s kernel curves (vLLM's: its 16-bit GEMMs are the cuBLAS calls PyTorch makes). The steps were
/// timed in plain PyTorch, whose mixture-of-experts layers run each touched expert as its own GEMMs, so
/// the experts are timed by the GEMM curves here, not by the engine's fused MoE kernel. Unknown model or
/// GPU ids are reported with the row's line.
public func compareStepModel(_ rows: [StepMeasurement], catalog: Catalog, engine: EngineProfile) throws(CalibrationError)
    -> [StepComparison]
{
    var diagnostics: [Diagnostic] = []
    var out: [StepComparison] = []
    var models: [Deployment: StepModel] = [:]
    for m in rows {
        guard let model = catalog.model(m.model) else {
            diagnostics.append(Diagnostic(at: m.location(of: "model"), keyPath: "model", message: "unknown model '\(m.model)'\(Suggest.hint(m.model, catalog.ids(of: .models), orExpected: "a model id from the catalog"))"))
            continue
        }
        guard let gpu = catalog.gpu(m.gpu) else {
            diagnostics.append(Diagnostic(at: m.location(of: "gpu"), keyPath: "gpu", message: "unknown GPU '\(m.gpu)'\(Suggest.hint(m.gpu, catalog.ids(of: .gpus), orExpected: "a GPU id from the catalog"))"))
            continue
        }
        let d = Deployment(model: model, gpu: gpu, gpuCount: 1, tensorParallel: 1, weightPrecision: m.weightPrecision,
                           kvPrecision: m.kvPrecision, engine: engine)
        var s = models[d] ?? StepModel(d, calibration: catalog.calibration)
        s.kernels?.moe = []
        models[d] = s
        out.append(StepComparison(measurement: m, predictedMs: s.gpuSeconds(of: m) * 1e3))
    }
    if !diagnostics.isEmpty { throw CalibrationError(diagnostics) }
    return out
}
