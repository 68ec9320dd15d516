import Foundation

/// `map` over independent, pure work items on all cores, results in input order.
enum ConcurrentMap {
    static func map<Element: Sendable, Result: Sendable>(_ items: [Element], _ transform: @Sendable (Element) -> Result) -> [Result] {
        let results = ResultBox<Result>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            results.set(index, transform(items[index]))
        }
        return results.values()
    }

    /// Slots written by index from several threads, each exactly once, under a lock.
    private final class ResultBox<Result>: @unchecked Sendable {
        private var slots: [Result?]
        private let lock = NSLock()

        init(count: Int) { slots = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ value: Result) {
            lock.lock()
            slots[index] = value
            lock.unlock()
        }

        func values() -> [Result] { slots.map { $0! } }
    }
}
