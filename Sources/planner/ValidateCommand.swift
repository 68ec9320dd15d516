import ArgumentParser
import Foundation
import PlannerCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a workload spec and the catalog it refers to.",
        discussion: """
            Loads the shipped catalog (plus any --catalog overlays), then the spec, and checks every field, \
            reference and cross-field rule. Prints a one-line summary and exits 0 when all is well; otherwise \
            prints every problem to standard error, one per line as file:line:column: key.path: message, \
            and exits 2.

            \(HelpExamples.text(
                "planner validate examples/chat-8b.yaml",
                "planner validate examples/chat-8b.yaml --catalog my-prices/"))
            """
    )

    @Argument(help: ArgumentHelp("The workload spec (YAML; see docs/spec.md); - reads standard input.", valueName: "spec"), completion: Completion.spec)
    var specPath: String

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let loaded = try LoadedSpec(path: specPath, catalogOptions: catalogOptions)
        print(Self.summary(loaded.spec, loaded.catalog))
    }

    static func summary(_ spec: Spec, _ catalog: Catalog) -> String {
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

    static func fmt(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
