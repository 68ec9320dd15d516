import GLPKSolver
import LinearModel
import XCTest

/// Small MILPs whose optima were worked out by hand (and, for the knapsack, by enumeration below).
final class KnownOptimaTests: XCTestCase {
    let solver = GLPKSolver()

    /// Items (value, weight): (10,5) (13,6) (7,4) (8,3) (4,1), capacity 10.
    /// By hand: {2,4,5} weighs 6+3+1 = 10 and is worth 13+8+4 = 25; no subset within 10 is worth more.
    func testKnapsack() throws {
        let values: [Double] = [10, 13, 7, 8, 4]
        let weights: [Double] = [5, 6, 4, 3, 1]
        var model = Model(name: "knapsack")
        let take = values.indices.map { model.addVariable("take[\($0)]", kind: .binary) }
        model.addConstraint(LinearExpression(terms: zip(weights, take)) <= 10, name: "capacity")
        model.maximize(LinearExpression(terms: zip(values, take)))
        let result = try solver.solve(model, options: SolveOptions(timeLimitSeconds: 10))
        XCTAssertEqual(result.termination, .optimal)
        XCTAssertEqual(try result.objective, 25, accuracy: 1e-9)
        XCTAssertEqual(try take.map { try result.value($0) }, [0, 1, 0, 1, 1])
        XCTAssertEqual(bruteForceKnapsack(values: values, weights: weights, capacity: 10), 25)
    }

    /// Costs [[9,2,7],[6,4,3],[5,8,1]]: the six permutations cost 14, 20, 9, 10, 21, 16; the best
    /// (row 0→1, 1→0, 2→2) costs 2 + 6 + 1 = 9.
    func testAssignment() throws {
        let cost: [[Double]] = [[9, 2, 7], [6, 4, 3], [5, 8, 1]]
        var model = Model(name: "assignment")
        let x = (0..<3).map { i in (0..<3).map { j in model.addVariable("x[\(i),\(j)]", kind: .binary) } }
        for i in 0..<3 {
            model.addConstraint(LinearExpression.sum(x[i]) == 1, name: "row[\(i)]")
            model.addConstraint(LinearExpression.sum((0..<3).map { x[$0][i] }) == 1, name: "column[\(i)]")
        }
        model.minimize(LinearExpression.sum((0..<3).flatMap { i in (0..<3).map { j in cost[i][j] * x[i][j] } }))
        let result = try solver.solve(model)
        XCTAssertEqual(result.termination, .optimal)
        XCTAssertEqual(try result.objective, 9, accuracy: 1e-9)
        XCTAssertEqual(try result.value(x[0][1]), 1)
        XCTAssertEqual(try result.value(x[1][0]), 1)
        XCTAssertEqual(try result.value(x[2][2]), 1)
    }

    /// Universe {1…5}; sets A={1,2,3} $3, B={2,4} $2, C={3,4} $2, D={4,5} $2, E={1,5} $2.
    /// Two $2 sets cover at most 4 elements, so nothing costs 4; A + D covers all for 5.
    func testSetCover() throws {
        let sets: [(String, Set<Int>, Double)] = [
            ("A", [1, 2, 3], 3), ("B", [2, 4], 2), ("C", [3, 4], 2), ("D", [4, 5], 2), ("E", [1, 5], 2),
        ]
        var model = Model(name: "set-cover")
        let chosen = sets.map { model.addVariable("choose[\($0.0)]", kind: .binary) }
        for element in 1...5 {
            let covering = sets.indices.filter { sets[$0].1.contains(element) }.map { chosen[$0] }
            model.addConstraint(LinearExpression.sum(covering) >= 1, name: "cover[\(element)]")
        }
        model.minimize(LinearExpression(terms: zip(sets.map(\.2), chosen)))
        let result = try solver.solve(model)
        XCTAssertEqual(result.termination, .optimal)
        XCTAssertEqual(try result.objective, 5, accuracy: 1e-9)
        XCTAssertEqual(try chosen.map { try result.value($0) }, [1, 0, 0, 1, 0])
    }

