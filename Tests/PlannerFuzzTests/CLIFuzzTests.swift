import Foundation
import XCTest
import PlannerTestSupport

/// The built `planner` executable, run without colour; skipped when it is not built.
enum PlannerBinary {
    struct Run {
        var reason: Process.TerminationReason
        var code: Int32
        var out: Data
        var err: String
    }

    static func run(_ arguments: [String], cwd: URL = Corpus.root) throws -> Run {
        let exe = try PlannerExecutable.required()
        let run = try PlannerExecutable.run(exe, arguments, cwd: cwd, environment: ["NO_COLOR": "1"])
        return Run(reason: run.reason, code: run.code, out: run.out, err: String(decoding: run.err, as: UTF8.self))
    }
}

/// Mutated specs, catalog overlays and command lines through the real executable: every run must
/// end by exit (not a signal) with 0, 1 or 2, say something, and leave no output file (nor a
/// temporary file) behind when it fails.
final class CLIFuzzTests: XCTestCase {
    static let formats = ["table", "json", "csv", "markdown", "html"]
    static let badOptions: [[String]] = [
        ["--time-limit", "nan"], ["--time-limit", "-1"], ["--time-limit", "0"], ["--time-limit", "1e400"], ["--time-limit", "abc"],
        ["--format", "xml"], ["--format"], ["--no-such-flag"], ["--catalog", "/nonexistent/overlay"],
        ["--catalog-root", "/nonexistent"], ["--catalog-root", "/"], ["--export-lp", "/nonexistent/dir/plan.lp"],
    ]

    func testMutatedInputsThroughTheExecutable() throws {
        _ = try PlannerExecutable.required()
        let mutator = Corpus.mutator
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("planner-clifuzz-\(UUID().uuidString)")
        let outDir = dir.appendingPathComponent("out")
        let overlayDir = dir.appendingPathComponent("overlay")
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: overlayDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var failures: [String] = []
        var codes: [Int32: Int] = [:]
        let start = Date()
        for i in FuzzConfig.indices(FuzzConfig.cliCases) {
            var g = SplitMix64(seed: caseSeed(base: FuzzConfig.seed ^ 0xC11, index: i))
            let example = g.pick(Corpus.examples)
            let specURL = dir.appendingPathComponent("spec.yaml")
            let mutateSpec = g.chance(0.7)
            try Data(mutateSpec ? mutator.mutate(example.text, &g) : Array(example.text.utf8)).write(to: specURL)
            var arguments = [g.pick(["solve", "solve", "solve", "bom", "validate"]), specURL.path, "--catalog-root", Corpus.catalogDir.path]
            if !mutateSpec || g.chance(0.3) {
                let source = g.pick(Corpus.catalogFiles)
                let overlay = overlayDir.appendingPathComponent(source.name)
                try Data(mutator.mutate(InProcessFuzzTests.someEntries(of: source.text, &g), &g)).write(to: overlay)
                arguments += ["--catalog", overlay.path]
            }
            let output = outDir.appendingPathComponent("result.out")
            if arguments[0] != "validate" {
                arguments += ["--output", output.path, "--time-limit", "20"]
                if arguments[0] == "solve" { arguments += ["--format", g.pick(Self.formats)] }
                if g.chance(0.1) { arguments += g.pick(Self.badOptions) }
            }
            let run = try PlannerBinary.run(arguments)
            codes[run.code, default: 0] += 1
            let context = "CLI case \(i): planner \(arguments.joined(separator: " ")) (spec from \(example.name); FUZZ_SEED=\(FuzzConfig.seed) FUZZ_ONLY=\(i))"
            let wrote = FileManager.default.fileExists(atPath: output.path)
            if run.reason != .exit {
                failures.append("killed by signal \(run.code): \(context)\n\(run.err.suffix(2_000))")
            } else if ![0, 1, 2].contains(run.code) {
                failures.append("exit \(run.code): \(context)\n\(run.err.suffix(2_000))")
            } else if run.code == 2 {
                if run.err.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { failures.append("exit 2 without a message: \(context)") }
                if wrote { failures.append("exit 2 left \(output.lastPathComponent) behind: \(context)") }
            } else if run.code == 1 {
                if run.err.isEmpty && run.out.isEmpty && !wrote { failures.append("exit 1 without a message: \(context)") }
            } else if arguments[0] != "validate" && !(wrote || !run.out.isEmpty) {
                failures.append("exit 0 without output: \(context)")
            }
            let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: outDir.path)) ?? []).filter { $0.hasPrefix(".") }
            if !leftovers.isEmpty { failures.append("temporary files left behind \(leftovers): \(context)") }
            try? FileManager.default.removeItem(at: output)
            for f in (try? FileManager.default.contentsOfDirectory(atPath: overlayDir.path)) ?? [] {
                try? FileManager.default.removeItem(at: overlayDir.appendingPathComponent(f))
            }
        }
        print("fuzz CLI: \(FuzzConfig.indices(FuzzConfig.cliCases).count) runs, exit codes \(codes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        XCTAssertEqual(failures, [], failures.prefix(10).joined(separator: "\n"))
    }
}
