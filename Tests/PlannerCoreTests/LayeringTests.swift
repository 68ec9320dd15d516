import Foundation
import XCTest

/// The folders of Sources/PlannerCore form layers, bottom first; a file may name types and functions
/// of its own layer and of the layers below it, never of one above (docs/architecture.md):
///
///     Vocabulary → YAML → Catalog → Spec → Performance → Formulation → Plan → Output
///
/// The check reads the sources as text: it collects every top-level declaration (type, protocol,
/// typealias, free function) with the folder that declares it, strips comments and string literals
/// (keeping the code inside `\(…)` interpolations), and reports each identifier a file uses that a
/// higher folder declares. Nested types are not collected (they are reached through their parent).
final class LayeringTests: XCTestCase {
    static let layers = ["Vocabulary", "YAML", "Catalog", "Spec", "Performance", "Formulation", "Plan", "Output"]

    /// Back-references allowed, each with its reason: none. (The catalog's calibration and kernel
    /// tables, once declared in Performance/, live in Catalog/ since issue 14.)
    static let allowed: Set<Layering.Edge> = []

    static let sourcesRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/PlannerCore")

    /// Every .swift file under Sources/PlannerCore, keyed by its path relative to it.
    static func plannerCoreSources() throws -> [String: String] {
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(at: sourcesRoot, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(sourcesRoot.standardizedFileURL.path.count + 1))
            files[relative] = try String(contentsOf: url, encoding: .utf8)
        }
        return files
    }

    func testNoFolderReferencesALayerAboveIt() throws {
        let files = try Self.plannerCoreSources()
        XCTAssertGreaterThan(files.count, 50, "found too few sources under \(Self.sourcesRoot.path)")
        let layering = Layering(layers: Self.layers)
        XCTAssertEqual(layering.filesOutsideLayers(files), [], "every PlannerCore file lives in a layer folder")
        let violations = layering.backReferences(files).filter { !Self.allowed.contains($0.edge) }
        XCTAssertEqual(violations.map(\.description), [], "a folder names something a higher folder declares")
    }

    /// Only MILPSolver.swift names a concrete solver; everything else takes `any Solver`. The CLI
    /// reaches the solver and the model through PlannerCore alone.
    func testOnlyTheSolverFactoryImportsGLPKAndTheCLIImportsOnlyPlannerCore() throws {
        let files = try Self.plannerCoreSources()
        let glpk = files.filter { Layering.imports(in: $0.value).contains("GLPKSolver") }.keys.sorted()
        XCTAssertEqual(glpk, ["Formulation/MILPSolver.swift"])
        let cli = Self.sourcesRoot.deletingLastPathComponent().appendingPathComponent("planner")
        var modules: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: cli.path) where name.hasSuffix(".swift") {
            modules.formUnion(Layering.imports(in: try String(contentsOf: cli.appendingPathComponent(name), encoding: .utf8)))
        }
        XCTAssertEqual(modules.subtracting(["ArgumentParser", "Dispatch", "Foundation"]), ["PlannerCore", "PlannerServer"])
    }

    /// The check can fail: a Vocabulary file that names a Plan type, a Formulation file that calls an
    /// Output type and a reference hidden in a string interpolation are each caught; the same names in
    /// a comment or a plain string are not.
    func testCatchesAnInjectedBackReference() throws {
        var files = try Self.plannerCoreSources()
        files["Vocabulary/Injected.swift"] = "extension Plan { var injected: Int { 0 } }\n"
        files["Formulation/Injected.swift"] = "func injected() -> String { \"\\(TablePlanRenderer.identifier)\" }\n"
        files["Spec/Injected.swift"] = "// Plan, Optimizer\nlet injected = \"PlanChecker and Optimizer\"\n"
        let found = Layering(layers: Self.layers).backReferences(files).filter { $0.file.hasSuffix("Injected.swift") }
        XCTAssertEqual(found.map(\.description), [
            "Formulation/Injected.swift names TablePlanRenderer, declared in Output (a layer above Formulation)",
            "Vocabulary/Injected.swift names Plan, declared in Plan (a layer above Vocabulary)",
        ])
    }

    func testStripsCommentsAndStringsButKeepsInterpolations() {
        let source = "let a = Foo // Bar\n/* Baz /* nested */ Qux */ let b = \"Quux \\(Corge.x) \\\"Grault\\\"\"\nlet c = \"\"\"\n  Garply \\(Waldo)\n  \"\"\""
        XCTAssertEqual(Layering.identifiers(in: Layering.code(of: source)), ["Corge", "Foo", "Waldo", "a", "b", "c", "let", "x"])
    }
}

/// The layer check of ``LayeringTests``, over sources given as text.
struct Layering {
    struct Edge: Hashable {
        var from: String
        var to: String
        var name: String
    }

    struct Violation: CustomStringConvertible {
        var file: String
        var edge: Edge
        var description: String { "\(file) names \(edge.name), declared in \(edge.to) (a layer above \(edge.from))" }
    }

    let layers: [String]

    func folder(of path: String) -> String? {
        path.contains("/") ? String(path.prefix { $0 != "/" }) : nil
    }

    func filesOutsideLayers(_ files: [String: String]) -> [String] {
        files.keys.filter { folder(of: $0).map { !layers.contains($0) } ?? true }.sorted()
    }

