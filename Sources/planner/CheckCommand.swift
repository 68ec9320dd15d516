import ArgumentParser
import Foundation
import PlannerCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a hand-made build (a spec whose pin fixes the parts): every rule it breaks, and the cheapest fix.",
        discussion: """
            Reports every rule the pinned build breaks, with the numbers: parts that do not fit together \
            (a PSU the chassis does not take), GPUs per server against the slots, each server's peak power \
            against what its PSUs deliver with the redundancy (n+1: one may fail), whether the model fits \
            and meets the latency targets on the pinned GPU and tensor-parallel degree, capacity against \
            demand, host memory, and the pinned parts' price against the budget. Then the cheapest fix: \
            the spec solved again with the offending pins released, and the pins' new values.

            Exit codes: 0 the build meets every rule, 1 it breaks at least one, 2 invalid input or usage, \
            4 internal error.

            \(HelpExamples.text(
                "planner check examples/seed-8x-h100-check.yaml",
                "planner check examples/pinned-70b.yaml --format json"))
            """
    )

    @Argument(help: ArgumentHelp("The workload spec with a pin section (YAML; see docs/spec.md); - reads standard input.", valueName: "spec"), completion: Completion.spec)
    var specPath: String

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @Option(help: ArgumentHelp("Write the output to this file (atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var catalogOptions: CatalogOptions
    @OptionGroup var solver: SolverOptions

    func run() throws {
        let catalog = try loadCatalog(catalogOptions)
        // Structure first (no catalog), then the catalog's checks: pin incompatibilities are what
        // `check` reports; any other problem is invalid input.
        let input = try SpecInput(path: specPath)
        let spec = try input.load(catalog: nil)
        var compatibility: [Diagnostic] = []
        do {
            _ = try SpecLoader.parse(data: input.data, file: input.name, catalog: catalog)
        } catch {
            guard case .invalid(let diagnostics) = error else { throw Self.invalid(error) }
            let unknownID = { (d: Diagnostic) in spec.pin.value(forKey: d.keyPath).map { !catalog.contains($0) } ?? false }
            guard diagnostics.allSatisfy({ $0.keyPath.hasPrefix("pin.") && !unknownID($0) }) else { throw Self.invalid(error) }
            compatibility = diagnostics
        }
        guard !spec.pin.isEmpty || !spec.existing.isEmpty else {
            throw UserError(message: "\(input.name) has no pin or existing section: nothing to check; use planner solve to find a build")
        }
        let solver = self.solver
        let check = PinnedBuildCheck.run(spec: spec, catalog: catalog, compatibility: compatibility) { solver.solve($0, catalog: catalog) }
        let renderer: any CheckRenderer = format == .json ? JSONCheckRenderer() : TableCheckRenderer(colour: Terminal.colour(writingTo: output))
        try OutputDestination.write(renderer.render(check), to: output)
        throw ExitCode(check.isValid ? PlannerExit.planFound : PlannerExit.infeasible)
    }

    static func invalid(_ error: LoadError) -> Error { reportLoadError(error) }
}

extension Pin {
    /// The pinned id at a diagnostic's key path (`pin.psu` → the PSU id), for the id-valued pins.
    func value(forKey keyPath: String) -> String? {
        switch keyPath {
        case "pin.gpu": gpu
        case "pin.server": server
        case "pin.psu": psu
        case "pin.dimm": dimm
        case "pin.ssd": ssd
        case "pin.nic": nic
        case "pin.rack": rack
        default: nil
        }
    }
}
