import Foundation

/// Measured kernel efficiencies per GPU and engine: catalogs/kernel-efficiency.csv, derived by
/// scripts/derive-kernel-tables.py (`make kernel-tables`) from NVIDIA AIConfigurator's kernel database
/// (PyPI `aiconfigurator-core`, Apache-2.0). docs/kernel-tables.md defines every curve.
///
/// GEMM, attention and MoE curves are ratios, measured time / datasheet roofline time with the catalog's
/// figures, so a caller multiplies its own roofline by them; all-reduce is measured seconds.
/// Every lookup interpolates ln(value) linearly in ln(x) and ln(y) between the stored points (exact
/// for power laws such as a fixed launch floor, time ∝ 1/batch), and clamps at the edges of the
/// measured grid. Grids are ragged (large batch × context was not measured): each stored row (one y)
/// is interpolated along x within its own range first, then the two rows around y are combined.
///
/// A lookup returns nil when the table has no curve for that GPU and engine (the caller falls back to
/// the family fit). Engine fallback: SGLang uses vLLM's curves for a kernel where the table has no SGLang
/// rows for that GPU; TensorRT-LLM and vLLM have no fallback.
public struct KernelTable: Sendable, Equatable {
    /// The kernel families in the file (`kernel` column).
    public enum Kernel: String, Sendable, Hashable, CaseIterable, Comparable {
        case gemm
        case decodeAttention = "decode_attention"
        case prefillAttention = "prefill_attention"
        case allReduce = "allreduce"
        /// One layer's routed experts of a mixture of experts (routing, permutation, grouped GEMMs), every
        /// expert sharded across the `tp` column's GPUs (tensor parallelism inside the experts).
        case moe
        /// The same with the experts distributed whole (expert parallelism): E / `tp` experts on each of the
        /// `tp` column's GPUs, no sharding inside an expert.
        case moeExpertParallel = "moe_ep"

        /// Whether the curve has a second axis (`y`); gemm and allreduce are one-dimensional (`y` = 0).
        var hasSecondAxis: Bool { self == .decodeAttention || self == .prefillAttention }

        public static func < (a: Kernel, b: Kernel) -> Bool { a.rawValue < b.rawValue }
    }

    /// One GPU, engine and kernel the table covers, with the engine version that was measured.
    public struct Coverage: Sendable, Hashable, Comparable, CustomStringConvertible {
        public var gpu: String
        public var engine: EngineProfile
        public var kernel: Kernel
        public var engineVersion: String

        public static func < (a: Coverage, b: Coverage) -> Bool {
            (a.gpu, a.engine.rawValue, a.kernel.rawValue) < (b.gpu, b.engine.rawValue, b.kernel.rawValue)
        }

        /// `h100-sxm-80gb trtllm 1.3.0rc20 gemm`.
        public var description: String { "\(gpu) \(engine.rawValue) \(engineVersion) \(kernel.rawValue)" }
    }

    /// The package the file was derived from, from its `# source:` comment line
    /// (`aiconfigurator-core 0.12.0 (Apache-2.0)`); nil when the file has none.
    public var source: String?
    /// Every (GPU, engine, kernel) with rows, sorted.
    public private(set) var coverage: [Coverage]
    /// The datasheets the measured GPUs' ratios are relative to, by GPU id (filled by `CatalogLoader`
    /// from the catalog the table ships with): a GPU that borrows another's curves needs them to turn
    /// a ratio back into the time the reference GPU lost to it.
    public var measuredGPUs: [String: GPU] = [:]

    private var surfaces: [SurfaceKey: KernelCurve]
    private var families: [FamilyKey: [SurfaceKey]]
    private var versions: [CoverageKey: String]
    /// (GPU, engine) decode-attention tables with a point faster than the HBM roofline at a working set
    /// no cache holds (``hbmOnlyWorkingSetBytes``): not a measurement of HBM reads, so the engine reads the
    /// same GPU's decode attention from another engine's table (``resolvedEngine(_:_:_:)``).
    private var beatsHBM: Set<CoverageKey>

    /// One layer's KV cache above this many bytes (512 MiB, twice the largest last-level cache of a catalog
    /// GPU: the MI300X class's 256 MiB Infinity Cache, AMD's ROCm "GPU specifications"; the H100 die has
    /// 60 MB of L2, Chips and Cheese, "Nvidia's H100: Funny L2") cannot sit in a cache: a decode-attention
    /// kernel on it reads HBM, and a measured time below the bandwidth roofline there is not a measurement
    /// of it. Smaller working sets may stay in L2 in a microbenchmark that calls one layer's kernel
    /// repeatedly (the L40S tables' ratios of 0.3–0.9 at up to 67 MB); `KernelCurves` clamps those ratios
    /// at 1, since in a serving step each layer's KV cache comes from HBM (docs/kernel-tables.md).
    static let hbmOnlyWorkingSetBytes: Double = 512 * 1_048_576

