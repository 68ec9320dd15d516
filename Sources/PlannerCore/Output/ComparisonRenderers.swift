import Foundation

/// Formats a ``ScenarioComparison`` for one output format (`planner compare --format`).
public protocol ComparisonRenderer: Sendable {
    static var identifier: String { get }
    func render(_ comparison: ScenarioComparison) -> String
}

/// The figures compared for each scenario, in print order, with how the table prints them.
enum ScenarioFigures {
    struct Row: Sendable {
        var label: String
        var value: @Sendable (Plan) -> String
    }

    static func gpuText(_ plan: Plan) -> String {
        plan.deployments.isEmpty ? "-" : plan.deployments.map { "\($0.gpus) × \($0.gpuID) (TP \($0.tensorParallel))" }.joined(separator: " + ")
    }

    static func latency(_ value: Double?, _ target: Double?, _ decimals: Int) -> String {
        guard let value else { return "-" }
        return "\(Format.fixed(value, decimals)) ms" + (target.map { " / \(Format.fixed($0, 0))" } ?? "")
    }

    static let rows: [Row] = [
        Row(label: "status") { $0.status.code },
        Row(label: "capex") { $0.hasBuild ? Format.usd($0.totals.capexUSD) : "-" },
        Row(label: "TCO") { $0.totals.tcoUSD.map(Format.usd) ?? "-" },
        Row(label: "GPUs") { $0.hasBuild ? gpuText($0) : "-" },
        Row(label: "servers") { $0.hasBuild ? String($0.totals.servers) : "-" },
        Row(label: "racks") { $0.hasBuild ? "\($0.totals.racks) (\($0.totals.rackUnits) U)" : "-" },
        Row(label: "peak power") { $0.hasBuild ? Format.watts($0.totals.peakPowerWatts) : "-" },
        Row(label: "TTFT / target") { latency($0.performance?.ttftMs, $0.performance?.ttftTargetMs, 1) },
        Row(label: "TPOT / target") { latency($0.performance?.tpotMs, $0.performance?.tpotTargetMs, 2) },
        Row(label: "headroom") { $0.performance.map { Format.fixed($0.headroom * 100, 0) + "%" } ?? "-" },
        Row(label: "per replica") { perReplica($0) },
    ]

    /// The load one replica of each deployment carries and what sets it: `68 (TPOT)`, `256 (batch cap)`.
    static func perReplica(_ plan: Plan) -> String {
        let lines = PlanSummary.limitedDeployments(plan)
        guard plan.hasBuild, let unit = plan.performance?.demandUnit, !lines.isEmpty else { return "-" }
        return lines.map { d in
            Format.fixed(d.capacityPerReplica, unit == .concurrency ? 0 : 3) + (d.capacityLimit.map { " (\(PlanSummary.limitLabel($0)))" } ?? "")
        }.joined(separator: " + ")
    }

    static func diffRows(_ diff: BOMDiff) -> [[String]] {
        diff.lines.map { line in
            [line.change.rawValue, line.category.rawValue, line.id, "\(line.quantityBefore) → \(line.quantityAfter)",
             Format.signedUSD(line.deltaUSD), Format.signedWatts(line.deltaWatts)]
        }
    }

    static func diffTotal(_ diff: BOMDiff) -> String {
        var text = "capex \(Format.signedUSD(diff.deltaCapexUSD)), peak power \(Format.signedWatts(diff.deltaPeakPowerWatts))"
        if let tco = diff.deltaTCOUSD { text += ", TCO \(Format.signedUSD(tco))" }
        return text
    }
}

/// Scenarios as columns, figures as rows, then one BOM diff per scenario against the first.
public struct TableComparisonRenderer: ComparisonRenderer {
    public static let identifier = "table"
    public init() {}

    public func render(_ comparison: ScenarioComparison) -> String {
        var table = TextTable(header: [""] + comparison.scenarios.map(\.name))
        for row in ScenarioFigures.rows {
            table.rows.append([row.label] + comparison.scenarios.map { row.value($0.plan) })
        }
        var out = table.render()
        for diff in comparison.diffs {
            out += "\nBOM diff \(diff.from) → \(diff.to): \(ScenarioFigures.diffTotal(diff))\n"
            if diff.lines.isEmpty {
                out += "  (same bill of materials)\n"
                continue
            }
            var lines = TextTable(header: ["CHANGE", "CATEGORY", "ID", "QTY", "Δ USD", "Δ W"], rightAligned: [3, 4, 5])
            lines.rows = ScenarioFigures.diffRows(diff)
            out += lines.render(indent: "  ")
        }
        return out
    }
}

/// Markdown: the same tables as the terminal renderer.
public struct MarkdownComparisonRenderer: ComparisonRenderer {
    public static let identifier = "markdown"
    public init() {}

