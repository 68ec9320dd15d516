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

    /// One command as lines: words packed greedily, each full line ending in ` \`. Runs at every
    /// start (ArgumentParser reads each command's configuration), so it counts characters once per
    /// word rather than once per line.
    static func lines(_ command: String) -> String {
        var lines: [String] = []
        var line = "", length = 0
        for word in command.split(separator: " ") {
            let wordLength = word.count
            if length == 0 {
                line = (lines.isEmpty ? "  " : "      ") + word
                length = (lines.isEmpty ? 2 : 6) + wordLength
            } else if length + 1 + wordLength + 2 <= width {
                line += " " + word
                length += 1 + wordLength
            } else {
                lines.append(line + " \\")
                line = "      " + word
                length = 6 + wordLength
            }
        }
        return (lines + [length == 0 ? "  " : line]).joined(separator: "\n")
    }
}