    /// Time of a layer's GEMMs (qkv, o, gate_up, down) over the roofline
    /// max(2·m·n·k / FLOPS, (n·k·weight bytes + 2·m·(n + k)) / bandwidth), summed over the four shapes.
    ///
    /// - Parameters:
    ///   - precision: weight precision; fp16/bf16 use the 16-bit curve, fp8 the FP8 curve; others → nil.
    ///   - tokens: tokens in the step (m).
    ///   - hidden: model hidden size; picks the nearest stored class in log scale (4096: Llama-3.1-8B
    ///     shapes, 8192: Llama-3.1-70B shapes).
    ///   - tensorParallel: picks the stored shard (70B: TP 1, 2, 4, 8) nearest in log scale.
    public func gemmRatio(
        gpu: String, engine: EngineProfile, precision: Precision, tokens: Double, hidden: Int, tensorParallel: Int = 1
    ) -> Double? {
        gemmSurface(gpu: gpu, engine: engine, precision: precision, hidden: hidden, tensorParallel: tensorParallel)?.value(x: tokens, y: 0)
    }

    /// Decode-attention kernel time of `batch` sequences at `context` tokens each (one layer) over the
    /// roofline batch · context · 2 · kvHeads · 128 · KV bytes / bandwidth.
    ///
    /// - Parameters:
    ///   - kvHeads: KV heads per GPU; picks the stored layout (q32kv8, q32kv4, q16kv2, q8kv1) with the
    ///     nearest KV heads in log scale.
    ///   - kvPrecision: fp16/bf16 use the 16-bit KV curve, fp8 the FP8-KV curve; others → nil.
    public func decodeAttentionRatio(
        gpu: String, engine: EngineProfile, batch: Double, context: Double, kvHeads: Int, kvPrecision: Precision = .fp16
    ) -> Double? {
        decodeAttentionSurface(gpu: gpu, engine: engine, kvHeads: kvHeads, kvPrecision: kvPrecision)?.value(x: batch, y: context)
    }

    /// Prefill (context) attention time of `batch` prompts of `tokens` tokens each (one layer, 32 query /
    /// 8 KV heads, 16-bit) over the causal roofline batch · 2 · 2 · heads · 128 · tokens² / 2 / FLOPS16.
    public func prefillAttentionRatio(gpu: String, engine: EngineProfile, tokens: Double, batch: Double) -> Double? {
        prefillAttentionSurface(gpu: gpu, engine: engine)?.value(x: tokens, y: batch)
    }

    /// Time of one layer's routed experts (routing, permutation and the grouped gated-MLP GEMMs) for a step
    /// of `tokens` tokens over the roofline max(2·T·k·3·h·I/tp / FLOPS, E·(1 − (1 − k/E)^T)·3·h·I/tp·weight
    /// bytes / bandwidth), balanced routing, experts sharded by TP — or, with `expertParallel`, distributed
    /// whole over the `tensorParallel` GPUs (the same roofline: the GPUs share the same FLOPs and touched
    /// bytes either way); nil when the table has no curve for the shape
    /// (``moeShape(experts:active:hidden:intermediate:)``), precision, layout and degree.
    public func moeRatio(
        gpu: String, engine: EngineProfile, precision: Precision, shape: String, tensorParallel: Int = 1,
        expertParallel: Bool = false, tokens: Double
    ) -> Double? {
        moeSurface(gpu: gpu, engine: engine, precision: precision, shape: shape, tensorParallel: tensorParallel,
                   expertParallel: expertParallel)?.value(x: tokens, y: 0)
    }

    /// Seconds of one bf16 all-reduce of `bytes` bytes over `tensorParallel` GPUs of one node, with the
    /// engine's own all-reduce (TensorRT-LLM's, vLLM's and SGLang's custom all-reduce under CUDA graphs,
    /// which hand large messages to NCCL themselves). 0 for tensorParallel ≤ 1; nil when that TP size was
    /// not measured (only 2, 4 and 8 are).
    public func allReduceSeconds(gpu: String, engine: EngineProfile, bytes: Double, tensorParallel: Int) -> Double? {
        guard resolvedEngine(gpu, engine, .allReduce) != nil else { return nil }
        if tensorParallel <= 1 { return 0 }
        return allReduceSurface(gpu: gpu, engine: engine, tensorParallel: tensorParallel)?.value(x: bytes, y: 0)
    }

    /// One stored curve, picked once (GPU, engine after fallback, precision, nearest shape and TP) for
    /// many lookups: ``KernelCurves`` samples its grids from these.
    struct Surface: Sendable {
        fileprivate let curve: KernelCurve
        /// The stored value at (x, y), interpolated as the type's doc comment says.
        func value(x: Double, y: Double) -> Double { curve.value(x: x, y: y) }
    }

