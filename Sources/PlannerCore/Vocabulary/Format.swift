import Foundation

/// Rounds for printing: fixed decimals, so every run prints the same digits.
enum Rounding {
    static func to(_ value: Double, _ decimals: Int) -> Double {
        guard value.isFinite else { return 0 }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}

/// Number formats shared by the renderers, the diagnosis and the warnings: one way to write money,
/// percentiles and fixed decimals everywhere.
enum Format {
    /// `P99`, or `P99.9`: an SLO percentile as the output writes it.
    static func percentileLabel(_ percentile: Double) -> String {
        percentile.rounded() == percentile ? "P\(Int(percentile))" : String(format: "P%g", percentile)
    }

    /// `$412,300`; negative amounts as `-$1,234`.
    static func usd(_ value: Double) -> String { usd(value, cents: false) }

    /// `$412,300`, or `$412,299.99` with `cents`.
    static func usd(_ value: Double, cents: Bool) -> String {
        let rounded = Int(value.rounded())
        guard cents else { return grouped(rounded) }
        let hundredths = Int((abs(value) * 100).rounded())
        let whole = grouped(hundredths / 100 * (value < 0 ? -1 : 1))
        return whole + String(format: ".%02d", hundredths % 100)
    }

    private static func grouped(_ rounded: Int) -> String {
        let digits = String(abs(rounded))
        var grouped = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (rounded < 0 ? "-$" : "$") + grouped
    }

    /// `1,234`.
    static func integer(_ value: Int) -> String { String(usd(Double(value)).dropFirst()) }

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
