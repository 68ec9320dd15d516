import ArgumentParser
import Foundation
import PlannerCore

/// Options of the commands that run the optimizer (bom, compare, sweep, check):
/// use with `@OptionGroup var solver: SolverOptions`.
struct SolverOptions: ParsableArguments {
    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Solver time limit per solve, in seconds.", valueName: "seconds"))
    var timeLimit: Double = 30

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Judge prices against this date (YYYY-MM or YYYY-MM-DD): lines priced more than 12 months before it warn. Default: the catalog's newest price date, so output does not change with the day it runs.",
        valueName: "date"))
    var asOf: String?

    func validate() throws {
        try SolverOptions.validate(timeLimit: timeLimit)
        try SolverOptions.validate(asOf: asOf)
    }

    /// The one range rule for `--time-limit`: more than 0 and at most a day.
    static func validate(timeLimit: Double) throws {
        guard timeLimit.isFinite, timeLimit > 0, timeLimit <= 86_400 else {
            throw ValidationError("--time-limit must be more than 0 and at most 86400 seconds (got \(plainNumber(timeLimit)))")
        }
    }

    /// The one rule for `--as-of`: a real `YYYY-MM` or `YYYY-MM-DD` date.
    static func validate(asOf: String?) throws {
        guard let asOf, !PriceAge.isDate(asOf) else { return }
        throw ValidationError("--as-of must be a date as YYYY-MM or YYYY-MM-DD (got '\(asOf)')")
    }

    /// Builds the problem for `spec` and solves it, prices judged as of `--as-of` when given.
    func solve(_ spec: Spec, catalog: Catalog) -> Plan {
        var catalog = catalog
        if let asOf { catalog.pricesAsOf = asOf }
        return SpecSolver(timeLimitSeconds: timeLimit, solver: .glpk).solve(spec, catalog: catalog)
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
