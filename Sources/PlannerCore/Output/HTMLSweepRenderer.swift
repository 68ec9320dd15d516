/// A sweep as one self-contained HTML page (`planner sweep --format html`): the frontier chart
/// (the `--plot` SVG, inline), each workload's frontier, and the grid as a table.
public struct HTMLSweepRenderer: SweepRenderer {
    public static let identifier = "html"
    public init() {}

    public func render(_ sweep: SweepResult) -> String {
        let name = sweep.points.first?.plan.specName ?? "sweep"
        var body = "<header><h1>Sweep of \(HTML.escape(name))</h1>"
        body += "<p>Varying \(HTML.escape(sweep.axes.map { "\($0.key) = \($0.values.joined(separator: ", "))" }.joined(separator: "; "))): "
            + "\(sweep.points.count) points, \(sweep.points.filter { $0.cost != nil }.count) with a plan.</p></header>\n"
        let svg = sweep.chart().render()
        let inline = svg.hasPrefix("<?xml") ? String(svg.drop { $0 != "\n" }.dropFirst()) : svg
        body += "<section><h2>Pareto frontier</h2>\n<div class=\"chart-frame\">\(inline)</div></section>\n"
        for series in sweep.series {
            let items = series.frontier.map { SweepRows.frontierLine(sweep, $0) }
            body += "<section><h2>\(HTML.escape(SweepRows.frontierHeading(sweep, series)))</h2>\n"
                + (items.isEmpty ? "<p>No point has a plan.</p>\n" : HTML.list(items)) + "</section>\n"
        }
        var table = "<table class=\"grid\"><thead><tr>" + SweepRows.header(sweep).map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for i in sweep.points.indices {
            table += "<tr>" + SweepRows.cells(sweep, i).map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>\n"
        }
        body += "<section><h2>Every point</h2>\n\(table)</tbody></table></section>\n"
        return HTML.page(title: "Sweep of \(name)", body: body)
    }
}
