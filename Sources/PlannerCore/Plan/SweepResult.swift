/// A grid of spec variations and the plan for each (`planner sweep`), with the Pareto frontier of
/// cost against a performance measure.
public struct SweepResult: Sendable {
    /// One `--vary KEY=V1,V2,…`.
    public struct Axis: Sendable, Hashable {
        public var key: String
        public var values: [String]

        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    public struct Point: Sendable {
        /// The value of each axis at this point, in axis order.
        public var values: [String]
        public var plan: Plan

        public init(values: [String], plan: Plan) {
            self.values = values
            self.plan = plan
        }

        /// The plan's objective (capex or TCO); nil without a build.
        public var cost: Double? { plan.hasBuild ? plan.objective.value : nil }
    }

    /// What the frontier trades cost against.
    public enum Measure: String, Sendable, CaseIterable {
        /// Predicted TPOT, ms: lower is better.
        case tpot
        /// Predicted TTFT, ms: lower is better.
        case ttft
        /// Output tokens/s at rated load: higher is better.
        case throughput

        public var label: String {
            switch self {
            case .tpot: "predicted TPOT (ms)"
            case .ttft: "predicted TTFT (ms)"
            case .throughput: "output tokens/s"
            }
        }

        public func value(_ plan: Plan) -> Double? {
            guard plan.hasBuild, let p = plan.performance else { return nil }
            switch self {
            case .tpot: return p.tpotMs
            case .ttft: return p.ttftMs
            case .throughput: return p.outputTokensPerSecond
            }
        }

        var lowerIsBetter: Bool { self != .throughput }
    }

    /// The points that serve one workload: those sharing the values of every workload axis
    /// (``isWorkloadKey(_:)``). Plans for different workloads do not compete, so each series has
    /// its own frontier. Without a workload axis there is one series, named "".
    public struct Series: Sendable {
        /// `workload.concurrency=16, model=llama-3.1-8b`, or "" when no workload axis varies.
        public var name: String
        /// Indices into ``SweepResult/points``, in grid order.
        public var points: [Int]
        /// Indices into ``SweepResult/points`` of the series' non-dominated plans, by cost.
        public var frontier: [Int]
    }

    public var axes: [Axis]
    /// Grid order: the last axis varies fastest.
    public var points: [Point]
    public var measure: Measure
    /// One per workload, in the order the workloads first appear in the grid.
    public var series: [Series]
    /// Every series' frontier (cost ↓, measure ↓ or throughput ↑), series by series, each by cost.
    public var frontier: [Int]

    /// Axes that change what is served (the demand or the model) rather than how: `workload.*` and
    /// `model`. SLOs, budget, GPU, precision, engine and constraints are choices for one workload.
    public static func isWorkloadKey(_ key: String) -> Bool {
        key.hasPrefix("workload.") || key == "model"
    }

    public init(axes: [Axis], points: [Point], measure: Measure) {
        self.axes = axes
        self.points = points
        self.measure = measure
        // Compared at the precision the JSON prints (cents, 0.01 ms, 0.1 token/s), so a point that
        // looks dominated in the output is never on the frontier.
        let coordinates = points.map { point -> (x: Double, y: Double) in
            guard let cost = point.cost, let m = measure.value(point.plan) else { return (.nan, .nan) }
            let shown = Rounding.to(m, measure == .throughput ? 1 : 2)
            return (Rounding.to(cost, 2), measure.lowerIsBetter ? shown : -shown)
        }
        let workloadAxes = axes.indices.filter { Self.isWorkloadKey(axes[$0].key) }
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (i, point) in points.enumerated() {
            let name = workloadAxes.map { "\(axes[$0].key)=\(point.values[$0])" }.joined(separator: ", ")
            if members[name] == nil { order.append(name) }
            members[name, default: []].append(i)
        }
        series = order.map { name in
            let indices = members[name] ?? []
            return Series(name: name, points: indices, frontier: ParetoFrontier.indices(indices.map { coordinates[$0] }).map { indices[$0] })
        }
        frontier = series.flatMap(\.frontier)
    }

    /// The series holding point `index`.
    public func series(of index: Int) -> Int {
        series.firstIndex { $0.points.contains(index) } ?? 0
    }

    /// Every combination of the axes' values, the last axis fastest: [[a1, b1], [a1, b2], [a2, b1], …].
    public static func grid(_ axes: [Axis]) -> [[String]] {
        axes.reduce([[]]) { partial, axis in partial.flatMap { prefix in axis.values.map { prefix + [$0] } } }
    }

    /// `2 × rtx-4090-24gb` (deployments joined with `+`), or `-`.
    public static func gpuLabel(_ plan: Plan) -> String {
        plan.deployments.isEmpty ? "-" : plan.deployments.map { "\($0.gpus) × \($0.gpuID)" }.joined(separator: " + ")
    }
}
