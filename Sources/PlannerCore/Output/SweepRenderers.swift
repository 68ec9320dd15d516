/// Formats a ``SweepResult`` for one output format (`planner sweep --format`).
public protocol SweepRenderer: Sendable {
    static var identifier: String { get }
    func render(_ sweep: SweepResult) -> String
}

/// The rows every sweep renderer prints, formatted for people.
enum SweepRows {
    static func header(_ sweep: SweepResult) -> [String] {
        sweep.axes.map(\.key) + ["STATUS", "GPUS", "CAPEX", "TCO", "TTFT MS", "TPOT MS", "TOKENS/S", "LIMIT", "FRONTIER"]
    }

    /// What sets each bought deployment's replica load (``ReplicaLimit``), `+`-joined: `TTFT`, `TPOT`, `E2E`
    /// (that target binds), `KV cache`, `batch cap`, `throughput`; `-` without a plan.
    static func limit(_ plan: Plan) -> String {
        let labels = PlanSummary.limitedDeployments(plan).compactMap { $0.capacityLimit }.map(PlanSummary.limitLabel)
        return plan.hasBuild && !labels.isEmpty ? labels.joined(separator: "+") : "-"
    }

    static func cells(_ sweep: SweepResult, _ index: Int) -> [String] {
        let point = sweep.points[index], plan = point.plan
        let build = plan.hasBuild
        return point.values + [
            plan.status.code, SweepResult.gpuLabel(plan),
            build ? Format.usd(plan.totals.capexUSD) : "-", plan.totals.tcoUSD.map(Format.usd) ?? "-",
            build ? plan.performance.map { Format.fixed($0.ttftMs, 1) } ?? "-" : "-",
            build ? plan.performance.map { Format.fixed($0.tpotMs, 2) } ?? "-" : "-",
            build ? plan.performance.map { Format.fixed($0.outputTokensPerSecond, 0) } ?? "-" : "-",
            limit(plan),
            sweep.frontier.contains(index) ? "*" : "",
        ]
    }

    /// `Pareto frontier: cost vs predicted TPOT (ms)`, naming the workload when there are several.
    static func frontierHeading(_ sweep: SweepResult, _ series: SweepResult.Series) -> String {
        "Pareto frontier" + (series.name.isEmpty ? "" : " for \(series.name)") + ": cost vs \(sweep.measure.label)"
    }

    static func frontierLine(_ sweep: SweepResult, _ index: Int) -> String {
        let point = sweep.points[index]
        let settings = zip(sweep.axes, point.values).map { "\($0.key)=\($1)" }.joined(separator: ", ")
        let measure = sweep.measure.value(point.plan).map { sweep.measure == .throughput ? Format.fixed($0, 0) : Format.fixed($0, 2) } ?? "-"
        return "\(Format.usd(point.cost ?? 0)) \(sweep.points[index].plan.objective.metric == .tcoUSD ? "TCO" : "capex"), \(sweep.measure.label) \(measure): \(SweepResult.gpuLabel(point.plan)) (\(settings))"
    }
}

/// The grid as a table (frontier rows marked `*`), then the frontier from cheapest to fastest.
public struct TableSweepRenderer: SweepRenderer {
    public static let identifier = "table"
    public init() {}

    public func render(_ sweep: SweepResult) -> String {
        var table = TextTable(header: SweepRows.header(sweep))
        let first = sweep.axes.count
        table.rightAligned = [first + 2, first + 3, first + 4, first + 5, first + 6]
        table.rows = sweep.points.indices.map { SweepRows.cells(sweep, $0) }
        var out = table.render()
        for series in sweep.series {
            out += "\n\(SweepRows.frontierHeading(sweep, series)) (\(series.frontier.count) of \(series.points.filter { sweep.points[$0].cost != nil }.count) plans)\n"
            out += series.frontier.isEmpty ? "  (no point has a plan)\n" : series.frontier.map { "  " + SweepRows.frontierLine(sweep, $0) + "\n" }.joined()
        }
        return out
    }
}

