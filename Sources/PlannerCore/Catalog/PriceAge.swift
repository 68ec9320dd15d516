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

    /// The reference date a catalog declares: its newest `as_of` (the date it was last brought up to date).
    public static func referenceDate(of catalog: Catalog) -> String? {
        catalog.allIDs.compactMap { catalog.listing($0)?.asOf }.filter { monthIndex($0) != nil }
            .max { monthIndex($0)! < monthIndex($1)! }
            .map { String($0.prefix(7)) }
    }

    /// The listings priced more than ``staleAfterMonths`` before `reference`, as `id (as_of)`, sorted by id.
    public static func stale(_ listings: [Listing], reference: String) -> [String] {
        listings.filter { (months(from: $0.asOf, to: reference) ?? 0) > staleAfterMonths }
            .map { "\($0.id) (\($0.asOf))" }.sorted()
    }
}
