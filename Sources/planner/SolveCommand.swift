import ArgumentParser
import Foundation
import PlannerCore

struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Find the cheapest build (or lowest TCO) that meets every target within budget.",
        discussion: """
            Reads the spec and the catalog, predicts how every GPU and tensor-parallel degree performs, and \
            solves one mixed-integer program (GLPK) over GPUs, servers, memory, storage, network, power, \
            racks and cooling. Prints a summary (what to buy, cost, predicted latency against the targets, \
            what limits the plan, warnings) and the bill of materials.

            \(PlannerExit.helpText)

            \(HelpExamples.text(
                "planner solve examples/chat-8b.yaml",
                "planner solve examples/chat-8b.yaml --format json --output plan.json --export-lp plan.lp",
                "planner solve examples/chat-8b.yaml --as-of 2027-06",
                "planner solve examples/chat-8b.yaml --format html --output report.html"))
            """
    )

    @Argument(help: ArgumentHelp("The workload spec (YAML; see docs/spec.md); - reads standard input.", valueName: "spec"), completion: Completion.spec)
    var specPath: String

    @Option(help: "Output format: table (summary then BOM), json, csv (the BOM), markdown or html (a self-contained report).")
    var format: PlanFormat = .table

    @Option(help: ArgumentHelp("Write the output to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(name: .customLong("export-lp"), help: ArgumentHelp(
        "Also write the programs solved, as CPLEX LP: the file gets the program behind the plan (with the search split by GPU type, the plan's type's); every other program solved goes beside it as STEM.GPU.lp.",
        valueName: "file"))
    var exportLP: String?

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Solver time limit in seconds.", valueName: "seconds"))
    var timeLimit: Double = 30

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Judge prices against this date (YYYY-MM or YYYY-MM-DD): lines priced more than 12 months before it warn. Default: the catalog's newest price date.",
        valueName: "date"))
    var asOf: String?

    @Flag(help: "Show GLPK's log on standard error.")
    var verbose = false

    func validate() throws {
        try SolverOptions.validate(timeLimit: timeLimit)
        try SolverOptions.validate(asOf: asOf)
    }

    func run() throws {
        var loaded = try LoadedSpec(path: specPath, catalogOptions: catalogOptions)
        if let asOf { loaded.catalog.pricesAsOf = asOf }
        if let exportLP { try OutputDestination.prepare(exportLP) }
        let recorder = ProgramRecorder()
        let solver = SpecSolver(timeLimitSeconds: timeLimit, verbose: verbose, solver: .glpk, recorder: exportLP == nil ? nil : recorder)
        let plan = solver.solve(loaded.spec, catalog: loaded.catalog)
        if let exportLP {
            do {
                _ = try solver.writePrograms(for: loaded.spec, catalog: loaded.catalog, plan: plan, recorder: recorder, to: exportLP)
            } catch {
                throw UserError(message: error.description)
            }
        }
        try OutputDestination.write(format.renderer(colour: Terminal.colour(writingTo: output), catalog: loaded.catalog).render(plan), to: output)
        throw PlannerExit.finish(plan)
    }
}

/// `--format` values of `planner solve`: one renderer per format, all over the same ``Plan``.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, markdown, html

    func renderer(colour: Bool = false, catalog: Catalog? = nil) -> any PlanRenderer {
        switch self {
        case .table: TablePlanRenderer(colour: colour)
        case .json: JSONPlanRenderer()
        case .csv: CSVPlanRenderer()
        case .markdown: MarkdownPlanRenderer()
        case .html: HTMLPlanRenderer(catalog: catalog)
        }
    }
}
