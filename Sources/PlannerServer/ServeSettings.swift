import Foundation

/// How `planner serve` listens and the limits it puts on each request.
public struct ServeSettings: Sendable, Equatable {
    /// The address to bind; loopback unless the user names another with `--host`.
    public var host: String
    /// The TCP port; 0 picks a free one.
    public var port: Int
    /// Requests with a larger body are refused with 413 before anything is parsed.
    public var maximumBodyBytes: Int
    /// The solver's time limit for one request (a solve, or every point of a sweep together).
    public var timeLimitSeconds: Double
    /// Solves that may run at once; a sweep takes them all while it runs.
    public var maximumConcurrentSolves: Int
    /// Requests that may wait for a solver slot; beyond that the server answers 503.
    public var maximumWaitingRequests: Int
    /// The largest sweep grid a request may ask for.
    public var maximumSweepPoints: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maximumBodyBytes: Int = 256 * 1024, timeLimitSeconds: Double = 10,
        maximumConcurrentSolves: Int = ProcessInfo.processInfo.activeProcessorCount, maximumWaitingRequests: Int = 256,
        maximumSweepPoints: Int = 200
    ) {
        self.host = host
        self.port = port
        self.maximumBodyBytes = maximumBodyBytes
        self.timeLimitSeconds = timeLimitSeconds
        self.maximumConcurrentSolves = max(1, maximumConcurrentSolves)
        self.maximumWaitingRequests = maximumWaitingRequests
        self.maximumSweepPoints = maximumSweepPoints
    }
}
