import ArgumentParser
import Foundation
import PlannerCore

/// Options every command that reads the catalog shares: use with `@OptionGroup var catalog: CatalogOptions`.
struct CatalogOptions: ParsableArguments {
    @Option(name: .customLong("catalog"), help: ArgumentHelp(
        "A catalog overlay: a directory of YAML files (or one file) whose entries replace shipped entries with the same id and add new ones. Repeatable; applied in order.",
        valueName: "dir"))
    var overlays: [String] = []

    @Option(name: .customLong("catalog-root"), help: ArgumentHelp(
        "The shipped catalog directory (default: $PLANNER_CATALOG_DIR, else ./catalogs, else the catalogs/ or share/planner/catalogs/ found above the planner executable).",
        valueName: "dir"))
    var catalogRoot: String?

    /// Loads the shipped catalog with the overlays applied.
    func load() throws(LoadError) -> Catalog {
        try CatalogLoader.load(catalogRoot: catalogRoot, overlays: overlays, executablePath: Self.executablePath)
    }

    /// The running executable's path, resolving a bare name through the file system.
    static var executablePath: String? {
        if let path = Bundle.main.executablePath { return path }
        return CommandLine.arguments.first
    }
}

/// Output formats for commands that print data.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// Writing to standard error.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}

/// A user-facing failure: the message is printed to standard error and the process exits with 2.
struct UserError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
