import PlannerTestSupport

/// Scalar strings on which the hand-written YAML helpers are compared with Yams: every example in the
/// default resolver's patterns, near misses, line terminators, every short string over a small
/// alphabet, random strings and random edits of valid values. Deterministic: the same on every run.
enum ScalarCorpus {
    static let examples: [String] = [
        // bool
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
        // int
        "0", "+0", "-0", "5", "-5", "+5", "0b101", "-0b101", "0b_1", "0o17", "+0o17", "0o_", "017", "-017", "00",
        "0_", "0x1F", "-0x1f", "0xdead_BEEF", "1_000", "-1_000", "190:20:30", "-190:20:30", "1:2", "1:59", "1:5:9",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "99999999999999999999",
        // float
        "1.5", "-1.5", "+1.5", "1.", "1.5e3", "1.5E3", "1e3", "1e+3", "1e-3", "1_000.000_1", "0.15", "00.5",
        ".5", ".5e+3", ".5e-3", "._", ".5_", "190:20:30.15", "1:2.", "1:59.5_", ".inf", ".Inf", ".INF", "+.inf",
        "-.inf", "-.Inf", "+.INF", ".nan", ".NaN", ".NAN", "1e400", "-1e400", "4.9e-324",
        // merge, null, value
        "<<", "~", "null", "Null", "NULL", "", "=",
        // timestamp
        "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.10Z", "2001-12-14 21:59:43.10 -5",
        "2001-12-14\t21:59:43", "2001-12-15 2:59:43.10", "2002-12-14", "2001-1-1 1:00:00", "2001-12-14 21:59:43 +05:30",
        "2001-12-14  \t 21:59:43.  Z", "2001-12-14T21:59:43+1",
        // strings
        "a", "abc", "hgx-h100", "H100 SXM", "nvidia", "text with: colon", "#", "-", "- x", "5 GB",
    ]

    static let nearMisses: [String] = [
        "1.2.3", "0x", "0b", "0o", "0b2", "0o8", "0x_g", "1e", "1e+", "1E-", ".e5", ".5e3", ".5E5", "+", "-", ".", "..",
        "+-5", "--5", "++5", "5-", "5+", "TRUE1", "true ", " true", "tRUE", "Yes!", "nul", "NULl", "~~", "<<<", "==",
        " 5", "5 ", "5\n", "\n5", "5\t", "0b2", "1:60", "1:6", "1:", ":1", "1::2", "1:2:", "1:123", "0:30", "0:30.5",
        "08", "09", "0_8", "019", "0.", "-.", "+.", "-.nan", "+.nan", ".infinity", "inf", "nan", "1_", "_1", "1__2",
        "1.5.", "1e5.5", "1.5e", "1.5e+", "2001-12-14t", "2001-12-14 ", "2001-12-1", "2001-1-14", "01-12-14",
        "20011-12-14", "2001-12-14t21:59", "2001-12-14t21:59:4", "2001-12-14t21:59:433", "2001-12-14t211:59:43",
        "2001-12-14t21:59:43 ", "2001-12-14t21:59:43Z ", "2001-12-14t21:59:43+", "2001-12-14t21:59:43+123",
        "2001-12-14t21:59:43+1:0", "2001-12-14t21:59:43+1:000", "2001-12-14t21:59:43z", "2001-123-14",
        "2001-12-14T21:59:43.10-05:00\n", "５", "1\u{301}", "é", "\u{85}5", "5\u{2028}x", "٣",
    ]

    /// Every line terminator ICU's `$` may stand before, and a few pairs.
    static let terminators: [String] = ["\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}",
                                        "\n\n", "\r\r", "\n\r", "\r\n\n", " \n", "\t", "\u{0B}\n", "\n\u{85}"]

    static let smallAlphabet = Array("0123456789+-._:eExXbBoO abcTtZ\n")

    /// All the strings of the corpus, without repeats, in a fixed order.
    static let all: [String] = {
        var strings = examples + nearMisses
        for base in ["", "5", "0", "017", "true", "~", "null", "1.5", ".inf", "<<", "=", "1:30", "2002-12-14",
                     "2001-12-14 21:59:43", "a"] {
            for terminator in terminators {
                strings.append(base + terminator)
                strings.append(terminator + base)
            }
        }
        // Every string of up to two characters over the small alphabet, and of three over a smaller one.
        for a in smallAlphabet {
            strings.append(String(a))
            for b in smallAlphabet { strings.append(String([a, b])) }
        }
        let tiny = Array("01589+-._:eExo TZ")
        for a in tiny { for b in tiny { for c in tiny { strings.append(String([a, b, c])) } } }
        // Random strings over the small alphabet (with \r and \t too).
        var random = SplitMix64(seed: 0x5CA1_AB1E)  // from Optimizer/GeneratedProblems.swift
        let alphabet = smallAlphabet + ["\r", "\t"]
        for _ in 0..<4_000 {
            let length = 1 + random.int(0...13)
            strings.append(String((0..<length).map { _ in random.pick(alphabet) }))
        }
        // Random edits of valid values, which reach deep into the patterns (timestamps, sexagesimals).
        let valid = examples.filter { !$0.isEmpty }
        let edit = Array("0123456789+-._:eE TtZ\t\n")
        for _ in 0..<4_000 {
            var chars = Array(random.pick(valid))
            for _ in 0...random.int(0...1) {
                let position = random.int(0...chars.count)
                switch random.int(0...2) {
                case 0: chars.insert(random.pick(edit), at: position)
                case 1: if position < chars.count { chars.remove(at: position) }
                default: if position < chars.count { chars[position] = random.pick(edit) }
                }
            }
            strings.append(String(chars))
        }
        var seen = Set<String>()
        return strings.filter { seen.insert($0).inserted }
    }()
}

extension String {
    /// The string with every character outside printable ASCII written as `\u{…}`, for failure messages.
    var escaped: String {
        unicodeScalars.map { (0x20..<0x7F).contains($0.value) ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
    }
}
