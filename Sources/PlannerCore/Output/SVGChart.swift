import Foundation

/// A self-contained SVG scatter chart: labelled axes with round ticks, one dot per point with its
/// label, and the frontier drawn as a line through its points. Used for `planner sweep --plot`.
public struct SVGChart: Sendable {
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public var label: String
        public var highlighted: Bool

        public init(x: Double, y: Double, label: String, highlighted: Bool) {
            self.x = x
            self.y = y
            self.label = label
            self.highlighted = highlighted
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var points: [Point]
    /// Formats y tick values (dollars by default).
    public var yFormat: @Sendable (Double) -> String = { Format.usd($0) }
    public var width = 900.0
    public var height = 560.0

    public init(title: String, xLabel: String, yLabel: String, points: [Point]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.points = points
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

    public func render() -> String {
        let left = 110.0, right = 40.0, top = 70.0, bottom = 70.0
        let plotW = width - left - right, plotH = height - top - bottom
        var svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif\" font-size=\"12\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        svg += "<text x=\"\(Int(width / 2))\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"600\">\(HTML.escape(title))</text>\n"
        guard !points.isEmpty else {
            svg += "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" fill=\"#666\">no feasible plan to plot</text>\n</svg>\n"
            return svg
        }
        let xTicks = Self.ticks(points.map(\.x).min()!, points.map(\.x).max()!)
        let yTicks = Self.ticks(points.map(\.y).min()!, points.map(\.y).max()!)
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

        let frontier = points.filter(\.highlighted).sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        if frontier.count > 1 {
            svg += "<polyline fill=\"none\" stroke=\"#2f6fde\" stroke-width=\"2\" points=\"" + frontier.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ") + "\"/>\n"
        }
        // Dots first (dominated under frontier), then labels: frontier labels placed first, each at the
        // first of four spots around its dot that overlaps no placed label; a dominated point's label
        // is dropped when all four overlap (its tooltip still names it).
        for point in points.sorted(by: { !$0.highlighted && $1.highlighted }) {
            svg += "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"\(point.highlighted ? 6 : 4)\" fill=\"\(point.highlighted ? "#2f6fde" : "#9aa3b2")\"><title>\(HTML.escape(point.label))</title></circle>\n"
        }
        var placed: [(x0: Double, y0: Double, x1: Double, y1: Double)] = []
        var labelled: Set<String> = []
        for point in points.sorted(by: { $0.highlighted && !$1.highlighted }) {
            let (cx, cy) = (px(point.x), py(point.y))
            // Identical points (the same plan at several settings) get one label.
            guard labelled.insert("\(f(cx)),\(f(cy)),\(point.label)").inserted else { continue }
            let w = Double(point.label.count) * 7 + 4, h = 15.0
            let spots: [(dx: Double, dy: Double, anchor: String)] = [(9, -8, "start"), (9, 16, "start"), (-9, -8, "end"), (-9, 16, "end")]
            let boxes = spots.map { spot -> (box: (x0: Double, y0: Double, x1: Double, y1: Double), spot: (dx: Double, dy: Double, anchor: String)) in
                let x0 = spot.anchor == "start" ? cx + spot.dx : cx + spot.dx - w
                return ((x0, cy + spot.dy - 12, x0 + w, cy + spot.dy - 12 + h), spot)
            }
            let fits = boxes.first { candidate in
                candidate.box.x0 >= left && candidate.box.x1 <= width - 4
                    && !placed.contains { $0.x0 < candidate.box.x1 && candidate.box.x0 < $0.x1 && $0.y0 < candidate.box.y1 && candidate.box.y0 < $0.y1 }
            }
            guard let choice = fits ?? (point.highlighted ? boxes[cx > left + plotW * 0.7 ? 2 : 0] : nil) else { continue }
            placed.append(choice.box)
            svg += "<text x=\"\(f(cx + choice.spot.dx))\" y=\"\(f(cy + choice.spot.dy))\" text-anchor=\"\(choice.spot.anchor)\" fill=\"\(point.highlighted ? "#1d2330" : "#6b7280")\"\(point.highlighted ? " font-weight=\"600\"" : "")>\(HTML.escape(point.label))</text>\n"
        }
        svg += "<g font-size=\"12\"><circle cx=\"\(f(left + 12))\" cy=\"\(f(top - 20))\" r=\"6\" fill=\"#2f6fde\"/><text x=\"\(f(left + 22))\" y=\"\(f(top - 16))\">Pareto frontier</text>"
        svg += "<circle cx=\"\(f(left + 140))\" cy=\"\(f(top - 20))\" r=\"4\" fill=\"#9aa3b2\"/><text x=\"\(f(left + 150))\" y=\"\(f(top - 16))\">dominated plan</text></g>\n"
        return svg + "</svg>\n"
    }

    static func tickLabel(_ value: Double) -> String {
        let rounded = Rounding.to(value, 6)
        if rounded == rounded.rounded() { return Format.integer(Int(rounded)) }
        return CSV.number(rounded, decimals: 6)
    }
}
