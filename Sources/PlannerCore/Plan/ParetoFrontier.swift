/// The non-dominated points of a set, each point minimising two objectives.
public enum ParetoFrontier {
    /// Indices of the points no other point dominates (another point is ≤ in both coordinates and <
    /// in at least one), sorted by the first coordinate, then the second, then index. Duplicated
    /// points are all kept. Points with a non-finite coordinate are ignored.
    ///
    /// Complexity: O(n log n) — sort, then one sweep keeping the running minimum of the second
    /// coordinate.
    public static func indices(_ points: [(x: Double, y: Double)]) -> [Int] {
        let order = points.indices
            .filter { points[$0].x.isFinite && points[$0].y.isFinite }
            .sorted { (points[$0].x, points[$0].y, $0) < (points[$1].x, points[$1].y, $1) }
        var frontier: [Int] = []
        var bestY = Double.infinity
        var last: (x: Double, y: Double)?
        for i in order {
            let p = points[i]
            if let last, last.x == p.x, last.y == p.y {
                frontier.append(i)  // a duplicate of a frontier point
            } else if p.y < bestY {
                frontier.append(i)
                bestY = p.y
                last = p
            }
        }
        return frontier
    }
}
