/// Formats a ``Plan`` for one output format. One renderer per format, all over the same value.
public protocol PlanRenderer: Sendable {
    /// The `--format` value that selects this renderer.
    static var identifier: String { get }
    func render(_ plan: Plan) -> String
}

/// Rounds for printing: fixed decimals, so every run prints the same digits.
enum Rounding {
    static func to(_ value: Double, _ decimals: Int) -> Double {
        guard value.isFinite else { return 0 }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
