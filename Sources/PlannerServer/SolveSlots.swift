/// A counting semaphore for solver slots, first come first served, with a bounded queue: at most
/// `capacity` slots are held at once, and at most `maximumWaiting` callers wait for them.
actor SolveSlots {
    enum Failure: Error, Equatable { case queueFull }

    let capacity: Int
    let maximumWaiting: Int
    private var free: Int
    private var waiting: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(capacity: Int, maximumWaiting: Int) {
        self.capacity = max(1, capacity)
        self.maximumWaiting = maximumWaiting
        free = self.capacity
    }

    /// Runs `work` while holding `count` slots (capped at `capacity`); throws `queueFull` at once
    /// when too many callers are already waiting.
    func withSlots<T: Sendable>(_ count: Int, _ work: @Sendable () async -> T) async throws(Failure) -> T {
        let n = min(max(1, count), capacity)
        if waiting.isEmpty && free >= n {
            free -= n
        } else {
            guard waiting.count < maximumWaiting else { throw .queueFull }
            await withCheckedContinuation { waiting.append((n, $0)) }
        }
        let result = await work()
        release(n)
        return result
    }

    /// Slots held now, and callers waiting, for tests.
    var inUse: Int { capacity - free }
    var waitingCount: Int { waiting.count }

    private func release(_ n: Int) {
        free += n
        // FIFO: the head waits until it fits, so a sweep that needs every slot is not starved.
        while let head = waiting.first, head.count <= free {
            waiting.removeFirst()
            free -= head.count
            head.continuation.resume()
        }
    }
}
