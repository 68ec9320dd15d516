import Yams

extension Node {
    /// Exactly Yams' `Node.int`, without Foundation for a scalar written only with the characters
    /// `0-9 + - . e E` (every number in the catalogs): Yams first removes `_` with Foundation's
    /// `replacingOccurrences`, which showed in profiles of loading the catalogs. Other scalars go to Yams.
    /// `ScalarNumbersTests` compares the two.
    var fastInt: Int? {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any,
              Self.isDecimalText(scalar.string) else { return int }
        // Yams' steps for such a string: no `_` to remove, no `0x`, `0b`, `0o` prefix, no `:`.
        let text = scalar.string
        if text == "0" { return 0 }
        let negative = text.hasPrefix("-")
        let body = text.dropFirst(negative || text.hasPrefix("+") ? 1 : 0)
        if body.hasPrefix("0") { return Int((negative ? "-" : "") + body.dropFirst(), radix: 8) }
        return Int(text)
    }

    /// Exactly Yams' `Node.float`, without Foundation for a scalar written only with the characters
    /// `0-9 + - . e E`; see ``fastInt``.
    var fastFloat: Double? {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any,
              Self.isDecimalText(scalar.string) else { return float }
        // Yams' steps for such a string: not `.inf` or `.nan`, no `_` to remove, no `:`.
        return Double(scalar.string)
    }

    /// Whether `text` is made only of `0-9 + - . e E`.
    private static func isDecimalText(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }
    }
}