    /// The GEMM curve ``gemmRatio(gpu:engine:precision:tokens:hidden:tensorParallel:)`` reads.
    func gemmSurface(gpu: String, engine: EngineProfile, precision: Precision, hidden: Int, tensorParallel: Int) -> Surface? {
        guard let p = Self.tableName(of: precision),
              let key = pick(gpu, engine, .gemm, p, primary: hidden, secondary: nil, tensorParallel: tensorParallel)
        else { return nil }
        return surfaces[key].map(Surface.init)
    }

    /// The decode-attention curve ``decodeAttentionRatio(gpu:engine:batch:context:kvHeads:kvPrecision:)`` reads.
    func decodeAttentionSurface(gpu: String, engine: EngineProfile, kvHeads: Int, kvPrecision: Precision) -> Surface? {
        guard let p = Self.tableName(of: kvPrecision),
              let key = pick(gpu, engine, .decodeAttention, p, primary: kvHeads, secondary: nil, tensorParallel: 1)
        else { return nil }
        return surfaces[key].map(Surface.init)
    }

    /// The mixture-of-experts curve ``moeRatio(gpu:engine:precision:shape:tensorParallel:expertParallel:tokens:)``
    /// reads: exactly this shape and degree (a model of another shape has no curve and keeps the GEMM path).
    /// Expert parallelism over one GPU is the TP 1 curve (nothing is distributed).
    func moeSurface(
        gpu: String, engine: EngineProfile, precision: Precision, shape: String, tensorParallel: Int, expertParallel: Bool = false
    ) -> Surface? {
        let n = max(1, tensorParallel)
        let kernel: Kernel = expertParallel && n > 1 ? .moeExpertParallel : .moe
        guard let p = Self.tableName(of: precision), let e = resolvedEngine(gpu, engine, kernel) else { return nil }
        let key = SurfaceKey(gpu: gpu, engine: e, kernel: kernel, precision: p, shape: shape, tensorParallel: n)
        return surfaces[key].map(Surface.init)
    }

    /// The prefill-attention curve ``prefillAttentionRatio(gpu:engine:tokens:batch:)`` reads.
    func prefillAttentionSurface(gpu: String, engine: EngineProfile) -> Surface? {
        guard let key = pick(gpu, engine, .prefillAttention, "fp16", primary: nil, secondary: nil, tensorParallel: 1) else { return nil }
        return surfaces[key].map(Surface.init)
    }

    /// The all-reduce curve of exactly `tensorParallel` GPUs (nil when that size was not measured).
    func allReduceSurface(gpu: String, engine: EngineProfile, tensorParallel: Int) -> Surface? {
        guard let e = resolvedEngine(gpu, engine, .allReduce),
              let key = families[FamilyKey(gpu: gpu, engine: e, kernel: .allReduce, precision: "fp16")]?.first(where: { $0.tensorParallel == tensorParallel })
        else { return nil }
        return surfaces[key].map(Surface.init)
    }

    /// The engine version measured for a GPU, engine and kernel (after the SGLang → vLLM fallback and a
    /// decode-attention stand-in).
    public func engineVersion(gpu: String, engine: EngineProfile, kernel: Kernel) -> String? {
        resolvedEngine(gpu, engine, kernel).flatMap { versions[CoverageKey(gpu: gpu, engine: $0, kernel: kernel)] }
    }

    // MARK: Loading

