import CGLPK
import Foundation
import LinearModel

/// Solves a ``Model`` with GLPK: presolve + branch-and-cut (`glp_intopt`) for a MIP, presolved simplex
/// (`glp_simplex`) for a pure LP.
///
/// Safe to call from any number of threads or tasks at once: each call validates the model in Swift,
/// then builds, solves and deletes its GLPK problem synchronously — in parallel where GLPK keeps its
/// environment per thread (`glp_config("TLS")`, as Debian builds it), else under one process-wide
/// lock (``GLPKEnvironment``).
/// GLPK's terminal output is off unless ``SolveOptions/verbose`` is set, and then goes to stderr.
public struct GLPKSolver: Solver {
    public init() {}

    public func solve(_ model: Model, options: SolveOptions = SolveOptions()) throws(ModelValidationError) -> SolveResult {
        try model.validate()
        let started = DispatchTime.now()
        let outcome = GLPKEnvironment.run { () -> (TerminationReason, [Double], Double?) in
            GLPKEnvironment.configureTerminal(verbose: options.verbose)
            let problem = GLPKProblem(model)
            return model.hasIntegerVariables
                ? Self.solveMIP(problem, columns: model.variables.count, options: options)
                : Self.solveLP(problem, columns: model.variables.count, options: options)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return SolveResult(termination: outcome.0, values: outcome.1, objectiveValue: outcome.2, solveSeconds: seconds)
    }

    // MARK: - MIP

    private static func solveMIP(_ problem: GLPKProblem, columns: Int, options: SolveOptions) -> (TerminationReason, [Double], Double?) {
        var parameters = glp_iocp()
        glp_init_iocp(&parameters)  // Swift zero-fills the struct: defaults must come from GLPK
        parameters.presolve = GLP_ON
        // Backtrack to the node with the best projection (GLPK's `--bestp`) rather than the best local
        // bound: the planner's programs have weak LP bounds (fixed server, rack and fabric costs), so
        // diving towards good incumbents prunes more. Measured in docs/benchmarks.md: llama-70b 75 → 61 ms
        // end to end, the ×100 catalog 1.59 → 1.31 s, the 1,000-point sweep 5.7 → 5.2 s; no example slower.
        parameters.bt_tech = GLP_BT_BPH
        parameters.msg_lev = options.verbose ? GLP_MSG_ON : GLP_MSG_OFF
        parameters.tm_lim = timeLimitMilliseconds(options.timeLimitSeconds)
        if let gap = options.relativeMIPGap, gap.isFinite, gap >= 0 { parameters.mip_gap = gap }
        let tracker = GapTracker()
        parameters.cb_func = { tree, info in
            guard let tree, let info else { return }
            let gap = glp_ios_mip_gap(tree)
            if gap.isFinite { Unmanaged<GapTracker>.fromOpaque(info).takeUnretainedValue().lastGap = gap }
        }
        let returnCode = withExtendedLifetime(tracker) { () -> Int32 in
            parameters.cb_info = Unmanaged.passUnretained(tracker).toOpaque()
            return glp_intopt(problem.pointer, &parameters)
        }
        let termination = GLPKStatus.mipTermination(
            returnCode: returnCode,
            status: glp_mip_status(problem.pointer),
            lastGap: tracker.lastGap,
            classifyRelaxation: { relaxationStatus(problem) }
        )
        guard termination.hasSolution else { return (termination, [], nil) }
        let values = (1...max(columns, 1)).prefix(columns).map { glp_mip_col_val(problem.pointer, Int32($0)) }
        return (termination, values, glp_mip_obj_val(problem.pointer))
    }

    /// Solves the LP relaxation without presolve, to tell an infeasible model from an unbounded one
    /// when the presolver only says "no dual feasible solution".
    private static func relaxationStatus(_ problem: GLPKProblem) -> Int32 {
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.presolve = GLP_OFF
        parameters.tm_lim = 10_000
        _ = glp_simplex(problem.pointer, &parameters)
        return glp_get_status(problem.pointer)
    }

    // MARK: - LP

    private static func solveLP(_ problem: GLPKProblem, columns: Int, options: SolveOptions) -> (TerminationReason, [Double], Double?) {
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.presolve = GLP_ON
        parameters.msg_lev = options.verbose ? GLP_MSG_ON : GLP_MSG_OFF
        parameters.tm_lim = timeLimitMilliseconds(options.timeLimitSeconds)
        let returnCode = glp_simplex(problem.pointer, &parameters)
        let termination = GLPKStatus.lpTermination(
            returnCode: returnCode,
            status: glp_get_status(problem.pointer),
            classifyWithoutPresolve: { relaxationStatus(problem) }
        )
        guard termination.hasSolution else { return (termination, [], nil) }
        let values = (0..<columns).map { glp_get_col_prim(problem.pointer, Int32($0 + 1)) }
        return (termination, values, glp_get_obj_val(problem.pointer))
    }

    /// GLPK takes milliseconds as `Int32`; `nil`, non-finite or huge limits mean "no limit".
    static func timeLimitMilliseconds(_ seconds: Double?) -> Int32 {
        guard let seconds, seconds.isFinite, seconds > 0 else { return Int32.max }
        return Int32(min(seconds * 1000, Double(Int32.max)).rounded(.up))
    }
}

/// Receives the relative gap from GLPK's branch-and-cut callback.
private final class GapTracker: @unchecked Sendable {
    var lastGap: Double?
}