    /// max x + y s.t. 2x + 2y ≤ 3: the LP relaxation reaches 1.5, the integer optimum is 1.
    func testRelaxationDiffersFromIntegerOptimum() throws {
        func model(_ kind: VariableKind) -> Model {
            var model = Model(name: "rounding")
            let x = model.addVariable("x", kind: kind)
            let y = model.addVariable("y", kind: kind)
            model.addConstraint(2 * x + 2 * y <= 3, name: "half")
            model.maximize(x + y)
            return model
        }
        XCTAssertEqual(try solver.solve(model(.continuous)).objective, 1.5, accuracy: 1e-9)
        XCTAssertEqual(try solver.solve(model(.integer)).objective, 1, accuracy: 1e-9)
    }

    /// x + y ≥ 5 with x, y ≤ 1 has no solution, as an LP and as a MIP.
    func testInfeasible() throws {
        for kind in [VariableKind.continuous, .integer] {
            var model = Model(name: "infeasible")
            let x = model.addVariable("x", kind: kind, upperBound: 1)
            let y = model.addVariable("y", kind: kind, upperBound: 1)
            model.addConstraint(x + y >= 5, name: "demand")
            model.minimize(x + y)
            let result = try solver.solve(model)
            XCTAssertEqual(result.termination, .infeasible, "\(kind)")
            XCTAssertThrowsError(try result.objective)
            XCTAssertThrowsError(try result.value(x))
        }
    }

    /// max x s.t. x − y ≤ 2, x, y ≥ 0: x grows without bound with y.
    func testUnbounded() throws {
        for kind in [VariableKind.continuous, .integer] {
            var model = Model(name: "unbounded")
            let x = model.addVariable("x", kind: kind)
            let y = model.addVariable("y", kind: kind)
            model.addConstraint(x - y <= 2, name: "gap")
            model.maximize(LinearExpression(x))
            XCTAssertEqual(try solver.solve(model).termination, .unbounded, "\(kind)")
        }
    }

    /// Jeroslow's problem: 2·Σx = n with n odd has no integer solution, but branch-and-bound needs
    /// exponentially many nodes to prove it. A 1 ms limit must report the limit, never "optimal".
    func testTimeLimitIsReported() throws {
        let n = 61
        var model = Model(name: "jeroslow")
        let x = (0..<n).map { model.addVariable("x[\($0)]", kind: .binary) }
        model.addConstraint(LinearExpression(terms: x.map { (2.0, $0) }) == Double(n), name: "odd")
        for i in stride(from: 0, to: n - 1, by: 2) {
            model.addConstraint(x[i] + x[i + 1] <= 1.5, name: "pair[\(i)]")
        }
        model.maximize(LinearExpression(terms: x.enumerated().map { (Double($0.offset % 7 + 1), $0.element) }))
        let result = try solver.solve(model, options: SolveOptions(timeLimitSeconds: 0.001))
        switch result.termination {
        case .noSolutionFound(limit: .time), .feasible(limit: .time, _): break
        default: XCTFail("expected the time limit, got \(result.termination)")
        }
    }

    func testExpressionConstantsMoveToBounds() throws {
        var model = Model(name: "constants")
        let x = model.addVariable("x", kind: .integer)
        model.addConstraint(x + 3 >= 10, name: "shifted")  // x ≥ 7
        model.minimize(x + 100)
        let result = try solver.solve(model)
        XCTAssertEqual(try result.value(x), 7)
        XCTAssertEqual(try result.objective, 107, accuracy: 1e-9)
        XCTAssertEqual(result.bindingConstraints(in: model).map { model.definition(of: $0).name }, ["shifted"])
    }

    private func bruteForceKnapsack(values: [Double], weights: [Double], capacity: Double) -> Double {
        (0..<(1 << values.count)).reduce(0) { best, mask in
            let items = values.indices.filter { mask & (1 << $0) != 0 }
            let weight = items.reduce(0) { $0 + weights[$1] }
            return weight <= capacity ? max(best, items.reduce(0) { $0 + values[$1] }) : best
        }
    }
}
