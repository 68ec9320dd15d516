import Foundation

/// The rows of `planner catalog list` (and `GET /api/catalog`): kind, id, name, vendor, price and
/// price basis of every entry of the chosen kinds, sorted by kind and id.
public struct CatalogList: Sendable {
    public struct Row: Encodable, Sendable, Equatable {
        public var kind: String
        public var id: String
        public var name: String
        public var vendor: String
        public var priceUSD: Double?
        public var priceBasis: String?

        public init(catalog: Catalog, kind: CatalogKind, id: String) {
            self.kind = kind.rawValue
            self.id = id
            if let listing = catalog.listing(id) {
                name = listing.name
                vendor = listing.vendor
                priceUSD = listing.priceUSD
                priceBasis = listing.priceBasis.rawValue
            } else {
                let model = catalog.model(id)
                name = model?.name ?? id
                vendor = model?.vendor ?? ""
            }
        }
    }

    public var rows: [Row]

    public init(_ catalog: Catalog, kinds: [CatalogKind] = CatalogKind.allCases) {
        rows = kinds.flatMap { k in catalog.ids(of: k).map { Row(catalog: catalog, kind: k, id: $0) } }
    }

    /// The rows as a JSON array: snake_case keys, sorted; absent prices omitted. No final newline.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(rows) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }
}
