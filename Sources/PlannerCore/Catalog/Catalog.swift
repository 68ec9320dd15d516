/// Everything that can be bought or served, loaded from the shipped `catalogs/` plus overlays.
/// Every array is sorted by id; ids are unique across all kinds.
public struct Catalog: Sendable, Hashable {
    public private(set) var gpus: [GPU]
    public private(set) var servers: [Server]
    public private(set) var dimms: [DIMM]
    public private(set) var ssds: [SSD]
    public private(set) var nics: [NIC]
    public private(set) var switches: [NetworkSwitch]
    public private(set) var cables: [Cable]
    public private(set) var psus: [PSU]
    public private(set) var pdus: [PDU]
    public private(set) var cooling: [CoolingOption]
    public private(set) var racks: [Rack]
    public private(set) var models: [ModelArchitecture]
    /// Entries an overlay replaced, in the order the overlays were applied.
    public var replacements: [Replacement]
    /// Where each entry came from and what its file said, by id.
    public var provenance: [String: Provenance]
    /// The performance model's efficiency constants: ``CalibrationTable/shipped`` with every
    /// `calibration:` section of the catalog and its overlays applied in order (`planner calibrate`).
    public var calibration: CalibrationTable
    /// The files whose `calibration:` sections were applied, in order; empty when the shipped constants hold.
    public var calibrationFiles: [String]
    /// Which GPU families each engine runs on (the `engines:` section); an engine without an entry runs on every GPU.
    public var engineSupport: [EngineProfile: EngineSupport]
    /// The date prices are judged against (`--as-of`, `YYYY-MM` or `YYYY-MM-DD`); nil: the catalog's
    /// newest `as_of` (``PriceAge/referenceDate(of:)``).
    public var pricesAsOf: String?

    private var index: [String: Slot] = [:]

    private struct Slot: Sendable, Hashable {
        var kind: CatalogKind
        var offset: Int
    }

    /// An overlay entry that patched one with the same id: the fields it names replace the entry's,
    /// the others are kept.
    public struct Replacement: Sendable, Hashable, Codable {
        public var id: String
        public var kind: CatalogKind
        /// The overlay file holding the new entry.
        public var overlayFile: String
        /// The file the replaced entry came from.
        public var replacedFile: String
        /// The fields whose value changed, in the overlay's order.
        public var changes: [Change]

        /// One field an overlay changed: its value before (nil when the entry did not have it) and after.
        public struct Change: Sendable, Hashable, Codable {
            public var key: String
            public var old: String?
            public var new: String

            public init(key: String, old: String?, new: String) {
                self.key = key
                self.old = old
                self.new = new
            }
        }

        public init(id: String, kind: CatalogKind, overlayFile: String, replacedFile: String, changes: [Change] = []) {
            self.id = id
            self.kind = kind
            self.overlayFile = overlayFile
            self.replacedFile = replacedFile
            self.changes = changes
        }

        /// `price_usd 27500 → 19999, as_of 2026-01 → 2026-11`.
        public var changeSummary: String {
            changes.isEmpty ? "no field changed" : changes.map { "\($0.key) \($0.old ?? "(none)") → \($0.new)" }.joined(separator: ", ")
        }
    }

    /// Where an entry was defined, and the fields as written (for `planner catalog show`).
    public struct Provenance: Sendable, Hashable {
        public var kind: CatalogKind
        public var location: SourceLocation
        /// Whether it came from an overlay (`--catalog DIR`) rather than the shipped catalog.
        public var fromOverlay: Bool
        /// The entry's keys and values, in file order.
        public var fields: [CatalogField]

        public init(kind: CatalogKind, location: SourceLocation, fromOverlay: Bool, fields: [CatalogField] = []) {
            self.kind = kind
            self.location = location
            self.fromOverlay = fromOverlay
            self.fields = fields
        }
    }

    public init(
        gpus: [GPU] = [], servers: [Server] = [], dimms: [DIMM] = [], ssds: [SSD] = [], nics: [NIC] = [],
        switches: [NetworkSwitch] = [], cables: [Cable] = [], psus: [PSU] = [], pdus: [PDU] = [],
        cooling: [CoolingOption] = [], racks: [Rack] = [], models: [ModelArchitecture] = [],
        replacements: [Replacement] = [], provenance: [String: Provenance] = [:],
        calibration: CalibrationTable = .shipped, calibrationFiles: [String] = [],
        engineSupport: [EngineProfile: EngineSupport] = [:]
    ) {
        self.engineSupport = engineSupport
        self.calibration = calibration
        self.calibrationFiles = calibrationFiles
        self.gpus = gpus.sorted { $0.id < $1.id }
        self.servers = servers.sorted { $0.id < $1.id }
        self.dimms = dimms.sorted { $0.id < $1.id }
        self.ssds = ssds.sorted { $0.id < $1.id }
        self.nics = nics.sorted { $0.id < $1.id }
        self.switches = switches.sorted { $0.id < $1.id }
        self.cables = cables.sorted { $0.id < $1.id }
        self.psus = psus.sorted { $0.id < $1.id }
        self.pdus = pdus.sorted { $0.id < $1.id }
        self.cooling = cooling.sorted { $0.id < $1.id }
        self.racks = racks.sorted { $0.id < $1.id }
        self.models = models.sorted { $0.id < $1.id }
        self.replacements = replacements
        self.provenance = provenance
        func add(_ ids: [String], _ kind: CatalogKind) {
            for (i, id) in ids.enumerated() where index[id] == nil { index[id] = Slot(kind: kind, offset: i) }
        }
        add(self.gpus.map(\.id), .gpus)
        add(self.servers.map(\.id), .servers)
        add(self.dimms.map(\.id), .dimms)
        add(self.ssds.map(\.id), .ssds)
        add(self.nics.map(\.id), .nics)
        add(self.switches.map(\.id), .switches)
        add(self.cables.map(\.id), .cables)
        add(self.psus.map(\.id), .psus)
        add(self.pdus.map(\.id), .pdus)
        add(self.cooling.map(\.id), .cooling)
        add(self.racks.map(\.id), .racks)
        add(self.models.map(\.id), .models)
    }

