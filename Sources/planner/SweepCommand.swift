import ArgumentParser
import Foundation
import PlannerCore

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Solve a grid of spec variations and show the cost/latency Pareto frontier.",
        discussion: """
            Each --vary KEY=V1,V2,... is one axis; the grid is every combination (the last axis varies \
            fastest). Every point is solved on all cores; rows print in grid order. The frontier holds the \
            plans no other plan beats on both cost (the spec's objective: capex or TCO) and --measure \
            (predicted TPOT or TTFT, lower is better; or output tokens/s, higher is better). Plans for \
            different workloads do not compete: when a workload axis varies (workload.*, model), each \
            workload gets its own frontier. gpu=ID,... allows one GPU per point; model=ID,... swaps the \
            model. --plot draws an SVG chart: cost from $0, the chosen GPU at each point, one colour per \
            workload, the latency targets as dashed lines. A progress line goes to standard error when \
            standard output is a terminal.

            Keys: \((Spec.settableKeys + Spec.catalogKeys.keys).sorted().joined(separator: ", ")). `none` clears an optional number; \
            engine.max_num_seqs, engine.expert_parallel and engine.attention_dp also take `auto` (the planner sizes each \
            replica with the cap its KV cache holds, or in the layout that carries the most, and names it).

            Exit code: 0 when at least one point has a plan, 1 when none has; 2 for invalid input.

            \(HelpExamples.text(
                "planner sweep examples/chat-8b.yaml --vary slo.tpot_ms=10,20,50",
                "planner sweep examples/chat-8b.yaml --vary workload.concurrency=16,64,256 --vary slo.tpot_ms=20,50 --plot frontier.svg",
                "planner sweep examples/chat-8b.yaml --vary gpu=rtx-4090-24gb,l40s-48gb,h100-sxm-80gb",
                "planner sweep examples/chat-8b.yaml --vary slo.tpot_ms=10,20,50 --format html --output sweep.html",
                "planner sweep examples/seed-scenario-2-4096-concurrent.yaml --vary engine.max_num_seqs=256,auto"))
            """
    )

    @Argument(help: ArgumentHelp("The workload spec (YAML; see docs/spec.md); - reads standard input.", valueName: "spec"), completion: Completion.spec)
    var specPath: String

    @Option(help: ArgumentHelp("An axis of the grid: a spec key and its values, comma-separated. Repeatable.", valueName: "key=v1,v2,..."),
            completion: Completion.vary)
    var vary: [String] = []

    @Option(help: "What the frontier trades cost against.")
    var measure: SweepResult.Measure = .tpot

    @Option(help: "Output format.")
    var format: SweepFormat = .table

    @Option(help: ArgumentHelp("Write the output to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Also draw the frontier as an SVG chart to this file.", valueName: "file.svg"))
    var plot: String?

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var solver: SolverOptions

    func validate() throws {
        _ = try grid()
    }

    /// The axes, checked (PlannerCore's ``SweepGrid``, shared with `planner serve`).
    func grid() throws -> SweepGrid {
        do { return try SweepGrid(varying: vary) } catch { throw ValidationError(error.localizedDescription) }
    }

    func run() throws {
        let loaded = try LoadedSpec(path: specPath, catalogOptions: catalogOptions)
        let catalog = loaded.catalog
        let solver = self.solver
        let sweep: SweepResult
        do {
            // Every variation is applied before anything is solved, so a bad value fails fast with exit 2.
            sweep = try grid().solve(loaded.spec, catalog: catalog, measure: measure, progress: { done, total in Terminal.progress("solving \(done)/\(total)") }) {
                solver.solve($0, catalog: catalog)
            }
        } catch let error as SweepGridError {
            throw UserError(message: error.localizedDescription)
        }
        Terminal.endProgress()
        if let plot {
            try OutputDestination.write(sweep.chart().render(), to: plot)
        }
        try OutputDestination.write(format.renderer.render(sweep), to: output)
        throw ExitCode(sweep.points.contains { $0.cost != nil } ? PlannerExit.planFound : PlannerExit.infeasible)
    }
}

extension SweepResult.Measure: ExpressibleByArgument {}

enum SweepFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, markdown, html

    var renderer: any SweepRenderer {
        switch self {
        case .html: HTMLSweepRenderer()
        case .table: TableSweepRenderer()
        case .json: JSONSweepRenderer()
        case .csv: CSVSweepRenderer()
        case .markdown: MarkdownSweepRenderer()
        }
    }
}
