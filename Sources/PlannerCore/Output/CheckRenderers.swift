/// Formats a ``PinnedBuildCheck`` (`planner check`).
public protocol CheckRenderer: Sendable {
    static var identifier: String { get }
    func render(_ check: PinnedBuildCheck) -> String
}

/// Every broken rule with its numbers, then the cheapest fix and what it buys.
public struct TableCheckRenderer: CheckRenderer {
    public static let identifier = "table"
    public var colour: Bool

    public init(colour: Bool = false) {
        self.colour = colour
    }

    public func render(_ check: PinnedBuildCheck) -> String {
        let style = ANSIStyle(enabled: colour)
        guard !check.isValid else {
            var out = style.bold("Check of \(check.specName):") + " " + style.paint("the pinned build meets every rule", .green) + "\n"
            let plan = check.pinnedPlan
            if plan.hasBuild {
                out += "\n" + PlanSummary.cost(plan) + "\n"
                if let performance = plan.performance { out += PlanSummary.performance(performance).map { $0 + "\n" }.joined() }
                out += PlanSummary.replicaLimits(plan).map { $0 + "\n" }.joined()
            }
            return out
        }
        let count = check.violations.count
        var out = style.bold("Check of \(check.specName):") + " " + style.paint("\(count) rule\(count == 1 ? "" : "s") broken", .red) + "\n\n"
        out += check.violations.map { "  - \($0.rule): \($0.message)\n" }.joined()
        guard let fix = check.fix else {
            return out + "\nNo fix found: even with every pin released no build meets the spec.\n"
        }
        if fix.released.isEmpty && !fix.plan.reused.isEmpty {
            // Owned hardware only: the fix buys what the owned servers do not carry.
            out += "\n" + style.bold("Cheapest fix") + " (buy the rest; the owned servers are reused)\n"
        } else {
            out += "\n" + style.bold("Cheapest fix") + " (release pin: \(fix.released.joined(separator: ", ")))\n"
            out += fix.changes.isEmpty ? "  keep the pinned values; the optimizer completes the rest\n"
                : fix.changes.map { "  pin.\($0.key): \($0.from ?? "-") → \($0.to ?? "(none)")\n" }.joined()
        }
        out += "\n  " + PlanSummary.status(fix.plan) + "\n"
        out += PlanSummary.buy(fix.plan).map { "  \($0)\n" }.joined()
        out += "  " + PlanSummary.cost(fix.plan) + "\n"
        if let performance = fix.plan.performance {
            out += PlanSummary.performance(performance).map { "  \($0)\n" }.joined()
        }
        return out
    }
}

/// `{valid, spec, violations: [{rule, message, pins}], fix: {released, changes, plan} | null}`; the
/// fix's plan as `planner solve --format json` writes it.
public struct JSONCheckRenderer: CheckRenderer {
    public static let identifier = "json"
    public init() {}

    struct Document: Encodable {
        var valid: Bool
        var spec: String
        var violations: [ViolationDocument]
        var fix: FixDocument?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(valid, forKey: .valid)
            try c.encode(spec, forKey: .spec)
            try c.encode(violations, forKey: .violations)
            try c.encode(fix, forKey: .fix)  // null when there is none
        }

        enum CodingKeys: String, CodingKey { case valid, spec, violations, fix }
    }

    struct ViolationDocument: Encodable {
        var rule: String
        var message: String
        var pins: [String]
    }

    struct FixDocument: Encodable {
        var released: [String]
        var changes: [ChangeDocument]
        var plan: PlanDocument
    }

    struct ChangeDocument: Encodable {
        var key: String
        var from: String?
        var to: String?
    }

    public func render(_ check: PinnedBuildCheck) -> String {
        JSON.encode(Document(
            valid: check.isValid, spec: check.specName,
            violations: check.violations.map { ViolationDocument(rule: $0.rule, message: $0.message, pins: $0.pins) },
            fix: check.fix.map { fix in
                FixDocument(released: fix.released, changes: fix.changes.map { ChangeDocument(key: $0.key, from: $0.from, to: $0.to) }, plan: PlanDocument(fix.plan))
            }))
    }
}
