import Foundation

/// The one-line summary of a valid spec that `planner validate` prints (and `POST /api/validate`
/// returns): model, precisions, engine, tokens, load, targets, budget, objective and catalog size.
public enum SpecSummary {
    public static func line(_ spec: Spec, _ catalog: Catalog) -> String {
        let w = spec.workload
        let load: String = switch w.load {
        case .concurrency(let c): "concurrency \(c)"
        case .requestsPerSecond(let r): "\(fmt(r)) requests/s"
        case .maximumThroughput: "maximum throughput"
        }
        var slo: [String] = []
        if let t = spec.slo.ttftMs { slo.append("TTFT \(fmt(t)) ms") }
        if let t = spec.slo.tpotMs { slo.append("TPOT \(fmt(t)) ms") }
        if let t = spec.slo.e2eMs { slo.append("E2E \(fmt(t)) ms") }
        let sloText = slo.isEmpty ? "no latency targets" : slo.joined(separator: ", ") + " at p\(fmt(spec.slo.percentile))"
        let budget = spec.budget.capexUSD.map { "budget $\(fmt($0))" } ?? "no budget limit"
        var line = "ok: \(spec.name): \(spec.modelID) (\(spec.precision.weights.rawValue) weights, "
            + "\(spec.precision.kvCache.rawValue) KV) on \(spec.engine.rawValue), \(w.promptTokens)+\(w.outputTokens) tokens, "
            + "\(load); \(sloText); \(budget), objective \(spec.objective.rawValue); catalog of \(catalog.count) entries"
        if !catalog.replacements.isEmpty {
            line += ", \(catalog.replacements.count) changed by overlays ("
                + catalog.replacements.map { "\($0.id) from \($0.overlayFile): \($0.changeSummary)" }.joined(separator: "; ") + ")"
        }
        return line
    }

    /// Whole numbers without a decimal point; others as Swift prints them.
    static func fmt(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