    /// The modules a file imports (`import X`, `@testable import X`, `import struct X.Y`).
    static func imports(in source: String) -> Set<String> {
        Set(source.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
            guard words.first == "import", let last = words.last else { return nil }
            return String(last.prefix { $0 != "." })
        })
    }

    /// Every use of a name declared in a higher layer, sorted by file then name.
    func backReferences(_ files: [String: String]) -> [Violation] {
        let code = files.mapValues(Layering.code(of:))
        var owners: [String: Set<String>] = [:]
        for (path, text) in code {
            guard let folder = folder(of: path) else { continue }
            for name in Layering.topLevelDeclarations(in: text) { owners[name, default: []].insert(folder) }
        }
        var violations: [Violation] = []
        for (path, text) in code {
            guard let folder = folder(of: path), let layer = layers.firstIndex(of: folder) else { continue }
            for name in Layering.identifiers(in: text) {
                // A name declared in two folders (an overload) is not attributed to either.
                guard let owner = owners[name], owner.count == 1, let to = owner.first, let above = layers.firstIndex(of: to),
                      above > layer, Layering.isUse(of: name, in: text) else { continue }
                violations.append(Violation(file: path, edge: Edge(from: folder, to: to, name: name)))
            }
        }
        return violations.sorted { ($0.file, $0.edge.name) < ($1.file, $1.edge.name) }
    }

    /// Names declared at the top level of a file: types, protocols, typealiases and free functions
    /// (not `private`/`fileprivate`, which no other file can name).
    static func topLevelDeclarations(in code: String) -> Set<String> {
        let modifiers: Set<String> = ["public", "internal", "package", "final", "indirect", "nonisolated", "open"]
        let kinds: Set<String> = ["struct", "enum", "class", "protocol", "typealias", "actor", "func", "let", "var"]
        var names: Set<String> = []
        for line in code.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let first = line.first, first.isLetter || first == "@" else { continue }
            var words = line.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ":" || $0 == "<" || $0 == "{" || $0 == "=" })[...]
            while let word = words.first, word.hasPrefix("@") || modifiers.contains(String(word)) { words = words.dropFirst() }
            guard let kind = words.first, kinds.contains(String(kind)), let name = words.dropFirst().first,
                  name.first.map({ $0.isLetter || $0 == "_" }) == true else { continue }
            names.insert(String(name))
        }
        return names
    }

    /// Whether `code` uses `name`: any occurrence of a type's name (capitalised), but a function's
    /// name only where it is called, `name(` after neither a dot nor a letter (not `String(format: …)`).
    static func isUse(of name: String, in code: String) -> Bool {
        guard let first = name.first, first.isLowercase else { return true }
        var rest = code[...]
        while let range = rest.range(of: name + "(") {
            let before = range.lowerBound == code.startIndex ? nil : code[code.index(before: range.lowerBound)]
            if !(before.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." } ?? false) { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }

    /// The identifiers of `code`, each once, sorted.
    static func identifiers(in code: String) -> [String] {
        var result: Set<String> = []
        var current = ""
        for character in code + " " {
            if character.isLetter || character.isNumber || character == "_" {
                current.append(character)
            } else {
                if let first = current.first, !first.isNumber { result.insert(current) }
                current = ""
            }
        }
        return result.sorted()
    }

    /// `source` without comments and without the text of string literals; the code inside `\(…)`
    /// interpolations is kept. Written by hand: no library the package uses parses Swift, and the
    /// check needs only this much of the grammar (comments, nested block comments, `"…"` and `"""…"""`).
    static func code(of source: String) -> String {
        let characters = Array(source)
        var output = ""
        var i = 0
        /// Interpolation depth stack: for each open string, whether it is multi-line; for each open
        /// `\(`, the parenthesis depth inside it.
        enum Frame { case string(multiLine: Bool), interpolation(depth: Int) }
        var stack: [Frame] = []
        func at(_ offset: Int, _ text: String) -> Bool {
            let t = Array(text)
            return i + offset + t.count <= characters.count && Array(characters[(i + offset)..<(i + offset + t.count)]) == t
        }
        while i < characters.count {
            let c = characters[i]
            if case let .string(multiLine)? = stack.last {
                if c == "\\" {
                    if at(1, "(") { stack.append(.interpolation(depth: 0)); output.append(" "); i += 2 } else { i += 2 }
                } else if multiLine ? at(0, "\"\"\"") : c == "\"" {
                    stack.removeLast()
                    output.append("\"\"")
                    i += multiLine ? 3 : 1
                } else {
                    if c == "\n" { output.append("\n") }
                    i += 1
                }
                continue
            }
            if at(0, "//") {
                while i < characters.count, characters[i] != "\n" { i += 1 }
            } else if at(0, "/*") {
                var depth = 0
                repeat {
                    if at(0, "/*") { depth += 1; i += 2 } else if at(0, "*/") { depth -= 1; i += 2 } else {
                        if characters[i] == "\n" { output.append("\n") }
                        i += 1
                    }
                } while depth > 0 && i < characters.count
            } else if at(0, "\"\"\"") {
                stack.append(.string(multiLine: true)); i += 3
            } else if c == "\"" {
                stack.append(.string(multiLine: false)); i += 1
            } else {
                if case let .interpolation(depth)? = stack.last {
                    if c == "(" { stack[stack.count - 1] = .interpolation(depth: depth + 1) }
                    if c == ")" {
                        if depth == 0 { stack.removeLast(); output.append(" "); i += 1; continue }
                        stack[stack.count - 1] = .interpolation(depth: depth - 1)
                    }
                }
                output.append(c)
                i += 1
            }
        }
        return output
    }
}
