/// Whether the solver minimises or maximises the objective.
public enum OptimizationSense: String, Sendable, Hashable {
    case minimize
    case maximize
}

/// The objective of a model: a sense and a linear expression (its constant is kept and reported).
public struct Objective: Sendable, Hashable {
    public var sense: OptimizationSense
    public var expression: LinearExpression

    public init(sense: OptimizationSense = .minimize, expression: LinearExpression = LinearExpression()) {
        self.sense = sense
        self.expression = expression
    }
}
