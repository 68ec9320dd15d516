import LinearModel
import XCTest

final class LinearExpressionTests: XCTestCase {
    func testArithmeticMergesTermsAndKeepsConstant() {
        var model = Model(name: "m")
        let x = model.addVariable("x")
        let y = model.addVariable("y")
        let expression = 3 * x + 2 * y - x + 5 - 0.5 * (4 * y - 2)
        XCTAssertEqual(expression.coefficient(of: x), 2)
        XCTAssertEqual(expression.coefficient(of: y), 0)
        XCTAssertEqual(expression.constant, 6)
        XCTAssertEqual(expression.sortedTerms.map(\.variable), [x])  // zero terms dropped
        XCTAssertEqual(expression.evaluate([10, 7]), 26)
    }

    func testConstraintMovesConstantToBounds() {
        var model = Model(name: "m")
        let x = model.addVariable("x")
        let y = model.addVariable("y")
        model.addConstraint(x + 4 <= y + 10, name: "le")
        model.addConstraint(LinearConstraint(2 * x + 1, in: 3...9), name: "range")
        let le = model.definition(of: model.constraint(named: "le")!)
        XCTAssertEqual(le.sense, .lessOrEqual)
        XCTAssertEqual(le.upperBound, 6)
        XCTAssertEqual(le.terms.map(\.coefficient), [1, -1])
        let range = model.definition(of: model.constraint(named: "range")!)
        XCTAssertEqual(range.sense, .range)
        XCTAssertEqual(range.lowerBound, 2)
        XCTAssertEqual(range.upperBound, 8)
    }

    func testBinaryVariablesAreClampedToZeroOne() {
        var model = Model(name: "m")
        let b = model.addVariable("b", kind: .binary, lowerBound: 5, upperBound: 9)
        XCTAssertEqual(model.definition(of: b).lowerBound, 0)
        XCTAssertEqual(model.definition(of: b).upperBound, 1)
        XCTAssertTrue(model.hasIntegerVariables)
    }

    func testSumOfVariablesAndExpressions() {
        var model = Model(name: "m")
        let v = (0..<4).map { model.addVariable("v[\($0)]") }
        XCTAssertEqual(LinearExpression.sum(v).evaluate([1, 2, 3, 4]), 10)
        XCTAssertEqual(LinearExpression.sum(v.map { 2 * $0 + 1 }).evaluate([1, 2, 3, 4]), 24)
    }

    func testValidModelHasNoIssues() throws {
        var model = Model(name: "m")
        let n = model.addVariable("n", kind: .integer, lowerBound: 0, upperBound: 8)
        model.addConstraint(LinearExpression(n) >= 2, name: "floor")
        model.minimize(3 * n)
        XCTAssertEqual(model.issues(), [])
        XCTAssertNoThrow(try model.validate())
    }

    func testNoSolutionThrowsOnRead() {
        let result = SolveResult(termination: .infeasible, values: [1], objectiveValue: 3, solveSeconds: 0)
        XCTAssertThrowsError(try result.objective) { error in
            XCTAssertEqual((error as? NoSolutionError)?.termination, .infeasible)
        }
        XCTAssertEqual(result.values, [])
    }

    /// The relaxation keeps names, bounds, rows and objective, and only drops integrality.
    func testLinearRelaxationDropsIntegralityOnly() {
        var model = Model(name: "m")
        let x = model.addVariable("x", kind: .integer, lowerBound: 0, upperBound: 4)
        let y = model.addVariable("y", kind: .binary)
        model.addConstraint(2 * x + 3 * y <= 5, name: "row")
        model.maximize(x + y)
        let relaxed = model.linearRelaxation()
        XCTAssertEqual(relaxed.variables.map(\.kind), [.continuous, .continuous])
        XCTAssertEqual(relaxed.variables.map(\.lowerBound), [0, 0])
        XCTAssertEqual(relaxed.variables.map(\.upperBound), [4, 1])
        XCTAssertEqual(relaxed.constraints.map(\.name), ["row"])
        XCTAssertEqual(relaxed.constraints[0].upperBound, 5)
        XCTAssertEqual(relaxed.objective, model.objective)
        XCTAssertEqual(relaxed.definition(of: y).name, "y")
        XCTAssertEqual(model.definition(of: x).kind, .integer)
    }
}
