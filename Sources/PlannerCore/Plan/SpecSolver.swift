import Foundation
import LinearModel

/// The planner's front door: a spec and a catalog in, a ``Plan`` out. Builds the problem (the
/// performance model's candidates and the allowed catalog), solves the MILP, predicts latency at the
/// demand (not only at rated capacity), and, for an infeasible spec, says which of its own limits
/// stand in the way.
public struct SpecSolver: Sendable {
    public var options: SolveOptions

    public init(options: SolveOptions = SolveOptions()) {
        self.options = options
    }

    public func solve(_ spec: Spec, catalog: Catalog) -> Plan {
        let clock = SolveClock(options)
        let scope = ProblemBuilder.scope(spec: spec, catalog: catalog)
        if let (plan, input) = solveByGPUType(scope, clock: clock) {
            var plan = plan
            Self.predictAtDemand(&plan, input: input)
            return plan
        }
        if let budget = scope.problem.requirements.budgetUSD {
            // Nothing within the budget: the cheapest build without it says what the targets cost.
            var unbudgeted = scope
            unbudgeted.problem.requirements.budgetUSD = nil
            unbudgeted.problem.requirements.objective = .minimumCapex
            if let (cheapest, _) = solveByGPUType(unbudgeted, clock: clock), cheapest.totals.capexUSD > budget {
                let metric = scope.problem.requirements.objective == .minimumCapex ? "capex_usd" : "tco_usd"
                return Plan(
                    status: .infeasible, specName: scope.context.specName, objective: PlanObjectiveValue(metric: metric, value: 0),
                    totals: PlanTotals(), warnings: scope.context.warnings,
                    diagnosis: [Diagnosis.overBudget(cheapestUSD: cheapest.totals.capexUSD, budgetUSD: budget, target: scope.context.target)]
                )
            }
        }
        let input = scope.input(for: scope.gpus)
        var plan = Optimizer(options: options).solve(input.problem, context: input.context, clock: clock)
        Self.predictAtDemand(&plan, input: input)
        if plan.status == .infeasible {
            let relaxations = SpecRelaxation.explain(spec, catalog: catalog, clock: clock)
            if !relaxations.isEmpty {
                plan.diagnosis.removeAll { $0 == Diagnosis.genericLine }
                plan.diagnosis += relaxations
            }
        }
        return plan
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
        guard !scope.problem.requirements.allowMixedGPUTypes, scope.gpus.count > 4 else { return nil }
        let budget = scope.problem.requirements.budgetUSD ?? .infinity
        let exact = TypeBound(scope)
        typealias Queue = TypeQueue<ExactType>
        var queue = Queue(TypeBound.cheapBounds(scope).filter { $0.capexUSD <= budget }.map { Queue.Entry(bound: $0) })
        var best: (plan: Plan, input: PlanningInput)?
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
            let plan = Optimizer(options: options).solve(
                input.problem, context: input.context, clock: clock, groups: groups,
                objectiveCutoff: best.map { $0.plan.objective.value * (1 - 1e-9) }, diagnose: false
            )
            guard plan.status == .optimal || plan.status == .feasible || (plan.status == .timeLimit && !plan.bom.isEmpty) else { continue }
            if improves(plan.objective.value) { best = (plan, input) }
        }
        guard var found = best else { return nil }
        if clock.isExhausted, let next = queue.first, improves(next.bound.objective), found.plan.status == .optimal {
            found.plan.status = .timeLimit
            found.plan.warnings.append("the time limit stopped the search over GPU types: GPU types with a lower bound under this plan's cost were not all solved")
        }
        return found
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
        Optimizer(options: options).model(for: ProblemBuilder.build(spec: spec, catalog: catalog).problem)
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
            guard let point = input.generator.predict(gpu: gpu, tensorParallel: deployment.tensorParallel, load: load) else { return }
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

/// Which of a spec's own limits make it infeasible: each pin and each optional constraint the spec
/// sets is relaxed in turn, and every relaxation that yields a plan is reported with its cost.
enum SpecRelaxation {
    struct Relaxation {
        var label: String
        var apply: (inout Spec) -> Void
    }

