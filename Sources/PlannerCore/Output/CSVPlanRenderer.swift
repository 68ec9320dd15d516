/// The bill of materials as RFC 4180 CSV (`planner bom`, `planner solve --format csv`): one record per
/// line item, a header row, no total row, numbers unformatted (no `$`, no grouping), ready for a
/// spreadsheet or an ERP import. Columns are a public contract; see docs/output.md.
public struct CSVPlanRenderer: PlanRenderer {
    public static let identifier = "csv"
    public static let columns = [
        "category", "id", "vendor", "part_number", "name", "quantity", "unit_price_usd", "extended_price_usd",
        "unit_power_watts", "price_basis", "price_as_of", "price_note", "source",
    ]

    public init() {}

    public func render(_ plan: Plan) -> String {
        var out = CSV.record(Self.columns)
        for line in plan.bom {
            out += CSV.record([
                line.category.rawValue, line.listing.id, line.listing.vendor, line.listing.partNumber ?? "", line.listing.name,
                String(line.quantity), CSV.number(line.unitPriceUSD), CSV.number(line.extendedPriceUSD),
                CSV.number(line.unitPowerWatts, decimals: 1), line.listing.priceBasis.rawValue, line.listing.asOf, line.listing.priceNote ?? "", line.listing.source,
            ])
        }
        return out
    }
}
