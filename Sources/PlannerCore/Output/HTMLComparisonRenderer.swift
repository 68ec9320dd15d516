/// Scenarios as one self-contained HTML page (`planner compare --format html`): a chart of cost
/// against predicted TPOT with one point per scenario (each scenario is its own series, since
/// scenarios rarely serve the same workload, and the TPOT targets as lines), the figures side by side,
/// and each BOM diff against the first scenario.
public struct HTMLComparisonRenderer: ComparisonRenderer {
    public static let identifier = "html"
    public init() {}

    public func render(_ comparison: ScenarioComparison) -> String {
        let names = comparison.scenarios.map(\.name)
        var body = "<header><h1>Comparison: \(HTML.escape(names.joined(separator: " vs ")))</h1></header>\n"
        body += "<section><h2>Cost against predicted TPOT</h2>\n<div class=\"chart-frame\">\(chart(comparison))</div></section>\n"
        var table = "<table class=\"figures\"><thead><tr><th></th>" + names.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in ScenarioFigures.rows {
            table += "<tr><th>\(HTML.escape(row.label))</th>" + comparison.scenarios.map { "<td>\(HTML.escape(row.value($0.plan)))</td>" }.joined() + "</tr>\n"
        }
        body += "<section><h2>Side by side</h2>\n\(table)</tbody></table></section>\n"
        for diff in comparison.diffs {
            var rows = "<table class=\"diff\"><thead><tr><th>Change</th><th>Category</th><th>ID</th><th>Quantity</th><th class=\"num\">USD</th><th class=\"num\">Watts</th></tr></thead><tbody>\n"
            for cells in ScenarioFigures.diffRows(diff) {
                rows += "<tr>" + cells.enumerated().map { i, cell in
                    i == 2 ? "<td><code>\(HTML.escape(cell))</code></td>" : "<td\(i >= 4 ? " class=\"num\"" : "")>\(HTML.escape(cell))</td>"
                }.joined() + "</tr>\n"
            }
            body += "<section><h2>\(HTML.escape("BOM: \(diff.to) against \(diff.from)"))</h2>\n\(rows)</tbody></table>\n"
                + "<p>\(HTML.escape(ScenarioFigures.diffTotal(diff)))</p></section>\n"
        }
        return HTML.page(title: "Comparison: \(names.joined(separator: " vs "))", body: body)
    }

    func chart(_ comparison: ScenarioComparison) -> String {
        var targets: [SVGChart.Target] = []
        var points: [SVGChart.Point] = []
        for (i, scenario) in comparison.scenarios.enumerated() {
            guard scenario.plan.hasBuild, let performance = scenario.plan.performance else { continue }
            points.append(SVGChart.Point(x: performance.tpotMs, y: scenario.plan.objective.value,
                                         label: "\(scenario.name): \(SweepResult.gpuLabel(scenario.plan))", highlighted: true, series: i))
            if let target = performance.tpotTargetMs, !targets.contains(where: { $0.x == target }) {
                targets.append(SVGChart.Target(x: target, label: "target \(Format.percentileLabel(performance.percentile)) TPOT ≤ \(format(target)) ms"))
            }
        }
        var chart = SVGChart(title: "Scenarios: cost vs predicted TPOT (ms)", xLabel: "predicted TPOT (ms)", yLabel: "cost (USD; each scenario's objective)",
                             points: points, series: comparison.scenarios.map(\.name), targets: targets)
        chart.seriesPrefix = ""
        chart.showsDominated = false
        let svg = chart.render()
        return svg.hasPrefix("<?xml") ? String(svg.drop { $0 != "\n" }.dropFirst()) : svg
    }
}
