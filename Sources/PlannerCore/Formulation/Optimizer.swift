import Foundation
import GLPKSolver
import LinearModel

/// What the optimizer reports besides the MILP itself: names and targets in the user's terms.
public struct PlanContext: Sendable, Hashable {
    public var specName: String
    public var target: SLO
    public var demandUnit: DemandUnit
    public var weightPrecision: Precision
    public var kvPrecision: Precision
    /// GPU/TP pairs the performance model ruled out, for the diagnosis.
    public var rejections: [CandidateRejection]
    /// Warnings known before the solve (catalog overlays, spec notes).
    public var warnings: [String]
    /// The seed's memory-bandwidth rule: warn when a chosen GPU has less (GB/s).
    public var bandwidthWarningGBps: Double
    /// GPU families the performance model has measurements for; a plan on any other family warns
    /// that its speed comes from the datasheet. `nil`: no such warning.
    public var calibratedFamilies: Set<GPUFamily>?
    /// GPUs timed by measured kernel curves of their own (the kernel table's coverage).
    public var gpusWithKernelCurves: Set<String> = []
    /// The spec's `constraints.growth_headroom`: the demand planned for is the stated load × (1 + this).
    public var growthHeadroom: Double = 0
    /// The month prices are judged against (`YYYY-MM`): `--as-of`, else the catalog's newest `as_of`. Lines priced
    /// more than 12 months before it warn. `nil`: no such warning.
    public var priceReferenceDate: String?
    /// Where ``priceReferenceDate`` comes from, in words (``PriceAge/referenceSource(of:)``).
    public var priceReferenceSource = "the catalog's newest price date"
    /// Where the plan is installed (a GeForce card warns only in a datacenter).
    public var site: Site = .datacenter
    /// Owned servers the plan reuses, with the load they carry.
    public var reused: [ReusedServers] = []

    public init(
        specName: String, target: SLO, demandUnit: DemandUnit, weightPrecision: Precision,
        kvPrecision: Precision, rejections: [CandidateRejection] = [], warnings: [String] = [],
        bandwidthWarningGBps: Double = 600
    ) {
        self.specName = specName
        self.target = target
        self.demandUnit = demandUnit
        self.weightPrecision = weightPrecision
        self.kvPrecision = kvPrecision
        self.rejections = rejections
        self.warnings = warnings
        self.bandwidthWarningGBps = bandwidthWarningGBps
    }
}

/// Builds the planner's MILP, solves it with GLPK and turns the answer into a ``Plan`` — or, for an
/// infeasible spec, into a diagnosis in the user's terms (by re-solving with penalised slack on the
/// budget and the demand).
public struct Optimizer: Sendable {
    public var options: SolveOptions

    public init(options: SolveOptions = SolveOptions()) {
        self.options = options
    }

    /// The MILP for `problem`, as it would be solved (for `--export-lp` and tests).
    public func model(for problem: PlanningProblem) -> Model {
        PlanFormulation(problem: problem).model
    }

    /// Solves `problem`; every solve it runs shares `clock`'s time limit (default: one that starts now).
    public func solve(_ problem: PlanningProblem, context: PlanContext, clock: SolveClock? = nil) -> Plan {
        solve(problem, context: context, clock: clock, groups: nil)
    }

    /// As ``solve(_:context:clock:)``, with the server groups already built (`nil`: build them).
    /// With an `objectiveCutoff`, only plans whose objective is at most the cutoff count. Without
    /// `diagnose`, an infeasible program is reported without the (costly) diagnosis: for callers
    /// that solve part of a problem and diagnose the whole one themselves.
    func solve(
        _ problem: PlanningProblem, context: PlanContext, clock: SolveClock?, groups: [ServerGroup]?,
        objectiveCutoff: Double? = nil, diagnose: Bool = true
    ) -> Plan {
        let clock = clock ?? SolveClock(options)
        let formulation = PlanFormulation(problem: problem, groups: groups, objectiveCutoff: objectiveCutoff)
        func emptyPlan(_ status: PlanStatus, diagnosis: [String]) -> Plan {
            Plan.withoutBuild(status, requirements: problem.requirements, context: context, diagnosis: diagnosis)
        }
        guard !formulation.groups.isEmpty else {
            return emptyPlan(.infeasible, diagnosis: Diagnosis.noCandidates(problem: problem, context: context))
        }
        let result: SolveResult
        do {
            result = try GLPKSolver().solve(formulation.model, options: clock.remaining)
        } catch {
            return emptyPlan(.error, diagnosis: ["internal error: the planner built an invalid model (\(error)); please report this"])
        }
        switch result.termination {
        case .optimal:
            return plan(formulation, result, status: .optimal, context: context)
        case let .feasible(limit, gap):
            var plan = plan(formulation, result, status: limit == .time ? .timeLimit : .feasible, context: context)
            plan.relativeGap = gap
            if limit == .time {
                plan.warnings.append("the solver stopped at the time limit: this plan meets every target but may not be the cheapest"
                    + (gap.map { String(format: " (gap %.1f%%)", $0 * 100) } ?? ""))
            }
            return plan
        case .infeasible where !diagnose:
            return emptyPlan(.infeasible, diagnosis: [])
        case .infeasible, .unbounded:
            return emptyPlan(.infeasible, diagnosis: Diagnosis.explain(problem: problem, context: context, clock: clock))
        case .noSolutionFound:
            return emptyPlan(.timeLimit, diagnosis: [Diagnosis.noPlanInTimeLine])
        case let .solverError(detail):
            return emptyPlan(.error, diagnosis: ["the solver failed: \(detail)"])
        }
    }

