/// Hardware the team already owns (`existing:` in the spec): it costs nothing, carries part of the
/// demand, and the plan buys only what is missing.
public struct ExistingHardware: Sendable, Hashable {
    public var servers: [OwnedServers]
    /// Racks, switches and loose parts owned (`existing.items`): used first, bought only beyond them.
    public var items: [OwnedItem] = []

    public init(servers: [OwnedServers] = [], items: [OwnedItem] = []) {
        self.servers = servers
        self.items = items
    }

    public var isEmpty: Bool { servers.isEmpty && items.isEmpty }

    /// Owned count of each item id (repeated ids add up).
    public var itemCounts: [String: Int] { items.reduce(into: [:]) { $0[$1.id, default: 0] += $1.count } }
}

/// `count` owned units of catalog entry `id`: a rack, switch, cable, PDU, cooling unit, GPU, DIMM,
/// SSD, NIC or PSU. The plan uses them before buying any (they cost nothing, but draw power and take
/// space like bought ones); what it does not use is left over.
public struct OwnedItem: Sendable, Hashable {
    public var id: String
    public var count: Int

    public init(id: String, count: Int) {
        self.id = id
        self.count = count
    }

    /// Kinds `existing.items` may name (servers go under `existing.servers`, with their GPUs).
    public static let kinds: [CatalogKind] = [.gpus, .dimms, .ssds, .nics, .switches, .cables, .psus, .pdus, .cooling, .racks]
}

/// `count` identical owned servers of chassis `serverID`, each holding `gpusPerServer` × `gpuID`.
public struct OwnedServers: Sendable, Hashable {
    public var serverID: String
    public var count: Int
    public var gpuID: String
    public var gpusPerServer: Int

    public init(serverID: String, count: Int, gpuID: String, gpusPerServer: Int) {
        self.serverID = serverID
        self.count = count
        self.gpuID = gpuID
        self.gpusPerServer = gpusPerServer
    }
}

/// Owned servers as a plan reuses them: how they serve and what load they carry.
public struct ReusedServers: Sendable, Hashable {
    public var owned: OwnedServers
    /// The tensor-parallel degree that gets the most load out of the owned GPUs.
    public var tensorParallel: Int
    /// Load all `count` servers carry within the SLO, in the demand unit.
    public var capacity: Double
    /// Peak draw of one server: chassis base + GPUs at TDP (its own DIMMs, drives and NICs unknown).
    public var peakPowerWatts: Double

    public init(owned: OwnedServers, tensorParallel: Int, capacity: Double, peakPowerWatts: Double) {
        self.owned = owned
        self.tensorParallel = tensorParallel
        self.capacity = capacity
        self.peakPowerWatts = peakPowerWatts
    }
}
