import Foundation
import GLPKSolver
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
        let sloMisses = context.rejections.compactMap { rejection -> (CandidateRejection, Double, Double)? in
            if case let .sloMissedAtLightestLoad(ttft, tpot) = rejection.reason { return (rejection, ttft, tpot) }
            return nil
        }
        if problem.candidates.isEmpty {
            if !sloMisses.isEmpty {
                let percentile = Self.percentileLabel(target.percentile)
                if let tpot = target.tpotMs, let best = sloMisses.min(by: { $0.2 < $1.2 }), best.2 > tpot {
                    lines.append(String(format: "no GPU in the catalog meets %@ TPOT ≤ %g ms even at the lightest load (best: %@ at TP %d, %.1f ms)",
                                        percentile, tpot, best.0.gpu.id, best.0.tensorParallel, best.2))
                }
                if let ttft = target.ttftMs, let best = sloMisses.min(by: { $0.1 < $1.1 }), best.1 > ttft {
                    lines.append(String(format: "no GPU in the catalog meets %@ TTFT ≤ %g ms even at the lightest load (best: %@ at TP %d, %.1f ms)",
                                        percentile, ttft, best.0.gpu.id, best.0.tensorParallel, best.1))
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
            lines.append("no server in the catalog can be built for the GPUs that meet the targets (\(gpus)): every chassis lacks a fitting GPU slot, DIMM, SSD array or PSU configuration for them, or no rack design holds one (check pins, the storage and PSU redundancy requirements, constraints.rack_power_kw and constraints.cooling)")
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
    static func explain(
        problem: PlanningProblem, context: PlanContext, clock: SolveClock,
        infeasibleWithoutBudget: Bool = false, groups: [ServerGroup]? = nil
    ) -> [String] {
        var lines: [String] = []
        if let budget = problem.requirements.budgetUSD, !infeasibleWithoutBudget {
            var unbudgeted = problem
            unbudgeted.requirements.budgetUSD = nil
            unbudgeted.requirements.objective = .minimumCapex
            let formulation = PlanFormulation(problem: unbudgeted)
            if !clock.isExhausted, let result = try? GLPKSolver().solve(formulation.model, options: clock.remaining), result.termination.hasSolution {
                return [overBudget(cheapestUSD: formulation.capexExpression.evaluate(result.values), budgetUSD: budget, target: context.target)]
            }
        }
        if let (relaxed, result) = solveRelaxed(problem: problem, clock: clock, groups: groups) {
            if let slack = relaxed.demandSlack, result.values[slack.index] > 1e-6 {
                let served = problem.requirements.demand - result.values[slack.index]
                lines.append(String(format: "within the pins and limits, the most load that can be served is %.1f of the %.1f required (%@)",
                                    max(served, 0), problem.requirements.demand, context.demandUnit.rawValue))
            }
            if let slack = relaxed.budgetSlack, result.values[slack.index] > 1e-6, let budget = problem.requirements.budgetUSD {
                lines.append(String(format: "the budget would have to grow by %@ to %@", usd(result.values[slack.index]), usd(budget + result.values[slack.index])))
            }
        }
        if lines.isEmpty { lines.append(genericLine) }
        return lines
    }

    /// The relaxed program's optimum, by GPU type when `groups` are given and types are not mixed.
    private static func solveRelaxed(
        problem: PlanningProblem, clock: SolveClock, groups: [ServerGroup]?
    ) -> (PlanFormulation, SolveResult)? {
        guard let groups, !problem.requirements.allowMixedGPUTypes else {
            let relaxed = PlanFormulation(problem: problem, relaxed: true)
            guard !clock.isExhausted, let result = try? GLPKSolver().solve(relaxed.model, options: clock.remaining),
                  result.termination.hasSolution else { return nil }
            return (relaxed, result)
        }
        var best: (formulation: PlanFormulation, result: SolveResult, objective: Double)?
        for gpu in Set(groups.map(\.gpu.id)).sorted() where !clock.isExhausted {
            let relaxed = PlanFormulation(
                problem: problem, relaxed: true, groups: groups.filter { $0.gpu.id == gpu },
                objectiveCutoff: best.map { $0.objective * (1 - 1e-9) }
            )
            guard let result = try? GLPKSolver().solve(relaxed.model, options: clock.remaining),
                  let objective = try? result.objective else { continue }
            if objective < best?.objective ?? .infinity { best = (relaxed, result, objective) }
        }
        return best.map { ($0.formulation, $0.result) }
    }

    /// "the cheapest build that meets P99 TTFT ≤ 500 ms and P99 TPOT ≤ 50 ms for the demand costs
    /// $412,300; budget is $300,000".
    static func overBudget(cheapestUSD: Double, budgetUSD: Double, target: SLO) -> String {
        let percentile = percentileLabel(target.percentile)
        let targets = [
            target.ttftMs.map { String(format: "%@ TTFT ≤ %g ms", percentile, $0) },
            target.tpotMs.map { String(format: "%@ TPOT ≤ %g ms", percentile, $0) },
        ].compactMap { $0 }.joined(separator: " and ")
        return String(format: "the cheapest build that meets %@ for the demand costs %@; budget is %@",
                      targets.isEmpty ? "the targets" : targets, usd(cheapestUSD), usd(budgetUSD))
    }

    static func percentileLabel(_ percentile: Double) -> String {
        percentile.rounded() == percentile ? "P\(Int(percentile))" : String(format: "P%g", percentile)
    }

    /// `$412,300`.
    static func usd(_ value: Double) -> String {
        let rounded = Int(value.rounded())
        let digits = String(abs(rounded))
        var grouped = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (rounded < 0 ? "-$" : "$") + grouped
    }
}