    public func render(_ comparison: ScenarioComparison) -> String {
        var out = "# Scenario comparison\n\n"
        out += Markdown.table(
            header: [""] + comparison.scenarios.map { Markdown.escape($0.name) },
            rows: ScenarioFigures.rows.map { row in ["**\(row.label)**"] + comparison.scenarios.map { Markdown.escape(row.value($0.plan)) } })
        for diff in comparison.diffs {
            out += "\n## BOM diff: \(Markdown.escape(diff.from)) → \(Markdown.escape(diff.to))\n\n\(ScenarioFigures.diffTotal(diff))\n\n"
            if diff.lines.isEmpty { out += "Same bill of materials.\n"; continue }
            out += Markdown.table(header: ["Change", "Category", "ID", "Qty", "Δ USD", "Δ W"], rightAligned: [3, 4, 5],
                                  rows: ScenarioFigures.diffRows(diff).map { row in row.enumerated().map { $0 == 2 ? "`\($1)`" : $1 } })
        }
        return out
    }
}

/// One CSV table: a `scenario` record per scenario (its figures), then a `bom_diff` record per
/// changed BOM line; columns a record does not use are empty. Numbers unformatted.
public struct CSVComparisonRenderer: ComparisonRenderer {
    public static let identifier = "csv"
    public static let columns = [
        "record", "scenario", "file", "status", "capex_usd", "tco_usd", "gpus", "gpu", "servers", "racks", "power_watts",
        "ttft_ms", "ttft_target_ms", "tpot_ms", "tpot_target_ms", "headroom", "capacity_limit",
        "baseline", "category", "id", "change", "quantity_before", "quantity_after", "delta_usd", "delta_watts",
    ]
    public init() {}

    public func render(_ comparison: ScenarioComparison) -> String {
        var out = CSV.record(Self.columns)
        for scenario in comparison.scenarios {
            let plan = scenario.plan, p = plan.performance
            out += CSV.record([
                "scenario", scenario.name, scenario.file, plan.status.code, CSV.number(plan.totals.capexUSD), CSV.number(plan.totals.tcoUSD),
                String(plan.totals.gpus), plan.deployments.map(\.gpuID).joined(separator: "+"), String(plan.totals.servers),
                String(plan.totals.racks), CSV.number(plan.totals.peakPowerWatts, decimals: 1),
                CSV.number(p?.ttftMs), CSV.number(p?.ttftTargetMs), CSV.number(p?.tpotMs), CSV.number(p?.tpotTargetMs),
                CSV.number(p?.headroom, decimals: 4),
                plan.hasBuild ? PlanSummary.limitedDeployments(plan).compactMap { $0.capacityLimit?.code }.joined(separator: "+") : "",
            ] + Array(repeating: "", count: 8))
        }
        for diff in comparison.diffs {
            for line in diff.lines {
                out += CSV.record(["bom_diff", diff.to] + Array(repeating: "", count: 15) + [
                    diff.from, line.category.rawValue, line.id, line.change.rawValue, String(line.quantityBefore), String(line.quantityAfter),
                    CSV.number(line.deltaUSD), CSV.number(line.deltaWatts, decimals: 1),
                ])
            }
        }
        return out
    }
}

/// JSON: `scenarios` (name, file and the plan exactly as `planner solve --format json` writes it)
/// and `diffs`; sorted keys, snake_case.
public struct JSONComparisonRenderer: ComparisonRenderer {
    public static let identifier = "json"
    public init() {}

    struct Document: Encodable {
        var scenarios: [ScenarioDocument]
        var diffs: [DiffDocument]
    }

    struct ScenarioDocument: Encodable {
        var name: String
        var file: String
        var plan: PlanDocument
    }

    struct DiffDocument: Encodable {
        var from: String
        var to: String
        var deltaCapexUSD: Double
        var deltaPowerWatts: Double
        var deltaTCOUSD: Double?
        var lines: [LineDocument]

        enum CodingKeys: String, CodingKey {
            case from, to, lines
            case deltaCapexUSD = "delta_capex_usd", deltaPowerWatts = "delta_power_watts", deltaTCOUSD = "delta_tco_usd"
        }
    }

    struct LineDocument: Encodable {
        var category: String
        var id: String
        var change: String
        var quantityBefore: Int
        var quantityAfter: Int
        var deltaUSD: Double
        var deltaWatts: Double

        enum CodingKeys: String, CodingKey {
            case category, id, change
            case quantityBefore = "quantity_before", quantityAfter = "quantity_after", deltaUSD = "delta_usd", deltaWatts = "delta_watts"
        }
    }

    public func render(_ comparison: ScenarioComparison) -> String {
        let document = Document(
            scenarios: comparison.scenarios.map { ScenarioDocument(name: $0.name, file: $0.file, plan: PlanDocument($0.plan)) },
            diffs: comparison.diffs.map { diff in
                DiffDocument(
                    from: diff.from, to: diff.to, deltaCapexUSD: Rounding.to(diff.deltaCapexUSD, 2),
                    deltaPowerWatts: Rounding.to(diff.deltaPeakPowerWatts, 1), deltaTCOUSD: diff.deltaTCOUSD.map { Rounding.to($0, 2) },
                    lines: diff.lines.map {
                        LineDocument(category: $0.category.rawValue, id: $0.id, change: $0.change.rawValue, quantityBefore: $0.quantityBefore,
                                     quantityAfter: $0.quantityAfter, deltaUSD: Rounding.to($0.deltaUSD, 2), deltaWatts: Rounding.to($0.deltaWatts, 1))
                    })
            })
        return JSON.encode(document)
    }
}

/// Sorted-key, pretty-printed JSON with a final newline.
enum JSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return "{}\n" }
        return text + "\n"
    }
}
