/// Limits and switches for one solve.
public struct SolveOptions: Sendable, Hashable {
    /// Wall-clock limit in seconds; `nil` for none. Planner code always sets one.
    public var timeLimitSeconds: Double?
    /// Stop when (best bound − incumbent) / |incumbent| falls below this; `nil` for the solver default.
    public var relativeMIPGap: Double?
    /// Let the solver write its log (to standard error).
    public var verbose: Bool

    public init(timeLimitSeconds: Double? = 30, relativeMIPGap: Double? = nil, verbose: Bool = false) {
        self.timeLimitSeconds = timeLimitSeconds
        self.relativeMIPGap = relativeMIPGap
        self.verbose = verbose
    }
}
