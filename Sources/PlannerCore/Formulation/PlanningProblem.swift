/// Everything the optimizer needs, already validated: the serving candidates the performance model
/// produced, the purchasable catalog entries allowed by the spec, and the requirements.
///
/// Built from a spec and a catalog by ``PlanningProblem/init(spec:catalog:)``; tests build small
/// ones by hand.
public struct PlanningProblem: Sendable {
    public var candidates: [ServingCandidate]
    public var servers: [Server]
    public var dimms: [DIMM]
    public var ssds: [SSD]
    public var nics: [NIC]
    public var switches: [NetworkSwitch]
    public var cables: [Cable]
    public var psus: [PSU]
    public var pdus: [PDU]
    public var cooling: [CoolingOption]
    public var racks: [Rack]
    public var requirements: Requirements
    /// What each chassis's price includes (catalog `includes:`), by server id, at $0: the only
    /// option of its part family for that chassis.
    public var includedParts: [String: IncludedParts] = [:]

    public init(
        candidates: [ServingCandidate], servers: [Server], dimms: [DIMM], ssds: [SSD], nics: [NIC],
        switches: [NetworkSwitch], cables: [Cable], psus: [PSU], pdus: [PDU], cooling: [CoolingOption],
        racks: [Rack], requirements: Requirements
    ) {
        self.candidates = candidates
        self.servers = servers
        self.dimms = dimms
        self.ssds = ssds
        self.nics = nics
        self.switches = switches
        self.cables = cables
        self.psus = psus
        self.pdus = pdus
        self.cooling = cooling
        self.racks = racks
        self.requirements = requirements
    }
}

/// What every plan must satisfy, in the optimizer's units.
public struct Requirements: Sendable, Hashable {
    /// Load to serve, in the candidates' demand unit, growth headroom included.
    public var demand: Double
    /// Keep serving `demand` with one replica of each deployment down (n+1).
    public var spareReplica: Bool
    public var budgetUSD: Double?
    public var objective: PlanObjective
    public var allowMixedGPUTypes: Bool
    /// PSUs per server that may fail; nil: by chassis class (``ChassisClass/defaultPSURedundancy(_:)``).
    public var psuRedundancy: PSURedundancy?
    public var hostMemory: HostMemoryRule
    public var storage: StorageRequirement
    public var network: NetworkRequirement
    /// Upper limit on the power of one rack, from the spec (the rack's own limit always applies).
    public var rackPowerLimitKW: Double?
    /// Allowed cooling methods (both when the spec says `any`).
    public var coolingMethods: [CoolingMethod]
    public var pins: Pins
    /// Datacenter (racks, PDUs, cooling) or office (no facility; each machine within ``socketWatts``).
    public var site: Site = .datacenter
    /// Office only: the continuous power one machine may draw at the wall.
    public var socketWatts: Double = Site.defaultSocketWatts
    /// Load the owned servers (`existing:`) carry, already taken off ``demand``.
    public var ownedCapacity: Double = 0
    /// Every server identical (`constraints.uniform_servers`): one server group, a group per GPU count, no partial server.
    public var uniformServers = false
    /// Racks, switches and parts owned (`existing.items`), by id: used before any is bought.
    public var ownedItems: [String: Int] = [:]
    /// The requests and load TCO's energy is computed for (``EnergyModel``).
    public var energy = EnergyWorkload()

    public init(
        demand: Double, spareReplica: Bool = false, budgetUSD: Double? = nil,
        objective: PlanObjective = .minimumCapex, allowMixedGPUTypes: Bool = false,
        psuRedundancy: PSURedundancy? = nil, hostMemory: HostMemoryRule = HostMemoryRule(),
        storage: StorageRequirement, network: NetworkRequirement = NetworkRequirement(),
        rackPowerLimitKW: Double? = nil, coolingMethods: [CoolingMethod] = CoolingMethod.allCases,
        pins: Pins = Pins()
    ) {
        self.demand = demand
        self.spareReplica = spareReplica
        self.budgetUSD = budgetUSD
        self.objective = objective
        self.allowMixedGPUTypes = allowMixedGPUTypes
        self.psuRedundancy = psuRedundancy
        self.hostMemory = hostMemory
        self.storage = storage
        self.network = network
        self.rackPowerLimitKW = rackPowerLimitKW
        self.coolingMethods = coolingMethods
        self.pins = pins
    }
}

