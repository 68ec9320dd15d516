import Foundation
import LinearModel

/// Turns what the optimizer found (a ``FormulationOutcome``) into a ``Plan``: the one place that maps
/// the solver's termination to a ``PlanStatus`` and reads a solved formulation back into the plan's
/// terms (through ``PlanExtraction``).
enum PlanAssembler {
    /// The plan for `outcome`: a build when the solve found one, otherwise the status and diagnosis.
    static func plan(_ outcome: FormulationOutcome, requirements: Requirements, context: PlanContext) -> Plan {
        switch outcome.termination {
        case .optimal:
            guard let solution = outcome.solution else { break }
            return plan(solution, status: .optimal, context: context)
        case let .feasible(limit, gap):
            guard let solution = outcome.solution else { break }
            var plan = plan(solution, status: .feasible(limit: SearchLimit(limit), gap: gap), context: context)
            if limit == .time {
                plan.warnings.append("the solver stopped at the time limit: this plan meets every target but may not be the cheapest"
                    + (gap.map { String(format: " (gap %.1f%%)", $0 * 100) } ?? ""))
            }
            return plan
        case .infeasible, .unbounded:
            return withoutBuild(.infeasible, requirements: requirements, context: context, diagnosis: outcome.diagnosis)
        case let .noSolutionFound(limit):
            return withoutBuild(.noPlanWithinLimit(SearchLimit(limit)), requirements: requirements, context: context, diagnosis: outcome.diagnosis)
        case .solverError:
            return withoutBuild(.error, requirements: requirements, context: context, diagnosis: outcome.diagnosis)
        }
        return withoutBuild(.error, requirements: requirements, context: context, diagnosis: ["internal error: a solve that reported a solution returned none; please report this"])
    }

    /// The plan a solved formulation stands for: its configurations, bill of materials, totals,
    /// deployments, performance at capacity, binding constraints and warnings.
    static func plan(_ solution: FormulationSolution, status: PlanStatus, context: PlanContext) -> Plan {
        let formulation = solution.formulation, result = solution.result
        let extraction = PlanExtraction(formulation: formulation, values: result.values)
        let problem = formulation.problem
        let bom = extraction.billOfMaterials
        let capex = bom.reduce(0) { $0 + $1.extendedPriceUSD }
        let averageWatts = extraction.averageWallWatts
        var tco: Double?
        var objective = PlanObjectiveValue(metric: .capexUSD, value: capex)
        if case let .minimumTCO(years, price, pue) = problem.requirements.objective {
            let energy = averageWatts / 1000 * years * 8766 * pue * price
            tco = capex + energy
            objective = PlanObjectiveValue(metric: .tcoUSD, value: capex + energy)
        }
        let configurations = extraction.serverConfigurations
        let deployments = extraction.deployments.map { g, replicas -> DeploymentLine in
            let group = formulation.groups[g]
            return DeploymentLine(
                gpuID: group.gpu.id, gpuName: group.gpu.listing.name, tensorParallel: group.tensorParallel,
                replicas: replicas, gpus: replicas * group.tensorParallel,
                weightPrecision: context.weightPrecision, kvCachePrecision: context.kvPrecision,
                capacityPerReplica: group.candidate.capacityPerReplica, memoryUsedPerGPUGiB: group.candidate.memoryUsedPerGPUGiB,
                memoryPerGPUGiB: group.gpu.memoryGiB, capacityLimit: group.candidate.limit,
                expertParallel: context.mixtureOfExperts != nil && group.candidate.layout.expertParallel && group.tensorParallel > 1,
                attentionDataParallel: group.candidate.layout.attentionDataParallel && group.tensorParallel > 1,
                maxNumSeqs: group.candidate.maxNumSeqs
            )
        }
        let used = extraction.deployments.map { formulation.groups[$0.group] }
        let capacity = extraction.deployments.reduce(0) { $0 + Double($1.replicas) * formulation.groups[$1.group].candidate.capacityPerReplica }
        let ttftAtCapacity = used.map(\.candidate.ttftMs).max() ?? 0
        let tpotAtCapacity = used.map(\.candidate.tpotMs).max() ?? 0
        let tokensAtCapacity = extraction.deployments.reduce(0) { $0 + Double($1.replicas) * formulation.groups[$1.group].candidate.outputTokensPerSecond }
        let performance = PredictedPerformance(
            ttftMs: ttftAtCapacity, tpotMs: tpotAtCapacity,
            ttftAtCapacityMs: ttftAtCapacity, tpotAtCapacityMs: tpotAtCapacity,
            ttftTargetMs: context.target.ttftMs, tpotTargetMs: context.target.tpotMs,
            percentile: context.target.percentile,
            outputTokensPerSecond: tokensAtCapacity, outputTokensPerSecondAtCapacity: tokensAtCapacity,
            capacity: capacity,
            maxConcurrency: extraction.deployments.reduce(0) { $0 + Double($1.replicas) * formulation.groups[$1.group].candidate.concurrencyPerReplica },
            demand: problem.requirements.demand, demandUnit: context.demandUnit,
            growthHeadroom: context.growthHeadroom
        )
        let gpus = deployments.reduce(0) { $0 + $1.gpus }
        let servers = configurations.reduce(0) { $0 + $1.configuration.count }
        var plan = Plan(
            status: status, specName: context.specName, objective: objective,
            totals: PlanTotals(
                capexUSD: capex, peakPowerWatts: extraction.peakWallWatts, averagePowerWatts: averageWatts,
                gpus: gpus, servers: servers, racks: extraction.racks, rackUnits: extraction.rackUnits, tcoUSD: tco
            ),
            deployments: deployments, performance: performance,
            servers: configurations.map(\.configuration), bom: bom,
            bindingConstraints: BindingConstraints.binding(formulation: formulation, result: result),
            warnings: PlanWarnings.for(deployments: used, bom: bom, context: context)
        )
        plan.reused = context.reused
        return plan
    }

