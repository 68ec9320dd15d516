import Foundation

/// Lower bounds on the objective (and on the capex) of any plan built on one GPU type, from the
/// catalog alone: with one GPU type per plan, types are solved cheapest-bound first and the rest
/// skipped once their bound exceeds the best plan found (or the budget).
///
/// For GPU type γ carrying at most c load per GPU (an upper bound, or the exact candidates' best):
///
///     n  = max(⌈D / c⌉, 1) (+1 for n+1; ≥ the pinned GPU count)
///     s  = ⌈n / most GPU slots of a chassis that takes γ⌉ (≥ the pinned server count)
///     capex(γ) ≥ n · price_γ + s · min over chassis (price + one DIMM per channel + cheapest array
///                meeting the storage rule + cheapest PSU set) [+ s · cheapest NIC when s ≥ 2]
///                + cheapest rack + cheapest PDU + cheapest cooling for (n · TDP + s · base) kW
///     objective(γ) ≥ capex(γ) [+ energy of n GPUs at the decode draw and s bases at the platform
///                average, for TCO]
///
/// Every plan on γ buys at least that much.
struct TypeBound {
    let requirements: Requirements
    private let servers: [(server: Server, cheapestUSD: Double)]
    private let nicUSD: Double
    private let facilityUSD: Double
    private let cooling: [CoolingOption]
    private let smallestTP: Int

    struct Bound {
        var gpu: GPU
        var capexUSD: Double
        var objective: Double
    }

    init(_ scope: PlanningScope) {
        let problem = scope.problem
        requirements = problem.requirements
        servers = problem.servers.compactMap { server in Self.cheapestServer(server, problem: problem).map { (server, $0) } }
        nicUSD = problem.nics.map(\.listing.priceUSD).min() ?? 0
        facilityUSD = (problem.racks.map(\.listing.priceUSD).min() ?? 0) + (problem.pdus.map(\.listing.priceUSD).min() ?? 0)
        cooling = problem.cooling.filter { problem.requirements.coolingMethods.contains($0.coolingMethod) && $0.capacityKW > 0 }
        smallestTP = scope.generator.tensorParallelDegrees.min() ?? 1
    }

    /// The cheap bounds of every GPU of `scope` (load per GPU bounded by the maximum-throughput
    /// point), sorted by objective bound then id; GPUs the model does not fit are left out.
    static func cheapBounds(_ scope: PlanningScope) -> [Bound] {
        let bounds = TypeBound(scope)
        let degrees = scope.generator.tensorParallelDegrees
        let perGPU = ConcurrentMap.map(scope.gpus) { gpu in
            degrees.compactMap { tp in scope.generator.capacityUpperBound(gpu: gpu, tensorParallel: tp).map { $0 / Double(tp) } }.max()
        }
        return zip(scope.gpus, perGPU).compactMap { gpu, capacity in capacity.flatMap { bounds.bound(gpu, capacityPerGPU: $0) } }
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

    /// The bound for `gpu` carrying at most `capacityPerGPU`; `nil` when no chassis can take it.
    /// `figures` replaces the catalog-level server figures when the GPU's server groups are known.
    /// `spareTP` is the smallest TP degree a spare replica can have (default: the smallest tried).
    func bound(_ gpu: GPU, capacityPerGPU capacity: Double, figures known: ServerFigures? = nil, spareTP: Int? = nil) -> Bound? {
        guard capacity > 0 else { return nil }
        var figures = ServerFigures()
        if let known {
            figures = known
        } else {
            for entry in servers where entry.server.gpuSlots >= smallestTP && entry.server.accepts(gpu) {
                figures.add(slots: entry.server.gpuSlots, usd: entry.cheapestUSD, baseWatts: entry.server.powerWatts)
            }
        }
        let slots = figures.slots, serverUSD = figures.cheapestUSD, baseWatts = figures.baseWatts
        guard slots > 0, serverUSD.isFinite else { return nil }
        var gpus = capacity.isFinite ? max((requirements.demand / capacity - 1e-9).rounded(.up), 1) : 1
        if requirements.spareReplica { gpus += Double(spareTP ?? smallestTP) }
        if let pinned = requirements.pins.gpuCount { gpus = max(gpus, Double(pinned)) }
        var count = (gpus / Double(slots)).rounded(.up)
        if let pinned = requirements.pins.serverCount { count = max(count, Double(pinned)) }
        let kW = (gpus * gpu.powerWatts + count * baseWatts) / 1000
        let coolingUSD = cooling.map { $0.listing.priceUSD * (kW / $0.capacityKW - 1e-9).rounded(.up) }.min() ?? 0
        let capex = gpus * gpu.listing.priceUSD + count * (serverUSD + (count >= 2 ? nicUSD : 0)) + facilityUSD + coolingUSD
        var objective = capex
        if case let .minimumTCO(years, price, pue) = requirements.objective {
            let averageWatts = gpus * gpu.powerWatts * EnergyModel.decodeFractionOfTDP + count * baseWatts * EnergyModel.platformAverageFraction
            objective += averageWatts / 1000 * years * 8766 * pue * price
        }
        return Bound(gpu: gpu, capexUSD: capex, objective: objective)
    }

    /// The least a server of this chassis can cost with its parts: the chassis, one of the
    /// cheapest DIMM it takes per memory channel, the cheapest array meeting the storage rule and
    /// the cheapest PSU set the redundancy needs. `nil` when no such server can be built.
    static func cheapestServer(_ server: Server, problem: PlanningProblem) -> Double? {
        let requirements = problem.requirements
        let channels = requirements.pins.dimmsPerServer ?? server.memoryChannels
        guard channels <= server.dimmSlots,
              let dimm = problem.dimms.filter({ server.dimmTypes.contains($0.type) && $0.capacityGiB <= server.maxDIMMGiB }).map(\.listing.priceUSD).min(),
              let array = StorageOption.all(ssds: problem.ssds.filter(server.accepts), bays: server.nvmeBays, pins: requirements.pins)
                .filter({ $0.meets(requirements.storage) }).map(\.priceUSD).min(),
              let psu = problem.psus.filter({ server.compatiblePSUs.contains($0.id) }).map(\.listing.priceUSD).min()
        else { return nil }
        let psus = requirements.pins.psusPerServer ?? (requirements.psuRedundancy == .none ? 1 : 2)
        return server.listing.priceUSD + Double(channels) * dimm + array + Double(psus) * psu
    }
}
