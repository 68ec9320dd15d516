/// What every purchasable catalog entry carries: identity, price with its basis, and provenance.
public struct Listing: Sendable, Hashable, Codable {
    /// Stable identifier, unique across the catalog (`h100-sxm-80gb`).
    public var id: String
    public var name: String
    public var vendor: String
    /// The manufacturer part number procurement orders by; nil where there is none (a generic class,
    /// a GPU sold only on a baseboard, none found), which the catalog states as `part_number: null`.
    public var partNumber: String?
    /// Where ``partNumber`` comes from, or why there is none (required in the catalog when it is null).
    public var partNumberNote: String?
    /// Unit price in US dollars.
    public var priceUSD: Double
    public var priceBasis: PriceBasis
    /// How an estimated price was derived (required when ``priceBasis`` is ``PriceBasis/estimate``).
    public var priceNote: String?
    /// Where the figures come from: a source key of the reference sheet or a URL.
    public var source: String
    /// Date of the price and figures, `YYYY-MM` or `YYYY-MM-DD`.
    public var asOf: String
    public var notes: String?

    public init(
        id: String, name: String, vendor: String, partNumber: String? = nil, partNumberNote: String? = nil,
        priceUSD: Double, priceBasis: PriceBasis, priceNote: String? = nil,
        source: String, asOf: String, notes: String? = nil
    ) {
        self.id = id
        self.name = name
        self.vendor = vendor
        self.partNumber = partNumber
        self.partNumberNote = partNumberNote
        self.priceUSD = priceUSD
        self.priceBasis = priceBasis
        self.priceNote = priceNote
        self.source = source
        self.asOf = asOf
        self.notes = notes
    }
}

/// What kind of price a catalog entry carries.
public enum PriceBasis: String, Sendable, Hashable, Codable, CaseIterable {
    case list
    case street
    case reseller
    case analyst
    /// Not observed: derived from a comparable part or a rate; every plan flags such lines.
    case estimate
}

/// A catalog entry that can be bought and appears on a bill of materials.
public protocol CatalogItem: Sendable, Hashable {
    var listing: Listing { get set }
    /// The catalog kind, as the YAML key names it (`gpus`, `servers`, …).
    static var kind: CatalogKind { get }
}

extension CatalogItem {
    public var id: String { listing.id }
}

/// The kinds of entries a catalog holds, named as their YAML keys.
public enum CatalogKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case gpus, servers, dimms, ssds, nics, switches, cables, psus, pdus, cooling, racks, models

    public static func < (lhs: CatalogKind, rhs: CatalogKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
