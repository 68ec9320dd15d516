/// Why a solve stopped. Only ``optimal`` and ``feasible(limit:relativeGap:)`` carry a solution.
public enum TerminationReason: Sendable, Hashable, CustomStringConvertible {
    /// Proven optimal (within the solver's default tolerances).
    case optimal
    /// A feasible solution, not proven optimal, because `limit` stopped the search. `relativeGap` is
    /// the last known (bound − incumbent) / |incumbent|, when the solver reported one.
    case feasible(limit: Limit, relativeGap: Double?)
    /// No solution satisfies the constraints.
    case infeasible
    /// The objective can improve without bound.
    case unbounded
    /// `limit` stopped the search before any feasible solution was found.
    case noSolutionFound(limit: Limit)
    /// The solver failed (numerical trouble, a rejected model); `detail` says how.
    case solverError(detail: String)

    /// Which limit stopped a search.
    public enum Limit: String, Sendable, Hashable {
        case time
        case relativeGap = "relative gap"
        case iterations
        case interrupted
    }

    /// Whether a primal solution is available.
    public var hasSolution: Bool {
        switch self {
        case .optimal, .feasible: true
        case .infeasible, .unbounded, .noSolutionFound, .solverError: false
        }
    }

    public var description: String {
        switch self {
        case .optimal: "optimal"
        case let .feasible(limit, gap):
            "feasible, stopped by the \(limit.rawValue) limit" + (gap.map { " (gap \(($0 * 10_000).rounded() / 100)%)" } ?? "")
        case .infeasible: "infeasible"
        case .unbounded: "unbounded"
        case let .noSolutionFound(limit): "no solution found within the \(limit.rawValue) limit"
        case let .solverError(detail): "solver error: \(detail)"
        }
    }
}
