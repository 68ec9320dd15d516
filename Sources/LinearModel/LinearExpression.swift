/// Σ coefficient · variable + constant.
///
/// Build expressions with `+`, `-` and scalar `*`:
/// ```swift
/// let cost = 25_000 * gpus + 80_000 * servers + 500
/// ```
/// Terms on the same variable are merged; a term whose coefficient becomes zero is kept until the
/// model stores the expression, which drops it.
public struct LinearExpression: Sendable, Hashable {
    /// Coefficient by variable index.
    public private(set) var coefficients: [Int: Double]
    public var constant: Double

    public init(constant: Double = 0) {
        self.coefficients = [:]
        self.constant = constant
    }

    public init(_ variable: Variable) {
        self.coefficients = [variable.index: 1]
        self.constant = 0
    }

    /// Σ_i terms[i].coefficient · terms[i].variable
    public init<S: Sequence>(terms: S, constant: Double = 0) where S.Element == (Double, Variable) {
        self.coefficients = [:]
        self.constant = constant
        for (coefficient, variable) in terms { add(coefficient, variable) }
    }

    /// Adds `coefficient · variable` in place.
    public mutating func add(_ coefficient: Double, _ variable: Variable) {
        coefficients[variable.index, default: 0] += coefficient
    }

    /// Adds `factor · other` in place.
    public mutating func add(_ other: LinearExpression, times factor: Double = 1) {
        for (index, coefficient) in other.coefficients {
            coefficients[index, default: 0] += factor * coefficient
        }
        if other.constant != 0 { constant += factor * other.constant }
    }

    /// The coefficient of `variable` (0 when absent).
    public func coefficient(of variable: Variable) -> Double { coefficients[variable.index] ?? 0 }

    /// Terms sorted by variable index, zero coefficients dropped: the deterministic form a solver sees.
    public var sortedTerms: [(variable: Variable, coefficient: Double)] {
        coefficients.filter { $0.value != 0 }.sorted { $0.key < $1.key }
            .map { (Variable(index: $0.key), $0.value) }
    }

    /// The value of the expression at `values` (indexed by variable index).
    public func evaluate(_ values: [Double]) -> Double {
        var total = constant
        for (index, coefficient) in coefficients where index < values.count {
            total += coefficient * values[index]
        }
        return total
    }

    /// Σ of the given expressions.
    public static func sum<S: Sequence>(_ expressions: S) -> LinearExpression where S.Element == LinearExpression {
        var result = LinearExpression()
        for expression in expressions { result.add(expression) }
        return result
    }

    /// Σ of the given variables.
    public static func sum<S: Sequence>(_ variables: S) -> LinearExpression where S.Element == Variable {
        var result = LinearExpression()
        for variable in variables { result.add(1, variable) }
        return result
    }
}

// MARK: - Arithmetic

public func + (lhs: LinearExpression, rhs: LinearExpression) -> LinearExpression {
    var result = lhs
    result.add(rhs)
    return result
}

public func - (lhs: LinearExpression, rhs: LinearExpression) -> LinearExpression {
    var result = lhs
    result.add(rhs, times: -1)
    return result
}

public prefix func - (expression: LinearExpression) -> LinearExpression {
    var result = LinearExpression()
    result.add(expression, times: -1)
    return result
}

public func * (lhs: Double, rhs: LinearExpression) -> LinearExpression {
    var result = LinearExpression()
    result.add(rhs, times: lhs)
    return result
}

public func * (lhs: LinearExpression, rhs: Double) -> LinearExpression { rhs * lhs }

public func + (lhs: LinearExpression, rhs: Double) -> LinearExpression { lhs + LinearExpression(constant: rhs) }
public func - (lhs: LinearExpression, rhs: Double) -> LinearExpression { lhs - LinearExpression(constant: rhs) }
public func + (lhs: Double, rhs: LinearExpression) -> LinearExpression { LinearExpression(constant: lhs) + rhs }
public func - (lhs: Double, rhs: LinearExpression) -> LinearExpression { LinearExpression(constant: lhs) - rhs }

public func + (lhs: Variable, rhs: Variable) -> LinearExpression { LinearExpression(lhs) + LinearExpression(rhs) }
public func - (lhs: Variable, rhs: Variable) -> LinearExpression { LinearExpression(lhs) - LinearExpression(rhs) }
public func + (lhs: LinearExpression, rhs: Variable) -> LinearExpression { lhs + LinearExpression(rhs) }
public func - (lhs: LinearExpression, rhs: Variable) -> LinearExpression { lhs - LinearExpression(rhs) }
public func + (lhs: Variable, rhs: LinearExpression) -> LinearExpression { LinearExpression(lhs) + rhs }
public func - (lhs: Variable, rhs: LinearExpression) -> LinearExpression { LinearExpression(lhs) - rhs }
public func + (lhs: Variable, rhs: Double) -> LinearExpression { LinearExpression(lhs) + rhs }
public func - (lhs: Variable, rhs: Double) -> LinearExpression { LinearExpression(lhs) - rhs }
public func * (lhs: Double, rhs: Variable) -> LinearExpression { lhs * LinearExpression(rhs) }
public func * (lhs: Variable, rhs: Double) -> LinearExpression { rhs * LinearExpression(lhs) }
public prefix func - (variable: Variable) -> LinearExpression { -LinearExpression(variable) }
