import Foundation

/// Splits one CSV line into fields with the 1-based character column where each starts.
/// Double-quoted fields may hold commas; `""` inside quotes is a quote. Returns nil for an unterminated quote.
///
/// Shared by the catalog's kernel-efficiency table (``KernelTable``, catalogs/kernel-efficiency.csv)
/// and the calibration measurements (``parseCalibrationCSV(_:file:)`` in Performance/), so it lives
/// in the lower of the two layers. Kept by hand because diagnostics need each field's column.
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
