import Foundation
import LinearModel

/// Explains an infeasible spec in the user's terms.
enum Diagnosis {
    /// Said when the time limit ran out before any plan was found.
    static let noPlanInTimeLine = "no plan was found within the time limit; raise --time-limit"

    /// Said when no specific limit could be named (``SpecSolver`` then names the spec's own limits).
    static let genericLine = "no build meets every constraint together: the pins, rack power limit, cooling choice or network fabric rule out every server that could serve the demand"

    /// No (chassis, GPU, TP) combination survived: say why for each GPU.
    static func noCandidates(problem: PlanningProblem, context: PlanContext) -> [String] {
        var lines: [String] = []
        let target = context.target
        let sloMisses = context.rejections.compactMap { rejection -> (CandidateRejection, Double, Double, Double)? in
            if case let .sloMissedAtLightestLoad(ttft, tpot, overhead) = rejection.reason { return (rejection, ttft, tpot, overhead) }
            return nil
        }
        if problem.candidates.isEmpty {
            if !sloMisses.isEmpty {
                let percentile = Format.percentileLabel(target.percentile)
                if let tpot = target.tpotMs, let best = sloMisses.min(by: { $0.2 < $1.2 }), best.2 > tpot {
                    lines.append(String(format: "no GPU in the catalog meets %@ TPOT ≤ %g ms even at the lightest load (best: %@ at TP %d, %.1f ms)",
                                        percentile, tpot, best.0.gpu.id, best.0.tensorParallel, best.2))
                }
                if let ttft = target.ttftMs, let best = sloMisses.min(by: { $0.1 < $1.1 }), best.1 > ttft {
                    lines.append(String(format: "no GPU in the catalog meets %@ TTFT ≤ %g ms even at the lightest load (best: %@ at TP %d, %.1f ms, %.1f ms of it the engine's request overhead, a calibration constant)",
                                        percentile, ttft, best.0.gpu.id, best.0.tensorParallel, best.1, best.3))
                }
                if lines.isEmpty, let e2e = target.e2eMs {
                    lines.append(String(format: "no GPU in the catalog meets %@ end-to-end latency ≤ %g ms even at the lightest load", percentile, e2e))
                }
            }
            let misfits = context.rejections.compactMap { rejection -> String? in
                if case let .doesNotFit(detail) = rejection.reason { return "\(rejection.gpu.id) at TP \(rejection.tensorParallel): \(detail)" }
                return nil
            }
            if !misfits.isEmpty, sloMisses.isEmpty {
                lines.append("the model does not fit on any allowed GPU at any tensor-parallel degree up to 8 (a TP group never spans two servers):")
                lines += misfits.prefix(6).map { "  " + $0 }
            }
            if lines.isEmpty { lines.append("no GPU is allowed by the spec's constraints and pins (check constraints.gpus and pin.gpu)") }
        } else {
            let ids = Set(problem.candidates.map(\.gpu.id)).sorted()
            let gpus = ids.prefix(8).joined(separator: ", ") + (ids.count > 8 ? " and \(ids.count - 8) more" : "")
            lines.append("no server in the catalog can be built for the GPUs that meet the targets (\(gpus)): every chassis lacks a fitting GPU slot, DIMM, SSD array or PSU configuration for them, or no rack design holds one (check pins, the allow/deny lists under constraints, the storage and PSU redundancy requirements, constraints.rack_power_kw and constraints.cooling)")
        }
        return lines
    }