    /// Reads and parses a kernel-efficiency CSV; errors name the file (as given by `url.path`), line and column.
    public static func load(from url: URL) throws(KernelTableError) -> KernelTable {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw KernelTableError([Diagnostic(file: url.path, line: 1, column: 1, keyPath: "",
                                               message: "cannot read the file as UTF-8 text, expected catalogs/kernel-efficiency.csv (make kernel-tables writes it)")])
        }
        return try KernelTable(csv: text, file: url.path)
    }

    /// A line without quotes split on commas byte by byte, with each field's 1-based column (the
    /// shipped file is all ASCII and unquoted; ``splitCSVLine`` handles the rest). Nil when quoted.
    static func plainFields(_ line: ArraySlice<UInt8>) -> [(text: String, column: Int)]? {
        if line.contains(UInt8(ascii: "\"")) { return nil }
        var fields: [(text: String, column: Int)] = []
        var start = line.startIndex
        for i in line.startIndex...line.endIndex where i == line.endIndex || line[i] == UInt8(ascii: ",") {
            var text = String(decoding: line[start..<i], as: UTF8.self)
            if text.utf8.first == UInt8(ascii: " ") || text.utf8.last == UInt8(ascii: " ") {
                text = text.trimmingCharacters(in: .whitespaces)
            }
            fields.append((text, start - line.startIndex + 1))
            start = i + 1
        }
        return fields
    }

    /// The index of a row's seventh comma, where its identity columns (gpu … tp, in the file's own
    /// order) end; nil when the row has fewer.
    static func identityEnd(_ line: ArraySlice<UInt8>) -> Int? {
        var commas = 0
        for i in line.indices where line[i] == UInt8(ascii: ",") {
            commas += 1
            if commas == 7 { return i }
        }
        return nil
    }

    /// The text's lines as byte ranges, split at LF, CRLF or a lone CR.
    static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0, i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                ranges.append(start..<i)
                if byte == UInt8(ascii: "\r"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                start = i + 1
            }
            i += 1
        }
        ranges.append(start..<bytes.count)
        return ranges
    }

    /// Parses the CSV text (header line first; blank and `#` lines skipped; double-quoted fields may hold
    /// commas). Reports every problem, each with its line and column.
    public init(csv text: String, file: String = "kernel-efficiency.csv") throws(KernelTableError) {
        var diagnostics: [Diagnostic] = []
        func report(_ line: Int, _ column: Int, _ key: String, _ message: String) {
            diagnostics.append(Diagnostic(file: file, line: line, column: column, keyPath: key, message: message))
        }
        var source: String?
        var cols: [String: Int] = [:]
        var haveHeader = false
        // Each curve's points, in the order curves first appear; `slot` finds a curve's place.
        var curves: [(key: SurfaceKey, points: [Point])] = []
        var slot: [SurfaceKey: Int] = [:]
        var versions: [CoverageKey: (version: String, line: Int)] = [:]
        var shapeNumbers: [SurfaceKey: (primary: Int?, secondary: Int?)] = [:]
        var at = ColumnIndices()
        // Rows come grouped by curve: the last valid row's identity columns (gpu … tp) and what they
        // parsed to, so a row repeating them skips their checks and dictionary lookups.
        var lastIdentity: [String] = []
        var lastSlot: Int?
        var lastIdentityBytes: [UInt8]?
        var canonical = false
        var lastIdentityFields: ArraySlice<(text: String, column: Int)> = []

        // Split on bytes: grapheme-cluster splitting of a 300 KB file costs more than the rest of the parse.
        let bytes = Array(text.utf8)
        for (offset, range) in Self.lineRanges(bytes).enumerated() {
            let lineNumber = offset + 1
            let line = bytes[range]
            let first = line.first
            let plain = !(first == UInt8(ascii: "#") || first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") || first == nil)
            let raw = plain ? "" : String(decoding: line, as: UTF8.self)
            let trimmed = plain ? "" : raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") {
                let body = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
                if body.hasPrefix("source:"), source == nil {
                    source = body.dropFirst("source:".count).trimmingCharacters(in: .whitespaces)
                }
                continue
            }
            if !plain && trimmed.isEmpty { continue }
            // Rows come grouped by curve: a row whose identity columns repeat the last valid row's byte for
            // byte (the file's own column order) reuses its fields and only reads x, y and value.
            var repeated: [(text: String, column: Int)]?
            if plain, canonical, lastSlot != nil, let identityBytes = lastIdentityBytes,
               let cut = Self.identityEnd(line), line[line.startIndex..<cut].elementsEqual(identityBytes),
               let tail = Self.plainFields(line[(cut + 1)...]), tail.count == 3 {
                let offset = cut + 1 - line.startIndex
                repeated = Array(lastIdentityFields) + tail.map { ($0.text, $0.column + offset) }
            }
            guard let fields = repeated ?? Self.plainFields(line) ?? splitCSVLine(Substring(String(decoding: line, as: UTF8.self))) else {
                report(lineNumber, 1, "", "unterminated quoted field, expected a closing '\"'")
                continue
            }
            if !haveHeader {
                haveHeader = true
                guard let header = Self.header(fields, line: lineNumber, report: report) else { throw KernelTableError(diagnostics) }
                cols = header
                at = ColumnIndices(cols)
                canonical = at.isCanonical
                continue
            }
            if fields.count != cols.count {
                let column = fields.count > cols.count ? fields[cols.count].column : (fields.last.map { $0.column + $0.text.count } ?? 1)
                report(lineNumber, column, "", "\(fields.count) fields, expected \(cols.count) (one per header column)")
                continue
            }
            let before = diagnostics.count
            func bad(_ index: Int, _ name: String, _ message: String) { report(lineNumber, fields[index].column, name, message) }
            func number(_ index: Int, _ name: String, positive: Bool) -> Double? {
                let t = fields[index].text
                guard let v = Double(t), v.isFinite else {
                    bad(index, name, "must be a number (got '\(t)')")
                    return nil
                }
                if positive ? v <= 0 : v < 0 {
                    bad(index, name, positive ? "must be a positive number (got \(t))" : "must not be negative (got \(t))")
                    return nil
                }
                return v
            }

            let identity = repeated != nil ? lastIdentity : at.identity.map { fields[$0].text }
            var curve: Int? = repeated != nil || identity == lastIdentity ? lastSlot : nil
            if curve == nil, let key = Self.identityKey(
                fields: fields, at: at, lineNumber: lineNumber, versions: &versions, shapeNumbers: &shapeNumbers, bad: bad
            ), diagnostics.count == before {
                curve = slot[key] ?? { curves.append((key, [])); slot[key] = curves.count - 1; return curves.count - 1 }()
            }
            lastIdentity = curve == nil ? [] : identity
            lastSlot = curve
            if repeated == nil {
                let cut = curve == nil ? nil : Self.identityEnd(line)
                lastIdentityBytes = cut.map { Array(line[line.startIndex..<$0]) }
                lastIdentityFields = cut == nil ? [] : fields.prefix(7)
            }
            let kernel = Kernel(rawValue: fields[at.kernel].text)
            let x = number(at.x, "x", positive: true)
            var y = number(at.y, "y", positive: kernel?.hasSecondAxis ?? false)
            if let k = kernel, !k.hasSecondAxis, let v = y, v != 0 {
                bad(at.y, "y", "must be 0 for \(k.rawValue) (a one-axis curve), got \(fields[at.y].text)")
                y = nil
            }
            let value = number(at.value, "value", positive: true)
            guard diagnostics.count == before, let curve, let x, let y, let value else { continue }
            curves[curve].points.append(Point(x: x, y: y, value: value, line: lineNumber, xColumn: fields[at.x].column))
        }
        for (_, points) in curves { Self.reportDuplicates(points, report: report) }
        if !haveHeader {
            report(1, 1, "", "file has no header line, expected: \(kernelTableColumns.joined(separator: ","))")
        }
        if !diagnostics.isEmpty { throw KernelTableError(diagnostics) }

        self.source = source
        self.surfaces = [:]
        self.families = [:]
        for (key, pts) in curves {
            let n = shapeNumbers[key] ?? (nil, nil)
            surfaces[key] = KernelCurve(points: pts.map { ($0.x, $0.y, $0.value) }, primary: n.primary, secondary: n.secondary)
            families[FamilyKey(gpu: key.gpu, engine: key.engine, kernel: key.kernel, precision: key.precision), default: []].append(key)
        }
        for k in families.keys { families[k]!.sort() }
        var beatsHBM: Set<CoverageKey> = []
        for (key, points) in curves where key.kernel == .decodeAttention {
            // The roofline's bytes: batch · context · 2 (K and V) · kvHeads · 128 · KV bytes.
            let bytesPerToken = 2 * Double(shapeNumbers[key]?.primary ?? 0) * 128 * (key.precision == "fp8" ? 1 : 2)
            if points.contains(where: { $0.value < 1 && $0.x * $0.y * bytesPerToken > Self.hbmOnlyWorkingSetBytes }) {
                beatsHBM.insert(CoverageKey(gpu: key.gpu, engine: key.engine, kernel: .decodeAttention))
            }
        }
        self.beatsHBM = beatsHBM
        self.versions = versions.mapValues(\.version)
        self.coverage = versions.map { Coverage(gpu: $0.key.gpu, engine: $0.key.engine, kernel: $0.key.kernel, engineVersion: $0.value.version) }
            .sorted()
    }

    /// The header line's column indices by lower-cased name, reporting a repeated column; nil (with
    /// the missing columns reported) when a column of ``kernelTableColumns`` is absent.
    private static func header(
        _ fields: [(text: String, column: Int)], line: Int, report: (Int, Int, String, String) -> Void
    ) -> [String: Int]? {
        var cols: [String: Int] = [:]
        for (i, f) in fields.enumerated() {
            let name = f.text.lowercased()
            if cols[name] != nil {
                report(line, f.column, name, "duplicate column, expected each column once")
            } else if !name.isEmpty {
                cols[name] = i
            }
        }
        let missing = kernelTableColumns.filter { cols[$0] == nil }
        if !missing.isEmpty {
            report(line, 1, "", "header lacks column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")), expected: \(kernelTableColumns.joined(separator: ","))")
            return nil
        }
        return cols
    }

    /// One row per point: reports each later row of a curve at the same x and y as an earlier one.
    private static func reportDuplicates(_ points: [Point], report: (Int, Int, String, String) -> Void) {
        var first: Point?
        for point in points.sorted(by: { ($0.x, $0.y, $0.line) < ($1.x, $1.y, $1.line) }) {
            if let first, first.x == point.x, first.y == point.y {
                report(point.line, point.xColumn, "x", "duplicate point (first on line \(first.line)), expected one row per gpu, engine, kernel, precision, shape, tp, x and y")
            } else {
                first = point
            }
        }
    }

    /// Checks a row's identity columns (gpu, engine, engine_version, kernel, precision, shape, tp) and
    /// returns its curve's key; records the engine version per GPU, engine and kernel, and the shape's
    /// numbers. Nil, with each problem passed to `bad`, when a column is wrong.
    private static func identityKey(
        fields: [(text: String, column: Int)], at: ColumnIndices, lineNumber: Int,
        versions: inout [CoverageKey: (version: String, line: Int)],
        shapeNumbers: inout [SurfaceKey: (primary: Int?, secondary: Int?)],
        bad: (Int, String, String) -> Void
    ) -> SurfaceKey? {
        var ok = true
        func fail(_ index: Int, _ name: String, _ message: String) { bad(index, name, message); ok = false }
        let gpu = fields[at.gpu].text
        if gpu.isEmpty { fail(at.gpu, "gpu", "missing value, expected a GPU id from catalogs/gpus.yaml") }
        let engine = EngineProfile(rawValue: fields[at.engine].text).flatMap { $0.backend == $0 ? $0 : nil }
        if engine == nil { fail(at.engine, "engine", "unknown engine '\(fields[at.engine].text)', expected vllm, trtllm or sglang") }
        let version = fields[at.version].text
        if version.isEmpty { fail(at.version, "engine_version", "missing value, expected the measured engine version (e.g. 1.3.0rc20)") }
        let kernel = Kernel(rawValue: fields[at.kernel].text)
        if kernel == nil {
            fail(at.kernel, "kernel", "unknown kernel '\(fields[at.kernel].text)', expected one of \(Kernel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let precision = fields[at.precision].text
        if precision == "fp4" {
            if kernel != nil && kernel != .gemm && kernel != .moe && kernel != .moeExpertParallel {
                fail(at.precision, "precision", "fp4 is a GEMM and MoE precision only, expected fp16 or fp8 for \(fields[at.kernel].text)")
            }
        } else if precision != "fp16" && precision != "fp8" {
            fail(at.precision, "precision", "unknown precision '\(precision)', expected fp16, fp8 or (GEMM and MoE only) fp4")
        }
        let shape = fields[at.shape].text
        var numbers: (primary: Int?, secondary: Int?) = (nil, nil)
        if let kernel {
            switch kernel {
            case .gemm:
                if let h = parseHidden(shape) { numbers = (h, nil) } else {
                    fail(at.shape, "shape", "'\(shape)' is not a GEMM shape class, expected hidden<size> (e.g. hidden4096)")
                }
            case .decodeAttention, .prefillAttention:
                if let (q, kv) = parseHeads(shape) { numbers = (kv, q) } else {
                    fail(at.shape, "shape", "'\(shape)' is not a head layout, expected q<query heads>kv<kv heads> (e.g. q32kv8)")
                }
            case .allReduce:
                if shape.isEmpty { fail(at.shape, "shape", "missing value, expected the all-reduce data type (bf16)") }
            case .moe, .moeExpertParallel:
                if Self.moeShape(parsing: shape) == nil {
                    fail(at.shape, "shape", "'\(shape)' is not a mixture-of-experts shape, expected e<experts>k<active experts>h<hidden>i<expert intermediate> (e.g. e8k2h4096i14336)")
                }
            }
        }
        let tpText = fields[at.tp].text
        let tp = Int(tpText)
        if tp == nil || !(1...1024).contains(tp!) { fail(at.tp, "tp", "must be a whole number from 1 to 1024 (got '\(tpText)')") }
        guard ok, let engine, let kernel, let tp else { return nil }
        let cov = CoverageKey(gpu: gpu, engine: engine, kernel: kernel)
        if let seen = versions[cov], seen.version != version {
            bad(at.version, "engine_version", "'\(version)' differs from '\(seen.version)' on line \(seen.line), expected one engine version per gpu, engine and kernel")
            return nil
        }
        versions[cov] = versions[cov] ?? (version, lineNumber)
        let key = SurfaceKey(gpu: gpu, engine: engine, kernel: kernel, precision: precision, shape: shape, tensorParallel: tp)
        shapeNumbers[key] = numbers
        return key
    }

    /// Where each column of ``kernelTableColumns`` sits in a row, from the header.
    private struct ColumnIndices {
        var gpu = 0, engine = 0, version = 0, kernel = 0, precision = 0, shape = 0, tp = 0, x = 0, y = 0, value = 0
        var count = 0
        init() {}
        init(_ columns: [String: Int]) {
            count = columns.count
            gpu = columns["gpu"]!; engine = columns["engine"]!; version = columns["engine_version"]!
            kernel = columns["kernel"]!; precision = columns["precision"]!; shape = columns["shape"]!
            tp = columns["tp"]!; x = columns["x"]!; y = columns["y"]!; value = columns["value"]!
        }
        /// The columns that name a curve: every column but x, y and value.
        var identity: [Int] { [gpu, engine, version, kernel, precision, shape, tp] }
        /// Whether the header is exactly ``kernelTableColumns`` in order (as the script writes it).
        var isCanonical: Bool { count == 10 && identity == Array(0..<7) && (x, y, value) == (7, 8, 9) }
    }

    /// One stored measurement and where it was read.
    private struct Point {
        var x: Double, y: Double, value: Double
        var line: Int, xColumn: Int
    }

    // MARK: Lookup helpers

    /// The engine whose rows answer for `requested`: its backend (TensorRT-LLM for NIM); vLLM for SGLang when
    /// SGLang has none; and, where the backend's decode-attention table beats the HBM roofline, the same GPU's
    /// vLLM, SGLang or TensorRT-LLM table, the first that does not.
    private func resolvedEngine(_ gpu: String, _ requested: EngineProfile, _ kernel: Kernel) -> EngineProfile? {
        let engine = requested.backend
        func usable(_ e: EngineProfile) -> Bool {
            let key = CoverageKey(gpu: gpu, engine: e, kernel: kernel)
            return versions[key] != nil && !beatsHBM.contains(key)
        }
        if usable(engine) { return engine }
        if engine == .sglang, usable(.vllm) { return .vllm }
        if beatsHBM.contains(CoverageKey(gpu: gpu, engine: engine, kernel: kernel)) {
            return [EngineProfile.vllm, .sglang, .trtllm].first { $0 != engine && usable($0) }
        }
        return nil
    }

    /// The engine whose decode-attention table stands in for `engine`'s on `gpu`, where `engine`'s beats
    /// the HBM roofline (``hbmOnlyWorkingSetBytes``); nil where `engine`'s own table is used or none exists.
    public func decodeAttentionStandIn(gpu: String, engine: EngineProfile) -> EngineProfile? {
        guard beatsHBM.contains(CoverageKey(gpu: gpu, engine: engine.backend, kernel: .decodeAttention)) else { return nil }
        return resolvedEngine(gpu, engine, .decodeAttention)
    }

    /// The stored curve nearest to the request: smallest |ln(primary / stored)|, then |ln(tp / stored)|,
    /// ties to the smaller stored value; nil without rows for the GPU, engine (after fallback) and precision.
    private func pick(
        _ gpu: String, _ engine: EngineProfile, _ kernel: Kernel, _ precision: String,
        primary: Int?, secondary: Int?, tensorParallel: Int
    ) -> SurfaceKey? {
        guard let e = resolvedEngine(gpu, engine, kernel),
              let keys = families[FamilyKey(gpu: gpu, engine: e, kernel: kernel, precision: precision)], !keys.isEmpty
        else { return nil }
        func distance(_ want: Int?, _ have: Int?) -> Double {
            guard let want, let have, want > 0, have > 0 else { return 0 }
            return abs(log(Double(want) / Double(have)))
        }
        return keys.min { a, b in
            let sa = surfaces[a]!, sb = surfaces[b]!
            let da = (distance(primary, sa.primary), distance(max(1, tensorParallel), a.tensorParallel))
            let db = (distance(primary, sb.primary), distance(max(1, tensorParallel), b.tensorParallel))
            if da != db { return da < db }
            return ((sa.primary ?? 0), a.tensorParallel, a) < ((sb.primary ?? 0), b.tensorParallel, b)
        }
    }

    /// fp16/bf16 → "fp16", fp8 → "fp8", NVFP4 → "fp4" (GEMM and MoE curves only, on GPUs with FP4 tensor
    /// cores); the table has no other precision.
    static func tableName(of p: Precision) -> String? {
        switch p {
        case .fp16, .bf16: "fp16"
        case .fp8: "fp8"
        case .fp4: "fp4"
        case .int8, .int4GPTQ, .int4AWQ: nil
        }
    }

    static func parseHidden(_ s: String) -> Int? {
        guard s.hasPrefix("hidden"), let h = Int(s.dropFirst("hidden".count)), h > 0 else { return nil }
        return h
    }

    /// `e8k2h4096i14336`: experts, active experts, hidden size, expert intermediate size.
    public static func moeShape(experts: Int, active: Int, hidden: Int, intermediate: Int) -> String {
        "e\(experts)k\(active)h\(hidden)i\(intermediate)"
    }

    static func moeShape(parsing s: String) -> (experts: Int, active: Int, hidden: Int, intermediate: Int)? {
        var numbers: [Int] = []
        var rest = Substring(s)
        for letter in ["e", "k", "h", "i"] {
            guard rest.hasPrefix(letter) else { return nil }
            rest = rest.dropFirst()
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let n = Int(digits), n > 0 else { return nil }
            numbers.append(n)
            rest = rest.dropFirst(digits.count)
        }
        guard rest.isEmpty else { return nil }
        return (numbers[0], numbers[1], numbers[2], numbers[3])
    }

    static func parseHeads(_ s: String) -> (query: Int, kv: Int)? {
        guard s.hasPrefix("q"), let r = s.range(of: "kv"),
              let q = Int(s[s.index(after: s.startIndex)..<r.lowerBound]), let kv = Int(s[r.upperBound...]),
              q > 0, kv > 0
        else { return nil }
        return (q, kv)
    }
}

/// The columns of a kernel-efficiency file, in the order the script writes them.
public let kernelTableColumns = ["gpu", "engine", "engine_version", "kernel", "precision", "shape", "tp", "x", "y", "value"]

/// Every problem found in a kernel-efficiency file, one ``Diagnostic`` each:
/// `file:line:column: csv_column: what is wrong, what was expected`.
public struct KernelTableError: Error, Equatable, LocalizedError, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics.sorted() }

    public var errorDescription: String? { description }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

