/// Σ coefficient · variable + constant.
///
/// Build expressions with `+`, `-` and scalar `*`:
/// ```swift
/// let cost = 25_000 * gpus + 80_000 * servers + 500
/// ```
/// Terms on the same variable are merged; a term whose coefficient becomes zero is kept until the
/// model stores the expression, which drops it.
public struct LinearExpression: Sendable, Hashable {
    /// Terms in the order they were added; the same variable may appear more than once until
    /// ``sortedTerms`` merges them. Keeping insertion order (rather than a hash map) makes every
    /// sum the same, bit for bit, on every run.
    private var terms: [Term]
    public var constant: Double

    private struct Term: Sendable, Hashable {
        var index: Int
        var coefficient: Double
    }

    public init(constant: Double = 0) {
        self.terms = []
        self.constant = constant
    }

    public init(_ variable: Variable) {
        self.terms = [Term(index: variable.index, coefficient: 1)]
        self.constant = 0
    }

    /// Σ_i terms[i].coefficient · terms[i].variable
    public init<S: Sequence>(terms: S, constant: Double = 0) where S.Element == (Double, Variable) {
        self.terms = terms.map { Term(index: $0.1.index, coefficient: $0.0) }
        self.constant = constant
    }

    /// Adds `coefficient · variable` in place.
    public mutating func add(_ coefficient: Double, _ variable: Variable) {
        terms.append(Term(index: variable.index, coefficient: coefficient))
    }

    /// Adds `factor · other` in place.
    public mutating func add(_ other: LinearExpression, times factor: Double = 1) {
        if factor == 1 {
            terms.append(contentsOf: other.terms)
        } else {
            terms.append(contentsOf: other.terms.lazy.map { Term(index: $0.index, coefficient: factor * $0.coefficient) })
        }
        if other.constant != 0 { constant += factor * other.constant }
    }

    /// The coefficient of `variable` (0 when absent).
    public func coefficient(of variable: Variable) -> Double {
        terms.reduce(0) { $1.index == variable.index ? $0 + $1.coefficient : $0 }
    }

    /// Terms merged by variable and sorted by variable index, zero coefficients dropped: the
    /// deterministic form a solver sees. Equal variables are summed in the order they were added.
    public var sortedTerms: [(variable: Variable, coefficient: Double)] {
        let ordered = terms.enumerated().sorted { ($0.element.index, $0.offset) < ($1.element.index, $1.offset) }
        var merged: [(variable: Variable, coefficient: Double)] = []
        merged.reserveCapacity(ordered.count)
        for (_, term) in ordered {
            if let last = merged.last, last.variable.index == term.index {
                merged[merged.count - 1].coefficient += term.coefficient
            } else {
                merged.append((Variable(index: term.index), term.coefficient))
            }
        }
        return merged.filter { $0.coefficient != 0 }
    }

    /// The value of the expression at `values` (indexed by variable index), summed in term order.
    public func evaluate(_ values: [Double]) -> Double {
        var total = constant
        for term in terms where term.index < values.count {
            total += term.coefficient * values[term.index]
        }
        return total
    }

    public static func == (lhs: LinearExpression, rhs: LinearExpression) -> Bool {
        lhs.constant == rhs.constant && lhs.sortedTerms.elementsEqual(rhs.sortedTerms) { $0.variable == $1.variable && $0.coefficient == $1.coefficient }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(constant)
        for term in sortedTerms {
            hasher.combine(term.variable)
            hasher.combine(term.coefficient)
        }
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
