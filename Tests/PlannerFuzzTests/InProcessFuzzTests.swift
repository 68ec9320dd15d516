import Foundation
import XCTest
@testable import PlannerCore
import PlannerTestSupport

/// Mutation fuzzing through the library code paths the CLI uses. A Swift trap (overflow, division
/// by zero, force unwrap, out-of-range index, stack overflow) kills the test process, which fails
/// the run: passing proves none of these cases traps. Every rejected input must carry a located,
/// non-empty message; every accepted one must build, solve and render without an internal error.
final class InProcessFuzzTests: XCTestCase {
    /// Mutated example specs against the shipped catalog.
    func testMutatedSpecs() throws {
        let catalog = Corpus.shipped
        let mutator = Corpus.mutator
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("planner-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var tally = FuzzTally()
        var failures: [String] = []
        let start = Date()
        for i in FuzzConfig.indices(FuzzConfig.specCases) {
            var g = SplitMix64(seed: caseSeed(base: FuzzConfig.seed, index: i))
            let example = g.pick(Corpus.examples)
            let bytes = mutator.mutate(example.text, &g)
            let path = dir.appendingPathComponent("spec-\(i).yaml").path
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)), path)
            defer { try? FileManager.default.removeItem(atPath: path) }
            tally.cases += 1
            let context = "spec case \(i) from \(example.name), FUZZ_SEED=\(FuzzConfig.seed) FUZZ_ONLY=\(i)"
            do {
                let spec = try SpecLoader.load(path: path, catalog: catalog)
                tally.loaded += 1
                failures += checkSolves(spec, catalog: catalog, solve: g.below(FuzzConfig.solveEvery) == 0, tally: &tally).map { "\($0) (\(context))" }
            } catch {
                tally.rejected += 1
                failures += checkExplained(error, file: path, context: context)
                if let first = error.diagnostics.first { tally.messages.insert(Self.shape(first.message)) }
            }
        }
        print("fuzz specs: \(tally) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        XCTAssertEqual(failures, [], failures.prefix(20).joined(separator: "\n"))
        if FuzzConfig.only == nil { XCTAssertEqual(tally.cases, FuzzConfig.specCases) }
    }

    /// Mutated catalog files (whole files or a few entries) applied as an overlay on the shipped
    /// catalog; when the overlay loads, an example spec is checked, built and sometimes solved on it.
    func testMutatedCatalogOverlays() throws {
        let mutator = Corpus.mutator
        var tally = FuzzTally()
        var failures: [String] = []
        _ = Corpus.shipped
        let start = Date()
        for i in FuzzConfig.indices(FuzzConfig.catalogCases) {
            var g = SplitMix64(seed: caseSeed(base: FuzzConfig.seed ^ 0xCA7A_1060, index: i))
            let source = g.pick(Corpus.catalogFiles)
            let text = g.chance(0.5) ? Self.someEntries(of: source.text, &g) : source.text
            let bytes = mutator.mutate(text, &g)
            let file = "overlay/\(source.name)"
            let context = "catalog case \(i) from \(source.name), FUZZ_SEED=\(FuzzConfig.seed) FUZZ_ONLY=\(i)"
            tally.cases += 1
            let catalog: Catalog
            do {
                catalog = try Corpus.catalog(withOverlay: bytes, file: file)
            } catch {
                tally.rejected += 1
                failures += checkExplained(error, file: file, context: context)
                if let first = error.diagnostics.first { tally.messages.insert(Self.shape(first.message)) }
                continue
            }
            tally.loaded += 1
            let example = g.pick(Corpus.examples)
            do {
                let spec = try SpecLoader.parse(yaml: example.text, file: example.name, catalog: catalog)
                failures += checkSolves(spec, catalog: catalog, solve: g.below(FuzzConfig.solveEvery) == 0, tally: &tally).map { "\($0) (\(context), spec \(example.name))" }
            } catch {
                failures += checkExplained(error, file: example.name, context: context + ", spec \(example.name)")
            }
        }
        print("fuzz catalog overlays: \(tally) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        XCTAssertEqual(failures, [], failures.prefix(20).joined(separator: "\n"))
        if FuzzConfig.only == nil { XCTAssertEqual(tally.cases, FuzzConfig.catalogCases) }
    }

    /// `Spec.setting` (what `planner sweep --vary` uses) with hostile values on every key.
    func testSettingHostileValues() throws {
        let spec = try SpecLoader.parse(yaml: Corpus.examples.first { $0.name == "chat-8b.yaml" }!.text, file: "chat-8b.yaml", catalog: Corpus.shipped)
        var accepted = 0, rejected = 0
        for key in Spec.settableKeys {
            for value in Mutator.hostileValues + ["none", "", " ", "1e400", "-1e400", "nan", "inf", "-inf", "0x10"] {
                do {
                    let changed = try spec.setting(key, to: value)
                    accepted += 1
                    _ = ProblemBuilder.build(spec: changed, catalog: Corpus.shipped)
                } catch {
                    rejected += 1
                    XCTAssertFalse((error.errorDescription ?? "").isEmpty, "\(key)=\(value)")
                }
            }
        }
        print("fuzz setting: \(accepted) accepted (problem built), \(rejected) rejected with a message")
    }

    /// One to three entries of a catalog file, with its top-level key: a small overlay.
    static func someEntries(of text: String, _ g: inout SplitMix64) -> String {
        let lines = text.components(separatedBy: "\n")
        var blocks: [(key: String, entries: [[String]])] = []
        for line in lines {
            if !line.hasPrefix(" ") && !line.hasPrefix("#") && line.hasSuffix(":") {
                blocks.append((line, []))
            } else if line.hasPrefix("  - "), !blocks.isEmpty {
                blocks[blocks.count - 1].entries.append([line])
            } else if !blocks.isEmpty, !blocks[blocks.count - 1].entries.isEmpty, !line.hasPrefix("#") {
                blocks[blocks.count - 1].entries[blocks[blocks.count - 1].entries.count - 1].append(line)
            }
        }
        let usable = blocks.filter { !$0.entries.isEmpty }
        guard !usable.isEmpty else { return text }
        let block = g.pick(usable)
        let n = 1 + g.below(min(3, block.entries.count))
        let start = g.below(block.entries.count - n + 1)
        return ([block.key] + block.entries[start..<start + n].flatMap { $0 }).joined(separator: "\n") + "\n"
    }

    /// A message with numbers and quoted text blanked, to count distinct kinds of message.
    static func shape(_ message: String) -> String {
        message.replacingOccurrences(of: #"'[^']*'|\([^)]*\)|[0-9.]+"#, with: "_", options: .regularExpression)
    }
}
