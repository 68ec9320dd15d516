/// A plain-text table: columns padded to their widest cell, numbers right-aligned.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    /// Columns to right-align (numbers).
    var rightAligned: Set<Int> = []

    func render(indent: String = "") -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: max(widths[column] - cell.count, 0))
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            return indent + padded.joined(separator: "  ").replacing(/\s+$/, with: "")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// Number formats shared by the text renderers.
enum Format {
    /// `$1,234,567`.
    static func usd(_ value: Double) -> String { Diagnosis.usd(value) }

    /// `1,234`.
    static func integer(_ value: Int) -> String { String(Diagnosis.usd(Double(value)).dropFirst()) }

    /// Fixed decimals: `12.35`.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return value > 0 ? "inf" : "-" }
        let rounded = Rounding.to(value, decimals)
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let fraction = text[text.index(after: dot)...]
            if decimals == 0 { text = String(text[..<dot]) } else if fraction.count < decimals {
                text += String(repeating: "0", count: decimals - fraction.count)
            }
        } else if decimals > 0 {
            text += "." + String(repeating: "0", count: decimals)
        }
        return text
    }

    /// `12.3 kW` or `850 W`.
    static func watts(_ value: Double) -> String {
        value >= 1000 ? fixed(value / 1000, 1) + " kW" : fixed(value, 0) + " W"
    }
}

extension Format {
    /// `+$1,234` / `-$1,234` / `$0`.
    static func signedUSD(_ value: Double) -> String {
        let rounded = Rounding.to(value, 2)
        if rounded == 0 { return "$0" }
        return (rounded > 0 ? "+" : "-") + usd(abs(rounded))
    }

    /// `+1,200 W` / `-350 W` / `0 W`.
    static func signedWatts(_ value: Double) -> String {
        let rounded = Rounding.to(value, 0)
        if rounded == 0 { return "0 W" }
        return (rounded > 0 ? "+" : "-") + integer(Int(abs(rounded))) + " W"
    }
}
