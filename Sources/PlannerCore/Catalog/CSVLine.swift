import Foundation

/// Splits one CSV line into fields with the 1-based character column where each starts.
/// Double-quoted fields may hold commas; `""` inside quotes is a quote. Returns nil for an unterminated quote.
///
/// Shared by the catalog's kernel-efficiency table (``KernelTable``, catalogs/kernel-efficiency.csv)
/// and the calibration and step measurements (``parseCalibrationCSV(_:file:)``, ``StepMeasurement`` in
/// Performance/), so it lives in the lower of the two layers. Kept by hand because diagnostics need each
/// field's column.
func splitCSVLine(_ line: Substring) -> [(text: String, column: Int)]? {
    var fields: [(String, Int)] = []
    var current = ""
    var start = 1
    var column = 0
    var quoted = false
    var atFieldStart = true
    var chars = Array(line)
    if chars.last == "\r" { chars.removeLast() }
    var i = 0
    while i < chars.count {
        let c = chars[i]
        column += 1
        if quoted {
            if c == "\"" {
                if i + 1 < chars.count, chars[i + 1] == "\"" { current.append("\""); i += 1; column += 1 } else { quoted = false }
            } else {
                current.append(c)
            }
        } else if c == "," {
            fields.append((current.trimmingCharacters(in: .whitespaces), start))
            current = ""
            start = column + 1
            atFieldStart = true
            i += 1
            continue
        } else if c == "\"" && atFieldStart && current.allSatisfy({ $0 == " " }) {
            quoted = true
            current = ""
        } else {
            current.append(c)
        }
        if c != " " { atFieldStart = false }
        i += 1
    }
    if quoted { return nil }
    fields.append((current.trimmingCharacters(in: .whitespaces), start))
    return fields
}

/// The row ids of a CSV file, each of which must be present and used once (calibration measurements,
/// step measurements).
struct CSVRowIDs {
    private var firstLine: [String: Int] = [:]

    /// What is wrong with row `id` on line `line` (nil: nothing); `example` is an id of the file's form.
    mutating func problem(with id: String, line: Int, example: String) -> String? {
        if id.isEmpty { return "missing value, expected a row id (e.g. \(example))" }
        if let first = firstLine[id] { return "duplicate id '\(id)' (first on line \(first)), expected each row id once" }
        firstLine[id] = line
        return nil
    }
}
