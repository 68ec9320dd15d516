/// Servers of one chassis running one serving candidate: the unit the MILP counts.
///
/// A group's servers are identical: each full server holds `replicasPerServer` replicas of
/// `tensorParallel` GPUs (the most the chassis is sold with and its PSUs power, which may be fewer
/// than its slots: ``PlanFormulation/makeGroups(problem:fabricClasses:)``), except at most one
/// partial server with fewer replicas. Every server of the
/// group carries the same memory, storage, NIC and PSU configuration, chosen by the MILP among the
/// group's ``ServerPart`` options.
struct ServerGroup: Sendable {
    let server: Server
    let candidate: ServingCandidate
    /// Options per part family, pruned (see ``ServerPart/paretoPruned(_:owned:benefit:)``).
    var memoryOptions: [ServerPart] = []
    var storageOptions: [ServerPart] = []
    var networkOptions: [ServerPart] = []
    var powerOptions: [ServerPart] = []
    /// Most GPUs one server of the group holds, at most the chassis's slots (fewer when its PSUs or,
    /// in an office, one wall socket cannot carry more); nil: the slots.
    var gpuLimit: Int?
    /// Whether the group may have one partial server beside its full ones (not with
    /// `constraints.uniform_servers`, where each GPU count per server is a group of its own).
    var allowsPartialServer = true
    /// Set when the chassis and candidate have one group per GPU count (`uniform_servers`): `,nN` in names.
    var countInKey = false

    /// `chassis,gpu,tpN` (`,nG` with ``countInKey``: G GPUs per server): the index every MILP name of the group uses.
    var key: String {
        "\(server.id),\(candidate.gpu.id),tp\(candidate.tensorParallel)" + (countInKey ? ",n\(gpusPerFullServer)" : "")
    }
    var gpu: GPU { candidate.gpu }
    var tensorParallel: Int { candidate.tensorParallel }
    /// Replicas a full server holds: ⌊min(slots, gpuLimit) / TP⌋ (a TP group never spans two servers).
    var replicasPerServer: Int { min(server.gpuSlots, gpuLimit ?? server.gpuSlots) / tensorParallel }
    var gpusPerFullServer: Int { replicasPerServer * tensorParallel }
    /// Replica counts a partial server may hold: m in 1 … replicasPerServer − 1 whose m · TP GPUs
    /// the chassis is sold with (none on a whole HGX/OAM baseboard).
    var partialReplicaCounts: [Int] {
        allowsPartialServer ? (1..<max(replicasPerServer, 1)).filter { server.allowsGPUCount($0 * tensorParallel) } : []
    }

    /// Peak draw of a server holding `replicas` replicas, without its part options:
    /// base + GPUs · TDP.
    func basePeakWatts(replicas: Int) -> Double {
        server.powerWatts + Double(replicas * tensorParallel) * gpu.powerWatts
    }

    /// Host memory a server holding `replicas` replicas needs.
    func hostMemoryRequiredGiB(replicas: Int, rule: HostMemoryRule) -> Double {
        rule.requiredGiB(gpusPerServer: replicas * tensorParallel, weightsGiB: Double(replicas) * candidate.weightsPerReplicaGiB)
    }

    /// Every peak a full server of the group can draw, ascending and distinct: the base and its GPUs
    /// at TDP, plus one of each part family's options — a DIMM configuration, an array, and a NIC
    /// configuration or none (a server alone needs no NIC). Whatever parts the plan picks, a full
    /// server's peak is one of these; a partial server's is lower.
    var achievablePeakWatts: [Double] {
        let base = basePeakWatts(replicas: replicasPerServer)
        var peaks: Set<Double> = [base]
        for family in [memoryOptions, storageOptions, networkOptions] where !family.isEmpty {
            let watts = Set(family.map(\.powerWatts) + (family.first?.family == .network ? [0] : []))
            peaks = Set(peaks.flatMap { peak in watts.map { peak + $0 } })
        }
        return peaks.sorted()
    }

    /// The least one full server of the group can draw at peak and still be built: the lightest
    /// DIMM configuration holding a full server's host memory, the lightest array, no NIC (a server
    /// alone needs none). `nil` when no DIMM configuration holds that memory or no array is offered.
    /// No PSU set that cannot carry this serves the full server, and a rack that cannot hold one
    /// server at this peak holds no full server of the group's.
    func lightestFullServerPeakWatts(rule: HostMemoryRule) -> Double? {
        let need = hostMemoryRequiredGiB(replicas: replicasPerServer, rule: rule)
        guard let memory = memoryOptions.filter({ $0.memoryGiB >= need - 1e-9 }).map(\.powerWatts).min(),
              let storage = storageOptions.map(\.powerWatts).min() else { return nil }
        return basePeakWatts(replicas: replicasPerServer) + memory + storage
    }

