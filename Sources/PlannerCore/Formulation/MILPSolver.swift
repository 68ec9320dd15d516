import GLPKSolver
import LinearModel

/// The MILP solvers PlannerCore can drive, and the one file of PlannerCore that names a concrete
/// solver (LayeringTests checks that no other file imports GLPKSolver). Everything else takes
/// `any Solver` (LinearModel's protocol), so tests pass a fake and a second solver is one more case
/// here, not a change to the formulation.
public enum MILPSolver: String, Sendable, CaseIterable {
    /// GLPK's branch-and-cut (`glp_intopt`), through the GLPKSolver target.
    case glpk

    /// A solver of this kind.
    public func make() -> any Solver {
        switch self {
        case .glpk: GLPKSolver()
        }
    }

    /// Writes `model` to `path` in `format`, atomically.
    func write(_ model: Model, to path: String, format: ProgramFileFormat) throws(ProgramExportError) {
        switch self {
        case .glpk:
            do {
                try GLPKSolver().export(model, to: path, format: format == .lp ? .cplexLP : .freeMPS)
            } catch {
                throw ProgramExportError(message: error.description)
            }
        }
    }
}

/// File formats a solved program can be exported in (`--export-lp`).
public enum ProgramFileFormat: String, Sendable, CaseIterable {
    /// CPLEX LP: readable, records the objective sense; `glpsol --lp FILE` solves it.
    case lp
    /// Free MPS (`glpsol --freemps FILE`); MPS does not record a maximisation sense.
    case mps
}

/// Why a program could not be written: the message names the file and what to do.
public struct ProgramExportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