public struct MarkdownSweepRenderer: SweepRenderer {
    public static let identifier = "markdown"
    public init() {}

    public func render(_ sweep: SweepResult) -> String {
        var out = "# Sweep\n\n"
        out += Markdown.table(header: SweepRows.header(sweep).map { Markdown.escape($0) },
                              rows: sweep.points.indices.map { SweepRows.cells(sweep, $0).map { Markdown.escape($0) } })
        for series in sweep.series {
            out += "\n## \(Markdown.escape(SweepRows.frontierHeading(sweep, series)))\n\n"
            out += series.frontier.isEmpty ? "(no point has a plan)\n" : series.frontier.map { "- " + Markdown.escape(SweepRows.frontierLine(sweep, $0)) + "\n" }.joined()
        }
        return out
    }
}

/// One CSV record per grid point: the axis values (columns named by key), then the figures.
public struct CSVSweepRenderer: SweepRenderer {
    public static let identifier = "csv"
    public init() {}

    public func render(_ sweep: SweepResult) -> String {
        var out = CSV.record(sweep.axes.map(\.key) + ["status", "gpu", "gpus", "capex_usd", "tco_usd", "ttft_ms", "tpot_ms", "output_tokens_per_s", "capacity_limit", "frontier"])
        for (i, point) in sweep.points.enumerated() {
            let plan = point.plan, p = plan.hasBuild ? plan.performance : nil
            out += CSV.record(point.values + [
                plan.status.code, plan.deployments.map(\.gpuID).joined(separator: "+"), String(plan.totals.gpus),
                point.cost == nil ? "" : CSV.number(plan.totals.capexUSD), CSV.number(plan.totals.tcoUSD),
                CSV.number(p?.ttftMs), CSV.number(p?.tpotMs), CSV.number(p?.outputTokensPerSecond, decimals: 1),
                p == nil ? "" : PlanSummary.limitedDeployments(plan).compactMap { $0.capacityLimit?.code }.joined(separator: "+"),
                sweep.frontier.contains(i) ? "true" : "false",
            ])
        }
        return out
    }
}

/// `axes`, `measure`, `points` (each with its `settings` and the plan as `planner solve --format json`
/// writes it), `frontier` (indices into `points`: every workload's frontier, each by cost) and
/// `series` (one per workload: its `workload` settings, `points` and `frontier`).
public struct JSONSweepRenderer: SweepRenderer {
    public static let identifier = "json"
    public init() {}

    struct Document: Encodable {
        var axes: [AxisDocument]
        var measure: String
        var points: [PointDocument]
        var frontier: [Int]
        var series: [SeriesDocument]
    }

    /// One workload's points and frontier; `workload` holds the workload axes' values (empty when
    /// none varies).
    struct SeriesDocument: Encodable {
        var workload: [String: String]
        var points: [Int]
        var frontier: [Int]
    }

    struct AxisDocument: Encodable {
        var key: String
        var values: [String]
    }

    struct PointDocument: Encodable {
        var settings: [String: String]
        var plan: PlanDocument
    }

    public func render(_ sweep: SweepResult) -> String {
        JSON.encode(Document(
            axes: sweep.axes.map { AxisDocument(key: $0.key, values: $0.values) },
            measure: sweep.measure.rawValue,
            points: sweep.points.map { point in
                PointDocument(settings: Dictionary(zip(sweep.axes.map(\.key), point.values), uniquingKeysWith: { _, b in b }), plan: PlanDocument(point.plan))
            },
            frontier: sweep.frontier,
            series: sweep.series.map { series in
                let values = sweep.points[series.points[0]].values
                let workload = zip(sweep.axes, values).filter { SweepResult.isWorkloadKey($0.0.key) }.map { ($0.0.key, $0.1) }
                return SeriesDocument(workload: Dictionary(workload, uniquingKeysWith: { _, b in b }), points: series.points, frontier: series.frontier)
            }))
    }
}
