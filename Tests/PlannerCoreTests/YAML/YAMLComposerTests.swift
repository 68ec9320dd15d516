import Foundation
import XCTest
import Yams
@testable import PlannerCore
import PlannerTestSupport

final class YAMLComposerTests: XCTestCase {
    /// The composed tree (or the error's description) that `compose` gives for `text`.
    private func outcome(_ text: String, _ compose: (String) throws -> Node?) -> Result<Node?, TextError> {
        do { return .success(try compose(text)) } catch { return .failure(TextError(text: "\(error)")) }
    }

    private struct TextError: Error, Equatable { var text: String }

    /// Asserts YAMLComposer gives what Yams gives with its default resolver: the same error, or trees
    /// with the same shape, strings, styles, marks and (resolved) tag names.
    private func assertSameAsYams(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let fast = outcome(text, YAMLComposer.compose(yaml:))
        let yams = outcome(text, { try Yams.compose(yaml: $0) })
        switch (fast, yams) {
        case (.failure(let a), .failure(let b)):
            XCTAssertEqual(a, b, name, file: file, line: line)
        case (.success(let a?), .success(let b?)):
            var differences: [String] = []
            compare(a, b, path: "", into: &differences)
            XCTAssertEqual(differences, [], name, file: file, line: line)
            XCTAssertEqual(a, b, name, file: file, line: line)
        case (.success(nil), .success(nil)):
            break
        default:
            XCTFail("\(name): YAMLComposer \(fast), Yams \(yams)", file: file, line: line)
        }
    }

    private func compare(_ a: Node, _ b: Node, path: String, into differences: inout [String]) {
        if a.tag.rawValue != b.tag.rawValue { differences.append("\(path): tag \(a.tag.rawValue) vs \(b.tag.rawValue)") }
        if a.mark?.line != b.mark?.line || a.mark?.column != b.mark?.column {
            differences.append("\(path): mark \(String(describing: a.mark)) vs \(String(describing: b.mark))")
        }
        switch (a, b) {
        case (.scalar(let x), .scalar(let y)):
            if x.string != y.string || x.style != y.style {
                differences.append("\(path): \(x.string.debugDescription) \(x.style) vs \(y.string.debugDescription) \(y.style)")
            }
        case (.mapping(let x), .mapping(let y)):
            guard x.count == y.count, x.style == y.style else { return differences.append("\(path): mappings differ") }
            for (i, (p, q)) in zip(x, y).enumerated() {
                compare(p.key, q.key, path: "\(path)/key\(i)", into: &differences)
                compare(p.value, q.value, path: "\(path)/\(p.key.string ?? "?")", into: &differences)
            }
        case (.sequence(let x), .sequence(let y)):
            guard x.count == y.count, x.style == y.style else { return differences.append("\(path): sequences differ") }
            for (i, (p, q)) in zip(x, y).enumerated() { compare(p, q, path: "\(path)[\(i)]", into: &differences) }
        default:
            differences.append("\(path): kinds differ")
        }
    }

