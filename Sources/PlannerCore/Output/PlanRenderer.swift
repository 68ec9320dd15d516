/// Formats a ``Plan`` for one output format. One renderer per format, all over the same value.
public protocol PlanRenderer: Sendable {
    /// The `--format` value that selects this renderer.
    static var identifier: String { get }
    func render(_ plan: Plan) -> String
}
