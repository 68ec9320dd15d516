import ArgumentParser
import Foundation
import PlannerCore

@main
struct Planner: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "planner",
        abstract: "Plan the hardware to buy to serve a large language model.",
        discussion: """
            \(PlannerExit.helpText) Results go to standard output, diagnostics to standard error; colour \
            only on a terminal, never when NO_COLOR is set (to anything but an empty string). A spec given as - \
            is read from standard input. Shell completion: planner --generate-completion-script bash|zsh|fish \
            (make install installs the scripts and the man page).

            \(HelpExamples.text(
                "planner solve examples/chat-8b.yaml",
                "planner bom examples/chat-8b.yaml --output bom.csv",
                "planner compare examples/chat-8b.yaml examples/pinned-70b.yaml",
                "planner sweep examples/chat-8b.yaml --vary slo.tpot_ms=10,20,50 --plot frontier.svg",
                "planner check examples/seed-8x-h100-check.yaml",
                "planner validate examples/chat-8b.yaml",
                "planner catalog list gpus"))
            """,
        version: PlannerVersion.current,
        subcommands: [Solve.self, BOM.self, Compare.self, Sweep.self, Check.self, Estimate.self, Simulate.self, Calibrate.self, Validate.self, CatalogCommand.self, Serve.self]
    )

    /// Runs the command; any bad input ends with a message on standard error and exit code 2.
    /// Every error starts with `error: `, whether it comes from the planner or from ArgumentParser.
    static func main() {
        do {
            if let message = unknownSubcommand(Array(CommandLine.arguments.dropFirst())) {
                throw UserError(message: message)
            }
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as UserError {
            StandardError.write("error: \(error.message)")
            Foundation.exit(PlannerExit.invalidInput)
        } catch {
            if exitCode(for: error) == .success { Self.exit(withError: error) }
            StandardError.write(errorStyle(fullMessage(for: error)))
            Foundation.exit(PlannerExit.invalidInput)
        }
    }

    /// ArgumentParser's "Error: …" in the planner's style, "error: …".
    static func errorStyle(_ message: String) -> String {
        message.hasPrefix("Error: ") ? "error: " + message.dropFirst("Error: ".count) : message
    }

    /// A did-you-mean message when a word where a subcommand belongs names none (`planner slove`).
    /// Options and everything after the first option are left to the parser.
    static func unknownSubcommand(_ arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Planner.self
        var path = "planner"
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !word.hasPrefix("-"), !subcommands.isEmpty else { return nil }
            if let next = subcommands.first(where: { $0._commandName == word }) {
                command = next
                path += " " + word
                continue
            }
            if word == "help" { return nil }
            let names = subcommands.map { $0._commandName }
            let hint = Suggest.closest(to: word, in: names).map { "; did you mean '\($0)'?" }
                ?? "; expected one of \(names.joined(separator: ", "))"
            return "unknown command '\(word)'\(hint) (see \(path) --help)"
        }
        return nil
    }
}
