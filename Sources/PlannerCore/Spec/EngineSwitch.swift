/// An engine switch a spec fixes (`true` / `false`) or leaves to the planner (`auto`): `solve` then sizes
/// each replica both ways and keeps the one that carries more load (`engine: {expert_parallel: auto}`).
public enum EngineSwitch: Sendable, Hashable, CustomStringConvertible {
    case fixed(Bool)
    case auto

    /// The values `solve` tries: the fixed one, or `false` then `true`.
    public var values: [Bool] {
        switch self {
        case let .fixed(value): [value]
        case .auto: [false, true]
        }
    }

    /// The fixed value; `nil` for `auto`.
    public var fixedValue: Bool? {
        if case let .fixed(value) = self { value } else { nil }
    }

    /// As a spec writes it: `true`, `false` or `auto`.
    public var description: String {
        switch self {
        case let .fixed(value): value ? "true" : "false"
        case .auto: "auto"
        }
    }

    /// `true`, `false` or `auto`; `nil` for anything else.
    public init?(text: String) {
        switch text {
        case "true": self = .fixed(true)
        case "false": self = .fixed(false)
        case "auto": self = .auto
        default: return nil
        }
    }
}
