import Foundation
import PlannerTestSupport
import XCTest

/// `make install`'s script: an install into a temporary prefix works from any folder, with the
/// catalogs, completions and man pages in place; and the completions offer specs and catalog ids.
final class InstallTests: XCTestCase {
    /// Installs the built binary into a fresh prefix with scripts/install.sh; the man pages come from
    /// swift-argument-parser's generate-manual (built by `make test`), when present.
    func install() throws -> (prefix: URL, manuals: Bool) {
        guard let planner = PlannerExecutable.url else { throw XCTSkip("planner executable not built") }
        let prefix = try PlannerCLI.temporaryDirectory().appendingPathComponent("prefix with space")
        var arguments = [prefix.path, planner.path]
        let generator = planner.deletingLastPathComponent().appendingPathComponent("generate-manual")
        var manuals = false
        if FileManager.default.isExecutableFile(atPath: generator.path) {
            let pages = prefix.deletingLastPathComponent().appendingPathComponent("manual")
            try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
            let generate = try PlannerExecutable.run(generator, [planner.path, "--output-directory", pages.path], cwd: PlannerCLI.root)
            XCTAssertEqual(generate.code, 0, String(decoding: generate.err, as: UTF8.self))
            arguments.append(pages.path)
            manuals = true
        }
        let script = PlannerCLI.root.appendingPathComponent("scripts/install.sh")
        let run = try PlannerExecutable.run(script, arguments, cwd: PlannerCLI.root)
        XCTAssertEqual(run.code, 0, String(decoding: run.err, as: UTF8.self))
        return (prefix, manuals)
    }

    func testInstalledPlannerSolvesFromAnotherFolder() throws {
        let (prefix, _) = try install()
        defer { try? FileManager.default.removeItem(at: prefix.deletingLastPathComponent()) }
        let elsewhere = prefix.deletingLastPathComponent()  // holds no catalogs/
        let spec = PlannerCLI.root.appendingPathComponent("examples/chat-8b.yaml").path
        let installed = prefix.appendingPathComponent("bin/planner")
        let run = try PlannerExecutable.run(installed, ["solve", spec], cwd: elsewhere)
        XCTAssertEqual(run.code, 0, String(decoding: run.err, as: UTF8.self))
        let fromCheckout = try PlannerCLI.run(["solve", "examples/chat-8b.yaml"])
        XCTAssertEqual(String(decoding: run.out, as: UTF8.self), fromCheckout.out, "the installed catalogs are the shipped ones")
        // Through a symbolic link elsewhere too (as ~/bin/planner → PREFIX/bin/planner).
        let link = elsewhere.appendingPathComponent("planner-link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: installed)
        XCTAssertEqual(try PlannerExecutable.run(link, ["validate", spec], cwd: elsewhere).code, 0)
        for path in ["share/planner/catalogs/gpus.yaml", "share/bash-completion/completions/planner",
                     "share/zsh/site-functions/_planner", "share/fish/vendor_completions.d/planner.fish"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(path).path), path)
        }
        let bash = try String(contentsOf: prefix.appendingPathComponent("share/bash-completion/completions/planner"), encoding: .utf8)
        XCTAssertTrue(bash.contains("yaml") && bash.contains("yml"), "specs complete to .yaml and .yml files")
        XCTAssertTrue(bash.contains("---completion catalog show -- positional@0"), "catalog ids come from the catalog")
    }

    func testManPagesAreInstalled() throws {
        let (prefix, manuals) = try install()
        defer { try? FileManager.default.removeItem(at: prefix.deletingLastPathComponent()) }
        guard manuals else { throw XCTSkip("generate-manual is not built (make test builds it)") }
        let page = try String(contentsOf: prefix.appendingPathComponent("share/man/man1/planner.1"), encoding: .utf8)
        XCTAssertTrue(page.contains(".Dt PLANNER 1"), String(page.prefix(300)))
        XCTAssertTrue(page.contains("solve"), "subcommands are in the page")
    }

    /// The custom completions run the binary the way the shell scripts do.
    func testCompletionsListCatalogIDs() throws {
        let show = try PlannerCLI.run(["---completion", "catalog", "show", "--", "positional@0", "0", "4", "h100"])
        XCTAssertEqual(show.code, 0, show.err)
        let ids = show.out.split(separator: "\n").map(String.init)
        XCTAssertTrue(ids.contains("h100-sxm-80gb"), show.out)
        XCTAssertTrue(ids.allSatisfy { $0.hasPrefix("h100") }, show.out)
        // estimate and simulate: --gpu and --model complete to ids of their kind only.
        let gpu = try PlannerCLI.run(["---completion", "estimate", "--", "--gpu", "0", "2", "l4"])
        XCTAssertEqual(gpu.out, "l40s-48gb\nl4-24gb\n".split(separator: "\n").sorted().map { $0 + "\n" }.joined(), gpu.err)
        let model = try PlannerCLI.run(["---completion", "simulate", "--", "--model", "0", "9", "llama-3.1"])
        XCTAssertTrue(model.out.split(separator: "\n").contains("llama-3.1-8b"), model.out)
        XCTAssertTrue(model.out.split(separator: "\n").allSatisfy { $0.hasPrefix("llama-3.1") }, model.out)
        let vary = try PlannerCLI.run(["---completion", "sweep", "--", "--vary", "0", "15", "gpu=l40s-48gb,a"])
        XCTAssertEqual(vary.code, 0, vary.err)
        XCTAssertTrue(vary.out.split(separator: "\n").contains("gpu=l40s-48gb,a100-sxm-80gb"), vary.out)
        let keys = try PlannerCLI.run(["---completion", "sweep", "--", "--vary", "0", "3", "slo"])
        XCTAssertEqual(keys.out.split(separator: "\n").map(String.init), ["slo.e2e_ms=", "slo.percentile=", "slo.ttft_ms=", "slo.tpot_ms="].sorted())
        // Overlays on the command line are read too.
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.overlayGPU.write(to: dir.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        let withOverlay = try PlannerCLI.run(["---completion", "catalog", "show", "--", "positional@0", "5", "2", "planner", "catalog", "show",
                                              "--catalog", dir.path, "zz"])
        XCTAssertEqual(withOverlay.out, "zz-test-gpu\n", withOverlay.err)
    }

    static let overlayGPU = """
        gpus:
          - id: zz-test-gpu
            name: Test GPU
            vendor: Test
            family: hopper
            memory_gib: 80
            memory_bandwidth_gbps: 3350
            tflops: {fp16: 989}
            power_watts: 700
            form_factor: sxm
            interconnect: {kind: nvlink4, bandwidth_gbps: 900}
            pcie_generation: 5
            price_usd: 1
            price_basis: estimate
            price_note: a test entry
            source: test
            as_of: 2026-01
            part_number: null
            part_number_note: a test entry, not a product
        """
}
