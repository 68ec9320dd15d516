import ArgumentParser
import Foundation
import PlannerCore

/// A spec and the catalog it refers to, loaded for a command; any problem is printed to standard
/// error (one diagnostic per line, `file:line:column: key.path: message`) and exits 2.
struct LoadedSpec {
    var catalog: Catalog
    var spec: Spec
    /// How messages name the spec: its path, or `<stdin>`.
    var name: String

    init(path: String, catalogOptions: CatalogOptions) throws {
        catalog = try loadCatalog(catalogOptions)
        let input = try SpecInput(path: path)
        spec = try input.load(catalog: catalog)
        name = input.name
    }
}

/// A spec named on the command line, read once: a file, or standard input for `-` (diagnostics then
/// name it `<stdin>`). Reading failures (missing, a directory, unreadable) are user errors.
struct SpecInput {
    /// The name diagnostics use: the path as given, or `<stdin>`.
    var name: String
    var data: Data

    init(path: String) throws {
        do {
            if path == "-" {
                name = InputFile.standardInputName
                data = try InputFile.read(FileHandle.standardInput, name: name)
            } else {
                name = path
                data = try InputFile.read(path: path)
            }
        } catch {
            throw UserError(message: error.localizedDescription)
        }
    }

    /// Parses the spec (checked against `catalog` when given); invalid input prints every diagnostic
    /// and exits 2.
    func load(catalog: Catalog?) throws -> Spec {
        do {
            return try SpecLoader.parse(data: data, file: name, catalog: catalog)
        } catch {
            throw reportLoadError(error)
        }
    }
}

/// Prints a load error's diagnostics to standard error and returns the error that exits 2.
func reportLoadError(_ error: LoadError) -> Error {
    if case .invalid(let diagnostics) = error {
        for diagnostic in diagnostics.sorted() { StandardError.write(diagnostic.description) }
        return ExitCode(PlannerExit.invalidInput)
    }
    return UserError(message: error.localizedDescription)
}

/// Validates spec arguments: at most one may be `-` (standard input can be read once).
func validateStandardInputUse(_ paths: [String]) throws {
    guard paths.filter({ $0 == "-" }).count <= 1 else {
        throw ValidationError("standard input (-) can be given as one spec only")
    }
}

/// Exit codes, as documented in `planner --help` and the README.
enum PlannerExit {
    static let planFound: Int32 = 0
    static let infeasible: Int32 = 1
    static let invalidInput: Int32 = 2
    /// No plan was found before the time limit. A plan found when the time ran out is a plan: exit 0,
    /// with a warning on standard error (``timeLimitWarning(_:)``).
    static let noPlanWithinLimit: Int32 = 3
    static let internalError: Int32 = 4

    static func code(for status: PlanStatus) -> Int32 {
        switch status {
        case .optimal, .feasible: planFound
        case .infeasible: infeasible
        case .noPlanWithinLimit: noPlanWithinLimit
        case .error: internalError
        }
    }

    static let helpText = "Exit codes: 0 plan found (also one found when the time limit stopped the search, with a warning on standard error), 1 infeasible, 2 invalid input or usage, 3 no plan found within the time limit, 4 internal error."

    /// The exit code for `plan`, after writing ``limitWarning(_:)`` to standard error when it applies.
    static func finish(_ plan: Plan) -> ExitCode {
        if let warning = limitWarning(plan.status) { StandardError.write(warning) }
        return ExitCode(code(for: plan.status))
    }

    /// The standard-error line for a plan found when a limit stopped the search; nil for any other status.
    static func limitWarning(_ status: PlanStatus) -> String? {
        guard case let .feasible(limit, gap) = status else { return nil }
        return "warning: the \(limit == .time ? "time" : limit.rawValue.replacingOccurrences(of: "_", with: " ")) limit stopped the search: the plan meets every target but may not be the cheapest"
            + (gap.map { " (gap \(String(format: "%.1f", $0 * 100))%)" } ?? "")
    }
}
