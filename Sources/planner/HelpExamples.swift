/// The examples at the end of a command's help: `Examples:`, then one command per entry, indented
/// two spaces. A command too long for ``width`` columns continues on the following lines after
/// ` \`, so each one copies and pastes as one shell command, and ArgumentParser (which wraps help at
/// 80 columns) never breaks a line inside it.
enum HelpExamples {
    /// Widest line written, in characters.
    static let width = 78

    static func text(_ commands: String...) -> String {
        "Examples:\n" + commands.map(lines).joined(separator: "\n")
    }

    /// One command as lines: words packed greedily, each full line ending in ` \`.
    static func lines(_ command: String) -> String {
        var lines: [String] = []
        var line = "  "
        for word in command.split(separator: " ") {
            let indent = lines.isEmpty ? "  " : "      "
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                line = indent + word
            } else if line.count + 1 + word.count + 2 <= width {
                line += " " + word
            } else {
                lines.append(line + " \\")
                line = "      " + word
            }
        }
        return (lines + [line]).joined(separator: "\n")
    }
}
