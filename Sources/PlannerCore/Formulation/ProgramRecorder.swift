import Foundation
import LinearModel

/// Keeps every program the optimizer hands its solver for a plan (not the diagnosis's relaxed
/// re-solves), in solve order, for `--export-lp`: with the search split by GPU type, one program per
/// type that was solved. A reference type so that copies of an ``Optimizer`` share it; thread-safe.
public final class ProgramRecorder: @unchecked Sendable {
    /// One program as it was solved.
    public struct Program: Sendable {
        /// The GPU types the program covers, sorted (one with the split by type; every type otherwise).
        public let gpuIDs: [String]
        public let model: Model
    }

    private let lock = NSLock()
    private var recorded: [Program] = []

    public init() {}

    func record(_ model: Model, gpuIDs: [String]) {
        lock.withLock { recorded.append(Program(gpuIDs: gpuIDs, model: model)) }
    }

    /// The programs solved so far, in order.
    public var programs: [Program] { lock.withLock { recorded } }
}
