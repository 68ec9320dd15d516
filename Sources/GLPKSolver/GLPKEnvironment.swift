import CGLPK
import Foundation

/// GLPK keeps global (per-thread) state and aborts the process on invalid calls. Every call into GLPK
/// goes through ``GLPKEnvironment/withLock(_:)``: one problem at a time, created, solved and deleted
/// synchronously on the calling thread, never across an `await`.
enum GLPKEnvironment {
    private static let lock = NSLock()

    /// Runs `body` holding the GLPK lock, with GLPK's error hook installed on this thread.
    static func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        installHooks()
        return try body()
    }

    /// The error hook is a backstop only: the model is validated in Swift before GLPK sees it. If GLPK
    /// still reports an invalid call, it would `abort()`; the hook instead says so on standard error
    /// and exits with the planner's "internal error" code.
    private static func installHooks() {
        glp_error_hook({ _ in
            FileHandle.standardError.write(Data("planner: internal error: GLPK rejected a call (please report this)\n".utf8))
            exit(4)
        }, nil)
    }

    /// Routes GLPK's terminal output to standard error when `verbose`, and silences it otherwise.
    static func configureTerminal(verbose: Bool) {
        if verbose {
            glp_term_out(GLP_ON)
            glp_term_hook({ _, text in
                if let text { FileHandle.standardError.write(Data(String(cString: text).utf8)) }
                return 1  // handled: GLPK must not write to stdout
            }, nil)
        } else {
            glp_term_hook(nil, nil)
            glp_term_out(GLP_OFF)
        }
    }
}
