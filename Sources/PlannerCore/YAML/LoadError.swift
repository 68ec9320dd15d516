import Foundation

/// Why a catalog or spec could not be loaded.
public enum LoadError: LocalizedError, Equatable, Sendable {
    /// The files were read but are wrong; every problem found, sorted by file and line.
    case invalid([Diagnostic])
    /// A file or directory named on the command line does not exist.
    case fileNotFound(String)
    /// A path named as a file is a directory.
    case isDirectory(String)
    /// A file exists but cannot be read; `reason` is the system's (`permission denied`).
    case unreadable(String, reason: String)
    /// The shipped catalog directory could not be found; `searched` lists where it looked.
    case catalogNotFound(searched: [String])
    /// A catalog overlay directory holds no `.yaml` files.
    case emptyOverlay(String)

    public var errorDescription: String? {
        switch self {
        case .invalid(let diagnostics):
            return diagnostics.map(\.description).joined(separator: "\n")
        case .fileNotFound(let path):
            return "\(path): no such file or directory; check the path (relative paths are from the current directory)"
        case .isDirectory(let path):
            return "\(path) is a directory, expected a YAML file; name the file inside it"
        case .unreadable(let path, let reason):
            return "\(path): cannot read the file (\(reason)); check its permissions"
        case .catalogNotFound(let searched):
            return "cannot find the shipped catalog directory (looked in: \(searched.joined(separator: ", "))); "
                + "pass --catalog-root DIR, set PLANNER_CATALOG_DIR to the repository's catalogs/ directory, "
                + "or install with make install PREFIX=DIR (catalogs in DIR/share/planner/catalogs)"
        case .emptyOverlay(let path):
            return "\(path): catalog overlay holds no .yaml files; pass a directory of YAML files or a single .yaml file"
        }
    }

    /// The diagnostics, for `.invalid`; otherwise one diagnostic-free message.
    public var diagnostics: [Diagnostic] {
        if case .invalid(let d) = self { return d }
        return []
    }
}