    /// Re-solves with penalised slack on the budget and the demand, and without the budget, to say
    /// which limit cannot be met and by how much. `infeasibleWithoutBudget` skips the re-solve
    /// without the budget when the caller has proved it has no plan either. With `groups` (the
    /// problem's server groups) and one GPU type per plan, the relaxed program is solved one GPU
    /// type at a time, each with an objective cutoff at the best so far: the same optimum, as
    /// `gpu_types` splits the relaxed program too, found much faster than by one program over every
    /// type.
    ///
    /// Every line that proposes a change carries it as a ``DiagnosisLine/fix``, and the program
    /// confirms it before it is said: the re-solve's own plan meets the changed spec (a budget rounded
    /// up to the cent, a demand rounded down to what the spec can state). A budget is never proposed
    /// alone while the demand cannot be met: the load that can be served comes with the price of
    /// the build that serves it.
    static func explainLines(
        problem: PlanningProblem, context: PlanContext, clock: SolveClock, solver: any Solver,
        infeasibleWithoutBudget: Bool = false, groups: [ServerGroup]? = nil
    ) -> [DiagnosisLine] {
        var lines: [DiagnosisLine] = []
        if let budget = problem.requirements.budgetUSD, !infeasibleWithoutBudget {
            var unbudgeted = problem
            unbudgeted.requirements.budgetUSD = nil
            unbudgeted.requirements.objective = .minimumCapex
            let formulation = PlanFormulation(problem: unbudgeted)
            if !clock.isExhausted, let result = try? solver.solve(formulation.model, options: clock.remaining), result.termination.hasSolution {
                return [overBudgetLine(cheapestUSD: formulation.capexExpression.evaluate(result.values), budgetUSD: budget, target: context.target)]
            }
        }
        if let (relaxed, result) = solveRelaxed(problem: problem, clock: clock, solver: solver, groups: groups) {
            let capex = relaxed.capexExpression.evaluate(result.values)
            let budget = problem.requirements.budgetUSD
            let overBudget = relaxed.budgetSlack.map { result.values[$0.index] > 1e-6 } ?? false
            if let slack = relaxed.demandSlack, result.values[slack.index] > 1e-6 {
                let served = max(problem.requirements.demand - result.values[slack.index], 0)
                var text = String(format: "within the pins and limits, the most load that can be served is %@ of the %.1f required (%@)",
                                  Format.fixed(roundedDown(served, decimals: 1), 1), problem.requirements.demand, context.demandUnit.rawValue)
                if let budget, overBudget {
                    text += ", by a \(Format.usd(centsUp(capex))) build (the budget is \(Format.usd(budget)))"
                }
                lines.append(DiagnosisLine(text, fix: demandFix(served: served, unit: context.demandUnit, budgetUSD: overBudget ? centsUp(capex) : nil)))
                if let limit = fabricLimit(relaxed, values: result.values) { lines.append(DiagnosisLine(limit)) }
            } else if let budget, overBudget {
                let needed = centsUp(capex)
                lines.append(DiagnosisLine(
                    "the budget would have to grow by \(Format.usd(needed - budget)) to \(Format.usd(needed))",
                    fix: { $0.budget.capexUSD = needed }
                ))
            }
        }
        if lines.isEmpty { lines.append(DiagnosisLine(genericLine)) }
        return lines
    }

    /// When the most load the relaxed program serves fills a two-tier fabric (`two_tier_fabric`: as
    /// many leaves as a spine has ports), says so: the fabric, not the budget or a pin, is what
    /// stops the plan growing, and a third tier is not modelled (docs/optimizer.md).
    static func fabricLimit(_ formulation: PlanFormulation, values: [Double]) -> String? {
        for (x, item) in formulation.switches.enumerated() where values[formulation.leaf[x].index] >= Double(item.ports) - 0.5 {
            let serverPorts = item.ports * (item.ports / 2)
            return "the cluster fabric is full: a two-tier leaf/spine of \(item.id) (\(item.ports) ports) links at most \(item.ports) leaves, "
                + "\(Format.integer(serverPorts)) server ports; a third tier is not modelled, so more load needs switches with more ports "
                + "or a second cluster planned on its own"
        }
        return nil
    }

    /// The lines of ``explainLines(problem:context:clock:infeasibleWithoutBudget:groups:)`` as text.
    static func explain(
        problem: PlanningProblem, context: PlanContext, clock: SolveClock, solver: any Solver,
        infeasibleWithoutBudget: Bool = false, groups: [ServerGroup]? = nil
    ) -> [String] {
        explainLines(problem: problem, context: context, clock: clock, solver: solver, infeasibleWithoutBudget: infeasibleWithoutBudget, groups: groups).map(\.text)
    }

