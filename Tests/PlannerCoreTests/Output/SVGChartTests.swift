import Foundation
import PlannerTestSupport
import XCTest
@testable import PlannerCore

/// The chart's rules, checked on what it writes: label boxes (at the widths the chart assumes) never
/// overlap each other or a dot and stay in the plot; the cost axis starts at $0; targets are lines.
/// `ChromiumChecksTests` checks the same with the boxes a browser measures.
final class SVGChartTests: XCTestCase {
    struct Label { var box: SVGChart.Box; var text: String }

    /// Every `<text class="label">` with the box the chart reserved for it.
    static func labels(in svg: String) -> [Label] {
        svg.components(separatedBy: "\n").compactMap { line -> Label? in
            guard line.hasPrefix("<text class=\"label"), let x = attribute("x", line), let y = attribute("y", line),
                  let anchor = attributeText("text-anchor", line), let open = line.firstIndex(of: ">"),
                  let close = line.range(of: "</text>", options: .backwards) else { return nil }
            let text = String(line[line.index(after: open)..<close.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
            let w = SVGChart.textWidth(text, bold: line.contains("font-weight=\"600\""))
            let x0 = anchor == "end" ? x - w : x
            return Label(box: SVGChart.Box(x0: x0, y0: y - 12, x1: x0 + w, y1: y + 4), text: text)
        }
    }

    static func attributeText(_ name: String, _ line: String) -> String? {
        guard let start = line.range(of: " \(name)=\"") else { return nil }
        return String(line[start.upperBound...].prefix { $0 != "\"" })
    }

    static func attribute(_ name: String, _ line: String) -> Double? { attributeText(name, line).flatMap(Double.init) }

    func testDenseLabelsNeverOverlapAndStayInThePlot() {
        var random = SplitMix64(seed: 16)
        for round in 0..<30 {
            let count = Int.random(in: 5...60, using: &random)
            let points = (0..<count).map { i in
                SVGChart.Point(x: Double.random(in: 5...40, using: &random), y: Double.random(in: 10_000...200_000, using: &random),
                               label: "\(Int.random(in: 1...20, using: &random)) × " + String(repeating: "gpu-", count: Int.random(in: 1...5, using: &random)) + "\(i)",
                               highlighted: Bool.random(using: &random), series: Int.random(in: 0...2, using: &random))
            }
            let chart = SVGChart(title: "t", xLabel: "x", yLabel: "y", points: points, series: ["a", "b", "c"],
                                 targets: [SVGChart.Target(x: 20, label: "target P99 TPOT ≤ 20 ms")])
            let svg = chart.render()
            let labels = Self.labels(in: svg)
            XCTAssertFalse(labels.isEmpty)
            for i in labels.indices {
                XCTAssertGreaterThanOrEqual(labels[i].box.x0, 110, "round \(round): \(labels[i].text) left of the plot")
                XCTAssertLessThanOrEqual(labels[i].box.x1, chart.width - 40, "round \(round): \(labels[i].text) right of the plot")
                for j in labels.indices where j > i {
                    XCTAssertFalse(labels[i].box.overlaps(labels[j].box), "round \(round): '\(labels[i].text)' overlaps '\(labels[j].text)'")
                }
            }
        }
    }

    func testCostAxisStartsAtZeroAndTargetsAreLines() {
        let points = [SVGChart.Point(x: 10, y: 90_000, label: "a", highlighted: true), SVGChart.Point(x: 20, y: 100_000, label: "b", highlighted: false)]
        let svg = SVGChart(title: "t", xLabel: "x", yLabel: "y", points: points, targets: [SVGChart.Target(x: 15, label: "target")]).render()
        XCTAssertTrue(svg.contains(">$0</text>"), "a y range of $90k–$100k still starts at $0")
        XCTAssertEqual(svg.components(separatedBy: "<line class=\"target\"").count, 2)
        // The target at x = 15 sits halfway between the ticks 10 and 20: x = 110 + (15 − 10)/(20 − 10) · 750.
        XCTAssertTrue(svg.contains("<line class=\"target\" x1=\"485.0\""), svg)
    }
}
