import Foundation
import XCTest
import LinearModel
import Yams
@testable import PlannerCore

/// Settings of a fuzz run, from the environment (`make fuzz` raises the counts).
enum FuzzConfig {
    static let environment = ProcessInfo.processInfo.environment

    static func int(_ name: String, _ fallback: Int) -> Int { environment[name].flatMap { Int($0) } ?? fallback }

    /// In-process cases per test (specs, catalog overlays); `make test` runs the defaults.
    static let specCases = int("FUZZ_SPEC_CASES", int("FUZZ_CASES", 2_200) / 2)
    static let catalogCases = int("FUZZ_CATALOG_CASES", int("FUZZ_CASES", 2_200) / 2)
    /// Cases run through the built `planner` executable.
    static let cliCases = int("FUZZ_CLI_CASES", 120)
    /// Base seed; each case's seed is derived from it and the case index.
    static let seed = UInt64(environment["FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x5EED_2024)
    /// Runs only this case index (to replay a failure).
    static let only = environment["FUZZ_ONLY"].flatMap { Int($0) }
    /// Of the mutated inputs that load, how many also go through the MILP: 1 in N (all of them
    /// build the problem, which runs the performance model's arithmetic).
    static let solveEvery = max(1, int("FUZZ_SOLVE_EVERY", 8))
    /// Solver time limit for fuzz solves, seconds.
    static let solveSeconds = Double(environment["FUZZ_SOLVE_SECONDS"] ?? "") ?? 2

    static func indices(_ count: Int) -> [Int] { only.map { [$0] } ?? Array(0..<count) }
}

/// The real inputs the mutations start from, read once.
enum Corpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalogDir = root.appendingPathComponent("catalogs")
    static let examplesDir = root.appendingPathComponent("examples")

    static func yamlFiles(_ dir: URL) -> [(name: String, text: String)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        return names.map { ($0, (try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8)) ?? "") }
    }

    static let examples = yamlFiles(examplesDir)
    static let catalogFiles = yamlFiles(catalogDir)

    /// The shipped catalog's files parsed once, so each overlay case only decodes (read-only after).
    nonisolated(unsafe) static let parsedCatalog: [(file: String, node: Result<Node, DiagnosticList>)] = catalogFiles.map {
        ("catalogs/\($0.name)", YAMLDocument.parse(text: $0.text, file: "catalogs/\($0.name)"))
    }

    /// The builder after the shipped files: each overlay case starts from a copy of it.
    nonisolated(unsafe) static let shippedBuilder: CatalogBuilder = {
        var builder = CatalogBuilder(currentDirectory: root.path)
        for (file, node) in parsedCatalog { builder.add(parsed: node, file: file, overlay: false) }
        return builder
    }()

    static let shipped: Catalog = {
        var builder = shippedBuilder
        return try! builder.finish()
    }()

    static let mutator: Mutator = {
        var ids = Set(shipped.provenance.keys)
        ids.formUnion(["fp8", "vllm", "none"])
        let keyPattern = Mutator.keyPattern
        var keys = Set<String>()
        for text in (examples + catalogFiles).map(\.text) {
            let ns = text as NSString
            for m in keyPattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                keys.insert(ns.substring(with: m.range(at: 1)))
            }
        }
        return Mutator(ids: ids.sorted(), keys: keys.sorted())
    }()

    /// Loads the shipped catalog plus one overlay given as bytes, the way `--catalog FILE` does
    /// (same decoding and cross-reference checks; the shipped files are not re-parsed).
    static func catalog(withOverlay bytes: [UInt8], file: String) throws(LoadError) -> Catalog {
        var builder = shippedBuilder
        builder.add(parsed: YAMLDocument.parse(data: Data(bytes), file: file), file: file, overlay: true)
        return try builder.finish()
    }
}

/// Every plan renderer the CLI offers (`--format`).
let allRenderers: [(String, any PlanRenderer)] = [
    ("table", TablePlanRenderer(colour: false)), ("json", JSONPlanRenderer()), ("csv", CSVPlanRenderer()),
    ("markdown", MarkdownPlanRenderer()), ("html", HTMLPlanRenderer()),
]

/// What a fuzz run saw, for the summary line and the assertions.
struct FuzzTally: CustomStringConvertible {
    var cases = 0
    var rejected = 0
    var loaded = 0
    var solved = 0
    var statuses: [String: Int] = [:]
    var messages: Set<String> = []

    var description: String {
        "\(cases) cases: \(rejected) rejected with diagnostics (\(messages.count) distinct messages), \(loaded) loaded, "
            + "\(solved) solved (\(statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))"
    }
}

/// Checks that a load failure explains itself: at least one non-empty message, each located in `file`.
func checkExplained(_ error: LoadError, file: String, context: @autoclosure () -> String) -> [String] {
    var problems: [String] = []
    let text = error.errorDescription ?? ""
    if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("empty error message") }
    if case .invalid(let diagnostics) = error {
        if diagnostics.isEmpty { problems.append("invalid with no diagnostics") }
        for d in diagnostics where d.message.trimmingCharacters(in: .whitespaces).isEmpty || d.line < 1 || d.column < 1 {
            problems.append("diagnostic without message or location: \(d)")
        }
    }
    return problems.map { "\($0) (\(context()))" }
}

/// Builds, sometimes solves, and renders in every format; returns what is wrong with the answer.
func checkSolves(_ spec: Spec, catalog: Catalog, solve: Bool, tally: inout FuzzTally) -> [String] {
    let input = ProblemBuilder.build(spec: spec, catalog: catalog)
    guard solve else { return [] }
    let plan = Optimizer(options: SolveOptions(timeLimitSeconds: FuzzConfig.solveSeconds)).solve(input.problem, context: input.context)
    tally.solved += 1
    tally.statuses[plan.status.code, default: 0] += 1
    var problems: [String] = []
    if plan.status == .error { problems.append("internal error: \(plan.diagnosis)") }
    if !plan.status.hasPlan && plan.status != .error && plan.diagnosis.isEmpty {
        problems.append("\(plan.status.code) without a diagnosis")
    }
    for (name, renderer) in allRenderers where renderer.render(plan).isEmpty {
        problems.append("\(name) rendering is empty")
    }
    return problems
}
