import GLPKSolver
import LinearModel
import XCTest

/// Each invalid model is rejected with a typed error before GLPK is called (GLPK would abort).
final class ValidationBeforeSolveTests: XCTestCase {
    private func issues(_ build: (inout Model) -> Void) -> [ModelIssue] {
        var model = Model(name: "bad")
        build(&model)
        do {
            _ = try GLPKSolver().solve(model)
            return []
        } catch {
            return error.issues
        }
    }

    func testNaNDescription() {
        let found = issues { m in
            let x = m.addVariable("x")
            m.addConstraint(Double.nan * x <= 1, name: "c")
        }
        XCTAssertEqual(found.map(\.description), ["constraint 'c' has a non-finite coefficient nan on 'x'"])
    }

    func testInfiniteCoefficientAndBound() {
        let found = issues { m in
            let x = m.addVariable("x", upperBound: .infinity)
            m.addConstraint(Double.infinity * x <= 1, name: "c")
            m.addConstraint(LinearExpression(x) <= -.infinity, name: "d")
        }
        XCTAssertEqual(found, [
            .nonFiniteBound(variable: "x", bound: .infinity),
            .nonFiniteCoefficient(constraint: "c", variable: "x", coefficient: .infinity),
            .nonFiniteConstraintBound(constraint: "d", bound: -.infinity),
        ])
    }

    func testInvertedBounds() {
        let found = issues { m in
            let x = m.addVariable("x", lowerBound: 5, upperBound: 2)
            m.addConstraint(LinearConstraint(LinearExpression(x), lowerBound: 3, upperBound: 1), name: "r")
        }
        XCTAssertEqual(found, [
            .invertedBounds(variable: "x", lowerBound: 5, upperBound: 2),
            .invertedConstraintBounds(constraint: "r", lowerBound: 3, upperBound: 1),
        ])
    }

    func testFractionalIntegerBound() {
        XCTAssertEqual(issues { m in _ = m.addVariable("n", kind: .integer, lowerBound: 0.5, upperBound: 3) },
                       [.fractionalIntegerBound(variable: "n", bound: 0.5)])
    }

    func testDuplicateAndEmptyNames() {
        let found = issues { m in
            let x = m.addVariable("x")
            m.addVariable("x")
            m.addVariable("")
            m.addConstraint(LinearExpression(x) <= 1, name: "c")
            m.addConstraint(LinearExpression(x) <= 2, name: "c")
            m.addConstraint(LinearExpression(x) <= 3, name: "")
        }
        XCTAssertEqual(found, [
            .duplicateVariableName("x"), .emptyVariableName(index: 2),
            .duplicateConstraintName("c"), .emptyConstraintName(index: 2),
        ])
    }

    func testUnusableNames() {
        let long = String(repeating: "a", count: 300)
        let found = issues { m in
            m.addVariable(long)
            m.addVariable("has space")
        }
        XCTAssertEqual(found, [
            .unusableName(long, reason: "longer than 255 bytes"),
            .unusableName("has space", reason: "only printable ASCII without spaces is allowed"),
        ])
    }

    func testNonFiniteObjective() {
        let found = issues { m in
            let x = m.addVariable("x")
            m.minimize(Double.infinity * x + Double.nan)
        }
        XCTAssertEqual(found.map(\.description), [
            "the objective has a non-finite coefficient inf on 'x'",
            "the objective has a non-finite constant nan",
        ])
    }

    func testVariableFromAnotherModel() {
        var other = Model(name: "other")
        _ = other.addVariable("a")
        let foreign = other.addVariable("b")
        let found = issues { m in m.addConstraint(LinearExpression(foreign) <= 1, name: "c") }
        XCTAssertEqual(found, [.foreignVariable(owner: "c", index: 1)])
    }

    func testEveryIssueIsCollected() {
        let found = issues { m in
            m.addVariable("n", kind: .integer, lowerBound: 0.5, upperBound: 0.2)
            m.addVariable("n")
        }
        XCTAssertEqual(found.count, 4)  // two fractional bounds, inverted bounds, duplicate name
    }
}
