import XCTest
@testable import PlannerCore

/// The four ways a solve ends are four cases: a plan found at a limit is a plan (with its gap), no
/// plan found within the limit is not, and each writes its own code.
final class PlanStatusTests: XCTestCase {
    func testCodesAndWhetherAPlanCame() {
        let cases: [(PlanStatus, String, Bool)] = [
            (.optimal, "optimal", true),
            (.feasible(limit: .time, gap: 0.042), "time_limit", true),
            (.feasible(limit: .relativeGap, gap: 0.01), "feasible", true),
            (.infeasible, "infeasible", false),
            (.noPlanWithinLimit(.time), "no_plan_within_limit", false),
            (.error, "error", false),
        ]
        for (status, code, hasPlan) in cases {
            XCTAssertEqual(status.code, code, "\(status)")
            XCTAssertEqual(status.hasPlan, hasPlan, "\(status)")
        }
    }

    func testTheGapTravelsWithTheStatus() {
        var plan = Plan(status: .feasible(limit: .time, gap: 0.042), specName: "s", objective: PlanObjectiveValue(metric: .capexUSD, value: 1), totals: PlanTotals())
        XCTAssertEqual(plan.relativeGap, 0.042)
        XCTAssertEqual(PlanSummary.status(plan), "stopped at the time limit (gap 4.2%)")
        plan.status = .noPlanWithinLimit(.time)
        XCTAssertNil(plan.relativeGap)
        XCTAssertEqual(PlanSummary.status(plan), "no plan found within the time limit")
        XCTAssertFalse(plan.hasBuild)
    }

    /// The solver's termination maps to the plan's status in PlanAssembler: no solution at the time
    /// limit is `noPlanWithinLimit`, with the outcome's diagnosis.
    func testAssemblerMapsTerminationsWithoutASolution() throws {
        let requirements = Requirements(demand: 1, storage: StorageRequirement(capacityGB: 0, readGBps: 0, readIOPS: 0, faultTolerance: 0))
        let context = PlanContext(specName: "s", target: SLO(), demandUnit: .concurrency, weightPrecision: .fp16, kvPrecision: .fp16)
        let outcomes: [(FormulationOutcome, PlanStatus)] = [
            (FormulationOutcome(termination: .noSolutionFound(limit: .time), diagnosis: ["d"]), .noPlanWithinLimit(.time)),
            (FormulationOutcome(termination: .infeasible, diagnosis: ["d"]), .infeasible),
            (FormulationOutcome(termination: .unbounded, diagnosis: ["d"]), .infeasible),
            (FormulationOutcome(termination: .solverError(detail: "x"), diagnosis: ["d"]), .error),
            // A termination that claims a solution but carries none is an internal error, not a crash.
            (FormulationOutcome(termination: .optimal), .error),
        ]
        for (outcome, status) in outcomes {
            let plan = PlanAssembler.plan(outcome, requirements: requirements, context: context)
            XCTAssertEqual(plan.status, status, "\(outcome.termination)")
            XCTAssertTrue(plan.bom.isEmpty)
            if outcome.termination != .optimal { XCTAssertEqual(plan.diagnosis, ["d"]) }
        }
    }
}