    /// The diagnosis of a problem the caller knows has no solution (within its budget): what
    /// ``solve(_:context:clock:)`` says of an infeasible program, as lines with their fixes.
    /// `infeasibleWithoutBudget`: the caller has proved there is none without the budget either,
    /// so the re-solve without it is skipped.
    func diagnosisLines(_ problem: PlanningProblem, context: PlanContext, clock: SolveClock, infeasibleWithoutBudget: Bool) -> [DiagnosisLine] {
        let classes = ClusterNetwork.classes(nics: problem.nics, switches: problem.switches, cables: problem.cables, requirement: problem.requirements.network)
        let groups = PlanFormulation.makeGroups(problem: problem, fabricClasses: classes)
        return groups.isEmpty
            ? Diagnosis.noCandidates(problem: problem, context: context).map { DiagnosisLine($0) }
            : Diagnosis.explainLines(problem: problem, context: context, clock: clock, infeasibleWithoutBudget: infeasibleWithoutBudget, groups: groups)
    }

    private func plan(_ formulation: PlanFormulation, _ result: SolveResult, status: PlanStatus, context: PlanContext) -> Plan {
        let extraction = PlanExtraction(formulation: formulation, values: result.values)
        let problem = formulation.problem
        let bom = extraction.billOfMaterials
        let capex = bom.reduce(0) { $0 + $1.extendedPriceUSD }
        let averageWatts = extraction.averageWallWatts
        var tco: Double?
        var objective = PlanObjectiveValue(metric: "capex_usd", value: capex)
        if case let .minimumTCO(years, price, pue) = problem.requirements.objective {
            let energy = averageWatts / 1000 * years * 8766 * pue * price
            tco = capex + energy
            objective = PlanObjectiveValue(metric: "tco_usd", value: capex + energy)
        }
        let configurations = extraction.serverConfigurations
        let deployments = extraction.deployments.map { g, replicas -> DeploymentLine in
            let group = formulation.groups[g]
            return DeploymentLine(
                gpuID: group.gpu.id, gpuName: group.gpu.listing.name, tensorParallel: group.tensorParallel,
                replicas: replicas, gpus: replicas * group.tensorParallel,
                weightPrecision: context.weightPrecision.rawValue, kvCachePrecision: context.kvPrecision.rawValue,
                capacityPerReplica: group.candidate.capacityPerReplica, memoryUsedPerGPUGiB: group.candidate.memoryUsedPerGPUGiB,
                memoryPerGPUGiB: group.gpu.memoryGiB
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
            demand: problem.requirements.demand, demandUnit: context.demandUnit.rawValue,
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
            bindingConstraints: BindingConstraints.names(formulation: formulation, result: result),
            warnings: PlanWarnings.for(deployments: used, bom: bom, context: context)
        )
        plan.reused = context.reused
        return plan
    }
}

extension Plan {
    /// A plan with nothing to buy: its status, the warnings known before solving, and why.
    static func withoutBuild(_ status: PlanStatus, requirements: Requirements, context: PlanContext, diagnosis: [String]) -> Plan {
        let metric = requirements.objective == .minimumCapex ? "capex_usd" : "tco_usd"
        var plan = Plan(
            status: status, specName: context.specName, objective: PlanObjectiveValue(metric: metric, value: 0),
            totals: PlanTotals(), warnings: context.warnings, diagnosis: diagnosis
        )
        plan.reused = context.reused
        return plan
    }
}
