import LinearModel

/// Host memory: which DIMMs, and how many, each server of a group carries.
enum HostMemory {
    /// DIMM configurations a group's servers may use: each DIMM type the chassis takes (type and
    /// size within the chassis limits) in the counts its class allows (``ChassisClass/dimmCounts(_:)``:
    /// one or two per channel on a rack server; on a desk-side chassis also one on each of fewer
    /// channels), within the DIMM slots — or exactly the pinned count. Options below the smallest server's need
    /// are dropped, then dominated ones (see ``ServerPart/paretoPruned(_:owned:benefit:)``; capacity
    /// counts only up to the full server's need).
    static func options(for group: ServerGroup, dimms: [DIMM], rule: HostMemoryRule, pins: Pins, owned: Set<String> = []) -> [ServerPart] {
        let server = group.server
        let counts: [Int] = if let pinned = pins.dimmsPerServer {
            pinned <= server.dimmSlots ? [pinned] : []
        } else {
            ChassisClass.dimmCounts(server)
        }
        let smallestNeed = group.hostMemoryRequiredGiB(replicas: 1, rule: rule)
        let largestNeed = group.hostMemoryRequiredGiB(replicas: group.replicasPerServer, rule: rule)
        let options = dimms
            .filter { server.dimmTypes.contains($0.type) && $0.capacityGiB <= server.maxDIMMGiB }
            .flatMap { dimm in counts.map { ServerPart.memory(dimm, count: $0) } }
            .filter { $0.memoryGiB >= smallestNeed }
        // Memory beyond the largest need buys nothing: cap the benefit there, so the pruning is exact.
        return ServerPart.paretoPruned(options, owned: owned) { min($0.memoryGiB, largestNeed) }
    }

    /// For each group g, with pick[g,o] the binary choice of DIMM configuration o:
    ///
    ///     host_memory[g]:         Σ_o GiB_o · pick[g,o] ≥ need(full server) · full_used[g]
    ///     host_memory_partial[g]: Σ_o GiB_o · pick[g,o] ≥ Σ_m need(m replicas) · partial[g,m]
    ///
    /// where need(r) = max(floor, load-buffer factor × weights of r replicas) (``HostMemoryRule``).
    static func addConstraints(to formulation: inout PlanFormulation, rule: HostMemoryRule) {
        for g in formulation.groups.indices {
            let group = formulation.groups[g]
            let installed = formulation.partExpression(group: g, family: .memory) { $0.memoryGiB }
            let fullNeed = group.hostMemoryRequiredGiB(replicas: group.replicasPerServer, rule: rule)
            formulation.model.addConstraint(
                installed >= fullNeed * LinearExpression(formulation.fullUsed[g]),
                name: "host_memory[\(group.key)]"
            )
            if !group.partialReplicaCounts.isEmpty {
                let partialNeed = LinearExpression(terms: group.partialReplicaCounts.map { m in
                    (group.hostMemoryRequiredGiB(replicas: m, rule: rule), formulation.partial(group: g, replicas: m))
                })
                formulation.model.addConstraint(installed >= partialNeed, name: "host_memory_partial[\(group.key)]")
            }
        }
    }
}
