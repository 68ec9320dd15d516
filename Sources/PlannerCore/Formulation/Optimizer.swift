import Foundation
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
    /// The model served when it is a mixture of experts (its id), for the hint that a replica of several
    /// GPUs in the engines' default layout could run its experts expert-parallel; nil for a dense model.
    public var mixtureOfExperts: String?
    /// Whether the spec left a layout switch to the planner (`auto`): each replica's layout is then the one
    /// its candidate was sized in, and the hint to price the other layout is moot.
    public var choosesParallelLayout = false

    public init(
        specName: String, target: SLO, demandUnit: DemandUnit, weightPrecision: Precision,
        kvPrecision: Precision, rejections: [CandidateRejection] = [], warnings: [String] = [],
        bandwidthWarningGBps: Double = SeedRules.memoryBandwidthWarningGBps
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
    /// Solves every program, the diagnosis's re-solves included.
    public var solver: any Solver
    /// When set, receives each program solved for a plan (``ProgramRecorder``).
    public var recorder: ProgramRecorder?

    public init(options: SolveOptions = SolveOptions(), solver: any Solver = MILPSolver.glpk.make(), recorder: ProgramRecorder? = nil) {
        self.options = options
        self.solver = solver
        self.recorder = recorder
    }

    /// The MILP for `problem`, as it would be solved (for `--export-lp` and tests).
    public func model(for problem: PlanningProblem) -> Model {
        PlanFormulation(problem: problem).model
    }

    /// Solves the formulation of `problem` and says how it ended, before it is a plan (Plan/PlanAssembler
    /// makes one). Every solve it runs shares `clock`'s time limit. `groups`: the server groups already
    /// built (`nil`: build them). With an `objectiveCutoff`, only solutions whose objective is at most
    /// the cutoff count. Without `diagnose`, an infeasible program is reported without the (costly)
    /// diagnosis: for callers that solve part of a problem and diagnose the whole one themselves.
    func solveFormulation(
        _ problem: PlanningProblem, context: PlanContext, clock: SolveClock, groups: [ServerGroup]?,
        objectiveCutoff: Double? = nil, diagnose: Bool = true
    ) -> FormulationOutcome {
        let formulation = PlanFormulation(problem: problem, groups: groups, objectiveCutoff: objectiveCutoff)
        guard !formulation.groups.isEmpty else {
            return FormulationOutcome(termination: .infeasible, diagnosis: Diagnosis.noCandidates(problem: problem, context: context))
        }
        recorder?.record(formulation.model, gpuIDs: Set(formulation.groups.map(\.gpu.id)).sorted())
        let result: SolveResult
        do {
            result = try solver.solve(formulation.model, options: clock.remaining)
        } catch {
            return FormulationOutcome(
                termination: .solverError(detail: "\(error)"),
                diagnosis: ["internal error: the planner built an invalid model (\(error)); please report this"])
        }
        switch result.termination {
        case .optimal, .feasible:
            return FormulationOutcome(termination: result.termination, solution: FormulationSolution(formulation: formulation, result: result))
        case .infeasible where !diagnose:
            return FormulationOutcome(termination: .infeasible)
        case .infeasible, .unbounded:
            return FormulationOutcome(termination: result.termination, diagnosis: Diagnosis.explain(problem: problem, context: context, clock: clock, solver: solver))
        case .noSolutionFound:
            return FormulationOutcome(termination: result.termination, diagnosis: [Diagnosis.noPlanInTimeLine])
        case let .solverError(detail):
            return FormulationOutcome(termination: result.termination, diagnosis: ["the solver failed: \(detail)"])
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
            : Diagnosis.explainLines(problem: problem, context: context, clock: clock, solver: solver, infeasibleWithoutBudget: infeasibleWithoutBudget, groups: groups)
    }
}

/// A solved formulation: the program and the solver's values for it.
struct FormulationSolution {
    let formulation: PlanFormulation
    let result: SolveResult
}

/// How one solve of the formulation ended, in the solver's terms; Plan/PlanAssembler turns it into a
/// ``Plan``.
struct FormulationOutcome {
    /// Why the solve stopped; `.infeasible` also when no server group could serve the model.
    var termination: TerminationReason
    /// The solution, when ``termination`` carries one.
    var solution: FormulationSolution?
    /// Without a solution: why, in the user's terms (empty when the caller asked for no diagnosis).
    var diagnosis: [String] = []
}
