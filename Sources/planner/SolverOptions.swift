import ArgumentParser
import Foundation
import LinearModel
import PlannerCore

/// Options of the commands that run the optimizer (bom, compare, sweep, check):
/// use with `@OptionGroup var solver: SolverOptions`.
struct SolverOptions: ParsableArguments {
    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Solver time limit per solve, in seconds.", valueName: "seconds"))
    var timeLimit: Double = 30

    func validate() throws {
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 86_400 else {
            throw ValidationError("--time-limit must be a number of seconds between 0 and 86400 (got \(timeLimit))")
        }
    }

    /// Builds the problem for `spec` and solves it.
    func solve(_ spec: Spec, catalog: Catalog) -> Plan {
        SpecSolver(options: SolveOptions(timeLimitSeconds: timeLimit)).solve(spec, catalog: catalog)
    }
}

/// Writes why a plan has nothing to buy (its diagnosis) to standard error.
func reportNoPlan(_ plan: Plan, file: String) {
    StandardError.write("\(file): \(plan.specName): \(plan.status.rawValue)")
    for line in plan.diagnosis { StandardError.write("  - \(line)") }
}
