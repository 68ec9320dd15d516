import Yams

/// The tag Yams' `Resolver.default` gives a plain, untagged scalar, computed without regular expressions.
///
/// It is an exact, regex-free equivalent of the default rules bool, int, float, merge, null, timestamp
/// and value (Yams' `Resolver.swift`), tried in that order, first match wins, `str` when none matches.
/// Each rule is `^(?:…)$` for `NSRegularExpression` without options, so `$` also matches before one
/// line terminator that ends the string (`\n`, `\u{B}`, `\u{C}`, `\r`, `\r\n`, `\u{85}`, `\u{2028}`,
/// `\u{2029}`, as in ICU): `"5\n"` is an int. No rule's body can match a line terminator, so that
/// terminator is simply dropped before matching. (libyaml never ends a plain scalar with one.)
///
/// Written by hand because profiles showed the default rules, run by ICU on Linux up to seven times
/// for every plain scalar, taking about a fifth of the time of loading the catalogs.
/// `ScalarTagResolverTests` compares it with `Resolver.default` on more than ten thousand strings.
///
/// Complexity: O(n) in the UTF-8 length of the string.
enum ScalarTagResolver {
    /// The tag name `Resolver.default.resolveTag(of: Node(string))` returns.
    static func tagName(of string: String) -> Tag.Name {
        var string = string
        return string.withUTF8 { tagName(ofUTF8: $0) }
    }

    private static func tagName(ofUTF8 all: UnsafeBufferPointer<UInt8>) -> Tag.Name {
        let text = Bytes(all[..<(all.count - finalLineTerminatorLength(all))])
        if isBool(text) { return .bool }
        if isInt(text) { return .int }
        if isFloat(text) { return .float }
        if text.equals("<<") { return .merge }
        if isNull(text) { return .null }
        if isTimestamp(text) { return .timestamp }
        if text.equals("=") { return .value }
        return .str
    }

    /// UTF-8 length of the line terminator that ends `bytes` (the one ICU's `$` may stand before), or 0.
    private static func finalLineTerminatorLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let n = bytes.count
        if n >= 2, bytes[n - 2] == 0x0D, bytes[n - 1] == 0x0A { return 2 }                      // \r\n
        if n >= 1, (0x0A...0x0D).contains(bytes[n - 1]) { return 1 }                             // \n \v \f \r
        if n >= 2, bytes[n - 2] == 0xC2, bytes[n - 1] == 0x85 { return 2 }                      // U+0085
        if n >= 3, bytes[n - 3] == 0xE2, bytes[n - 2] == 0x80, bytes[n - 1] == 0xA8 || bytes[n - 1] == 0xA9 {
            return 3                                                                             // U+2028, U+2029
        }
        return 0
    }

    // MARK: - The rules, one function each, their patterns quoted from Yams

    private static let bools: [String] = ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
                                          "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"]

    /// `yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF`
    private static func isBool(_ text: Bytes) -> Bool {
        text.count >= 2 && text.count <= 5 && bools.contains(where: { text.equals($0) })
    }

    /// `~|null|Null|NULL|` (the empty string is null)
    private static func isNull(_ text: Bytes) -> Bool {
        text.count == 0 || text.equals("~") || text.equals("null") || text.equals("Null") || text.equals("NULL")
    }

    /// ```
    /// [-+]?0b[0-1_]+
    /// |[-+]?0o?[0-7_]+
    /// |[-+]?(?:0|[1-9][0-9_]*)
    /// |[-+]?0x[0-9a-fA-F_]+
    /// |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
    /// ```
    private static func isInt(_ text: Bytes) -> Bool {
        var s = text
        s.skipSign()
        if s.skip("0b") { return s.skipAll(where: { $0 == "0" || $0 == "1" || $0 == "_" }) > 0 && s.isEmpty }
        if s.skip("0x") { return s.skipAll(where: { $0.isHexDigit || $0 == "_" }) > 0 && s.isEmpty }
        if s.skip("0") {
            if s.isEmpty { return true }                                                         // 0
            _ = s.skip("o")
            return s.skipAll(where: { ("0"..."7").contains($0) || $0 == "_" }) > 0 && s.isEmpty  // 0o?[0-7_]+
        }
        guard let first = s.first, ("1"..."9").contains(first) else { return false }
        s.skipAll(where: { $0.isDigit || $0 == "_" })
        if s.isEmpty { return true }                                                             // [1-9][0-9_]*
        return s.skipSexagesimalGroups() && s.isEmpty                                            // …(?::[0-5]?[0-9])+
    }

    /// ```
    /// [-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
    /// |\.[0-9_]+(?:[eE][-+][0-9]+)?
    /// |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    /// |[-+]?\.(?:inf|Inf|INF)
    /// |\.(?:nan|NaN|NAN)
    /// ```
    private static func isFloat(_ text: Bytes) -> Bool {
        var s = text
        if s.skip(".") {
            if s.equals("nan") || s.equals("NaN") || s.equals("NAN") { return true }
            if s.equals("inf") || s.equals("Inf") || s.equals("INF") { return true }
            guard s.skipAll(where: { $0.isDigit || $0 == "_" }) > 0 else { return false }
            if s.isEmpty { return true }
            guard s.skip("e") || s.skip("E"), s.skip("-") || s.skip("+") else { return false }  // sign required here
            return s.skipAll(where: \.isDigit) > 0 && s.isEmpty
        }
        s.skipSign()
        if s.skip(".") { return s.equals("inf") || s.equals("Inf") || s.equals("INF") }
        guard let first = s.first, first.isDigit else { return false }
        s.skipAll(where: { $0.isDigit || $0 == "_" })
        if s.first == ":" {                                                                      // sexagesimal
            guard s.skipSexagesimalGroups(), s.skip(".") else { return false }
            s.skipAll(where: { $0.isDigit || $0 == "_" })
            return s.isEmpty
        }
        if s.skip(".") { s.skipAll(where: { $0.isDigit || $0 == "_" }) }
        if s.skip("e") || s.skip("E") {
            s.skipSign()
            guard s.skipAll(where: \.isDigit) > 0 else { return false }
        }
        return s.isEmpty
    }

    /// ```
    /// [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    /// |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
    ///  (?:[Tt]|[ \t]+)[0-9][0-9]?
    ///  :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    ///  (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
    /// ```
    private static func isTimestamp(_ text: Bytes) -> Bool {
        var s = text
        guard s.skipAll(where: \.isDigit) == 4, s.skip("-") else { return false }
        let month = s.skipAll(where: \.isDigit)
        guard month == 1 || month == 2, s.skip("-") else { return false }
        let day = s.skipAll(where: \.isDigit)
        guard day == 1 || day == 2 else { return false }
        if s.isEmpty { return month == 2 && day == 2 }                                           // yyyy-mm-dd
        guard s.skip("T") || s.skip("t") || s.skipAll(where: { $0 == " " || $0 == "\t" }) > 0 else { return false }
        let hour = s.skipAll(where: \.isDigit)
        guard hour == 1 || hour == 2, s.skip(":"), s.skipAll(where: \.isDigit) == 2,
              s.skip(":"), s.skipAll(where: \.isDigit) == 2 else { return false }
        if s.skip(".") { s.skipAll(where: \.isDigit) }
        if s.isEmpty { return true }
        s.skipAll(where: { $0 == " " || $0 == "\t" })
        if s.skip("Z") { return s.isEmpty }
        guard s.skip("-") || s.skip("+") else { return false }
        let zoneHour = s.skipAll(where: \.isDigit)
        guard zoneHour == 1 || zoneHour == 2 else { return false }
        if s.skip(":") { guard s.skipAll(where: \.isDigit) == 2 else { return false } }
        return s.isEmpty
    }
}