    /// Lowers the spec's load to what `served` (in the optimizer's units, growth headroom
    /// included) covers, rounded down to what the spec states (whole requests in flight, or
    /// requests/s to 0.001), and raises the budget to `budgetUSD` when given. `nil` when that
    /// leaves no load to serve.
    static func demandFix(served: Double, unit: DemandUnit, budgetUSD: Double?) -> ((inout Spec) -> Void)? {
        let tolerance = 1e-6 * max(1, served)
        switch unit {
        case .concurrency:
            return { spec in
                let base = ((served - tolerance) / (1 + spec.constraints.growthHeadroom)).rounded(.down)
                spec.workload.load = .concurrency(max(Int(base), 0))
                if let budgetUSD { spec.budget.capexUSD = max(spec.budget.capexUSD ?? 0, budgetUSD) }
            }
        case .requestsPerSecond:
            return { spec in
                let base = roundedDown((served - tolerance) / (1 + spec.constraints.growthHeadroom), decimals: 3)
                spec.workload.load = .requestsPerSecond(max(base, 0))
                if let budgetUSD { spec.budget.capexUSD = max(spec.budget.capexUSD ?? 0, budgetUSD) }
            }
        }
    }

    static func roundedDown(_ value: Double, decimals: Int) -> Double {
        let scale = pow(10, Double(decimals))
        return ((value * scale) * (1 + 1e-12)).rounded(.down) / scale
    }

    /// `value` rounded up to the cent (a budget of that much admits a build of `value`).
    static func centsUp(_ value: Double) -> Double {
        ((value * 100) - 1e-6).rounded(.up) / 100
    }

    /// The relaxed program's optimum, by GPU type when `groups` are given and types are not mixed.
    private static func solveRelaxed(
        problem: PlanningProblem, clock: SolveClock, solver: any Solver, groups: [ServerGroup]?
    ) -> (PlanFormulation, SolveResult)? {
        guard let groups, !problem.requirements.allowMixedGPUTypes else {
            let relaxed = PlanFormulation(problem: problem, relaxed: true)
            guard !clock.isExhausted, let result = try? solver.solve(relaxed.model, options: clock.remaining),
                  result.termination.hasSolution else { return nil }
            return (relaxed, result)
        }
        var best: (formulation: PlanFormulation, result: SolveResult, objective: Double)?
        for gpu in Set(groups.map(\.gpu.id)).sorted() where !clock.isExhausted {
            let relaxed = PlanFormulation(
                problem: problem, relaxed: true, groups: groups.filter { $0.gpu.id == gpu },
                objectiveCutoff: best.map { $0.objective * (1 - 1e-9) }
            )
            guard let result = try? solver.solve(relaxed.model, options: clock.remaining),
                  let objective = try? result.objective else { continue }
            if objective < best?.objective ?? .infinity { best = (relaxed, result, objective) }
        }
        return best.map { ($0.formulation, $0.result) }
    }

    /// "the cheapest build that meets P99 TTFT ≤ 500 ms and P99 TPOT ≤ 50 ms for the demand costs
    /// $412,300; budget is $300,000". When whole dollars would print the two alike, both are
    /// printed to the cent.
    static func overBudget(cheapestUSD: Double, budgetUSD: Double, target: SLO) -> String {
        let percentile = Format.percentileLabel(target.percentile)
        let targets = [
            target.ttftMs.map { String(format: "%@ TTFT ≤ %g ms", percentile, $0) },
            target.tpotMs.map { String(format: "%@ TPOT ≤ %g ms", percentile, $0) },
        ].compactMap { $0 }.joined(separator: " and ")
        let cheapest = centsUp(cheapestUSD)
        let cents = Format.usd(cheapest) == Format.usd(budgetUSD)
        return String(format: "the cheapest build that meets %@ for the demand costs %@; budget is %@",
                      targets.isEmpty ? "the targets" : targets, Format.usd(cheapest, cents: cents), Format.usd(budgetUSD, cents: cents))
    }

    /// ``overBudget(cheapestUSD:budgetUSD:target:)`` with its fix: a budget of the cheapest cost.
    static func overBudgetLine(cheapestUSD: Double, budgetUSD: Double, target: SLO) -> DiagnosisLine {
        let needed = centsUp(cheapestUSD)
        return DiagnosisLine(overBudget(cheapestUSD: cheapestUSD, budgetUSD: budgetUSD, target: target), fix: { $0.budget.capexUSD = needed })
    }
}

/// One line of an infeasibility diagnosis, and the change to the spec it proposes (`nil` when it
/// proposes none): applied, the spec has a plan — the planner re-solved with it before saying so.
struct DiagnosisLine {
    var text: String
    var fix: ((inout Spec) -> Void)?

    init(_ text: String, fix: ((inout Spec) -> Void)? = nil) {
        self.text = text
        self.fix = fix
    }
}
