import CGLPK
import LinearModel

/// Every GLPK return code and solution status, mapped to a ``TerminationReason`` in one place.
///
/// A return code of 0 from `glp_intopt` does not mean a solution exists: the status decides.
enum GLPKStatus {
    /// Maps `glp_intopt`'s return code and `glp_mip_status`.
    /// `classifyRelaxation` re-solves the LP relaxation without presolve and returns its status; it
    /// is only called when the presolver could not tell infeasible from unbounded.
    static func mipTermination(
        returnCode: Int32,
        status: Int32,
        lastGap: Double?,
        classifyRelaxation: () -> Int32
    ) -> TerminationReason {
        switch returnCode {
        case 0:
            switch status {
            case GLP_OPT: return .optimal
            case GLP_FEAS: return .feasible(limit: .relativeGap, relativeGap: lastGap)
            case GLP_NOFEAS: return .infeasible
            default: return .solverError(detail: "glp_intopt returned 0 with MIP status \(statusName(status))")
            }
        case GLP_ETMLIM, GLP_EMIPGAP, GLP_ESTOP:
            let limit: TerminationReason.Limit = switch returnCode {
            case GLP_ETMLIM: .time
            case GLP_EMIPGAP: .relativeGap
            default: .interrupted
            }
            switch status {
            case GLP_OPT: return .optimal
            case GLP_FEAS: return .feasible(limit: limit, relativeGap: lastGap)
            case GLP_NOFEAS: return .infeasible
            default: return .noSolutionFound(limit: limit)
            }
        case GLP_ENOPFS:
            return .infeasible
        case GLP_ENODFS:
            switch classifyRelaxation() {
            case GLP_UNBND: return .unbounded
            case GLP_NOFEAS, GLP_INFEAS: return .infeasible
            default: return .unbounded
            }
        case GLP_EBOUND:
            return .solverError(detail: "GLPK found incorrect bounds on some variable (GLP_EBOUND)")
        case GLP_EROOT:
            return .solverError(detail: "no optimal basis for the initial LP relaxation (GLP_EROOT)")
        case GLP_EFAIL:
            return .solverError(detail: "the search failed because of a solver error (GLP_EFAIL)")
        default:
            return .solverError(detail: "glp_intopt returned code \(returnCode)")
        }
    }

    /// Maps `glp_simplex`'s return code and `glp_get_status`.
    static func lpTermination(returnCode: Int32, status: Int32, classifyWithoutPresolve: () -> Int32) -> TerminationReason {
        switch returnCode {
        case 0:
            switch status {
            case GLP_OPT: return .optimal
            case GLP_FEAS: return .feasible(limit: .iterations, relativeGap: nil)
            case GLP_NOFEAS, GLP_INFEAS: return .infeasible
            case GLP_UNBND: return .unbounded
            default: return .solverError(detail: "glp_simplex returned 0 with status \(statusName(status))")
            }
        case GLP_ENOPFS:
            return .infeasible
        case GLP_ENODFS:
            switch classifyWithoutPresolve() {
            case GLP_NOFEAS, GLP_INFEAS: return .infeasible
            default: return .unbounded
            }
        case GLP_ETMLIM, GLP_EITLIM:
            let limit: TerminationReason.Limit = returnCode == GLP_ETMLIM ? .time : .iterations
            return status == GLP_FEAS ? .feasible(limit: limit, relativeGap: nil) : .noSolutionFound(limit: limit)
        case GLP_EOBJLL, GLP_EOBJUL:
            return .unbounded
        case GLP_EBADB, GLP_ESING, GLP_ECOND:
            return .solverError(detail: "the simplex basis is invalid or ill-conditioned (code \(returnCode))")
        case GLP_EBOUND:
            return .solverError(detail: "GLPK found incorrect bounds on some variable (GLP_EBOUND)")
        case GLP_EFAIL:
            return .solverError(detail: "the simplex solver failed (GLP_EFAIL)")
        default:
            return .solverError(detail: "glp_simplex returned code \(returnCode)")
        }
    }

    static func statusName(_ status: Int32) -> String {
        switch status {
        case GLP_UNDEF: "undefined"
        case GLP_FEAS: "feasible"
        case GLP_INFEAS: "infeasible"
        case GLP_NOFEAS: "no feasible"
        case GLP_OPT: "optimal"
        case GLP_UNBND: "unbounded"
        default: "code \(status)"
        }
    }
}
