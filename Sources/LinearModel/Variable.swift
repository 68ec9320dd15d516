/// A decision variable of a ``Model``: a handle, cheap to copy, meaningful only in the model that
/// created it.
public struct Variable: Hashable, Sendable, Comparable {
    /// Position of the variable in ``Model/variables``.
    public let index: Int

    init(index: Int) { self.index = index }

    public static func < (lhs: Variable, rhs: Variable) -> Bool { lhs.index < rhs.index }
}

/// The domain of a variable.
public enum VariableKind: String, Sendable, Hashable, CaseIterable {
    case continuous
    case integer
    /// An integer variable with bounds [0, 1].
    case binary
}

/// Everything the model knows about one variable.
public struct VariableDefinition: Sendable, Hashable {
    public var name: String
    public var kind: VariableKind
    /// `nil` means unbounded below.
    public var lowerBound: Double?
    /// `nil` means unbounded above.
    public var upperBound: Double?
}
