import Foundation
import Yams

/// Parses YAML text into a `Yams.Node` tree without ever trapping: size, encoding, nesting depth
/// and alias expansion are bounded, and every parser error becomes a ``Diagnostic`` with a location.
enum YAMLDocument {
    /// Largest input accepted, bytes.
    static let maxBytes = 4 << 20
    /// Deepest nesting of mappings and sequences accepted (real files use fewer than 10).
    static let maxDepth = 64
    /// Most nodes a document may expand to (aliases included).
    static let maxNodes = 1_000_000

    /// Reads and parses a file. `displayPath` is the name diagnostics use.
    static func load(contentsOf url: URL, displayPath: String) -> Result<Node, DiagnosticList> {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return .failure([Diagnostic(file: displayPath, line: 1, column: 1, keyPath: "",
                                        message: "cannot read the file (\(error.localizedDescription))")])
        }
        return parse(data: data, file: displayPath)
    }

    static func parse(data: Data, file: String) -> Result<Node, DiagnosticList> {
        func fail(_ line: Int, _ column: Int, _ message: String) -> Result<Node, DiagnosticList> {
            .failure([Diagnostic(file: file, line: line, column: column, keyPath: "", message: message)])
        }
        if data.count > maxBytes {
            return fail(1, 1, "file is too large (\(data.count) bytes), expected at most \(maxBytes) bytes of YAML")
        }
        let bytes = [UInt8](data)
        if let nul = bytes.firstIndex(of: 0) {
            let (l, c) = position(ofByte: nul, in: bytes)
            return fail(l, c, "file is binary (NUL byte), expected UTF-8 YAML text")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let bad = firstInvalidUTF8(bytes)
            let (l, c) = position(ofByte: bad, in: bytes)
            return fail(l, c, "file is not valid UTF-8 text, expected UTF-8 YAML text")
        }
        return parse(text: text, file: file)
    }

    static func parse(text: String, file: String) -> Result<Node, DiagnosticList> {
        if text.utf8.count > maxBytes {
            return .failure([Diagnostic(file: file, line: 1, column: 1, keyPath: "",
                                        message: "file is too large (\(text.utf8.count) bytes), expected at most \(maxBytes) bytes of YAML")])
        }
        if text.allSatisfy({ $0.isWhitespace }) || hasOnlyBlankCommentAndMarkerLines(text) {
            return .failure([Diagnostic(file: file, line: 1, column: 1, keyPath: "",
                                        message: "file is empty, expected a YAML mapping")])
        }
        // Yams composes recursively; run it on a thread with a large stack and hand back only
        // shallow trees, so neither composing nor later walking/freeing can overflow a stack.
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = composeBounded(text: text, file: file)
            done.signal()
        }
        thread.stackSize = 256 << 20
        thread.start()
        done.wait()
        return box.result ?? .failure([Diagnostic(file: file, line: 1, column: 1, keyPath: "",
                                                   message: "internal error: YAML parser did not finish")])
    }

    /// Whether every line of `text` is blank, a comment or a document marker. Lines end at the `Character`
    /// "\n" (a "\r\n" is another `Character`). Stops at the first other line: splitting the whole text
    /// first showed in profiles.
    private static func hasOnlyBlankCommentAndMarkerLines(_ text: String) -> Bool {
        var rest = text[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(where: \.isNewline) ?? rest.endIndex  // "\r\n" is one Character
            let line = rest[..<end].trimmingCharacters(in: .whitespaces)
            if !(line.isEmpty || line.hasPrefix("#") || line == "---" || line == "...") { return false }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        return true
    }

    private final class ResultBox: @unchecked Sendable {
        var result: Result<Node, DiagnosticList>?
    }

    private static func composeBounded(text: String, file: String) -> Result<Node, DiagnosticList> {
        let node: Node?
        do {
            node = try YAMLComposer.compose(yaml: text)
        } catch {
            return .failure([diagnostic(for: error, text: text, file: file)])
        }
        guard let node else {
            return .failure([Diagnostic(file: file, line: 1, column: 1, keyPath: "",
                                        message: "file is empty, expected a YAML mapping")])
        }
        var budget = maxNodes
        switch measure(node, depth: 1, budget: &budget) {
        case .ok:
            return .success(node)
        case .tooDeep(let mark):
            return .failure([Diagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, keyPath: "",
                                        message: "nesting is too deep, expected at most \(maxDepth) levels of mappings and lists")])
        case .tooLarge:
            return .failure([Diagnostic(file: file, line: 1, column: 1, keyPath: "",
                                        message: "document expands to more than \(maxNodes) nodes (aliases?), expected a plain catalog or spec")])
        }
    }

    private enum Measure { case ok, tooDeep(Mark?), tooLarge }

    private static func measure(_ node: Node, depth: Int, budget: inout Int) -> Measure {
        budget -= 1
        if budget < 0 { return .tooLarge }
        if depth > maxDepth { return .tooDeep(node.mark) }
        switch node {
        case .scalar, .alias: return .ok
        case .sequence(let seq):
            for child in seq {
                let m = measure(child, depth: depth + 1, budget: &budget)
                if case .ok = m { continue }
                return m
            }
        case .mapping(let map):
            for (key, value) in map {
                for child in [key, value] {
                    let m = measure(child, depth: depth + 1, budget: &budget)
                    if case .ok = m { continue }
                    return m
                }
            }
        }
        return .ok
    }

    private static func diagnostic(for error: Error, text: String, file: String) -> Diagnostic {
        func make(_ mark: Mark?, _ message: String, keyPath: String = "") -> Diagnostic {
            Diagnostic(file: file, line: max(1, mark?.line ?? 1), column: max(1, mark?.column ?? 1),
                       keyPath: keyPath, message: message)
        }
        guard let yamlError = error as? YamlError else {
            return make(nil, "cannot parse YAML (\(error)), expected valid YAML")
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            if problem.contains("Maximum nesting level") || (context?.text.contains("Maximum nesting level") ?? false) {
                return make(mark, "nesting is too deep, expected at most \(maxDepth) levels of mappings and lists")
            }
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return make(mark, "invalid YAML: \(what)")
        case let .reader(problem, offset, _, _):
            if let offset {
                let (l, c) = position(ofByte: offset, in: Array(text.utf8))
                return Diagnostic(file: file, line: l, column: c, keyPath: "",
                                  message: "unreadable text: \(problem), expected UTF-8 YAML text without control characters")
            }
            return make(nil, "unreadable text: \(problem), expected UTF-8 YAML text without control characters")
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let first = context.mark
            // Point at the repeat: the next line holding the same key at the same column.
            // Lines as libyaml counts them: "\r\n" (one Character in Swift), "\r" and "\n" each end one.
            let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            if duplicates.count == 1, first.line >= 1, first.line <= lines.count, first.column >= 1 {
                for index in first.line..<lines.count {
                    let line = Array(lines[index].unicodeScalars)
                    let key = Array((duplicates[0] + ":").unicodeScalars)
                    let start = first.column - 1
                    if line.count >= start + key.count, Array(line[start..<start + key.count]) == key,
                       line[..<start].allSatisfy({ $0 == " " || $0 == "-" }) {
                        return Diagnostic(file: file, line: index + 1, column: first.column, keyPath: duplicates[0],
                                          message: "duplicate key (first at line \(first.line)), expected each key at most once in a mapping")
                    }
                }
            }
            return make(first, "duplicate key \(names) in one mapping, expected each key at most once",
                        keyPath: duplicates.count == 1 ? duplicates[0] : "")
        case .memory:
            return make(nil, "YAML parser ran out of memory, expected a smaller file")
        default:
            return make(nil, "cannot parse YAML (\(yamlError)), expected valid YAML")
        }
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return max(0, bytes.count - 1)
            case .error: return offset
            }
        }
    }

    /// 1-based line and column (in Unicode scalars; each undecodable byte counts as one) of a byte offset.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, column = 1, afterCR = false
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.prefix(max(0, offset)).makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar):
                // Line ends as libyaml counts them: "\n", "\r", and "\r\n" as one.
                let byte = scalar.count == 1 ? scalar.first : nil
                if byte == 0x0A && afterCR {
                    afterCR = false
                } else if byte == 0x0A || byte == 0x0D {
                    line += 1
                    column = 1
                    afterCR = byte == 0x0D
                } else {
                    column += 1
                    afterCR = false
                }
            case .error(let length):
                column += length
                afterCR = false
            case .emptyInput: return (line, column)
            }
        }
    }
}

/// Several diagnostics, as the failure of a parse.
struct DiagnosticList: Error, ExpressibleByArrayLiteral {
    var items: [Diagnostic]
    init(_ items: [Diagnostic]) { self.items = items }
    init(arrayLiteral elements: Diagnostic...) { items = elements }
}
