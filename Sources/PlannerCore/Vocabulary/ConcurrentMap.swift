import Foundation

/// `map` over independent, pure work items on all cores, results in input order (so the outcome
/// never depends on scheduling).
public enum ConcurrentMap {
    /// Computes `transform(0..<count)`; `progress(done, count)` is called after each item, from
    /// whichever thread finished it.
    public static func map<Result: Sendable>(
        count: Int, progress: (@Sendable (Int, Int) -> Void)? = nil, _ transform: @Sendable (Int) -> Result
    ) -> [Result] {
        let results = ResultSlots<Result>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let done = results.set(index, transform(index))
            progress?(done, count)
        }
        return results.values()
    }

    public static func map<Element: Sendable, Result: Sendable>(_ items: [Element], _ transform: @Sendable (Element) -> Result) -> [Result] {
        map(count: items.count) { transform(items[$0]) }
    }

    /// Slots written by index from several threads, each exactly once, under a lock.
    private final class ResultSlots<Result>: @unchecked Sendable {
        private var slots: [Result?]
        private var done = 0
        private let lock = NSLock()

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        /// Stores result `index`; returns how many are done.
        func set(_ index: Int, _ value: Result) -> Int {
            lock.lock()
            defer { lock.unlock() }
            slots[index] = value
            done += 1
            return done
        }

        func values() -> [Result] { slots.map { $0! } }
    }
}
