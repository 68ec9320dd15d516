import LinearModel

/// Server power supplies, sized from the real peak draw with the redundancy asked for.
enum ServerPower {
    /// PSU configurations: each compatible PSU, 1 … PSU bays of them (or the pinned count), with the
    /// capacity that survives the redundancy's failures; configurations that cannot carry even the
    /// lightest server of the group are dropped, then dominated ones.
    static func options(
        for group: ServerGroup, psus: [PSU], redundancy: PSURedundancy, pins: Pins, lightestPartsWatts: Double, heaviestPartsWatts: Double,
        owned: Set<String> = []
    ) -> [ServerPart] {
        let server = group.server
        let counts = pins.psusPerServer.map { [$0] } ?? Array(1...max(server.psuBays, 1))
        let lightest = group.basePeakWatts(replicas: 1) + lightestPartsWatts
        let options = psus
            .filter { server.compatiblePSUs.contains($0.id) }
            .flatMap { psu in
                counts.filter { $0 >= 1 && $0 <= server.psuBays }.map { count in
                    ServerPart.power(psu, count: count, usableWatts: redundancy.usableWatts(count: count, capacityWatts: psu.capacityWatts))
                }
            }
            .filter { $0.usablePSUWatts >= lightest }
        // Capacity beyond the heaviest possible server buys nothing: cap it there, so the pruning is exact.
        let heaviest = group.basePeakWatts(replicas: group.replicasPerServer) + heaviestPartsWatts
        return ServerPart.paretoPruned(options, owned: owned) { min($0.usablePSUWatts, heaviest) }
    }

    /// For each group g, with pick[g,f,o] the binary choice of option o of part family f:
    ///
    ///     psu_capacity[g]:         Σ_o usableW_o · pick[g,power,o] − Σ_{f≠power} Σ_o W_o · pick[g,f,o]
    ///                                ≥ (base + full GPUs · TDP) · full_used[g]
    ///     psu_capacity_partial[g]: same left side ≥ Σ_m (base + m · TP · TDP) · partial[g,m]
    ///
    /// so each server's surviving PSU capacity covers GPUs at TDP + base + DIMMs + SSDs + NICs.
    static func addConstraints(to formulation: inout PlanFormulation) {
        for g in formulation.groups.indices {
            let group = formulation.groups[g]
            var margin = formulation.partExpression(group: g, family: .power) { $0.usablePSUWatts }
            for family in [ServerPart.Family.memory, .storage, .network] {
                margin = margin - formulation.partExpression(group: g, family: family) { $0.powerWatts }
            }
            formulation.model.addConstraint(
                margin >= group.basePeakWatts(replicas: group.replicasPerServer) * LinearExpression(formulation.fullUsed[g]),
                name: "psu_capacity[\(group.key)]"
            )
            if !group.partialReplicaCounts.isEmpty {
                let partialNeed = LinearExpression(terms: group.partialReplicaCounts.map { m in
                    (group.basePeakWatts(replicas: m), formulation.partial(group: g, replicas: m))
                })
                formulation.model.addConstraint(margin >= partialNeed, name: "psu_capacity_partial[\(group.key)]")
            }
        }
    }
}