    // MARK: Lookup

    /// The kind of the entry with this id, if any.
    public func kind(of id: String) -> CatalogKind? { index[id]?.kind }

    public func contains(_ id: String) -> Bool { index[id] != nil }

    private func offset(_ id: String, _ kind: CatalogKind) -> Int? {
        guard let slot = index[id], slot.kind == kind else { return nil }
        return slot.offset
    }

    public func gpu(_ id: String) -> GPU? { offset(id, .gpus).map { gpus[$0] } }
    public func server(_ id: String) -> Server? { offset(id, .servers).map { servers[$0] } }
    public func dimm(_ id: String) -> DIMM? { offset(id, .dimms).map { dimms[$0] } }
    public func ssd(_ id: String) -> SSD? { offset(id, .ssds).map { ssds[$0] } }
    public func nic(_ id: String) -> NIC? { offset(id, .nics).map { nics[$0] } }
    public func networkSwitch(_ id: String) -> NetworkSwitch? { offset(id, .switches).map { switches[$0] } }
    public func cable(_ id: String) -> Cable? { offset(id, .cables).map { cables[$0] } }
    public func psu(_ id: String) -> PSU? { offset(id, .psus).map { psus[$0] } }
    public func pdu(_ id: String) -> PDU? { offset(id, .pdus).map { pdus[$0] } }
    public func coolingOption(_ id: String) -> CoolingOption? { offset(id, .cooling).map { cooling[$0] } }
    public func rack(_ id: String) -> Rack? { offset(id, .racks).map { racks[$0] } }
    public func model(_ id: String) -> ModelArchitecture? { offset(id, .models).map { models[$0] } }

    /// The listing (price, basis, source) of any purchasable entry; nil for models and unknown ids.
    public func listing(_ id: String) -> Listing? {
        guard let slot = index[id] else { return nil }
        let i = slot.offset
        switch slot.kind {
        case .gpus: return gpus[i].listing
        case .servers: return servers[i].listing
        case .dimms: return dimms[i].listing
        case .ssds: return ssds[i].listing
        case .nics: return nics[i].listing
        case .switches: return switches[i].listing
        case .cables: return cables[i].listing
        case .psus: return psus[i].listing
        case .pdus: return pdus[i].listing
        case .cooling: return cooling[i].listing
        case .racks: return racks[i].listing
        case .models: return nil
        }
    }

    /// Ids of one kind, sorted.
    public func ids(of kind: CatalogKind) -> [String] {
        switch kind {
        case .gpus: gpus.map(\.id)
        case .servers: servers.map(\.id)
        case .dimms: dimms.map(\.id)
        case .ssds: ssds.map(\.id)
        case .nics: nics.map(\.id)
        case .switches: switches.map(\.id)
        case .cables: cables.map(\.id)
        case .psus: psus.map(\.id)
        case .pdus: pdus.map(\.id)
        case .cooling: cooling.map(\.id)
        case .racks: racks.map(\.id)
        case .models: models.map(\.id)
        }
    }

    /// Every id in the catalog, sorted.
    public var allIDs: [String] { index.keys.sorted() }

    /// Number of entries of every kind.
    public var count: Int { index.count }

    /// The replacement record for `id`, when an overlay replaced it.
    public func replacement(for id: String) -> Replacement? { replacements.last { $0.id == id } }
}

/// One key of a catalog entry as written in its file.
public struct CatalogField: Sendable, Hashable {
    public var key: String
    public var value: CatalogValue

    public init(key: String, value: CatalogValue) {
        self.key = key
        self.value = value
    }
}

/// A YAML value as data: what `planner catalog show` prints.
public indirect enum CatalogValue: Sendable, Hashable, Encodable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([CatalogValue])
    case map([CatalogField])
    case null

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .number(let n):
            var c = encoder.singleValueContainer()
            if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .list(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .map(let fields):
            var c = encoder.container(keyedBy: FieldKey.self)
            for field in fields { try c.encode(field.value, forKey: FieldKey(field.key)) }
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        }
    }

    public var description: String {
        switch self {
        case .string(let s): s
        case .number(let n): format(n)
        case .bool(let b): b ? "true" : "false"
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let fields): "{" + fields.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .null: "null"
        }
    }

    struct FieldKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension CatalogKind {
    /// One entry of this kind, in words: `GPU`, `server`, `SSD`.
    public var singular: String {
        switch self {
        case .gpus: "GPU"
        case .servers: "server"
        case .dimms: "DIMM"
        case .ssds: "SSD"
        case .nics: "NIC"
        case .switches: "switch"
        case .cables: "cable"
        case .psus: "PSU"
        case .pdus: "PDU"
        case .cooling: "cooling option"
        case .racks: "rack"
        case .models: "model"
        }
    }

    /// ``singular`` with its article: `a GPU`, `an SSD`.
    public var withArticle: String {
        let vowelSound: Set<CatalogKind> = [.ssds, .nics]
        return (vowelSound.contains(self) ? "an " : "a ") + singular
    }
}
