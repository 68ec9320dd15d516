import Foundation
import PlannerTestSupport

/// Corrupts YAML files the ways people and tools do: wrong types, missing fields, unknown ids,
/// negative/NaN/huge numbers, empty files, binary junk, deep nesting, duplicated keys, very long
/// strings, broken indentation. Every choice comes from the case's ``SplitMix64``, so a case is
/// fully determined by its seed.
struct Mutator {
    /// Ids (and near-misses of them) that references may be pointed at.
    var ids: [String]
    /// Keys seen anywhere in the corpus, so renamed/added keys are sometimes valid elsewhere.
    var keys: [String]

    /// Values that break typing or ranges, plus in-range extremes that reach the arithmetic.
    static let hostileValues: [String] = [
        "-1", "0", "-0", "0.0", ".nan", ".NaN", ".inf", "-.inf", "+.inf", "1e308", "1e309", "-1e308", "1.7976931348623157e308",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551616",
        "99999999999999999999999999999", "0x7FFFFFFFFFFFFFFF", "0o777", "0b101", "1_000_000", "1.5", "0.5", "2.5e-1",
        "1e-300", "5e-324", "1", "2", "3", "7", "8", "16", "1024", "1025", "100000", "100001", "10000000", "10000001",
        "1e6", "1e9", "1e11", "1e12", "99.9", "50", "49.99", "0.0001", "1e-9", "2147483648", "4294967296",
        "true", "false", "yes", "null", "~", "''", "'512'", "\"1e3\"", "[]", "{}", "[1, 2]", "{a: 1}", "[[[]]]",
        "abc", "n+1", "2n", "fp8", "int4-awq", "air", "liquid", "infiniband", "min_tco", "sxm", "pcie", "hopper",
        "!!binary aGVsbG8=", "!!str 5", "!!int 5", "!!float .nan", "&a 5", "*undefined", "| \n  block", "> \n  folded",
        "'unterminated", "\"unterminated", "{unclosed: 1", "[unclosed", "@reserved", "`reserved", "% directive",
        "\u{202E}evil", "💥", "\u{FEFF}", "\\x00", "2024-01-01", "12:30:00", "0000012", "+12", ".5", "5.", "1__0",
    ]

    /// Applies 1 (60 %), 2 (30 %) or 3 (10 %) mutations to `text`.
    func mutate(_ text: String, _ g: inout SplitMix64) -> [UInt8] {
        var bytes = Array(text.utf8)
        let rounds = g.chance(0.6) ? 1 : g.chance(0.75) ? 2 : 3
        for _ in 0..<rounds {
            bytes = mutateOnce(bytes, &g)
            if bytes.count > 6 << 20 { break }
        }
        return bytes
    }

