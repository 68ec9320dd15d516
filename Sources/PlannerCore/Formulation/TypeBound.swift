import Foundation

/// Lower bounds on the objective (and on the capex) of any plan built on one GPU type, from the
/// catalog alone: with one GPU type per plan, types are solved cheapest-bound first and the rest
/// skipped once their bound exceeds the best plan found (or the budget).
///
/// For GPU type γ whose replicas at TP degree k carry at most c_k load each (an upper bound from
/// the maximum-throughput point, or the exact candidates once they are known):
///
///     n  = ``minimumGPUs(demand:replicas:spareReplica:)``: the fewest GPUs whose replicas carry D
///          (with n+1, less one replica of every TP degree used); ≥ the pinned GPU count
///     s  = ⌈n / most GPU slots of a chassis that takes γ⌉ (≥ the pinned server count)
///     capex(γ) ≥ n · price_γ + s · min over chassis (price + one DIMM per channel + cheapest array
///                meeting the storage rule + cheapest PSU set) [+ s · cheapest NIC when s ≥ 2]
///                + cheapest rack + cheapest PDU + cheapest cooling for (n · TDP + s · base) kW
///     objective(γ) ≥ capex(γ) [+ energy of n GPUs idle, the stated load L at the decode draw above
///                idle on min_k TP_k / c_k GPUs per unit, and s bases at the platform average, for TCO]
///
/// Every plan on γ buys at least that much.
struct TypeBound {
    let requirements: Requirements
    private let servers: [(server: Server, cheapestUSD: Double)]
    private let fit: ChassisFit
    private let nicUSD: Double
    private let facilityUSD: Double
    private let cooling: [CoolingOption]
    /// What the owned items (`existing.items`) would cost, at the problem's prices.
    private let ownedValueUSD: Double

    /// One way to run a replica of the GPU type: its TP degree and the most load it carries.
    struct ReplicaOption: Hashable {
        var tensorParallel: Int
        var capacity: Double
    }

    struct Bound {
        var gpu: GPU
        var capexUSD: Double
        var objective: Double
    }

    init(_ scope: PlanningScope) {
        let problem = scope.problem
        requirements = problem.requirements
        let listings: [Listing] = scope.gpus.map(\.listing) + problem.dimms.map(\.listing) + problem.ssds.map(\.listing)
            + problem.nics.map(\.listing) + problem.psus.map(\.listing) + problem.switches.map(\.listing) + problem.cables.map(\.listing)
            + problem.racks.map(\.listing) + problem.cooling.map(\.listing) + problem.pdus.map(\.listing)
        let prices = Dictionary(listings.map { ($0.id, $0.priceUSD) }, uniquingKeysWith: { a, _ in a })
        ownedValueUSD = problem.requirements.ownedItems.reduce(0) { $0 + Double($1.value) * (prices[$1.key] ?? 0) }
        var arrays: [LocalStorage.Bays: Double?] = [:]
        servers = problem.servers.compactMap { server in
            let key = LocalStorage.Bays(of: server)
            if arrays[key] == nil { arrays[key] = Self.cheapestArray(server, problem: problem) }
            // A chassis whose price includes its drives needs no array bought (cheapestServer adds none).
            let array = problem.includedParts[server.id]?.ssd != nil ? 0 : arrays[key]!
            return array.flatMap { Self.cheapestServer(server, arrayUSD: $0, problem: problem) }.map { (server, $0) }
        }
        fit = ChassisFit(servers: servers.map(\.server), gpus: scope.gpus)
        nicUSD = problem.nics.map(\.listing.priceUSD).min() ?? 0
        facilityUSD = (problem.racks.map(\.listing.priceUSD).min() ?? 0) + (problem.pdus.map(\.listing.priceUSD).min() ?? 0)
        cooling = problem.cooling.filter { problem.requirements.coolingMethods.contains($0.coolingMethod) && $0.capacityKW > 0 }
    }

    /// The cheap bounds of every GPU of `scope` (load per GPU bounded by the maximum-throughput
    /// point), sorted by objective bound then id; GPUs the model does not fit are left out.
    static func cheapBounds(_ scope: PlanningScope) -> [Bound] {
        let bounds = TypeBound(scope)
        let degrees = scope.generator.tensorParallelDegrees
        let replicas = ConcurrentMap.map(scope.gpus) { gpu in
            degrees.compactMap { tp in scope.generator.capacityUpperBound(gpu: gpu, tensorParallel: tp).map { ReplicaOption(tensorParallel: tp, capacity: $0) } }
        }
        return zip(scope.gpus, replicas).compactMap { gpu, options in bounds.bound(gpu, replicas: options) }
            .sorted { ($0.objective, $0.gpu.id) < ($1.objective, $1.gpu.id) }
    }

