import LinearModel

/// A spec with neither `concurrency` nor `requests_per_second` asks for the most throughput its
/// budget buys (docs/spec.md). That is two programs, solved one after the other:
///
///     1. D* = max Σ_g cap_g · replicas[g] − [n+1] Σ_g cap_g · used[g]
///             s.t. every constraint of the program, capex ≤ budget      (demand row: ≥ 0)
///     2. the ordinary program (least capex or TCO) with demand D* (less GLPK's tolerance)
///
/// so the plan serves the most requests/s any build within the budget serves, and among the
/// builds that do, it is the cheapest. Without a budget the load is unbounded: the plan is the
/// cheapest build that serves at all, with a warning.
enum MaximumThroughput {
    /// The most load (requests/s) a build within the budget serves; `nil` when no build fits the
    /// budget or the time ran out.
    static func mostServed(_ input: PlanningInput, clock: SolveClock, solver: any Solver) -> Double? {
        guard input.problem.requirements.budgetUSD != nil, !input.problem.candidates.isEmpty, !clock.isExhausted else { return nil }
        let formulation = PlanFormulation(problem: input.problem, maximizeServed: true)
        guard !formulation.groups.isEmpty,
              let result = try? solver.solve(formulation.model, options: clock.remaining),
              result.termination.hasSolution else { return nil }
        let served = formulation.served.evaluate(result.values)
        return served > 0 ? served : nil
    }

    /// `scope` with its demand set to the most a build within the budget serves (and a warning
    /// saying so), or unchanged with a warning when there is no budget; `scope` itself when the
    /// spec states a load or no build fits the budget (the ordinary program then says why).
    static func resolve(_ scope: PlanningScope, clock: SolveClock, solver: any Solver) -> PlanningScope {
        guard case .maximumThroughput = scope.spec.workload.load else { return scope }
        var scope = scope
        guard let budget = scope.problem.requirements.budgetUSD else {
            scope.context.warnings.append("no load given (workload.concurrency or requests_per_second) and no budget: this is the cheapest build that serves at all; set budget.capex_usd to plan for the most throughput it buys")
            return scope
        }
        guard let most = mostServed(scope.input(for: scope.gpus), clock: clock, solver: solver) else { return scope }
        scope.problem.requirements.demand = most * (1 - 1e-7)
        scope.context.warnings.append(String(
            format: "no load given (workload.concurrency or requests_per_second): planned for the most throughput the %@ budget buys, %@ requests/s",
            Format.usd(budget), Format.fixed(Diagnosis.roundedDown(most, decimals: 2), 2)
        ))
        return scope
    }
}
