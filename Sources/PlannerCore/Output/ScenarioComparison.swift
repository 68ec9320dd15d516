/// Several plans side by side (`planner compare`): one row of figures per scenario, then the bill of
/// materials of each scenario diffed against the first (the baseline).
public struct ScenarioComparison: Sendable {
    public struct Scenario: Sendable {
        /// The spec's name, or its file when two specs share a name.
        public var name: String
        public var file: String
        public var plan: Plan

        public init(name: String, file: String, plan: Plan) {
            self.name = name
            self.file = file
            self.plan = plan
        }
    }

    public var scenarios: [Scenario]
    /// Scenario i (i ≥ 1) against scenario 0.
    public var diffs: [BOMDiff]

    public init(scenarios: [Scenario]) {
        self.scenarios = scenarios
        guard let baseline = scenarios.first else {
            diffs = []
            return
        }
        diffs = scenarios.dropFirst().map { BOMDiff(from: baseline, to: $0) }
    }
}

/// What changes in the bill of materials from one scenario to another, line by line.
public struct BOMDiff: Sendable {
    public enum Change: String, Sendable { case added, removed, changed }

    public struct Line: Sendable {
        public var category: BOMCategory
        public var id: String
        public var change: Change
        public var quantityBefore: Int
        public var quantityAfter: Int
        /// Extended price after − before.
        public var deltaUSD: Double
        /// Unit power × quantity, after − before (the BOM's nameplate watts, not wall power).
        public var deltaWatts: Double
    }

    public var from: String
    public var to: String
    /// Sorted by category, then id; unchanged lines left out.
    public var lines: [Line]
    /// Capex after − before (equals the sum of the lines' deltas).
    public var deltaCapexUSD: Double
    /// Peak wall power after − before (includes PSU losses; not the sum of the lines' watts).
    public var deltaPeakPowerWatts: Double
    /// TCO after − before, when both plans have one.
    public var deltaTCOUSD: Double?

    init(from baseline: ScenarioComparison.Scenario, to other: ScenarioComparison.Scenario) {
        from = baseline.name
        to = other.name
        struct Key: Hashable, Comparable {
            var category: BOMCategory
            var id: String
            static func < (a: Key, b: Key) -> Bool { (a.category, a.id) < (b.category, b.id) }
        }
        func index(_ plan: Plan) -> [Key: BOMLine] {
            Dictionary(plan.bom.map { (Key(category: $0.category, id: $0.listing.id), $0) }, uniquingKeysWith: { a, b in
                var merged = a
                merged.quantity += b.quantity
                return merged
            })
        }
        let before = index(baseline.plan), after = index(other.plan)
        lines = Set(before.keys).union(after.keys).sorted().compactMap { key in
            let b = before[key], a = after[key]
            let qb = b?.quantity ?? 0, qa = a?.quantity ?? 0
            guard qb != qa || b?.unitPriceUSD != a?.unitPriceUSD else { return nil }
            let change: Change = b == nil ? .added : a == nil ? .removed : .changed
            return Line(
                category: key.category, id: key.id, change: change, quantityBefore: qb, quantityAfter: qa,
                deltaUSD: (a?.extendedPriceUSD ?? 0) - (b?.extendedPriceUSD ?? 0),
                deltaWatts: Double(qa) * (a?.unitPowerWatts ?? 0) - Double(qb) * (b?.unitPowerWatts ?? 0)
            )
        }
        // Differences of the figures as printed (cents, tenths of a watt), so a diff always equals
        // the difference of the two plans the user sees.
        deltaCapexUSD = Rounding.to(other.plan.totals.capexUSD, 2) - Rounding.to(baseline.plan.totals.capexUSD, 2)
        deltaPeakPowerWatts = Rounding.to(other.plan.totals.peakPowerWatts, 1) - Rounding.to(baseline.plan.totals.peakPowerWatts, 1)
        if let a = other.plan.totals.tcoUSD, let b = baseline.plan.totals.tcoUSD { deltaTCOUSD = Rounding.to(a, 2) - Rounding.to(b, 2) }
    }
}
