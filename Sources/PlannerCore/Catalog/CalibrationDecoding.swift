import Yams

/// The `calibration:` section of a catalog or overlay file (written by `planner calibrate`):
///
///     calibration:
///       source: planner calibrate results.csv     # optional, free text
///       engines:
///         vllm: {bandwidth_efficiency: 0.84, compute_efficiency: 0.47, step_overhead_ms: 1.1,
///                per_sequence_step_us: 0, request_overhead_ms: 7}
///       gpu_families:
///         ampere: {bandwidth: 0.88, compute: 1.1}
///
/// Every field is optional; one left out keeps the value in effect before this file (the shipped
/// constants, or an earlier overlay's). Files are applied in load order, later ones winning.
extension CatalogDecoding {
    static let calibrationKey = "calibration"
    static let engineCalibrationKeys = [
        "bandwidth_efficiency", "attention_efficiency", "compute_efficiency", "step_overhead_ms", "per_sequence_step_us", "request_overhead_ms",
    ]

    static func calibration(_ node: Node, path: String, sink: DiagnosticSink, onto base: CalibrationTable)
        -> CalibrationTable?
    {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: ["source", "notes", "engines", "gpu_families"],
                              what: "a mapping with engines and/or gpu_families")
        else { return nil }
        var table = base
        var ok = true
        _ = m.string("source", required: false, maxLength: 4_000)
        _ = m.string("notes", required: false, maxLength: 10_000)
        if !m.has("engines") && !m.has("gpu_families") {
            sink.report(m.node, path, "sets nothing, expected engines and/or gpu_families")
            return nil
        }
        if let engines = m.map("engines", required: false, allowed: EngineProfile.allCases.map(\.rawValue)) {
            for (name, _, _) in engines.entries {
                guard let engine = EngineProfile(rawValue: name) else { continue }
                guard let e = engines.map(name, allowed: engineCalibrationKeys) else { ok = false; continue }
                var c = table.calibration(for: engine)
                let unit = NumberRule(min: 0, minExclusive: true, max: 1)
                if e.has("bandwidth_efficiency") {
                    if let v = e.double("bandwidth_efficiency", unit) { c.bandwidthEfficiency = v } else { ok = false }
                }
                if e.has("attention_efficiency") {
                    if let v = e.double("attention_efficiency", unit) { c.attentionEfficiency = v } else { ok = false }
                }
                if e.has("compute_efficiency") {
                    if let v = e.double("compute_efficiency", unit) { c.computeEfficiency = v } else { ok = false }
                }
                if e.has("step_overhead_ms") {
                    if let v = e.double("step_overhead_ms", .nonNegative(max: 1_000)) { c.stepOverheadMs = v } else { ok = false }
                }
                if e.has("per_sequence_step_us") {
                    if let v = e.double("per_sequence_step_us", .nonNegative(max: 100_000)) { c.perSequenceStepUs = v } else { ok = false }
                }
                if e.has("request_overhead_ms") {
                    if let v = e.double("request_overhead_ms", .nonNegative(max: 100_000)) { c.requestOverheadMs = v } else { ok = false }
                }
                table.engines[engine] = c
            }
        } else if m.has("engines") {
            ok = false
        }
        if let families = m.map("gpu_families", required: false, allowed: GPUFamily.allCases.map(\.rawValue)) {
            for (name, _, _) in families.entries {
                guard let family = GPUFamily(rawValue: name) else { continue }
                guard let f = families.map(name, allowed: ["bandwidth", "compute"]) else { ok = false; continue }
                var factors = table.factors(for: family)
                if f.has("bandwidth") {
                    if let v = f.double("bandwidth", .positive(max: 10)) { factors.bandwidth = v } else { ok = false }
                }
                if f.has("compute") {
                    if let v = f.double("compute", .positive(max: 10)) { factors.compute = v } else { ok = false }
                }
                table.families[family] = factors
            }
        } else if m.has("gpu_families") {
            ok = false
        }
        return ok ? table : nil
    }
}
