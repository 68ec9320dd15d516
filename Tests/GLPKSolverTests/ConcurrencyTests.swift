import GLPKSolver
import LinearModel
import XCTest

/// GLPK keeps global state; the solver serialises it. Many solves from many tasks must all be right.
final class ConcurrencyTests: XCTestCase {
    /// 240 knapsacks over 8 tasks, each checked against enumeration of all subsets.
    func testManySolvesFromSeveralTasks() async throws {
        let instances = (0..<240).map(Self.instance)
        let results = await withTaskGroup(of: [(Int, Double?)].self) { group in
            for task in 0..<8 {
                group.addTask {
                    stride(from: task, to: instances.count, by: 8).map { index in
                        let (model, _) = instances[index]
                        let result = try? GLPKSolver().solve(model, options: SolveOptions(timeLimitSeconds: 10))
                        return (index, try? result?.objective)
                    }
                }
            }
            var all: [Int: Double?] = [:]
            for await batch in group { for (index, value) in batch { all[index] = value } }
            return all
        }
        XCTAssertEqual(results.count, instances.count)
        for (index, instance) in instances.enumerated() {
            XCTAssertEqual(results[index] ?? nil, instance.1, "instance \(index)")
        }
    }

    /// A deterministic 8-item knapsack and its optimum by enumeration.
    static func instance(_ seed: Int) -> (Model, Double) {
        let values = (0..<8).map { Double((seed * 7 + $0 * 13) % 17 + 1) }
        let weights = (0..<8).map { Double((seed * 5 + $0 * 11) % 9 + 1) }
        let capacity = Double(seed % 15 + 5)
        var model = Model(name: "knapsack-\(seed)")
        let take = (0..<8).map { model.addVariable("take[\($0)]", kind: .binary) }
        model.addConstraint(LinearExpression(terms: zip(weights, take)) <= capacity, name: "capacity")
        model.maximize(LinearExpression(terms: zip(values, take)))
        let best = (0..<256).reduce(0.0) { best, mask in
            let items = (0..<8).filter { mask & (1 << $0) != 0 }
            let weight = items.reduce(0) { $0 + weights[$1] }
            return weight <= capacity ? max(best, items.reduce(0) { $0 + values[$1] }) : best
        }
        return (model, best)
    }
}
