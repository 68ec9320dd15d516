import Yams

/// Collects every problem found while reading one file.
final class DiagnosticSink {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    func location(_ node: Node?) -> SourceLocation {
        SourceLocation(file: file, line: max(1, node?.mark?.line ?? 1), column: max(1, node?.mark?.column ?? 1))
    }

    func report(_ node: Node?, _ keyPath: String, _ message: String) {
        diagnostics.append(Diagnostic(at: location(node), keyPath: keyPath, message: message))
    }

    func append(_ more: [Diagnostic]) { diagnostics.append(contentsOf: more) }
}

/// The accepted range of a number field.
struct NumberRule {
    var min: Double
    var minExclusive: Bool
    var max: Double

    static func positive(max: Double) -> NumberRule { NumberRule(min: 0, minExclusive: true, max: max) }
    static func nonNegative(max: Double) -> NumberRule { NumberRule(min: 0, minExclusive: false, max: max) }
    static func between(_ low: Double, _ high: Double) -> NumberRule { NumberRule(min: low, minExclusive: false, max: high) }

    /// The problem with `value`, or nil when it is acceptable.
    func problem(_ value: Double, got: String, integer: Bool) -> String? {
        let noun = integer ? "integer" : "number"
        if value.isNaN || value.isInfinite { return "must be a finite \(noun) (got \(got))" }
        if min == 0 && minExclusive && value <= 0 { return "must be a positive \(noun) (got \(got))" }
        if min == 0 && !minExclusive && value < 0 && max > 1 { return "must not be negative (got \(got))" }
        if value < min || (minExclusive && value <= min) || value > max {
            if min == 0 && max > 1 { return "out of range (got \(got)), expected at most \(format(max))" }
            return "out of range (got \(got)), expected \(format(min)) to \(format(max))"
        }
        return nil
    }
}

/// Formats a number the way a person writes it in YAML: `5`, `0.15`, `1e+30`.
func format(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}

/// How a node is described in "got …".
func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let s):
        if node.tagName == .null { return "null" }
        let text = s.string.count > 40 ? String(s.string.prefix(37)) + "..." : s.string
        if node.tagName == .int || node.tagName == .float || node.tagName == .bool { return text }
        return "'\(text)'"
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    case .alias: return "an alias"
    }
}

extension Node {
    var isNull: Bool {
        if case .scalar = self { return tagName == .null }
        return false
    }

    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}

/// Typed, location-aware access to one YAML mapping. Unknown and non-string keys are reported
/// when it is created; every accessor reports what is wrong and returns nil instead of throwing.
struct YAMLMap {
    let sink: DiagnosticSink
    let path: String
    let node: Node
    let entries: [(key: String, keyNode: Node, value: Node)]
    /// Index in `entries` of the first entry with each key; scanning `entries` copied every node it passed.
    private let entryIndex: [String: Int]

    /// Wraps `node`, reporting a type error when it is not a mapping and unknown keys outside `allowed`.
    init?(_ node: Node, path: String, sink: DiagnosticSink, allowed: [String], what: String = "a mapping") {
        guard case .mapping(let mapping) = node else {
            sink.report(node, path, "must be \(what) (got \(describe(node)))")
            return nil
        }
        self.sink = sink
        self.path = path
        self.node = node
        var entries: [(String, Node, Node)] = []
        for (key, value) in mapping {
            guard case .scalar(let k) = key, key.tagName != .null else {
                sink.report(key, path, "keys must be plain names (got \(describe(key)))")
                continue
            }
            let name = k.string
            if !allowed.contains(name) {
                let keyPath = path.isEmpty ? name : "\(path).\(name)"
                let shown = keyPath.count > 80 ? String(keyPath.prefix(77)) + "..." : keyPath
                let hint = Suggest.closest(to: name, in: allowed)
                    .map { "did you mean '\($0)'?" }
                    ?? "expected one of: \(allowed.joined(separator: ", "))"
                sink.report(key, shown, "unknown key, \(hint)")
                continue
            }
            entries.append((name, key, value))
        }
        self.entries = entries
        var entryIndex: [String: Int] = [:]
        for (index, entry) in self.entries.enumerated() where entryIndex[entry.key] == nil { entryIndex[entry.key] = index }
        self.entryIndex = entryIndex
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value of `key`, or nil when absent or null.
    func value(_ key: String) -> Node? {
        guard let index = entryIndex[key], !entries[index].value.isNull else { return nil }
        return entries[index].value
    }

    func keyNode(_ key: String) -> Node? { entryIndex[key].map { entries[$0].keyNode } }

    func has(_ key: String) -> Bool { value(key) != nil }

    func location(_ key: String) -> SourceLocation { sink.location(value(key) ?? keyNode(key) ?? node) }

    private func fetch(_ key: String, required: Bool, expected: String) -> Node? {
        if let v = value(key) { return v }
        if required {
            sink.report(keyNode(key) ?? node, keyPath(key), "missing required field, expected \(expected)")
        }
        return nil
    }

    func string(_ key: String, required: Bool = true, maxLength: Int = 2_000,
                pattern: ((String) -> Bool)? = nil, patternText: String = "") -> String? {
        guard let v = fetch(key, required: required, expected: "a string") else { return nil }
        return Self.string(v, path: keyPath(key), sink: sink, maxLength: maxLength, pattern: pattern, patternText: patternText)
    }

    static func string(_ v: Node, path: String, sink: DiagnosticSink, maxLength: Int = 2_000,
                       pattern: ((String) -> Bool)? = nil, patternText: String = "") -> String? {
        guard case .scalar(let s) = v else {
            sink.report(v, path, "must be a string (got \(describe(v)))")
            return nil
        }
        if s.string.count > maxLength {
            sink.report(v, path, "string is too long (\(s.string.count) characters), expected at most \(maxLength)")
            return nil
        }
        if let pattern, !pattern(s.string) {
            sink.report(v, path, "invalid value \(describe(v)), expected \(patternText)")
            return nil
        }
        return s.string
    }

    func double(_ key: String, required: Bool = true, _ rule: NumberRule) -> Double? {
        guard let v = fetch(key, required: required, expected: "a number") else { return nil }
        return Self.double(v, path: keyPath(key), sink: sink, rule)
    }

    static func double(_ v: Node, path: String, sink: DiagnosticSink, _ rule: NumberRule) -> Double? {
        guard case .scalar(let s) = v, v.tagName == .int || v.tagName == .float else {
            sink.report(v, path, "must be a number (got \(describe(v)))")
            return nil
        }
        let value: Double
        if let i = v.fastInt { value = Double(i) } else if let f = v.fastFloat { value = f } else if let f = Double(s.string.replacingOccurrences(of: "_", with: "")) { value = f } else {
            sink.report(v, path, "out of range (got \(describe(v))), expected at most \(format(rule.max))")
            return nil
        }
        if let problem = rule.problem(value, got: describe(v), integer: false) {
            sink.report(v, path, problem)
            return nil
        }
        return value
    }

    func int(_ key: String, required: Bool = true, _ range: ClosedRange<Int>) -> Int? {
        guard let v = fetch(key, required: required, expected: "an integer") else { return nil }
        return Self.int(v, path: keyPath(key), sink: sink, range)
    }

    /// Reads a whole number, bounded to `range` before anything can do arithmetic with it.
    static func int(_ v: Node, path: String, sink: DiagnosticSink, _ range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let s) = v, v.tagName == .int || v.tagName == .float else {
            sink.report(v, path, "must be an integer (got \(describe(v)))")
            return nil
        }
        let rule = NumberRule(min: Double(range.lowerBound), minExclusive: false, max: Double(range.upperBound))
        let positiveRule = range.lowerBound == 1 ? NumberRule.positive(max: Double(range.upperBound)) : rule
        let value: Double
        if let i = v.fastInt {
            value = Double(i)
        } else if let f = v.fastFloat ?? Double(s.string.replacingOccurrences(of: "_", with: "")) {
            value = f
        } else {
            sink.report(v, path, "out of range (got \(describe(v))), expected at most \(range.upperBound)")
            return nil
        }
        if let problem = positiveRule.problem(value, got: describe(v), integer: true) {
            sink.report(v, path, problem)
            return nil
        }
        guard value == value.rounded(), let exact = Int(exactly: value) else {
            sink.report(v, path, "must be a whole number (got \(describe(v)))")
            return nil
        }
        return exact
    }

