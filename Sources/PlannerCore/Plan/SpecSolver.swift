import Foundation
import LinearModel

/// The planner's front door: a spec and a catalog in, a ``Plan`` out. Builds the problem (the
/// performance model's candidates and the allowed catalog), solves the MILP, predicts latency at the
/// demand (not only at rated capacity), and, for an infeasible spec, says which of its own limits
/// stand in the way.
public struct SpecSolver: Sendable {
    public var options: SolveOptions
    /// Solves every program (``MILPSolver/glpk`` unless a caller, such as a test, passes another).
    public var solver: any Solver
    /// When set, receives each program solved for the plan (for `--export-lp`; see ``ProgramExport``).
    public var recorder: ProgramRecorder?

    public init(options: SolveOptions = SolveOptions(), solver: any Solver = MILPSolver.glpk.make(), recorder: ProgramRecorder? = nil) {
        self.options = options
        self.solver = solver
        self.recorder = recorder
    }

    /// A solver with a time limit for every solve a command runs together, with `solver`'s MILP solver;
    /// `verbose` lets the solver write its log to standard error. For callers that do not import
    /// LinearModel (the CLI).
    public init(timeLimitSeconds: Double, verbose: Bool = false, solver: MILPSolver = .glpk, recorder: ProgramRecorder? = nil) {
        self.init(options: SolveOptions(timeLimitSeconds: timeLimitSeconds, verbose: verbose), solver: solver.make(), recorder: recorder)
    }

    /// This solver without the recorder: the diagnosis's searches (without the budget, with relaxed
    /// specs) are not programs of the plan.
    var diagnosing: SpecSolver {
        var copy = self
        copy.recorder = nil
        return copy
    }

    /// The optimizer every solve of this spec solver runs through.
    var optimizer: Optimizer { Optimizer(options: options, solver: solver, recorder: recorder) }

    public func solve(_ spec: Spec, catalog: Catalog) -> Plan {
        solveExplained(spec, catalog: catalog).plan
    }

    /// ``solve(_:catalog:)``, with the diagnosis of an infeasible spec as lines that carry the change
    /// each proposes (for tests that apply them).
    func solveExplained(_ spec: Spec, catalog: Catalog) -> (plan: Plan, lines: [DiagnosisLine]) {
        let clock = SolveClock(options)
        let scope = MaximumThroughput.resolve(ProblemBuilder.scope(spec: spec, catalog: catalog), clock: clock, solver: solver)
        let search = searchByGPUType(scope, clock: clock)
        if let (plan, input) = search?.best {
            var plan = plan
            Self.predictAtDemand(&plan, input: input)
            return (plan, [])
        }
        let requirements = scope.problem.requirements, context = scope.context
        func infeasible(_ lines: [DiagnosisLine]) -> (plan: Plan, lines: [DiagnosisLine]) {
            (PlanAssembler.withoutBuild(.infeasible, requirements: requirements, context: context, diagnosis: lines.map(\.text)), lines)
        }
        // Proved: no plan on any type, within the budget (with a budget) or at all (without one).
        var infeasibleWithoutBudget = search?.isComplete == true && requirements.budgetUSD == nil
        if let budget = requirements.budgetUSD, !clock.isExhausted {
            // Nothing within the budget: the cheapest build without it says what the targets cost.
            var unbudgeted = scope
            unbudgeted.problem.requirements.budgetUSD = nil
            unbudgeted.problem.requirements.objective = .minimumCapex
            let cheapest = diagnosing.searchByGPUType(unbudgeted, clock: clock)
            if let plan = cheapest?.best?.plan, plan.totals.capexUSD > budget {
                return infeasible([Diagnosis.overBudgetLine(cheapestUSD: plan.totals.capexUSD, budgetUSD: budget, target: context.target)])
            }
            infeasibleWithoutBudget = cheapest?.isComplete == true && cheapest?.best == nil
        }
        if search != nil, clock.isExhausted {
            // Building the whole program to learn nothing more would outlast the limit by far.
            return (PlanAssembler.withoutBuild(.noPlanWithinLimit(.time), requirements: requirements, context: context, diagnosis: [Diagnosis.noPlanInTimeLine]), [])
        }
        let input = scope.input(for: scope.gpus)
        var lines: [DiagnosisLine]
        if infeasibleWithoutBudget {
            lines = optimizer.diagnosisLines(input.problem, context: input.context, clock: clock, infeasibleWithoutBudget: true)
        } else {
            var plan = optimizer.solve(input.problem, context: input.context, clock: clock, groups: nil, diagnose: false)
            guard plan.status == .infeasible else {
                Self.predictAtDemand(&plan, input: input)
                return (plan, [])
            }
            lines = optimizer.diagnosisLines(input.problem, context: input.context, clock: clock, infeasibleWithoutBudget: false)
        }
        let relaxations = SpecRelaxation.explain(spec, catalog: catalog, solver: diagnosing, clock: clock)
        if !relaxations.isEmpty {
            lines.removeAll { $0.text == Diagnosis.genericLine }
            lines += relaxations
        }
        return infeasible(lines)
    }

