import Foundation

/// What the terminal allows: colour only when standard output is a terminal and `NO_COLOR` is unset
/// or empty (https://no-color.org: "when present and not an empty string"); progress lines only when
/// standard output is a terminal.
enum Terminal {
    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Colour for output written to standard output (never when it goes to a file).
    static func colour(writingTo path: String?) -> Bool {
        path == nil && stdoutIsTerminal && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }

    /// A progress line on standard error, rewritten in place (`\r`), when standard output is a terminal.
    static func progress(_ text: String) {
        guard stdoutIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    static func endProgress() {
        guard stdoutIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
