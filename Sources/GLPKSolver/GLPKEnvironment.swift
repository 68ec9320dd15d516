import CGLPK
import Foundation

/// GLPK keeps global state and aborts the process on invalid calls. Every call into GLPK goes through
/// ``GLPKEnvironment/run(_:)``: each problem is created, solved and deleted synchronously on the
/// calling thread, never across an `await`.
///
/// A GLPK built with thread-local storage (`glp_config("TLS")` is set, as in Debian's build) keeps
/// one environment per thread, so problems on different threads never share state and solves run in
/// parallel. Any other build shares one environment: then one lock serialises every call.
enum GLPKEnvironment {
    private static let lock = NSLock()

    /// Whether this GLPK keeps its environment per thread.
    static let isThreadLocal: Bool = glp_config("TLS") != nil

    /// Runs `body` with GLPK's hooks installed on this thread, under the process-wide lock unless
    /// GLPK's environment is thread-local.
    static func run<T>(_ body: () throws -> T) rethrows -> T {
        if !isThreadLocal { lock.lock() }
        defer { if !isThreadLocal { lock.unlock() } }
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
