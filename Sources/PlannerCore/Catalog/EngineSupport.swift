import Yams

/// Which GPU families an inference engine runs on, at a stated engine version, with the source
/// that says so (the catalog's `engines:` section).
public struct EngineSupport: Sendable, Hashable {
    public var engine: EngineProfile
    /// The engine release the statement is about (`1.0`, `0.11`).
    public var version: String
    /// GPU families the engine runs on, in ``GPUFamily`` declaration order; a GPU of any other family is never a candidate.
    public var families: [GPUFamily]
    public var source: String
    public var asOf: String
    public var notes: String?

    public init(engine: EngineProfile, version: String, families: [GPUFamily], source: String, asOf: String, notes: String? = nil) {
        self.engine = engine
        self.version = version
        self.families = families
        self.source = source
        self.asOf = asOf
        self.notes = notes
    }

    /// `TensorRT-LLM 1.0 runs on ampere, hopper, ada, blackwell`.
    public var summary: String {
        "\(engine.displayName) \(version) runs on \(families.map(\.rawValue).joined(separator: ", "))"
    }
}

extension EngineProfile {
    /// The engine's own name.
    public var displayName: String {
        switch self {
        case .vllm: "vLLM"
        case .trtllm: "TensorRT-LLM"
        case .sglang: "SGLang"
        case .nimTRTLLM: "NVIDIA NIM (TensorRT-LLM)"
        }
    }
}

extension GPU {
    /// `AMD cdna3`: the vendor and family, as engine support is stated.
    public var vendorFamily: String { "\(listing.vendor) \(family.rawValue)" }
}

extension Catalog {
    /// Whether `engine` runs on `gpu`'s family. An engine the catalog says nothing about runs on every GPU.
    public func engine(_ engine: EngineProfile, runsOn gpu: GPU) -> Bool {
        engineSupport[engine]?.families.contains(gpu.family) ?? true
    }

    /// The GPUs of `gpus` that `engine` runs on, in their order: the only ones candidates are built for.
    public func gpus(_ gpus: [GPU], runnableBy engine: EngineProfile) -> [GPU] {
        gpus.filter { self.engine(engine, runsOn: $0) }
    }
}

extension CatalogDecoding {
    static let enginesKey = "engines"

    /// Reads an `engines:` section: a list of `{engine, version, families, source, as_of, notes}`.
    /// Entries replace earlier ones for the same engine (an overlay can restate support).
    static func engineSupport(_ node: Node, path: String, sink: DiagnosticSink, onto table: [EngineProfile: EngineSupport]) -> [EngineProfile: EngineSupport]? {
        guard case .sequence(let seq) = node else {
            sink.report(node, path, "must be a list of engine entries (engine, version, families, source, as_of)")
            return nil
        }
        var out = table
        var seen: Set<EngineProfile> = []
        var ok = true
        for (i, item) in seq.enumerated() {
            let itemPath = "\(path)[\(i)]"
            guard let m = YAMLMap(item, path: itemPath, sink: sink, allowed: ["engine", "version", "families", "source", "as_of", "notes"]) else {
                ok = false
                continue
            }
            let engine = m.choice("engine", as: EngineProfile.self)
            let version = m.string("version", maxLength: 100)
            let families = m.choiceList("families", as: GPUFamily.self)
            let source = m.string("source", maxLength: 4_000)
            let asOf = m.string("as_of", maxLength: 10, pattern: isDate, patternText: "a date YYYY-MM or YYYY-MM-DD")
            let notes = m.string("notes", required: false, maxLength: 10_000)
            if let families, families.isEmpty {
                sink.report(m.value("families"), m.keyPath("families"), "must not be empty, expected the GPU families the engine runs on")
                ok = false
                continue
            }
            if let engine, seen.contains(engine) {
                sink.report(m.value("engine"), m.keyPath("engine"), "duplicate engine '\(engine.rawValue)' in this file, expected each engine once")
                ok = false
                continue
            }
            guard let engine, let version, let families, let source, let asOf else { ok = false; continue }
            seen.insert(engine)
            out[engine] = EngineSupport(engine: engine, version: version, families: GPUFamily.allCases.filter(families.contains),
                                        source: source, asOf: asOf, notes: notes)
        }
        return ok ? out : nil
    }
}