    /// The cheapest plan for `scope` (split by GPU type when it applies), without any diagnosis;
    /// `nil` when there is none. For the relaxations of an infeasible spec.
    func cheapestPlan(_ scope: PlanningScope, clock: SolveClock) -> Plan? {
        if let search = searchByGPUType(scope, clock: clock) { return search.best?.plan }
        let input = scope.input(for: scope.gpus)
        let plan = optimizer.solve(input.problem, context: input.context, clock: clock, groups: nil, diagnose: false)
        return plan.status.hasPlan ? plan : nil
    }

    /// What the search over GPU types found.
    struct TypeSearch {
        /// The best plan, with the input of its type.
        var best: (plan: Plan, input: PlanningInput)?
        /// Every type was settled: solved to the end, or ruled out by its bound (the budget's or the
        /// best plan's). Without a plan, this proves no type has one (within the budget).
        var isComplete: Bool
    }

    /// With one GPU type per plan, the `gpu_types` constraint splits the program by GPU type: the
    /// optimum is the best of the per-type optima. The types wait in a queue ordered by a lower
    /// bound on their objective (``TypeBound``), cheapest first, skipping any whose capex bound
    /// exceeds the budget. A type first enters with its cheap bound (catalog figures, load per
    /// replica from the maximum-throughput point); when it comes to the front, its exact candidates
    /// and server groups give a tighter bound and it goes back in the queue; when it comes to the
    /// front again, its own MILP is solved, with an objective cutoff just below the best plan so far.
    /// The search ends when the front bound is no better than the best plan. `nil` when types may be
    /// mixed, when there are few types, or when no type has a plan (the full program then gives the
    /// diagnosis).
    func solveByGPUType(_ scope: PlanningScope, clock: SolveClock) -> (Plan, PlanningInput)? {
        searchByGPUType(scope, clock: clock)?.best
    }

    /// The search ``solveByGPUType(_:clock:)`` describes, telling whether it settled every type;
    /// `nil` when the split does not apply.
    func searchByGPUType(_ scope: PlanningScope, clock: SolveClock) -> TypeSearch? {
        guard !scope.problem.requirements.allowMixedGPUTypes, scope.gpus.count > 4 else { return nil }
        let budget = scope.problem.requirements.budgetUSD ?? .infinity
        let exact = TypeBound(scope)
        typealias Queue = TypeQueue<ExactType>
        var queue = Queue(TypeBound.cheapBounds(scope).filter { $0.capexUSD <= budget }.map { Queue.Entry(bound: $0) })
        var best: (plan: Plan, input: PlanningInput)?
        var unsettled = false
        func improves(_ bound: Double) -> Bool { best.map { bound < $0.plan.objective.value * (1 - 1e-9) } ?? true }
        while let entry = queue.first, improves(entry.bound.objective), !clock.isExhausted {
            queue.removeFirst()
            let gpu = entry.bound.gpu
            guard let (input, groups) = entry.exact else {
                if let refined = Self.exactEntry(for: gpu, scope: scope, bounds: exact), refined.bound.capexUSD <= budget {
                    queue.insert(refined)
                }
                continue
            }
            let plan = optimizer.solve(
                input.problem, context: input.context, clock: clock, groups: groups,
                objectiveCutoff: best.map { $0.plan.objective.value * (1 - 1e-9) }, diagnose: false
            )
            if plan.status != .optimal && plan.status != .infeasible { unsettled = true }
            guard plan.status.hasPlan else { continue }
            if improves(plan.objective.value) { best = (plan, input) }
        }
        let stoppedEarly = clock.isExhausted && queue.first.map { improves($0.bound.objective) } == true
        guard var found = best else { return TypeSearch(best: nil, isComplete: !unsettled && !stoppedEarly) }
        if stoppedEarly, found.plan.status == .optimal {
            found.plan.status = .feasible(limit: .time, gap: nil)
            found.plan.warnings.append("the time limit stopped the search over GPU types: GPU types with a lower bound under this plan's cost were not all solved")
        }
        return TypeSearch(best: found, isComplete: !unsettled && !stoppedEarly)
    }

