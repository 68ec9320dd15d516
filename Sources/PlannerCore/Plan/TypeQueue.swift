/// The GPU types still to examine in the split by GPU type, cheapest lower bound first: ordered
/// by objective bound, then exact bounds before cheap ones, then GPU id, so the search visits
/// them in the same order on every run. `Exact` is what an exact bound was computed from.
struct TypeQueue<Exact> {
    struct Entry {
        var bound: TypeBound.Bound
        /// Set once the type's exact bound is known.
        var exact: Exact?
    }

    private(set) var entries: [Entry]

    init(_ entries: [Entry]) {
        self.entries = entries.sorted(by: Self.precedes)
    }

    var first: Entry? { entries.first }

    mutating func removeFirst() { entries.removeFirst() }

    /// Inserts `entry` after every entry that precedes it (binary search).
    mutating func insert(_ entry: Entry) {
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if Self.precedes(entries[mid], entry) { low = mid + 1 } else { high = mid }
        }
        entries.insert(entry, at: low)
    }

    static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        (a.bound.objective, a.exact == nil ? 1 : 0, a.bound.gpu.id) < (b.bound.objective, b.exact == nil ? 1 : 0, b.bound.gpu.id)
    }
}