    /// The least one server holding a GPU type costs, the most GPUs one holds, and the least base
    /// power: over chassis (catalog level) or over server groups (once the candidates are known).
    struct ServerFigures {
        var slots = 0
        var cheapestUSD = Double.infinity
        var baseWatts = Double.infinity

        mutating func add(slots: Int, usd: Double, baseWatts: Double) {
            self.slots = max(self.slots, slots)
            cheapestUSD = min(cheapestUSD, usd)
            self.baseWatts = min(self.baseWatts, baseWatts)
        }
    }

    /// Server figures from the exact server groups of a GPU: each group's chassis with its
    /// cheapest DIMM, array and PSU options — each of which serves at least one replica — so a
    /// chassis without a workable configuration does not lower the bound.
    static func serverFigures(_ groups: [ServerGroup]) -> ServerFigures {
        var figures = ServerFigures()
        for group in groups {
            let parts = [group.memoryOptions, group.storageOptions, group.powerOptions].map { $0.map(\.priceUSD).min() ?? 0 }.reduce(0, +)
            figures.add(slots: group.gpusPerFullServer, usd: group.server.listing.priceUSD + parts, baseWatts: group.server.powerWatts)
        }
        return figures
    }

    /// The bound for `gpu` run as `replicas`; `nil` when no replica carries load or no chassis can
    /// take it. `figures` replaces the catalog-level server figures when the GPU's server groups
    /// are known.
    func bound(_ gpu: GPU, replicas: [ReplicaOption], figures known: ServerFigures? = nil) -> Bound? {
        guard var gpus = Self.minimumGPUs(demand: requirements.demand, replicas: replicas, spareReplica: requirements.spareReplica) else { return nil }
        var figures = ServerFigures()
        if let known {
            figures = known
        } else {
            let smallestTP = replicas.map(\.tensorParallel).min() ?? 1
            for entry in fit.servers(accepting: gpu).map({ servers[$0] }) where entry.server.gpuSlots >= smallestTP {
                figures.add(slots: entry.server.gpuSlots, usd: entry.cheapestUSD, baseWatts: entry.server.powerWatts)
            }
        }
        let slots = figures.slots, serverUSD = figures.cheapestUSD, baseWatts = figures.baseWatts
        guard slots > 0, serverUSD.isFinite else { return nil }
        if let pinned = requirements.pins.gpuCount { gpus = max(gpus, Double(pinned)) }
        var count = (gpus / Double(slots)).rounded(.up)
        if let pinned = requirements.pins.serverCount { count = max(count, Double(pinned)) }
        let kW = (gpus * gpu.powerWatts + count * baseWatts) / 1000
        let coolingUSD = cooling.map { $0.listing.priceUSD * (kW / $0.capacityKW - 1e-9).rounded(.up) }.min() ?? 0
        let fullCapex = gpus * gpu.listing.priceUSD + count * (serverUSD + (count >= 2 ? nicUSD : 0)) + facilityUSD + coolingUSD
        // Owned items (`existing.items`) may stand in for any of it: less their whole value stays a bound.
        let capex = max(fullCapex - ownedValueUSD, 0)
        var objective = capex
        if case let .minimumTCO(years, price, pue) = requirements.objective {
            // Every GPU at least idle, and each unit of the stated load at least the decode draw above
            // idle on the fewest GPUs per unit of load (TP_k ÷ c_k); DC watts, below the wall's.
            let load = requirements.energy.load ?? requirements.demand
            let gpusPerLoad = replicas.filter { $0.capacity > 0 }.map { Double($0.tensorParallel) / $0.capacity }.min() ?? 0
            let averageWatts = gpus * gpu.powerWatts * EnergyModel.idleFractionOfTDP
                + load * gpusPerLoad * gpu.powerWatts * (EnergyModel.decodeFractionOfTDP - EnergyModel.idleFractionOfTDP)
                + count * baseWatts * EnergyModel.platformAverageFraction
            objective += averageWatts / 1000 * years * 8766 * pue * price
        }
        return Bound(gpu: gpu, capexUSD: capex, objective: objective)
    }

    /// The cheapest array of the chassis's bays meeting the storage rule; `nil` when none does.
    static func cheapestArray(_ server: Server, problem: PlanningProblem) -> Double? {
        LocalStorage.options(for: server, ssds: problem.ssds, requirement: problem.requirements.storage, pins: problem.requirements.pins)
            .map(\.priceUSD).min()
    }

