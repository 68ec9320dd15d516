import ArgumentParser
import Foundation
import PlannerCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a workload spec and the catalog it refers to.",
        discussion: """
            Loads the shipped catalog (plus any --catalog overlays), then the spec, and checks every field, \
            reference and cross-field rule. Prints a one-line summary and exits 0 when all is well; otherwise \
            prints every problem to standard error, one per line as file:line:column: key.path: message, \
            and exits 2.

            \(HelpExamples.text(
                "planner validate examples/chat-8b.yaml",
                "planner validate examples/chat-8b.yaml --catalog my-prices/"))
            """
    )

    @Argument(help: ArgumentHelp("The workload spec (YAML; see docs/spec.md); - reads standard input.", valueName: "spec"), completion: Completion.spec)
    var specPath: String

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let loaded = try LoadedSpec(path: specPath, catalogOptions: catalogOptions)
        print(SpecSummary.line(loaded.spec, loaded.catalog))
    }
}
