import CGLPK
import Foundation
import LinearModel

/// File formats a ``Model`` can be written in.
public enum ModelFileFormat: String, Sendable, CaseIterable {
    /// CPLEX LP: readable, records the objective sense; names rewritten by ``GLPKNames/lpSafe(_:)``.
    case cplexLP = "lp"
    /// Free MPS. Note: MPS does not record a maximisation sense (GLPK writes the objective as is).
    case freeMPS = "mps"
}

/// Why a model could not be written.
public enum ModelExportError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidModel(ModelValidationError)
    case writeFailed(path: String)

    public var description: String {
        switch self {
        case let .invalidModel(error): error.description
        case let .writeFailed(path): "could not write the model to '\(path)': check the directory exists and is writable"
        }
    }
}

extension GLPKSolver {
    /// Writes `model` to `path` in `format`, atomically: to a temporary file beside it, then renamed.
    public func export(_ model: Model, to path: String, format: ModelFileFormat) throws(ModelExportError) {
        do { try model.validate() } catch { throw .invalidModel(error) }
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        let code = GLPKEnvironment.run { () -> Int32 in
            GLPKEnvironment.configureTerminal(verbose: false)
            let problem = GLPKProblem(model, lpNames: format == .cplexLP)
            switch format {
            case .cplexLP: return glp_write_lp(problem.pointer, nil, temporary)
            case .freeMPS: return glp_write_mps(problem.pointer, GLP_MPS_FILE, nil, temporary)
            }
        }
        guard code == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .writeFailed(path: path)
        }
    }
}
