/// A part a chassis ships with, in its price (a server's `includes:` in the catalog):
/// `includes: [{psu: psu-2700w-titanium, count: 4}, {dimm: ddr5-rdimm-64gb, count: 16}]`.
/// Every server of that chassis carries exactly these; the plan never buys them again, and the BOM
/// lists them at $0 with price basis `included`. No entry: the price is the bare chassis.
public struct IncludedPart: Sendable, Hashable {
    /// `.dimms`, `.ssds`, `.nics` or `.psus`.
    public var kind: CatalogKind
    public var id: String
    /// How many each server carries.
    public var count: Int

    public init(kind: CatalogKind, id: String, count: Int) {
        self.kind = kind
        self.id = id
        self.count = count
    }

    /// The key naming each kind in an `includes:` entry.
    public static let keys: [(key: String, kind: CatalogKind)] = [("dimm", .dimms), ("ssd", .ssds), ("nic", .nics), ("psu", .psus)]
}

/// The parts a chassis's price includes, resolved from the catalog and priced at $0 with basis
/// `included` (``IncludedPart``): the formulation offers each family only this configuration.
public struct IncludedParts: Sendable, Hashable {
    public var dimm: DIMM?
    public var dimmCount = 0
    public var ssd: SSD?
    public var ssdCount = 0
    public var nic: NIC?
    public var nicCount = 0
    public var psu: PSU?
    public var psuCount = 0

    public init() {}

    /// `server`'s `includes:` from `catalog`, each entry a copy at $0 noting the chassis; nil when it includes nothing.
    public static func resolve(_ server: Server, catalog: Catalog) -> IncludedParts? {
        guard !server.includes.isEmpty else { return nil }
        var parts = IncludedParts()
        func free(_ listing: Listing) -> Listing {
            var listing = listing
            listing.priceUSD = 0
            listing.priceBasis = .included
            listing.priceNote = "included in the price of \(server.id)"
            return listing
        }
        for part in server.includes {
            switch part.kind {
            case .dimms: if var d = catalog.dimm(part.id) { d.listing = free(d.listing); parts.dimm = d; parts.dimmCount = part.count }
            case .ssds: if var s = catalog.ssd(part.id) { s.listing = free(s.listing); parts.ssd = s; parts.ssdCount = part.count }
            case .nics: if var n = catalog.nic(part.id) { n.listing = free(n.listing); parts.nic = n; parts.nicCount = part.count }
            case .psus: if var p = catalog.psu(part.id) { p.listing = free(p.listing); parts.psu = p; parts.psuCount = part.count }
            default: continue
            }
        }
        return parts
    }
}
