import ArgumentParser
import Foundation
import PlannerCore

/// Options of the commands that run the optimizer (bom, compare, sweep, check):
/// use with `@OptionGroup var solver: SolverOptions`.
struct SolverOptions: ParsableArguments {
    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Solver time limit per solve, in seconds.", valueName: "seconds"))
    var timeLimit: Double = 30

    func validate() throws {
        try SolverOptions.validate(timeLimit: timeLimit)
    }

    /// The one range rule for `--time-limit`: more than 0 and at most a day.
    static func validate(timeLimit: Double) throws {
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 86_400 else {
            throw ValidationError("--time-limit must be more than 0 and at most 86400 seconds (got \(plainNumber(timeLimit)))")
        }
    }

    /// Builds the problem for `spec` and solves it.
    func solve(_ spec: Spec, catalog: Catalog) -> Plan {
        SpecSolver(timeLimitSeconds: timeLimit, solver: .glpk).solve(spec, catalog: catalog)
    }
}

/// Writes why a plan has nothing to buy (its diagnosis) to standard error.
func reportNoPlan(_ plan: Plan, file: String) {
    StandardError.write("\(file): \(plan.specName): \(plan.status.code)")
    for line in plan.diagnosis { StandardError.write("  - \(line)") }
}

/// A number as a person writes it: `0`, `2.5`, `-1` (never `0.0`).
func plainNumber(_ x: Double) -> String {
    x.isFinite && x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
}
