/// A sweep drawn as a chart (`planner sweep --plot`, `--format html`): cost against the measure,
/// one colour per workload series, each series' frontier, and the latency targets as lines.
extension SweepResult {
    public func chart() -> SVGChart {
        let chartPoints = points.indices.compactMap { i -> SVGChart.Point? in
            let point = points[i]
            guard let cost = point.cost, let m = measure.value(point.plan) else { return nil }
            return SVGChart.Point(x: m, y: cost, label: SweepResult.gpuLabel(point.plan), highlighted: frontier.contains(i), series: series(of: i))
        }
        let metric = points.first?.plan.objective.metric == .tcoUSD ? "TCO (USD)" : "capex (USD)"
        return SVGChart(
            title: "\(points.first?.plan.specName ?? "sweep"): \(metric) vs \(measure.label), varying \(axes.map(\.key).joined(separator: ", "))",
            xLabel: measure.label, yLabel: metric, points: chartPoints, series: series.map(\.name), targets: targets)
    }

    /// The distinct latency targets of the plotted measure (one per value when an SLO axis varies).
    var targets: [SVGChart.Target] {
        var seen: Set<Double> = []
        var out: [SVGChart.Target] = []
        for point in points {
            guard let performance = point.plan.performance else { continue }
            let target: Double? = switch measure {
            case .tpot: performance.tpotTargetMs
            case .ttft: performance.ttftTargetMs
            case .throughput: nil
            }
            guard let target, seen.insert(target).inserted else { continue }
            let name = measure == .tpot ? "TPOT" : "TTFT"
            out.append(SVGChart.Target(x: target, label: "target \(Format.percentileLabel(performance.percentile)) \(name) ≤ \(format(target)) ms"))
        }
        return out.sorted { $0.x < $1.x }
    }
}
