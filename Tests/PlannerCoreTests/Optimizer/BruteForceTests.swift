import Foundation
import LinearModel
import XCTest
@testable import PlannerCore

/// The MILP against an independent exhaustive enumeration (``BruteForcePlanner``) on small
/// generated problems, and every MILP plan re-checked by ``PlanChecker``.
final class BruteForceTests: XCTestCase {
    static let seeds: [UInt64] = Array(1...60)
    let optimizer = Optimizer(options: SolveOptions(timeLimitSeconds: 20))

    private struct Outcome {
        var problems = 0
        var feasible = 0
        var agreements = 0
        var disagreements: [String] = []
    }

    /// Solves `generated` both ways and compares.
    private func compare(_ generated: GeneratedProblem, into outcome: inout Outcome) -> BruteForcePlanner.Build? {
        outcome.problems += 1
        let expected = BruteForcePlanner(problem: generated.problem).cheapest()
        let plan = optimizer.solve(generated.problem, context: generated.context)
        let violations = PlanChecker(problem: generated.problem, target: generated.target).violations(of: plan)
        XCTAssertEqual(violations, [], "\(generated.summary)\nplan violates: \(violations)")
        switch (expected, plan.status) {
        case let (build?, .optimal):
            outcome.feasible += 1
            if abs(plan.totals.capexUSD - build.capex) <= 0.01 {
                outcome.agreements += 1
            } else {
                outcome.disagreements.append("\(generated.summary)\n  MILP $\(plan.totals.capexUSD): \(describe(plan))\n  brute force \(build)")
            }
        case (nil, .infeasible):
            outcome.agreements += 1
        default:
            outcome.disagreements.append("\(generated.summary)\n  MILP status \(plan.status.rawValue) capex \(plan.totals.capexUSD) \(describe(plan)) diagnosis \(plan.diagnosis)\n  brute force \(expected.map(String.init(describing:)) ?? "infeasible")")
        }
        return expected
    }

    private func describe(_ plan: Plan) -> String {
        plan.bom.map { "\($0.quantity)×\($0.listing.id)" }.joined(separator: " ")
            + " | " + plan.deployments.map { "\($0.gpuID)@tp\($0.tensorParallel)×\($0.replicas)" }.joined(separator: " ")
    }

    func testMILPMatchesExhaustiveEnumeration() throws {
        let start = Date()
        var outcome = Outcome()
        for seed in Self.seeds {
            var generated = GeneratedProblem.make(seed: seed)
            let cheapest = compare(generated, into: &outcome)
            // Budgets: just below the cheapest build (infeasible) and a little above it (feasible).
            if let cheapest, seed % 3 == 0 {
                generated.problem.requirements.budgetUSD = (cheapest.capex * (seed % 2 == 0 ? 0.97 : 1.03)).rounded()
                _ = compare(generated, into: &outcome)
            }
        }
        let seconds = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(outcome.problems, 50)
        XCTAssertGreaterThanOrEqual(outcome.feasible, 25, "too few feasible problems to mean much")
        XCTAssertEqual(outcome.disagreements, [], "\(outcome.disagreements.count) of \(outcome.problems) problems disagree:\n" + outcome.disagreements.joined(separator: "\n"))
        print("brute force: \(outcome.problems) problems (\(outcome.feasible) feasible), \(outcome.agreements) agree, \(String(format: "%.1f", seconds)) s")
    }

    func testSameProblemTwiceGivesEqualPlans() {
        for seed: UInt64 in [3, 7, 11, 19] {
            let generated = GeneratedProblem.make(seed: seed)
            let first = optimizer.solve(generated.problem, context: generated.context)
            let second = optimizer.solve(generated.problem, context: generated.context)
            XCTAssertEqual(first, second, generated.summary)
        }
    }
}