    /// Power cords one server of the group may plug into its rack's PDUs: one per PSU bay (the
    /// most PSUs any of its configurations has).
    var cordsPerServer: Int { max(server.psuBays, 1) }

    var allOptions: [(family: ServerPart.Family, options: [ServerPart])] {
        [(.memory, memoryOptions), (.storage, storageOptions), (.network, networkOptions), (.power, powerOptions)]
    }
}

/// One per-server configuration of one part family: DIMMs, an SSD array, NICs or PSUs.
enum ServerPart: Sendable, Hashable {
    case memory(DIMM, count: Int)
    case storage(StorageOption)
    case network(NIC, count: Int)
    case power(PSU, count: Int, usableWatts: Double)

    enum Family: String, Sendable, CaseIterable {
        case memory, storage, network, power
    }

    var family: Family {
        switch self {
        case .memory: .memory
        case .storage: .storage
        case .network: .network
        case .power: .power
        }
    }

    /// `item-id*count` (storage adds `,raidN`): the option index in MILP names.
    var key: String {
        switch self {
        case let .memory(dimm, count): "\(dimm.id)*\(count)"
        case let .storage(option): "\(option.ssd.id)*\(option.count),raid\(option.level.rawValue)"
        case let .network(nic, count): "\(nic.id)*\(count)"
        case let .power(psu, count, _): "\(psu.id)*\(count)"
        }
    }

    var priceUSD: Double {
        switch self {
        case let .memory(dimm, count): Double(count) * dimm.listing.priceUSD
        case let .storage(option): option.priceUSD
        case let .network(nic, count): Double(count) * nic.listing.priceUSD
        case let .power(psu, count, _): Double(count) * psu.listing.priceUSD
        }
    }

    /// Peak draw the part adds to its server (PSUs deliver power; they add none).
    var powerWatts: Double {
        switch self {
        case let .memory(dimm, count): Double(count) * dimm.powerWatts
        case let .storage(option): option.powerWatts
        case let .network(nic, count): Double(count) * nic.powerWatts
        case .power: 0
        }
    }

    var memoryGiB: Double {
        if case let .memory(dimm, count) = self { return Double(count) * dimm.capacityGiB }
        return 0
    }

    var networkGbps: Double {
        if case let .network(nic, count) = self { return Double(count * nic.ports) * nic.speedGbps }
        return 0
    }

    var networkPorts: Int {
        if case let .network(nic, count) = self { return count * nic.ports }
        return 0
    }

    var usablePSUWatts: Double {
        if case let .power(_, _, usable) = self { return usable }
        return 0
    }

    /// The catalog id of the item the option buys (DIMM, SSD, NIC or PSU).
    var itemID: String {
        switch self {
        case let .memory(dimm, _): dimm.id
        case let .storage(option): option.ssd.id
        case let .network(nic, _): nic.id
        case let .power(psu, _, _): psu.id
        }
    }

    /// Keeps the options no other option beats: an option is dropped when another costs no more,
    /// draws no more and offers at least as much of `benefit`, strictly better in one of them.
    /// Options of an `owned` item (`existing.items`) are kept and beat none: some of their units cost
    /// nothing, so their list price says nothing. Survivors are sorted by price, then key, so the
    /// model is the same on every run.
    static func paretoPruned(_ options: [ServerPart], owned: Set<String> = [], benefit: (ServerPart) -> Double) -> [ServerPart] {
        typealias Scored = (part: ServerPart, price: Double, watts: Double, benefit: Double, key: String)
        let sorted = options.map { ($0, $0.priceUSD, $0.powerWatts, benefit($0), $0.key) as Scored }
            .sorted { ($0.price, $0.watts, -$0.benefit, $0.key) < ($1.price, $1.watts, -$1.benefit, $1.key) }
        var kept: [Scored] = []
        for option in sorted {
            let isOwned = owned.contains(option.part.itemID)
            if isOwned || !kept.contains(where: {
                !owned.contains($0.part.itemID) && $0.price <= option.price && $0.watts <= option.watts && $0.benefit >= option.benefit
            }) {
                kept.append(option)
            }
        }
        return kept.map(\.part)
    }
}

/// A network fabric class: NICs, switches and cables must share fabric and port speed.
struct FabricClass: Sendable, Hashable, Comparable {
    let fabric: Fabric
    let speedGbps: Double

    var key: String { "\(fabric.rawValue)-\(Int(speedGbps))g" }

    static func < (lhs: FabricClass, rhs: FabricClass) -> Bool { lhs.key < rhs.key }
}
