import Foundation

/// A self-contained SVG scatter chart of cost against a performance measure (`planner sweep --plot`,
/// and the sweep's HTML report): labelled axes with round ticks, one dot per point, each series'
/// frontier as a line through its points, targets as dashed vertical lines, and point labels that
/// never overlap.
///
/// Rules every chart follows:
/// - The cost (y) axis starts at $0, so heights compare in proportion in every chart.
/// - A label goes at the first spot around its dot, nearest first, where its box stays inside the plot
///   and overlaps no other label and no dot; spots away from the dot get a leader line; a label with no free spot
///   is dropped (the dot's tooltip still names it). Frontier labels are placed first.
public struct SVGChart: Sendable {
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public var label: String
        public var highlighted: Bool
        /// Index into ``SVGChart/series``.
        public var series: Int

        public init(x: Double, y: Double, label: String, highlighted: Bool, series: Int = 0) {
            self.x = x
            self.y = y
            self.label = label
            self.highlighted = highlighted
            self.series = series
        }
    }

    /// A vertical reference line: a latency target.
    public struct Target: Sendable, Hashable {
        public var x: Double
        public var label: String

        public init(x: Double, label: String) {
            self.x = x
            self.label = label
        }
    }

    /// A placed label's box, in SVG user units.
    struct Box: Equatable {
        var x0, y0, x1, y1: Double
        func overlaps(_ other: Box) -> Bool { x0 < other.x1 && other.x0 < x1 && y0 < other.y1 && other.y0 < y1 }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var points: [Point]
    /// Series names for the legend ("" for a chart of one unnamed series).
    public var series: [String] = [""]
    public var targets: [Target] = []
    /// What the legend says before a series name ("frontier: " for sweeps; "" when each series is
    /// one scenario), and whether it lists dominated plans.
    public var seriesPrefix = "frontier: "
    public var showsDominated = true
    /// Formats y tick values (dollars by default).
    public var yFormat: @Sendable (Double) -> String = { Format.usd($0) }
    public var width = 900.0
    public var height = 560.0

    static let palette = ["#2f6fde", "#d9480f", "#2b8a3e", "#9c36b5", "#e67700", "#0b7285", "#c2255c", "#5c940d"]
    static let dominatedFill = "#9aa3b2"
    static let fontSize = 12.0

    public init(title: String, xLabel: String, yLabel: String, points: [Point], series: [String] = [""], targets: [Target] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.points = points
        self.series = series.isEmpty ? [""] : series
        self.targets = targets
    }

    /// Tick values: 4–8 round numbers (1, 2 or 5 × 10ⁿ apart) covering `low … high`.
    static func ticks(_ low: Double, _ high: Double) -> [Double] {
        var (lo, hi) = (low, high)
        if hi - lo < 1e-9 { lo -= max(abs(lo) * 0.1, 1); hi += max(abs(hi) * 0.1, 1) }
        let raw = (hi - lo) / 5
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = floor(lo / step) * step
        return stride(from: first, through: ceil(hi / step) * step + step / 2, by: step).map { $0 }
    }

    /// A width no rendering of `text` at 12 px exceeds in the sans-serif fonts browsers fall back
    /// to (DejaVu Sans is the widest common one): per-character upper bounds, bold 10 % wider.
    static func textWidth(_ text: String, bold: Bool) -> Double {
        let narrow = Set("iljtfr.,;:-'| ()[]1"), wide = Set("mwMW×@%")
        let width = text.reduce(0.0) { sum, c in
            sum + (narrow.contains(c) ? 5.0 : wide.contains(c) ? 11.5 : c.isUppercase ? 9.0 : 7.8)
        }
        return (bold ? width * 1.1 : width) + 2
    }

    func colour(_ point: Point) -> String {
        point.highlighted ? Self.palette[point.series % Self.palette.count] : Self.dominatedFill
    }

    public func render() -> String {
        let (legendSVG, legendLines) = legend(left: 110)
        let left = 110.0, right = 40.0, top = 70.0 + 18 * Double(legendLines - 1), bottom = 70.0
        let plotW = width - left - right, plotH = height - top - bottom
        var svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        svg += "<text x=\"\(Int(width / 2))\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"600\">\(HTML.escape(title))</text>\n"
        guard !points.isEmpty else {
            svg += "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" fill=\"#666\">no feasible plan to plot</text>\n</svg>\n"
            return svg
        }
        let xs = points.map(\.x) + targets.map(\.x)
        let xTicks = Self.ticks(xs.min()!, xs.max()!)
        let yTicks = Self.ticks(0, max(points.map(\.y).max()!, 0))
        let (x0, x1, y0, y1) = (xTicks.first!, xTicks.last!, yTicks.first!, yTicks.last!)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - y0) / (y1 - y0) * plotH }
        func f(_ v: Double) -> String { Format.fixed(v, 1) }

        svg += "<g stroke=\"#e3e6eb\">\n"
        for t in xTicks { svg += "<line x1=\"\(f(px(t)))\" y1=\"\(f(top))\" x2=\"\(f(px(t)))\" y2=\"\(f(top + plotH))\"/>\n" }
        for t in yTicks { svg += "<line x1=\"\(f(left))\" y1=\"\(f(py(t)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(t)))\"/>\n" }
        svg += "</g>\n<g stroke=\"#333\" stroke-width=\"1.5\"><line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\"/><line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\"/></g>\n"
        svg += "<g fill=\"#333\">\n"
        for t in xTicks { svg += "<text x=\"\(f(px(t)))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(Self.tickLabel(t))</text>\n" }
        for t in yTicks { svg += "<text x=\"\(f(left - 8))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\">\(HTML.escape(yFormat(t)))</text>\n" }
        svg += "</g>\n"
        svg += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 20))\" text-anchor=\"middle\" font-size=\"13\">\(HTML.escape(xLabel))</text>\n"
        svg += "<text transform=\"translate(22 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">\(HTML.escape(yLabel))</text>\n"

        // Labels may not cover the target labels either: those are placed first.
        var placed: [Box] = []
        for target in targets.sorted(by: { $0.x < $1.x }) {
            let x = px(target.x)
            svg += "<line class=\"target\" x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotH))\" stroke=\"#c53030\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n"
            let w = Self.textWidth(target.label, bold: false)
            let anchorEnd = x + 4 + w > left + plotW
            // The first of three rows under the plot's top edge where the label is free.
            for row in 0..<3 {
                let y = top + 2 + Double(row) * 18
                let box = Box(x0: anchorEnd ? x - 4 - w : x + 4, y0: y, x1: anchorEnd ? x - 4 : x + 4 + w, y1: y + 16)
                guard !placed.contains(where: { $0.overlaps(box) }) else { continue }
                placed.append(box)
                svg += "<text class=\"label target-label\" x=\"\(f(anchorEnd ? x - 4 : x + 4))\" y=\"\(f(y + 12))\" text-anchor=\"\(anchorEnd ? "end" : "start")\" fill=\"#c53030\">\(HTML.escape(target.label))</text>\n"
                break
            }
        }
        // Labels keep off the dots too.
        let dots = points.map { p -> Box in
            let (cx, cy, r) = (px(p.x), py(p.y), p.highlighted ? 6.0 : 4.0)
            return Box(x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r)
        }

        for s in series.indices {
            let frontier = points.filter { $0.highlighted && $0.series == s }.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
            if frontier.count > 1 {
                svg += "<polyline fill=\"none\" stroke=\"\(Self.palette[s % Self.palette.count])\" stroke-width=\"2\" points=\"" + frontier.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ") + "\"/>\n"
            }
        }
        // Dots (dominated under frontier), then labels.
        for point in points.sorted(by: { !$0.highlighted && $1.highlighted }) {
            svg += "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"\(point.highlighted ? 6 : 4)\" fill=\"\(colour(point))\"><title>\(HTML.escape(point.label))</title></circle>\n"
        }
        let plot = Box(x0: left + 2, y0: top, x1: left + plotW, y1: top + plotH)
        var labelled: Set<String> = []
        let order = points.indices.sorted { a, b in
            (points[a].highlighted ? 0 : 1, points[a].x, points[a].y, a) < (points[b].highlighted ? 0 : 1, points[b].x, points[b].y, b)
        }
        for i in order {
            let point = points[i]
            let (cx, cy) = (px(point.x), py(point.y))
            // Identical points (the same plan at several settings) get one label.
            guard labelled.insert("\(f(cx)),\(f(cy)),\(point.label)").inserted else { continue }
            guard let spot = Self.spot(for: point.label, bold: point.highlighted, at: (cx, cy), inside: plot, avoiding: placed + dots) else { continue }
            placed.append(spot.box)
            if spot.leader {
                let (lx, ly) = (spot.anchor == "start" ? spot.box.x0 : spot.box.x1, spot.box.y0 + 9)
                svg += "<line class=\"leader\" x1=\"\(f(cx))\" y1=\"\(f(cy))\" x2=\"\(f(lx))\" y2=\"\(f(ly))\" stroke=\"#9aa3b2\" stroke-width=\"1\"/>\n"
            }
            svg += "<text class=\"label\" x=\"\(f(spot.textX))\" y=\"\(f(spot.textY))\" text-anchor=\"\(spot.anchor)\" fill=\"\(point.highlighted ? "#1d2330" : "#6b7280")\"\(point.highlighted ? " font-weight=\"600\"" : "")>\(HTML.escape(point.label))</text>\n"
        }
        return svg + legendSVG + "</svg>\n"
    }

    /// A label's place: its box, text position and anchor, and whether it needs a leader line.
    struct Spot {
        var box: Box
        var textX: Double
        var textY: Double
        var anchor: String
        var leader: Bool
    }

    /// The first free spot for a label around (cx, cy): the four corners next to the dot, then
    /// rings of spots further out (with leader lines), nearest first; nil when none is free.
    static func spot(for label: String, bold: Bool, at center: (x: Double, y: Double), inside plot: Box, avoiding placed: [Box]) -> Spot? {
        let w = textWidth(label, bold: bold), h = 16.0
        var candidates: [(dx: Double, dy: Double, start: Bool)] = [(9, -8, true), (9, 16, true), (-9, -8, false), (-9, 16, false)]
        for ring in 1...4 {
            let r = Double(ring) * 22
            for (dx, dy) in [(r, -r), (r, r + 8), (-r, -r), (-r, r + 8), (0, -r - 4), (0, r + 16), (r + 12, 4), (-r - 12, 4)] {
                candidates.append((dx, dy, dx >= 0))
            }
        }
        for (n, c) in candidates.enumerated() {
            let baseline = center.y + c.dy
            let x0 = c.start ? center.x + c.dx : center.x + c.dx - w
            let box = Box(x0: x0, y0: baseline - 12, x1: x0 + w, y1: baseline - 12 + h)
            guard box.x0 >= plot.x0, box.x1 <= plot.x1, box.y0 >= plot.y0, box.y1 <= plot.y1,
                  !placed.contains(where: { $0.overlaps(box) }) else { continue }
            return Spot(box: box, textX: center.x + c.dx, textY: baseline, anchor: c.start ? "start" : "end", leader: n >= 4)
        }
        return nil
    }

    /// The legend under the title, wrapped onto more lines when it is wider than the chart; and
    /// its number of lines.
    private func legend(left: Double) -> (String, Int) {
        func f(_ v: Double) -> String { Format.fixed(v, 1) }
        let named = series.count > 1 || series.first.map { !$0.isEmpty } ?? false
        var items: [(mark: (Double, Double) -> String, text: String)] = series.enumerated().map { s, name in
            let fill = Self.palette[s % Self.palette.count]
            return ({ x, y in "<circle cx=\"\(f(x + 6))\" cy=\"\(f(y - 4))\" r=\"6\" fill=\"\(fill)\"/>" }, named ? seriesPrefix + name : "Pareto frontier")
        }
        if showsDominated {
            items.append(({ x, y in "<circle cx=\"\(f(x + 6))\" cy=\"\(f(y - 4))\" r=\"4\" fill=\"\(Self.dominatedFill)\"/>" }, "dominated plan"))
        }
        if !targets.isEmpty {
            items.append(({ x, y in "<line x1=\"\(f(x))\" y1=\"\(f(y - 4))\" x2=\"\(f(x + 14))\" y2=\"\(f(y - 4))\" stroke=\"#c53030\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>" }, "target"))
        }
        var out = "<g class=\"legend\" font-size=\"12\">"
        var (x, y, lines) = (left, 52.0, 1)
        for item in items {
            let itemWidth = 18 + Self.textWidth(item.text, bold: false)
            if x > left, x + itemWidth > width - 20 {
                (x, y, lines) = (left, y + 18, lines + 1)
            }
            out += item.mark(x, y) + "<text x=\"\(f(x + 18))\" y=\"\(f(y))\">\(HTML.escape(item.text))</text>"
            x += itemWidth + 14
        }
        return (out + "</g>\n", lines)
    }

    static func tickLabel(_ value: Double) -> String {
        let rounded = Rounding.to(value, 6)
        if rounded == rounded.rounded() { return Format.integer(Int(rounded)) }
        return CSV.number(rounded, decimals: 6)
    }
}
