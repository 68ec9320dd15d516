/// The default terminal output: a readable summary (what to buy, what it costs, predicted latency
/// against the targets, what limits the plan, warnings), then the bill of materials.
public struct TablePlanRenderer: PlanRenderer {
    public static let identifier = "table"
    /// ANSI colour for the status and warnings (the CLI sets it only on a terminal without `NO_COLOR`).
    public var colour: Bool

    public init(colour: Bool = false) {
        self.colour = colour
    }

    public func render(_ plan: Plan) -> String {
        let style = ANSIStyle(enabled: colour)
        let statusColour: ANSIStyle.Colour = plan.hasBuild ? (plan.status == .optimal ? .green : .yellow) : .red
        var out = style.bold("Plan for \(plan.specName):") + " " + style.paint(PlanSummary.status(plan), statusColour) + "\n"
        guard plan.hasBuild else {
            if !plan.diagnosis.isEmpty {
                out += "\n" + style.bold("Why") + "\n" + plan.diagnosis.map { "  - \($0)\n" }.joined()
            }
            out += warningsSection(plan, style)
            return out
        }
        if !plan.reused.isEmpty {
            out += "\n" + style.bold("Reuse (owned, not bought)") + "\n" + PlanSummary.reuse(plan, demandUnit: plan.performance?.demandUnit).map { "  \($0)\n" }.joined()
        }
        out += "\n" + style.bold("Buy") + (plan.reused.isEmpty ? "" : " (for the rest of the demand)") + "\n" + PlanSummary.buy(plan).map { "  \($0)\n" }.joined()
        out += "\n" + style.bold("Cost and power") + "\n  " + PlanSummary.cost(plan) + "\n"
        if let performance = plan.performance {
            out += "\n" + style.bold(PlanSummary.performanceHeading(performance)) + "\n"
            out += PlanSummary.performance(performance).map { "  \($0)\n" }.joined()
        }
        let replicaLimits = PlanSummary.replicaLimits(plan)
        if !plan.bindingConstraints.isEmpty || !replicaLimits.isEmpty {
            out += "\n" + style.bold("What limits the plan") + "\n" + replicaLimits.map { "  - \($0)\n" }.joined()
                + plan.bindingConstraints.map { "  - \($0.name): \($0.family.meaning)\n" }.joined()
        }
        out += warningsSection(plan, style)
        out += "\n" + style.bold("Bill of materials") + "\n"
        // PART NUMBER is the manufacturer's, "-" where the catalog states none (its reason is in the entry).
        var table = TextTable(header: ["CATEGORY", "ID", "PART NUMBER", "QTY", "UNIT USD", "TOTAL USD", "UNIT W", "BASIS"],
                              rightAligned: [3, 4, 5, 6])
        for line in plan.bom {
            table.rows.append([
                line.category.rawValue, line.listing.id, line.listing.partNumber ?? "-", Format.integer(line.quantity),
                Format.usd(line.unitPriceUSD), Format.usd(line.extendedPriceUSD), Format.fixed(line.unitPowerWatts, 0),
                line.listing.priceBasis.rawValue,
            ])
        }
        table.rows.append(["total", "", "", "", "", Format.usd(plan.totals.capexUSD), "", ""])
        out += table.render(indent: "  ")
        return out
    }

    private func warningsSection(_ plan: Plan, _ style: ANSIStyle) -> String {
        plan.warnings.isEmpty ? "" : "\n" + style.paint("Warnings", .yellow) + "\n" + plan.warnings.map { "  - \($0)\n" }.joined()
    }
}

/// ANSI SGR styling that is a no-op when disabled, so renderers write one code path.
struct ANSIStyle {
    enum Colour: Int { case red = 31, green = 32, yellow = 33 }
    var enabled: Bool

    func paint(_ text: String, _ colour: Colour) -> String {
        enabled ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String {
        enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }
}