    static func candidates(for spec: Spec) -> [Relaxation] {
        var list: [Relaxation] = []
        let pin = spec.pin
        let pinFamilies: [(String, Bool, (inout Pin) -> Void)] = [
            ("pin.gpu", pin.gpu != nil, { $0.gpu = nil }),
            ("pin.gpu_count", pin.gpuCount != nil, { $0.gpuCount = nil }),
            ("pin.tensor_parallel", pin.tensorParallel != nil, { $0.tensorParallel = nil }),
            ("pin.server", pin.server != nil, { $0.server = nil }),
            ("pin.server_count", pin.serverCount != nil, { $0.serverCount = nil }),
            ("pin.psu / pin.psus_per_server", pin.psu != nil || pin.psusPerServer != nil, { $0.psu = nil; $0.psusPerServer = nil }),
            ("pin.dimm / pin.dimms_per_server", pin.dimm != nil || pin.dimmsPerServer != nil, { $0.dimm = nil; $0.dimmsPerServer = nil }),
            ("pin.ssd / pin.ssds_per_server / pin.raid_level", pin.ssd != nil || pin.ssdsPerServer != nil || pin.raidLevel != nil, {
                $0.ssd = nil; $0.ssdsPerServer = nil; $0.raidLevel = nil
            }),
            ("pin.nic / pin.nics_per_server", pin.nic != nil || pin.nicsPerServer != nil, { $0.nic = nil; $0.nicsPerServer = nil }),
            ("pin.rack", pin.rack != nil, { $0.rack = nil }),
        ]
        for (label, isSet, clear) in pinFamilies where isSet {
            list.append(Relaxation(label: "releasing \(label)") { clear(&$0.pin) })
        }
        let c = spec.constraints
        if let limit = c.rackPowerKW {
            list.append(Relaxation(label: "removing constraints.rack_power_kw (\(Format.fixed(limit, 1)) kW)") { $0.constraints.rackPowerKW = nil })
        }
        if c.cooling != .any {
            list.append(Relaxation(label: "allowing any cooling (constraints.cooling is \(c.cooling.rawValue))") { $0.constraints.cooling = .any })
        }
        if c.network.fabric != .any {
            list.append(Relaxation(label: "allowing any fabric (constraints.network.fabric is \(c.network.fabric.rawValue))") { $0.constraints.network.fabric = .any })
        }
        if let tp = c.maxTensorParallel, tp < 8 {
            list.append(Relaxation(label: "raising constraints.max_tensor_parallel (\(tp)) to 8") { $0.constraints.maxTensorParallel = nil })
        }
        if c.gpus.allow != nil || !c.gpus.deny.isEmpty {
            list.append(Relaxation(label: "allowing every GPU (constraints.gpus)") { $0.constraints.gpus = GPUFilter() })
        }
        if let bandwidth = c.minMemoryBandwidthGBps {
            list.append(Relaxation(label: "removing constraints.min_memory_bandwidth_gbps (\(Format.fixed(bandwidth, 0)) GB/s)") { $0.constraints.minMemoryBandwidthGBps = nil })
        }
        if c.psuRedundancy != .none {
            list.append(Relaxation(label: "lowering constraints.psu_redundancy (\(c.psuRedundancy.rawValue)) to none") { $0.constraints.psuRedundancy = .none })
        }
        if c.storage.minFaultTolerance > 0 {
            list.append(Relaxation(label: "lowering constraints.storage.min_fault_tolerance (\(c.storage.minFaultTolerance)) to 0") { $0.constraints.storage.minFaultTolerance = 0 })
        }
        if c.replicaRedundancy != .none {
            list.append(Relaxation(label: "dropping constraints.replica_redundancy (n+1)") { $0.constraints.replicaRedundancy = .none })
        }
        return list
    }

    /// One line per relaxation that makes the spec feasible (at most six), with the plan's cost.
    static func explain(_ spec: Spec, catalog: Catalog, clock: SolveClock) -> [String] {
        var lines: [String] = []
        for relaxation in candidates(for: spec) where !clock.isExhausted {
            var relaxed = spec
            relaxation.apply(&relaxed)
            let input = ProblemBuilder.build(spec: relaxed, catalog: catalog)
            let plan = Optimizer(options: clock.options).solve(input.problem, context: input.context, clock: clock)
            guard plan.status == .optimal || plan.status == .feasible, let deployment = plan.deployments.first else { continue }
            lines.append("\(relaxation.label) makes it feasible: \(Format.usd(plan.totals.capexUSD)) for \(plan.totals.gpus) × \(deployment.gpuID)")
            if lines.count == 6 { break }
        }
        return lines
    }
}
