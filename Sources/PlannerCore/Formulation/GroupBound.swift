/// A lower bound on the objective of any plan that serves the whole demand with one server group,
/// used to drop groups that cannot win (presolve, exact when GPU types are not mixed).
///
/// bound(g) = r·TP·price_gpu + s·(price_server + cheapest DIMM, array and PSU options)
///            [+ s·cheapest NIC option when s ≥ 2] [+ energy of r·TP GPUs for TCO],
/// with r = ⌈D / cap_g⌉ (+1 for n+1) replicas and s = ⌈r / R_g⌉ servers: every plan using only g
/// buys at least that much, and networking, racks, cooling and PDUs only add to it.
enum GroupBound {
    static func lowerBound(_ group: ServerGroup, requirements: Requirements) -> Double {
        let capacity = group.candidate.capacityPerReplica
        guard capacity > 0 else { return .infinity }
        var replicas = max((requirements.demand / capacity - 1e-9).rounded(.up), 1)
        if requirements.spareReplica { replicas += 1 }
        let servers = (replicas / Double(group.replicasPerServer)).rounded(.up)
        var perServer = group.server.listing.priceUSD
        for options in [group.memoryOptions, group.storageOptions, group.powerOptions] {
            perServer += options.map(\.priceUSD).min() ?? 0
        }
        if servers >= 2 { perServer += group.networkOptions.map(\.priceUSD).min() ?? 0 }
        let gpus = replicas * Double(group.tensorParallel)
        var bound = gpus * group.gpu.listing.priceUSD + servers * perServer
        if case let .minimumTCO(years, price, pue) = requirements.objective {
            let watts = gpus * group.gpu.powerWatts * EnergyModel.decodeFractionOfTDP
            bound += watts / 1000 * years * 8766 * pue * price
        }
        return bound
    }
}