private struct CoverageKey: Hashable, Sendable {
    var gpu: String
    var engine: EngineProfile
    var kernel: KernelTable.Kernel
}

private struct FamilyKey: Hashable, Sendable {
    var gpu: String
    var engine: EngineProfile
    var kernel: KernelTable.Kernel
    var precision: String
}

private struct SurfaceKey: Hashable, Sendable, Comparable {
    var gpu: String
    var engine: EngineProfile
    var kernel: KernelTable.Kernel
    var precision: String
    var shape: String
    var tensorParallel: Int

    static func < (a: SurfaceKey, b: SurfaceKey) -> Bool {
        (a.gpu, a.engine.rawValue, a.kernel.rawValue, a.precision, a.shape, a.tensorParallel)
            < (b.gpu, b.engine.rawValue, b.kernel.rawValue, b.precision, b.shape, b.tensorParallel)
    }
}

/// One stored curve: rows of equal y, ascending, each with its points by ascending x, all in natural logs.
private struct KernelCurve: Sendable, Equatable {
    struct Row: Sendable, Equatable {
        var y: Double
        var logX: [Double]
        var logValue: [Double]
    }

    var rows: [Row]
    /// Hidden size (GEMM) or KV heads (attention) of the stored shape; query heads (attention).
    var primary: Int?
    var secondary: Int?

