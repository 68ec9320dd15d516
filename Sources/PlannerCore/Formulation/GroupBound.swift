/// A lower bound on the objective of any plan that uses a GPU type, for presolve: with one GPU type
/// per plan, a type whose bound exceeds the objective of a plan already found cannot win.
///
/// For GPU type γ with server groups G_γ (every chassis and TP degree it can use):
///
///     c* = max_{g∈G_γ} cap_g / TP_g                         (best load per GPU)
///     n  = ⌈D / c*⌉ (+ min TP for n+1)                      GPUs any plan of γ needs
///     s  = ⌈n / max_g GPUs per full server⌉                 servers it needs at least
///     bound(γ) = n · price_γ + s · min_g (server + cheapest DIMM, array and PSU options
///                [+ cheapest NIC option when s ≥ 2]) [+ energy of n GPUs at the decode draw, for TCO]
///
/// Every plan of γ — whatever mix of its chassis and TP degrees — buys at least that much;
/// networking, racks, cooling and PDUs only add to it.
enum GroupBound {
    static func lowerBound(_ groups: [ServerGroup], requirements: Requirements) -> Double {
        guard let gpu = groups.first?.gpu else { return .infinity }
        let perGPU = groups.map { $0.candidate.capacityPerReplica / Double($0.tensorParallel) }.max() ?? 0
        guard perGPU > 0 else { return .infinity }
        let smallestTP = Double(groups.map(\.tensorParallel).min() ?? 1)
        var gpus = max((requirements.demand / perGPU - 1e-9).rounded(.up), smallestTP)
        if requirements.spareReplica { gpus += smallestTP }
        let perServer = Double(groups.map(\.gpusPerFullServer).max() ?? 1)
        let servers = (gpus / perServer).rounded(.up)
        let serverCost = groups.map { group -> Double in
            var cost = group.server.listing.priceUSD
            for options in [group.memoryOptions, group.storageOptions, group.powerOptions] {
                cost += options.map(\.priceUSD).min() ?? 0
            }
            if servers >= 2 { cost += group.networkOptions.map(\.priceUSD).min() ?? 0 }
            return cost
        }.min() ?? 0
        var bound = gpus * gpu.listing.priceUSD + servers * serverCost
        if case let .minimumTCO(years, price, pue) = requirements.objective {
            let watts = gpus * gpu.powerWatts * EnergyModel.decodeFractionOfTDP
            bound += watts / 1000 * years * 8766 * pue * price
        }
        return bound
    }
}
