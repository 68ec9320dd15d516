import ArgumentParser
import Dispatch
import Foundation
import PlannerCore

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Solve several specs and compare the plans side by side, with a BOM diff.",
        discussion: """
            Solves every spec (in parallel), then prints one column per scenario: status, capex, TCO, GPUs, \
            servers, racks, peak power, predicted TTFT and TPOT against their targets, and headroom. Then, \
            for each scenario after the first, the bill of materials diffed against the first: items added, \
            removed or changed in quantity, with the dollar and nameplate-watt deltas.

            Exit code: 0 when every scenario has a plan, otherwise the highest scenario's code. \
            \(PlannerExit.helpText)

            \(HelpExamples.text(
                "planner compare examples/chat-8b.yaml examples/pinned-70b.yaml",
                "planner compare a.yaml b.yaml --format json --output comparison.json",
                "planner compare examples/chat-8b.yaml examples/llama-70b.yaml --format html --output compare.html"))
            """
    )

    @Argument(help: ArgumentHelp("Two or more workload specs; the first is the baseline of the diffs; - reads one from standard input.", valueName: "spec"), completion: Completion.spec)
    var specPaths: [String]

    @Option(help: "Output format.")
    var format: ComparisonFormat = .table

    @Option(help: ArgumentHelp("Write the output to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var solver: SolverOptions

    func validate() throws {
        guard specPaths.count >= 2 else { throw ValidationError("compare needs at least two specs (got \(specPaths.count))") }
        try validateStandardInputUse(specPaths)
    }

    func run() throws {
        let loaded = try specPaths.map { try LoadedSpec(path: $0, catalogOptions: catalogOptions) }
        let plans = ConcurrentMap.map(count: loaded.count) { i in solver.solve(loaded[i].spec, catalog: loaded[i].catalog) }
        let names = loaded.map(\.spec.name)
        let scenarios = zip(specPaths, zip(names, plans)).map { file, pair in
            ScenarioComparison.Scenario(name: names.filter { $0 == pair.0 }.count > 1 ? file : pair.0,
                                        file: file == "-" ? InputFile.standardInputName : file, plan: pair.1)
        }
        try OutputDestination.write(format.renderer.render(ScenarioComparison(scenarios: scenarios)), to: output)
        throw ExitCode(plans.map { PlannerExit.code(for: $0.status) }.max() ?? 0)
    }
}

enum ComparisonFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, markdown, html

    var renderer: any ComparisonRenderer {
        switch self {
        case .html: HTMLComparisonRenderer()
        case .table: TableComparisonRenderer()
        case .json: JSONComparisonRenderer()
        case .csv: CSVComparisonRenderer()
        case .markdown: MarkdownComparisonRenderer()
        }
    }
}