    func mutateOnce(_ bytes: [UInt8], _ g: inout SplitMix64) -> [UInt8] {
        // Most mutations work on text; a few make non-text.
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        switch g.below(100) {
        case 0..<30: // a value replaced by a hostile one
            return Array(replaceValue(text, &g) { g in g.pick(Self.hostileValues) }.utf8)
        case 30..<38: // an id replaced by an unknown id, a near miss or a real id of another kind
            return Array(replaceValue(text, &g) { g in
                let id = g.pick(ids)
                switch g.below(3) {
                case 0: return id
                case 1: return typo(id, &g)
                default: return "no-such-\(id)"
                }
            }.utf8)
        case 38..<45: // a line deleted (missing field)
            guard !lines.isEmpty else { return bytes }
            lines.remove(at: g.below(lines.count))
        case 45..<51: // a line duplicated (duplicated key or entry)
            guard !lines.isEmpty else { return bytes }
            let i = g.below(lines.count)
            lines.insert(lines[i], at: i + (g.chance(0.5) ? 1 : 0))
        case 51..<57: // a key misspelt, or replaced by another real key
            return Array(renameKey(text, &g).utf8)
        case 57..<60: // an unknown or misplaced key added
            guard !lines.isEmpty else { return bytes }
            let i = g.below(lines.count + 1)
            let indent = i < lines.count ? String(lines[i].prefix { $0 == " " }) : ""
            lines.insert("\(indent)\(g.chance(0.5) ? g.pick(keys) : typo(g.pick(keys), &g)): \(g.pick(Self.hostileValues))", at: i)
        case 60..<64: // indentation broken
            guard !lines.isEmpty else { return bytes }
            let i = g.below(lines.count)
            switch g.below(3) {
            case 0: lines[i] = "  " + lines[i]
            case 1: lines[i] = String(lines[i].drop { $0 == " " })
            default: lines[i] = "\t" + lines[i]
            }
        case 64..<67: // two lines swapped
            guard lines.count > 1 else { return bytes }
            lines.swapAt(g.below(lines.count), g.below(lines.count))
        case 67..<71: // truncated (half-finished file)
            return Array(bytes.prefix(g.below(bytes.count + 1)))
        case 71..<74: // a value nested very deeply
            let depth = g.pick([8, 30, 63, 64, 65, 100, 1_000, 20_000])
            let nested: String = switch g.below(3) {
            case 0: String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
            case 1: String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth)
            default: "\n" + (0..<min(depth, 2_000)).map { String(repeating: " ", count: 2 * $0 + 2) + "k:" }.joined(separator: "\n") + " 1"
            }
            return Array(replaceValue(text, &g) { _ in nested }.utf8)
        case 74..<78: // a very long string
            let length = g.pick([201, 2_001, 10_001, 100_000, 1_000_000, 5_000_000])
            let unit = g.pick(["x", "é", "ab-", "💥", " "])
            return Array(replaceValue(text, &g) { _ in
                String(repeating: unit, count: max(1, length / unit.utf8.count))
            }.utf8)
        case 78..<81: // binary junk inserted
            var out = bytes
            let junk = (0..<(1 + g.below(64))).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            out.insert(contentsOf: junk, at: g.below(out.count + 1))
            return out
        case 81..<83: // a whole file of junk
            return (0..<g.below(4_096)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        case 83..<85: // empty, blank or comment-only
            return Array(g.pick(["", " ", "\n\n", "# nothing\n", "---\n", "...\n", "~\n", "null\n", "[]\n", "{}\n", "\u{FEFF}"]).utf8)
        case 85..<87: // alias expansion bomb
            let bomb = "lol0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + (1..<10).map {
                "lol\($0): &a\($0) [" + Array(repeating: "*a\($0 - 1)", count: 10).joined(separator: ", ") + "]"
            }.joined(separator: "\n") + "\n"
            return Array((g.chance(0.5) ? bomb + text : text + "\n" + bomb).utf8)
        case 87..<89: // a YAML-level oddity
            switch g.below(6) {
            case 0: return Array((text + "\n---\nname: second-document\n").utf8)
            case 1: return Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
            case 2: return Array(text.replacingOccurrences(of: "\n", with: "\r").utf8)  // old-Mac line ends
            case 3: return Array(("%YAML 1.1\n---\n" + text).utf8)
            case 4: return Array(("\u{FEFF}" + text).utf8)
            default: return Array(("!!map\n" + text).utf8)
            }
        case 89..<92: // a mapping turned into a list or a scalar (wrong type for a whole section)
            return Array(replaceValue(text, &g) { g in g.pick(["[a, b]", "- x\n- y", "scalar", "{}", "[]", "~"]) }.utf8)
        case 92..<95: // a single byte flipped
            guard !bytes.isEmpty else { return bytes }
            var out = bytes
            out[g.below(out.count)] ^= UInt8(1 << g.below(8))
            return out
        default: // a range of lines deleted
            guard lines.count > 1 else { return bytes }
            let start = g.below(lines.count)
            let end = min(lines.count, start + 1 + g.below(20))
            lines.removeSubrange(start..<end)
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// Replaces one value (after `key: `, a `- ` list item, or inside a flow list) with `make(g)`.
    func replaceValue(_ text: String, _ g: inout SplitMix64, _ make: (inout SplitMix64) -> String) -> String {
        let ns = text as NSString
        let matches = Self.valuePattern.matches(in: text, range: NSRange(location: 0, length: ns.length))
        guard !matches.isEmpty else { return text + "\n" + make(&g) }
        let m = g.pick(matches)
        let range = m.range(at: 1)
        return ns.replacingCharacters(in: range, with: make(&g))
    }

    func renameKey(_ text: String, _ g: inout SplitMix64) -> String {
        let ns = text as NSString
        let matches = Self.keyPattern.matches(in: text, range: NSRange(location: 0, length: ns.length))
        guard !matches.isEmpty else { return text }
        let range = g.pick(matches).range(at: 1)
        let key = ns.substring(with: range)
        let replacement = g.chance(0.3) ? g.pick(keys) : typo(key, &g)
        return ns.replacingCharacters(in: range, with: replacement)
    }

    /// A near miss of `word`: one character dropped, doubled, swapped or changed.
    func typo(_ word: String, _ g: inout SplitMix64) -> String {
        var chars = Array(word)
        guard chars.count > 1 else { return word + "x" }
        let i = g.below(chars.count - 1)
        switch g.below(4) {
        case 0: chars.remove(at: i)
        case 1: chars.insert(chars[i], at: i)
        case 2: chars.swapAt(i, i + 1)
        default: chars[i] = g.pick(Array("abcdefghijklmnopqrstuvwxyz0123456789-_."))
        }
        return String(chars)
    }

    static let valuePattern = try! NSRegularExpression(pattern: #"(?:[:]\s|^\s*-\s|[\[,]\s*)([^\s,\]\}#][^,\]\}\n#]*)"#, options: [.anchorsMatchLines])
    static let keyPattern = try! NSRegularExpression(pattern: #"(?:^\s*(?:-\s+)?|[{,]\s*)([A-Za-z_][A-Za-z0-9_]*):"#, options: [.anchorsMatchLines])
}
