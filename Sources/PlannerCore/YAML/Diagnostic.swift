/// A place in a source file. Lines and columns start at 1.
public struct SourceLocation: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

/// One problem found in an input file, with where it is and what was expected.
///
/// Rendered as `file:line:column: key.path: what is wrong, what was expected`, e.g.
/// `examples/chat.yaml:12:5: slo.tpot_ms: must be a positive number (got -5)`.
public struct Diagnostic: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// Dotted path of the offending key (`slo.tpot_ms`, `gpus[3].price_usd`); empty for whole-file problems.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public init(at location: SourceLocation, keyPath: String, message: String) {
        self.init(file: location.file, line: location.line, column: location.column, keyPath: keyPath, message: message)
    }

    public var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    public var description: String {
        keyPath.isEmpty
            ? "\(file):\(line):\(column): \(message)"
            : "\(file):\(line):\(column): \(keyPath): \(message)"
    }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        (lhs.file, lhs.line, lhs.column, lhs.keyPath, lhs.message)
            < (rhs.file, rhs.line, rhs.column, rhs.keyPath, rhs.message)
    }
}

/// Suggestions for misspelt names.
public enum Suggest {
    /// Levenshtein distance, computed on Unicode scalars; inputs are capped at 200 scalars.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        // Optimal string alignment: insertions, deletions, substitutions and swaps of two adjacent
        // characters each cost 1 ("slove" is one swap from "solve", two substitutions from "serve").
        let x = Array(a.unicodeScalars.prefix(200)), y = Array(b.unicodeScalars.prefix(200))
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var beforePrevious = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[y.count]
    }

    /// The closest candidate within a distance that scales with the name's length, if any.
    public static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        let limit = max(2, min(name.count, 40) / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let d = editDistance(name.lowercased(), candidate.lowercased())
            if d <= limit, best.map({ d < $0.1 || (d == $0.1 && candidate < $0.0) }) ?? true {
                best = (candidate, d)
            }
        }
        if best == nil {
            // A prefix or suffix of a long id ("h100" for "h100-sxm-80gb") is also a good hint.
            let lower = name.lowercased()
            if lower.count >= 3 {
                best = candidates.filter { $0.lowercased().hasPrefix(lower) }.sorted().first.map { ($0, 0) }
            }
        }
        return best?.0
    }

    /// `", did you mean 'x'?"` or the empty string.
    static func hint(_ name: String, _ candidates: some Sequence<String>) -> String {
        closest(to: name, in: candidates).map { ", did you mean '\($0)'?" } ?? ""
    }

    /// `", did you mean 'x'?"` or `", expected <expected>"`.
    static func hint(_ name: String, _ candidates: some Sequence<String>, orExpected expected: String) -> String {
        closest(to: name, in: candidates).map { ", did you mean '\($0)'?" } ?? ", expected \(expected)"
    }
}
