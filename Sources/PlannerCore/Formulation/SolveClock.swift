import Dispatch
import LinearModel

/// One command's time limit, shared by every solve it runs (the trial, the final solve, the
/// infeasibility re-solves): each gets only the time left.
public struct SolveClock: Sendable {
    public let options: SolveOptions
    private let startNanoseconds: UInt64

    public init(_ options: SolveOptions) {
        self.options = options
        self.startNanoseconds = DispatchTime.now().uptimeNanoseconds
    }

    public var elapsedSeconds: Double { Double(DispatchTime.now().uptimeNanoseconds - startNanoseconds) / 1e9 }

    /// Whether the limit has passed (never, without a limit).
    public var isExhausted: Bool { options.timeLimitSeconds.map { elapsedSeconds >= $0 } ?? false }

    /// The options for the next solve: the same, with the time left as its limit (at least 1 ms).
    public var remaining: SolveOptions {
        var next = options
        if let limit = options.timeLimitSeconds { next.timeLimitSeconds = max(limit - elapsedSeconds, 0.001) }
        return next
    }
}