    func bool(_ key: String, required: Bool = true) -> Bool? {
        guard let v = fetch(key, required: required, expected: "true or false") else { return nil }
        guard case .scalar = v, v.tagName == .bool, let b = v.bool else {
            sink.report(v, keyPath(key), "must be true or false (got \(describe(v)))")
            return nil
        }
        return b
    }

    func choice<E: RawRepresentable & CaseIterable>(_ key: String, required: Bool = true, as type: E.Type = E.self) -> E?
    where E.RawValue == String {
        let options = E.allCases.map(\.rawValue)
        guard let v = fetch(key, required: required, expected: "one of \(options.joined(separator: ", "))") else { return nil }
        return Self.choice(v, path: keyPath(key), sink: sink, as: type)
    }

    static func choice<E: RawRepresentable & CaseIterable>(_ v: Node, path: String, sink: DiagnosticSink, as type: E.Type = E.self) -> E?
    where E.RawValue == String {
        let options = E.allCases.map(\.rawValue)
        guard case .scalar(let s) = v, let e = E(rawValue: s.string) else {
            let hint: String
            if case .scalar(let s) = v { hint = Suggest.hint(s.string, options) } else { hint = "" }
            sink.report(v, path, "must be one of \(options.joined(separator: ", ")) (got \(describe(v)))\(hint)")
            return nil
        }
        return e
    }

    func list(_ key: String, required: Bool = true, maxCount: Int = 10_000) -> [Node]? {
        guard let v = fetch(key, required: required, expected: "a list") else { return nil }
        guard case .sequence(let seq) = v else {
            sink.report(v, keyPath(key), "must be a list (got \(describe(v)))")
            return nil
        }
        if seq.count > maxCount {
            sink.report(v, keyPath(key), "out of range (\(seq.count) items), expected at most \(maxCount)")
            return nil
        }
        return Array(seq)
    }

    func stringList(_ key: String, required: Bool = true) -> [String]? {
        guard let items = list(key, required: required) else { return nil }
        var out: [String] = []
        var ok = true
        for (i, item) in items.enumerated() {
            if let s = Self.string(item, path: "\(keyPath(key))[\(i)]", sink: sink, maxLength: 200) { out.append(s) } else { ok = false }
        }
        return ok ? out : nil
    }

    func choiceList<E: RawRepresentable & CaseIterable>(_ key: String, required: Bool = true, as type: E.Type = E.self) -> [E]?
    where E.RawValue == String {
        guard let items = list(key, required: required) else { return nil }
        var out: [E] = []
        var ok = true
        for (i, item) in items.enumerated() {
            if let e = Self.choice(item, path: "\(keyPath(key))[\(i)]", sink: sink, as: type) { out.append(e) } else { ok = false }
        }
        return ok ? out : nil
    }

    func map(_ key: String, required: Bool = true, allowed: [String]) -> YAMLMap? {
        guard let v = fetch(key, required: required, expected: "a mapping with \(allowed.joined(separator: ", "))") else { return nil }
        return YAMLMap(v, path: keyPath(key), sink: sink, allowed: allowed)
    }
}
