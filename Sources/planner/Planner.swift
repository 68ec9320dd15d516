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
            only on a terminal, never when NO_COLOR is set. Shell completion: planner --generate-completion-script bash|zsh|fish.

            Example: planner solve examples/chat-8b.yaml
            Example: planner bom examples/chat-8b.yaml --output bom.csv
            Example: planner compare examples/chat-8b.yaml examples/pinned-70b.yaml
            Example: planner sweep examples/chat-8b.yaml --vary slo.tpot_ms=10,20,50 --plot frontier.svg
            Example: planner check examples/seed-8x-h100-check.yaml
            Example: planner validate examples/chat-8b.yaml
            Example: planner catalog list gpus
            """,
        version: PlannerVersion.current,
        subcommands: [Solve.self, BOM.self, Compare.self, Sweep.self, Check.self, Estimate.self, Simulate.self, Calibrate.self, Validate.self, CatalogCommand.self, Serve.self]
    )

    /// Runs the command; any bad input ends with a message on standard error and exit code 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as UserError {
            StandardError.write("error: \(error.message)")
            Foundation.exit(2)
        } catch {
            if exitCode(for: error) == .success { Self.exit(withError: error) }
            StandardError.write(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}