/// A cursor over the UTF-8 bytes of a scalar; every pattern character is ASCII.
private struct Bytes {
    private var rest: Slice<UnsafeBufferPointer<UInt8>>

    init(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) { rest = bytes }

    var count: Int { rest.count }
    var isEmpty: Bool { rest.isEmpty }
    var first: Unicode.Scalar? { rest.first.map { Unicode.Scalar($0) } }

    /// Whether the remaining bytes are exactly `literal` (ASCII).
    func equals(_ literal: String) -> Bool { rest.elementsEqual(literal.utf8) }

    /// Skips `literal` (ASCII) when the remaining bytes start with it.
    mutating func skip(_ literal: String) -> Bool {
        guard rest.starts(with: literal.utf8) else { return false }
        rest = rest.dropFirst(literal.utf8.count)
        return true
    }

    /// `[-+]?`
    mutating func skipSign() { if !skip("-") { _ = skip("+") } }

    /// Skips the longest run of ASCII bytes satisfying `predicate` and returns its length.
    @discardableResult
    mutating func skipAll(where predicate: (Unicode.Scalar) -> Bool) -> Int {
        let run = rest.prefix(while: { $0 < 0x80 && predicate(Unicode.Scalar($0)) }).count
        rest = rest.dropFirst(run)
        return run
    }

    /// `(?::[0-5]?[0-9])+`, one or more groups. The digits of a group are followed by `:`, `.` or the end,
    /// so each group is its whole run of digits: one digit, or two with the first at most 5.
    mutating func skipSexagesimalGroups() -> Bool {
        var groups = 0
        while skip(":") {
            var digits = self
            let length = digits.skipAll(where: \.isDigit)
            guard length == 1 || (length == 2 && rest.first.map({ $0 <= UInt8(ascii: "5") }) == true) else { return false }
            self = digits
            groups += 1
        }
        return groups > 0
    }
}

private extension Unicode.Scalar {
    var isDigit: Bool { ("0"..."9").contains(self) }
    var isHexDigit: Bool { isDigit || ("a"..."f").contains(self) || ("A"..."F").contains(self) }
}
