/// `lowerBound ≤ expression ≤ upperBound`, either bound optional. Build one with `<=`, `>=`, `==`
/// or ``LinearConstraint/init(_:in:)``, then add it to a model with a name.
///
/// The expression's constant is moved to the bounds when the model stores the constraint.
public struct LinearConstraint: Sendable, Hashable {
    public var expression: LinearExpression
    public var lowerBound: Double?
    public var upperBound: Double?

    public init(_ expression: LinearExpression, lowerBound: Double?, upperBound: Double?) {
        self.expression = expression
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// `range.lowerBound ≤ expression ≤ range.upperBound`
    public init(_ expression: LinearExpression, in range: ClosedRange<Double>) {
        self.init(expression, lowerBound: range.lowerBound, upperBound: range.upperBound)
    }
}

/// The relation a constraint states, as a solver and an LP file see it.
public enum ConstraintSense: String, Sendable, Hashable {
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case equal = "="
    case range
    case free
}

public func <= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
    LinearConstraint(lhs - rhs, lowerBound: nil, upperBound: 0)
}

public func >= (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
    LinearConstraint(lhs - rhs, lowerBound: 0, upperBound: nil)
}

public func == (lhs: LinearExpression, rhs: LinearExpression) -> LinearConstraint {
    LinearConstraint(lhs - rhs, lowerBound: 0, upperBound: 0)
}

public func <= (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
    LinearConstraint(lhs, lowerBound: nil, upperBound: rhs)
}

public func >= (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
    LinearConstraint(lhs, lowerBound: rhs, upperBound: nil)
}

public func == (lhs: LinearExpression, rhs: Double) -> LinearConstraint {
    LinearConstraint(lhs, lowerBound: rhs, upperBound: rhs)
}

public func <= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) <= rhs }
public func >= (lhs: Variable, rhs: Double) -> LinearConstraint { LinearExpression(lhs) >= rhs }
public func <= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearExpression(lhs) <= rhs }
public func >= (lhs: Variable, rhs: LinearExpression) -> LinearConstraint { LinearExpression(lhs) >= rhs }
public func <= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs <= LinearExpression(rhs) }
public func >= (lhs: LinearExpression, rhs: Variable) -> LinearConstraint { lhs >= LinearExpression(rhs) }