extension Requirements {
    /// The PSU redundancy servers of this chassis are sized for: the spec's, else the chassis class's default.
    public func psuRedundancy(for server: Server) -> PSURedundancy {
        psuRedundancy ?? ChassisClass.defaultPSURedundancy(server)
    }
}

/// What the optimizer minimises.
public enum PlanObjective: Sendable, Hashable {
    case minimumCapex
    /// Capex + energy over `years` at `electricityUSDPerKWh`, times the facility's `pue`.
    case minimumTCO(years: Double, electricityUSDPerKWh: Double, pue: Double)
}

/// The seed's host-memory rule: at least `loadBufferFactor` × the weights a server's GPUs hold
/// (the load buffer), and never less than the floor: `singleGPUFloorGiB` for a one-GPU server,
/// `clusterNodeFloorGiB` for any other.
public struct HostMemoryRule: Sendable, Hashable {
    public var loadBufferFactor: Double = 2
    public var singleGPUFloorGiB: Double = 32
    public var clusterNodeFloorGiB: Double = 64

    public init(loadBufferFactor: Double = 2, singleGPUFloorGiB: Double = 32, clusterNodeFloorGiB: Double = 64) {
        self.loadBufferFactor = loadBufferFactor
        self.singleGPUFloorGiB = singleGPUFloorGiB
        self.clusterNodeFloorGiB = clusterNodeFloorGiB
    }

    /// Host memory one server needs when its GPUs hold `weightsGiB` of weights in total.
    public func requiredGiB(gpusPerServer: Int, weightsGiB: Double) -> Double {
        max(gpusPerServer <= 1 ? singleGPUFloorGiB : clusterNodeFloorGiB, loadBufferFactor * weightsGiB)
    }
}

/// Local storage each server needs.
public struct StorageRequirement: Sendable, Hashable {
    /// Usable capacity: checkpoint size × checkpoints kept + OS/log reserve, decimal GB.
    public var capacityGB: Double
    /// Sequential read to load a checkpoint within the load-time target, GB/s.
    public var readGBps: Double
    /// Random 4K read IOPS (the seed's 50K).
    public var readIOPS: Double
    /// Drives that may fail without data loss.
    public var faultTolerance: Int

    public init(capacityGB: Double, readGBps: Double, readIOPS: Double, faultTolerance: Int) {
        self.capacityGB = capacityGB
        self.readGBps = readGBps
        self.readIOPS = readIOPS
        self.faultTolerance = faultTolerance
    }
}

/// Networking between servers, needed once a plan has two or more servers.
public struct NetworkRequirement: Sendable, Hashable {
    /// Fabrics allowed (both when the spec says `any`).
    public var fabrics: [Fabric] = Fabric.allCases
    /// Per-server bandwidth in a cluster, Gb/s.
    public var clusterNodeGbps: Double = 25
    /// Per-server bandwidth for servers with 8 or more GPUs in a cluster (the seed's ≥100 Gb/s rule).
    public var eightGPUNodeGbps: Double = 100

    public init(fabrics: [Fabric] = Fabric.allCases, clusterNodeGbps: Double = 25, eightGPUNodeGbps: Double = 100) {
        self.fabrics = fabrics
        self.clusterNodeGbps = clusterNodeGbps
        self.eightGPUNodeGbps = eightGPUNodeGbps
    }

    /// Bandwidth one server with `gpuSlots` GPU slots needs in a cluster.
    public func requiredGbps(gpuSlots: Int) -> Double {
        gpuSlots >= 8 ? max(clusterNodeGbps, eightGPUNodeGbps) : clusterNodeGbps
    }
}

/// Components a spec fixes. Each `nil` leaves the choice to the optimizer.
public struct Pins: Sendable, Hashable {
    public var gpuCount: Int?
    public var serverCount: Int?
    public var psusPerServer: Int?
    public var dimmsPerServer: Int?
    public var ssdsPerServer: Int?
    public var raidLevel: RAIDLevel?
    public var nicsPerServer: Int?

    public init(
        gpuCount: Int? = nil, serverCount: Int? = nil, psusPerServer: Int? = nil, dimmsPerServer: Int? = nil,
        ssdsPerServer: Int? = nil, raidLevel: RAIDLevel? = nil, nicsPerServer: Int? = nil
    ) {
        self.gpuCount = gpuCount
        self.serverCount = serverCount
        self.psusPerServer = psusPerServer
        self.dimmsPerServer = dimmsPerServer
        self.ssdsPerServer = ssdsPerServer
        self.raidLevel = raidLevel
        self.nicsPerServer = nicsPerServer
    }
}
