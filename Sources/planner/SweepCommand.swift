import ArgumentParser
import Foundation
import PlannerCore

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
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

            Keys: \((Spec.settableKeys + Spec.catalogKeys.keys).sorted().joined(separator: ", ")). `none` clears an optional number.

            Exit code: 0 when at least one point has a plan, 1 when none has; 2 for invalid input.

            \(HelpExamples.text(
                "planner sweep examples/chat-8b.yaml --vary slo.tpot_ms=10,20,50",
                "planner sweep examples/chat-8b.yaml --vary workload.concurrency=16,64,256 --vary slo.tpot_ms=20,50 --plot frontier.svg",
                "planner sweep examples/chat-8b.yaml --vary gpu=rtx-4090-24gb,l40s-48gb,h100-sxm-80gb",
                "planner sweep examples/chat-8b.yaml --vary slo.tpot_ms=10,20,50 --format html --output sweep.html"))
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

    /// Every varied spec must pass the catalog checks a loaded spec passes (a model's context, say).
    static func check(_ axes: [SweepResult.Axis], specs: [Spec], catalog: Catalog) throws {
        for (spec, values) in zip(specs, SweepResult.grid(axes)) {
            if let problem = SpecLoader.check(spec, against: catalog).first {
                let settings = zip(axes, values).map { "\($0.key)=\($1)" }.joined(separator: ", ")
                throw UserError(message: "--vary \(settings): \(problem.keyPath): \(problem.message)")
            }
        }
    }

    /// The grid's size limit: a sweep is for exploring, not for enumerating.
    static let maximumPoints = 1_000

    func validate() throws {
        guard !vary.isEmpty else { throw ValidationError("give at least one --vary KEY=V1,V2,...") }
        let axes = try self.axes()
        let keys = axes.map(\.key)
        guard Set(keys).count == keys.count else { throw ValidationError("each key may be varied once (got \(keys.joined(separator: ", ")))") }
        let size = axes.reduce(1) { $0 * $1.values.count }
        guard size <= Self.maximumPoints else {
            throw ValidationError("the grid has \(size) points, expected at most \(Self.maximumPoints); vary fewer values")
        }
    }

    func axes() throws -> [SweepResult.Axis] {
        try vary.map { text in
            guard let equals = text.firstIndex(of: "=") else {
                throw ValidationError("--vary \(text): expected KEY=V1,V2,... (for example slo.tpot_ms=10,20,50)")
            }
            let key = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
            let values = text[text.index(after: equals)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !values.isEmpty else { throw ValidationError("--vary \(key): give at least one value") }
            return SweepResult.Axis(key: key, values: values)
        }
    }

    func run() throws {
        let loaded = try LoadedSpec(path: specPath, catalogOptions: catalogOptions)
        let axes = try self.axes()
        // Apply every variation before solving anything, so a bad value fails fast with exit 2.
        let grid = SweepResult.grid(axes)
        let specs: [Spec] = try grid.map { values in
            var spec = loaded.spec
            for (axis, value) in zip(axes, values) {
                do { spec = try spec.setting(axis.key, to: value, catalog: loaded.catalog) } catch { throw UserError(message: "--vary \(error.localizedDescription)") }
            }
            return spec
        }
        let catalog = loaded.catalog
        try Self.check(axes, specs: specs, catalog: catalog)
        let solver = self.solver
        let plans = ConcurrentMap.map(count: specs.count, progress: { done, total in Terminal.progress("solving \(done)/\(total)") }) { i in
            solver.solve(specs[i], catalog: catalog)
        }
        Terminal.endProgress()
        let sweep = SweepResult(axes: axes, points: zip(grid, plans).map { SweepResult.Point(values: $0, plan: $1) }, measure: measure)
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
