/// One thing wrong with a model, found before any solver sees it.
public enum ModelIssue: Sendable, Hashable, CustomStringConvertible {
    case emptyVariableName(index: Int)
    case emptyConstraintName(index: Int)
    case duplicateVariableName(String)
    case duplicateConstraintName(String)
    /// A name a solver or an LP file cannot carry (too long, spaces or control characters).
    case unusableName(String, reason: String)
    case nonFiniteBound(variable: String, bound: Double)
    case invertedBounds(variable: String, lowerBound: Double, upperBound: Double)
    case fractionalIntegerBound(variable: String, bound: Double)
    case nonFiniteCoefficient(constraint: String, variable: String, coefficient: Double)
    case nonFiniteConstraintBound(constraint: String, bound: Double)
    case invertedConstraintBounds(constraint: String, lowerBound: Double, upperBound: Double)
    case nonFiniteObjectiveCoefficient(variable: String, coefficient: Double)
    case nonFiniteObjectiveConstant(Double)
    /// A term refers to a variable this model does not have (it came from another model).
    case foreignVariable(owner: String, index: Int)

    public var description: String {
        switch self {
        case let .emptyVariableName(index): "variable #\(index) has an empty name"
        case let .emptyConstraintName(index): "constraint #\(index) has an empty name"
        case let .duplicateVariableName(name): "variable name '\(name)' is used more than once"
        case let .duplicateConstraintName(name): "constraint name '\(name)' is used more than once"
        case let .unusableName(name, reason): "name '\(name.prefix(80))' cannot be used: \(reason)"
        case let .nonFiniteBound(variable, bound): "variable '\(variable)' has a non-finite bound \(bound)"
        case let .invertedBounds(variable, lower, upper):
            "variable '\(variable)' has lower bound \(lower) above its upper bound \(upper)"
        case let .fractionalIntegerBound(variable, bound):
            "integer variable '\(variable)' has a fractional bound \(bound)"
        case let .nonFiniteCoefficient(constraint, variable, coefficient):
            "constraint '\(constraint)' has a non-finite coefficient \(coefficient) on '\(variable)'"
        case let .nonFiniteConstraintBound(constraint, bound):
            "constraint '\(constraint)' has a non-finite bound \(bound)"
        case let .invertedConstraintBounds(constraint, lower, upper):
            "constraint '\(constraint)' has lower bound \(lower) above its upper bound \(upper)"
        case let .nonFiniteObjectiveCoefficient(variable, coefficient):
            "the objective has a non-finite coefficient \(coefficient) on '\(variable)'"
        case let .nonFiniteObjectiveConstant(constant): "the objective has a non-finite constant \(constant)"
        case let .foreignVariable(owner, index): "'\(owner)' refers to variable #\(index), which this model does not have"
        }
    }
}

/// Thrown by ``Model/validate()`` with every issue found, in model order.
public struct ModelValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let modelName: String
    public let issues: [ModelIssue]

    public var description: String {
        "model '\(modelName)' is invalid (\(issues.count) issue\(issues.count == 1 ? "" : "s")): "
            + issues.map(\.description).joined(separator: "; ")
    }
}

extension Model {
    /// Longest name accepted: GLPK's limit for row and column names.
    public static let maximumNameLength = 255

    /// Every problem that would make a solver reject or abort on this model: empty, duplicate or
    /// unusable names, NaN or infinite coefficients and bounds, inverted bounds, fractional bounds on
    /// integer variables. Empty when the model is valid.
    public func issues() -> [ModelIssue] {
        var issues: [ModelIssue] = []
        var seenVariables = Set<String>()
        for (index, variable) in variables.enumerated() {
            if variable.name.isEmpty {
                issues.append(.emptyVariableName(index: index))
            } else if !seenVariables.insert(variable.name).inserted {
                issues.append(.duplicateVariableName(variable.name))
            } else if let reason = Self.unusableNameReason(variable.name) {
                issues.append(.unusableName(variable.name, reason: reason))
            }
            for bound in [variable.lowerBound, variable.upperBound].compactMap({ $0 }) {
                if !bound.isFinite {
                    issues.append(.nonFiniteBound(variable: variable.name, bound: bound))
                } else if variable.kind != .continuous, bound.rounded() != bound {
                    issues.append(.fractionalIntegerBound(variable: variable.name, bound: bound))
                }
            }
            if let lower = variable.lowerBound, let upper = variable.upperBound,
               lower.isFinite, upper.isFinite, lower > upper {
                issues.append(.invertedBounds(variable: variable.name, lowerBound: lower, upperBound: upper))
            }
        }
        var seenConstraints = Set<String>()
        for (index, constraint) in constraints.enumerated() {
            if constraint.name.isEmpty {
                issues.append(.emptyConstraintName(index: index))
            } else if !seenConstraints.insert(constraint.name).inserted {
                issues.append(.duplicateConstraintName(constraint.name))
            } else if let reason = Self.unusableNameReason(constraint.name) {
                issues.append(.unusableName(constraint.name, reason: reason))
            }
            for term in constraint.terms where term.variable.index >= variables.count {
                issues.append(.foreignVariable(owner: constraint.name, index: term.variable.index))
            }
            for term in constraint.terms where !term.coefficient.isFinite {
                issues.append(.nonFiniteCoefficient(
                    constraint: constraint.name,
                    variable: variableName(term.variable),
                    coefficient: term.coefficient
                ))
            }
            for bound in [constraint.lowerBound, constraint.upperBound].compactMap({ $0 }) where !bound.isFinite {
                issues.append(.nonFiniteConstraintBound(constraint: constraint.name, bound: bound))
            }
            if let lower = constraint.lowerBound, let upper = constraint.upperBound,
               lower.isFinite, upper.isFinite, lower > upper {
                issues.append(.invertedConstraintBounds(constraint: constraint.name, lowerBound: lower, upperBound: upper))
            }
        }
        for (variable, _) in objective.expression.sortedTerms where variable.index >= variables.count {
            issues.append(.foreignVariable(owner: "objective", index: variable.index))
        }
        for (variable, coefficient) in objective.expression.sortedTerms where !coefficient.isFinite {
            issues.append(.nonFiniteObjectiveCoefficient(variable: variableName(variable), coefficient: coefficient))
        }
        if !objective.expression.constant.isFinite {
            issues.append(.nonFiniteObjectiveConstant(objective.expression.constant))
        }
        return issues
    }

    /// Throws ``ModelValidationError`` listing every issue when the model is not valid.
    public func validate() throws(ModelValidationError) {
        let found = issues()
        if !found.isEmpty { throw ModelValidationError(modelName: name, issues: found) }
    }

    private func variableName(_ variable: Variable) -> String {
        variable.index < variables.count ? variables[variable.index].name : "#\(variable.index)"
    }

    private static func unusableNameReason(_ name: String) -> String? {
        if name.utf8.count > maximumNameLength { return "longer than \(maximumNameLength) bytes" }
        if name.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F }) {
            return "only printable ASCII without spaces is allowed"
        }
        return nil
    }
}
