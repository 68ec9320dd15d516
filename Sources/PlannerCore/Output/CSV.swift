/// RFC 4180 CSV writing: fields that contain a comma, a double quote, CR or LF are enclosed in
/// double quotes with inner quotes doubled; records end with CRLF.
///
/// Written by hand (STYLE.md rule 11): the whole of RFC 4180 writing is these few lines, and the
/// CSV packages in the mirror are parsers first, which would add a dependency to PlannerCore for
/// ten lines of quoting. The tests parse the output back with Python's csv module.
public enum CSV {
    /// One field, quoted when needed.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, CRLF-terminated.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// A number without grouping or currency signs, at most `decimals` decimals, trailing zeros
    /// dropped: `27500`, `0.5`, `1234.56`.
    public static func number(_ value: Double, decimals: Int = 2) -> String {
        let text = Format.fixed(value, decimals)
        guard text.contains(".") else { return text }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        return trimmed == "-0" ? "0" : String(trimmed)
    }

    /// An optional number; empty when absent.
    public static func number(_ value: Double?, decimals: Int = 2) -> String {
        value.map { number($0, decimals: decimals) } ?? ""
    }
}