    /// What a type's exact bound is computed from, kept for its MILP.
    typealias ExactType = (input: PlanningInput, groups: [ServerGroup])

    /// A type's exact queue entry: its candidates, the chassis that fit it and are not beaten for
    /// it, their server groups, and the bound they give. `nil` when nothing of the type can serve.
    private static func exactEntry(
        for gpu: GPU, scope: PlanningScope, bounds: TypeBound
    ) -> TypeQueue<ExactType>.Entry? {
        var input = scope.input(for: [gpu])
        guard !input.problem.candidates.isEmpty else { return nil }
        input.problem.servers = Dominance.undominatedServers(input.problem.servers.filter { $0.accepts(gpu) }, gpus: [gpu])
        let problem = input.problem
        let classes = ClusterNetwork.classes(nics: problem.nics, switches: problem.switches, cables: problem.cables, requirement: problem.requirements.network)
        let groups = PlanFormulation.makeGroups(problem: problem, fabricClasses: classes)
        let replicas = problem.candidates.map { TypeBound.ReplicaOption(tensorParallel: $0.tensorParallel, capacity: $0.capacityPerReplica) }
        guard let bound = bounds.bound(gpu, replicas: replicas, figures: TypeBound.serverFigures(groups)) else { return nil }
        return .init(bound: bound, exact: (input, groups))
    }

    /// The MILP `solve` would build for `spec`, for `--export-lp`.
    public func model(for spec: Spec, catalog: Catalog) -> Model {
        optimizer.model(for: ProblemBuilder.build(spec: spec, catalog: catalog).problem)
    }

    /// Replaces the plan's at-capacity latency with the latency while it carries the demand: the
    /// demand is spread over the replicas in proportion to their capacity, and each deployment is
    /// predicted at its share; the plan reports its worst deployment.
    static func predictAtDemand(_ plan: inout Plan, input: PlanningInput) {
        guard var performance = plan.performance, performance.demand > 0, performance.capacity > 0 else { return }
        var ttft = 0.0, tpot = 0.0, tokens = 0.0
        for deployment in plan.deployments {
            guard let gpu = input.problem.candidates.first(where: { $0.gpu.id == deployment.gpuID })?.gpu else { return }
            let load = performance.demand * deployment.capacityPerReplica / performance.capacity
            let layout = ParallelLayout(expertParallel: deployment.expertParallel, attentionDataParallel: deployment.attentionDataParallel)
            guard let point = input.generator.predict(
                gpu: gpu, tensorParallel: deployment.tensorParallel, load: load,
                layout: deployment.tensorParallel > 1 ? layout : nil
            ) else { return }
            ttft = max(ttft, point.ttftMs)
            tpot = max(tpot, point.tpotMs)
            tokens += Double(deployment.replicas) * point.outputTokensPerSecond
        }
        performance.ttftMs = min(ttft, performance.ttftAtCapacityMs)
        performance.tpotMs = min(tpot, performance.tpotAtCapacityMs)
        performance.outputTokensPerSecond = tokens
        plan.performance = performance
    }
}