    /// A plan with nothing to buy: its status, the warnings known before solving, and why.
    static func withoutBuild(_ status: PlanStatus, requirements: Requirements, context: PlanContext, diagnosis: [String]) -> Plan {
        let metric: ObjectiveMetric = requirements.objective == .minimumCapex ? .capexUSD : .tcoUSD
        var plan = Plan(
            status: status, specName: context.specName, objective: PlanObjectiveValue(metric: metric, value: 0),
            totals: PlanTotals(), warnings: context.warnings, diagnosis: diagnosis
        )
        plan.reused = context.reused
        return plan
    }
}

extension SearchLimit {
    /// The plan's name for a solver's limit.
    init(_ limit: TerminationReason.Limit) {
        switch limit {
        case .time: self = .time
        case .relativeGap: self = .relativeGap
        case .iterations: self = .iterations
        case .interrupted: self = .interrupted
        }
    }
}

extension Optimizer {
    /// Solves `problem` into a ``Plan``; every solve it runs shares `clock`'s time limit (default: one
    /// that starts now).
    public func solve(_ problem: PlanningProblem, context: PlanContext, clock: SolveClock? = nil) -> Plan {
        solve(problem, context: context, clock: clock, groups: nil)
    }

    /// As ``solve(_:context:clock:)``, with ``solveFormulation(_:context:clock:groups:objectiveCutoff:diagnose:)``'s
    /// options.
    func solve(
        _ problem: PlanningProblem, context: PlanContext, clock: SolveClock?, groups: [ServerGroup]?,
        objectiveCutoff: Double? = nil, diagnose: Bool = true
    ) -> Plan {
        let outcome = solveFormulation(
            problem, context: context, clock: clock ?? SolveClock(options), groups: groups,
            objectiveCutoff: objectiveCutoff, diagnose: diagnose)
        return PlanAssembler.plan(outcome, requirements: problem.requirements, context: context)
    }
}
