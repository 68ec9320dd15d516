/// The plan as GitHub-flavoured Markdown, for a pull request or a wiki page: the same summary as the
/// table renderer, then the bill of materials as a Markdown table with a total row.
public struct MarkdownPlanRenderer: PlanRenderer {
    public static let identifier = "markdown"
    public init() {}

    public func render(_ plan: Plan) -> String {
        var out = "# Plan for \(Markdown.escape(plan.specName))\n\n**Status:** \(PlanSummary.status(plan))\n"
        guard plan.hasBuild else {
            if !plan.diagnosis.isEmpty { out += "\n## Why\n\n" + plan.diagnosis.map { "- \(Markdown.escape($0))\n" }.joined() }
            out += warnings(plan)
            return out
        }
        if !plan.reused.isEmpty {
            out += "\n## Reuse (owned, not bought)\n\n" + PlanSummary.reuse(plan, demandUnit: plan.performance?.demandUnit).map { "- \(Markdown.escape($0))\n" }.joined()
        }
        out += "\n## Buy\n\n" + PlanSummary.buy(plan).map { "- \(Markdown.escape($0))\n" }.joined()
        out += "\n## Cost and power\n\n" + Markdown.escape(PlanSummary.cost(plan)) + "\n"
        if let performance = plan.performance {
            out += "\n## \(PlanSummary.performanceHeading(performance))\n\n" + PlanSummary.performance(performance).map { "- \(Markdown.escape($0))\n" }.joined()
        }
        let replicaLimits = PlanSummary.replicaLimits(plan)
        if !plan.bindingConstraints.isEmpty || !replicaLimits.isEmpty {
            out += "\n## What limits the plan\n\n" + replicaLimits.map { "- \($0)\n" }.joined()
                + plan.bindingConstraints.map { "- `\($0.name)`: \($0.family.meaning)\n" }.joined()
        }
        out += warnings(plan)
        out += "\n## Bill of materials\n\n"
        var rows = plan.bom.map { line in
            [line.category.rawValue, "`\(line.listing.id)`", Markdown.escape(line.listing.partNumber ?? "—"), Markdown.escape(line.listing.name),
             Format.integer(line.quantity), Format.usd(line.unitPriceUSD), Format.usd(line.extendedPriceUSD),
             Format.fixed(line.unitPowerWatts, 0), line.listing.priceBasis.rawValue]
        }
        rows.append(["**total**", "", "", "", "", "", "**\(Format.usd(plan.totals.capexUSD))**", "", ""])
        out += Markdown.table(header: ["Category", "ID", "Part number", "Name", "Qty", "Unit USD", "Total USD", "Unit W", "Basis"],
                              rightAligned: [4, 5, 6, 7], rows: rows)
        return out
    }

    private func warnings(_ plan: Plan) -> String {
        plan.warnings.isEmpty ? "" : "\n## Warnings\n\n" + plan.warnings.map { "- \(Markdown.escape($0))\n" }.joined()
    }
}

/// Markdown helpers shared by the plan, comparison and sweep renderers.
enum Markdown {
    /// Escapes the characters that would break a table cell or start formatting.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "|*_`[]<>\\".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    static func table(header: [String], rightAligned: Set<Int> = [], rows: [[String]]) -> String {
        var out = "| " + header.joined(separator: " | ") + " |\n"
        out += "|" + header.indices.map { rightAligned.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
        return out
    }
}
