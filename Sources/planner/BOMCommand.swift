import ArgumentParser
import Foundation
import PlannerCore

struct BOM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bom",
        abstract: "Write the plan's bill of materials as CSV, for procurement.",
        discussion: """
            Solves the spec like `planner solve` and writes the bill of materials as RFC 4180 CSV: a header \
            row, then one row per line item with \(CSVPlanRenderer.columns.joined(separator: ",")). \
            Numbers are unformatted (no $ or thousands separators) and there is no total row, so the file \
            imports into a spreadsheet or an ERP as is. When no plan is found, nothing is written, the \
            diagnosis goes to standard error and the exit code says why.

            \(PlannerExit.helpText)

            \(HelpExamples.text(
                "planner bom examples/chat-8b.yaml --output bom.csv"))
            """
    )

    @Argument(help: ArgumentHelp("The workload spec (YAML; see docs/spec.md); - reads standard input.", valueName: "spec"), completion: Completion.spec)
    var specPath: String

    @Option(help: ArgumentHelp("Write the CSV to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var solver: SolverOptions

    func run() throws {
        let loaded = try LoadedSpec(path: specPath, catalogOptions: catalogOptions)
        let plan = solver.solve(loaded.spec, catalog: loaded.catalog)
        guard !plan.bom.isEmpty else {
            reportNoPlan(plan, file: loaded.name)
            throw ExitCode(plan.status.hasPlan ? PlannerExit.internalError : PlannerExit.code(for: plan.status))
        }
        try OutputDestination.write(CSVPlanRenderer().render(plan), to: output)
        throw PlannerExit.finish(plan)
    }
}
