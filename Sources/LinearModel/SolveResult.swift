/// The outcome of a solve: why it stopped and, when there is a solution, its values.
public struct SolveResult: Sendable {
    public let termination: TerminationReason
    /// Variable values by variable index; empty when there is no solution.
    public let values: [Double]
    /// The objective at ``values`` (constant included); `nil` when there is no solution.
    private let objectiveValue: Double?
    /// Wall-clock seconds the solver took.
    public let solveSeconds: Double

    public init(termination: TerminationReason, values: [Double], objectiveValue: Double?, solveSeconds: Double) {
        self.termination = termination
        self.values = termination.hasSolution ? values : []
        self.objectiveValue = termination.hasSolution ? objectiveValue : nil
        self.solveSeconds = solveSeconds
    }

    /// The objective value. Throws when the solve found no solution.
    public var objective: Double {
        get throws(NoSolutionError) {
            guard let objectiveValue else { throw NoSolutionError(termination: termination) }
            return objectiveValue
        }
    }

    /// The value of `variable`. Throws when the solve found no solution.
    public func value(_ variable: Variable) throws(NoSolutionError) -> Double {
        guard termination.hasSolution, variable.index < values.count else {
            throw NoSolutionError(termination: termination)
        }
        return values[variable.index]
    }

    /// The value of `expression`. Throws when the solve found no solution.
    public func value(_ expression: LinearExpression) throws(NoSolutionError) -> Double {
        guard termination.hasSolution else { throw NoSolutionError(termination: termination) }
        return expression.evaluate(values)
    }

    /// Constraints of `model` whose activity sits on a finite bound (within `tolerance`, relative to
    /// the bound's magnitude): what limits the solution. Empty without a solution.
    public func bindingConstraints(in model: Model, tolerance: Double = 1e-6) -> [ConstraintReference] {
        guard termination.hasSolution else { return [] }
        return model.constraints.indices.compactMap { index in
            let constraint = model.constraints[index]
            let activity = constraint.activity(values)
            let bounds = [constraint.lowerBound, constraint.upperBound].compactMap { $0 }
            let binding = bounds.contains { abs(activity - $0) <= tolerance * max(1, abs($0)) }
            return binding ? ConstraintReference(index: index) : nil
        }
    }
}

/// Asked for a value of a result that has no solution.
public struct NoSolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public let termination: TerminationReason
    public var description: String { "the solve has no solution to read (\(termination))" }
}

/// Anything that solves a ``Model``.
public protocol Solver: Sendable {
    /// Validates and solves `model`. Throws ``ModelValidationError`` for an invalid model; every
    /// solver outcome, failures included, is a ``SolveResult``.
    func solve(_ model: Model, options: SolveOptions) throws(ModelValidationError) -> SolveResult
}
