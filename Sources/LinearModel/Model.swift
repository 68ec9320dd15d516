/// A mixed-integer linear program, independent of any solver.
///
/// Build it the way the problem reads (read data → add variables → add each family of constraints →
/// set the objective), then hand it to a solver. Names are required and must be unique: they are what
/// an exported LP file, a binding-constraint report and a test all refer to.
///
/// ```swift
/// var model = Model(name: "knapsack")
/// let x = (0..<3).map { model.addVariable("take[\($0)]", kind: .binary) }
/// model.addConstraint(3 * x[0] + 4 * x[1] + 2 * x[2] <= 6, name: "capacity")
/// model.maximize(10 * x[0] + 12 * x[1] + 7 * x[2])
/// ```
public struct Model: Sendable {
    public var name: String
    public private(set) var variables: [VariableDefinition] = []
    public private(set) var constraints: [ConstraintDefinition] = []
    public var objective = Objective()

    public init(name: String) { self.name = name }

    /// Adds a variable. Bounds default to `[0, ∞)`; pass `nil` for an unbounded side. A binary
    /// variable always has bounds [0, 1].
    @discardableResult
    public mutating func addVariable(
        _ name: String,
        kind: VariableKind = .continuous,
        lowerBound: Double? = 0,
        upperBound: Double? = nil
    ) -> Variable {
        let variable = Variable(index: variables.count)
        let isBinary = kind == .binary
        variables.append(VariableDefinition(
            name: name,
            kind: kind,
            lowerBound: isBinary ? 0 : lowerBound,
            upperBound: isBinary ? 1 : upperBound
        ))
        return variable
    }

    /// Adds a named constraint; the expression's constant moves to the bounds.
    @discardableResult
    public mutating func addConstraint(_ constraint: LinearConstraint, name: String) -> ConstraintReference {
        let constant = constraint.expression.constant
        let reference = ConstraintReference(index: constraints.count)
        constraints.append(ConstraintDefinition(
            name: name,
            terms: constraint.expression.sortedTerms,
            lowerBound: constraint.lowerBound.map { $0 - constant },
            upperBound: constraint.upperBound.map { $0 - constant }
        ))
        return reference
    }

    public mutating func minimize(_ expression: LinearExpression) {
        objective = Objective(sense: .minimize, expression: expression)
    }

    public mutating func maximize(_ expression: LinearExpression) {
        objective = Objective(sense: .maximize, expression: expression)
    }

    /// Changes the bounds of an existing variable (for pins and re-solves).
    public mutating func setBounds(of variable: Variable, lowerBound: Double?, upperBound: Double?) {
        variables[variable.index].lowerBound = lowerBound
        variables[variable.index].upperBound = upperBound
    }

    /// The LP relaxation: the same model with every variable continuous within its bounds (a binary
    /// keeps [0, 1]). Its optimum bounds the MIP's, and how far it sits from it is what
    /// branch-and-bound has to close (JuMP's `relax_integrality`).
    public func linearRelaxation() -> Model {
        var relaxed = self
        for i in relaxed.variables.indices { relaxed.variables[i].kind = .continuous }
        return relaxed
    }

    public func definition(of variable: Variable) -> VariableDefinition { variables[variable.index] }
    public func definition(of constraint: ConstraintReference) -> ConstraintDefinition { constraints[constraint.index] }

    /// The variable with this name, if any (linear search: for tests and tools, not hot paths).
    public func variable(named name: String) -> Variable? {
        variables.firstIndex { $0.name == name }.map(Variable.init(index:))
    }

    /// The constraint with this name, if any (linear search).
    public func constraint(named name: String) -> ConstraintReference? {
        constraints.firstIndex { $0.name == name }.map(ConstraintReference.init(index:))
    }

    /// True when some variable is integer or binary (the model is a MIP, not an LP).
    public var hasIntegerVariables: Bool { variables.contains { $0.kind != .continuous } }
}

/// A handle on a constraint of a ``Model``.
public struct ConstraintReference: Hashable, Sendable, Comparable {
    public let index: Int
    init(index: Int) { self.index = index }
    public static func < (lhs: ConstraintReference, rhs: ConstraintReference) -> Bool { lhs.index < rhs.index }
}

/// A stored constraint: `lowerBound ≤ Σ terms ≤ upperBound`, terms sorted by variable, no zeros.
public struct ConstraintDefinition: Sendable {
    public var name: String
    public var terms: [(variable: Variable, coefficient: Double)]
    public var lowerBound: Double?
    public var upperBound: Double?

    public var sense: ConstraintSense {
        switch (lowerBound, upperBound) {
        case (nil, nil): .free
        case (nil, .some): .lessOrEqual
        case (.some, nil): .greaterOrEqual
        case let (.some(lower), .some(upper)): lower == upper ? .equal : .range
        }
    }

    /// Σ terms at `values` (indexed by variable index).
    public func activity(_ values: [Double]) -> Double {
        terms.reduce(0) { $0 + $1.coefficient * values[$1.variable.index] }
    }
}
