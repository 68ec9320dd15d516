import ArgumentParser
import Foundation
import PlannerCore

/// A spec and the catalog it refers to, loaded for a command; any problem is printed to standard
/// error (one diagnostic per line, `file:line:column: key.path: message`) and exits 2.
struct LoadedSpec {
    var catalog: Catalog
    var spec: Spec

    init(path: String, catalogOptions: CatalogOptions) throws {
        catalog = try loadCatalog(catalogOptions)
        do {
            spec = try SpecLoader.load(path: path, catalog: catalog)
        } catch {
            if case .invalid(let diagnostics) = error {
                for diagnostic in diagnostics.sorted() { StandardError.write(diagnostic.description) }
                throw ExitCode(2)
            }
            throw UserError(message: error.localizedDescription)
        }
    }
}

/// Exit codes, as documented in `planner --help` and the README.
enum PlannerExit {
    static let planFound: Int32 = 0
    static let infeasible: Int32 = 1
    static let invalidInput: Int32 = 2
    static let timeLimit: Int32 = 3
    static let internalError: Int32 = 4

    static func code(for status: PlanStatus) -> Int32 {
        switch status {
        case .optimal, .feasible: planFound
        case .infeasible: infeasible
        case .timeLimit: timeLimit
        case .error: internalError
        }
    }

    static let helpText = "Exit codes: 0 plan found, 1 infeasible, 2 invalid input or usage, 3 no solution within the time limit, 4 internal error."
}

/// Writes command output: to standard output, or atomically to a file (a temporary file beside it,
/// then renamed), so a failed run never leaves a partial file.
enum OutputDestination {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(text.utf8).write(to: temporary)
            // rename(2) replaces an existing file atomically (FileManager.replaceItemAt fails on Linux
            // when the destination exists).
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw UserError(message: "cannot write \(path): \(error.localizedDescription); check the directory exists and is writable")
        }
    }
}