    /// The least a server of this chassis can cost with its parts: the chassis, one of the
    /// cheapest DIMM it takes per memory channel, the cheapest array meeting the storage rule
    /// (`arrayUSD`) and the cheapest PSU set the redundancy needs. `nil` when no such server can be built.
    static func cheapestServer(_ server: Server, arrayUSD array: Double, problem: PlanningProblem) -> Double? {
        let requirements = problem.requirements
        let channels = requirements.pins.dimmsPerServer ?? ChassisClass.dimmCounts(server).min() ?? server.memoryChannels
        let included = problem.includedParts[server.id]
        // Parts the chassis price includes cost nothing more.
        if included?.dimm == nil, channels > server.dimmSlots { return nil }
        guard let dimm = included?.dimm != nil ? 0 : problem.dimms.filter({ server.dimmTypes.contains($0.type) && $0.capacityGiB <= server.maxDIMMGiB }).map(\.listing.priceUSD).min(),
              let psu = included?.psu != nil ? 0 : problem.psus.filter({ server.compatiblePSUs.contains($0.id) }).map(\.listing.priceUSD).min()
        else { return nil }
        let psus = requirements.pins.psusPerServer ?? (requirements.psuRedundancy(for: server) == .none ? 1 : 2)
        return server.listing.priceUSD + Double(channels) * dimm + (included?.ssd != nil ? 0 : array) + Double(psus) * psu
    }

    /// The fewest GPUs whose replicas carry `demand` (at least one replica):
    ///
    ///     min Σ_k tp_k · r_k   s.t.   Σ_k c_k · r_k ≥ D,   r_k ∈ ℤ≥0,   Σ_k r_k ≥ 1
    ///
    /// With a spare replica, every TP degree used loses one replica's capacity (the program's
    /// demand row subtracts c_g · used[g] per server group, and a degree spread over several groups
    /// loses more): for each set S of degrees used, r_k = 1 + r'_k and
    ///
    ///     min Σ_{k∈S} tp_k + Σ_{k∈S} tp_k · r'_k   s.t.   Σ_{k∈S} c_k · r'_k ≥ D.
    ///
    /// Each is a small covering knapsack, solved exactly: with b the degree of S carrying the most
    /// per GPU, some optimum uses every other degree fewer than tp_b times (tp_b replicas of
    /// degree k weigh as much as tp_k replicas of b, which carry at least as much), so those counts
    /// are enumerated and b fills the rest. `D` is lowered by GLPK's feasibility tolerance, so the
    /// count never exceeds what a plan the solver accepts uses. A capacity of +∞ counts as one
    /// replica carrying any demand. `nil` when no replica carries load.
    static func minimumGPUs(demand: Double, replicas: [ReplicaOption], spareReplica: Bool) -> Double? {
        // A capacity of +∞ (a bound the performance model could not make finite) carries any demand
        // with one replica: it weakens the bound, never drops the type. NaN carries nothing.
        let options = replicas.filter { $0.tensorParallel >= 1 && $0.capacity > 0 }
            .sorted { ($0.tensorParallel, $0.capacity) < ($1.tensorParallel, $1.capacity) }
        guard let smallest = options.first?.tensorParallel else { return nil }
        let required = max(demand - 1e-6 * (1 + abs(demand)), 0)
        func cover(_ set: [ReplicaOption]) -> Double {
            let best = set.indices.max { (set[$0].capacity / Double(set[$0].tensorParallel), -$0) < (set[$1].capacity / Double(set[$1].tensorParallel), -$1) }!
            let others = set.indices.filter { $0 != best }
            let limit = set[best].tensorParallel
            // Mixed counts are enumerated only while that stays small; the ratio bound is the fallback.
            guard others.count <= 4, pow(Double(limit), Double(others.count)) <= 100_000 else {
                return max((required * Double(limit) / set[best].capacity).rounded(.up), required > 0 ? 1 : 0)
            }
            var fewest = Double.infinity
            var counts = [Int](repeating: 0, count: others.count)
            while true {
                var load = required, weight = 0.0
                for (i, k) in others.enumerated() {
                    load -= Double(counts[i]) * set[k].capacity
                    weight += Double(counts[i] * set[k].tensorParallel)
                }
                let fill = load > 0 ? max((load / set[best].capacity).rounded(.up), 1) : 0
                fewest = min(fewest, weight + fill * Double(limit))
                var i = 0
                while i < counts.count {
                    counts[i] += 1
                    if counts[i] < limit { break }
                    counts[i] = 0
                    i += 1
                }
                if i == counts.count { break }
            }
            return fewest
        }
        guard spareReplica else { return max(cover(options), Double(smallest)) }
        // More degrees than the four tried would make the subsets many: a weaker count still bounds.
        guard options.count <= 8 else { return cover(options) + Double(smallest) }
        var fewest = Double.infinity
        for mask in 1..<(1 << options.count) {
            let set = options.indices.filter { mask & (1 << $0) != 0 }.map { options[$0] }
            fewest = min(fewest, Double(set.reduce(0) { $0 + $1.tensorParallel }) + cover(set))
        }
        return fewest
    }
}
