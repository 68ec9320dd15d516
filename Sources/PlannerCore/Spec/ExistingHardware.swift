/// Hardware the team already owns (`existing:` in the spec): it costs nothing, carries part of the
/// demand, and the plan buys only what is missing.
public struct ExistingHardware: Sendable, Hashable {
    public var servers: [OwnedServers]

    public init(servers: [OwnedServers] = []) {
        self.servers = servers
    }

    public var isEmpty: Bool { servers.isEmpty }
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
