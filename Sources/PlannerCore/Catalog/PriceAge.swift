/// How old a catalog price is against a reference month, for the "stale price" warning.
///
/// Dates are the catalog's `YYYY-MM` or `YYYY-MM-DD`; only year and month count, so the answer is
/// the same on every machine and every day (no clock is read).
public enum PriceAge {
    /// Months older than this draw a warning.
    public static let staleAfterMonths = 12

    /// `year · 12 + month` of a catalog date, or nil when it is not one.
    public static func monthIndex(_ date: String) -> Int? {
        let parts = date.split(separator: "-")
        guard parts.count >= 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        return year * 12 + month
    }

    /// Whole months from `date` to `reference` (negative when `date` is later).
    public static func months(from date: String, to reference: String) -> Int? {
        guard let a = monthIndex(date), let b = monthIndex(reference) else { return nil }
        return b - a
    }

    /// The month prices are judged against: `--as-of` when given (``Catalog/pricesAsOf``), else the
    /// date the catalog declares, its newest `as_of` (the date it was last brought up to date).
    public static func referenceDate(of catalog: Catalog) -> String? {
        if let given = catalog.pricesAsOf, monthIndex(given) != nil { return String(given.prefix(7)) }
        return catalog.allIDs.compactMap { catalog.listing($0)?.asOf }.filter { monthIndex($0) != nil }
            .max { monthIndex($0)! < monthIndex($1)! }
            .map { String($0.prefix(7)) }
    }

    /// Where the reference month comes from, in words, for the warning.
    public static func referenceSource(of catalog: Catalog) -> String {
        catalog.pricesAsOf == nil ? "the catalog's newest price date" : "the --as-of date"
    }

    /// Whether `text` is a date `--as-of` takes: `YYYY-MM` or `YYYY-MM-DD`, a real month and day.
    public static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              parts.dropFirst().allSatisfy({ $0.count == 2 }), let month = Int(parts[1]), (1...12).contains(month) else { return false }
        guard parts.count == 3, let year = Int(parts[0]), let day = Int(parts[2]) else { return true }
        let days = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    /// The listings priced more than ``staleAfterMonths`` before `reference`, as `id (as_of)`, sorted by id
    /// (parts a chassis price includes are not priced on their own).
    public static func stale(_ listings: [Listing], reference: String) -> [String] {
        listings.filter { $0.priceBasis != .included && (months(from: $0.asOf, to: reference) ?? 0) > staleAfterMonths }
            .map { "\($0.id) (\($0.asOf))" }.sorted()
    }
}