    init(points: [(x: Double, y: Double, value: Double)], primary: Int? = nil, secondary: Int? = nil) {
        var byY: [Double: [(Double, Double)]] = [:]
        for p in points { byY[p.y, default: []].append((p.x, p.value)) }
        rows = byY.keys.sorted().map { y in
            let sorted = byY[y]!.sorted { $0.0 < $1.0 }
            return Row(y: y, logX: sorted.map { log($0.0) }, logValue: sorted.map { log($0.1) })
        }
        self.primary = primary
        self.secondary = secondary
    }

    /// exp of ln(value) interpolated linearly in ln x along each of the two rows around y (each clamped
    /// to its own x range), then linearly in ln y between them; y outside the rows clamps to the edge row.
    /// NaN in, NaN out (never a trap).
    func value(x: Double, y: Double) -> Double {
        if x.isNaN || y.isNaN { return .nan }
        let lx = log(max(x, .leastNormalMagnitude))
        guard let first = rows.first, let last = rows.last else { return .nan }
        if rows.count == 1 || y <= first.y { return exp(Self.interpolate(first.logX, first.logValue, at: lx)) }
        if y >= last.y { return exp(Self.interpolate(last.logX, last.logValue, at: lx)) }
        let hi = rows.firstIndex { $0.y >= y }!
        let r1 = rows[hi], r0 = rows[hi - 1]
        let v0 = Self.interpolate(r0.logX, r0.logValue, at: lx)
        let v1 = Self.interpolate(r1.logX, r1.logValue, at: lx)
        if r1.y == y { return exp(v1) }
        let t = (log(y) - log(r0.y)) / (log(r1.y) - log(r0.y))
        return exp(v0 + t * (v1 - v0))
    }

    /// Piecewise-linear interpolation of `vs` over ascending `xs` at `x`, constant beyond either end.
    static func interpolate(_ xs: [Double], _ vs: [Double], at x: Double) -> Double {
        if x <= xs[0] { return vs[0] }
        if x >= xs[xs.count - 1] { return vs[vs.count - 1] }
        let i = xs.firstIndex { $0 >= x }!
        if xs[i] == x { return vs[i] }
        let t = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
        return vs[i - 1] + t * (vs[i] - vs[i - 1])
    }
}