    private func repositoryYAML() throws -> [(name: String, text: String)] {
        try ["catalogs", "examples"].flatMap { folder in
            let url = repositoryRoot.appendingPathComponent(folder)
            return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".yaml") }.sorted()
                .map { ("\(folder)/\($0)", try String(contentsOf: url.appendingPathComponent($0), encoding: .utf8)) }
        }
    }

    func testShippedCatalogsAndExamplesComposeAsWithYams() throws {
        let files = try repositoryYAML()
        XCTAssertGreaterThanOrEqual(files.count, 15)
        for (name, text) in files {
            XCTAssertFalse(text.contains("!"), "\(name) takes the fast path only without a '!'")
            assertSameAsYams(text, name)
        }
    }

    func testEdgeCasesComposeAsWithYams() {
        let documents: [String] = [
            "a: 1\nb: '1'\nc: \"true\"\nd: |\n  5\ne: >\n  5\nf:\ng: ~\nh: 2001-12-14\ni: <<\nj: =\nk: .nan\n",
            // Keys equal only without tags: Yams' check with Resolver.basic throws, the default one does not.
            "1: a\n'1': b\n", "true: a\n\"true\": b\n", "~: a\n'~': b\n", "? [1]\n: a\n? ['1']\n: b\n",
            "x: {1: a, '1': b}\ny: [\n",                          // …and a syntax error after it
            // Real duplicates, and keys that look alike but differ.
            "a: 1\na: 2\n", "a: 1\n'a': 2\n", "1: a\n0x1: b\n", "? [a, b]\n: 1\n? [a, b]\n: 2\n", "x:\n  - {a: 1, a: 2}\n",
            // Explicit tags (a '!' anywhere sends the text to Yams' default resolver).
            "!!str null: a\nnull: b\n", "a: !!int \"5\"\nb: !!str 5\nc: ! 5\nd: !custom x\n", "# Hello!\na: 1\n",
            // Anchors, aliases, merge keys.
            "base: &b {x: 1, y: true}\nuse: *b\nmerged:\n  <<: *b\n  z: 2\n", "a: &s 5\nb: *s\n*s : c\n",
            "a: *missing\n",
            // Errors, documents, line endings, empty streams.
            "a: [1, 2\n", "a: b: c\n", "a: 1\n---\nb: 2\n", "", "# only a comment\n", "---\n", "a: 1\r\nb: [2, 3]\r\n",
            "- 1\n- 1.5\n- 0x1F\n- 190:20:30\n- yes\n- 'yes'\n- \"\"\n- ''\n-\n",
            "plain: line one\n  continued\nquoted: \"5\\n\"\n", "k: 5\u{2028}x\n", "\u{FEFF}a: 1\n",
        ]
        for (i, text) in documents.enumerated() { assertSameAsYams(text, "document \(i): \(text.debugDescription)") }
    }

    /// Random edits of real files (characters that matter to YAML inserted, removed or replaced, lines
    /// repeated) give Yams' tree or Yams' error, always.
    func testMutatedFilesComposeAsWithYams() throws {
        let sources = try repositoryYAML().filter { ["examples/chat-8b.yaml", "catalogs/racks.yaml"].contains($0.name) }
        XCTAssertEqual(sources.count, 2)
        var random = SplitMix64(seed: 0xC0FF_EE00)
        let inserts = Array(": -\"'&*[]{}#|>?,\n0159.e~<=tTyN!\r\t")
        for index in 0..<150 {
            let source = random.pick(sources)
            var chars = Array(source.text)
            for _ in 0...random.int(0...2) {
                let position = random.int(0...chars.count - 1)
                switch random.int(0...3) {
                case 0: chars.insert(random.pick(inserts), at: position)
                case 1: chars.remove(at: position)
                case 2: chars[position] = random.pick(inserts)
                default:
                    let start = chars[..<position].lastIndex(of: "\n").map { $0 + 1 } ?? 0
                    let end = chars[position...].firstIndex(of: "\n").map { $0 + 1 } ?? chars.count
                    chars.insert(contentsOf: chars[start..<end], at: end)
                }
            }
            assertSameAsYams(String(chars), "mutation \(index) of \(source.name)")
        }
    }

    /// An alias bomb costs no more than in Yams: aliased collections are retagged once and shared.
    func testAliasBombComposesQuickly() throws {
        var yaml = "a0: &a0 [x, 1, true]\n"
        for level in 1...30 { yaml += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n" }
        let start = Date()
        let node = try XCTUnwrap(YAMLComposer.compose(yaml: yaml))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        guard case .mapping(let mapping) = node, case .sequence(let a0) = mapping[mapping.startIndex].value else {
            return XCTFail("expected a mapping")
        }
        XCTAssertEqual(a0.map { $0.tag.rawValue }, [Tag.Name.str, .int, .bool].map(\.rawValue))
    }

    /// The planner's readers see the default tags: a quoted number is a string; `1:` beside `'1':` is two
    /// keys (an int and a str), not a duplicate, while `name:` beside `'name':` is one.
    func testReadersSeeDefaultTags() {
        XCTAssertTrue(specDiagnostics("schema_version: '1'\n").contains("spec.yaml:1:17: schema_version: must be an integer (got '1')"))
        let unknown = "unknown key, expected one of: schema_version, name, description, model, precision, engine, workload, "
            + "slo, budget, objective, tco, constraints, pin, site, existing"
        let twoKeys = specDiagnostics("schema_version: 1\n'1': x\n1: y\n")
        XCTAssertTrue(twoKeys.contains("spec.yaml:2:1: 1: \(unknown)"), "\(twoKeys)")
        XCTAssertTrue(twoKeys.contains("spec.yaml:3:1: 1: \(unknown)"), "\(twoKeys)")
        XCTAssertEqual(specDiagnostics("schema_version: 1\nname: a\n'name': b\n"),
                       ["spec.yaml:2:1: name: duplicate key 'name' in one mapping, expected each key at most once"])
    }
}
