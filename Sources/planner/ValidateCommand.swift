import ArgumentParser
import Foundation
import PlannerCore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a workload spec and the catalog it refers to.",
        discussion: """
            Loads the shipped catalog (plus any --catalog overlays), then the spec, and checks every field, \
            reference and cross-field rule. Prints a one-line summary and exits 0 when all is well; otherwise \
            prints every problem to standard error, one per line as file:line:column: key.path: message, \
            and exits 2.

            Example: planner validate examples/chat-8b.yaml
            Example: planner validate examples/chat-8b.yaml --catalog my-prices/
            """
    )

    @Argument(help: ArgumentHelp("The workload spec (YAML; see docs/spec.md).", valueName: "spec"))
    var specPath: String

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let catalog: Catalog
        let spec: Spec
        do {
            catalog = try catalogOptions.load()
            spec = try SpecLoader.load(path: specPath, catalog: catalog)
        } catch {
            if case .invalid(let diagnostics) = error {
                for d in diagnostics.sorted() { StandardError.write(d.description) }
                throw ExitCode(2)
            }
            throw UserError(message: error.localizedDescription)
        }
        print(SpecSummary.line(spec, catalog))
    }
}
